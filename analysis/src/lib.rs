//! Stride's analysis core.
//!
//! Pure, synchronous Rust with no web or async dependencies, so the same code runs natively (the
//! `stride` command line, server-side checks, benchmarks) and as WebAssembly in the browser.
//! Values are SI inside (D8): metres, seconds, metres per second, beats per minute.

/// The error type of this crate.
pub mod error;
pub use error::AnalysisError;

/// SI quantities and the conversions the rest of Stride shares.
pub mod units;
pub use units::{Bpm, Meters, MetersPerSecond, Seconds};
