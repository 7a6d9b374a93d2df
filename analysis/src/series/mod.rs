//! Algorithms on sampled series, one per file: pure functions on slices, O(n), `NaN` for a
//! missing sample.

/// Distances on the WGS84 ellipsoid, the cumulative distance of a track, and a local metric frame.
pub mod geo;
pub use geo::{LocalFrame, cumulative_distance, distance, equirectangular_m, haversine};

/// Centred moving average, exponential smoothing, and a duration-weighted rolling mean.
pub mod smoothing;
pub use smoothing::{exponential, moving_average, rolling_mean};

/// The timer seconds each record closes, from the timer start/stop events.
pub mod timer;
pub use timer::timer_durations;

/// A constant-velocity Kalman filter with a Rauch–Tung–Striebel smoother for GPS tracks.
pub mod kalman;
pub use kalman::{ConstantVelocity, SmoothedTrack, estimate_sigma};

/// Grade from altitude and distance; grade-adjusted pace models (Minetti, ACSM).
pub mod grade;
pub use grade::{Acsm, GradeAdjustment, Minetti, gap_speeds, grade, minetti_cost};
