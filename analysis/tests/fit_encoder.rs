//! Round trips through Stride's FIT encoder.
//!
//! - A synthetic hour of running (GPS, distance, speed, altitude, heart rate, cadence, power,
//!   running dynamics, developer fields, RR intervals, two laps, a pause) is encoded and
//!   decoded again, by our decoder and by the `fitparser` crate (D2's oracle).
//! - Real files are decoded, re-encoded and decoded: the records, laps and sessions come back.
//! - Properties: arbitrary record streams come back to each field's resolution; encoding never
//!   panics, whatever the values.
//!
//! The corpus (`../shared/fixtures`) is read in place (some files are GPL and must not be
//! copied into the project); without it those tests print a note and pass.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use analysis::{
    Activity, ActivityInfo, AnalysisError, DeveloperColumn, DeveloperFieldInfo, DeviceInfo, Event,
    FileId, Lap, Records, Sport, Summary, fit,
};
use fitparser::{FitDataRecord, Value, profile::MesgNum};
use proptest::prelude::*;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/fixtures");
/// 2024-06-01T05:00:00Z.
const T0: f64 = 1_717_218_000.0;
/// The pause: the timer stops at T0 + 1800 s and starts again at T0 + 1900 s.
const PAUSE: (f64, f64) = (1800.0, 1900.0);
const END: f64 = 3599.0;

fn timer(t: f64, event_type: u8) -> Event {
    Event {
        time: Some(T0 + t),
        event: Some(0),
        event_type: Some(event_type),
        data: Some(0),
    }
}

