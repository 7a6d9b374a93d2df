//! Every file of the shared corpus (`../shared/fixtures`) reaches the run page: the analysis the
//! worker sends as JSON text reads back on the page's side as exactly what was sent. A `NaN`
//! in a plain number field is written as `null` and refused on reading, and the page then showed
//! nothing but serde's message; a `Some(NaN)` would come back as `None`. Both fail here.
//!
//! The corpus is read in place (some files are GPL/AGPL and must not be copied into the
//! project); without it the test prints a note and passes.

#![cfg(not(target_arch = "wasm32"))]

#[path = "../../analysis/tests/common/mod.rs"]
mod common;

use std::path::PathBuf;

use analysis::Athlete;
use app::models::RunAnalysis;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/fixtures");

/// What the page is meant to receive: the analysis without the GPS assessment's per-record
/// track, which stays in the worker.
fn as_sent(mut analysis: RunAnalysis) -> RunAnalysis {
    if let Some(gps) = analysis.report.gps.as_mut() {
        gps.latitude.clear();
        gps.longitude.clear();
        gps.rejected.clear();
    }
    analysis
}

#[test]
fn every_corpus_file_reaches_the_run_page_intact() {
    let root = PathBuf::from(FIXTURES);
    let files = common::corpus_files(&root, &["fit", "gpx", "tcx"]);
    if files.is_empty() {
        common::corpus_absent(FIXTURES);
        return;
    }
    // The defaults, and a runner with every setting (pace zones, rTSS, their own HR zones).
    let runner = Athlete {
        max_hr: Some(188.0),
        rest_hr: Some(48.0),
        threshold_hr: Some(171.0),
        threshold_speed: Some(1000.0 / 255.0),
        ..Athlete::default()
    };
    let mut shown = 0;
    let mut failures = Vec::new();
    for file in &files {
        let bytes = std::fs::read(root.join(file)).expect("a corpus file reads");
        for athlete in [&Athlete::default(), &runner] {
            let sent = RunAnalysis::of(&bytes, athlete);
            let text = RunAnalysis::to_json(&sent);
            match (sent, RunAnalysis::from_json(&text)) {
                (Ok(sent), Ok(read)) => {
                    if read != as_sent(sent) {
                        failures.push(format!(
                            "{file}: the page reads other values than were sent"
                        ));
                    }
                    shown += 1;
                }
                (Ok(_), Err(e)) => failures.push(format!("{file}: {e}")),
                // A file the core cannot read says why, and the page shows that reason.
                (Err(reason), Err(read)) => assert_eq!(reason, read, "{file}"),
                (Err(_), Ok(_)) => failures.push(format!("{file}: an error read back as a run")),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} files:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
    // 194 files, each for two runners; the few the core refuses are its corrupt-file cases.
    assert!(shown >= 2 * 185, "only {shown} analyses reached the page");
}
