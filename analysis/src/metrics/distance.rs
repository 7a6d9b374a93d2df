use super::{Metric, MetricInfo, MetricValues, Rollup, Run, Unit};

/// The distance covered: the device's own session total when it wrote one, else the last
/// distance sample.
pub struct Distance;

static INFO: MetricInfo = MetricInfo {
    id: "distance_m",
    label: "Distance",
    unit: Unit::Meters,
    rollup: Rollup::Sum,
    lower_is_better: false,
    needs: &[],
};

impl Metric for Distance {
    fn info(&self) -> &'static MetricInfo {
        &INFO
    }

    fn compute(&self, run: &Run<'_>, _: &MetricValues) -> Option<f64> {
        let a = run.activity;
        let sessions: Option<f64> = a
            .sessions
            .iter()
            .map(|s| s.summary.total_distance)
            .sum::<Option<f64>>()
            .filter(|_| !a.sessions.is_empty());
        sessions.or_else(|| {
            a.records
                .distance
                .as_deref()?
                .iter()
                .rev()
                .copied()
                .find(|d| d.is_finite())
        })
    }
}
