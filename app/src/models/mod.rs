/// A run kept in the browser's library.
pub mod local_run;
pub use local_run::LocalRun;

/// Personal records by distance and their progression.
pub mod records;

/// One activity is one run: the same activity from several files or sources.
pub mod same_run;

/// What the run page shows of a file, as the analysis worker sends it.
pub mod run_analysis;
pub use run_analysis::RunAnalysis;

/// The runs list: sorting, filtering, the month calendar and volume per week and month.
pub mod run_list;

/// An original file's content address (SHA-256), the same in the browser and on the server.
#[cfg(any(feature = "ssr", feature = "hydrate"))]
pub mod original;

/// The run map's tile source, set by the server.
pub mod map_tiles;
pub use map_tiles::MapTiles;

/// The progress of an import.
pub mod import_progress;
pub use import_progress::ImportProgress;

/// Accounts and personal access tokens.
pub mod account;
pub use account::{Account, NewToken, TokenInfo, TwoFactorSetup};

/// The watch page's state: live values, the connected device, reconnection back-off.
pub mod watch;
pub use watch::{DeviceSummary, Live, LiveHistory};

/// Sync and sharing: runs on the server, public links, a public run's page.
pub mod sync;
pub use sync::{ShareLink, SharedRun, SyncUpload, SyncedRun};
