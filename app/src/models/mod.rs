/// A run kept in the browser's library.
pub mod local_run;
pub use local_run::LocalRun;

/// The watch page's state: live values, the connected device, reconnection back-off.
pub mod watch;
pub use watch::{DeviceSummary, Live};
