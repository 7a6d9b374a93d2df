use serde::{Deserialize, Serialize};

/// The signed-in account, as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub username: String,
    pub email: String,
    /// Whether sign-in asks for a one-time code after the password.
    pub two_factor: bool,
    /// Recovery codes not yet used (0 when two-factor sign-in is off).
    pub recovery_codes_left: i64,
}

/// What it takes to set up an authenticator app: shown once, while enrolling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoFactorSetup {
    /// The secret in base32, in groups of four, for typing in.
    pub secret: String,
    /// The `otpauth://` URI the QR code holds.
    pub uri: String,
    /// The QR code, an SVG document made on the server.
    pub qr_svg: String,
}

/// A personal access token in a list: never the token itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenInfo {
    pub id: i64,
    pub name: String,
    /// Unix seconds, UTC.
    pub created_at: i64,
}

/// A token just created: the only time its value is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewToken {
    pub id: i64,
    pub name: String,
    pub token: String,
}
