//! Arbitrary bytes into the FIT decoder: it must return an activity or an error, never panic,
//! and what it returns must be consistent (every column as long as the time column).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(activity) = analysis::fit::decode(data) {
        let n = activity.records.len();
        for column in [&activity.records.latitude, &activity.records.distance] {
            assert!(column.as_ref().is_none_or(|c| c.len() == n));
        }
    }
});
