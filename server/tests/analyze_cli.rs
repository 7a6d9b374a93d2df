//! `stride analyze` as a user runs it: the real binary on real files.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../analysis/tests/fixtures"
    ))
    .join(name)
}

fn stride(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_stride"))
        .args(args)
        .output()
        .expect("the stride binary runs")
}

#[test]
fn json_has_one_object_per_file_and_bad_files_do_not_stop_the_others() {
    let dir = std::env::temp_dir().join(format!("stride-analyze-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let broken = dir.join("broken.fit");
    std::fs::write(&broken, b"this is not a FIT file, only text").unwrap();
    let missing = dir.join("missing.gpx");
    let run = fixture("garmin-fenix-5-run.fit");

    let out = stride(&[
        "analyze".as_ref(),
        broken.as_os_str(),
        run.as_os_str(),
        missing.as_os_str(),
        "--json".as_ref(),
    ]);
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    let items = json.as_array().expect("an array");
    assert_eq!(items.len(), 3);

    assert!(items[0]["file"].as_str().unwrap().ends_with("broken.fit"));
    assert!(
        items[0]["error"].as_str().unwrap().contains("neither FIT"),
        "{}",
        items[0]
    );
    assert!(items[2]["error"].as_str().unwrap().contains("cannot read"));

    // The fenix 5 run, read independently with Python's fitdecode (see analysis/tests/parity.rs).
    let run = &items[1];
    assert_eq!(run["format"], "fit");
    assert_eq!(run["sport"], "running");
    assert_eq!(run["start_time"], "2017-06-11T14:34:09Z");
    assert_eq!(run["records"], 21);
    assert!(run["error"].is_null());
    let distance = run["distance_m"].as_f64().expect("a distance");
    assert!((distance - 157.56).abs() < 0.5, "{distance}");
}

#[test]
fn a_table_without_json_and_usage_errors_exit_non_zero() {
    let run = fixture("garmin-fenix-5-run.fit");
    let out = stride(&["analyze".as_ref(), run.as_os_str()]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text.lines().nth(1).expect("a row for the file");
    assert!(
        line.contains("running") && line.contains("2017-06-11T14:34:09Z"),
        "{line}"
    );

    let out = stride(&["analyze".as_ref()]);
    assert_eq!(out.status.code(), Some(2), "no file is a usage error");
}
