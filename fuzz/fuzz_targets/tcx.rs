//! Arbitrary bytes into the TCX decoder: an activity or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(activity) = analysis::tcx::decode(data) {
        let n = activity.records.len();
        assert!(activity.records.distance.as_ref().is_none_or(|c| c.len() == n));
    }
});
