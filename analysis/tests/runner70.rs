//! Ten weeks of one synthetic runner (`fixtures/runner70/`, written by Garmin's JavaScript FIT SDK
//! from `fixtures/runner70/generate.mjs`): overnight HRV, monitored resting heart rate, sleep and
//! runs whose heart rate follows one designed line. Every figure asserted here is the design's,
//! worked out by hand from the values the generator's header states, not read back from our code.

use std::path::{Path, PathBuf};

use analysis::Athlete;
use analysis::models::dashboard::{DashboardSettings, dashboard};
use analysis::models::hrv::Band;
use analysis::models::readiness::{Level, SignalKind};
use analysis::models::vo2max::{self, Vo2maxMethod};
use analysis::models::{History, Verdict, days_from_civil};
use analysis::summary::{RunSummary, analyze_bytes};

fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/runner70")
}

fn file(name: &str) -> Vec<u8> {
    std::fs::read(folder().join(name)).expect("a runner70 fixture")
}

/// Every file of the folder summarised with the default settings, as `stride analyze` does.
fn summaries() -> Vec<(String, RunSummary)> {
    let mut names: Vec<String> = std::fs::read_dir(folder())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".fit"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| {
            let s = analyze_bytes(&file(&n), &Athlete::default()).unwrap();
            (n, s)
        })
        .collect()
}

/// The last day of the design, 2025-05-11 (k = 69).
fn today() -> i32 {
    days_from_civil(2025, 5, 11) as i32
}

/// The designed heart rate at a speed: HR = 50 + 140 · (VO2 − 3.5) / 51.5.
fn designed_hr(speed: f64) -> f64 {
    50.0 + 140.0 * (analysis::models::vdot::oxygen_cost(speed * 60.0) - 3.5) / 51.5
}

#[test]
fn the_folder_is_the_design() {
    let all = summaries();
    // 68 HRV nights, 70 monitoring days, 68 sleeps, 30 easy runs and a step test.
    assert_eq!(all.len(), 68 + 70 + 68 + 31);
    let runs = all.iter().filter(|(_, s)| s.sport == "running").count();
    assert_eq!(runs, 31);
    // Garmin's encoder, our decoder: what the wellness files of the last day carry.
    let hrv = analysis::decode(&file("2025-05-11-hrv.fit")).unwrap();
    let h = hrv.hrv_status.unwrap();
    assert_eq!(h.last_night_average, Some(44.0));
    assert_eq!(h.last_night_5_min_high, Some(47.0));
    assert_eq!(h.baseline_balanced_lower, Some(52.0));
    assert_eq!(h.status, Some(3)); // unbalanced
    assert_eq!(h.values, 90);
    let mon = analysis::decode(&file("2025-05-11-monitoring.fit")).unwrap();
    let m = mon.monitoring.unwrap();
    assert_eq!(m.resting_heart_rate, Some(56.0));
    assert_eq!(m.heart_rate_samples, 96);
    assert_eq!(m.min_heart_rate, Some(56.0));
    let sleep = analysis::decode(&file("2025-05-11-sleep.fit")).unwrap();
    let s = sleep.sleep.unwrap();
    // 6 h of minutes in 90-minute cycles (45 light, 30 deep, 15 REM), then one awake record.
    assert_eq!(s.level_messages, 361);
    assert_eq!(s.level_counts, [0, 1, 180, 120, 60]);
    assert_eq!(s.overall_score, Some(64.0));
    assert_eq!(s.awakenings, Some(4.0));
}

