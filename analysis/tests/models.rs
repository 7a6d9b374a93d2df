//! End-to-end flows of the athlete models on synthetic histories, and their properties.

#![cfg(not(target_arch = "wasm32"))]

use analysis::models::hrv::{Band, hrv_status, rmssd};
use analysis::models::readiness::{Verdict, assess_history};
use analysis::models::{
    DayValue, Effort, FitStatus, LoadKind, Method, Pmc, RacePredictor, RunPoint, Stride, banister,
    daily_load, predict, predict_all, weekly,
};
use proptest::prelude::*;

const HALF: f64 = 21_097.5;
const MARATHON: f64 = 42_195.0;
/// 2024-01-01, a Monday.
const START: i32 = 19_723;

/// Twelve weeks: nine building (five runs a week, load rising 5 % a week), a recovery week in
/// week 4, then a three-week taper to a race.
fn twelve_weeks() -> Vec<RunPoint> {
    let mut runs = Vec::new();
    for week in 0..12 {
        let scale = match week {
            3 => 0.6,
            9 => 0.7,
            10 => 0.5,
            11 => 0.3,
            w => 1.05f64.powi(w),
        };
        for (dow, base) in [(0, 60.0), (1, 90.0), (3, 70.0), (4, 110.0), (6, 150.0)] {
            let load: f64 = base * scale;
            runs.push(RunPoint {
                day: START + week * 7 + dow,
                distance_m: load * 120.0,
                duration_s: load * 36.0,
                trimp: Some(load),
                hard_s: Some(if dow == 4 { load * 8.0 } else { 0.0 }),
                ..Default::default()
            });
        }
    }
    runs
}

#[test]
fn taper_raises_form() {
    let runs = twelve_weeks();
    let daily = daily_load(&runs, LoadKind::Trimp, Some(START + 83)).unwrap();
    assert_eq!(daily.values.len(), 84);
    let pmc = Pmc::default().series(&daily, 0).unwrap();
    let before_taper = pmc[62]; // end of week 9
    let race_day = pmc[83];
    assert!(before_taper.tsb < -10.0, "{before_taper:?}");
    assert!(race_day.tsb > 0.0, "{race_day:?}");
    assert!(race_day.tsb > before_taper.tsb + 20.0);
    // Fitness falls only a little while fatigue drains.
    assert!(race_day.ctl > 0.8 * before_taper.ctl);
    assert!(race_day.atl < 0.5 * before_taper.atl);

    let weeks = weekly(&runs, LoadKind::Trimp);
    assert_eq!(weeks.len(), 12);
    assert_eq!(weeks[0].label, "2024-W01");
    assert!(weeks.iter().all(|w| w.runs == 5));
    assert!((weeks[0].load - 480.0).abs() < 1e-9);

    // The readiness verdict follows: training, then fresh on race day.
    let productive = assess_history(
        &runs,
        LoadKind::Trimp,
        &Pmc::default(),
        &[],
        &[],
        START + 55,
    );
    assert!(
        matches!(productive.verdict, Verdict::Productive | Verdict::Fatigued),
        "{productive:?}"
    );
    let race = assess_history(
        &runs,
        LoadKind::Trimp,
        &Pmc::default(),
        &[],
        &[],
        START + 83,
    );
    assert_eq!(race.verdict, Verdict::Fresh, "{}", race.summary);
    // Only six weeks of data at day 20: not yet a verdict.
    let early = assess_history(
        &runs,
        LoadKind::Trimp,
        &Pmc::default(),
        &[],
        &[],
        START + 20,
    );
    assert_eq!(early.verdict, Verdict::InsufficientData);
}

/// A runner whose efforts follow T = 1200 s · (D/5000)^1.08, found inside runs over eight
/// weeks, with a 5K and a half marathon race.
fn runner_108() -> Vec<RunPoint> {
    let t = |d: f64| 1_200.0 * (d / 5_000.0).powf(1.08);
    let mut runs = Vec::new();
    for (i, (d, race)) in [
        (1_609.344, false),
        (3_000.0, false),
        (5_000.0, true),
        (10_000.0, false),
        (15_000.0, false),
        (HALF, true),
    ]
    .into_iter()
    .enumerate()
    {
        runs.push(RunPoint {
            day: START + 7 * i as i32,
            distance_m: d.max(8_000.0),
            duration_s: t(d.max(8_000.0)),
            race,
            efforts: vec![(d, t(d))],
            ..Default::default()
        });
        // An easy run the same week whose best efforts are far off the runner's ability.
        runs.push(RunPoint {
            day: START + 7 * i as i32 + 2,
            distance_m: 12_000.0,
            duration_s: 4_300.0,
            efforts: vec![(5_000.0, 1_750.0), (10_000.0, 3_550.0)],
            ..Default::default()
        });
    }
    runs
}

