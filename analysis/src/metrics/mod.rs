//! Per-run metrics: one file per metric (or per small family), one static, test-checked
//! registry [`ALL`](crate::metrics::ALL) walked in order by
//! [`compute_all`](crate::metrics::compute_all).
//!
//! The contract follows GoldenCheetah's `RideMetric`: a stable id that is stored and never
//! renamed, a display label, an SI unit, how values roll up over weeks, whether lower is better,
//! and the ids of the metrics it needs, which must come earlier in `ALL`. Missing data is not
//! an error: a metric that cannot be computed returns `None` and is absent from
//! [`MetricValues`].

use std::cell::OnceCell;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::quality::GpsQuality;
use crate::{Activity, Athlete};

/// The series metrics share: the run's records, timer time, distance, smoothed speed.
pub mod run;
pub use run::Timeline;

/// Distance.
pub mod distance;
pub use distance::Distance;

/// Elapsed, timer and moving time.
pub mod time;
pub use time::{ElapsedTime, MovingTime, TimerTime};

/// Average and maximum speed, average pace.
pub mod speed;
pub use speed::{AvgPace, AvgSpeed, MaxSpeed};

/// Average and maximum heart rate.
pub mod heart_rate;
pub use heart_rate::{AvgHr, MaxHr};

/// Average and maximum cadence in steps per minute.
pub mod cadence;
pub use cadence::{AvgCadence, MaxCadence};

/// Ascent and descent with hysteresis.
pub mod elevation;
pub use elevation::{Ascent, Descent, Hysteresis};

/// Energy from the device.
pub mod calories;
pub use calories::Calories;

/// Heart-rate load: Banister TRIMP and hrTSS.
pub mod load;
pub use load::{HrAnchors, HrTss, Trimp};

/// What the loads rest on, independent of the runner's settings (recomputed cheaply).
pub mod load_basis;
pub use load_basis::LoadBasis;

/// Steady stretches of a run (even pace, settled heart rate), for VO2max.
pub mod steady;
pub use steady::steady_segments;

/// Average and maximum power.
pub mod power;
pub use power::{AvgPower, MaxPower};

/// Running dynamics averages.
pub mod dynamics;
pub use dynamics::{
    AVG_STANCE_BALANCE, AVG_STANCE_TIME, AVG_STEP_LENGTH, AVG_VERTICAL_OSCILLATION,
    AVG_VERTICAL_RATIO, DynamicsAverage,
};

/// Best efforts over standard distances.
pub mod best_efforts;
pub use best_efforts::{BestEffort, BestTime, STANDARD_DISTANCES, StandardDistance};

/// Grade-adjusted speed and pace (Minetti).
pub mod gap;
pub use gap::{AvgGapPace, AvgGapSpeed};

/// Normalised graded speed and rTSS.
pub mod rtss;
pub use rtss::{NgpSpeed, Rtss};

/// Friel's efficiency factor.
pub mod efficiency;
pub use efficiency::EfficiencyFactor;

/// Aerobic decoupling (Pa:HR).
pub mod decoupling;
pub use decoupling::AerobicDecoupling;

/// GPS quality score and corrected distance.
pub mod gps;
pub use gps::{GpsDistance, GpsQualityScore};

/// The unit a metric's value is in; always SI (D8), the UI converts for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unit {
    /// Metres.
    Meters,
    /// Seconds.
    Seconds,
    /// Metres per second.
    MetersPerSecond,
    /// Seconds per metre (pace).
    SecondsPerMeter,
    /// Beats per minute.
    Bpm,
    /// Steps per minute.
    StepsPerMinute,
    /// Watts.
    Watts,
    /// Kilocalories.
    Kilocalories,
    /// Percent (0–100).
    Percent,
    /// A dimensionless ratio or score (TRIMP, TSS, efficiency factor, a 0–100 quality score).
    Number,
}

/// How a metric's values combine over several runs (weekly and plan totals).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rollup {
    /// Added up (distance, time, load).
    Sum,
    /// Averaged, weighted by each run's duration.
    WeightedMean,
    /// The largest value.
    Max,
    /// The smallest value.
    Min,
}

