//! What Stride knows about the runner that the analysis of a run depends on: heart-rate anchors,
//! threshold pace, zones. Everything is optional; a metric that needs a missing value either uses
//! a documented default or returns `None`.

use serde::{Deserialize, Serialize};

/// The sex used by the sex-specific constants of some models (Banister's TRIMP).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Sex {
    /// Banister's constants for men (0.64, 1.92); also the default.
    #[default]
    Male,
    /// Banister's constants for women (0.86, 1.67).
    Female,
}

/// The runner's settings, in SI units.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Athlete {
    /// Maximum heart rate, bpm.
    pub max_hr: Option<f64>,
    /// Resting heart rate, bpm.
    pub rest_hr: Option<f64>,
    /// Lactate-threshold heart rate, bpm.
    pub threshold_hr: Option<f64>,
    /// Threshold (about one-hour race) speed, m/s; enables rTSS and pace zones.
    pub threshold_speed: Option<f64>,
    /// For the sex-specific constants.
    pub sex: Sex,
    /// Upper bounds of the heart-rate zones in bpm, ascending (zone 1 ends at the first bound);
    /// `None` for the default zones.
    pub hr_zones: Option<Vec<f64>>,
    /// Upper bounds of the pace zones as speeds in m/s, ascending; `None` for the default zones.
    pub pace_zones: Option<Vec<f64>>,
}