/// An hour of running at 1 Hz with a 100 s pause, two laps and no session (the encoder
/// computes it).
fn synthetic_run() -> Activity {
    let times: Vec<f64> = (0..=END as u32)
        .map(f64::from)
        .filter(|t| *t <= PAUSE.0 || *t >= PAUSE.1)
        .collect();
    let n = times.len();
    let moving = |t: f64| {
        if t <= PAUSE.0 {
            t
        } else {
            t - (PAUSE.1 - PAUSE.0)
        }
    };
    let col = |f: &dyn Fn(usize, f64) -> f32| -> Option<Vec<f32>> {
        Some(times.iter().enumerate().map(|(i, &t)| f(i, t)).collect())
    };
    let records = Records {
        time: times.iter().map(|t| T0 + t).collect(),
        // A loop around Zurich, with a GPS drop-out every 500 records.
        latitude: Some(
            times
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    if i % 500 == 7 {
                        f64::NAN
                    } else {
                        47.37 + 0.01 * (t / 600.0).sin()
                    }
                })
                .collect(),
        ),
        longitude: Some(
            times
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    if i % 500 == 7 {
                        f64::NAN
                    } else {
                        8.54 - 0.0137 * (t / 600.0).cos()
                    }
                })
                .collect(),
        ),
        distance: Some(times.iter().map(|&t| 2.987_654 * moving(t)).collect()),
        speed: col(&|_, t| 2.9 + 0.4 * (t as f32 / 60.0).sin()),
        altitude: col(&|_, t| 410.0 + 25.0 * (t as f32 / 300.0).sin()),
        heart_rate: col(&|i, t| {
            if i % 97 == 0 {
                f32::NAN
            } else {
                (120.0 + 30.0 * t as f32 / END as f32).round()
            }
        }),
        // Steps per minute in half steps: 160 to 180.
        cadence: col(&|i, _| 160.0 + (i % 41) as f32 * 0.5),
        power: col(&|i, _| 230.0 + (i % 60) as f32),
        temperature: col(&|_, t| (18.0 + t as f32 / 900.0).round()),
        vertical_oscillation: col(&|i, _| 0.081 + (i % 9) as f32 * 0.0007),
        stance_time: col(&|i, _| 0.241 + (i % 11) as f32 * 0.0013),
        stance_time_balance: col(&|i, _| 49.5 + (i % 5) as f32 * 0.13),
        vertical_ratio: col(&|i, _| 7.2 + (i % 7) as f32 * 0.11),
        step_length: col(&|i, _| 1.05 + (i % 13) as f32 * 0.0031),
        developer: vec![
            DeveloperColumn {
                name: "Power".into(),
                units: "Watts".into(),
                values: (0..n).map(|i| 240.0 + (i % 30) as f32).collect(),
            },
            // No description points to this one: the encoder describes it itself.
            DeveloperColumn {
                name: "Wind".into(),
                units: "m/s".into(),
                values: (0..n)
                    .map(|i| {
                        if i % 10 == 3 {
                            f32::NAN
                        } else {
                            0.25 * (i % 8) as f32
                        }
                    })
                    .collect(),
            },
        ],
    };
    let lap = |start: f64, end: f64, timer: f64, distance: f64| Lap {
        summary: Summary {
            start_time: Some(T0 + start),
            end_time: Some(T0 + end),
            total_elapsed_time: Some(end - start),
            total_timer_time: Some(timer),
            total_moving_time: Some(timer - 12.5),
            total_distance: Some(distance),
            avg_heart_rate: Some(131.0),
            max_heart_rate: Some(151.0),
            avg_speed: Some(2.988),
            max_speed: Some(3.3),
            total_ascent: Some(48.0),
            total_descent: Some(47.0),
            total_calories: Some(402.0),
            avg_cadence: Some(170.015_625),
            max_cadence: Some(180.0),
            avg_power: Some(259.0),
            max_power: Some(289.0),
            sport: Some(Sport::Running),
            sub_sport: Some(0),
        },
        intensity: Some(0),
        trigger: Some(0),
    };
    let power = DeveloperFieldInfo {
        developer_data_index: 0,
        field_number: 0,
        name: "Power".into(),
        units: "Watts".into(),
        base_type: 4,
        scale: 1.0,
        offset: 0.0,
        native_field: Some((20, 7)),
        application_id: Some([
            24, 251, 44, 240, 26, 75, 67, 13, 173, 102, 152, 140, 132, 116, 33, 244,
        ]),
        column: Some(0),
    };
    Activity {
        file_id: Some(FileId {
            file_type: Some(4),
            manufacturer: Some(1),
            product: Some(4024),
            serial_number: Some(3_426_837_107),
            time_created: Some(T0),
            product_name: None,
        }),
        sport: Sport::Running,
        sub_sport: Some(0),
        start_time: Some(T0),
        device: DeviceInfo {
            manufacturer: Some(1),
            product: Some(4024),
            serial_number: Some(3_426_837_107),
            software_version: Some(18.22),
            product_name: Some("Forerunner 955".into()),
        },
        records,
        laps: vec![
            lap(0.0, PAUSE.0, 1800.0, 5377.78),
            lap(PAUSE.0, END, 1699.0, 5075.03),
        ],
        events: vec![
            timer(0.0, 0),
            timer(PAUSE.0, 1),
            timer(PAUSE.1, 0),
            Event {
                time: Some(T0 + 2500.0),
                event: Some(38),
                event_type: Some(3),
                data: Some(5),
            },
            timer(END, 4),
        ],
        hrv_rr: (0..6000).map(|i| 0.45 + 0.001 * (i % 50) as f32).collect(),
        developer_fields: vec![power],
        activity_info: Some(ActivityInfo {
            timestamp: Some(T0 + END),
            local_timestamp: Some(T0 + END + 7200.0),
            total_timer_time: Some(3499.0),
            num_sessions: Some(1),
        }),
        ..Activity::default()
    }
}

/// Half of each channel's FIT resolution: the most a value may move in a round trip.
struct Tolerance {
    name: &'static str,
    max: f64,
}

const SEMICIRCLE: f64 = fit::DEGREES_PER_SEMICIRCLE;

