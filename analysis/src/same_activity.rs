//! One activity is one run: the same run exported as FIT and as TCX, or synced from two
//! sources, must count once in the weekly distance, the fitness and the records.
//!
//! Two summaries are the same activity when their sports agree (or one file does not say),
//! they start within [`START_TOLERANCE_S`] of each other, and their time spans overlap for at
//! least [`MIN_OVERLAP`] of the shorter one. Of several files of one activity the richest is
//! the one to analyse: FIT over TCX over GPX (FIT keeps the watch's laps, timer events,
//! sessions and sensor data; TCX keeps laps; GPX only points), then the one with more records.
//! The browser's library applies this when a file is imported; [`one_per_activity`] applies it
//! to a folder's summaries (`stride predict --history`), so both count the same runs.

use crate::summary::RunSummary;
use crate::time::parse_rfc3339;

/// The most two starts of one activity differ, seconds (exporters round, and some start at the
/// first GPS fix rather than at the timer's start).
pub const START_TOLERANCE_S: f64 = 60.0;

/// The share of the shorter time span that the two spans must have in common.
pub const MIN_OVERLAP: f64 = 0.5;

/// Sports as the formats spell them, to one word: TCX's `Running`, GPX's `running` and FIT's
/// `running` are one sport; a file that names none (`generic`, `other`, empty) agrees with any.
fn sport_key(sport: &str) -> Option<String> {
    let s = sport.trim().to_ascii_lowercase().replace([' ', '-'], "_");
    match s.as_str() {
        "" | "generic" | "other" | "unknown" | "all" => None,
        "run" | "treadmill_running" | "trail_running" => Some("running".to_owned()),
        "biking" | "bike" | "ride" => Some("cycling".to_owned()),
        "swim" => Some("swimming".to_owned()),
        _ => Some(s),
    }
}

/// The time span of a summary, UTC seconds: from its start for its elapsed time (else its timer
/// time); `None` without a start.
fn span(s: &RunSummary) -> Option<(f64, f64)> {
    let start = parse_rfc3339(s.start_time.as_deref()?)?;
    let length = s
        .elapsed_s
        .or(s.timer_s)
        .filter(|v| v.is_finite() && *v >= 0.0)
        .unwrap_or(0.0);
    Some((start, start + length))
}

/// The start of a summary, UTC seconds.
pub fn start(s: &RunSummary) -> Option<f64> {
    span(s).map(|s| s.0)
}

/// Whether `a` and `b` summarise the same activity (see the module's rules). Files that hold no
/// activity ([`RunSummary::holds_activity`]) are never the same as anything.
pub fn same_activity(a: &RunSummary, b: &RunSummary) -> bool {
    if !a.holds_activity() || !b.holds_activity() {
        return false;
    }
    if let (Some(x), Some(y)) = (sport_key(&a.sport), sport_key(&b.sport))
        && x != y
    {
        return false;
    }
    let (Some((a0, a1)), Some((b0, b1))) = (span(a), span(b)) else {
        return false;
    };
    if (a0 - b0).abs() > START_TOLERANCE_S {
        return false;
    }
    let shorter = (a1 - a0).min(b1 - b0);
    if shorter <= 0.0 {
        // A span of one instant: the starts agreeing is all there is to compare.
        return true;
    }
    let common = a1.min(b1) - a0.max(b0);
    common >= MIN_OVERLAP * shorter
}

/// How much a format keeps of an activity: FIT 3, TCX 2, GPX 1, anything else 0.
fn format_rank(format: &str) -> u8 {
    match format.to_ascii_lowercase().as_str() {
        "fit" => 3,
        "tcx" => 2,
        "gpx" => 1,
        _ => 0,
    }
}

/// Whether `new` is a richer file of an activity than `old`: a better format, or the same
/// format with more records.
pub fn is_richer(new: &RunSummary, old: &RunSummary) -> bool {
    (format_rank(&new.format), new.records) > (format_rank(&old.format), old.records)
}

