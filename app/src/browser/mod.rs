/// Waiting without blocking the page: timeouts, and giving the event loop a turn.
pub mod timer;

/// Small settings kept in the browser's local storage.
pub mod storage;

/// Files picked or dropped by the runner.
pub mod file;

/// The runs library in IndexedDB.
pub mod library;
pub use library::LibraryError;

/// The analysis worker (the wasm analysis core in a Web Worker).
pub mod worker;
pub use worker::{Analysed, Analyzer, analyzer};

/// Importing files: read, analyse in the worker, keep in the library.
pub mod import;

/// Sync with the account on the server: originals up and down.
pub mod sync;

/// Leaflet, the map library under the run page's route.
pub mod leaflet;

/// Offline use: registering the service worker (`public/sw.js`).
pub mod offline;

/// The watch: sensors over Web Bluetooth behind the `WatchDriver` trait, the recording kept in
/// IndexedDB as it goes, geolocation.
pub mod watch;

/// Asks the runner `message` with the browser's own confirmation dialog (blocking, keyboard and
/// screen-reader friendly on every platform); `false` when it is dismissed or cannot be shown.
pub fn confirm(message: &str) -> bool {
    leptos::prelude::window()
        .confirm_with_message(message)
        .unwrap_or(false)
}
