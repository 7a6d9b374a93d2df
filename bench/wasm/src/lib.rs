//! The analysis core as a wasm module for `bench/fit.sh`: decode FIT bytes and report what was
//! decoded, plus the allocator's peak, so the Node script can compare speed and memory with the
//! JavaScript decoders on the same bytes.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use wasm_bindgen::prelude::*;

/// Counts live and peak heap bytes around the system allocator.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to `System`; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, which we pass on.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            let live = LIVE.fetch_sub(layout.size(), Ordering::Relaxed) - layout.size() + new_size;
            LIVE.store(live, Ordering::Relaxed);
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Decodes a FIT file and returns `[records, sum of heart rate, warnings]`, so that nothing can be
/// optimised away and the script can check the decoders agree.
#[wasm_bindgen]
pub fn decode_fit(bytes: &[u8]) -> Result<Vec<f64>, JsError> {
    let activity = analysis::fit::decode(bytes).map_err(|e| JsError::new(&e.to_string()))?;
    let records = &activity.records;
    let hr_sum = records
        .heart_rate
        .as_deref()
        .map(|hr| {
            hr.iter()
                .filter(|v| v.is_finite())
                .map(|&v| f64::from(v))
                .sum()
        })
        .unwrap_or(0.0);
    Ok(vec![
        records.time.len() as f64,
        hr_sum,
        activity.warnings.len() as f64,
    ])
}

/// Resets the peak-heap counter to the bytes live now.
#[wasm_bindgen]
pub fn reset_peak_heap() {
    PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
}

/// The most heap bytes live at once since the last [`reset_peak_heap`], minus those live then.
#[wasm_bindgen]
pub fn peak_heap_bytes() -> f64 {
    PEAK.load(Ordering::Relaxed) as f64
}

/// Heap bytes live now.
#[wasm_bindgen]
pub fn live_heap_bytes() -> f64 {
    LIVE.load(Ordering::Relaxed) as f64
}

/// Decodes and fully analyses a file (every metric, splits, zones, best efforts, GPS smoothing),
/// as an import in the browser does, and returns `[records, distance_m, metric count]`.
#[wasm_bindgen]
pub fn analyze_file(bytes: &[u8]) -> Result<Vec<f64>, JsError> {
    let activity = analysis::decode(bytes).map_err(|e| JsError::new(&e.to_string()))?;
    let report = analysis::analyze(&activity, &analysis::Athlete::default());
    Ok(vec![
        activity.records.len() as f64,
        report.metrics.get("distance_m").unwrap_or(f64::NAN),
        report.metrics.len() as f64,
    ])
}
