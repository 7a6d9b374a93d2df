//! The same decode natively and in wasm32: `cargo test -p analysis --test parity` natively, and
//! `cargo test -p analysis --test parity --target wasm32-unknown-unknown` in Node through
//! wasm-bindgen-test (scripts/test runs both). The values are those of the native decoder, which
//! tests/fit_corpus.rs checks against fitparser and Garmin's SDK.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// A Garmin fenix 5 run from python-fitparse (MIT): 21 records with GPS, HR, running dynamics and
/// 113 RR intervals.
const FENIX5_RUN: &[u8] = include_bytes!("fixtures/garmin-fenix-5-run.fit");

#[test]
fn fenix5_run_decodes_the_same_natively_and_in_wasm() {
    let run = analysis::decode(FENIX5_RUN).expect("decodes");
    let r = &run.records;
    assert_eq!(r.time.len(), 21);
    assert_eq!(run.hrv_rr.len(), 113);
    assert_eq!(run.sessions.len(), 1);
    assert_eq!(
        run.start_time
            .and_then(analysis::time::format_rfc3339)
            .as_deref(),
        Some(START)
    );
    let hr: f64 = r
        .heart_rate
        .as_deref()
        .unwrap()
        .iter()
        .map(|&v| f64::from(v))
        .sum();
    assert_eq!(hr, HR_SUM);
    let last_distance = *r.distance.as_deref().unwrap().last().unwrap();
    assert!(
        (last_distance - LAST_DISTANCE).abs() < 1e-9,
        "{last_distance}"
    );
    let rr_ms: f64 = run
        .hrv_rr
        .iter()
        .map(|&v| f64::from(v) * 1000.0)
        .sum::<f64>()
        .round();
    assert_eq!(rr_ms, RR_SUM_MS);
}

#[test]
fn fenix5_basis_and_loads_are_the_same_natively_and_in_wasm() {
    use analysis::{Athlete, summary::analyze_bytes};
    let stored = analyze_bytes(FENIX5_RUN, &Athlete::default()).expect("analyses");
    let basis = stored.basis.as_ref().expect("has a basis");
    // The 113 RR intervals: 14 removed as artefacts, rMSSD over the 88 clean pairs.
    let r = basis.rmssd.expect("has rMSSD");
    assert_eq!((r.beats_used, r.beats_rejected, r.pairs), (99, 14, 88));
    assert!((r.rmssd_ms - RMSSD_MS).abs() < 1e-9, "{}", r.rmssd_ms);
    assert_eq!(basis.load.hr_seconds.len(), 17);
    // Loads recomputed for other settings from the stored basis equal those from the file.
    let mine = Athlete {
        max_hr: Some(180.0),
        rest_hr: Some(45.0),
        ..Athlete::default()
    };
    let recomputed = stored.for_athlete(&mine);
    assert_eq!(recomputed, analyze_bytes(FENIX5_RUN, &mine).unwrap());
    let trimp = recomputed.load.trimp.unwrap();
    assert!((trimp - TRIMP_180_45).abs() < 1e-12, "{trimp}");
}

// Native values of the basis (`stride analyze --json --max-hr 180 --rest-hr 45`).
const RMSSD_MS: f64 = 35.086_738_267_341_126;
const TRIMP_180_45: f64 = 0.434_071_983_412_377_3;

// Read independently with Python's fitdecode 0.11: session start_time, the sum of the records'
// heart_rate, the last record's distance, and the sum of the hrv messages' RR values.
const START: &str = "2017-06-11T14:34:09Z";
const HR_SUM: f64 = 1_784.0;
const LAST_DISTANCE: f64 = 157.56;
const RR_SUM_MS: f64 = 75_005.0;
