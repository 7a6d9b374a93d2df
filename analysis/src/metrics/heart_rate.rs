//! Heart rate: average and maximum.

use super::{Metric, MetricInfo, MetricValues, Rollup, Run, Unit};

/// Average heart rate over timer time, weighted by the time each sample holds until the next
/// (so the sparse samples of "smart recording" count for their full duration, as the device's own
/// average does), skipping missing samples and zeros (a lost strap). Not rounded; devices round
/// to whole beats. Falls back to the device's session `avg_heart_rate` when the records have no
/// heart rate.
pub struct AvgHr;

static AVG: MetricInfo = MetricInfo {
    id: "avg_hr",
    label: "Average heart rate",
    description: "Heart rate averaged over the time the timer ran.",
    unit: Unit::Bpm,
    rollup: Rollup::WeightedMean,
    lower_is_better: false,
    needs: &[],
};

impl Metric for AvgHr {
    fn info(&self) -> &'static MetricInfo {
        &AVG
    }

    fn compute(&self, run: &Run<'_>, _: &MetricValues) -> Option<f64> {
        run.weighted_mean(&run.activity.records.heart_rate, true)
            .or_else(|| run.summary_mean(|s| s.avg_heart_rate))
    }
}

/// Maximum heart rate among the samples taken in timer time; the device's session
/// `max_heart_rate` when the records have no heart rate.
pub struct MaxHr;

static MAX: MetricInfo = MetricInfo {
    id: "max_hr",
    label: "Maximum heart rate",
    description: "The highest heart rate recorded.",
    unit: Unit::Bpm,
    rollup: Rollup::Max,
    lower_is_better: false,
    needs: &[],
};

impl Metric for MaxHr {
    fn info(&self) -> &'static MetricInfo {
        &MAX
    }

    fn compute(&self, run: &Run<'_>, _: &MetricValues) -> Option<f64> {
        run.timer_max(&run.activity.records.heart_rate)
            .or_else(|| run.summary_max(|s| s.max_heart_rate))
    }
}

#[cfg(test)]
mod tests {
    use crate::metrics::{Run, compute_all};
    use crate::{Activity, Athlete, Records};

    #[test]
    fn sparse_samples_weigh_by_the_time_they_hold() {
        // 120 bpm held for 50 s, then 160 bpm sampled every second for 50 s, and a dropout (0).
        let mut time = vec![0.0];
        let mut hr = vec![120.0_f32];
        for t in 50..=100 {
            time.push(f64::from(t));
            hr.push(160.0);
        }
        hr[10] = 0.0;
        let a = Activity {
            records: Records {
                time,
                heart_rate: Some(hr),
                ..Records::default()
            },
            ..Activity::default()
        };
        let m = compute_all(&Run::new(&a, &Athlete::default()));
        // (120·50 + 160·49) / 99 s (the dropout's second is skipped).
        assert_eq!(m.get("avg_hr"), Some((120.0 * 50.0 + 160.0 * 49.0) / 99.0));
        assert_eq!(m.get("max_hr"), Some(160.0));
    }
}
