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

/// How a sport's speed reads: runners think in pace per km or mile, riders in km/h or mph,
/// swimmers per 100 m or 100 yd, rowers per 500 m (as Strava and Garmin Connect show them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpeedStyle {
    /// `4:00 /km`, `6:26 /mi`: running, walking, hiking, and a file that names no sport.
    Pace,
    /// `32.4 km/h`, `20.1 mph`.
    Speed,
    /// `1:45 /100 m`, `1:36 /100 yd`.
    Per100,
    /// `2:05 /500 m`.
    Per500,
}

impl SpeedStyle {
    /// The style of a sport, by the summary's key (`running`, `cycling`, `swimming`, …).
    pub fn of_sport(sport: &str) -> Self {
        match sport {
            "cycling" | "cross_country_skiing" | "e_biking" | "inline_skating" => Self::Speed,
            "swimming" => Self::Per100,
            "rowing" => Self::Per500,
            _ => Self::Pace,
        }
    }

    /// Whether speeds of this style read as a pace per km or mile (the list's pace column
    /// sorts only those).
    pub fn is_pace(self) -> bool {
        self == Self::Pace
    }

    /// `meters_per_second` in this style and `units`; `–` when standing still.
    pub fn show(self, meters_per_second: f64, units: UnitSystem) -> String {
        if !(meters_per_second > 0.0 && meters_per_second.is_finite()) {
            return "–".to_string();
        }
        let per = |meters: f64, unit: &str| {
            let seconds = (meters / meters_per_second).round() as u64;
            format!("{}:{:02} /{unit}", seconds / 60, seconds % 60)
        };
        match (self, units) {
            (Self::Pace, _) => pace(meters_per_second, units),
            (Self::Speed, UnitSystem::Metric) => format!("{:.1} km/h", meters_per_second * 3.6),
            (Self::Speed, UnitSystem::Imperial) => {
                format!("{:.1} mph", meters_per_second * 3_600.0 / METERS_PER_MILE)
            }
            (Self::Per100, UnitSystem::Metric) => per(100.0, "100 m"),
            (Self::Per100, UnitSystem::Imperial) => per(91.44, "100 yd"),
            (Self::Per500, _) => per(500.0, "500 m"),
        }
    }
}

/// The local date, clock time and hour of `utc_s` (Unix seconds) at `offset_s` east of UTC:
/// `("2024-05-01", "06:32", 6)`; `None` for a time that cannot be a date.
pub fn local_clock(utc_s: f64, offset_s: f64) -> Option<(String, String, u32)> {
    let text = analysis::time::format_rfc3339(utc_s + offset_s)?;
    let hour: u32 = text.get(11..13)?.parse().ok()?;
    Some((
        text.get(..10)?.to_owned(),
        text.get(11..16)?.to_owned(),
        hour,
    ))
}

/// The browser's UTC offset at `utc_s` (Unix seconds), seconds east of UTC: what a run whose
/// file names no zone is read at. 0 on the server, which renders no run of the library.
pub fn zone_offset_s(utc_s: f64) -> f64 {
    #[cfg(feature = "hydrate")]
    {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(utc_s * 1_000.0));
        -date.get_timezone_offset() * 60.0
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = utc_s;
        0.0
    }
}

/// The name Strava gives a run it has no name for, by the local hour it started and the sport:
/// "Morning run" (4–11 h), "Lunch run" (11–14 h), "Afternoon run" (14–18 h), "Evening run"
/// (18–22 h), "Night run"; "ride", "swim", "walk", "hike" or "activity" for other sports.
pub fn default_run_name(sport: &str, hour: u32) -> String {
    let part = match hour {
        4..=10 => "Morning",
        11..=13 => "Lunch",
        14..=17 => "Afternoon",
        18..=21 => "Evening",
        _ => "Night",
    };
    let what = match sport {
        "running" => "run",
        "cycling" => "ride",
        "swimming" => "swim",
        "walking" => "walk",
        "hiking" => "hike",
        _ => "activity",
    };
    format!("{part} {what}")
}

