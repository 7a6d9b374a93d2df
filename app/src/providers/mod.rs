/// The runner's settings for analysis, kept in the browser.
pub mod athlete;
pub use athlete::{AthleteContext, provide_athlete, use_athlete};
/// The runner's unit system, kept in the browser.
pub mod units;
pub use units::{UnitsContext, provide_units, use_units};
