//! Accuracy of the race predictors on public results: the half and full marathon times of the
//! 520 runners in R's gcookbook `marathon` data set (from Downey's *Think Stats*).
//!
//! The data are GPL-2 and are not in this repository. The test reads a two-column CSV
//! (`Half,Full`, minutes, one runner per row, in the package's row order) from
//! `$STRIDE_MARATHON_CSV`, else `$HOME/.cache/stride/data/gcookbook_marathon.csv`, and skips
//! with a note when neither exists. To make it: take `data/marathon.rda` from the gcookbook
//! package (version 2.0.1) and convert it, e.g. with the PyPI package `rdata`:
//! `rdata.read_rda("marathon.rda")["marathon"].to_csv(path, index=False)`.
//!
//! Split: Stride's two population parameters (the marathon fade and its spread) were fitted on
//! the even rows (0-based) only; the odd rows are the held-out test. The test refits them on the
//! even rows and fails if the shipped constants differ, then checks that Stride beats Riegel
//! clearly on the odd rows. The swapped fold is printed too.
//!
//! `cargo run -p analysis --example race_accuracy` prints the same table.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::BTreeMap;

use analysis::models::accuracy::{Accuracy, evaluate, evaluate_cases};
use analysis::models::{Cameron, Effort, RacePredictor, Riegel, STRIDE_POPULATION, Stride, Vdot};

const HALF: f64 = 21_097.5;
const MARATHON: f64 = 42_195.0;

fn csv_path() -> Option<std::path::PathBuf> {
    let path = std::env::var_os("STRIDE_MARATHON_CSV")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .map(|h| std::path::Path::new(&h).join(".cache/stride/data/gcookbook_marathon.csv"))
        })?;
    path.exists().then_some(path)
}

/// (half, full) races per runner, in file order.
fn load() -> Option<Vec<(Effort, Effort)>> {
    let Some(path) = csv_path() else {
        eprintln!(
            "race_accuracy: skipped, no gcookbook marathon CSV (set STRIDE_MARATHON_CSV; see the \
             file's header)"
        );
        return None;
    };
    let text = std::fs::read_to_string(&path).expect("readable CSV");
    let pairs: Vec<(Effort, Effort)> = text
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut cols = line.split(',').map(|c| c.trim().trim_matches('"'));
            let half: f64 = cols.next()?.parse().ok()?;
            let full: f64 = cols.next()?.parse().ok()?;
            Some((
                Effort::race(HALF, half * 60.0),
                Effort::race(MARATHON, full * 60.0),
            ))
        })
        .collect();
    assert_eq!(
        pairs.len(),
        520,
        "the gcookbook marathon data set has 520 runners"
    );
    Some(pairs)
}

fn fold(pairs: &[(Effort, Effort)], parity: usize) -> Vec<(Effort, Effort)> {
    pairs
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 2 == parity)
        .map(|(_, p)| *p)
        .collect()
}

fn row(a: &Accuracy, label: &str) -> String {
    format!(
        "| {label} | {} | {:.2} % | {:.2} % | {:+.2} % | {:.0} % | {:.0} % |",
        a.n, a.mape_pct, a.median_ape_pct, a.bias_pct, a.within_3_pct, a.coverage_pct
    )
}

#[test]
fn stride_beats_riegel_on_held_out_marathons() {
    let Some(pairs) = load() else { return };
    let (train, test) = (fold(&pairs, 0), fold(&pairs, 1));

    // The shipped population is the fit on the training rows, and nothing else.
    let fitted = STRIDE_POPULATION.fit(&train).expect("enough pairs");
    println!(
        "fitted population on even rows: fade {:.4}, fade_sd {:.4}",
        fitted.fade, fitted.fade_sd
    );
    assert!(
        (fitted.fade - STRIDE_POPULATION.fade).abs() < 5e-4
            && (fitted.fade_sd - STRIDE_POPULATION.fade_sd).abs() < 5e-4,
        "STRIDE_POPULATION differs from the training fit {fitted:?}"
    );

    let stride = Stride::default();
    let riegel = Riegel::default();
    let predictors: [(&dyn RacePredictor, &str); 4] = [
        (&stride, "Stride"),
        (&riegel, "Riegel 1.06"),
        (&Vdot, "Daniels VDOT"),
        (&Cameron, "Cameron"),
    ];
    println!(
        "| half → marathon, held-out odd rows | n | MAPE | median APE | bias | within 3 % | in interval |"
    );
    println!("|---|---|---|---|---|---|---|");
    let mut results = Vec::new();
    for (p, label) in predictors {
        let a = evaluate(p, &test).expect("predictions");
        println!("{}", row(&a, label));
        results.push(a);
    }
    let (s, r) = (&results[0], &results[1]);
    assert_eq!(s.n, 260);
    assert!(
        s.mape_pct < r.mape_pct - 1.5,
        "Stride {:.2} % vs Riegel {:.2} %",
        s.mape_pct,
        r.mape_pct
    );
    // Riegel is too fast for these runners (Vickers & Vertosick 2016); Stride is not biased.
    assert!(r.bias_pct < -5.0 && s.bias_pct.abs() < 2.0);
    // The 80 % interval covers roughly 80 % of held-out results.
    assert!(
        (70.0..=90.0).contains(&s.coverage_pct),
        "{}",
        s.coverage_pct
    );

    // The other fold: fit on odd rows, test on even rows.
    let other = Stride {
        population: STRIDE_POPULATION.fit(&test).expect("enough pairs"),
        ..Stride::default()
    };
    let a = evaluate(&other, &train).expect("predictions");
    let b = evaluate(&riegel, &train).expect("predictions");
    println!(
        "swapped fold (fit odd, test even): {} | {}",
        row(&a, "Stride"),
        row(&b, "Riegel 1.06")
    );
    assert!(a.mape_pct < b.mape_pct - 1.5);
}

