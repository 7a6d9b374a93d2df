//! Running dynamics averages (Garmin HRM-Run/Pro, Running Dynamics Pod, wrist-based on some
//! watches; Stryd). Each is the timer-time-weighted mean of its record column, skipping missing
//! samples and zeros (a zero stance time or step length means the sensor saw no step). The FIT
//! session also carries the device's averages, but Stride's [`Summary`](crate::Summary) does not
//! keep them, so there is no fallback: no column, no value.

use super::{Metric, MetricInfo, MetricValues, Rollup, Run, Unit};
use crate::Records;

/// One running-dynamics average: its info and the column it averages.
pub struct DynamicsAverage {
    info: &'static MetricInfo,
    column: fn(&Records) -> &Option<Vec<f32>>,
}

impl Metric for DynamicsAverage {
    fn info(&self) -> &'static MetricInfo {
        self.info
    }

    fn applies_to(&self, run: &Run<'_>) -> bool {
        run.sport().is_on_foot()
    }

    fn compute(&self, run: &Run<'_>, _: &MetricValues) -> Option<f64> {
        run.weighted_mean((self.column)(&run.activity.records), true)
    }
}

const fn info(
    id: &'static str,
    label: &'static str,
    description: &'static str,
    unit: Unit,
    lower: bool,
) -> MetricInfo {
    MetricInfo {
        id,
        label,
        description,
        unit,
        rollup: Rollup::WeightedMean,
        lower_is_better: lower,
        needs: &[],
    }
}

static STANCE: MetricInfo = info(
    "avg_stance_time_s",
    "Average ground contact time",
    "How long each foot stays on the ground, on average.",
    Unit::Seconds,
    true,
);
static OSCILLATION: MetricInfo = info(
    "avg_vertical_oscillation_m",
    "Average vertical oscillation",
    "How far the body bounces up and down with each step, on average.",
    Unit::Meters,
    true,
);
static RATIO: MetricInfo = info(
    "avg_vertical_ratio_pct",
    "Average vertical ratio",
    "Vertical oscillation over step length: lower is more economical.",
    Unit::Percent,
    true,
);
static STEP: MetricInfo = info(
    "avg_step_length_m",
    "Average step length",
    "How far each step carries, on average.",
    Unit::Meters,
    false,
);
static BALANCE: MetricInfo = info(
    "avg_stance_balance_left_pct",
    "Average ground contact balance (left)",
    "The left foot's share of ground contact time: 50 % is even.",
    Unit::Percent,
    false,
);

/// Average ground contact (stance) time, seconds.
pub static AVG_STANCE_TIME: DynamicsAverage = DynamicsAverage {
    info: &STANCE,
    column: |r| &r.stance_time,
};
/// Average vertical oscillation, metres.
pub static AVG_VERTICAL_OSCILLATION: DynamicsAverage = DynamicsAverage {
    info: &OSCILLATION,
    column: |r| &r.vertical_oscillation,
};
/// Average vertical ratio (oscillation over step length), percent.
pub static AVG_VERTICAL_RATIO: DynamicsAverage = DynamicsAverage {
    info: &RATIO,
    column: |r| &r.vertical_ratio,
};
/// Average step length, metres.
pub static AVG_STEP_LENGTH: DynamicsAverage = DynamicsAverage {
    info: &STEP,
    column: |r| &r.step_length,
};
/// Average ground contact time balance, percent on the left foot.
pub static AVG_STANCE_BALANCE: DynamicsAverage = DynamicsAverage {
    info: &BALANCE,
    column: |r| &r.stance_time_balance,
};

#[cfg(test)]
mod tests {
    use crate::metrics::{Run, compute_all};
    use crate::{Activity, Athlete, Records, Sport};

    #[test]
    fn averages_skip_zeros() {
        let a = Activity {
            sport: Sport::Running,
            records: Records {
                time: vec![0.0, 1.0, 2.0, 3.0],
                stance_time: Some(vec![0.25, 0.0, 0.23, 0.3]),
                step_length: Some(vec![1.2, 1.0, f32::NAN, 1.4]),
                stance_time_balance: Some(vec![49.0, 51.0, 50.0, 50.0]),
                ..Records::default()
            },
            ..Activity::default()
        };
        let m = compute_all(&Run::new(&a, &Athlete::default()));
        assert_eq!(
            m.get("avg_stance_time_s").map(|v| (v * 1e4).round()),
            Some(2400.0)
        );
        assert_eq!(
            m.get("avg_step_length_m").map(|v| (v * 1e4).round()),
            Some(11000.0)
        );
        assert_eq!(m.get("avg_stance_balance_left_pct"), Some(50.0));
        assert_eq!(m.get("avg_vertical_ratio_pct"), None);
    }
}
