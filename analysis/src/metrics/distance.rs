use super::{Metric, MetricInfo, MetricValues, Rollup, Run, Unit};

/// The distance covered, from the records ([`Run::distance_series`]): the device's distance
/// column, else the speed integrated over timer time, else the GPS track. Falls back to the
/// device's session `total_distance` only when the records have none of these (a summary-only
/// file).
pub struct Distance;

static INFO: MetricInfo = MetricInfo {
    id: "distance_m",
    label: "Distance",
    description: "How far the run went: the device's distance, else the length of the GPS track.",
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
        match run.distance_series() {
            Some(d) => d.last().copied(),
            None => run.summary_sum(|s| s.total_distance),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Activity, Athlete, Records};

    fn distance(records: Records) -> Option<f64> {
        let a = Activity {
            records,
            ..Activity::default()
        };
        Distance.compute(&Run::new(&a, &Athlete::default()), &MetricValues::default())
    }

    #[test]
    fn from_the_distance_column_ignoring_gaps() {
        let records = Records {
            time: vec![0.0, 1.0, 2.0, 3.0],
            distance: Some(vec![0.0, 3.0, f64::NAN, 9.0]),
            ..Records::default()
        };
        assert_eq!(distance(records), Some(9.0));
    }

    #[test]
    fn from_speed_when_there_is_no_distance_column() {
        let records = Records {
            time: (0..=10).map(f64::from).collect(),
            speed: Some(vec![2.5; 11]),
            ..Records::default()
        };
        assert_eq!(distance(records), Some(25.0));
    }

    #[test]
    fn from_positions_as_a_last_resort() {
        // 0.001° of latitude apart, 1 s apart: 111.195 m.
        let records = Records {
            time: vec![0.0, 1.0],
            latitude: Some(vec![0.0, 0.001]),
            longitude: Some(vec![0.0, 0.0]),
            ..Records::default()
        };
        assert_eq!(distance(records).map(|d| d.round()), Some(111.0));
        assert_eq!(distance(Records::default()), None);
    }
}