/// The corpus' runners (`../shared/fixtures`, read in place): the running FIT files grouped by
/// the recording device (manufacturer and serial number; a file without a serial is a runner of
/// its own), one file per start time. Each runner's best effort at each distance of 1 km and
/// more over all their runs is left out in turn and predicted from their bests at the other
/// distances. The bests are found inside ordinary runs, not races, so this measures how well each
/// method extrapolates a runner's own efforts, not race accuracy.
#[test]
fn leave_one_distance_out_on_the_corpus_runners() {
    let root = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/fixtures"
    ));
    let files = common::corpus_files(root, &["fit"]);
    let mut starts = std::collections::BTreeSet::new();
    // runner -> distance -> best seconds
    let mut runners: BTreeMap<String, BTreeMap<u64, (f64, f64)>> = BTreeMap::new();
    for (i, f) in files.iter().enumerate() {
        let bytes = std::fs::read(root.join(f)).unwrap();
        let Ok(activity) = analysis::decode(&bytes) else {
            continue;
        };
        let Ok(s) = analysis::summary::analyze_bytes(&bytes, &analysis::Athlete::default()) else {
            continue;
        };
        if s.sport != "running" || !starts.insert(s.start_time.clone().unwrap_or_else(|| f.clone()))
        {
            continue;
        }
        let id = activity.file_id.unwrap_or_default();
        let runner = match id.serial_number.filter(|n| *n != 0) {
            Some(n) => format!("{}:{n}", id.manufacturer.unwrap_or(0)),
            None => format!("file {i}"),
        };
        let bests = runners.entry(runner).or_default();
        for (d, t) in analysis::models::efforts_from_metric_ids(
            s.metrics.iter().map(|(k, v)| (k.as_str(), *v)),
        ) {
            if d < 1_000.0 {
                continue;
            }
            let e = bests.entry((d * 1000.0) as u64).or_insert((d, t));
            e.1 = e.1.min(t);
        }
    }
    let mut cases: Vec<(Vec<Effort>, Effort)> = Vec::new();
    let mut with_cases = 0;
    for bests in runners.values().filter(|b| b.len() >= 2) {
        with_cases += 1;
        let all: Vec<Effort> = bests.values().map(|&(d, t)| Effort::new(d, t)).collect();
        for (k, actual) in all.iter().enumerate() {
            let others: Vec<Effort> = all
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != k)
                .map(|(_, e)| *e)
                .collect();
            cases.push((others, *actual));
        }
    }
    // The cases both can predict (Stride declines a few whose efforts it cannot fit).
    let refs: Vec<(&[Effort], Effort)> = cases
        .iter()
        .map(|(g, a)| (&g[..], *a))
        .filter(|(g, a)| Stride::default().predict(g, a.distance_m).is_some())
        .collect();
    let long: Vec<(&[Effort], Effort)> = refs
        .iter()
        .copied()
        .filter(|(_, a)| a.distance_m >= 5_000.0)
        .collect();
    println!(
        "corpus: {} runners, {with_cases} with bests at two or more distances, {} cases, {} both predict",
        runners.len(),
        cases.len(),
        refs.len()
    );
    println!(
        "| leave one distance out | n | MAPE | median APE | bias | within 3 % | in interval |"
    );
    println!("|---|---|---|---|---|---|---|");
    let mut got = Vec::new();
    for (set, what) in [(&refs, "all"), (&long, "5 km and longer")] {
        for (p, label) in [
            (&Stride::default() as &dyn RacePredictor, "Stride"),
            (&Riegel::default(), "Riegel 1.06"),
        ] {
            let a = evaluate_cases(p, set).unwrap();
            println!("{}", row(&a, &format!("{label}, {what}")));
            got.push(((a.mape_pct * 100.0).round() / 100.0, a.n));
        }
    }
    assert_eq!((runners.len(), with_cases, cases.len()), (25, 21, 81));
    // Measured, not wished for. On these within-run bests Riegel from the nearest distance is
    // still a little better over all distances (the 1 km and mile cases); from 5 km up Stride
    // is better. Before the predictor kept the effort nearest the target (its submaximal filter
    // dropped every effort more than 8 % slower than the runner's best equivalent, and so
    // predicted some halves from a fast mile alone, up to 41 % too fast) these were 5.89 % and
    // 8.18 %; before best efforts were timed on the timer (pauses left out), 4.23, 3.95, 5.19
    // and 5.86 %. BENCHMARKS.md discusses it; a change to the predictor must update these.
    assert_eq!(got, vec![(3.56, 75), (3.01, 75), (3.97, 39), (4.13, 39)]);
}