#[test]
fn personal_exponent_is_recovered_from_a_history() {
    let runs = runner_108();
    let (stride, efforts) = Stride::from_history(&runs, LoadKind::Trimp, START + 40);
    let fit = stride.fit(&efforts).unwrap();
    assert!((fit.exponent - 1.08).abs() < 0.01, "{fit:?}");
    assert_eq!(fit.efforts.len(), 6);
    assert_eq!(
        fit.dropped, 0,
        "the slow easy-run efforts lose to the fast ones per distance"
    );
    // Inside the runner's range the prediction is their own power law.
    let p10 = stride.predict(&efforts, 10_000.0).unwrap();
    assert!((p10.seconds / (1_200.0 * 2f64.powf(1.08)) - 1.0).abs() < 0.005);
    // The marathon is the runner's power law plus the population's fade past the half.
    let pm = stride.predict(&efforts, MARATHON).unwrap();
    let power_law = 1_200.0 * (MARATHON / 5_000.0).powf(1.08);
    let fade = (stride.population.fade * stride.population.h(MARATHON)).exp();
    assert!(
        (pm.seconds / (power_law * fade) - 1.0).abs() < 0.01,
        "{} vs {}",
        pm.seconds,
        power_law * fade
    );
    assert!(pm.low_s < power_law && power_law * fade < pm.high_s);
    assert!(
        pm.explanation
            .contains(&format!("exponent {:.3}", fit.exponent)),
        "{}",
        pm.explanation
    );
    // No loads in this history: no form adjustment.
    assert_eq!(stride.form, None);
}

#[test]
fn banister_from_a_history() {
    // Eight months of training with a race-pace effort every week, its VDOT following a known
    // Banister response to the load.
    let truth = analysis::models::BanisterParams {
        p0: 42.0,
        k1: 0.02,
        k2: 0.05,
        tau1: 45.0,
        tau2: 8.0,
    };
    let mut runs: Vec<RunPoint> = (0..240)
        .filter(|d| d % 7 != 2)
        .map(|d| RunPoint {
            day: START + d,
            trimp: Some(
                40.0 + 40.0 * f64::from((d / 30) % 3) + if d % 7 == 5 { 60.0 } else { 0.0 },
            ),
            ..Default::default()
        })
        .collect();
    let daily = daily_load(&runs, LoadKind::Trimp, None).unwrap();
    let modelled = truth.series(&daily, START + 239);
    for week in 2..34 {
        let day = START + week * 7 + 2;
        let vdot = modelled[(day - START) as usize].1;
        let t = analysis::models::vdot::time_for(vdot, 5_000.0).unwrap();
        runs.push(RunPoint {
            day,
            efforts: vec![(5_000.0, t)],
            ..Default::default()
        });
    }
    let perfs = banister::performances_from_runs(&runs, false, 1_500.0);
    assert_eq!(perfs.len(), 32);
    let fit = banister::fit(&daily, &perfs).unwrap();
    assert_eq!(fit.status, FitStatus::Fitted);
    assert_eq!((fit.params.tau1, fit.params.tau2), (45.0, 8.0), "{fit:?}");
    assert!(fit.rmse < 0.01);
}

#[test]
fn hrv_from_rr_intervals_to_the_band() {
    // Sixty mornings of five-minute RR recordings: normal variability, then a week of low
    // variability.
    let mut mornings = Vec::new();
    for day in 0..60 {
        let swing = if day >= 53 {
            0.025
        } else if day % 2 == 0 {
            0.045
        } else {
            0.055
        };
        let mut rr: Vec<f64> = (0..300)
            .map(|i| if i % 2 == 0 { 1.0 } else { 1.0 + swing })
            .collect();
        rr[100] = 2.1; // a missed beat
        let r = rmssd(&rr).unwrap();
        assert_eq!(r.beats_rejected, 1);
        mornings.push(DayValue {
            day,
            value: r.rmssd_ms,
        });
    }
    let s = hrv_status(&mornings, 59).unwrap();
    assert_eq!(s.band, Band::Below, "{}", s.explanation);
    assert!((s.rolling_ln - 25f64.ln()).abs() < 1e-6);
    let earlier = hrv_status(&mornings, 52).unwrap();
    assert_eq!(earlier.band, Band::Within);
    // Serialises for the browser.
    let json = serde_json::to_string(&s).unwrap();
    assert!(json.contains("\"band\":\"below\""));
}

