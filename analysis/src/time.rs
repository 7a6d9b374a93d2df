//! UTC timestamps as text. Stride keeps times as Unix seconds (UTC) and formats and parses them
//! here, with no date-time crate: the calendar arithmetic is Howard Hinnant's `civil_from_days`
//! and `days_from_civil`.

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

/// Parses an RFC 3339 / ISO 8601 date-time, as GPX and TCX write them, into Unix seconds (UTC).
///
/// Accepted: `YYYY-MM-DDTHH:MM:SS`, then optional fractional seconds (any number of digits), then
/// `Z`, `+HH:MM`, `-HH:MM`, `+HHMM` or `+HH`. `T` may also be `t` or a space and `Z` may be `z`.
/// A time without a zone is taken as UTC (GPX requires UTC; the exporters that omit the zone
/// mean it). A leap second (`:60`) counts as the next second's start. Surrounding ASCII
/// whitespace is ignored. `None` for anything else, including impossible dates (February 30,
/// hour 25, …).
///
/// ```
/// use analysis::time::parse_rfc3339;
/// assert_eq!(parse_rfc3339("2024-06-01T05:00:00Z"), Some(1_717_218_000.0));
/// assert_eq!(parse_rfc3339("2024-06-01T07:00:00.250+02:00"), Some(1_717_218_000.25));
/// assert_eq!(parse_rfc3339("2024-06-31T00:00:00Z"), None);
/// ```
pub fn parse_rfc3339(text: &str) -> Option<f64> {
    let b = text.trim_ascii().as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    if !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let year = digits(&b[0..4])?;
    let month = digits(&b[5..7])?;
    let day = digits(&b[8..10])?;
    let hour = digits(&b[11..13])?;
    let minute = digits(&b[14..16])?;
    let second = digits(&b[17..19])?;
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = &b[19..];
    let mut fraction = 0.0;
    if let [b'.' | b',', tail @ ..] = rest {
        let n = tail.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        // At most 9 digits matter (nanoseconds); more would only overflow the integer.
        let kept = n.min(9);
        fraction = digits(&tail[..kept])? as f64 / 10f64.powi(kept as i32);
        rest = &tail[n..];
    }
    let offset = match rest {
        [] | [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), zone @ ..] => {
            let (h, m) = match zone {
                [h1, h2] => (digits(&[*h1, *h2])?, 0),
                [h1, h2, b':', m1, m2] | [h1, h2, m1, m2] => {
                    (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?)
                }
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            let minutes = i64::from(h * 60 + m);
            if *sign == b'+' { minutes } else { -minutes }
        }
        _ => return None,
    };
    let days = days_from_civil(i64::from(year), month, day);
    let seconds = days * 86_400 + i64::from(hour * 3_600 + minute * 60 + second) - offset * 60;
    Some(seconds as f64 + fraction)
}

/// The value of a run of ASCII digits (at most 9, so it fits), `None` if any byte is not one.
fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