#[test]
fn hrv_band_resting_heart_rate_sleep_and_readiness_are_the_designed_ones() {
    let all = summaries();
    let history = History::from_summaries(all.iter().map(|(_, s)| s), &Athlete::default());
    assert_eq!(history.night_rmssd_ms.len(), 68);
    assert_eq!(history.resting_hr_bpm.len(), 70);
    let d = dashboard(
        &history,
        today(),
        &DashboardSettings::default(),
        &Athlete::default(),
    );
    assert_eq!(d.runs, 31);

    // HRV. The 7 nights k = 63..69 are 44 ms; the 60-day window k = 10..69 holds, besides them,
    // the even nights 10..62 but 40 (26 at 62 ms) and the odd ones 11..61 but 41 (25 at 54 ms).
    let (l62, l54, l44) = (62f64.ln(), 54f64.ln(), 44f64.ln());
    let mean = (26.0 * l62 + 25.0 * l54 + 7.0 * l44) / 58.0;
    let var =
        (26.0 * (l62 - mean).powi(2) + 25.0 * (l54 - mean).powi(2) + 7.0 * (l44 - mean).powi(2))
            / 57.0;
    let sd = var.sqrt();
    let hrv = d.hrv.status.as_ref().unwrap();
    assert_eq!(hrv.week_days, 7);
    assert_eq!(hrv.baseline_days, 58);
    assert!((hrv.rolling_ln - l44).abs() < 1e-12);
    assert!((hrv.baseline_ln - mean).abs() < 1e-12);
    assert!((hrv.baseline_sd - sd).abs() < 1e-12);
    // Rounded: 3.784 against 4.026 ± 0.5 · 0.112, the band 3.970–4.082.
    let r3 = |x: f64| (x * 1000.0).round() / 1000.0;
    assert_eq!(
        (
            r3(hrv.rolling_ln),
            r3(hrv.baseline_ln),
            r3(hrv.low),
            r3(hrv.high)
        ),
        (3.784, 4.026, 3.970, 4.082)
    );
    assert_eq!(hrv.band, Band::Below);
    // The band chart starts once 14 nights are in (k = 13, 2025-03-16) and has a point a day.
    assert_eq!(d.hrv.trend.first().unwrap().day, today() - 69 + 13);
    assert_eq!(d.hrv.trend.len(), 57);
    assert_eq!(d.hrv.nights.len(), 68);
    assert!(d.hrv.runs.is_empty());

    // Resting HR: 56 bpm for the last 7 days against 60 days k = 10..69 of 50 + (k mod 3) − 1
    // (k = 10..62: 18 at 51, 17 at 49, 18 at 50) and the 7 at 56: mean 3043/60.
    let rhr = d.resting_hr.status.as_ref().unwrap();
    assert_eq!(rhr.rolling_bpm, 56.0);
    assert_eq!((rhr.week_days, rhr.baseline_days), (7, 60));
    let base = (18.0 * 51.0 + 17.0 * 49.0 + 18.0 * 50.0 + 7.0 * 56.0) / 60.0;
    assert_eq!(base, 3_043.0 / 60.0);
    assert!((rhr.baseline_bpm - base).abs() < 1e-12);
    let sd = ((18.0 * (51.0 - base).powi(2)
        + 17.0 * (49.0 - base).powi(2)
        + 18.0 * (50.0 - base).powi(2)
        + 7.0 * (56.0 - base).powi(2))
        / 59.0)
        .sqrt();
    assert!((rhr.baseline_sd - sd).abs() < 1e-12);
    assert!((rhr.deviation_bpm - (56.0 - base)).abs() < 1e-12);
    // +5.3 bpm: above max(3 bpm, 1 SD = 2.1), below max(6 bpm, 2 SD): elevated, a caution.
    assert!(rhr.elevated);
    assert_eq!(d.resting_hr.days.len(), 70);

    // Sleep: the last week's 6 h nights scored 64.
    let sleep = &d.sleep;
    assert_eq!(
        sleep.last_score.map(|v| (v.day, v.value)),
        Some((today(), 64.0))
    );
    assert_eq!(sleep.last_duration.map(|v| v.value), Some(6.0 * 3_600.0));
    assert_eq!(sleep.week_score, Some((64.0, 7)));
    assert_eq!(sleep.nights, 68);
    // A night of the first weeks: k = 5 (2025-03-08), 5 mod 3 = 2, so 7 h 40 min scored 83.
    let k5 = today() - 64;
    let five = history.sleep_s.iter().find(|v| v.day == k5).unwrap();
    assert_eq!(five.value, 7.5 * 3_600.0 + 600.0);
    let score5 = history.sleep_score.iter().find(|v| v.day == k5).unwrap();
    assert_eq!(score5.value, 83.0);

    // Readiness: the HRV band and the resting heart rate are one caution each; steady training
    // leaves form neutral and last week's running easy: fatigued, driven by those two.
    let r = &d.readiness;
    let level = |k: SignalKind| r.signals.iter().find(|s| s.kind == k).unwrap().level;
    assert_eq!(level(SignalKind::Hrv), Level::Caution);
    assert_eq!(level(SignalKind::RestingHr), Level::Caution);
    assert_eq!(level(SignalKind::Load), Level::Neutral);
    assert_eq!(level(SignalKind::Intensity), Level::Neutral);
    assert_eq!(r.verdict, Verdict::Fatigued);
    assert_eq!(r.drivers, vec![SignalKind::Hrv, SignalKind::RestingHr]);

    // ACWR: the last 7 days hold 3 easy runs, the last 28 twelve and the step test, so the
    // ratio is (3E/7) / ((12E + S)/28) = 12E / (12E + S) with E and S their TRIMPs.
    let trimp = |name: &str| {
        all.iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, s)| s.load.trimp)
            .unwrap()
    };
    let (e, s) = (
        trimp("2025-05-11-easy-run.fit"),
        trimp("2025-05-03-step-test.fit"),
    );
    let ratio = d.acwr.point.unwrap().ratio.unwrap();
    assert!((ratio - 12.0 * e / (12.0 * e + s)).abs() < 1e-12);
    assert_eq!((ratio * 1000.0).round() / 1000.0, 0.917);
    // The chart: a ratio from the 28th day of load (the first run, k = 1, plus 27) to today.
    assert_eq!(d.acwr.series.len(), 69 - 28 + 1);
    assert_eq!(d.acwr.series.last(), d.acwr.point.as_ref());
    assert_eq!(d.acwr.sweet_spot, (0.8, 1.3));
}

