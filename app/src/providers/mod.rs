/// The runner's unit system, kept in the browser.
pub mod units;
pub use units::{UnitsContext, provide_units, use_units};
