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

/// Unit constants (metres per mile and per foot): values are SI `f64` everywhere.
pub mod units;

/// The activity model every decoder fills: columnar samples, laps, sessions, HRV, device info.
pub mod activity;
pub use activity::{
    Activity, ActivityInfo, DeveloperColumn, DeveloperFieldInfo, DeviceInfo, Event, FileFormat,
    FileId, HrvStatus, Lap, MonitoringSummary, Records, Session, SleepSummary, Sport, Summary,
    Workout, WorkoutStep,
};

/// Stride's own FIT decoder and encoder: `fit::decode(&[u8]) -> Result<Activity, AnalysisError>`
/// and `fit::encode_activity(&Activity) -> Result<Vec<u8>, AnalysisError>`.
pub mod fit;

/// GPX 1.1 and 1.0 tracks: `gpx::decode(&[u8]) -> Result<Activity, AnalysisError>`.
pub mod gpx;

/// Garmin TCX activities: `tcx::decode(&[u8]) -> Result<Activity, AnalysisError>`.
pub mod tcx;

/// What the GPX and TCX decoders share: one pass of XML events, the column builder.
mod xml;

/// The runner's settings that per-run analysis depends on.
pub mod athlete;
pub use athlete::{Athlete, Sex};

/// Algorithms on sampled series: geodesy, smoothing, timer time, Kalman/RTS, grade and GAP.
pub mod series;
pub use series::{ConstantVelocity, GradeAdjustment, LocalFrame, Minetti};

/// Data quality: GPS cleanup and score, heart-rate flags.
pub mod quality;
pub use quality::{GpsQuality, HrQuality};

/// Per-run metrics: the registry and one file per metric.
pub mod metrics;
pub use metrics::{BestEffort, Metric, MetricInfo, MetricValues, Run};

/// The run report: metrics, splits, laps, zones and best efforts of one run.
pub mod report;
pub use report::{LapStats, RunReport, Segment, Split, Zone, Zones, analyze};

/// Chart-ready series of a run (pace, GAP, heart rate, elevation, cadence, power by distance or
/// time) and its route in metres, with the figures of a selected stretch.
pub mod chart;
pub use chart::ChartData;
/// The flat summary of an analysed run (`stride analyze --json`, the upload API, the library).
pub mod summary;
pub use summary::RunSummary;

/// One activity is one run: the same activity from several files or sources.
pub mod same_activity;

/// Bluetooth GATT payloads (heart rate, running speed and cadence, battery, device information).
pub mod gatt;

/// A run recorded live (sensor samples and Start/Lap/Pause/Resume/Stop) and its FIT file.
pub mod recording;
pub use recording::{Entry, Recording, RecordingState};

/// Any supported file: the format is recognised from the bytes.
pub mod decode;
pub use decode::decode;

/// Athlete models over many runs: load, fitness/fatigue/form, Banister, race prediction,
/// VO2max, HRV, resting HR, readiness.
pub mod models;
