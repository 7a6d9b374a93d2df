/// The site header with the navigation and the units switch.
pub mod site_header;
pub use site_header::SiteHeader;

/// The metric/imperial switch.
pub mod units_toggle;
pub use units_toggle::UnitsToggle;
