//! Running power: the device's native power field, else a developer field named "Power" (Stryd
//! and Connect IQ power apps).

use super::{Metric, MetricInfo, MetricValues, Rollup, Run, Unit};

/// The run's power samples: native, else the developer column "Power".
pub(crate) fn power<'a>(run: &Run<'a>) -> Option<&'a [f32]> {
    let r = &run.activity.records;
    run.column(&r.power)
        .filter(|p| p.iter().any(|v| v.is_finite()))
        .or_else(|| {
            r.developer("Power")?
                .values
                .get(run.records_range())
                .filter(|p| p.iter().any(|v| v.is_finite()))
        })
}

/// Average power over timer time, time-weighted, zeros included (standing still costs no
/// power, and the average should show it, as for cycling). The device's session `avg_power`
/// when the records have no power.
pub struct AvgPower;

static AVG: MetricInfo = MetricInfo {
    id: "avg_power_w",
    label: "Average power",
    description: "Running power averaged over the time the timer ran.",
    unit: Unit::Watts,
    rollup: Rollup::WeightedMean,
    lower_is_better: false,
    needs: &[],
};

impl Metric for AvgPower {
    fn info(&self) -> &'static MetricInfo {
        &AVG
    }

    fn compute(&self, run: &Run<'_>, _: &MetricValues) -> Option<f64> {
        match power(run) {
            Some(p) => super::run::weighted_mean(run.held_f32(p), false),
            None => run.summary_mean(|s| s.avg_power),
        }
    }
}

/// Maximum power among the samples taken in timer time; the device's session `max_power` when
/// the records have no power.
pub struct MaxPower;

static MAX: MetricInfo = MetricInfo {
    id: "max_power_w",
    label: "Maximum power",
    description: "The highest running power recorded.",
    unit: Unit::Watts,
    rollup: Rollup::Max,
    lower_is_better: false,
    needs: &[],
};

impl Metric for MaxPower {
    fn info(&self) -> &'static MetricInfo {
        &MAX
    }

    fn compute(&self, run: &Run<'_>, _: &MetricValues) -> Option<f64> {
        match power(run) {
            Some(p) => super::run::timer_max(p, &run.timeline().in_timer),
            None => run.summary_max(|s| s.max_power),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::metrics::{Run, compute_all};
    use crate::{Activity, Athlete, DeveloperColumn, Records};

    #[test]
    fn developer_power_when_there_is_no_native_power() {
        let a = Activity {
            records: Records {
                time: vec![0.0, 1.0, 2.0, 3.0],
                developer: vec![DeveloperColumn {
                    name: "Power".into(),
                    units: "Watts".into(),
                    values: vec![200.0, 0.0, 300.0, 250.0],
                }],
                ..Records::default()
            },
            ..Activity::default()
        };
        let m = compute_all(&Run::new(&a, &Athlete::default()));
        // The last sample holds no time; the zero counts.
        assert_eq!(m.get("avg_power_w"), Some(500.0 / 3.0));
        assert_eq!(m.get("max_power_w"), Some(300.0));
    }
}
