//! Algorithms over sample columns, one per file.

/// Distances between positions on the WGS84 ellipsoid, and the cumulative distance of a track.
pub mod geo;
pub use geo::{cumulative_distance, distance, haversine};
