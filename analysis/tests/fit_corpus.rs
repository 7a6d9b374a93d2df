//! Decodes every FIT file of the shared corpus (`../shared/fixtures`, 166 files from public
//! repositories plus synthetic ones) and checks the result against three independent oracles:
//!
//! - `compat.tsv`: the record count of Garmin's own JavaScript SDK (`garmin_jssdk` column);
//! - `analysis.json`: lap, session and RR-interval counts read by an independent raw walker, and
//!   which files are truncated or fail their CRC;
//! - the `fitparser` crate (D2's oracle): every record's timestamp, position, distance, speed,
//!   altitude, heart rate, cadence, power and developer fields, for every file it accepts.
//!
//! The corpus is read in place (some files are GPL/AGPL and must not be copied into the
//! project); without it the tests print a note and pass.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use analysis::{Activity, AnalysisError, fit};
use fitparser::{FitDataField, FitDataRecord, Value, profile::MesgNum};
use serde_json::Value as Json;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/fixtures");

/// Files whose record count does not come from Garmin's SDK, and why.
const RECORD_COUNT_EXCEPTIONS: &[(&str, Oracle, &str)] = &[
    (
        "muktihari-fit/triathlon_summary_first.fit",
        Oracle::Fitparser,
        "Garmin's JS SDK 21.217 crashes on this big-endian file (TypeError after 44 messages); \
         fitparser and the raw walker both count 4043 records",
    ),
    (
        "muktihari-fit/triathlon_summary_last.fit",
        Oracle::Fitparser,
        "same file family and same JS SDK crash as triathlon_summary_first.fit",
    ),
    (
        "python-fitparse/antfs-dump.63.fit",
        Oracle::Fitparser,
        "the JS SDK refuses compressed-timestamp headers ('not currently supported'); \
         fitparser and the walker count 686",
    ),
    (
        "python-fitparse/compressed-speed-distance.fit",
        Oracle::Fitparser,
        "compressed-timestamp headers again, which the JS SDK refuses; fitparser counts 755",
    ),
    (
        "sports-lib/empty-activities.fit",
        Oracle::Exactly(2319),
        "the header's data size is 0 (a recording that was never finalised): the JS SDK stops at \
         byte 14 with a CRC error and returns nothing; Stride reads to the end of the input and \
         warns. The raw walker counts 2320 because it also counts the last record, cut after 8 \
         of its 37 bytes (at byte 86008 of 86016); Stride keeps only complete messages",
    ),
    // Not an exception, but the raw walker disagrees: python-fitparse/nick.fit ends 9 bytes
    // into its last record. Garmin's SDK and Stride keep the 14391 complete records; the walker
    // and fit-file-parser count the cut one too (14392).
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Oracle {
    /// fitparser's count (compat.tsv, first column).
    Fitparser,
    /// A count checked by hand, explained in the reason.
    Exactly(usize),
}

struct Corpus {
    root: PathBuf,
    files: Vec<String>,
    compat: HashMap<String, Vec<String>>,
    analysis: serde_json::Map<String, Json>,
}

fn corpus() -> Option<Corpus> {
    let root = PathBuf::from(FIXTURES);
    if !root.is_dir() {
        common::corpus_absent(FIXTURES);
        return None;
    }
    let files = common::corpus_files(&root, &["fit"]);
    let compat = std::fs::read_to_string(root.join("compat.tsv"))
        .expect("compat.tsv")
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut cols = line.split('\t').map(str::to_owned);
            Some((cols.next()?, cols.collect()))
        })
        .collect();
    let analysis: Json =
        serde_json::from_str(&std::fs::read_to_string(root.join("analysis.json")).unwrap())
            .expect("analysis.json");
    let analysis = analysis.as_object().expect("an object").clone();
    Some(Corpus {
        root,
        files,
        compat,
        analysis,
    })
}

/// `rec=N` from a compat.tsv cell.
fn rec_count(cell: &str) -> Option<usize> {
    cell.split_whitespace()
        .find_map(|w| w.strip_prefix("rec=")?.parse().ok())
}

