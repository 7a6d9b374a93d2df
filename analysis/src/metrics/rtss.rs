//! Normalised graded speed (NGP) and running training stress (rTSS), after TrainingPeaks.
//!
//! TrainingPeaks does not publish its NGP algorithm. Stride's follows Coggan's normalised power,
//! applied to the grade-adjusted speed: a 30-second rolling mean of the GAP speed
//! ([`rolling_mean`](crate::series::smoothing::rolling_mean) over timer time, so pauses take no
//! room), raised to the fourth power, averaged over the timer time after the first 30 s, and
//! the fourth root taken. The fourth power weighs surges more than their share of the time, as
//! their physiological cost does.
//!
//! rTSS = hours · IF² · 100 with IF = NGP / threshold speed: one hour at threshold is 100. This
//! equals TrainingPeaks' `seconds · NGP · IF / (threshold · 3600) · 100`.

use super::gap::on_foot;
use super::{Metric, MetricInfo, MetricValues, Rollup, Run, Unit};
use crate::series::smoothing::rolling_mean;

/// The rolling window of NGP, seconds of timer time.
pub const NGP_WINDOW_S: f64 = 30.0;

/// The normalised graded speed of a run, m/s (see the module documentation): `gap_speed` per
/// record, weighted by the timer seconds each record closes.
///
/// ```
/// use analysis::metrics::rtss::ngp_speed;
/// // Ten minutes at 3 m/s, then ten at 4 m/s: NGP is above the 3.5 m/s average.
/// let speed: Vec<f64> = (0..=1200).map(|k| if k <= 600 { 3.0 } else { 4.0 }).collect();
/// let timer: Vec<f64> = (0..=1200).map(|k| if k == 0 { 0.0 } else { 1.0 }).collect();
/// let ngp = ngp_speed(&speed, &timer).unwrap();
/// assert_eq!((ngp * 100.0).round() / 100.0, 3.6); // ≈ ((3⁴ + 4⁴) / 2)^¼
/// assert_eq!(ngp_speed(&[3.0; 5], &[1.0; 5]), Some(3.0));
/// ```
pub fn ngp_speed(gap_speed: &[f64], timer_durations: &[f64]) -> Option<f64> {
    let rolling = rolling_mean(gap_speed, timer_durations, NGP_WINDOW_S);
    let total: f64 = timer_durations
        .iter()
        .zip(gap_speed)
        .filter(|(w, v)| **w > 0.0 && v.is_finite())
        .map(|(w, _)| w)
        .sum();
    // Coggan's rolling mean starts once a full window has passed; a run shorter than that is
    // averaged as it is.
    let skip = if total > NGP_WINDOW_S {
        NGP_WINDOW_S
    } else {
        0.0
    };
    let (mut sum, mut weight, mut elapsed) = (0.0, 0.0, 0.0);
    for ((&w, &v), &r) in timer_durations.iter().zip(gap_speed).zip(&rolling) {
        if !(w > 0.0 && v.is_finite()) {
            continue;
        }
        elapsed += w;
        if elapsed >= skip && r.is_finite() {
            sum += w * r.powi(4);
            weight += w;
        }
    }
    (weight > 0.0).then(|| (sum / weight).sqrt().sqrt())
}

/// Normalised graded speed, m/s.
pub struct NgpSpeed;

static NGP: MetricInfo = MetricInfo {
    id: "ngp_speed_mps",
    label: "Normalised graded speed",
    description: "Grade-adjusted speed with surges weighted as the body feels them (a 30-second rolling fourth-power mean).",
    unit: Unit::MetersPerSecond,
    rollup: Rollup::WeightedMean,
    lower_is_better: false,
    needs: &[],
};

impl Metric for NgpSpeed {
    fn info(&self) -> &'static MetricInfo {
        &NGP
    }

    fn applies_to(&self, run: &Run<'_>) -> bool {
        on_foot(run)
    }

    fn compute(&self, run: &Run<'_>, _: &MetricValues) -> Option<f64> {
        ngp_speed(run.gap_speed()?, run.timer_durations())
    }
}

/// Running training stress score; only with the athlete's threshold speed.
pub struct Rtss;

static RTSS: MetricInfo = MetricInfo {
    id: "rtss",
    label: "rTSS",
    description: "Training stress from pace: an hour at threshold pace, in normalised graded pace, is 100.",
    unit: Unit::Number,
    rollup: Rollup::Sum,
    lower_is_better: false,
    needs: &["ngp_speed_mps"],
};

impl Metric for Rtss {
    fn info(&self) -> &'static MetricInfo {
        &RTSS
    }

    fn applies_to(&self, run: &Run<'_>) -> bool {
        on_foot(run) && run.athlete.threshold_speed.is_some_and(|v| v > 0.0)
    }

    fn compute(&self, run: &Run<'_>, so_far: &MetricValues) -> Option<f64> {
        super::load_basis::rtss(
            run.timer_durations().iter().sum(),
            so_far.get("ngp_speed_mps")?,
            run.athlete.threshold_speed,
        )
    }
}
