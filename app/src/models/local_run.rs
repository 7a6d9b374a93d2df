use analysis::RunSummary;
use serde::{Deserialize, Serialize};

use super::same_run::OtherOriginal;

/// One run of the browser's library: what the list shows. The original file is kept next to it
/// under the same id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LocalRun {
    /// The SHA-256 of the original file's bytes, lower-case hex: the run's address
    /// (`/runs/<id>`) and why importing the same file twice keeps one run.
    pub id: String,
    /// The file's name when it was imported.
    pub name: String,
    /// The original's size, bytes.
    pub size: f64,
    /// The summary computed when the file was imported.
    pub summary: RunSummary,
    /// The other originals of this run: the same activity from another format or source,
    /// each kept in the library under its own SHA-256; the run analyses the richest, its `id`
    /// ([`same_run`](super::same_run)).
    #[serde(default)]
    pub others: Vec<OtherOriginal>,
    /// The name the runner gave the run, if any (else the file's, else "Morning run" and kin).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The runner's notes.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

impl LocalRun {
    /// The start date, `YYYY-MM-DD` (UTC), or `–` without a start time.
    pub fn date(&self) -> String {
        self.summary
            .start_time
            .as_deref()
            .and_then(|t| t.get(..10))
            .unwrap_or("–")
            .to_owned()
    }

    /// The sport as words: `running`, `cross country skiing`.
    pub fn sport(&self) -> String {
        self.summary.sport.replace('_', " ")
    }

    /// The run with its loads recomputed for the runner's settings (from the summary's
    /// settings-independent basis; unchanged for a summary made before it existed).
    pub fn for_athlete(&self, athlete: &analysis::Athlete) -> Self {
        Self {
            summary: self.summary.for_athlete(athlete),
            ..self.clone()
        }
    }

    /// The UTC offset the run's local time is read at, seconds: the recording device's own
    /// when the file says, else `fallback` (the browser's, for that instant).
    pub fn offset_s(&self, fallback: impl Fn(f64) -> f64) -> f64 {
        self.summary
            .utc_offset_s
            .or_else(|| self.start_s().map(fallback))
            .unwrap_or(0.0)
    }

    /// The start, Unix seconds (UTC).
    pub fn start_s(&self) -> Option<f64> {
        analysis::time::parse_rfc3339(self.summary.start_time.as_deref()?)
    }

    /// The local start date and clock time (`2024-05-01`, `06:32`) at `offset_s`.
    pub fn local_start(&self, offset_s: f64) -> Option<(String, String)> {
        let (date, time, _) = crate::format::local_clock(self.start_s()?, offset_s)?;
        Some((date, time))
    }

    /// The local date the run started (`2024-05-01`), at its own offset or the browser's: the
    /// day the list shows it on, and the day the date filter, the calendar and the volume bars
    /// count it on.
    pub fn local_date(&self) -> Option<String> {
        let offset = self.offset_s(crate::format::zone_offset_s);
        self.local_start(offset).map(|(date, _)| date)
    }

    /// What the run is called: the runner's name for it, else the file's own, else "Morning
    /// run" and kin by the local hour it started (at `offset_s`), as Strava names them.
    pub fn display_name(&self, offset_s: f64) -> String {
        let given = |n: &Option<String>| {
            n.as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_owned)
        };
        given(&self.title)
            .or_else(|| given(&self.summary.name))
            .unwrap_or_else(|| {
                let hour = self
                    .start_s()
                    .and_then(|t| crate::format::local_clock(t, offset_s))
                    .map(|c| c.2);
                match hour {
                    Some(h) => crate::format::default_run_name(&self.summary.sport, h),
                    None => self.sport(),
                }
            })
    }

    /// Whether `sha256` is one of this run's originals (the analysed one or another).
    pub fn holds(&self, sha256: &str) -> bool {
        self.id == sha256 || self.others.iter().any(|o| o.sha256 == sha256)
    }

    /// Average speed over timer time, m/s, when both are known.
    pub fn avg_speed(&self) -> Option<f64> {
        let distance = self.summary.distance_m?;
        let timer = self.summary.timer_s.filter(|t| *t > 0.0)?;
        Some(distance / timer)
    }
}

