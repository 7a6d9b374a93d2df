/// Accounts: sign up, sign in, sign out, change password, personal access tokens.
pub mod auth;
pub use auth::{
    ChangePassword, CreateToken, CurrentAccount, DeleteAccount, ListTokens, RevokeToken, SignIn,
    SignOut, SignUp,
};

/// Sync and sharing: runs on the server, public links, a public run.
pub mod sync;
pub use sync::{DeleteSyncedRun, GetSharedRun, ListSyncedRuns, ShareRun, UnshareRun};