/// What a metric is, independent of any run.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct MetricInfo {
    /// The stable key, stored in databases and used as `data-metric` in the UI; never renamed.
    pub id: &'static str,
    /// The display label.
    pub label: &'static str,
    /// What it measures and how, in a sentence a runner reads (the run page's tile tooltip).
    pub description: &'static str,
    /// The SI unit of the value.
    pub unit: Unit,
    /// How values roll up over several runs.
    pub rollup: Rollup,
    /// Whether a lower value is better (pace, times).
    pub lower_is_better: bool,
    /// Ids of the metrics whose values [`Metric::compute`] reads; all earlier in [`ALL`].
    pub needs: &'static [&'static str],
}

/// One per-run metric.
pub trait Metric: Sync {
    /// What this metric is.
    fn info(&self) -> &'static MetricInfo;
    /// Whether the metric means anything for this run (e.g. cadence in steps for runs only).
    fn applies_to(&self, _run: &Run<'_>) -> bool {
        true
    }
    /// The value, or `None` when the run lacks the data.
    fn compute(&self, run: &Run<'_>, so_far: &MetricValues) -> Option<f64>;
}

/// Every metric, in computing order: a metric's `needs` come before it.
pub static ALL: &[&dyn Metric] = &[
    &Distance,
    &ElapsedTime,
    &TimerTime,
    &MovingTime,
    &AvgSpeed,
    &MaxSpeed,
    &AvgPace,
    &AvgHr,
    &MaxHr,
    &AvgCadence,
    &MaxCadence,
    &Ascent,
    &Descent,
    &Calories,
    &Trimp,
    &HrTss,
    &AvgPower,
    &MaxPower,
    &AVG_STANCE_TIME,
    &AVG_VERTICAL_OSCILLATION,
    &AVG_VERTICAL_RATIO,
    &AVG_STEP_LENGTH,
    &AVG_STANCE_BALANCE,
    &BestTime(0),
    &BestTime(1),
    &BestTime(2),
    &BestTime(3),
    &BestTime(4),
    &BestTime(5),
    &BestTime(6),
    &BestTime(7),
    &BestTime(8),
    &BestTime(9),
    &AvgGapSpeed,
    &AvgGapPace,
    &NgpSpeed,
    &Rtss,
    &EfficiencyFactor,
    &AerobicDecoupling,
    &GpsQualityScore,
    &GpsDistance,
];

/// The metric with this id.
pub fn find(id: &str) -> Option<&'static dyn Metric> {
    ALL.iter().copied().find(|m| m.info().id == id)
}

/// A run being analysed: the activity, the runner's settings, and derived series computed once,
/// on first use, and shared by every metric that needs them.
pub struct Run<'a> {
    /// The decoded activity.
    pub activity: &'a Activity,
    /// The runner's settings.
    pub athlete: &'a Athlete,
    // Derived series go here as private `OnceCell` fields behind accessor methods, so each is
    // computed at most once per run, by whichever metric asks first.
    /// The records this run covers (see `run.rs`).
    range: Range<usize>,
    /// The session this run is limited to, if any.
    session: Option<usize>,
    timeline: OnceCell<run::Timeline>,
    distance: OnceCell<Option<Vec<f64>>>,
    speed: OnceCell<Option<Vec<f64>>>,
    best_efforts: OnceCell<Vec<BestEffort>>,
    timer: OnceCell<Vec<f64>>,
    record_speed: OnceCell<Option<Vec<f64>>>,
    grade: OnceCell<Option<Vec<f64>>>,
    gap_speed: OnceCell<Option<Vec<f64>>>,
    gps: OnceCell<Option<GpsQuality>>,
}

