//! Stride's analysis core.
//!
//! Pure, synchronous Rust with no web or async dependencies, so the same code runs natively (the
//! `stride` command line, server-side checks, benchmarks) and as WebAssembly in the browser.
//! Values are SI inside (D8): metres, seconds, metres per second, beats per minute.

/// The error type of this crate.
pub mod error;
pub use error::AnalysisError;

/// UTC timestamps as RFC 3339 text.
pub mod time;

/// SI quantities and the conversions the rest of Stride shares.
pub mod units;
pub use units::{Bpm, Meters, MetersPerSecond, Seconds};

/// The activity model every decoder fills: columnar samples, laps, sessions, HRV, device info.
pub mod activity;
pub use activity::{
    Activity, ActivityInfo, DeveloperColumn, DeveloperFieldInfo, DeviceInfo, Event, FileFormat,
    FileId, HrvStatus, Lap, MonitoringSummary, Records, Session, SleepSummary, Sport, Summary,
    Workout, WorkoutStep,
};

/// Stride's own FIT decoder: `fit::decode(&[u8]) -> Result<Activity, AnalysisError>`.
pub mod fit;

/// The runner's settings that per-run analysis depends on.
pub mod athlete;
pub use athlete::{Athlete, Sex};

/// Per-run metrics: the registry and one file per metric.
pub mod metrics;
pub use metrics::{BestEffort, Metric, MetricInfo, MetricValues, Run};

/// The run report: metrics, splits, laps, zones and best efforts of one run.
pub mod report;
pub use report::{LapStats, RunReport, Segment, Split, Zone, Zones, analyze};

/// Any supported file: the format is recognised from the bytes.
pub mod decode;
pub use decode::decode;
