use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// The one error type of server functions. Details are logged on the server; a user sees the
/// message of the variant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("sign in required")]
    Unauthorized,
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    TooManyRequests(String),
    #[error("something went wrong")]
    Internal,
    #[error("request failed: {0}")]
    Transport(String),
}

impl AppError {
    /// The HTTP status a server function answers with for this error.
    pub fn status_code(&self) -> u16 {
        match self {
            Self::NotFound => 404,
            Self::Unauthorized => 401,
            Self::Invalid(_) => 400,
            Self::TooManyRequests(_) => 429,
            Self::Internal => 500,
            Self::Transport(_) => 502,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(e: ServerFnErrorErr) -> Self {
        Self::Transport(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_codes() {
        assert_eq!(AppError::NotFound.status_code(), 404);
        assert_eq!(AppError::Invalid("bad".into()).status_code(), 400);
        assert_eq!(
            AppError::Invalid("distance must be positive".into()).to_string(),
            "distance must be positive"
        );
    }
}
