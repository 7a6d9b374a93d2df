//! Properties of the run report on random streams (gaps, duplicate seconds, missing samples,
//! pauses): it never panics, and its figures are consistent with each other.

#![cfg(not(target_arch = "wasm32"))]

use analysis::{Activity, Athlete, Event, Records, Sport, analyze};
use proptest::prelude::*;

/// One record's step: seconds since the previous record, metres covered, heart rate, altitude
/// change; `None` for a missing sample.
type Step = (u8, Option<f64>, Option<f32>, Option<f32>);

fn step() -> impl Strategy<Value = Step> {
    (
        prop_oneof![
            Just(0u8),
            Just(1),
            Just(1),
            Just(1),
            Just(2),
            Just(5),
            Just(70)
        ],
        prop::option::weighted(0.95, 0.0..8.0f64),
        prop::option::weighted(0.9, 50.0..210.0f32),
        prop::option::weighted(0.9, -3.0..3.0f32),
    )
}

fn activity(steps: &[Step], pause: Option<(usize, usize)>) -> Activity {
    let (mut t, mut d, mut alt) = (1_000.0, 0.0, 100.0f32);
    let mut r = Records {
        distance: Some(Vec::new()),
        heart_rate: Some(Vec::new()),
        altitude: Some(Vec::new()),
        cadence: Some(Vec::new()),
        ..Records::default()
    };
    for &(dt, dd, hr, da) in steps {
        t += f64::from(dt);
        if let Some(dd) = dd {
            d += dd;
        }
        alt += da.unwrap_or(0.0);
        r.time.push(t);
        r.distance
            .as_mut()
            .unwrap()
            .push(if dd.is_some() { d } else { f64::NAN });
        r.heart_rate.as_mut().unwrap().push(hr.unwrap_or(f32::NAN));
        r.altitude
            .as_mut()
            .unwrap()
            .push(if da.is_some() { alt } else { f32::NAN });
        r.cadence.as_mut().unwrap().push(170.0);
    }
    let mut events = Vec::new();
    if let Some((a, b)) = pause {
        let n = r.time.len();
        let timer = |i: usize, event_type| Event {
            time: Some(r.time[i.min(n - 1)]),
            event: Some(0),
            event_type: Some(event_type),
            data: None,
        };
        let (a, b) = (a.min(b), a.max(b));
        events = vec![timer(0, 0), timer(a, 1), timer(b, 0), timer(n - 1, 4)];
    }
    Activity {
        sport: Sport::Running,
        records: r,
        events,
        ..Activity::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn report_figures_are_consistent(
        steps in prop::collection::vec(step(), 1..600),
        pause in prop::option::of((0usize..600, 0usize..600)),
    ) {
        let a = activity(&steps, pause);
        let report = analyze(&a, &Athlete::default());
        let m = &report.metrics;
        let eps = 1e-6;
        let (elapsed, timer) = (m.get("elapsed_s").unwrap(), m.get("timer_s").unwrap());
        prop_assert!(timer <= elapsed + eps, "timer {timer} > elapsed {elapsed}");
        if let Some(moving) = m.get("moving_s") {
            prop_assert!(moving <= timer + eps, "moving {moving} > timer {timer}");
        }
        let hr: Vec<f64> = a.records.heart_rate.as_ref().unwrap().iter()
            .filter(|v| v.is_finite()).map(|&v| f64::from(v)).collect();
        if let Some(avg) = m.get("avg_hr") {
            let lo = hr.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = hr.iter().copied().fold(0.0, f64::max);
            prop_assert!(avg >= lo - eps && avg <= hi + eps, "avg {avg} outside [{lo}, {hi}]");
            prop_assert!(m.get("max_hr").unwrap() <= hi);
        }
        // The splits add up to the run.
        if let Some(distance) = m.get("distance_m").filter(|d| *d >= 1.0) {
            for splits in [&report.splits_km, &report.splits_mile] {
                let d: f64 = splits.iter().map(|s| s.stats.distance_m).sum();
                let t: f64 = splits.iter().map(|s| s.stats.timer_s).sum();
                let e: f64 = splits.iter().map(|s| s.stats.elapsed_s).sum();
                let up: f64 = splits.iter().filter_map(|s| s.stats.ascent_m).sum();
                prop_assert!((d - distance).abs() < 1e-6 * distance.max(1.0), "{d} vs {distance}");
                prop_assert!((t - timer).abs() < eps * timer.max(1.0), "{t} vs {timer}");
                prop_assert!((e - elapsed).abs() < eps * elapsed.max(1.0), "{e} vs {elapsed}");
                if let Some(ascent) = m.get("ascent_m") {
                    prop_assert!((up - ascent).abs() < 1e-3, "{up} vs {ascent}");
                }
            }
        }
        // Best efforts: longer distances never take less time, and fit inside the run.
        for w in report.best_efforts.windows(2) {
            prop_assert!(w[1].time_s >= w[0].time_s - eps);
        }
        for b in &report.best_efforts {
            prop_assert!(b.time_s >= 0.0 && b.end_offset_s <= elapsed + eps);
            prop_assert!((b.end_offset_s - b.start_offset_s - b.time_s).abs() < eps);
        }
        // Zones count timer time only.
        if let Some(z) = &report.hr_zones {
            let s: f64 = z.zones.iter().map(|z| z.seconds).sum();
            prop_assert!(s <= timer + eps);
        }
    }
}
