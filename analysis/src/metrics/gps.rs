//! The GPS quality score and the distance of the smoothed track, from
//! [`quality::gps::assess`](crate::quality::gps::assess).

use super::{Metric, MetricInfo, MetricValues, Rollup, Run, Unit};

/// The GPS quality score, 0–100.
pub struct GpsQualityScore;

static SCORE: MetricInfo = MetricInfo {
    id: "gps_quality_score",
    label: "GPS quality",
    description: "0 to 100: how trustworthy the GPS track is (jumps removed, gaps, an implausible speed or a route off the device's distance).",
    unit: Unit::Number,
    rollup: Rollup::WeightedMean,
    lower_is_better: false,
    needs: &[],
};

impl Metric for GpsQualityScore {
    fn info(&self) -> &'static MetricInfo {
        &SCORE
    }

    fn compute(&self, run: &Run<'_>, _: &MetricValues) -> Option<f64> {
        Some(run.gps()?.score)
    }
}

/// The length of the cleaned, smoothed GPS track, metres.
pub struct GpsDistance;

static DISTANCE: MetricInfo = MetricInfo {
    id: "gps_distance_m",
    label: "GPS distance",
    description: "The length of the GPS track after jumps were removed and it was smoothed.",
    unit: Unit::Meters,
    rollup: Rollup::Sum,
    lower_is_better: false,
    needs: &[],
};

impl Metric for GpsDistance {
    fn info(&self) -> &'static MetricInfo {
        &DISTANCE
    }

    fn compute(&self, run: &Run<'_>, _: &MetricValues) -> Option<f64> {
        Some(run.gps()?.distance_m)
    }
}
