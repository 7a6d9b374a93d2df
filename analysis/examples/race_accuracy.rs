//! Prints the race predictors' accuracy on the gcookbook `marathon` data (half → marathon) as a
//! Markdown table, for BENCHMARKS.md.
//!
//! `cargo run -p analysis --example race_accuracy [-- PATH.csv]`; the CSV (`Half,Full` in
//! minutes, GPL-2 data, not in this repository) is found as in `tests/race_accuracy.rs`.
//! Population parameters are the shipped ones, fitted on the even rows: only the odd rows are
//! held out, so only they are reported as Stride's accuracy.

use analysis::models::accuracy::evaluate;
use analysis::models::{Cameron, Effort, RacePredictor, Riegel, Stride, Vdot};

fn main() {
    let path = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("STRIDE_MARATHON_CSV").ok())
        .or_else(|| {
            std::env::var("HOME")
                .ok()
                .map(|h| format!("{h}/.cache/stride/data/gcookbook_marathon.csv"))
        });
    let Some(text) = path
        .as_deref()
        .and_then(|p| std::fs::read_to_string(p).ok())
    else {
        eprintln!("no gcookbook marathon CSV found: pass its path (see tests/race_accuracy.rs)");
        std::process::exit(2);
    };
    let held_out: Vec<(Effort, Effort)> = text
        .lines()
        .skip(1)
        .filter_map(|line| {
            let (h, f) = line.split_once(',')?;
            let (h, f): (f64, f64) = (h.trim().parse().ok()?, f.trim().parse().ok()?);
            Some((
                Effort::race(21_097.5, h * 60.0),
                Effort::race(42_195.0, f * 60.0),
            ))
        })
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, p)| p)
        .collect();
    let stride = Stride::default();
    let riegel = Riegel::default();
    let predictors: [(&dyn RacePredictor, &str); 4] = [
        (&stride, "Stride"),
        (&riegel, "Riegel 1.06"),
        (&Vdot, "Daniels VDOT"),
        (&Cameron, "Cameron"),
    ];
    println!(
        "| half → marathon (gcookbook, held-out odd rows) | n | MAPE | median APE | bias | within 3 % | in interval |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (p, label) in predictors {
        if let Some(a) = evaluate(p, &held_out) {
            println!(
                "| {label} | {} | {:.2} % | {:.2} % | {:+.2} % | {:.0} % | {:.0} % |",
                a.n, a.mape_pct, a.median_ape_pct, a.bias_pct, a.within_3_pct, a.coverage_pct
            );
        }
    }
}
