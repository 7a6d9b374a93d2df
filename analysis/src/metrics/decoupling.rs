//! Aerobic decoupling (Friel's Pa:HR): how much the ratio of speed to heart rate falls from the
//! first half of the timer time to the second, in percent. Under 5 % on a steady run means the
//! pace was aerobic; more means it was above the aerobic threshold or the runner was not
//! durable enough (heat and dehydration raise it too).
//!
//! `(first − second) / first · 100`, each half's ratio being its mean speed over its mean heart
//! rate. Speed is the grade-adjusted speed (so a hilly second half does not pass for drift),
//! means are over moving timer time (standing at a crossing is neither pace nor drift), and the
//! record that straddles the middle is split between the halves. `None` under 20 minutes of
//! timer time, or without speed or heart rate.

use super::gap::{MOVING_SPEED_MPS, on_foot};
use super::{Metric, MetricInfo, MetricValues, Rollup, Run, Unit};

/// The shortest run decoupling is computed for, timer seconds.
pub const MIN_DECOUPLING_S: f64 = 20.0 * 60.0;

/// Aerobic decoupling, percent.
pub struct AerobicDecoupling;

static INFO: MetricInfo = MetricInfo {
    id: "aerobic_decoupling_pct",
    label: "Aerobic decoupling",
    description: "How much heart rate drifted against pace from the first half to the second (Friel's Pa:HR); under 5 % says the pace was aerobic.",
    unit: Unit::Percent,
    rollup: Rollup::WeightedMean,
    lower_is_better: true,
    needs: &[],
};

impl Metric for AerobicDecoupling {
    fn info(&self) -> &'static MetricInfo {
        &INFO
    }

    fn applies_to(&self, run: &Run<'_>) -> bool {
        on_foot(run)
    }

    fn compute(&self, run: &Run<'_>, _: &MetricValues) -> Option<f64> {
        let hr = run.activity.records.heart_rate.as_deref()?;
        let (speed, gap) = (run.speed()?, run.gap_speed()?);
        let timer = run.timer_durations();
        let total: f64 = timer.iter().sum();
        if total < MIN_DECOUPLING_S {
            return None;
        }
        let half = total / 2.0;
        // Per half: weighted sums of speed and of heart rate, and their weights.
        let mut sums = [[0.0f64; 4]; 2];
        let mut before = 0.0; // timer seconds before this record's interval
        for k in 0..timer.len().min(hr.len()).min(gap.len()) {
            let w = timer[k];
            let first = (half - before).clamp(0.0, w);
            before += w;
            let (v, h) = (gap[k], f64::from(hr[k]));
            if !(w > 0.0 && speed[k] >= MOVING_SPEED_MPS) {
                continue;
            }
            for (s, part) in sums.iter_mut().zip([first, w - first]) {
                if v.is_finite() {
                    s[0] += part * v;
                    s[1] += part;
                }
                if (30.0..=230.0).contains(&h) {
                    s[2] += part * h;
                    s[3] += part;
                }
            }
        }
        let ratio = |s: [f64; 4]| {
            (s[1] > 0.0 && s[3] > 0.0 && s[2] > 0.0).then(|| (s[0] / s[1]) / (s[2] / s[3]))
        };
        let (first, second) = (ratio(sums[0])?, ratio(sums[1])?);
        (first > 0.0).then(|| (first - second) / first * 100.0)
    }
}
