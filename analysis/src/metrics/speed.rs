//! Speed and pace.

use super::{Metric, MetricInfo, MetricValues, Rollup, Run, Unit};

/// Average speed over timer time: distance / timer time (how devices define it).
pub struct AvgSpeed;

static AVG: MetricInfo = MetricInfo {
    id: "avg_speed_mps",
    label: "Average speed",
    description: "Distance over the time the timer ran.",
    unit: Unit::MetersPerSecond,
    rollup: Rollup::WeightedMean,
    lower_is_better: false,
    needs: &["distance_m", "timer_s"],
};

impl Metric for AvgSpeed {
    fn info(&self) -> &'static MetricInfo {
        &AVG
    }

    fn compute(&self, _: &Run<'_>, m: &MetricValues) -> Option<f64> {
        let timer = m.get("timer_s").filter(|t| *t > 0.0)?;
        Some(m.get("distance_m")? / timer)
    }
}

/// Maximum speed: the largest speed sample in timer time; from the smoothed speed
/// ([`Run::smoothed_speed`]) when the records have no speed column, and the device's session
/// `max_speed` when they have neither.
pub struct MaxSpeed;

static MAX: MetricInfo = MetricInfo {
    id: "max_speed_mps",
    label: "Maximum speed",
    description: "The highest speed recorded, smoothed over a few seconds.",
    unit: Unit::MetersPerSecond,
    rollup: Rollup::Max,
    lower_is_better: false,
    needs: &[],
};

impl Metric for MaxSpeed {
    fn info(&self) -> &'static MetricInfo {
        &MAX
    }

    fn compute(&self, run: &Run<'_>, _: &MetricValues) -> Option<f64> {
        if let Some(v) = run.timer_max(&run.activity.records.speed) {
            return Some(v);
        }
        if let Some(speed) = run.smoothed_speed() {
            let in_timer = &run.timeline().in_timer;
            return speed
                .iter()
                .zip(in_timer)
                .filter(|&(v, &k)| k && v.is_finite())
                .map(|(v, _)| *v)
                .reduce(f64::max);
        }
        run.summary_max(|s| s.max_speed)
    }
}

/// Average pace in seconds per metre: the inverse of the average speed (GoldenCheetah's `Pace`
/// likewise derives from `average_speed`). Absent when the average speed is zero.
pub struct AvgPace;

static PACE: MetricInfo = MetricInfo {
    id: "avg_pace_s_per_m",
    label: "Average pace",
    description: "The time per kilometre or mile: the timer time over the distance.",
    unit: Unit::SecondsPerMeter,
    rollup: Rollup::WeightedMean,
    lower_is_better: true,
    needs: &["avg_speed_mps"],
};

impl Metric for AvgPace {
    fn info(&self) -> &'static MetricInfo {
        &PACE
    }

    fn compute(&self, _: &Run<'_>, m: &MetricValues) -> Option<f64> {
        m.get("avg_speed_mps").filter(|v| *v > 0.0).map(|v| 1.0 / v)
    }
}

#[cfg(test)]
mod tests {
    use crate::metrics::{Run, compute_all};
    use crate::{Activity, Athlete, Records};

    #[test]
    fn a_20_minute_5k_is_4_minutes_per_km() {
        let time: Vec<f64> = (0..=1200).map(f64::from).collect();
        let distance = time.iter().map(|t| t * 5000.0 / 1200.0).collect();
        let mut speed = vec![5000.0_f32 / 1200.0; 1201];
        speed[600] = 6.0; // one fast sample
        let a = Activity {
            records: Records {
                time,
                distance: Some(distance),
                speed: Some(speed),
                ..Records::default()
            },
            ..Activity::default()
        };
        let m = compute_all(&Run::new(&a, &Athlete::default()));
        assert_eq!(m.get("avg_speed_mps"), Some(5000.0 / 1200.0));
        assert_eq!(
            m.get("avg_pace_s_per_m").map(|p| (p * 1000.0).round()),
            Some(240.0)
        );
        assert_eq!(m.get("max_speed_mps"), Some(6.0));
    }
}
