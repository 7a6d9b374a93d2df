//! Stride's Leptos app: the shell, routes, pages and components, with the server side behind the
//! `ssr` feature and the browser side behind `hydrate`.
#![recursion_limit = "256"]

// Web Bluetooth lives behind web-sys' unstable APIs. A RUSTFLAGS environment variable replaces the
// rustflags of .cargo/config.toml and would silently drop the cfg (and with it the watch code).
#[cfg(all(
    target_arch = "wasm32",
    feature = "hydrate",
    not(web_sys_unstable_apis)
))]
compile_error!(
    "build the browser side with --cfg=web_sys_unstable_apis (see .cargo/config.toml); \
     a RUSTFLAGS environment variable replaces that setting"
);

/// The HTML shell, the `<App/>` component and its routes.
pub mod app;
pub use app::{App, shell};

/// The error that crosses the wire between server functions and the UI.
pub mod error;
pub use error::AppError;

/// Display formatting in the runner's unit system (SI inside, D8).
pub mod format;
pub use format::UnitSystem;

/// Archives a runner imports (.gz, .zip exports), read piece by piece; pure Rust.
pub mod archive;

/// Serde types shared by the server and the browser.
pub mod models;

/// Server functions, one file per domain.
pub mod api;

/// Reusable components.
pub mod components;
/// One routed page per file.
pub mod pages;
/// Shared client state as `provide_x()` / `use_x()` pairs.
pub mod providers;

/// Browser-only code: local storage, files, the analysis worker and the IndexedDB library.
#[cfg(feature = "hydrate")]
pub mod browser;

/// Server-only code: state, database.
#[cfg(feature = "ssr")]
pub mod server;
