/// Accounts: sign up, sign in, sign out, change password, personal access tokens.
pub mod auth;
pub use auth::{
    ChangePassword, CreateToken, CurrentAccount, ListTokens, RevokeToken, SignIn, SignOut, SignUp,
};