/// Every column of `back` equals `ours` within half the field's resolution (plus `f32`
/// rounding), `NaN` where `ours` is `NaN`; a column of nothing but `NaN` may be absent.
fn assert_records_match(file: &str, ours: &Records, back: &Records) {
    assert_eq!(ours.len(), back.len(), "{file}: record count");
    assert_eq!(ours.time, back.time, "{file}: times");
    let wide = [
        (
            &ours.latitude,
            &back.latitude,
            Tolerance {
                name: "latitude",
                max: SEMICIRCLE / 2.0,
            },
        ),
        (
            &ours.longitude,
            &back.longitude,
            Tolerance {
                name: "longitude",
                max: SEMICIRCLE / 2.0,
            },
        ),
        (
            &ours.distance,
            &back.distance,
            Tolerance {
                name: "distance",
                max: 0.005,
            },
        ),
    ];
    for (a, b, tol) in wide {
        compare(file, &tol, as_f64(a), as_f64(b));
    }
    let narrow = [
        (
            &ours.speed,
            &back.speed,
            Tolerance {
                name: "speed",
                max: 0.0005,
            },
        ),
        (
            &ours.altitude,
            &back.altitude,
            Tolerance {
                name: "altitude",
                max: 0.1,
            },
        ),
        (
            &ours.heart_rate,
            &back.heart_rate,
            Tolerance {
                name: "heart_rate",
                max: 0.5,
            },
        ),
        // Half a stride in 128ths, doubled into steps: 1/128 spm.
        (
            &ours.cadence,
            &back.cadence,
            Tolerance {
                name: "cadence",
                max: 1.0 / 128.0,
            },
        ),
        (
            &ours.power,
            &back.power,
            Tolerance {
                name: "power",
                max: 0.5,
            },
        ),
        (
            &ours.temperature,
            &back.temperature,
            Tolerance {
                name: "temperature",
                max: 0.5,
            },
        ),
        (
            &ours.vertical_oscillation,
            &back.vertical_oscillation,
            Tolerance {
                name: "vertical_oscillation",
                max: 0.000_05,
            },
        ),
        (
            &ours.stance_time,
            &back.stance_time,
            Tolerance {
                name: "stance_time",
                max: 0.000_05,
            },
        ),
        (
            &ours.stance_time_balance,
            &back.stance_time_balance,
            Tolerance {
                name: "stance_time_balance",
                max: 0.005,
            },
        ),
        (
            &ours.vertical_ratio,
            &back.vertical_ratio,
            Tolerance {
                name: "vertical_ratio",
                max: 0.005,
            },
        ),
        (
            &ours.step_length,
            &back.step_length,
            Tolerance {
                name: "step_length",
                max: 0.000_05,
            },
        ),
    ];
    for (a, b, tol) in narrow {
        compare(file, &tol, as_f64(a), as_f64(b));
    }
    // Developer columns, matched by name and units (and order among equal ones).
    for (k, col) in ours.developer.iter().enumerate() {
        let nth = ours.developer[..k]
            .iter()
            .filter(|c| c.name == col.name && c.units == col.units)
            .count();
        let theirs = back
            .developer
            .iter()
            .filter(|c| c.name == col.name && c.units == col.units)
            .nth(nth);
        let tol = Tolerance {
            name: "developer",
            max: 0.5,
        };
        compare(
            file,
            &tol,
            Some(col.values.iter().map(|&v| f64::from(v)).collect()),
            theirs.map(|c| c.values.iter().map(|&v| f64::from(v)).collect()),
        );
    }
}

fn as_f64<T: Copy + Into<f64>>(c: &Option<Vec<T>>) -> Option<Vec<f64>> {
    c.as_ref().map(|v| v.iter().map(|&x| x.into()).collect())
}

fn compare(file: &str, tol: &Tolerance, ours: Option<Vec<f64>>, back: Option<Vec<f64>>) {
    let name = tol.name;
    match (ours, back) {
        (None, None) => {}
        (Some(a), None) => assert!(
            a.iter().all(|v| v.is_nan()),
            "{file}: {name} has values but came back absent"
        ),
        (None, Some(_)) => panic!("{file}: {name} came back from nothing"),
        (Some(a), Some(b)) => {
            assert_eq!(a.len(), b.len(), "{file}: {name} length");
            for (i, (x, y)) in a.iter().zip(&b).enumerate() {
                let ok = if x.is_nan() {
                    y.is_nan()
                } else {
                    // f32 columns carry their own rounding on top of FIT's resolution.
                    (x - y).abs() <= tol.max + 2e-7 * x.abs() + 1e-9
                };
                assert!(ok, "{file}: {name}[{i}]: {x} came back as {y}");
            }
        }
    }
}

