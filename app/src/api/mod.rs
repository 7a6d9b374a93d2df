/// Accounts: sign up, sign in (with an optional second factor), sign out, change password,
/// two-factor set-up, personal access tokens.
pub mod auth;
pub use auth::{
    BeginTwoFactor, ChangePassword, ConfirmTwoFactor, CreateToken, CurrentAccount, DeleteAccount,
    DisableTwoFactor, ListTokens, RevokeToken, SignIn, SignInCode, SignOut, SignUp,
};

/// Sync and sharing: runs on the server, public links, a public run.
pub mod sync;
pub use sync::{DeleteSyncedRun, GetSharedRun, ListSyncedRuns, ShareRun, UnshareRun};
