//! The tiled map puts every corpus run where its device recorded it: each point of the raw
//! track, taken back from the chart's local metres to degrees, is one of the file's own fixes
//! (to a centimetre), the bounds hold every point, start and finish are the route's ends, and
//! the coloured stretches draw every repaired point once, joined end to start.
//!
//! The corpus is read in place (`../shared/fixtures`); without it the test prints a note and
//! passes.

#![cfg(not(target_arch = "wasm32"))]

#[path = "../../analysis/tests/common/mod.rs"]
mod common;

use std::path::PathBuf;

use analysis::Athlete;
use analysis::series::equirectangular_m;
use app::components::charts::MapColour;
use app::components::charts::route_map::{
    bounds_deg, ends_deg, nearest_point, raw_track_deg, stretches,
};
use app::models::RunAnalysis;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/fixtures");

#[test]
fn every_corpus_route_lies_on_its_own_fixes() {
    let root = PathBuf::from(FIXTURES);
    let files = common::corpus_files(&root, &["fit", "gpx", "tcx"]);
    if files.is_empty() {
        common::corpus_absent(FIXTURES);
        return;
    }
    let mut mapped = 0;
    let mut failures = Vec::new();
    for file in &files {
        let bytes = std::fs::read(root.join(file)).expect("a corpus file reads");
        let Ok(activity) = analysis::decode(&bytes) else {
            continue;
        };
        let Ok(analysis) = RunAnalysis::of(&bytes, &Athlete::default()) else {
            continue;
        };
        let Some(chart) = analysis.chart else {
            continue;
        };
        let Some(route) = chart.route.as_ref() else {
            continue;
        };
        let records = &activity.records;
        let (Some(lat), Some(lon)) = (records.latitude.as_deref(), records.longitude.as_deref())
        else {
            failures.push(format!("{file}: a route without positions in the file"));
            continue;
        };
        // The file's fixes, by rounded position, to look each drawn point up.
        let mut fixes: Vec<(f64, f64)> = lat
            .iter()
            .zip(lon)
            .filter(|(a, o)| a.is_finite() && o.is_finite())
            .map(|(&a, &o)| (a, o))
            .collect();
        fixes.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        let raw = raw_track_deg(route);
        let off_fix = raw.iter().flatten().find(|&&(a, o)| {
            let i = fixes.partition_point(|f| f.0 < a - 1e-6);
            !fixes[i..]
                .iter()
                .take_while(|f| f.0 <= a + 1e-6)
                .any(|f| equirectangular_m(a, o, f.0, f.1) < 0.01)
        });
        if let Some(p) = off_fix {
            failures.push(format!("{file}: drawn at {p:?}, where the file has no fix"));
            continue;
        }
        let Some(((s, w), (n, e))) = bounds_deg(route) else {
            failures.push(format!("{file}: a route without bounds"));
            continue;
        };
        let inside =
            |&(a, o): &(f64, f64)| a >= s - 1e-9 && a <= n + 1e-9 && o >= w - 1e-9 && o <= e + 1e-9;
        if !raw.iter().flatten().all(inside) {
            failures.push(format!("{file}: a raw point outside the bounds"));
        }
        let repaired: Vec<(f64, f64)> = (0..route.x_m.len())
            .filter_map(|i| route.point_deg(i))
            .collect();
        let (start, finish) = ends_deg(route).expect("a route with points has ends");
        if (start, finish) != (repaired[0], *repaired.last().unwrap()) || !inside(&start) {
            failures.push(format!("{file}: start/finish are not the route's ends"));
        }
        // The stretches draw each repaired point, the first of each stretch repeating the last
        // of the one before (where the line does not break).
        let drawn = stretches(&chart, MapColour::Pace);
        let mut points: Vec<(f64, f64)> = Vec::new();
        for stretch in &drawn {
            let joins = points.last() == stretch.points.first();
            points.extend(stretch.points.iter().skip(usize::from(joins)));
        }
        if points != repaired {
            failures.push(format!(
                "{file}: the stretches draw {} points of {}",
                points.len(),
                repaired.len()
            ));
        }
        if drawn
            .iter()
            .any(|s| !s.colour.starts_with('#') || s.colour.len() != 7)
        {
            failures.push(format!("{file}: a stretch without a #rrggbb colour"));
        }
        // Hovering the map on a point finds that point (or one at the same place).
        let mid = repaired.len() / 2;
        let at = repaired[mid];
        match nearest_point(route, at, 1.0).and_then(|i| route.point_deg(i)) {
            Some(p) if equirectangular_m(p.0, p.1, at.0, at.1) < 0.01 => {}
            other => failures.push(format!("{file}: hovering {at:?} found {other:?}")),
        }
        mapped += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Most of the corpus has GPS: a drop here means routes went missing.
    assert!(mapped >= 100, "only {mapped} corpus routes were mapped");
    eprintln!("{mapped} corpus routes placed on their fixes");
}
