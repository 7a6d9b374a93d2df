//! Properties of the FIT decoder: it never panics, whatever the bytes, and what it returns is
//! consistent (one value per record in every column).

#![cfg(not(target_arch = "wasm32"))]

mod common;

use analysis::{Activity, AnalysisError, fit};
use proptest::prelude::*;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/fixtures");

/// Small real files covering the decoder's paths: HRV and running dynamics, big-endian,
/// compressed timestamps, compressed speed/distance, developer fields (also base type 0x04),
/// chained files, a 12-byte header.
const SEEDS: &[&str] = &[
    "python-fitparse/garmin-fenix-5-run.fit",
    "fittrackee/example.fit",
    "python-fitparse/antfs-dump.63.fit",
    "python-fitparse/compressed-speed-distance.fit",
    "python-fitparse/developer-types-sample.fit",
    "python-fitparse/sample_mulitple_header.fit",
    "synthetic/edge-devfield-basetype-0x04-6min.fit",
    "goldencheetah/Move_2020_01_15_19_27_16_Running.fit",
];

fn seeds() -> Vec<Vec<u8>> {
    SEEDS
        .iter()
        .filter_map(|f| std::fs::read(format!("{FIXTURES}/{f}")).ok())
        .collect()
}

fn consistent(a: &Activity) -> bool {
    let n = a.records.len();
    let r = &a.records;
    let wide_ok = [&r.latitude, &r.longitude, &r.distance]
        .iter()
        .all(|c| c.as_ref().is_none_or(|v| v.len() == n));
    let narrow_ok = [
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
    ]
    .iter()
    .all(|c| c.as_ref().is_none_or(|v| v.len() == n));
    wide_ok && narrow_ok && r.developer.iter().all(|c| c.values.len() == n)
}

/// A 14-byte header announcing `data_len` bytes, with a valid header CRC.
fn header(data_len: usize) -> Vec<u8> {
    let mut h = vec![14, 0x20, 0x6B, 0x08];
    h.extend_from_slice(&(data_len as u32).to_le_bytes());
    h.extend_from_slice(b".FIT");
    let crc = fit::crc16(&h);
    h.extend_from_slice(&crc.to_le_bytes());
    h
}

/// One step of a generated, well-formed FIT data stream.
#[derive(Debug, Clone)]
enum Step {
    /// A definition: local type, global number, big-endian, fields, developer fields.
    Define(u8, u16, bool, Vec<(u8, u8, u8)>, Vec<(u8, u8, u8)>),
    /// A data message for a local type, with a compressed-timestamp offset for local types
    /// 0-3 when `Some`, its bytes drawn from `seed`.
    Data(u8, Option<u8>, u64),
}

fn step() -> impl Strategy<Value = Step> {
    let global = prop_oneof![
        Just(0u16),
        Just(18),
        Just(19),
        Just(20),
        Just(21),
        Just(23),
        Just(78),
        Just(206),
        Just(207),
        Just(370),
        any::<u16>()
    ];
    let base = prop_oneof![
        Just(0x00u8),
        Just(0x01),
        Just(0x02),
        Just(0x83),
        Just(0x84),
        Just(0x85),
        Just(0x86),
        Just(0x07),
        Just(0x88),
        Just(0x89),
        Just(0x0D),
        Just(0x04),
        Just(0x8E),
        any::<u8>()
    ];
    let number = prop_oneof![
        0u8..10,
        Just(253),
        Just(73),
        Just(78),
        Just(53),
        any::<u8>()
    ];
    let field = (number, 0u8..12, base);
    let dev_field = (0u8..4, 0u8..6, 0u8..3);
    prop_oneof![
        (
            0u8..16,
            global,
            any::<bool>(),
            proptest::collection::vec(field, 0..12),
            proptest::collection::vec(dev_field, 0..3)
        )
            .prop_map(|(l, g, be, f, d)| Step::Define(l, g, be, f, d)),
        (0u8..16, proptest::option::of(0u8..32), any::<u64>())
            .prop_map(|(l, c, seed)| Step::Data(l, c, seed)),
    ]
}

