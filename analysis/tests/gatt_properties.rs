//! Properties of the GATT parsers and the recorder: whatever bytes a sensor sends, parsing
//! gives a value or an error, never a panic, and what parses is consistent with its flags; a
//! recording fed random entries never panics and encodes to a file our decoder reads.

#![cfg(not(target_arch = "wasm32"))]

use analysis::gatt::{self, heart_rate, rsc};
use analysis::{Entry, Recording};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn heart_rate_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
        if let Ok(m) = heart_rate::parse(&bytes) {
            let flags = bytes[0];
            let value_len = if flags & 1 != 0 { 2 } else { 1 };
            let energy_len = if flags & 8 != 0 { 2 } else { 0 };
            let rr_len = if flags & 0x10 != 0 { bytes.len() - 1 - value_len - energy_len } else { 0 };
            prop_assert_eq!(m.rr_ms.len() * 2, rr_len);
            prop_assert_eq!(m.energy_kj.is_some(), flags & 8 != 0);
            prop_assert!(m.rr_ms.iter().all(|v| (0.0..64_000.0).contains(v)));
        }
    }

    #[test]
    fn rsc_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..20)) {
        if let Ok(m) = rsc::parse(&bytes) {
            let flags = bytes[0];
            prop_assert_eq!(m.stride_length_m.is_some(), flags & 1 != 0);
            prop_assert_eq!(m.total_distance_m.is_some(), flags & 2 != 0);
            prop_assert!(m.speed_mps >= 0.0 && m.speed_mps < 256.0);
        }
    }

    #[test]
    fn battery_and_strings_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..30)) {
        if let Ok(level) = gatt::battery_level(&bytes) {
            prop_assert!(level <= 100);
        }
        let _ = gatt::device_string(&bytes);
    }

    #[test]
    fn random_recordings_never_panic(ops in proptest::collection::vec((0u8..10, 0.0f64..30.0, any::<u16>()), 0..200)) {
        let mut rec = Recording::new();
        let mut t = 1_717_218_000.0;
        for (kind, dt, v) in ops {
            t += dt;
            let x = f64::from(v);
            let entry = match kind {
                0 => Entry::Start { time: t },
                1 => Entry::Lap { time: t },
                2 => Entry::Pause { time: t },
                3 => Entry::Resume { time: t },
                4 => Entry::Stop { time: t },
                5 => Entry::Disconnected { time: t },
                6 => Entry::Reconnected { time: t },
                7 => Entry::HeartRate { time: t, bpm: x / 200.0, rr_s: vec![x / 20_000.0] },
                8 => Entry::Stride { time: t, speed_mps: x / 1_000.0, cadence_spm: x / 300.0,
                    stride_length_m: Some(x / 10_000.0), total_distance_m: (v % 3 != 0).then_some(x) },
                _ => Entry::Position { time: t, latitude: x / 1_000.0 - 30.0, longitude: x / 500.0,
                    altitude_m: None, accuracy_m: Some(x / 100.0) },
            };
            let _ = rec.push(entry);
        }
        prop_assert!(rec.timer_s(t) <= rec.elapsed_s(t) + 1e-9);
        prop_assert!(rec.distance_m() >= 0.0);
        if rec.start_time().is_some() {
            let bytes = rec.encode(None).unwrap();
            let run = analysis::fit::decode(&bytes).unwrap();
            prop_assert!(run.warnings.is_empty(), "{:?}", run.warnings);
        } else {
            prop_assert!(rec.encode(None).is_err());
        }
    }
}
