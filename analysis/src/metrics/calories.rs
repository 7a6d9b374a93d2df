use super::{Metric, MetricInfo, MetricValues, Rollup, Run, Unit};

/// Energy: the device's session `total_calories` when it wrote one (Stride has no energy model
/// of its own), else nothing.
pub struct Calories;

static INFO: MetricInfo = MetricInfo {
    id: "calories_kcal",
    label: "Calories",
    description: "Energy spent, as the watch reports it.",
    unit: Unit::Kilocalories,
    rollup: Rollup::Sum,
    lower_is_better: false,
    needs: &[],
};

impl Metric for Calories {
    fn info(&self) -> &'static MetricInfo {
        &INFO
    }

    fn compute(&self, run: &Run<'_>, _: &MetricValues) -> Option<f64> {
        run.summary_sum(|s| s.total_calories)
    }
}
