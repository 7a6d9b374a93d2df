//! Best efforts over the whole shared corpus: a best effort is a stretch of the run, timed the
//! way the run is (on the timer), so no best effort takes longer than the whole run. A treadmill
//! run paused twice showed a best 10 km of 58:27 inside 10.63 km run in 51:37 when best efforts
//! were timed on the wall clock.
//!
//! The corpus is read in place; without it the test prints a note and passes.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::path::PathBuf;

use analysis::{Athlete, metrics::Run};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/fixtures");

#[test]
fn no_best_effort_takes_longer_than_its_run() {
    let root = PathBuf::from(FIXTURES);
    let files = common::corpus_files(&root, &["fit", "gpx", "tcx"]);
    if files.is_empty() {
        common::corpus_absent(FIXTURES);
        return;
    }
    let athlete = Athlete::default();
    let (mut checked, mut paused) = (0, 0);
    let mut slower = Vec::new();
    for file in &files {
        let Ok(activity) = analysis::decode(&std::fs::read(root.join(file)).unwrap()) else {
            continue;
        };
        let run = Run::new(&activity, &athlete);
        let timer = run.timeline().timer_s;
        let elapsed = {
            let t = run.times();
            let first = t.iter().copied().find(|v| v.is_finite());
            let last = t.iter().rev().copied().find(|v| v.is_finite());
            first.zip(last).map_or(0.0, |(a, b)| b - a)
        };
        for effort in run.best_efforts() {
            checked += 1;
            if effort.time_s > timer + 1e-6 {
                slower.push(format!(
                    "{file}: best {} in {:.0} s, the run's timer time {timer:.0} s",
                    effort.label, effort.time_s
                ));
            }
        }
        if elapsed - timer > 60.0 && !run.best_efforts().is_empty() {
            paused += 1;
        }
    }
    assert!(slower.is_empty(), "{}", slower.join("\n"));
    // The check means something: many efforts, and runs with real pauses among them.
    assert!(checked > 300, "{checked} best efforts");
    assert!(paused >= 10, "{paused} runs with pauses");
}
