//! Data quality: how far a run's GPS track and heart rate can be trusted, with the reasons.

/// GPS cleanup (jumps, spikes, Kalman/RTS smoothing), corrected distance and a 0–100 score.
pub mod gps;
pub use gps::{GpsIssue, GpsLimits, GpsQuality, GpsReason};

/// Heart-rate drop-outs, spikes and cadence lock, with an ok/suspect verdict.
pub mod heart_rate;
pub use heart_rate::{HrFlag, HrIssue, HrLimits, HrQuality, HrVerdict};