#[test]
fn synthetic_run_round_trips_through_our_decoder() {
    let run = synthetic_run();
    let bytes = fit::encode_activity(&run).unwrap();
    let back = fit::decode(&bytes).unwrap();
    assert!(back.warnings.is_empty(), "{:?}", back.warnings);
    assert_records_match("synthetic", &run.records, &back.records);

    assert_eq!(back.laps, run.laps);
    assert_eq!(back.events, run.events);
    assert_eq!(back.sport, Sport::Running);
    assert_eq!(back.sub_sport, Some(0));
    assert_eq!(back.start_time, Some(T0));
    assert_eq!(back.device, run.device);
    assert_eq!(back.file_id, run.file_id);
    assert_eq!(back.activity_info, run.activity_info);
    assert_eq!(back.hrv_rr.len(), run.hrv_rr.len());
    for (a, b) in run.hrv_rr.iter().zip(&back.hrv_rr) {
        assert!((a - b).abs() <= 0.000_5, "RR {a} came back as {b}");
    }

    // The session the encoder computed: the whole hour, less the pause on the timer.
    assert_eq!(back.sessions.len(), 1);
    let s = &back.sessions[0];
    assert_eq!((s.first_lap_index, s.num_laps), (Some(0), Some(2)));
    let sum = &s.summary;
    assert_eq!(sum.start_time, Some(T0));
    assert_eq!(sum.end_time, Some(T0 + END));
    assert_eq!(sum.total_elapsed_time, Some(END));
    assert_eq!(sum.total_timer_time, Some(3499.0));
    let distance = run.records.distance.as_ref().unwrap();
    let last = *distance.last().unwrap();
    assert_eq!(sum.total_distance, Some((last * 100.0).round() / 100.0));
    let hr: Vec<f32> = run.records.heart_rate.clone().unwrap();
    let valid: Vec<f64> = hr
        .iter()
        .filter(|v| !v.is_nan())
        .map(|&v| f64::from(v))
        .collect();
    let mean = valid.iter().sum::<f64>() / valid.len() as f64;
    assert_eq!(sum.avg_heart_rate, Some(mean.round()));
    assert_eq!(sum.max_heart_rate, Some(150.0));
    let speed = run.records.speed.as_ref().unwrap();
    let max_speed = speed.iter().fold(0.0f32, |m, &v| m.max(v));
    assert_eq!(
        sum.max_speed,
        Some((f64::from(max_speed) * 1000.0).round() / 1000.0)
    );
    assert!((sum.avg_speed.unwrap() - last / 3499.0).abs() <= 0.0005);
    // Cadence is steps per minute again (FIT held strides).
    assert_eq!(sum.max_cadence, Some(180.0));
    assert_eq!(sum.sport, Some(Sport::Running));

    // Developer fields: the described one as it was, the undescribed column as float32 of a
    // developer of its own.
    let power = &back.developer_fields[0];
    assert_eq!(
        DeveloperFieldInfo {
            column: None,
            ..power.clone()
        },
        DeveloperFieldInfo {
            column: None,
            ..run.developer_fields[0].clone()
        }
    );
    let wind = &back.developer_fields[1];
    assert_eq!(
        (wind.developer_data_index, wind.field_number, wind.base_type),
        (1, 0, 8)
    );
    assert_eq!((wind.name.as_str(), wind.units.as_str()), ("Wind", "m/s"));
}

