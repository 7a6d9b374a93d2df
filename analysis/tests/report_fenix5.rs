//! The full run report of a real file, its main numbers asserted: a Garmin fenix 5 run from
//! python-fitparse (MIT; tests/fixtures/README.md), 21 records over 57 s with GPS, heart rate and
//! running dynamics. Runs natively and, through wasm-bindgen-test, in wasm32.
//!
//! Where the device wrote its own figure it is noted; ours come from the records.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use analysis::{Athlete, RunReport, analyze};

const FENIX5_RUN: &[u8] = include_bytes!("fixtures/garmin-fenix-5-run.fit");

fn report() -> RunReport {
    let activity = analysis::decode(FENIX5_RUN).expect("decodes");
    let athlete = Athlete {
        max_hr: Some(190.0),
        rest_hr: Some(50.0),
        threshold_speed: Some(1000.0 / 270.0), // 4:30/km
        ..Athlete::default()
    };
    analyze(&activity, &athlete)
}

/// `v` rounded to `places` decimals.
fn r(v: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (v * f).round() / f
}

fn metric(report: &RunReport, id: &str, places: i32) -> Option<f64> {
    report.metrics.get(id).map(|v| r(v, places))
}

#[test]
fn fenix5_report_metrics() {
    let m = report();
    let get = |id, places| metric(&m, id, places);
    // Device session: 157.56 m, 56.887 s timer, average HR 90, max 112, 5 kcal, 2 m ascent.
    assert_eq!(get("distance_m", 2), Some(157.56));
    assert_eq!(get("elapsed_s", 1), Some(57.0));
    assert_eq!(get("timer_s", 1), Some(57.0));
    assert_eq!(get("moving_s", 1), Some(55.0));
    assert_eq!(get("avg_speed_mps", 3), Some(2.764));
    assert_eq!(get("max_speed_mps", 3), Some(3.378));
    assert_eq!(get("avg_pace_s_per_m", 4), Some(0.3618));
    assert_eq!(get("avg_hr", 1), Some(89.1));
    assert_eq!(get("max_hr", 0), Some(112.0));
    assert_eq!(get("avg_cadence_spm", 1), Some(161.1));
    assert_eq!(get("max_cadence_spm", 0), Some(191.0));
    assert_eq!(get("ascent_m", 1), Some(0.0));
    assert_eq!(get("descent_m", 1), Some(0.0));
    assert_eq!(get("calories_kcal", 0), Some(5.0));
    assert_eq!(get("trimp", 3), Some(0.341));
    assert_eq!(get("hrtss", 3), Some(0.179));
    assert_eq!(get("avg_stance_time_s", 3), Some(0.293));
    assert_eq!(get("avg_vertical_oscillation_m", 4), Some(0.0765));
    assert_eq!(get("avg_vertical_ratio_pct", 2), Some(7.24));
    assert_eq!(get("avg_step_length_m", 3), Some(0.946));
    assert_eq!(get("avg_stance_balance_left_pct", 1), Some(52.5));
    // No power, and too short for any best effort.
    assert_eq!(get("avg_power_w", 0), None);
    assert_eq!(get("best_400m_s", 0), None);
    assert!(m.best_efforts.is_empty());
    assert!(m.warnings.is_empty(), "{:?}", m.warnings);
}

#[test]
fn fenix5_report_parts() {
    let m = report();
    // One partial kilometre and mile split: the whole run.
    assert_eq!(m.splits_km.len(), 1);
    assert_eq!(m.splits_mile.len(), 1);
    let split = &m.splits_km[0].stats;
    assert_eq!(r(split.distance_m, 2), 157.56);
    assert_eq!(r(split.elapsed_s, 1), 57.0);
    assert_eq!(split.avg_hr.map(|v| r(v, 1)), Some(89.1));
    // One lap (trigger 7, session end): the device's figures next to ours.
    assert_eq!(m.laps.len(), 1);
    let lap = &m.laps[0];
    assert_eq!(lap.trigger, Some(7));
    assert_eq!(lap.device.timer_s, Some(56.887));
    assert_eq!(lap.device.distance_m, Some(157.56));
    assert_eq!(lap.device.avg_hr, Some(90.0));
    assert_eq!(r(lap.computed.distance_m, 2), 157.56);
    assert_eq!(lap.computed.max_hr, Some(112.0));
    // Heart-rate zones from max 190: all 57 s below 60 % (114 bpm).
    let hr = m.hr_zones.as_ref().expect("heart rate");
    assert_eq!(hr.zones.len(), 5);
    assert_eq!(hr.zones[0].high, Some(114.0));
    assert_eq!(r(hr.zones[0].seconds, 1), 57.0);
    // Pace zones from 4:30/km (Friel): 31 / 17 / 8 / 1 / 0 s.
    let pace = m.pace_zones.as_ref().expect("threshold set");
    let secs: Vec<f64> = pace.zones.iter().map(|z| r(z.seconds, 1)).collect();
    assert_eq!(secs, vec![31.0, 17.0, 8.0, 1.0, 0.0]);
    // The data-quality parts: 21 fixes, none rejected; heart rate without flags.
    let gps = m.gps.as_ref().expect("positions");
    assert_eq!((gps.fixes, gps.rejected_points), (21, 0));
    assert_eq!(gps.latitude.len(), 21);
    let hr = m.hr_quality.as_ref().expect("heart rate");
    assert_eq!(
        hr.verdict,
        analysis::quality::heart_rate::HrVerdict::Ok,
        "{:?}",
        hr.flags
    );
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn fenix5_report_round_trips_through_json() {
    let m = report();
    let json = serde_json::to_string(&m).expect("serialises");
    let back: RunReport = serde_json::from_str(&json).expect("deserialises");
    // serde_json's default float parsing may differ from the printed value in the last bit.
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.abs().max(1.0);
    assert_eq!(back.metrics.len(), m.metrics.len());
    for ((ka, a), (kb, b)) in back.metrics.iter().zip(m.metrics.iter()) {
        assert!(ka == kb && close(a, b), "{ka} {a} != {kb} {b}");
    }
    assert_eq!(back.laps, m.laps);
    assert_eq!(back.splits_km, m.splits_km);
    assert_eq!(back.hr_zones, m.hr_zones);
    assert_eq!(back.warnings, m.warnings);
}
