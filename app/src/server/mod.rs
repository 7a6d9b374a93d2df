/// Shared state of the axum router and the server functions.
pub mod state;
pub use state::AppState;

/// The database: opening, migrations and one function per query.
pub mod db;