/// A fitparser field of a record, as a number.
fn number(rec: &FitDataRecord, name: &str) -> Option<f64> {
    let f = rec.fields().iter().find(|f| f.name() == name)?;
    Some(match f.value() {
        Value::Timestamp(t) => t.timestamp() as f64,
        Value::UInt8(x) | Value::Enum(x) => f64::from(*x),
        Value::UInt16(x) => f64::from(*x),
        Value::SInt32(x) => f64::from(*x),
        Value::UInt32(x) => f64::from(*x),
        Value::Float64(x) => *x,
        Value::Float32(x) => f64::from(*x),
        _ => return None,
    })
}

#[test]
fn synthetic_run_reads_the_same_in_fitparser() {
    let run = synthetic_run();
    let bytes = fit::encode_activity(&run).unwrap();
    let messages = fitparser::from_bytes(&bytes).expect("fitparser accepts the file");
    let records: Vec<&FitDataRecord> = messages
        .iter()
        .filter(|m| m.kind() == MesgNum::Record)
        .collect();
    let r = &run.records;
    assert_eq!(records.len(), r.len());
    let (lat, lon) = (r.latitude.as_ref().unwrap(), r.longitude.as_ref().unwrap());
    let (distance, hr) = (r.distance.as_ref().unwrap(), r.heart_rate.as_ref().unwrap());
    for (i, rec) in records.iter().enumerate() {
        assert_eq!(number(rec, "timestamp"), Some(r.time[i]), "record {i}");
        let hr_back = number(rec, "heart_rate");
        if hr[i].is_nan() {
            assert_eq!(hr_back, None, "record {i}");
        } else {
            assert_eq!(hr_back, Some(f64::from(hr[i])), "record {i}");
        }
        let d = number(rec, "distance").unwrap();
        assert!((d - distance[i]).abs() <= 0.005 + 1e-9, "record {i}: {d}");
        for (key, deg) in [("position_lat", lat[i]), ("position_long", lon[i])] {
            match number(rec, key) {
                None => assert!(deg.is_nan(), "record {i} {key}"),
                Some(semicircles) => {
                    let back = semicircles * SEMICIRCLE;
                    assert!((back - deg).abs() <= SEMICIRCLE / 2.0, "record {i} {key}");
                }
            }
        }
    }
    let sessions: Vec<&FitDataRecord> = messages
        .iter()
        .filter(|m| m.kind() == MesgNum::Session)
        .collect();
    assert_eq!(sessions.len(), 1);
    let last = *distance.last().unwrap();
    let total = number(sessions[0], "total_distance").unwrap();
    assert!((total - last).abs() <= 0.005 + 1e-9, "{total}");
    assert_eq!(number(sessions[0], "total_timer_time"), Some(3499.0));
    let laps = messages.iter().filter(|m| m.kind() == MesgNum::Lap).count();
    assert_eq!(laps, 2);
}

