//! SI newtypes. Stride computes in SI units only; metric or imperial appears at display (D8).

use serde::{Deserialize, Serialize};

/// Metres in one statute mile.
pub const METERS_PER_MILE: f64 = 1_609.344;
/// Metres in one foot.
pub const METERS_PER_FOOT: f64 = 0.3048;

/// A distance in metres.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Serialize, Deserialize)]
pub struct Meters(pub f64);

/// A duration in seconds.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Serialize, Deserialize)]
pub struct Seconds(pub f64);

/// A speed in metres per second.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Serialize, Deserialize)]
pub struct MetersPerSecond(pub f64);

/// A heart rate in beats per minute.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Serialize, Deserialize)]
pub struct Bpm(pub f64);

impl Meters {
    /// This distance in kilometres.
    pub fn km(self) -> f64 {
        self.0 / 1_000.0
    }

    /// This distance in statute miles.
    pub fn miles(self) -> f64 {
        self.0 / METERS_PER_MILE
    }

    /// This distance in feet (elevation in imperial units).
    pub fn feet(self) -> f64 {
        self.0 / METERS_PER_FOOT
    }
}

impl MetersPerSecond {
    /// The speed of covering `distance` in `time`; `None` for a zero or negative time.
    pub fn from_distance_time(distance: Meters, time: Seconds) -> Option<Self> {
        (time.0 > 0.0 && distance.0.is_finite()).then(|| Self(distance.0 / time.0))
    }

    /// Pace in seconds per metre; `None` when standing still.
    pub fn pace(self) -> Option<f64> {
        (self.0 > 0.0 && self.0.is_finite()).then(|| 1.0 / self.0)
    }

    /// Pace in seconds per kilometre; `None` when standing still.
    pub fn seconds_per_km(self) -> Option<Seconds> {
        self.pace().map(|p| Seconds(p * 1_000.0))
    }

    /// Pace in seconds per mile; `None` when standing still.
    pub fn seconds_per_mile(self) -> Option<Seconds> {
        self.pace().map(|p| Seconds(p * METERS_PER_MILE))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marathon_is_26_2_miles() {
        // IAAF marathon distance, 42.195 km = 26.2188 mi.
        let marathon = Meters(42_195.0);
        assert_eq!((marathon.miles() * 10_000.0).round() / 10_000.0, 26.2188);
        assert_eq!(marathon.km(), 42.195);
    }

    #[test]
    fn pace_of_a_20_minute_5k() {
        let speed = MetersPerSecond::from_distance_time(Meters(5_000.0), Seconds(1_200.0)).unwrap();
        assert_eq!(speed.seconds_per_km(), Some(Seconds(240.0)));
        // 4:00 /km is 6:26.2 /mi.
        let per_mile = speed.seconds_per_mile().unwrap().0;
        assert_eq!((per_mile * 10.0).round() / 10.0, 386.2);
    }

    #[test]
    fn standing_still_has_no_pace() {
        assert_eq!(MetersPerSecond(0.0).pace(), None);
        assert_eq!(
            MetersPerSecond::from_distance_time(Meters(10.0), Seconds(0.0)),
            None
        );
    }
}