fn is_leap_year(year: u32) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The count of days since 1970-01-01 of a proleptic Gregorian date (the inverse of
/// [`civil_from_days`]); `month` is 1–12 and `day` 1–31.
///
/// ```
/// use analysis::time::{civil_from_days, days_from_civil};
/// assert_eq!(days_from_civil(1970, 1, 1), 0);
/// assert_eq!(civil_from_days(days_from_civil(2000, 2, 29)), (2000, 2, 29));
/// ```
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
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

/// Days since 1970-01-01 of a `YYYY-MM-DD` date; `None` for anything else, and for a day its
/// month does not have (31 February). The one date parser of Stride: the runs list, the
/// dashboard's `?day=` and `stride predict --today` all read dates with it.
///
/// ```
/// use analysis::time::{date_text, parse_date};
/// assert_eq!(parse_date("1970-01-02"), Some(1));
/// assert_eq!(parse_date("2024-02-29").map(date_text).as_deref(), Some("2024-02-29"));
/// assert_eq!(parse_date("2023-02-29"), None);
/// assert_eq!(parse_date("2023-02-31"), None);
/// assert_eq!(parse_date("2023-13-01"), None);
/// assert_eq!(parse_date("2023-1-01"), None);
/// assert_eq!(parse_date("yesterday"), None);
/// ```
pub fn parse_date(text: &str) -> Option<i64> {
    let mut parts = text.trim().split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if parts.next().is_some() || !digits(y, 4) || !digits(m, 2) || !digits(d, 2) {
        return None;
    }
    let (y, m, d): (i64, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let days = days_from_civil(y, m, d);
    (civil_from_days(days) == (y, m, d)).then_some(days)
}

/// `YYYY-MM-DD` of a count of days since 1970-01-01.
pub fn date_text(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Seconds as a clock, `h:mm:ss` from an hour on and `m:ss` under it, rounded to the second;
/// `–` for a time that is not one. The one clock format of Stride (race times, run times,
/// paces, command-line output).
///
/// ```
/// use analysis::time::clock;
/// assert_eq!(clock(11_509.0), "3:11:49");
/// assert_eq!(clock(2_501.6), "41:42");
/// assert_eq!(clock(59.4), "0:59");
/// assert_eq!(clock(f64::NAN), "–");
/// ```
pub fn clock(seconds: f64) -> String {
    if !(seconds.is_finite() && seconds >= 0.0) {
        return "–".to_owned();
    }
    let s = seconds.round() as u64;
    if s >= 3_600 {
        format!("{}:{:02}:{:02}", s / 3_600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// A clock as seconds: `1:31:35`, `19:57`, or plain seconds `75.5`; minutes and seconds under
/// an hour or minute must be under 60. `None` for anything else, and for zero.
///
/// ```
/// use analysis::time::parse_clock;
/// assert_eq!(parse_clock("1:31:35"), Some(5_495.0));
/// assert_eq!(parse_clock("19:57"), Some(1_197.0));
/// assert_eq!(parse_clock("75.5"), Some(75.5));
/// assert_eq!(parse_clock("1:75"), None);
/// assert_eq!(parse_clock("1:61:00"), None);
/// ```
pub fn parse_clock(text: &str) -> Option<f64> {
    let parts: Vec<&str> = text.trim().split(':').collect();
    if parts.is_empty() || parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    let (last, head) = parts.split_last()?;
    let secs: f64 = last.parse().ok()?;
    if !secs.is_finite() || secs < 0.0 || (!head.is_empty() && secs >= 60.0) {
        return None;
    }
    let mut total = 0.0;
    for (i, p) in head.iter().enumerate() {
        let v: u32 = p.parse().ok()?;
        // Minutes below hours must be under 60.
        if i > 0 && v >= 60 {
            return None;
        }
        total = total * 60.0 + f64::from(v);
    }
    let t = total * 60.0 + secs;
    (t > 0.0).then_some(t)
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

    #[test]
    fn days_from_civil_inverts_civil_from_days() {
        for days in (-800_000..800_000).step_by(7) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
    }

    #[test]
    fn parses_the_dialects_of_gpx_and_tcx_exporters() {
        // 2014-10-11T18:08:45Z is Unix 1 413 050 925 (date -u -d @1413050925).
        let t = 1_413_050_925.0;
        for text in [
            "2014-10-11T18:08:45Z",
            "2014-10-11T18:08:45.000Z",
            "2014-10-11T18:08:45",
            "2014-10-11t18:08:45z",
            "2014-10-11 18:08:45Z",
            "  2014-10-11T18:08:45Z\n",
            "2014-10-11T20:08:45+02:00",
            "2014-10-11T20:08:45+0200",
            "2014-10-11T20:08:45+02",
            "2014-10-11T14:38:45-03:30",
            "2014-10-11T18:08:45.000000000000Z",
        ] {
            assert_eq!(parse_rfc3339(text), Some(t), "{text:?}");
        }
        assert_eq!(parse_rfc3339("2014-10-11T18:08:45.340Z"), Some(t + 0.34));
        assert_eq!(parse_rfc3339("2014-10-11T18:08:45,5Z"), Some(t + 0.5));
        let nanos = parse_rfc3339("2014-10-11T18:08:45.123456789Z").unwrap();
        assert!((nanos - t - 0.123_456_789).abs() < 1e-6);
        // The last second of 2016 was a leap second.
        assert_eq!(
            parse_rfc3339("2016-12-31T23:59:60Z"),
            parse_rfc3339("2017-01-01T00:00:00Z")
        );
        assert_eq!(parse_rfc3339("1969-12-31T23:59:59Z"), Some(-1.0));
        assert_eq!(parse_rfc3339("2000-02-29T00:00:00Z"), Some(951_782_400.0));
        let round = format_rfc3339(parse_rfc3339("2025-12-31T23:59:59Z").unwrap());
        assert_eq!(round.as_deref(), Some("2025-12-31T23:59:59Z"));
    }

    #[test]
    fn rejects_what_is_not_a_date_time() {
        for text in [
            "",
            "2014-10-11",
            "2014-10-11T18:08",
            "2014-10-11T18:08:45Q",
            "2014-10-11T18:08:45.Z",
            "2014-10-11T18:08:45+2",
            "2014-10-11T18:08:45+24:00",
            "2014-13-11T18:08:45Z",
            "2014-00-11T18:08:45Z",
            "2014-02-29T18:08:45Z",
            "2100-02-29T00:00:00Z",
            "2014-04-31T00:00:00Z",
            "2014-10-11T24:00:00Z",
            "2014-10-11T18:60:00Z",
            "2014-10-11T18:08:61Z",
            "2014-1O-11T18:08:45Z",
            "+014-10-11T18:08:45Z",
            "2014/10/11T18:08:45Z",
            "Jan 5 2012, 14:56:11",
        ] {
            assert_eq!(parse_rfc3339(text), None, "{text:?}");
        }
    }
}
