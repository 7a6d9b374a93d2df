//! Everything the dashboard shows, from the runs of a library, in one pure function so that the
//! browser and `stride dashboard` compute the same numbers: fitness/fatigue/form (CTL/ATL/TSB)
//! day by day, weekly volume and load, the readiness verdict, and race predictions for 5K, 10K,
//! half and marathon (Stride's predictor with the classic ones beside it).

use serde::{Deserialize, Serialize};

use super::readiness::{self, Intensity, Readiness, ReadinessInput};
use super::{
    LoadKind, Pmc, PmcPoint, Prediction, RacePredictor, Rollup, RunPoint, Stride, daily_load,
};

/// The race distances the dashboard predicts, metres, with their names.
pub const RACE_TARGETS: [(f64, &str); 4] = [
    (5_000.0, "5K"),
    (10_000.0, "10K"),
    (21_097.5, "Half marathon"),
    (42_195.0, "Marathon"),
];

/// Weeks of volume and load shown.
pub const WEEKS_SHOWN: usize = 16;

/// One race distance's predictions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RacePrediction {
    /// The distance, metres.
    pub target_m: f64,
    /// Its name.
    pub label: String,
    /// Stride's prediction (personal endurance, adjusted by form), when the efforts allow it.
    pub stride: Option<Prediction>,
    /// Riegel, VDOT, Cameron and critical speed, those that can predict it.
    pub others: Vec<Prediction>,
}

/// The dashboard of a library on one day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    /// The day (days since 1970-01-01).
    pub today: i32,
    /// Running activities up to `today`.
    pub runs: usize,
    /// The load the fitness model adds up.
    pub load: LoadKind,
    /// Fitness, fatigue and form from the first run to `today`.
    pub pmc: Vec<PmcPoint>,
    /// Today's point of `pmc`.
    pub current: Option<PmcPoint>,
    /// Runs without the chosen load (counted as zero).
    pub missing_load_runs: usize,
    /// The last [`WEEKS_SHOWN`] ISO weeks up to `today`, oldest first.
    pub weekly: Vec<Rollup>,
    /// The readiness verdict with its signals.
    pub readiness: Readiness,
    /// Predictions for [`RACE_TARGETS`], from the best efforts inside the runs.
    pub predictions: Vec<RacePrediction>,
    /// Best efforts the predictions rest on.
    pub efforts: usize,
}

/// The dashboard of `runs` on `today` with `load` as the daily load.
///
/// ```
/// use analysis::models::{LoadKind, RunPoint, dashboard::dashboard};
/// // Ten weeks of a run every other day, TRIMP 60, with a 5 km effort of 22:00 in each.
/// let runs: Vec<RunPoint> = (0..35)
///     .map(|k| RunPoint {
///         day: 20_000 + 2 * k,
///         distance_m: 8_000.0,
///         duration_s: 2_800.0,
///         trimp: Some(60.0),
///         efforts: vec![(5_000.0, 1_320.0)],
///         ..RunPoint::default()
///     })
///     .collect();
/// let d = dashboard(&runs, 20_068, LoadKind::Trimp);
/// assert_eq!(d.runs, 35);
/// assert_eq!(d.pmc.len(), 69);
/// let today = d.current.unwrap();
/// assert!(today.ctl > 20.0 && today.ctl < 30.0);
/// let five_k = &d.predictions[0];
/// assert_eq!(five_k.label, "5K");
/// assert!(five_k.others.iter().any(|p| (p.seconds - 1_320.0).abs() < 1.0));
/// ```
pub fn dashboard(runs: &[RunPoint], today: i32, load: LoadKind) -> Dashboard {
    let past: Vec<RunPoint> = runs.iter().filter(|r| r.day <= today).cloned().collect();
    let daily = daily_load(&past, load, Some(today));
    let pmc = daily
        .as_ref()
        .and_then(|d| Pmc::default().series(d, 0))
        .unwrap_or_default();
    let current = pmc.last().copied().filter(|p| p.day == today);
    let history_days = daily.as_ref().map_or(0, |d| d.values.len());

    let weekly: Vec<Rollup> = super::weekly(&past, load)
        .into_iter()
        .filter(|w| w.end_day > today - 7 * WEEKS_SHOWN as i32)
        .collect();
    let week: Vec<&RunPoint> = past.iter().filter(|r| r.day > today - 7).collect();
    let intensity = week.iter().any(|r| r.hard_s.is_some()).then(|| Intensity {
        hard_s: week.iter().filter_map(|r| r.hard_s).sum(),
        total_s: week.iter().map(|r| r.duration_s).sum(),
    });
    let readiness = readiness::assess(&ReadinessInput {
        pmc: current,
        history_days,
        hrv: None,
        resting_hr: None,
        intensity,
    });

    let (stride, efforts) = Stride::from_history(&past, load, today);
    let predictions = RACE_TARGETS
        .iter()
        .map(|&(target_m, label)| RacePrediction {
            target_m,
            label: label.to_owned(),
            stride: stride.predict(&efforts, target_m),
            others: super::predict_all(&efforts, target_m)
                .into_iter()
                .filter(|p| p.method != super::Method::Stride)
                .collect(),
        })
        .collect();
    Dashboard {
        today,
        runs: past.len(),
        load,
        pmc,
        current,
        missing_load_runs: daily.map_or(0, |d| d.missing_runs),
        weekly,
        readiness,
        predictions,
        efforts: efforts.len(),
    }
}
