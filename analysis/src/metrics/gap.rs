//! Grade-adjusted speed and pace: the speed on the flat that would cost the same energy, after
//! Minetti et al. 2002 ([`Minetti`](crate::series::grade::Minetti)), averaged over moving time.

use super::{Metric, MetricInfo, MetricValues, Rollup, Run, Unit};
use crate::series::grade::{GRADE_WINDOW_M, GradeAdjustment, Minetti, grade};

/// Slower than this, m/s, a runner counts as standing (0.5 m/s is 33 min/km).
pub(crate) const MOVING_SPEED_MPS: f64 = 0.5;

/// The speed per record, m/s: the device's, else from its distance and the timestamps.
pub(super) fn speed_series(run: &Run<'_>) -> Option<Vec<f64>> {
    let r = &run.activity.records;
    if let Some(speed) = r
        .speed
        .as_deref()
        .filter(|s| s.iter().any(|v| v.is_finite()))
    {
        return Some(speed.iter().map(|&v| f64::from(v)).collect());
    }
    let distance = r.distance.as_deref()?;
    let mut last: Option<(f64, f64)> = None;
    let speed = r
        .time
        .iter()
        .zip(distance)
        .map(|(&t, &d)| {
            if !(t.is_finite() && d.is_finite()) {
                return f64::NAN;
            }
            let v = match last {
                Some((pt, pd)) if t > pt => ((d - pd) / (t - pt)).max(0.0),
                _ => f64::NAN,
            };
            last = Some((t, d));
            v
        })
        .collect::<Vec<f64>>();
    speed.iter().any(|v| v.is_finite()).then_some(speed)
}

/// The grade per record ([`grade`] over [`GRADE_WINDOW_M`]), from the device's altitude and
/// distance; the distance along the smoothed GPS track when the device wrote none.
pub(super) fn grade_series(run: &Run<'_>) -> Option<Vec<f64>> {
    let r = &run.activity.records;
    let altitude = r.altitude.as_deref()?;
    if let Some(distance) = r.distance.as_deref() {
        return Some(grade(distance, altitude, GRADE_WINDOW_M));
    }
    let gps = run.gps()?;
    let mut total = 0.0;
    let mut last: Option<(f64, f64)> = None;
    let distance: Vec<f64> = gps
        .latitude
        .iter()
        .zip(&gps.longitude)
        .map(|(&la, &lo)| {
            if !(la.is_finite() && lo.is_finite()) {
                return f64::NAN;
            }
            if let Some((pla, plo)) = last {
                total += crate::series::geo::equirectangular_m(pla, plo, la, lo);
            }
            last = Some((la, lo));
            total
        })
        .collect();
    Some(grade(&distance, altitude, GRADE_WINDOW_M))
}

/// The grade-adjusted speed per record with [`Minetti`]; the speed itself where the grade is
/// unknown, or everywhere when the run has no altitude (a treadmill is flat).
pub(super) fn gap_speed_series(run: &Run<'_>) -> Option<Vec<f64>> {
    let speed = run.speed()?;
    Some(match run.grade() {
        Some(grade) => speed
            .iter()
            .zip(grade)
            .map(|(&v, &g)| Minetti.gap_speed(v, g))
            .collect(),
        None => speed.to_vec(),
    })
}

/// The mean of `values` weighted by the timer seconds each record closes, over records where
/// the runner moves (speed at least [`MOVING_SPEED_MPS`]) and the value is known.
pub(super) fn moving_mean(run: &Run<'_>, values: &[f64]) -> Option<f64> {
    let speed = run.speed()?;
    let (mut sum, mut weight) = (0.0, 0.0);
    for ((&w, &v), &x) in run.timer_durations().iter().zip(speed).zip(values) {
        if w > 0.0 && v >= MOVING_SPEED_MPS && x.is_finite() {
            sum += w * x;
            weight += w;
        }
    }
    (weight > 0.0).then(|| sum / weight)
}

/// Whether a metric of running economy applies: sports on foot.
pub(super) fn on_foot(run: &Run<'_>) -> bool {
    run.activity.sport.is_on_foot()
}

/// The grade-adjusted speed averaged over moving timer time, m/s.
pub struct AvgGapSpeed;

static SPEED: MetricInfo = MetricInfo {
    id: "avg_gap_speed_mps",
    label: "Grade-adjusted speed",
    description: "The average speed on flat ground that would have cost the same energy as this run's hills (Minetti's cost of running).",
    unit: Unit::MetersPerSecond,
    rollup: Rollup::WeightedMean,
    lower_is_better: false,
    needs: &[],
};

impl Metric for AvgGapSpeed {
    fn info(&self) -> &'static MetricInfo {
        &SPEED
    }

    fn applies_to(&self, run: &Run<'_>) -> bool {
        on_foot(run)
    }

    fn compute(&self, run: &Run<'_>, _: &MetricValues) -> Option<f64> {
        moving_mean(run, run.gap_speed()?)
    }
}

/// Grade-adjusted pace, s/m: the inverse of [`AvgGapSpeed`].
pub struct AvgGapPace;

static PACE: MetricInfo = MetricInfo {
    id: "avg_gap_pace_s_per_m",
    label: "Grade-adjusted pace",
    description: "The average pace on flat ground that would have cost the same energy as this run's hills.",
    unit: Unit::SecondsPerMeter,
    rollup: Rollup::WeightedMean,
    lower_is_better: true,
    needs: &["avg_gap_speed_mps"],
};

impl Metric for AvgGapPace {
    fn info(&self) -> &'static MetricInfo {
        &PACE
    }

    fn applies_to(&self, run: &Run<'_>) -> bool {
        on_foot(run)
    }

    fn compute(&self, _: &Run<'_>, so_far: &MetricValues) -> Option<f64> {
        so_far
            .get("avg_gap_speed_mps")
            .filter(|v| *v > 0.0)
            .map(|v| 1.0 / v)
    }
}
