//! Cadence in steps per minute, for sports on foot ([`Sport::is_on_foot`](crate::Sport::is_on_foot)),
//! where [`Records::cadence`](crate::Records::cadence) already counts steps.

use super::{Metric, MetricInfo, MetricValues, Rollup, Run, Unit};

/// Average cadence over timer time, time-weighted, skipping missing samples but counting zeros
/// (standing still with the timer running). That is how recent Garmin watches average it: over
/// the corpus this matches their session figure within 0.3 spm, where skipping zeros is up to
/// 11 spm too high; Suunto's figures skip zeros instead. The device's session `avg_cadence`
/// when the records have no cadence.
pub struct AvgCadence;

static AVG: MetricInfo = MetricInfo {
    id: "avg_cadence_spm",
    label: "Average cadence",
    description: "Steps per minute, both feet, averaged over the time the timer ran.",
    unit: Unit::StepsPerMinute,
    rollup: Rollup::WeightedMean,
    lower_is_better: false,
    needs: &[],
};

impl Metric for AvgCadence {
    fn info(&self) -> &'static MetricInfo {
        &AVG
    }

    fn applies_to(&self, run: &Run<'_>) -> bool {
        run.sport().is_on_foot()
    }

    fn compute(&self, run: &Run<'_>, _: &MetricValues) -> Option<f64> {
        run.weighted_mean(&run.activity.records.cadence, false)
            .or_else(|| run.summary_mean(|s| s.avg_cadence))
    }
}

/// Maximum cadence among the samples taken in timer time; the device's session `max_cadence`
/// when the records have no cadence.
pub struct MaxCadence;

static MAX: MetricInfo = MetricInfo {
    id: "max_cadence_spm",
    label: "Maximum cadence",
    description: "The highest cadence recorded, in steps per minute.",
    unit: Unit::StepsPerMinute,
    rollup: Rollup::Max,
    lower_is_better: false,
    needs: &[],
};

impl Metric for MaxCadence {
    fn info(&self) -> &'static MetricInfo {
        &MAX
    }

    fn applies_to(&self, run: &Run<'_>) -> bool {
        run.sport().is_on_foot()
    }

    fn compute(&self, run: &Run<'_>, _: &MetricValues) -> Option<f64> {
        run.timer_max(&run.activity.records.cadence)
            .or_else(|| run.summary_max(|s| s.max_cadence))
    }
}

#[cfg(test)]
mod tests {
    use crate::metrics::{Run, compute_all};
    use crate::{Activity, Athlete, Records, Sport};

    #[test]
    fn steps_for_runs_only() {
        let mut a = Activity {
            sport: Sport::Running,
            records: Records {
                time: vec![0.0, 1.0, 2.0, 3.0, 4.0],
                cadence: Some(vec![170.0, 0.0, 180.0, 176.0, f32::NAN]),
                ..Records::default()
            },
            ..Activity::default()
        };
        let m = compute_all(&Run::new(&a, &Athlete::default()));
        // The last sample holds no time; the zero counts.
        assert_eq!(
            m.get("avg_cadence_spm"),
            Some((170.0 + 0.0 + 180.0 + 176.0) / 4.0)
        );
        assert_eq!(m.get("max_cadence_spm"), Some(180.0));
        a.sport = Sport::Cycling;
        let m = compute_all(&Run::new(&a, &Athlete::default()));
        assert_eq!(m.get("avg_cadence_spm"), None);
    }
}
