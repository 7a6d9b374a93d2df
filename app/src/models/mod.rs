/// A run kept in the browser's library.
pub mod local_run;
pub use local_run::LocalRun;
/// Accounts and personal access tokens.
pub mod account;
pub use account::{Account, NewToken, TokenInfo};
