//! Friel's efficiency factor for running: normalised graded speed in metres per minute over the
//! average heart rate, both over the timer time. Higher is fitter; it is compared between
//! similar runs of the same athlete, not between athletes. (TrainingPeaks shows NGP in yards
//! per minute; Stride stays metric, so its values are 1.094 times smaller.)

use super::gap::on_foot;
use super::{Metric, MetricInfo, MetricValues, Rollup, Run, Unit};

/// The average heart rate over the timer time, bpm, weighted by the timer seconds each record
/// closes, over plausible values (30–230 bpm).
pub(super) fn timer_mean_hr(run: &Run<'_>) -> Option<f64> {
    let hr = run.activity.records.heart_rate.as_deref()?;
    let (mut sum, mut weight) = (0.0, 0.0);
    for (&w, &h) in run.timer_durations().iter().zip(hr) {
        let h = f64::from(h);
        if w > 0.0 && (30.0..=230.0).contains(&h) {
            sum += w * h;
            weight += w;
        }
    }
    (weight > 0.0).then(|| sum / weight)
}

/// The efficiency factor: (m/min) per bpm.
pub struct EfficiencyFactor;

static INFO: MetricInfo = MetricInfo {
    id: "efficiency_factor",
    label: "Efficiency factor",
    description: "Normalised graded speed per heartbeat (metres per minute per bpm): higher means more speed for the same effort.",
    unit: Unit::Number,
    rollup: Rollup::WeightedMean,
    lower_is_better: false,
    needs: &["ngp_speed_mps"],
};

impl Metric for EfficiencyFactor {
    fn info(&self) -> &'static MetricInfo {
        &INFO
    }

    fn applies_to(&self, run: &Run<'_>) -> bool {
        on_foot(run)
    }

    fn compute(&self, run: &Run<'_>, so_far: &MetricValues) -> Option<f64> {
        let ngp = so_far.get("ngp_speed_mps")?;
        Some(ngp * 60.0 / timer_mean_hr(run)?)
    }
}
