//! `stride predict` as a user runs it: the real binary.

use std::process::Command;

use serde_json::Value;

fn stride(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_stride"))
        .args(args)
        .output()
        .expect("the stride binary runs")
}

fn json(args: &[&str]) -> Value {
    let out = stride(args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn riegel_from_a_5k_gives_the_published_times() {
    // ALGORITHMS.md (Riegel 1981): 5K in 20:00 -> 10K in 41:42, marathon in 3:11:49.
    let p = json(&[
        "predict",
        "--race",
        "5000:20:00",
        "--target",
        "10000",
        "--method",
        "riegel",
        "--json",
    ]);
    assert_eq!(p["method"], "riegel");
    assert_eq!(p["target_m"], 10_000.0);
    assert_eq!(p["seconds"].as_f64().unwrap().round(), 2_502.0); // 41:42
    assert!(p["low_s"].as_f64().unwrap() < 2_502.0 && p["high_s"].as_f64().unwrap() > 2_502.0);
    let out = stride(&[
        "predict",
        "--race",
        "5000:20:00",
        "--target",
        "42195",
        "--method",
        "riegel",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("42195 m: 3:11:49"), "{text}");
}

#[test]
fn auto_uses_strides_model_with_an_interval() {
    let p = json(&[
        "predict",
        "--race",
        "21097.5:1:45:00",
        "--target",
        "42195",
        "--json",
    ]);
    assert_eq!(p["method"], "stride");
    let (s, low, high) = (
        p["seconds"].as_f64().unwrap(),
        p["low_s"].as_f64().unwrap(),
        p["high_s"].as_f64().unwrap(),
    );
    // Riegel says 3:38:57 from this half; Stride adds the fade past the half that runners show.
    assert!(s > 13_137.0 && low < s && s < high, "{p}");
}

#[test]
fn bad_input_is_a_clear_error() {
    let out = stride(&["predict", "--target", "42195"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--race"));
    let out = stride(&["predict", "--race", "5000", "--target", "10000"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a malformed race is a usage error"
    );
}

#[test]
fn from_a_folder_of_activities() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/fixtures/goldencheetah"
    );
    if !std::path::Path::new(dir).is_dir() {
        println!("note: {dir} is absent; skipped");
        return;
    }
    let p = json(&["predict", "--history", dir, "--target", "10000", "--json"]);
    assert_eq!(p["method"], "stride");
    let s = p["seconds"].as_f64().unwrap();
    // The folder's runs hold best 10 km efforts from about 48 to 58 minutes.
    assert!((2_400.0..4_200.0).contains(&s), "{p}");
}
