//! Arbitrary bytes through the whole pipeline a browser import runs: format detection, decoding
//! and every metric. Never a panic, whatever the bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = analysis::summary::analyze_bytes(data, &analysis::Athlete::default());
});
