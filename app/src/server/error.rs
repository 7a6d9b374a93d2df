//! The one error type of the server's handlers: every domain error (accounts, uploads, sharing,
//! export, access, the database) becomes a [`ServerError`] in exactly one place below, which says
//! its status; the REST and sync routes answer it as `{"error": message}` ([`IntoResponse`]) and
//! the server functions as an [`AppError`] with the same status.

use axum::Json;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode};

use super::access::{AccessError, Denied};
use super::accounts::AccountError;
use super::export::ExportError;
use super::sharing::SharingError;
use super::uploads::UploadError;
use crate::AppError;

/// A failure as the client sees it: a status, a message it may show, and (for a busy server)
/// how long to wait. Details that are not the client's business are logged, not sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerError {
    status: StatusCode,
    message: String,
    retry_after_s: Option<u64>,
}

impl ServerError {
    /// An answer with this status and message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            retry_after_s: None,
        }
    }

    /// 400: something the client can fix, said in `message`.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 401: sign in (or send a token) first.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, message)
    }

    /// 404 for a run: not there, or not the caller's (the same answer).
    pub fn no_such_run() -> Self {
        Self::new(StatusCode::NOT_FOUND, "no such activity")
    }

    /// 500, with `what` and the cause logged and only "something went wrong" sent.
    pub fn internal(what: &str, cause: impl std::fmt::Display) -> Self {
        tracing::error!("{what}: {cause}");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "something went wrong")
    }

    /// The same answer with `Retry-After: seconds`.
    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after_s = Some(seconds);
        self
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The message the client gets.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        let body = Json(serde_json::json!({ "error": self.message }));
        let mut response = (self.status, body).into_response();
        if let Some(seconds) = self.retry_after_s {
            response
                .headers_mut()
                .insert(http::header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                http::header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"stride\""),
            );
        }
        response
    }
}

impl From<sqlx::Error> for ServerError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::RowNotFound => Self::new(StatusCode::NOT_FOUND, "not found"),
            e => Self::internal("database error", e),
        }
    }
}

impl From<Denied> for ServerError {
    fn from(e: Denied) -> Self {
        match e {
            Denied::SignInRequired => Self::unauthorized("sign in required"),
            Denied::NotFound => Self::no_such_run(),
        }
    }
}

impl From<AccessError> for ServerError {
    fn from(e: AccessError) -> Self {
        match e {
            AccessError::Denied(denied) => denied.into(),
            AccessError::Database(e) => e.into(),
        }
    }
}

impl From<UploadError> for ServerError {
    fn from(e: UploadError) -> Self {
        match e {
            UploadError::Empty | UploadError::Unreadable(_) => Self::bad_request(e.to_string()),
            UploadError::TooLarge { .. } => Self::new(StatusCode::PAYLOAD_TOO_LARGE, e.to_string()),
            UploadError::Storage(e) => Self::internal("object store error", e),
            UploadError::Database(e) => e.into(),
        }
    }
}

impl From<AccountError> for ServerError {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::Invalid(m) => Self::bad_request(m),
            AccountError::BadCredentials => Self::bad_request(e.to_string()),
            AccountError::RateLimited(m) => Self::new(StatusCode::TOO_MANY_REQUESTS, m),
            AccountError::Database(e) => e.into(),
        }
    }
}

impl From<SharingError> for ServerError {
    fn from(e: SharingError) -> Self {
        match e {
            SharingError::NotFound => Self::new(StatusCode::NOT_FOUND, "not found"),
            SharingError::HideTooLong => Self::bad_request(e.to_string()),
            SharingError::Database(e) => e.into(),
            SharingError::Storage(e) => Self::internal("object store error", e),
        }
    }
}

impl From<ExportError> for ServerError {
    fn from(e: ExportError) -> Self {
        match e {
            ExportError::NoAccount => Self::unauthorized("sign in required"),
            ExportError::Database(e) => e.into(),
            e => Self::internal("export", e),
        }
    }
}

/// A server function's error with the same status: 404, 401 and 429 keep their kind, other
/// client errors their message, server errors say only that something went wrong.
impl From<ServerError> for AppError {
    fn from(e: ServerError) -> Self {
        match e.status {
            StatusCode::NOT_FOUND => Self::NotFound,
            StatusCode::UNAUTHORIZED => Self::Unauthorized,
            StatusCode::TOO_MANY_REQUESTS => Self::TooManyRequests(e.message),
            s if s.is_client_error() => Self::Invalid(e.message),
            _ => Self::Internal,
        }
    }
}

/// The domain errors reach a server function's `?` through [`ServerError`], so that each is
/// mapped to a status once.
macro_rules! app_error_from {
    ($($error:ty),*) => {$(
        impl From<$error> for AppError {
            fn from(e: $error) -> Self {
                ServerError::from(e).into()
            }
        }
    )*};
}

app_error_from!(
    sqlx::Error,
    Denied,
    AccessError,
    UploadError,
    AccountError,
    SharingError,
    ExportError
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_domain_error_has_one_status_on_both_sides() {
        let cases: Vec<(ServerError, u16, AppError)> = vec![
            (Denied::NotFound.into(), 404, AppError::NotFound),
            (Denied::SignInRequired.into(), 401, AppError::Unauthorized),
            (
                AccountError::RateLimited("wait".into()).into(),
                429,
                AppError::TooManyRequests("wait".into()),
            ),
            (
                AccountError::BadCredentials.into(),
                400,
                AppError::Invalid("the username or password is not right".into()),
            ),
            (
                UploadError::TooLarge { limit: 10 }.into(),
                413,
                AppError::Invalid("the file is larger than the limit of 10 bytes".into()),
            ),
            (SharingError::NotFound.into(), 404, AppError::NotFound),
            (ExportError::NoAccount.into(), 401, AppError::Unauthorized),
            (sqlx::Error::PoolTimedOut.into(), 500, AppError::Internal),
            (sqlx::Error::RowNotFound.into(), 404, AppError::NotFound),
        ];
        for (server, status, app) in cases {
            assert_eq!(server.status().as_u16(), status, "{server:?}");
            assert_eq!(AppError::from(server), app);
        }
    }
}
