//! Everything the dashboard shows, from the runs of a library, in one pure function so that the
//! browser and `stride predict --dashboard` compute the same numbers: fitness/fatigue/form
//! (CTL/ATL/TSB) day by day with the runner's load kind and time constants, ACWR with its
//! critique, weekly volume and load, the fitted Banister model, the readiness verdict, VO2max,
//! HRV and resting-HR trends, sleep, and race predictions for 5K, 10K, half and marathon
//! (Stride's predictor with the classic ones beside it).

use serde::{Deserialize, Serialize};

use super::banister::{self, BanisterFit};
use super::hrv::{self, HrvStatus, RestingHrStatus};
use super::load::{AcwrPoint, acwr};
use super::readiness::{self, Readiness, ReadinessInput};
use super::vo2max::{self, Vo2maxMethod};
use super::{
    DayValue, History, LoadKind, Pmc, PmcPoint, Prediction, RacePredictor, Rollup, RunPoint,
    Stride, daily_load,
};
use crate::Athlete;

/// The race distances the dashboard predicts, metres, with their names.
pub const RACE_TARGETS: [(f64, &str); 4] = [
    (5_000.0, "5K"),
    (10_000.0, "10K"),
    (21_097.5, "Half marathon"),
    (42_195.0, "Marathon"),
];

/// Weeks of volume and load shown.
pub const WEEKS_SHOWN: usize = 16;

/// Days of the trend charts (fitness, VO2max, HRV, resting HR).
pub const DAYS_SHOWN: i32 = 180;

/// The window of the current VO2max (the median of the runs' estimates in it), days.
pub const VO2MAX_WINDOW_DAYS: i32 = 42;

/// Best efforts shorter than this do not count as Banister performances (short bests inside
/// runs overstate VDOT), metres.
pub const BANISTER_MIN_EFFORT_M: f64 = 1_500.0;

/// The runner's choices for the dashboard: which load, and the fitness and fatigue time
/// constants. Kept with the settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DashboardSettings {
    /// The per-run load the models add up.
    pub load: LoadKind,
    /// Fitness (CTL) time constant, days.
    pub ctl_days: f64,
    /// Fatigue (ATL) time constant, days.
    pub atl_days: f64,
}

impl Default for DashboardSettings {
    fn default() -> Self {
        Self {
            load: LoadKind::Trimp,
            ctl_days: 42.0,
            atl_days: 7.0,
        }
    }
}

impl DashboardSettings {
    /// Why the time constants cannot be used, if they cannot: each 1–365 days, fatigue shorter
    /// than fitness.
    pub fn problem(&self) -> Option<String> {
        let ok = |d: f64| d.is_finite() && (1.0..=365.0).contains(&d);
        if !ok(self.ctl_days) || !ok(self.atl_days) {
            return Some("Time constants must be between 1 and 365 days.".to_owned());
        }
        (self.atl_days >= self.ctl_days)
            .then(|| "The fatigue time constant must be shorter than the fitness one.".to_owned())
    }

    /// These settings if usable, else the defaults.
    pub fn or_default(self) -> Self {
        if self.problem().is_none() {
            self
        } else {
            Self::default()
        }
    }
}

/// Today's acute:chronic workload ratio, shown only with its critique.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AcwrToday {
    /// Today's point; `None` without load. Its ratio is `None` before 28 days of history.
    pub point: Option<AcwrPoint>,
    /// The days of the last [`DAYS_SHOWN`] up to today that have a ratio, oldest first: the
    /// chart.
    #[serde(default)]
    pub series: Vec<AcwrPoint>,
    /// The ratio's "sweet spot" as usually quoted ([`super::load::ACWR_SWEET_SPOT`]), and what
    /// to make of it.
    #[serde(default)]
    pub sweet_spot: (f64, f64),
    /// [`super::load::ACWR_SWEET_SPOT_NOTE`].
    #[serde(default)]
    pub sweet_spot_note: String,
    /// How it is computed.
    pub method: String,
    /// Why it is not trusted ([`super::load::ACWR_CRITIQUE`]).
    pub critique: String,
}