impl<'a> Run<'a> {
    /// A run ready to be measured: every record of the activity.
    pub fn new(activity: &'a Activity, athlete: &'a Athlete) -> Self {
        Self {
            activity,
            athlete,
            range: run::plausible_records(&activity.records.time),
            session: None,
            timeline: OnceCell::new(),
            distance: OnceCell::new(),
            speed: OnceCell::new(),
            best_efforts: OnceCell::new(),
            timer: OnceCell::new(),
            record_speed: OnceCell::new(),
            grade: OnceCell::new(),
            gap_speed: OnceCell::new(),
            gps: OnceCell::new(),
        }
    }

    /// The timer seconds each record closes ([`timer_durations`](crate::series::timer_durations)).
    pub fn timer_durations(&self) -> &[f64] {
        self.timer.get_or_init(|| {
            crate::series::timer_durations(&self.activity.records.time, &self.activity.events)
        })
    }

    /// The speed per record, m/s: the device's, else from its distance.
    pub fn speed(&self) -> Option<&[f64]> {
        self.record_speed
            .get_or_init(|| gap::speed_series(self))
            .as_deref()
    }

    /// The grade per record (a fraction), when the run has altitude.
    pub fn grade(&self) -> Option<&[f64]> {
        self.grade
            .get_or_init(|| gap::grade_series(self))
            .as_deref()
    }

    /// The grade-adjusted speed per record (Minetti), m/s.
    pub fn gap_speed(&self) -> Option<&[f64]> {
        self.gap_speed
            .get_or_init(|| gap::gap_speed_series(self))
            .as_deref()
    }

    /// The GPS assessment ([`quality::gps::assess`](crate::quality::gps::assess)).
    pub fn gps(&self) -> Option<&GpsQuality> {
        self.gps
            .get_or_init(|| crate::quality::gps::assess(self.activity))
            .as_ref()
    }
}

/// Computed metric values by id, in [`ALL`] order. Small: a run has a few dozen metrics.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MetricValues(Vec<(String, f64)>);

impl MetricValues {
    /// The value of metric `id`, if it was computed.
    pub fn get(&self, id: &str) -> Option<f64> {
        self.0.iter().find(|(k, _)| k == id).map(|&(_, v)| v)
    }

    /// Sets the value of metric `id` (replacing an earlier value).
    pub fn set(&mut self, id: &str, value: f64) {
        match self.0.iter_mut().find(|(k, _)| k == id) {
            Some(slot) => slot.1 = value,
            None => self.0.push((id.to_owned(), value)),
        }
    }

    /// The values, in computing order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, f64)> {
        self.0.iter().map(|(k, v)| (k.as_str(), *v))
    }

    /// How many values there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no value was computed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Computes every metric of [`ALL`] that applies to the run, in order. Values that are not
/// finite are dropped.
///
/// ```
/// use analysis::{Activity, Athlete, metrics};
/// let activity = Activity::default();
/// let athlete = Athlete::default();
/// let values = metrics::compute_all(&metrics::Run::new(&activity, &athlete));
/// assert_eq!(values.get("distance_m"), None); // no data, no value
/// ```
pub fn compute_all(run: &Run<'_>) -> MetricValues {
    let mut values = MetricValues::default();
    for metric in ALL {
        if !metric.applies_to(run) {
            continue;
        }
        if let Some(v) = metric.compute(run, &values).filter(|v| v.is_finite()) {
            values.set(metric.info().id, v);
        }
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metric_says_what_it_measures() {
        for m in ALL {
            let info = m.info();
            assert!(
                info.description.len() > 20 && info.description.ends_with('.'),
                "{}: {:?}",
                info.id,
                info.description
            );
            assert!(!info.label.is_empty(), "{}", info.id);
        }
    }

    #[test]
    fn ids_are_unique_snake_case_and_needs_come_first() {
        let mut seen: Vec<&str> = Vec::new();
        for metric in ALL {
            let info = metric.info();
            assert!(
                info.id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{} is not snake_case",
                info.id
            );
            assert!(!seen.contains(&info.id), "{} is registered twice", info.id);
            for need in info.needs {
                assert!(
                    seen.contains(need),
                    "{} needs {need}, which is not earlier in ALL",
                    info.id
                );
            }
            seen.push(info.id);
        }
    }
}