#[test]
fn predictions_serialise_for_the_command_line() {
    let p = predict(Method::Auto, &[Effort::race(5_000.0, 1_200.0)], 10_000.0).unwrap();
    let json = serde_json::to_value(p.summary()).unwrap();
    assert_eq!(json["method"], "stride");
    assert_eq!(json["target_m"], 10_000.0);
    for key in ["seconds", "low_s", "high_s"] {
        assert!(json[key].as_f64().unwrap() > 2_000.0, "{key}");
    }
    let back: analysis::models::Prediction =
        serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
    assert_eq!(back, p);
    let cs = predict(
        Method::CriticalSpeed,
        &[Effort::new(1_000.0, 200.0), Effort::new(3_000.0, 700.0)],
        5_000.0,
    )
    .unwrap();
    assert_eq!(serde_json::to_value(cs.summary()).unwrap()["method"], "cs");
}

fn methods() -> impl Strategy<Value = Method> {
    prop::sample::select(Method::ALL.to_vec())
}

proptest! {
    #[test]
    fn predictions_grow_with_distance(
        method in methods(),
        speed in 2.5f64..6.0,
        d1 in 1_000.0f64..3_000.0,
        ratio in 1.3f64..2.5,
        a in 800.0f64..100_000.0,
        b in 800.0f64..100_000.0,
    ) {
        // Two efforts (so critical speed has a line) from a plausible runner.
        let d2 = d1 * ratio;
        let efforts = [
            Effort::race(d1, d1 / speed),
            Effort::race(d2, d2 / speed * ratio.powf(0.07)),
        ];
        let (lo, hi) = if a < b { (a, b) } else { (b, a) };
        prop_assume!(hi > lo * 1.001);
        let (p, q) = (predict(method, &efforts, lo), predict(method, &efforts, hi));
        if let (Some(p), Some(q)) = (p, q) {
            prop_assert!(q.seconds > p.seconds, "{method}: {lo} m {} s, {hi} m {} s", p.seconds, q.seconds);
            prop_assert!(p.low_s <= p.seconds && p.seconds <= p.high_s);
        }
    }

    #[test]
    fn ctl_and_atl_stay_within_the_daily_loads(loads in prop::collection::vec(0.0f64..400.0, 1..300)) {
        let max = loads.iter().copied().fold(0.0, f64::max);
        let daily = analysis::models::DailySeries { first_day: 0, values: loads, missing_runs: 0 };
        for p in Pmc::default().series(&daily, 30).unwrap() {
            prop_assert!(p.ctl >= 0.0 && p.ctl <= max + 1e-9);
            prop_assert!(p.atl >= 0.0 && p.atl <= max + 1e-9);
            prop_assert!(p.tsb.abs() <= max + 1e-9);
        }
    }

    #[test]
    fn stride_never_panics_on_odd_efforts(
        efforts in prop::collection::vec((any::<f64>(), any::<f64>(), any::<bool>()), 0..8),
        target in any::<f64>(),
    ) {
        let efforts: Vec<Effort> = efforts
            .into_iter()
            .map(|(d, s, race)| Effort { race, ..Effort::new(d, s) })
            .collect();
        for p in predict_all(&efforts, target) {
            prop_assert!(p.seconds.is_finite() && p.seconds > 0.0);
        }
        let _ = Stride::default().fit(&efforts);
    }

    #[test]
    fn rmssd_never_panics(rr in prop::collection::vec(any::<f64>(), 0..200)) {
        if let Some(r) = rmssd(&rr) {
            prop_assert!(r.rmssd_ms.is_finite() && r.rmssd_ms > 0.0);
        }
    }
}

#[test]
fn every_predictor_names_its_method() {
    let stride = Stride::default();
    let predictors: [&dyn RacePredictor; 5] = [
        &stride,
        &analysis::models::Riegel::default(),
        &analysis::models::Vdot,
        &analysis::models::Cameron,
        &analysis::models::CriticalSpeed::default(),
    ];
    for (p, m) in predictors.iter().zip(Method::ALL) {
        assert_eq!(p.method(), m);
        assert!(!p.name().is_empty() && !p.source().is_empty() && !p.how().is_empty());
    }
}

