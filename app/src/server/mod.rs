/// The one error type of the handlers: each domain error's status, said once.
pub mod error;
pub use error::ServerError;

/// Who may do what: the one authorisation function every handler calls.
pub mod access;

/// Shared state of the axum router and the server functions.
pub mod state;
pub use state::{AppState, Limits};

/// The database: opening, migrations and one function per query.
pub mod db;

/// Password hashes, tokens and session ids.
pub mod credentials;

/// Original files, content-addressed, in a folder or a bucket.
pub mod originals;
pub use originals::Originals;

/// Keeping and deleting runs on the server.
pub mod uploads;
pub use uploads::{Stored, UploadError, forget_originals, store_upload};

/// Public links to runs, with the ends of the route cut.
pub mod sharing;
pub use sharing::SharingError;

/// Export of all of an account's data as one zip.
pub mod export;
pub use export::ExportError;

/// Rate limits on password checks and sign-ups.
pub mod rate_limit;
pub use rate_limit::{SignInLimiter, SignUpLimiter};

/// Who the client is: the peer, or the client a trusted reverse proxy names.
pub mod network;
pub use network::Network;

/// Sessions of signed-in browsers: cookies and the current user.
pub mod session;

/// Account rules: sign-up, sign-in checks, password changes, tokens.
pub mod accounts;
pub use accounts::AccountError;

/// One-time codes (TOTP, RFC 6238), their QR code and recovery codes.
pub mod totp;

/// Two-factor sign-in: enrolment, the second step of a sign-in, turning it off.
pub mod two_factor;

/// Gzip answers joined from pieces deflated once, when a run is kept.
pub mod gzip_join;

/// Recently used personal access tokens, remembered for a few seconds.
pub mod token_cache;
pub use token_cache::TokenCache;
