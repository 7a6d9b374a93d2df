//! The panels of the run page below the charts: laps, zones, data quality.

/// The device's laps beside Stride's figures for them.
pub mod laps;
pub use laps::LapsTable;

/// Time in heart-rate and pace zones.
pub mod zones;
pub use zones::ZonesPanel;

/// What to trust: the GPS score and the heart-rate flags, with reasons.
pub mod quality;
pub use quality::DataQualityPanel;