#[test]
fn vo2max_of_the_step_test_comes_from_the_heart_rate_speed_line() {
    let s = analyze_bytes(&file("2025-05-03-step-test.fit"), &Athlete::default()).unwrap();
    let steady = &s.basis.as_ref().unwrap().steady;
    // Warm-up, four 6-minute steps and the cool-down, each less its first minute.
    assert_eq!(steady.len(), 6);
    for (seg, speed) in steady[1..5].iter().zip([3.0, 3.4, 3.8, 4.2]) {
        assert_eq!(seg.duration_s, 300.0);
        assert!((seg.speed_mps - speed).abs() < 1e-6, "{seg:?}");
        // Whole-bpm records, dithered: the mean is on the line to 1/300 bpm.
        assert!((seg.hr_bpm - designed_hr(speed)).abs() < 0.01, "{seg:?}");
    }
    // HRmax 190 (the default, and the design's): the line through the steps gives 55.
    let e = vo2max::from_segments(steady, 190.0, None).unwrap();
    assert_eq!(e.method, Vo2maxMethod::Regression);
    // The warm-up and cool-down (112 bpm) are under 65 % of HRmax and left out.
    assert_eq!(e.segments, 4);
    assert!((e.vo2max - 55.0).abs() < 0.01, "{}", e.vo2max);
    assert!(e.r2.unwrap() > 0.999_99);
    // Even with the resting heart rate known, spread-out speeds take the line.
    let with_rest = vo2max::from_segments(steady, 190.0, Some(50.0)).unwrap();
    assert_eq!(with_rest.method, Vo2maxMethod::Regression);

    // An easy run is at one pace: heart-rate reserve, which with HRrest 50 also gives 55.
    let easy = analyze_bytes(&file("2025-05-11-easy-run.fit"), &Athlete::default()).unwrap();
    let e = vo2max::from_segments(&easy.basis.unwrap().steady, 190.0, Some(50.0)).unwrap();
    assert_eq!(e.method, Vo2maxMethod::HeartRateReserve);
    assert!((e.vo2max - 55.0).abs() < 0.01, "{}", e.vo2max);

    // On the dashboard: the step test's point says regression; the monitored resting heart rate
    // (median 50 bpm) gives Uth's 15.3 · 190 / 50 = 58.14.
    let all = summaries();
    let history = History::from_summaries(all.iter().map(|(_, s)| s), &Athlete::default());
    let d = dashboard(
        &history,
        today(),
        &DashboardSettings::default(),
        &Athlete::default(),
    );
    let step_day = today() - 8;
    let p = d.vo2max.points.iter().find(|p| p.day == step_day).unwrap();
    assert_eq!(p.method, Vo2maxMethod::Regression);
    assert!((p.vo2max - 55.0).abs() < 0.01);
    assert_eq!(d.vo2max.hr_rest, 50.0);
    assert!(d.vo2max.hr_rest_known);
    assert!((d.vo2max.uth.unwrap() - 58.14).abs() < 1e-9);
    assert!((d.vo2max.current.unwrap() - 55.0).abs() < 0.01);
}