/// An age in days in words: "today", "5 days", "3 weeks", "7 months", "4 years".
pub fn age(days: i32) -> String {
    let plural = |n: i64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    let d = i64::from(days.max(0));
    match d {
        0 => "today".to_owned(),
        1..=13 => plural(d, "day"),
        14..=62 => plural((d as f64 / 7.0).round() as i64, "week"),
        63..=729 => plural((d as f64 / 30.44).round() as i64, "month"),
        _ => plural((d as f64 / 365.25).round() as i64, "year"),
    }
}

/// How old a prediction's efforts are, in words: "2 weeks old", "3 days to 4 years old".
///
/// ```
/// use app::format::efforts_age;
/// assert_eq!(efforts_age(3, 3), "3 days old");
/// assert_eq!(efforts_age(20, 1_900), "3 weeks to 5 years old");
/// assert_eq!(efforts_age(0, 0), "from today");
/// ```
pub fn efforts_age(newest_days: i32, oldest_days: i32) -> String {
    let (newest, oldest) = (age(newest_days), age(oldest_days));
    match (newest == oldest, newest.as_str()) {
        (true, "today") => "from today".to_owned(),
        (true, _) => format!("{newest} old"),
        (false, "today") => format!("today to {oldest} old"),
        (false, _) => format!("{newest} to {oldest} old"),
    }
}

/// A duration: `41:05` under an hour, `3:29:59` from an hour on.
pub fn duration(seconds: f64) -> String {
    analysis::time::clock(seconds)
}

/// A file size: `820 B`, `12.3 kB`, `4.56 MB` (decimal units, as browsers show downloads).
pub fn size(bytes: f64) -> String {
    if !(bytes >= 0.0 && bytes.is_finite()) {
        "–".to_owned()
    } else if bytes < 1_000.0 {
        format!("{bytes:.0} B")
    } else if bytes < 1_000_000.0 {
        format!("{:.1} kB", bytes / 1_000.0)
    } else {
        format!("{:.2} MB", bytes / 1_000_000.0)
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
    fn each_sport_reads_its_own_speed() {
        // A ride at 8.14 m/s read as a pace was "2:03 /km"; a swim at 0.702 m/s "23:44 /km".
        let ride = SpeedStyle::of_sport("cycling");
        assert_eq!(ride.show(8.14, Metric), "29.3 km/h");
        assert_eq!(ride.show(8.14, Imperial), "18.2 mph");
        let swim = SpeedStyle::of_sport("swimming");
        assert_eq!(swim.show(100.0 / 105.0, Metric), "1:45 /100 m");
        assert_eq!(swim.show(91.44 / 96.0, Imperial), "1:36 /100 yd");
        assert_eq!(
            SpeedStyle::of_sport("rowing").show(4.0, Metric),
            "2:05 /500 m"
        );
        let run = SpeedStyle::of_sport("running");
        assert_eq!(run.show(5_000.0 / 1_200.0, Metric), "4:00 /km");
        assert!(run.is_pace() && SpeedStyle::of_sport("generic").is_pace() && !ride.is_pace());
        assert_eq!(ride.show(0.0, Metric), "–");
    }

    #[test]
    fn local_times_and_default_names() {
        // 2024-06-01T05:00:00Z at UTC+2 is 07:00 local.
        assert_eq!(
            local_clock(1_717_218_000.0, 7_200.0),
            Some(("2024-06-01".into(), "07:00".into(), 7))
        );
        // 23:30 UTC at UTC+1 is the next day.
        let late = 1_717_218_000.0 + 18.5 * 3_600.0;
        assert_eq!(local_clock(late, 3_600.0).unwrap().0, "2024-06-02");
        assert_eq!(local_clock(f64::NAN, 0.0), None);
        assert_eq!(default_run_name("running", 7), "Morning run");
        assert_eq!(default_run_name("running", 12), "Lunch run");
        assert_eq!(default_run_name("cycling", 15), "Afternoon ride");
        assert_eq!(default_run_name("swimming", 19), "Evening swim");
        assert_eq!(default_run_name("generic", 23), "Night activity");
        assert_eq!(default_run_name("running", 3), "Night run");
    }

    #[test]
    fn sizes() {
        assert_eq!(size(820.0), "820 B");
        assert_eq!(size(12_345.0), "12.3 kB");
        assert_eq!(size(4_560_000.0), "4.56 MB");
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