/// The Banister model fitted to the runner's performances.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BanisterModel {
    /// The fit; `None` without any performance.
    pub fit: Option<BanisterFit>,
    /// Performances available (runs with a best effort of at least
    /// [`BANISTER_MIN_EFFORT_M`]).
    pub performances: usize,
    /// What a performance is here.
    pub performance: String,
    /// How the model is fitted ([`banister::METHOD`]).
    pub method: String,
    /// Where it comes from ([`banister::SOURCE`]).
    pub source: String,
}

/// One run's VO2max estimate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Vo2maxPoint {
    /// The run's day.
    pub day: i32,
    /// The estimate, ml/kg/min.
    pub vo2max: f64,
    /// How.
    pub method: Vo2maxMethod,
    /// Steady segments used.
    pub segments: usize,
    /// Their duration, s.
    pub duration_s: f64,
    /// The median of the estimates over the [`VO2MAX_WINDOW_DAYS`] ending this day.
    pub rolling: f64,
    /// Estimates in that window.
    pub rolling_n: usize,
}

/// VO2max from the runs (heart rate against speed over steady segments) and from the heart-rate
/// ratio.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vo2maxTrend {
    /// Per run, oldest first (runs up to today that allow an estimate).
    pub points: Vec<Vo2maxPoint>,
    /// The median of the estimates of the last [`VO2MAX_WINDOW_DAYS`] days.
    pub current: Option<f64>,
    /// Estimates behind `current`.
    pub current_n: usize,
    /// The maximum heart rate used, bpm.
    pub hr_max: f64,
    /// Where it comes from.
    pub hr_max_source: String,
    /// The resting heart rate used by the runs' estimates, bpm (the default 60 when neither set
    /// nor monitored).
    pub hr_rest: f64,
    /// Whether `hr_rest` is the runner's (set or monitored) rather than the default.
    pub hr_rest_known: bool,
    /// Uth's 15.3 · HRmax/HRrest, when the resting heart rate is known.
    pub uth: Option<f64>,
    /// Runs that had steady segments but gave no estimate, and runs without any.
    pub runs_without: usize,
    /// How it is computed, with the numbers.
    pub explanation: String,
}

/// Overnight HRV against its baseline band, and the runs' rMSSD.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HrvTrend {
    /// Today's status; `None` without enough nights.
    pub status: Option<HrvStatus>,
    /// The status on each day of the last [`DAYS_SHOWN`] that has enough nights.
    pub trend: Vec<HrvStatus>,
    /// Nights with an rMSSD in the last [`DAYS_SHOWN`] days (ms).
    pub nights: Vec<DayValue>,
    /// rMSSD during runs (ms), in the same window: exercise values, not comparable with the band.
    pub runs: Vec<DayValue>,
    /// How it is computed, or why there is not enough data.
    pub explanation: String,
}

/// The resting heart rate against its baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RestingHrTrend {
    /// Today's status; `None` without enough days.
    pub status: Option<RestingHrStatus>,
    /// The status on each day of the last [`DAYS_SHOWN`] that has enough days.
    pub trend: Vec<RestingHrStatus>,
    /// The days with a resting heart rate in the window, bpm.
    pub days: Vec<DayValue>,
    /// How it is computed, or why there is not enough data.
    pub explanation: String,
}

/// Sleep, where the files carry it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sleep {
    /// The latest night up to today with a score.
    pub last_score: Option<DayValue>,
    /// The latest night's time asleep, s.
    pub last_duration: Option<DayValue>,
    /// Mean score over the last 7 days, with the nights it rests on.
    pub week_score: Option<(f64, usize)>,
    /// Nights with sleep data in the library up to today.
    pub nights: usize,
}

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
    /// The settings used (the defaults when those given were not usable).
    pub settings: DashboardSettings,
    /// Fitness, fatigue and form from the first run to `today`.
    pub pmc: Vec<PmcPoint>,
    /// Today's point of `pmc`.
    pub current: Option<PmcPoint>,
    /// Runs without the chosen load (counted as zero).
    pub missing_load_runs: usize,
    /// The acute:chronic workload ratio today, with its critique.
    pub acwr: AcwrToday,
    /// The last [`WEEKS_SHOWN`] ISO weeks up to `today`, oldest first.
    pub weekly: Vec<Rollup>,
    /// The Banister model fitted to the runs' best efforts.
    pub banister: BanisterModel,
    /// The readiness verdict with its signals.
    pub readiness: Readiness,
    /// VO2max estimates and their trend.
    pub vo2max: Vo2maxTrend,
    /// Overnight HRV against its band.
    pub hrv: HrvTrend,
    /// Resting heart rate against its baseline.
    pub resting_hr: RestingHrTrend,
    /// Sleep.
    pub sleep: Sleep,
    /// Predictions for [`RACE_TARGETS`], from the best efforts inside the runs.
    pub predictions: Vec<RacePrediction>,
    /// Best efforts the predictions rest on.
    pub efforts: usize,
}

