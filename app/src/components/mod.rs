/// The site header with the navigation and the units switch.
pub mod site_header;
pub use site_header::SiteHeader;

/// The metric/imperial switch.
pub mod units_toggle;
pub use units_toggle::UnitsToggle;

/// One figure of a run, with its metric id and SI value as data attributes.
pub mod metric_tile;
pub use metric_tile::{Display, MetricTile};

/// The run page's charts and route map (plotters on canvas) with their shared cursor.
pub mod charts;

/// The run page's panels: laps, zones, data quality.
pub mod run_report;

/// A month calendar of runs.
pub mod run_calendar;
pub use run_calendar::RunCalendar;

/// Weekly and monthly distance bars.
pub mod volume_bars;
pub use volume_bars::VolumeBars;

/// Sync with the account: the "Sync" action, each run's state and its public link.
pub mod sync_panel;
pub use sync_panel::{RunSharing, SyncPanel};

/// The progress line while old summaries are analysed again from their originals.
pub mod library_refresh;
pub use library_refresh::LibraryRefresh;