fn json_usize(v: &Json, key: &str) -> Option<usize> {
    v.get(key)?.as_u64().map(|n| n as usize)
}

/// Whether analysis.json says this file is damaged (truncated or a CRC that does not hold).
fn damaged(info: &Json) -> bool {
    let bad_crc = |key: &str| {
        info.get(key)
            .and_then(Json::as_array)
            .is_some_and(|a| a.iter().any(|v| v.as_str() == Some("BAD")))
    };
    info.get("truncated").and_then(Json::as_bool) == Some(true)
        || bad_crc("data_crc")
        || bad_crc("header_crc")
        || info
            .get("problems")
            .and_then(Json::as_array)
            .is_some_and(|p| !p.is_empty())
}

#[test]
fn corpus_counts_match_garmin_sdk_and_walker() {
    let Some(c) = corpus() else { return };
    assert!(
        c.files.len() >= 160,
        "only {} FIT files found",
        c.files.len()
    );
    let mut failures = Vec::new();
    for name in &c.files {
        let bytes = std::fs::read(c.root.join(name)).unwrap();
        let compat = c
            .compat
            .get(name)
            .unwrap_or_else(|| panic!("{name} not in compat.tsv"));
        let info = c.analysis.get(name);
        let decoded = fit::decode(&bytes);
        if bytes.is_empty() {
            // sports-lib/empty-sessions.fit is 0 bytes: every decoder reports nothing.
            assert_eq!(decoded, Err(AnalysisError::Empty), "{name}");
            continue;
        }
        let a = match decoded {
            Ok(a) => a,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };

        // Records: Garmin's SDK, or the oracle an exception names.
        let expected = match RECORD_COUNT_EXCEPTIONS.iter().find(|(f, ..)| f == name) {
            Some((_, Oracle::Fitparser, _)) => rec_count(&compat[0]),
            Some((_, Oracle::Exactly(n), _)) => Some(*n),
            None => rec_count(&compat[2]),
        };
        let expected = expected.unwrap_or_else(|| panic!("{name}: no record count"));
        if a.records.len() != expected {
            failures.push(format!(
                "{name}: {} records, expected {expected}",
                a.records.len()
            ));
        }

        if let Some(info) = info {
            let checks = [
                ("n_lap", a.laps.len()),
                ("n_session", a.sessions.len()),
                ("hrv_rr_values", a.hrv_rr.len()),
            ];
            for (key, ours) in checks {
                if let Some(theirs) = json_usize(info, key)
                    && ours != theirs
                {
                    failures.push(format!("{name}: {key} {ours}, walker {theirs}"));
                }
            }
            if damaged(info) && a.warnings.is_empty() {
                failures.push(format!("{name}: damaged per analysis.json but no warning"));
            }
            if !damaged(info) && !a.warnings.is_empty() {
                failures.push(format!(
                    "{name}: clean per analysis.json but {:?}",
                    a.warnings
                ));
            }
        }
        check_columns(name, &a, &mut failures);
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every present column has one value per record.
fn check_columns(name: &str, a: &Activity, failures: &mut Vec<String>) {
    let n = a.records.len();
    let r = &a.records;
    let wide = [&r.latitude, &r.longitude, &r.distance];
    let narrow = [
        &r.speed,
        &r.altitude,
        &r.heart_rate,
        &r.cadence,
        &r.power,
        &r.temperature,
        &r.vertical_oscillation,
        &r.stance_time,
        &r.stance_time_balance,
        &r.vertical_ratio,
        &r.step_length,
    ];
    let bad = wide
        .iter()
        .any(|c| c.as_ref().is_some_and(|v| v.len() != n))
        || narrow
            .iter()
            .any(|c| c.as_ref().is_some_and(|v| v.len() != n))
        || r.developer.iter().any(|c| c.values.len() != n);
    if bad {
        failures.push(format!(
            "{name}: a column's length differs from {n} records"
        ));
    }
}

/// The developer data index of a fitparser field (`None` for profile fields). fitparser has
/// no accessor for it, but serialises it; only fields named like a developer field are asked.
fn developer_index(f: &FitDataField, a: &Activity) -> Option<u8> {
    if !a
        .developer_fields
        .iter()
        .any(|d| d.name == f.name() && d.field_number == f.number())
    {
        return None;
    }
    let json = serde_json::to_value(f).ok()?;
    json.get("developer_data_index")?
        .as_u64()
        .and_then(|i| u8::try_from(i).ok())
}

/// One record's profile values as fitparser gives them (every value a field took, by name),
/// and its developer fields with their developer data index.
#[allow(clippy::type_complexity)]
fn fields<'r>(
    rec: &'r FitDataRecord,
    a: &Activity,
) -> (
    HashMap<&'r str, Vec<&'r Value>>,
    Vec<(u8, &'r FitDataField)>,
) {
    let mut map: HashMap<&str, Vec<&Value>> = HashMap::new();
    let mut dev = Vec::new();
    for f in rec.fields() {
        match developer_index(f, a) {
            Some(i) => dev.push((i, f)),
            None => map.entry(f.name()).or_default().push(f.value()),
        }
    }
    (map, dev)
}

fn number(v: &Value) -> Option<f64> {
    Some(match v {
        Value::Timestamp(t) => t.timestamp() as f64,
        Value::Byte(x) | Value::Enum(x) | Value::UInt8(x) | Value::UInt8z(x) => f64::from(*x),
        Value::SInt8(x) => f64::from(*x),
        Value::SInt16(x) => f64::from(*x),
        Value::UInt16(x) | Value::UInt16z(x) => f64::from(*x),
        Value::SInt32(x) => f64::from(*x),
        Value::UInt32(x) | Value::UInt32z(x) => f64::from(*x),
        Value::SInt64(x) => *x as f64,
        Value::UInt64(x) | Value::UInt64z(x) => *x as f64,
        Value::Float32(x) => f64::from(*x),
        Value::Float64(x) => *x,
        _ => return None,
    })
}

/// Compares our sample with fitparser's candidates: both missing, or ours within `tolerance`
/// of one of them.
fn agrees(ours: Option<f64>, theirs: &[f64], tolerance: f64) -> bool {
    match ours {
        None => theirs.is_empty(),
        Some(x) => theirs.iter().any(|t| (x - t).abs() <= tolerance),
    }
}

fn sample<T: Copy + Into<f64>>(column: &Option<Vec<T>>, i: usize) -> Option<f64> {
    column
        .as_ref()
        .and_then(|c| c.get(i))
        .map(|&v| v.into())
        .filter(|v| !v.is_nan())
}

#[test]
fn corpus_agrees_with_fitparser() {
    let Some(c) = corpus() else { return };
    let accepted: Vec<&String> = c
        .files
        .iter()
        .filter(|f| {
            c.compat
                .get(*f)
                .is_some_and(|cols| cols[0].starts_with("ok"))
        })
        .collect();
    assert!(
        accepted.len() >= 150,
        "fitparser accepts only {} files",
        accepted.len()
    );
    // Two threads: the oracle is slow.
    let half = accepted.len().div_ceil(2);
    let (failures, compared) = std::thread::scope(|s| {
        let handles: Vec<_> = accepted
            .chunks(half)
            .map(|chunk| {
                let root = &c.root;
                let info = &c.analysis;
                s.spawn(move || {
                    let mut failures = Vec::new();
                    let mut compared = [0usize; CHANNELS.len()];
                    for name in chunk {
                        compare_with_fitparser(
                            root,
                            name,
                            info.get(*name),
                            &mut failures,
                            &mut compared,
                        );
                    }
                    (failures, compared)
                })
            })
            .collect();
        let mut all = (Vec::new(), [0usize; CHANNELS.len()]);
        for h in handles {
            let (failures, compared) = h.join().unwrap();
            all.0.extend(failures);
            all.1.iter_mut().zip(compared).for_each(|(a, b)| *a += b);
        }
        all
    });
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The comparison is not vacuous: every channel met real values, many times.
    for (channel, n) in CHANNELS.iter().zip(compared) {
        println!("{channel}: {n} values compared");
        assert!(n >= 20_000, "only {n} {channel} values compared");
    }
}

/// The channels compared, in the order of `compared` counts.
const CHANNELS: [&str; 10] = [
    "timestamp",
    "position_lat",
    "position_long",
    "distance",
    "speed",
    "altitude",
    "heart_rate",
    "cadence",
    "power",
    "developer",
];

fn compare_with_fitparser(
    root: &Path,
    name: &str,
    info: Option<&Json>,
    failures: &mut Vec<String>,
    compared: &mut [usize; CHANNELS.len()],
) {
    let bytes = std::fs::read(root.join(name)).unwrap();
    if bytes.is_empty() {
        // sports-lib/empty-sessions.fit: fitparser returns no messages, we `Empty` (checked in
        // the count test).
        return;
    }
    let Ok(theirs) = fitparser::from_bytes(&bytes) else {
        failures.push(format!(
            "{name}: compat.tsv says fitparser accepts it, but it fails"
        ));
        return;
    };
    let Ok(a) = fit::decode(&bytes) else {
        failures.push(format!("{name}: we fail where fitparser succeeds"));
        return;
    };
    let records: Vec<&FitDataRecord> = theirs
        .iter()
        .filter(|r| r.kind() == MesgNum::Record)
        .collect();
    let count = |k: MesgNum| theirs.iter().filter(|r| r.kind() == k).count();
    if records.len() != a.records.len()
        || count(MesgNum::Lap) != a.laps.len()
        || count(MesgNum::Session) != a.sessions.len()
    {
        failures.push(format!(
            "{name}: records/laps/sessions {}/{}/{} vs fitparser {}/{}/{}",
            a.records.len(),
            a.laps.len(),
            a.sessions.len(),
            records.len(),
            count(MesgNum::Lap),
            count(MesgNum::Session)
        ));
        return;
    }
    let rr: usize = theirs
        .iter()
        .filter(|r| r.kind() == MesgNum::Hrv)
        .flat_map(|r| r.fields())
        .map(|f| match f.value() {
            Value::Array(values) => values.iter().filter(|v| number(v).is_some()).count(),
            v => usize::from(number(v).is_some()),
        })
        .sum();
    if rr != a.hrv_rr.len() {
        failures.push(format!(
            "{name}: {} RR intervals vs fitparser {rr}",
            a.hrv_rr.len()
        ));
    }

    // fitparser sums compressed_speed_distance's raw 12-bit distances instead of accumulating
    // their differences modulo 4096 (profile/mod.rs `calculate_cumulative_value`), so its
    // distance is wrong there; we check ours against the device's lap totals instead.
    let compressed_distance = info
        .and_then(|i| i.get("record_fields"))
        .and_then(Json::as_array)
        .is_some_and(|f| {
            f.iter()
                .any(|v| v.as_str() == Some("compressed_speed_distance"))
        });
    if compressed_distance {
        check_distance_against_laps(name, &a, failures);
    }

    let r = &a.records;
    let mut mismatches = 0usize;
    let mut first = None;
    for (i, rec) in records.iter().enumerate() {
        let (f, dev) = fields(rec, &a);
        let get = |key: &str| -> Vec<f64> {
            f.get(key)
                .map(|v| v.iter().filter_map(|x| number(x)).collect())
                .unwrap_or_default()
        };
        let semicircles = |key: &str| -> Vec<f64> {
            get(key)
                .iter()
                .map(|v| v * fit::DEGREES_PER_SEMICIRCLE)
                .collect()
        };
        let time = r.time.get(i).copied().filter(|t| !t.is_nan());
        let foot = time.is_some_and(|t| a.sport_at(t).is_on_foot());
        let cadence: Vec<f64> = {
            let whole = get("cadence");
            let frac = get("fractional_cadence").first().copied().unwrap_or(0.0);
            let rpm: Vec<f64> = if whole.is_empty() {
                get("cadence256")
            } else {
                whole.iter().map(|c| c + frac).collect()
            };
            rpm.iter()
                .map(|c| if foot { c * 2.0 } else { *c })
                .collect()
        };
        // Tolerances: half the field's resolution, plus f32 rounding of the stored value.
        let checks: [(&str, Option<f64>, Vec<f64>, f64); 9] = [
            ("timestamp", time, get("timestamp"), 0.0),
            (
                "position_lat",
                sample(&r.latitude, i),
                semicircles("position_lat"),
                1e-9,
            ),
            (
                "position_long",
                sample(&r.longitude, i),
                semicircles("position_long"),
                1e-9,
            ),
            (
                "distance",
                if compressed_distance {
                    None
                } else {
                    sample(&r.distance, i)
                },
                if compressed_distance {
                    vec![]
                } else {
                    get("distance")
                },
                0.005,
            ),
            ("speed", sample(&r.speed, i), get("enhanced_speed"), 0.0005),
            (
                "altitude",
                sample(&r.altitude, i),
                get("enhanced_altitude"),
                0.1,
            ),
            (
                "heart_rate",
                sample(&r.heart_rate, i),
                get("heart_rate"),
                0.0,
            ),
            ("cadence", sample(&r.cadence, i), cadence, 0.01),
            ("power", sample(&r.power, i), get("power"), 0.0),
        ];
        for (k, (key, ours, theirs, tolerance)) in checks.iter().enumerate() {
            if ours.is_some() && !theirs.is_empty() {
                compared[k] += 1;
            }
            if !agrees(*ours, theirs, *tolerance) {
                mismatches += 1;
                first.get_or_insert_with(|| {
                    format!("record {i} {key}: ours {ours:?}, fitparser {theirs:?}")
                });
            }
        }
        // Developer fields, matched by developer data index and field number.
        for (index, df) in dev {
            let Some(expected) = number(df.value()) else {
                continue;
            };
            let column = a
                .developer_fields
                .iter()
                .find(|d| {
                    // A file may reuse an index for another developer later (MultiSport-2019:
                    // "wprime_bal" then Stryd's "Power" are both developer 0, field 0).
                    d.developer_data_index == index
                        && d.field_number == df.number()
                        && d.name == df.name()
                })
                .and_then(|d| d.column)
                .and_then(|c| r.developer.get(c));
            let ours = column.and_then(|c| c.values.get(i)).map(|&v| f64::from(v));
            let ok = ours.is_some_and(|o| (o - expected).abs() <= 1e-4 * expected.abs().max(1.0));
            compared[9] += 1;
            if !ok {
                mismatches += 1;
                first.get_or_insert_with(|| {
                    format!(
                        "record {i} developer {}: ours {ours:?}, fitparser {expected}",
                        df.name()
                    )
                });
            }
        }
    }
    if mismatches > 0 {
        failures.push(format!(
            "{name}: {mismatches} mismatches, first: {}",
            first.unwrap_or_default()
        ));
    }
}

/// The last record distance is within 1 % of the distance the device summed in its laps.
fn check_distance_against_laps(name: &str, a: &Activity, failures: &mut Vec<String>) {
    let laps: f64 = a.laps.iter().filter_map(|l| l.summary.total_distance).sum();
    let last = a
        .records
        .distance
        .as_ref()
        .and_then(|d| d.iter().rev().find(|v| !v.is_nan()).copied());
    match last {
        Some(d) if laps > 0.0 && (d - laps).abs() <= 0.01 * laps => {}
        other => failures.push(format!("{name}: record distance {other:?} vs laps {laps}")),
    }
    let monotonic = a
        .records
        .distance
        .iter()
        .flatten()
        .filter(|v| !v.is_nan())
        .collect::<Vec<_>>()
        .windows(2)
        .all(|w| w[1] >= w[0]);
    if !monotonic {
        failures.push(format!("{name}: accumulated distance decreases"));
    }
}