/// The summaries with one per activity, the richest of each, in start order (files without a
/// start, and those without an activity, all kept, after). The input's order does not matter.
///
/// ```
/// use analysis::RunSummary;
/// use analysis::same_activity::one_per_activity;
/// let file = |format: &str, start: &str| RunSummary {
///     format: format.into(),
///     sport: "running".into(),
///     start_time: Some(start.into()),
///     elapsed_s: Some(3_600.0),
///     records: 3_600,
///     ..RunSummary::default()
/// };
/// let (fit, tcx) = (file("fit", "2024-05-01T06:30:00Z"), file("tcx", "2024-05-01T06:30:03Z"));
/// let next_day = file("gpx", "2024-05-02T06:30:00Z");
/// let kept = one_per_activity([&tcx, &next_day, &fit]);
/// assert_eq!(kept, [&fit, &next_day]);
/// ```
pub fn one_per_activity<'a>(
    summaries: impl IntoIterator<Item = &'a RunSummary>,
) -> Vec<&'a RunSummary> {
    // Each start parsed once; the dashboard runs this over the whole library at every change
    // of the settings.
    let mut sorted: Vec<(Option<f64>, &RunSummary)> =
        summaries.into_iter().map(|s| (start(s), s)).collect();
    sorted.sort_by(|(a, _), (b, _)| match (a, b) {
        (Some(x), Some(y)) => x.total_cmp(y),
        (x, y) => y.is_some().cmp(&x.is_some()),
    });
    let mut kept: Vec<(Option<f64>, &RunSummary)> = Vec::with_capacity(sorted.len());
    for (t, s) in sorted {
        // Kept runs are in start order: look back only over those starting at most a minute
        // before (undated summaries come last and match nothing).
        let mut found = None;
        if let Some(t) = t {
            for i in (0..kept.len()).rev() {
                match kept[i].0 {
                    Some(k) if t - k <= START_TOLERANCE_S => {
                        if same_activity(kept[i].1, s) {
                            found = Some(i);
                            break;
                        }
                    }
                    _ => break,
                }
            }
        }
        match found {
            Some(i) if is_richer(s, kept[i].1) => kept[i] = (t, s),
            Some(_) => {}
            None => kept.push((t, s)),
        }
    }
    kept.into_iter().map(|(_, s)| s).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(format: &str, sport: &str, start: &str, elapsed: f64, records: usize) -> RunSummary {
        RunSummary {
            format: format.to_owned(),
            sport: sport.to_owned(),
            start_time: Some(start.to_owned()),
            elapsed_s: Some(elapsed),
            records,
            ..RunSummary::default()
        }
    }

    #[test]
    fn one_activity_in_two_formats_is_the_same() {
        let fit = summary("fit", "running", "2024-05-01T06:30:00Z", 3_763.0, 3_100);
        // TCX from the same watch: the sport capitalised, the start a few seconds later.
        let tcx = summary("tcx", "Running", "2024-05-01T06:30:04Z", 3_700.0, 3_000);
        let gpx = summary("gpx", "", "2024-05-01T06:30:00Z", 3_763.0, 3_100);
        assert!(same_activity(&fit, &tcx));
        assert!(same_activity(&gpx, &fit));
        assert!(is_richer(&fit, &tcx) && is_richer(&tcx, &gpx) && !is_richer(&gpx, &fit));
    }

    #[test]
    fn different_activities_are_not() {
        let run = summary("fit", "running", "2024-05-01T06:30:00Z", 3_600.0, 1);
        // The same morning, a ride.
        let ride = summary("fit", "cycling", "2024-05-01T06:30:00Z", 3_600.0, 1);
        assert!(!same_activity(&run, &ride));
        // Two minutes apart.
        let later = summary("fit", "running", "2024-05-01T06:32:00Z", 3_600.0, 1);
        assert!(!same_activity(&run, &later));
        // A one-minute file that starts with the run: all of it is inside the run.
        let short = summary("fit", "running", "2024-05-01T06:30:30Z", 60.0, 1);
        assert!(same_activity(&run, &short));
        // No start time: nothing to match on. No activity: never the same.
        let undated = RunSummary {
            start_time: None,
            ..run.clone()
        };
        assert!(!same_activity(&run, &undated));
        let settings = summary("fit", "running", "2024-05-01T06:30:00Z", 3_600.0, 0);
        assert!(!same_activity(&run, &settings));
    }

    #[test]
    fn one_per_activity_keeps_the_richest_whatever_the_order() {
        let gpx = summary("gpx", "running", "2024-05-01T06:30:00Z", 3_600.0, 900);
        let tcx = summary("tcx", "running", "2024-05-01T06:30:01Z", 3_600.0, 900);
        let fit = summary("fit", "running", "2024-05-01T06:30:02Z", 3_600.0, 900);
        let other = summary("fit", "running", "2024-05-01T18:00:00Z", 1_800.0, 900);
        let undated = RunSummary {
            start_time: None,
            ..other.clone()
        };
        for order in [
            vec![&gpx, &tcx, &fit, &other, &undated],
            vec![&undated, &fit, &other, &gpx, &tcx],
        ] {
            assert_eq!(one_per_activity(order), [&fit, &other, &undated]);
        }
    }
}