/// Newest first; runs without a start time last, then by name.
pub fn sort_newest_first(runs: &mut [LocalRun]) {
    runs.sort_by(|a, b| {
        b.summary
            .start_time
            .cmp(&a.summary.start_time)
            .then_with(|| a.name.cmp(&b.name))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(name: &str, start: Option<&str>) -> LocalRun {
        LocalRun {
            id: name.to_owned(),
            name: name.to_owned(),
            size: 0.0,
            summary: RunSummary {
                start_time: start.map(str::to_owned),
                sport: "cross_country_skiing".to_owned(),
                distance_m: Some(10_000.0),
                timer_s: Some(2_500.0),
                ..RunSummary::default()
            },
            ..LocalRun::default()
        }
    }

    #[test]
    fn names_and_local_times() {
        let mut r = run("a.fit", Some("2024-05-01T06:30:00Z"));
        r.summary.sport = "running".into();
        // The file says nothing of its zone: the browser's (here UTC+2) is used.
        let offset = r.offset_s(|_| 7_200.0);
        assert_eq!(offset, 7_200.0);
        assert_eq!(
            r.local_start(offset),
            Some(("2024-05-01".into(), "08:30".into()))
        );
        assert_eq!(r.display_name(offset), "Morning run");
        // The watch's own offset wins: 06:30 UTC at UTC-7 is 23:30 the day before.
        r.summary.utc_offset_s = Some(-7.0 * 3_600.0);
        let offset = r.offset_s(|_| 7_200.0);
        assert_eq!(
            r.local_start(offset),
            Some(("2024-04-30".into(), "23:30".into()))
        );
        assert_eq!(r.display_name(offset), "Night run");
        // The file's name, then the runner's.
        r.summary.name = Some("Parkrun".into());
        assert_eq!(r.display_name(offset), "Parkrun");
        r.title = Some("  ".into());
        assert_eq!(r.display_name(offset), "Parkrun");
        r.title = Some("Tempo with Ada".into());
        assert_eq!(r.display_name(offset), "Tempo with Ada");
    }

    #[test]
    fn date_sport_and_speed() {
        let r = run("a", Some("2024-05-01T06:30:00Z"));
        assert_eq!(r.date(), "2024-05-01");
        assert_eq!(r.sport(), "cross country skiing");
        assert_eq!(r.avg_speed(), Some(4.0));
        assert_eq!(run("b", None).date(), "–");
    }

    #[test]
    fn loads_follow_the_settings() {
        // A real run of the project's fixtures, summarised with the defaults as at import.
        let fit = include_bytes!("../../../analysis/tests/fixtures/garmin-fenix-5-run.fit");
        let defaults = analysis::Athlete::default();
        let stored = LocalRun {
            id: "x".into(),
            name: "fenix".into(),
            size: fit.len() as f64,
            summary: analysis::summary::analyze_bytes(fit, &defaults).unwrap(),
            ..LocalRun::default()
        };
        let mine = analysis::Athlete {
            max_hr: Some(172.0),
            rest_hr: Some(41.0),
            threshold_speed: Some(4.0),
            ..defaults.clone()
        };
        let shown = stored.for_athlete(&mine);
        let direct = analysis::summary::analyze_bytes(fit, &mine).unwrap();
        assert_eq!(shown.summary.load, direct.load);
        assert!(direct.load.rtss.is_some());
        assert_ne!(shown.summary.load.trimp, stored.summary.load.trimp);
        assert_eq!(shown.for_athlete(&defaults), stored);
        // A summary from before the basis keeps its loads.
        let mut old = stored.clone();
        old.summary.basis = None;
        assert!(old.summary.is_stale());
        assert_eq!(old.for_athlete(&mine), old);
    }

    #[test]
    fn newest_first() {
        let mut runs = vec![
            run("old", Some("2023-01-01T00:00:00Z")),
            run("none", None),
            run("new", Some("2024-01-01T00:00:00Z")),
        ];
        sort_newest_first(&mut runs);
        let names: Vec<_> = runs.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["new", "old", "none"]);
    }
}
