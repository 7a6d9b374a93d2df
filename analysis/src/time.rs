//! UTC timestamps as text. Stride keeps times as Unix seconds (UTC) and formats them here, with no
//! date-time crate: the calendar arithmetic is Howard Hinnant's `civil_from_days`.

/// Formats Unix seconds as RFC 3339 in UTC, to the whole second: `2024-06-01T05:00:00Z`.
/// `None` for a time that is not finite or outside years 0–9999.
///
/// ```
/// assert_eq!(analysis::time::format_rfc3339(0.0).as_deref(), Some("1970-01-01T00:00:00Z"));
/// assert_eq!(analysis::time::format_rfc3339(1_717_218_000.4).as_deref(), Some("2024-06-01T05:00:00Z"));
/// ```
pub fn format_rfc3339(unix_seconds: f64) -> Option<String> {
    // Years 0..=9999 span these seconds.
    const MIN: f64 = -62_167_219_200.0;
    const MAX: f64 = 253_402_300_799.0;
    if !unix_seconds.is_finite() {
        return None;
    }
    let secs = unix_seconds.floor();
    if !(MIN..=MAX).contains(&secs) {
        return None;
    }
    let secs = secs as i64;
    let days = secs.div_euclid(86_400);
    let of_day = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    Some(format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        of_day / 3_600,
        of_day / 60 % 60,
        of_day % 60
    ))
}

/// The proleptic Gregorian (year, month, day) of a count of days since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants() {
        // The FIT epoch, 1989-12-31T00:00:00Z, is Unix 631 065 600.
        assert_eq!(
            format_rfc3339(631_065_600.0).unwrap(),
            "1989-12-31T00:00:00Z"
        );
        // A leap day and the last second of a year.
        assert_eq!(
            format_rfc3339(951_782_400.0).unwrap(),
            "2000-02-29T00:00:00Z"
        );
        assert_eq!(
            format_rfc3339(1_767_225_599.0).unwrap(),
            "2025-12-31T23:59:59Z"
        );
        // Before 1970.
        assert_eq!(format_rfc3339(-1.0).unwrap(), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn out_of_range_is_none() {
        assert_eq!(format_rfc3339(f64::NAN), None);
        assert_eq!(format_rfc3339(f64::INFINITY), None);
        assert_eq!(format_rfc3339(1e13), None);
        assert_eq!(format_rfc3339(-1e12), None);
    }

    #[test]
    fn every_day_of_four_centuries_round_trips() {
        // days_from_civil, the inverse, checked over 1900..2300 including 2000 (leap) and 2100 (not).
        let mut days = -25_567; // 1900-01-01
        let mut last = civil_from_days(days - 1);
        while days < 120_000 {
            let (y, m, d) = civil_from_days(days);
            if d == 1 {
                assert!(last.2 >= 28, "{last:?} -> {y}-{m}-{d}");
                assert!(m == last.1 % 12 + 1);
            } else {
                assert_eq!((y, m, d), (last.0, last.1, last.2 + 1));
            }
            last = (y, m, d);
            days += 1;
        }
        assert_eq!(civil_from_days(47_540), (2100, 2, 28));
        assert_eq!(civil_from_days(47_541), (2100, 3, 1));
    }
}
