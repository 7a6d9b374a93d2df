//! Grade-adjusted pace, normalised graded speed, rTSS, efficiency factor and aerobic
//! decoupling on synthetic runs with known answers, through the metric registry. The synthetic
//! tests run natively and in wasm32 (wasm-bindgen-test); the corpus ones natively only.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use analysis::metrics::{self, MetricValues, Run};
use analysis::series::grade::{GradeAdjustment, Minetti};
use analysis::{Activity, Athlete, Records, Sport};

/// A run recorded at 1 Hz for `seconds` seconds: speed (m/s) and heart rate (bpm) as functions
/// of time, altitude as a function of distance; distance integrates the speed.
fn run(
    seconds: usize,
    speed: impl Fn(f64, f64) -> f64,
    hr: impl Fn(f64) -> f64,
    altitude: Option<&dyn Fn(f64) -> f64>,
) -> Activity {
    let (mut time, mut v, mut d, mut h, mut alt) = (vec![], vec![], vec![], vec![], vec![]);
    let mut distance = 0.0;
    for k in 0..=seconds {
        let t = k as f64;
        let s = speed(t, distance);
        if k > 0 {
            distance += s;
        }
        time.push(1.7e9 + t);
        v.push(s as f32);
        d.push(distance);
        h.push(hr(t) as f32);
        alt.push(altitude.map_or(0.0, |a| a(distance)) as f32);
    }
    Activity {
        sport: Sport::Running,
        records: Records {
            time,
            speed: Some(v),
            distance: Some(d),
            heart_rate: Some(h),
            altitude: altitude.map(|_| alt),
            ..Records::default()
        },
        ..Activity::default()
    }
}

fn values(activity: &Activity, athlete: &Athlete) -> MetricValues {
    metrics::compute_all(&Run::new(activity, athlete))
}

fn no_athlete() -> Athlete {
    Athlete::default()
}

#[test]
fn a_five_percent_rise_in_heart_rate_at_constant_speed_is_five_percent_decoupling() {
    // An hour at 3 m/s; heart rate 140 bpm in the first half, 5 % higher (147) in the second:
    // Pa:HR = 1 − 140/147 = 4.76 %.
    let a = run(
        3600,
        |_, _| 3.0,
        |t| if t <= 1800.0 { 140.0 } else { 147.0 },
        None,
    );
    let v = values(&a, &no_athlete());
    let pct = v.get("aerobic_decoupling_pct").unwrap();
    assert!((pct - 100.0 * (1.0 - 140.0 / 147.0)).abs() < 1e-9, "{pct}");
    assert_eq!(pct.round(), 5.0);
}

#[test]
fn a_linear_heart_rate_drift_decouples_by_the_ratio_of_the_half_means() {
    let drift = |t: f64| 140.0 * (1.0 + 0.05 * t / 3600.0);
    let a = run(3600, |_, _| 3.0, drift, None);
    let pct = values(&a, &no_athlete())
        .get("aerobic_decoupling_pct")
        .unwrap();
    // Each record's value stands for the second before it: the halves are t = 1..1800 and
    // 1801..3600, whose means are the drift at 900.5 s and at 2700.5 s.
    let expect = 100.0 * (1.0 - drift(900.5) / drift(2700.5));
    assert!((pct - expect).abs() < 1e-9, "{pct} vs {expect}");
    assert!((pct - 2.41).abs() < 0.01);
}

#[test]
fn decoupling_needs_twenty_minutes_and_heart_rate() {
    let short = run(19 * 60, |_, _| 3.0, |_| 150.0, None);
    assert_eq!(
        values(&short, &no_athlete()).get("aerobic_decoupling_pct"),
        None
    );
    let mut no_hr = run(3600, |_, _| 3.0, |_| 150.0, None);
    no_hr.records.heart_rate = None;
    assert_eq!(
        values(&no_hr, &no_athlete()).get("aerobic_decoupling_pct"),
        None
    );
    assert_eq!(values(&no_hr, &no_athlete()).get("efficiency_factor"), None);
}