/// Decodes, re-encodes and decodes again: everything comes back.
fn assert_reencodes(name: &str, bytes: &[u8]) {
    let original = fit::decode(bytes).unwrap();
    assert!(
        original.warnings.is_empty(),
        "{name}: {:?}",
        original.warnings
    );
    let encoded = fit::encode_activity(&original).unwrap();
    let back = fit::decode(&encoded).unwrap();
    assert!(back.warnings.is_empty(), "{name}: {:?}", back.warnings);
    assert_records_match(name, &original.records, &back.records);
    assert_eq!(back.laps, original.laps, "{name}: laps");
    assert_eq!(back.sessions, original.sessions, "{name}: sessions");
    assert_eq!(back.events, original.events, "{name}: events");
    assert_eq!(back.hrv_rr, original.hrv_rr, "{name}: RR intervals");
    // The activity summary comes back; what the file lacked is computed.
    let (a, b) = (original.activity_info.unwrap(), back.activity_info.unwrap());
    assert_eq!(
        (a.timestamp, a.local_timestamp),
        (b.timestamp, b.local_timestamp),
        "{name}"
    );
    if a.total_timer_time.is_some() {
        assert_eq!(a.total_timer_time, b.total_timer_time, "{name}");
    }
    assert_eq!(
        b.num_sessions,
        a.num_sessions.or(Some(back.sessions.len() as u16)),
        "{name}"
    );
    assert_eq!(
        (back.sport, back.sub_sport, back.start_time),
        (original.sport, original.sub_sport, original.start_time),
        "{name}: sport and start"
    );
    assert_eq!(back.device, original.device, "{name}: device");
    // Developer descriptions come back, but for field numbers a developer reused (made
    // unique) and the order of columns.
    assert_eq!(
        back.developer_fields.len(),
        original.developer_fields.len(),
        "{name}: developer fields"
    );
    for (a, b) in original.developer_fields.iter().zip(&back.developer_fields) {
        assert_eq!(
            (
                &a.name,
                &a.units,
                a.developer_data_index,
                a.scale,
                a.offset,
                a.native_field
            ),
            (
                &b.name,
                &b.units,
                b.developer_data_index,
                b.scale,
                b.offset,
                b.native_field
            ),
            "{name}: developer field {}",
            a.name
        );
        assert_eq!(
            a.application_id.is_some(),
            b.application_id.is_some(),
            "{name}"
        );
        assert_eq!(a.column.is_some(), b.column.is_some(), "{name}: {}", a.name);
    }
    // The oracle reads the file too (it checks both CRCs) and finds every record.
    let theirs = fitparser::from_bytes(&encoded)
        .unwrap_or_else(|e| panic!("{name}: fitparser refuses the re-encoded file: {e}"));
    let records = theirs
        .iter()
        .filter(|m| m.kind() == MesgNum::Record)
        .count();
    assert_eq!(
        records,
        original.records.len(),
        "{name}: fitparser's records"
    );
    println!(
        "{name}: {} bytes -> {} bytes, {} records",
        bytes.len(),
        encoded.len(),
        original.records.len()
    );
}

#[test]
fn fenix_5_run_reencodes() {
    let bytes = include_bytes!("fixtures/garmin-fenix-5-run.fit");
    assert_reencodes("garmin-fenix-5-run.fit", bytes);
}

/// Corpus files read in place: a FR955 run with Stryd developer fields, running dynamics and
/// HRV; a multisport fenix 2 file (strides and revolutions by session); a cycling file with
/// power; compressed speed and distance; a fenix 5x triathlon that reuses a developer field
/// number for two developers.
const CORPUS: &[&str] = &[
    "goldencheetah/14211916346_ACTIVITY.fit",
    "python-fitparse/activity-large-fenxi2-multisport.fit",
    "python-fitparse/garmin-edge-820-bike.fit",
    "python-fitparse/compressed-speed-distance.fit",
    "goldencheetah/MultiSport-2019-11-24.fit",
];

#[test]
fn corpus_files_reencode() {
    for name in CORPUS {
        let path = format!("{FIXTURES}/{name}");
        let Ok(bytes) = std::fs::read(&path) else {
            common::corpus_absent(&path);
            continue;
        };
        assert_reencodes(name, &bytes);
    }
}

/// One generated channel: present or not, each sample a value in `lo..hi` or, now and then,
/// `NaN`.
fn channel(lo: f64, hi: f64, n: usize) -> impl Strategy<Value = Option<Vec<f64>>> {
    let sample = prop_oneof![6 => lo..hi, 1 => Just(f64::NAN)];
    proptest::option::of(proptest::collection::vec(sample, n))
}

fn narrow(c: Option<Vec<f64>>) -> Option<Vec<f32>> {
    c.map(|v| v.into_iter().map(|x| x as f32).collect())
}