fn median(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

fn in_window(values: &[DayValue], from: i32, to: i32) -> Vec<DayValue> {
    values
        .iter()
        .copied()
        .filter(|v| v.day >= from && v.day <= to && v.value.is_finite())
        .collect()
}

/// VO2max per run and its trend (see [`Vo2maxTrend`]).
fn vo2max_trend(
    past: &[RunPoint],
    resting: &[DayValue],
    today: i32,
    athlete: &Athlete,
) -> Vo2maxTrend {
    let recorded = past
        .iter()
        .filter_map(|r| r.max_hr)
        .filter(|h| h.is_finite() && (100.0..=240.0).contains(h))
        .fold(f64::NAN, f64::max);
    let default_max = crate::metrics::load::DEFAULT_MAX_HR;
    let (hr_max, hr_max_source) = match athlete.max_hr {
        Some(m) => (m, format!("your maximum heart rate, {m:.0} bpm (Settings)")),
        None if recorded > default_max => (
            recorded,
            format!(
                "the highest heart rate in your runs, {recorded:.0} bpm (set yours in Settings)"
            ),
        ),
        None => (
            default_max,
            format!(
                "{default_max:.0} bpm assumed (set your maximum in Settings; the estimate moves with it)"
            ),
        ),
    };
    let recent_rest = {
        let mut v: Vec<f64> = in_window(resting, today - 59, today)
            .iter()
            .map(|d| d.value)
            .collect();
        median(&mut v)
    };
    let known_rest = athlete.rest_hr.or(recent_rest);
    // The runs' estimates need a resting heart rate when their speeds are too close for a line:
    // the loads' default stands in (and the explanation says so); Uth's formula takes only a
    // known one.
    let hr_rest = known_rest.unwrap_or(crate::metrics::load::DEFAULT_REST_HR);
    let mut points: Vec<Vo2maxPoint> = Vec::new();
    let mut runs_without = 0;
    let mut sorted: Vec<&RunPoint> = past.iter().collect();
    sorted.sort_by_key(|r| r.day);
    for r in sorted {
        match vo2max::from_segments(&r.steady, hr_max, Some(hr_rest)) {
            Some(e) => points.push(Vo2maxPoint {
                day: r.day,
                vo2max: e.vo2max,
                method: e.method,
                segments: e.segments,
                duration_s: e.duration_s,
                rolling: e.vo2max,
                rolling_n: 1,
            }),
            None => runs_without += 1,
        }
    }
    let rolling = |to: i32, points: &[Vo2maxPoint]| {
        let mut v: Vec<f64> = points
            .iter()
            .filter(|p| p.day > to - VO2MAX_WINDOW_DAYS && p.day <= to)
            .map(|p| p.vo2max)
            .collect();
        let n = v.len();
        (median(&mut v), n)
    };
    let all = points.clone();
    for p in &mut points {
        if let (Some(m), n) = rolling(p.day, &all) {
            p.rolling = m;
            p.rolling_n = n;
        }
    }
    let (current, current_n) = rolling(today, &all);
    let uth = known_rest.and_then(|rest| vo2max::uth(hr_max, rest));
    let rest_text = match (athlete.rest_hr, recent_rest) {
        (Some(r), _) => format!("your resting heart rate {r:.0} bpm (Settings)"),
        (None, Some(r)) => {
            format!("the median monitored resting heart rate of the last 60 days, {r:.0} bpm")
        }
        (None, None) => {
            "no resting heart rate (set it in Settings, or import monitoring files)".to_owned()
        }
    };
    let explanation = format!(
        "Each run's steady stretches (even grade-adjusted pace, settled heart rate, 2–10 min) give \
         heart rate against the oxygen cost of their speed (Daniels); the line through them, \
         extended to the maximum heart rate, gives VO2max (Firstbeat's approach; watches reach a \
         MAPE of 4–7 %, Passler et al. 2019). Maximum heart rate: {hr_max_source}. {} of {} runs \
         gave an estimate{}. Uth's 15.3 · HRmax/HRrest (SEE 2.7, {}) uses {rest_text}{}.",
        all.len(),
        all.len() + runs_without,
        match current {
            Some(c) => format!(
                "; the current value is the median of the {current_n} from the last {VO2MAX_WINDOW_DAYS} days, {c:.1} ml/kg/min"
            ),
            None => format!("; none in the last {VO2MAX_WINDOW_DAYS} days"),
        },
        vo2max::UTH_SOURCE,
        uth.map(|u| format!(": {u:.1} ml/kg/min"))
            .unwrap_or_default(),
    );
    Vo2maxTrend {
        points,
        current,
        current_n,
        hr_max,
        hr_max_source,
        hr_rest,
        hr_rest_known: known_rest.is_some(),
        uth,
        runs_without,
        explanation,
    }
}

/// The dashboard of `history` on `today` with the runner's `settings` (load kind, time
/// constants; the defaults when unusable) and `athlete` (heart-rate anchors for VO2max).
///
/// ```
/// use analysis::Athlete;
/// use analysis::models::{History, RunPoint, dashboard::{DashboardSettings, dashboard}};
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
/// let history = History { runs, ..History::default() };
/// let d = dashboard(&history, 20_068, &DashboardSettings::default(), &Athlete::default());
/// assert_eq!(d.runs, 35);
/// assert_eq!(d.pmc.len(), 69);
/// let today = d.current.unwrap();
/// assert!(today.ctl > 20.0 && today.ctl < 30.0);
/// let five_k = &d.predictions[0];
/// assert_eq!(five_k.label, "5K");
/// assert!(five_k.others.iter().any(|p| (p.seconds - 1_320.0).abs() < 1.0));
/// // Every run's 5 km effort is a Banister performance; no HRV or resting-HR data.
/// assert_eq!(d.banister.performances, 35);
/// assert!(d.hrv.status.is_none() && d.resting_hr.status.is_none());
/// ```
pub fn dashboard(
    history: &History,
    today: i32,
    settings: &DashboardSettings,
    athlete: &Athlete,
) -> Dashboard {
    let settings = settings.or_default();
    let load = settings.load;
    let pmc_model = Pmc::with_days(settings.ctl_days, settings.atl_days);
    let past: Vec<RunPoint> = history
        .runs
        .iter()
        .filter(|r| r.day <= today)
        .cloned()
        .collect();
    let daily = daily_load(&past, load, Some(today));
    let pmc = daily
        .as_ref()
        .and_then(|d| pmc_model.series(d, 0))
        .unwrap_or_default();
    let current = pmc.last().copied().filter(|p| p.day == today);
    let history_days = daily.as_ref().map_or(0, |d| d.values.len());

    let acwr_all = daily.as_ref().map(acwr);
    let acwr = AcwrToday {
        point: acwr_all
            .as_ref()
            .and_then(|a| a.points.last().copied())
            .filter(|p| p.day == today),
        series: acwr_all
            .as_ref()
            .map(|a| {
                a.points
                    .iter()
                    .filter(|p| p.ratio.is_some() && p.day > today - DAYS_SHOWN && p.day <= today)
                    .copied()
                    .collect()
            })
            .unwrap_or_default(),
        sweet_spot: super::load::ACWR_SWEET_SPOT,
        sweet_spot_note: super::load::ACWR_SWEET_SPOT_NOTE.to_owned(),
        method: acwr_all.as_ref().map_or_else(
            || "acute = mean daily load of the last 7 days, chronic = of the last 28".to_owned(),
            |a| a.method.clone(),
        ),
        critique: super::load::ACWR_CRITIQUE.to_owned(),
    };

    let weekly: Vec<Rollup> = super::weekly(&past, load)
        .into_iter()
        .filter(|w| w.end_day > today - 7 * WEEKS_SHOWN as i32)
        .collect();

    let performances = banister::performances_from_runs(&past, false, BANISTER_MIN_EFFORT_M);
    let banister = BanisterModel {
        fit: daily.as_ref().and_then(|d| banister::fit(d, &performances)),
        performances: performances.len(),
        performance: format!(
            "each run's best VDOT among its best efforts of {BANISTER_MIN_EFFORT_M:.0} m or more \
             (efforts inside easy runs are not maximal: the fit's error shows that noise)"
        ),
        method: banister::METHOD.to_owned(),
        source: banister::SOURCE.to_owned(),
    };

    let from = today - (DAYS_SHOWN - 1);
    let hrv_status = hrv::hrv_status(&history.night_rmssd_ms, today);
    let nights = in_window(&history.night_rmssd_ms, from, today);
    let hrv = HrvTrend {
        explanation: match &hrv_status {
            Some(s) => format!("{} ({})", s.explanation, hrv::SOURCE),
            None => format!(
                "Not enough overnight HRV: {} night(s) in the last 7 days and {} in the last 60 \
                 (at least {} and {} are needed; from HRV-status files of a watch). rMSSD during runs \
                 is shown apart: exercise lowers it, so it does not belong in the band.",
                in_window(&history.night_rmssd_ms, today - 6, today).len(),
                in_window(&history.night_rmssd_ms, today - 59, today).len(),
                hrv::MIN_WEEK_DAYS,
                hrv::MIN_BASELINE_DAYS
            ),
        },
        status: hrv_status.clone(),
        trend: hrv::hrv_trend(&history.night_rmssd_ms, from, today),
        nights,
        runs: past
            .iter()
            .filter(|r| r.day >= from)
            .filter_map(|r| {
                Some(DayValue {
                    day: r.day,
                    value: r.rmssd_ms?,
                })
            })
            .collect(),
    };
    let resting_status = hrv::resting_hr_status(&history.resting_hr_bpm, today);
    let resting_hr = RestingHrTrend {
        explanation: match &resting_status {
            Some(s) => s.explanation.clone(),
            None => format!(
                "Not enough resting heart rates: {} day(s) in the last 7 and {} in the last 60 (at \
                 least {} and {} are needed; from a watch's monitoring files).",
                in_window(&history.resting_hr_bpm, today - 6, today).len(),
                in_window(&history.resting_hr_bpm, today - 59, today).len(),
                hrv::MIN_WEEK_DAYS,
                hrv::MIN_BASELINE_DAYS
            ),
        },
        status: resting_status.clone(),
        trend: (from..=today)
            .filter_map(|d| hrv::resting_hr_status(&history.resting_hr_bpm, d))
            .collect(),
        days: in_window(&history.resting_hr_bpm, from, today),
    };
    let week_scores = in_window(&history.sleep_score, today - 6, today);
    let sleep = Sleep {
        last_score: history
            .sleep_score
            .iter()
            .rev()
            .find(|v| v.day <= today)
            .copied(),
        last_duration: history
            .sleep_s
            .iter()
            .rev()
            .find(|v| v.day <= today)
            .copied(),
        week_score: (!week_scores.is_empty()).then(|| {
            (
                week_scores.iter().map(|v| v.value).sum::<f64>() / week_scores.len() as f64,
                week_scores.len(),
            )
        }),
        nights: history
            .sleep_score
            .iter()
            .filter(|v| v.day <= today)
            .count(),
    };

    let intensity = readiness::intensity_last_week(&past, today);
    let readiness = readiness::assess(&ReadinessInput {
        pmc: current,
        history_days,
        hrv: hrv_status,
        resting_hr: resting_status,
        intensity,
    });

    let vo2max = vo2max_trend(&past, &history.resting_hr_bpm, today, athlete);

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
        settings,
        pmc,
        current,
        missing_load_runs: daily.map_or(0, |d| d.missing_runs),
        acwr,
        weekly,
        banister,
        readiness,
        vo2max,
        hrv,
        resting_hr,
        sleep,
        predictions,
        efforts: efforts.len(),
    }
}