/// Constant effort over a hill: 1 km flat, 1 km up at 10 %, 1 km down at 10 %, then flat, each
/// at the speed Minetti's cost makes equivalent to 3 m/s on the flat.
fn constant_effort_hill(hr: impl Fn(f64) -> f64) -> Activity {
    let grade = |d: f64| match d {
        ..1000.0 => 0.0,
        ..2000.0 => 0.10,
        ..3000.0 => -0.10,
        _ => 0.0,
    };
    let altitude = |d: f64| match d {
        ..1000.0 => 0.0,
        ..2000.0 => 0.10 * (d - 1000.0),
        ..3000.0 => 100.0 - 0.10 * (d - 2000.0),
        _ => 0.0,
    };
    run(
        3000,
        |_, d| 3.0 / Minetti.factor(grade(d)),
        hr,
        Some(&altitude),
    )
}

#[test]
fn grade_adjusted_speed_is_flat_over_a_hill_run_at_constant_effort() {
    let a = constant_effort_hill(|_| 150.0);
    let v = values(&a, &no_athlete());
    let gap = v.get("avg_gap_speed_mps").unwrap();
    assert!((gap - 3.0).abs() < 0.03, "{gap}");
    assert!((v.get("avg_gap_pace_s_per_m").unwrap() - 1.0 / gap).abs() < 1e-12);
    // On the climb and the descent proper (clear of the 50-m grade window at the changes) the
    // runner's speed is far from 3 m/s; the grade-adjusted speed is 3 m/s throughout.
    let athlete = no_athlete();
    let r = Run::new(&a, &athlete);
    let (speed, gap) = (r.speed().unwrap(), r.gap_speed().unwrap());
    let distance = a.records.distance.as_ref().unwrap();
    for (k, &d) in distance.iter().enumerate() {
        if (1050.0..1950.0).contains(&d) || (2050.0..2950.0).contains(&d) {
            assert!((gap[k] - 3.0).abs() < 0.01, "at {d} m: {}", gap[k]);
            assert!((speed[k] - 3.0).abs() > 1.0, "at {d} m: {}", speed[k]);
        }
    }
}

#[test]
fn decoupling_uses_grade_adjusted_speed() {
    // The same heart rate all along while the runner slows on the hill at constant effort: no
    // decoupling, though the plain speed would fall a lot in the half with the climb.
    let a = constant_effort_hill(|_| 150.0);
    let pct = values(&a, &no_athlete())
        .get("aerobic_decoupling_pct")
        .unwrap();
    assert!(pct.abs() < 1.0, "{pct}");
}

#[test]
fn one_hour_at_threshold_is_100_rtss() {
    let athlete = Athlete {
        threshold_speed: Some(3.5),
        ..Athlete::default()
    };
    let hour = values(&run(3600, |_, _| 3.5, |_| 160.0, None), &athlete);
    assert!((hour.get("ngp_speed_mps").unwrap() - 3.5).abs() < 1e-9);
    assert!((hour.get("rtss").unwrap() - 100.0).abs() < 1e-9);
    let half_hour = values(&run(1800, |_, _| 3.5, |_| 160.0, None), &athlete);
    assert!((half_hour.get("rtss").unwrap() - 50.0).abs() < 1e-9);
    let easy = values(&run(3600, |_, _| 0.9 * 3.5, |_| 140.0, None), &athlete);
    assert!((easy.get("rtss").unwrap() - 81.0).abs() < 1e-4); // speeds are f32
    // Without a threshold speed there is no rTSS (NGP still).
    let none = values(&run(3600, |_, _| 3.5, |_| 160.0, None), &no_athlete());
    assert_eq!(none.get("rtss"), None);
    assert!(none.get("ngp_speed_mps").is_some());
}