/// Arbitrary record streams: monotonic times (repeats allowed), each channel absent or
/// present with random `NaN` gaps, values within what FIT can hold.
fn stream() -> impl Strategy<Value = Activity> {
    (0usize..80, any::<bool>()).prop_flat_map(|(n, on_foot)| {
        let times = proptest::collection::vec(0u32..10, n);
        let positions = (channel(-89.9, 89.9, n), channel(-179.9, 179.9, n));
        let motion = (
            channel(0.0, 100_000.0, n),
            channel(0.0, 60.0, n),
            channel(-400.0, 8000.0, n),
            channel(30.0, 230.0, n),
            channel(0.0, 250.0, n),
            channel(0.0, 2000.0, n),
            channel(-30.0, 50.0, n),
        );
        let dynamics = (
            channel(0.0, 0.2, n),
            channel(0.1, 0.5, n),
            channel(40.0, 60.0, n),
            channel(5.0, 12.0, n),
            channel(0.3, 2.5, n),
        );
        let developer = proptest::option::of(channel(-1000.0, 1000.0, n));
        (times, positions, motion, dynamics, developer).prop_map(
            move |(dt, (lat, lon), (d, v, alt, hr, cad, p, temp), (vo, st, stb, vr, sl), dev)| {
                let mut t = T0;
                let time = dt
                    .iter()
                    .map(|&step| {
                        t += f64::from(step);
                        t
                    })
                    .collect();
                let developer = dev.flatten().map(|values| DeveloperColumn {
                    name: "Extra".into(),
                    units: "".into(),
                    values: values.into_iter().map(|x| x as f32).collect(),
                });
                Activity {
                    sport: if on_foot {
                        Sport::Running
                    } else {
                        Sport::Cycling
                    },
                    records: Records {
                        time,
                        latitude: lat,
                        longitude: lon,
                        distance: d,
                        speed: narrow(v),
                        altitude: narrow(alt),
                        heart_rate: narrow(hr),
                        cadence: narrow(cad),
                        power: narrow(p),
                        temperature: narrow(temp),
                        vertical_oscillation: narrow(vo),
                        stance_time: narrow(st),
                        stance_time_balance: narrow(stb),
                        vertical_ratio: narrow(vr),
                        step_length: narrow(sl),
                        developer: developer.into_iter().collect(),
                    },
                    ..Activity::default()
                }
            },
        )
    })
}

/// Any `f64`, the odd ones often.
fn wild() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>(),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(-1.0),
        T0 - 1e9..T0 + 1e10,
    ]
}

proptest! {
    #[test]
    fn record_streams_round_trip(a in stream()) {
        let bytes = fit::encode_activity(&a).unwrap();
        let back = fit::decode(&bytes).unwrap();
        prop_assert!(back.warnings.is_empty(), "{:?}", back.warnings);
        assert_records_match("generated", &a.records, &back.records);
        // A computed session (and lap) whenever there are records.
        prop_assert_eq!(back.sessions.len(), usize::from(!a.records.is_empty()));
        prop_assert_eq!(back.laps.len(), back.sessions.len());
    }

    #[test]
    fn encoding_never_panics(
        times in proptest::collection::vec(wild(), 0..20),
        values in proptest::collection::vec(wild(), 20),
        lap_start in wild(),
        with_lap in any::<bool>(),
    ) {
        let n = times.len();
        let column = |k: usize| Some((0..n).map(|i| values[(i + k) % 20]).collect::<Vec<f64>>());
        let narrow = |k: usize| narrow(column(k));
        let mut a = Activity {
            records: Records {
                time: times.clone(),
                latitude: column(0),
                longitude: column(1),
                distance: column(2),
                speed: narrow(3),
                altitude: narrow(4),
                heart_rate: narrow(5),
                cadence: narrow(6),
                power: narrow(7),
                temperature: narrow(8),
                stance_time: narrow(9),
                ..Records::default()
            },
            ..Activity::default()
        };
        if with_lap {
            a.laps.push(Lap {
                summary: Summary {
                    start_time: Some(lap_start),
                    total_distance: Some(values[3]),
                    avg_cadence: Some(values[4]),
                    ..Summary::default()
                },
                ..Lap::default()
            });
        }
        match fit::encode_activity(&a) {
            Ok(bytes) => {
                let back = fit::decode(&bytes).unwrap();
                prop_assert!(back.warnings.is_empty(), "{:?}", back.warnings);
                prop_assert_eq!(back.records.len(), n);
            }
            Err(AnalysisError::Encode(_)) => {}
            Err(e) => prop_assert!(false, "unexpected error {e}"),
        }
    }
}
