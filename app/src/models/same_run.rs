//! One activity is one run in the browser's library: a file whose activity is one the library
//! already has (the same run exported as FIT and as TCX, or synced from two sources) becomes
//! another original of that run, not a second run counted twice in the weekly distance, the
//! fitness and the records. The rule and which file is the richest are the analysis core's
//! ([`analysis::same_activity`]); this keeps the library's runs by it.

use analysis::RunSummary;
use analysis::same_activity::{is_richer, same_activity, start};
use serde::{Deserialize, Serialize};

use super::LocalRun;

/// Another original file of a run (the run's own original is its `id`, `name` and `size`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OtherOriginal {
    /// SHA-256 of its bytes, lower-case hex: where the library keeps it.
    pub sha256: String,
    /// Its file name when it was imported.
    pub name: String,
    /// `fit`, `gpx` or `tcx`.
    pub format: String,
    /// Its size, bytes.
    pub size: f64,
}

/// The run of `runs` whose activity `summary` is, if any: the one that starts nearest.
pub fn find_same<'a>(runs: &'a [LocalRun], summary: &RunSummary) -> Option<&'a LocalRun> {
    let t = start(summary);
    runs.iter()
        .filter(|r| same_activity(&r.summary, summary))
        .min_by(|a, b| {
            let gap = |r: &LocalRun| match (start(&r.summary), t) {
                (Some(s), Some(t)) => (s - t).abs(),
                _ => f64::INFINITY,
            };
            gap(a).total_cmp(&gap(b))
        })
}

/// What becomes of a run when `new` (analysed as `summary`, kept under `sha256`) is another
/// original of it: the run to keep (with the richer original analysed and its id) and the id
/// it had before, when that changed.
pub fn merge(
    run: &LocalRun,
    sha256: &str,
    name: &str,
    size: f64,
    summary: analysis::RunSummary,
) -> (LocalRun, Option<String>) {
    let incoming = OtherOriginal {
        sha256: sha256.to_owned(),
        name: name.to_owned(),
        format: summary.format.clone(),
        size,
    };
    if is_richer(&summary, &run.summary) {
        let mut others = vec![OtherOriginal {
            sha256: run.id.clone(),
            name: run.name.clone(),
            format: run.summary.format.clone(),
            size: run.size,
        }];
        others.extend(run.others.iter().cloned());
        // Whatever else the runner gave the run stays with it.
        let mut merged = run.clone();
        merged.id = sha256.to_owned();
        merged.name = name.to_owned();
        merged.size = size;
        merged.summary = summary;
        merged.others = others;
        (merged, Some(run.id.clone()))
    } else {
        let mut merged = run.clone();
        merged.others.push(incoming);
        (merged, None)
    }
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

    fn local(id: &str, s: RunSummary) -> LocalRun {
        LocalRun {
            id: id.to_owned(),
            name: format!("{id}.{}", s.format),
            size: 10.0,
            summary: s,
            ..LocalRun::default()
        }
    }

    #[test]
    fn the_richer_original_is_analysed_and_the_others_kept() {
        let gpx = local(
            "g",
            summary("gpx", "running", "2024-05-01T06:30:00Z", 3_600.0, 900),
        );
        let tcx = summary("tcx", "running", "2024-05-01T06:30:01Z", 3_600.0, 900);
        let (run, replaced) = merge(&gpx, "t", "t.tcx", 20.0, tcx.clone());
        assert_eq!(replaced.as_deref(), Some("g"));
        assert_eq!(
            (
                run.id.as_str(),
                run.name.as_str(),
                run.summary.format.as_str()
            ),
            ("t", "t.tcx", "tcx")
        );
        assert_eq!(run.others.len(), 1);
        assert_eq!(
            (run.others[0].sha256.as_str(), run.others[0].name.as_str()),
            ("g", "g.gpx")
        );
        // A poorer one joins the others.
        let gpx2 = summary("gpx", "running", "2024-05-01T06:30:00Z", 3_600.0, 800);
        let (run, replaced) = merge(&run, "g2", "g2.gpx", 5.0, gpx2);
        assert_eq!(replaced, None);
        assert_eq!(run.id, "t");
        let kept: Vec<&str> = run.others.iter().map(|o| o.sha256.as_str()).collect();
        assert_eq!(kept, ["g", "g2"]);
        assert!(run.holds("g2") && run.holds("t") && !run.holds("x"));
    }

    #[test]
    fn the_nearest_start_is_the_match() {
        let runs = vec![
            local(
                "a",
                summary("fit", "running", "2024-05-01T06:30:00Z", 3_600.0, 1),
            ),
            local(
                "b",
                summary("fit", "running", "2024-05-01T06:30:50Z", 3_600.0, 1),
            ),
        ];
        let tcx = summary("tcx", "running", "2024-05-01T06:30:40Z", 3_600.0, 1);
        assert_eq!(find_same(&runs, &tcx).map(|r| r.id.as_str()), Some("b"));
        let other_day = summary("tcx", "running", "2024-05-02T06:30:40Z", 3_600.0, 1);
        assert!(find_same(&runs, &other_day).is_none());
    }
}