#[test]
fn ngp_is_the_fourth_power_mean_of_the_30_second_rolling_speed() {
    // Intervals: a minute at 5 m/s, a minute at 2 m/s, for an hour.
    let speed = |t: f64| {
        if ((t as u64 - 1) / 60).is_multiple_of(2) {
            5.0
        } else {
            2.0
        }
    };
    let a = run(
        3600,
        |t, _| if t == 0.0 { 0.0 } else { speed(t) },
        |_| 160.0,
        None,
    );
    let athlete = Athlete {
        threshold_speed: Some(4.0),
        ..Athlete::default()
    };
    let v = values(&a, &athlete);
    let ngp = v.get("ngp_speed_mps").unwrap();
    // The same computed naively: the mean of the 30 samples ending at each second from 30 s on.
    let s: Vec<f64> = (0..=3600)
        .map(|k| if k == 0 { 0.0 } else { speed(k as f64) })
        .collect();
    let fourth: Vec<f64> = (30..=3600)
        .map(|k| (s[k - 29..=k].iter().sum::<f64>() / 30.0).powi(4))
        .collect();
    let naive = (fourth.iter().sum::<f64>() / fourth.len() as f64).powf(0.25);
    assert!((ngp - naive).abs() < 1e-9, "{ngp} vs {naive}");
    assert!(ngp > 3.6 && ngp < 5.0, "above the 3.5 m/s average: {ngp}");
    // rTSS = seconds · NGP · IF / (threshold · 3600) · 100 (TrainingPeaks' form).
    let intensity = ngp / 4.0;
    let expect = 3600.0 * ngp * intensity / (4.0 * 3600.0) * 100.0;
    assert!((v.get("rtss").unwrap() - expect).abs() < 1e-9);
}

#[test]
fn efficiency_factor_is_metres_per_minute_per_beat() {
    // 3 m/s = 180 m/min at 150 bpm: 1.2.
    let v = values(&run(3600, |_, _| 3.0, |_| 150.0, None), &no_athlete());
    assert!((v.get("efficiency_factor").unwrap() - 1.2).abs() < 1e-9);
}

#[test]
fn running_economy_metrics_are_for_sports_on_foot() {
    let mut ride = run(3600, |_, _| 8.0, |_| 140.0, None);
    ride.sport = Sport::Cycling;
    let v = values(
        &ride,
        &Athlete {
            threshold_speed: Some(4.0),
            ..Athlete::default()
        },
    );
    for id in [
        "avg_gap_speed_mps",
        "ngp_speed_mps",
        "rtss",
        "efficiency_factor",
        "aerobic_decoupling_pct",
    ] {
        assert_eq!(v.get(id), None, "{id}");
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod corpus {
    use super::*;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/fixtures");

    fn corpus(path: &str) -> Option<Activity> {
        match std::fs::read(format!("{FIXTURES}/{path}")) {
            Ok(bytes) => Some(analysis::decode(&bytes).expect(path)),
            Err(_) => {
                crate::common::corpus_absent(&format!("{FIXTURES}/{path}"));
                None
            }
        }
    }

    #[test]
    fn an_fr955_run_has_plausible_values() {
        let Some(a) = corpus("goldencheetah/14211916346_ACTIVITY.fit") else {
            return;
        };
        let athlete = Athlete {
            threshold_speed: Some(1000.0 / 240.0), // 4:00 per km
            ..Athlete::default()
        };
        let v = values(&a, &athlete);
        eprintln!("{v:?}");
        let get = |id: &str| v.get(id).unwrap_or_else(|| panic!("{id}"));
        assert!((2.0..6.0).contains(&get("avg_gap_speed_mps")));
        assert!(get("ngp_speed_mps") >= 0.95 * get("avg_gap_speed_mps"));
        assert!((0.8..2.5).contains(&get("efficiency_factor")));
        assert!((-10.0..20.0).contains(&get("aerobic_decoupling_pct")));
        assert!((50.0..300.0).contains(&get("rtss")));
        assert!(get("gps_quality_score") >= 90.0);
        assert!((get("gps_distance_m") - get("distance_m")).abs() < 0.01 * get("distance_m"));
    }

    #[test]
    fn a_treadmill_run_has_gap_but_no_gps_metrics() {
        let Some(a) = corpus("sports-lib/6860622783.fit") else {
            return;
        };
        let v = values(&a, &Athlete::default());
        eprintln!("{v:?}");
        assert_eq!(v.get("gps_quality_score"), None);
        assert_eq!(v.get("gps_distance_m"), None);
        assert!(v.get("avg_gap_speed_mps").is_some());
    }
}