proptest! {
    #[test]
    fn histories_with_any_days_never_panic(
        days in prop::collection::vec(any::<i32>(), 0..6),
        today in any::<i32>(),
    ) {
        let runs: Vec<RunPoint> = days
            .iter()
            .map(|&day| RunPoint {
                day,
                distance_m: 10_000.0,
                duration_s: 3_000.0,
                trimp: Some(80.0),
                hard_s: Some(600.0),
                efforts: vec![(5_000.0, 1_400.0)],
                ..Default::default()
            })
            .collect();
        let mornings: Vec<DayValue> = days.iter().map(|&day| DayValue { day, value: 60.0 }).collect();
        let _ = weekly(&runs, LoadKind::Trimp);
        let _ = analysis::models::monthly(&runs, LoadKind::Trimp);
        if let Some(d) = daily_load(&runs, LoadKind::Trimp, Some(today)) {
            let _ = Pmc::default().at(&d, today);
            let _ = analysis::models::acwr(&d);
            let _ = banister::fit(&d, &banister::performances_from_runs(&runs, false, 1_500.0));
        }
        let _ = assess_history(&runs, LoadKind::Trimp, &Pmc::default(), &mornings, &mornings, today);
        let (stride, efforts) = Stride::from_history(&runs, LoadKind::Trimp, today);
        let _ = stride.predict(&efforts, MARATHON);
        let _ = analysis::models::hrv::hrv_trend(&mornings, today.saturating_sub(100), today);
    }
}

/// The dashboard with overnight HRV and resting heart rates: a week of low HRV and a raised
/// resting heart rate after two months of normal ones makes the verdict name both, and the trend
/// charts have their bands.
#[test]
fn dashboard_reads_hrv_and_resting_heart_rate() {
    use analysis::Athlete;
    use analysis::models::History;
    use analysis::models::dashboard::{DashboardSettings, dashboard};
    let runs = twelve_weeks();
    let today = START + 83;
    let mut nights = Vec::new();
    let mut resting = Vec::new();
    for d in START + 20..=today {
        let late = d > today - 7;
        let wobble = f64::from(d % 3) - 1.0;
        nights.push(DayValue {
            day: d,
            value: if late { 38.0 } else { 60.0 + 4.0 * wobble },
        });
        resting.push(DayValue {
            day: d,
            value: if late { 56.0 } else { 47.0 + wobble },
        });
    }
    let history = History {
        runs,
        night_rmssd_ms: nights.clone(),
        resting_hr_bpm: resting,
        ..History::default()
    };
    let d = dashboard(
        &history,
        today,
        &DashboardSettings::default(),
        &Athlete::default(),
    );
    let hrv = d.hrv.status.as_ref().unwrap();
    assert_eq!(hrv.band, Band::Below);
    assert_eq!(hrv.week_days, 7);
    assert_eq!(hrv.baseline_days, 60);
    // The chart's trend starts once 14 nights are in the baseline.
    assert_eq!(d.hrv.trend.first().unwrap().day, START + 20 + 13);
    assert_eq!(d.hrv.nights.len(), nights.len());
    let rhr = d.resting_hr.status.as_ref().unwrap();
    assert!(rhr.elevated, "{rhr:?}");
    assert!((rhr.rolling_bpm - 56.0).abs() < 1e-9);
    use analysis::models::readiness::SignalKind;
    assert!(d.readiness.drivers.contains(&SignalKind::Hrv));
    assert!(d.readiness.drivers.contains(&SignalKind::RestingHr));
    assert!(matches!(
        d.readiness.verdict,
        Verdict::Fatigued | Verdict::Strained
    ));
    // The same library with other time constants: CTL as the PMC model computes it.
    let s = DashboardSettings {
        load: LoadKind::Trimp,
        ctl_days: 28.0,
        atl_days: 4.0,
    };
    let other = dashboard(&history, today, &s, &Athlete::default());
    let daily = daily_load(&history.runs, LoadKind::Trimp, Some(today)).unwrap();
    let expected = Pmc::with_days(28.0, 4.0).at(&daily, today).unwrap();
    assert_eq!(other.current, Some(expected));
    // With a resting heart rate known (monitored), Uth's VO2max appears: 15.3 · 190 / median.
    assert!(d.vo2max.hr_rest_known);
    let uth = d.vo2max.uth.unwrap();
    assert!((uth - 15.3 * 190.0 / 47.0).abs() < 1e-9, "{uth}");
}
