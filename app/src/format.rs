//! Display formatting. Stride keeps SI values everywhere and converts only here (D8).

use analysis::units::{METERS_PER_FOOT, METERS_PER_MILE};
use serde::{Deserialize, Serialize};

/// The runner's choice of display units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum UnitSystem {
    /// Kilometres, metres, minutes per kilometre.
    #[default]
    Metric,
    /// Miles, feet, minutes per mile.
    Imperial,
}

impl UnitSystem {
    /// The stable key kept in the browser's storage.
    pub fn key(self) -> &'static str {
        match self {
            Self::Metric => "metric",
            Self::Imperial => "imperial",
        }
    }

    /// Reads a stored key; anything else is `None`.
    pub fn from_key(key: &str) -> Option<Self> {
        match key.trim() {
            "metric" => Some(Self::Metric),
            "imperial" => Some(Self::Imperial),
            _ => None,
        }
    }

    /// The distance unit: `km` or `mi`.
    pub fn distance_unit(self) -> &'static str {
        match self {
            Self::Metric => "km",
            Self::Imperial => "mi",
        }
    }

    /// Metres in one distance unit (a kilometre or a mile).
    pub fn meters_per_unit(self) -> f64 {
        match self {
            Self::Metric => 1_000.0,
            Self::Imperial => METERS_PER_MILE,
        }
    }
}

/// A distance with two decimals: `42.20 km`, `26.22 mi`.
pub fn distance(meters: f64, units: UnitSystem) -> String {
    format!(
        "{:.2} {}",
        meters / units.meters_per_unit(),
        units.distance_unit()
    )
}

/// An elevation: `123 m`, `404 ft`.
pub fn elevation(meters: f64, units: UnitSystem) -> String {
    match units {
        UnitSystem::Metric => format!("{:.0} m", meters),
        UnitSystem::Imperial => format!("{:.0} ft", meters / METERS_PER_FOOT),
    }
}

/// A pace from a speed in m/s: `4:00 /km`, `6:26 /mi`; `–` when standing still.
pub fn pace(meters_per_second: f64, units: UnitSystem) -> String {
    if !(meters_per_second > 0.0 && meters_per_second.is_finite()) {
        return "–".to_string();
    }
    let seconds = (units.meters_per_unit() / meters_per_second).round() as u64;
    format!(
        "{}:{:02} /{}",
        seconds / 60,
        seconds % 60,
        units.distance_unit()
    )
}

/// A duration: `41:05` under an hour, `3:29:59` from an hour on.
pub fn duration(seconds: f64) -> String {
    if !(seconds >= 0.0 && seconds.is_finite()) {
        return "–".to_string();
    }
    let s = seconds.round() as u64;
    let (h, m, s) = (s / 3_600, s / 60 % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use UnitSystem::{Imperial, Metric};

    #[test]
    fn marathon_distance_in_both_systems() {
        assert_eq!(distance(42_195.0, Metric), "42.20 km");
        assert_eq!(distance(42_195.0, Imperial), "26.22 mi");
    }

    #[test]
    fn paces() {
        // 5 km in 20:00 is 4:00 /km and 6:26 /mi.
        assert_eq!(pace(5_000.0 / 1_200.0, Metric), "4:00 /km");
        assert_eq!(pace(5_000.0 / 1_200.0, Imperial), "6:26 /mi");
        assert_eq!(pace(0.0, Metric), "–");
        assert_eq!(pace(f64::NAN, Imperial), "–");
    }

    #[test]
    fn durations() {
        assert_eq!(duration(2_465.0), "41:05");
        assert_eq!(duration(12_599.4), "3:29:59");
        assert_eq!(duration(-1.0), "–");
    }

    #[test]
    fn elevations() {
        assert_eq!(elevation(123.4, Metric), "123 m");
        assert_eq!(elevation(123.4, Imperial), "405 ft"); // 404.86 ft
    }

    #[test]
    fn keys_round_trip() {
        for units in [Metric, Imperial] {
            assert_eq!(UnitSystem::from_key(units.key()), Some(units));
        }
        assert_eq!(UnitSystem::from_key("furlongs"), None);
    }
}