/// Builds the data bytes of `steps`; returns them and the number of record messages.
fn build(steps: &[Step]) -> (Vec<u8>, usize) {
    let mut data = Vec::new();
    let mut defined: [Option<(u16, usize)>; 16] = [None; 16];
    let mut records = 0;
    for s in steps {
        match s {
            Step::Define(local, global, be, fields, dev) => {
                data.push(0x40 | if dev.is_empty() { 0 } else { 0x20 } | local);
                data.push(0);
                data.push(u8::from(*be));
                let g = if *be {
                    global.to_be_bytes()
                } else {
                    global.to_le_bytes()
                };
                data.extend_from_slice(&g);
                data.push(fields.len() as u8);
                for (n, size, base) in fields {
                    data.extend_from_slice(&[*n, *size, *base]);
                }
                if !dev.is_empty() {
                    data.push(dev.len() as u8);
                    for (n, size, index) in dev {
                        data.extend_from_slice(&[*n, *size, *index]);
                    }
                }
                let size = fields.iter().chain(dev).map(|f| usize::from(f.1)).sum();
                defined[usize::from(*local)] = Some((*global, size));
            }
            Step::Data(local, compressed, seed) => {
                let Some((global, size)) = defined[usize::from(*local)] else {
                    continue;
                };
                match compressed {
                    Some(offset) if *local < 4 => data.push(0x80 | (local << 5) | offset),
                    _ => data.push(*local),
                }
                let mut x = *seed;
                for _ in 0..size {
                    x = x
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    data.push((x >> 56) as u8);
                }
                records += usize::from(global == 20);
            }
        }
    }
    (data, records)
}

proptest! {
    #[test]
    fn well_formed_streams_decode_every_record(steps in proptest::collection::vec(step(), 0..40)) {
        let (data, records) = build(&steps);
        let mut file = header(data.len());
        file.extend_from_slice(&data);
        let crc = fit::crc16(&file);
        file.extend_from_slice(&crc.to_le_bytes());
        let a = fit::decode(&file).expect("well-formed");
        prop_assert_eq!(a.records.len(), records);
        prop_assert!(consistent(&a));
        // Random field descriptions may be incomplete or leave developer fields undescribed;
        // nothing else may be reported about a well-formed file.
        prop_assert!(
            a.warnings.iter().all(|w| w.contains("field_description")),
            "{:?}", a.warnings
        );
    }

    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        match fit::decode(&bytes) {
            Ok(a) => prop_assert!(consistent(&a)),
            Err(AnalysisError::Empty) => prop_assert!(bytes.is_empty()),
            Err(AnalysisError::NotFit { offset, .. }) => prop_assert_eq!(offset, 0),
            Err(e) => prop_assert!(false, "unexpected error {e}"),
        }
    }

    #[test]
    fn never_panics_on_arbitrary_data_after_a_good_header(
        data in proptest::collection::vec(any::<u8>(), 0..4096),
        declared_extra in 0usize..64,
    ) {
        // The header may announce more (or fewer) bytes than follow.
        let mut file = header(data.len() + declared_extra);
        file.extend_from_slice(&data);
        let a = fit::decode(&file).expect("a good header always decodes");
        prop_assert!(consistent(&a));
    }

    #[test]
    fn never_panics_on_mutated_real_files(
        seed in any::<prop::sample::Index>(),
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..16),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let seeds = seeds();
        prop_assume!(!seeds.is_empty());
        let mut bytes = seed.get(&seeds).clone();
        for (at, value) in &flips {
            let i = at.index(bytes.len());
            bytes[i] = *value;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len() + 1));
        }
        if let Ok(a) = fit::decode(&bytes) {
            prop_assert!(consistent(&a));
        }
    }

    #[test]
    fn a_cut_file_keeps_its_complete_records(cut in any::<prop::sample::Index>()) {
        // Cutting a file anywhere after its header keeps every record that ends before the cut,
        // with a warning, and never more records than the whole file has.
        let Ok(bytes) = std::fs::read(format!("{FIXTURES}/python-fitparse/garmin-fenix-5-run.fit"))
        else {
            return Ok(());
        };
        let whole = fit::decode(&bytes).unwrap();
        let at = 14 + cut.index(bytes.len() - 14);
        let part = fit::decode(&bytes[..at]).unwrap();
        prop_assert!(part.records.len() <= whole.records.len());
        prop_assert_eq!(&part.records.time[..], &whole.records.time[..part.records.len()]);
        prop_assert!(!part.warnings.is_empty());
    }
}

#[test]
fn seeds_are_present_or_skipped() {
    let found = seeds().len();
    if found == 0 {
        common::corpus_absent(FIXTURES);
    } else {
        assert_eq!(found, SEEDS.len());
    }
}
