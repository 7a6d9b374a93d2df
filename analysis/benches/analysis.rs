//! Native benchmarks of the analysis core on files of the shared corpus, read in place:
//! `cargo bench -p analysis` (add `-- decode` to run a subset). BENCHMARKS.md has the figures.
//! Without the corpus (`../shared/fixtures`) there is nothing to measure and the bench says so.

// criterion is a native dev-dependency; for wasm32 (clippy --all-targets) the bench is empty.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::hint::black_box;
    use std::path::PathBuf;

    use criterion::{Criterion, Throughput, criterion_group};

    /// The benchmark files: (name, path under the corpus).
    const FILES: &[(&str, &str)] = &[
        ("fr955_run_0.7MB", "goldencheetah/14211916346_ACTIVITY.fit"),
        (
            "multisport_3.1MB",
            "goldencheetah/MultiSport-2019-11-24.fit",
        ),
        (
            "synthetic_10h_2.5MB",
            "synthetic/synthetic-10h-run-full.fit",
        ),
        ("strava_gpx_2.7MB", "sports-lib/strava.gpx"),
        ("garmin_tcx_3.6MB", "sports-lib/garmin.tcx"),
    ];

    fn corpus_file(path: &str) -> Option<Vec<u8>> {
        let root = PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/fixtures"
        ));
        std::fs::read(root.join(path)).ok()
    }

    fn decode(c: &mut Criterion) {
        let mut group = c.benchmark_group("decode");
        for (name, path) in FILES {
            let Some(bytes) = corpus_file(path) else {
                eprintln!("note: {path} is absent from ../shared/fixtures; not measured");
                continue;
            };
            group.throughput(Throughput::Bytes(bytes.len() as u64));
            group.bench_function(*name, |b| {
                b.iter(|| analysis::decode(black_box(&bytes)).map(|a| a.records.len()))
            });
        }
        group.finish();
    }

    fn analyze(c: &mut Criterion) {
        let mut group = c.benchmark_group("analyze");
        let athlete = analysis::Athlete::default();
        for (name, path) in FILES {
            let Some(bytes) = corpus_file(path) else {
                continue;
            };
            let Ok(activity) = analysis::decode(&bytes) else {
                continue;
            };
            group.bench_function(*name, |b| {
                b.iter(|| {
                    analysis::analyze(black_box(&activity), &athlete)
                        .metrics
                        .len()
                })
            });
        }
        group.finish();
    }

    criterion_group!(benches, decode, analyze);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::benches();
    criterion::Criterion::default()
        .configure_from_args()
        .final_summary();
}
