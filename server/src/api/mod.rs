//! The upload API under `/api/v1`, for phone apps and tools: personal access tokens
//! (`Authorization: Bearer …`), JSON answers, `{"error"}` on every failure. Another user's run
//! answers exactly as a missing one does (404), so ids reveal nothing.

use std::collections::HashMap;

use app::server::access::{Action, Actor, authorize_run, authorize_runs};
use app::server::db::activities::ApiRuns;
use app::server::db::{self, ActivityRow};
use app::server::{AppState, Limits, ServerError, UploadError, credentials, gzip_join, uploads};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{
    DefaultBodyLimit, FromRequest, FromRequestParts, Multipart, Path, Query, State,
};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use http::header::{
    ACCEPT_ENCODING, AUTHORIZATION, CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_ENCODING,
    CONTENT_LENGTH, CONTENT_TYPE, ETAG, LOCATION, VARY,
};
use http::request::Parts;
use http::{HeaderMap, HeaderValue, Request, StatusCode};
use http_body_util::BodyExt;
use tokio::sync::OwnedSemaphorePermit;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::{CompressionLayer, CompressionLevel};

/// Room for the multipart framing around a file at the size limit.
const MULTIPART_SLACK: usize = 64 * 1024;
/// Runs per page when the caller does not say.
pub const DEFAULT_PAGE: i64 = 20;
/// The most runs per page.
pub const MAX_PAGE: i64 = 100;

/// The OpenAPI document of these routes.
pub const OPENAPI: &str = include_str!("openapi.json");

/// The routes of the upload API.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/activities", post(upload).get(list))
        .route("/api/v1/activities/{id}", get(view).delete(remove))
        .route("/api/v1/activities/{id}/original", get(original))
        .route("/api/v1/openapi.json", get(openapi))
        .merge(sync::routes())
        // The upload handler applies the configured limit itself, with a JSON answer.
        .layer(DefaultBodyLimit::disable())
        // Answers made per request are gzipped at the fastest level: a page of 20 summaries
        // (40 kB of JSON) took 1.8 ms to gzip at the default level, 0.5 ms at this one (both
        // with miniz_oxide; flate2 now runs on zlib-rs, faster still). The site's outer layer
        // leaves an encoded answer alone. An export is a zip of compressed files already.
        .layer(
            CompressionLayer::new()
                .quality(CompressionLevel::Fastest)
                .compress_when(
                    DefaultPredicate::new().and(NotForContentType::const_new("application/zip")),
                ),
        )
}

/// The owner of the request's personal access token.
pub struct TokenUser(pub i64);

impl FromRequestParts<AppState> for TokenUser {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ServerError> {
        let unauthorized = |m: &str| ServerError::new(StatusCode::UNAUTHORIZED, m);
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .ok_or_else(|| unauthorized("an Authorization: Bearer token is required"))?;
        let token = header
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| unauthorized("the Authorization header must be: Bearer TOKEN"))?;
        let hash = credentials::sha256_hex(token.as_bytes());
        let now = std::time::Instant::now();
        if let Some(user) = state.token_cache.get(&hash, now) {
            return Ok(Self(user));
        }
        match db::tokens::token_user(&state.pool, &hash).await? {
            Some(user) => {
                state.token_cache.put(&hash, user, now);
                Ok(Self(user))
            }
            None => Err(unauthorized("the token is not valid (revoked or mistyped)")),
        }
    }
}

/// The JSON of a run: id, hash, size, upload time and the server's summary, as text.
fn activity_json(row: &ActivityRow) -> String {
    db::activities::api_json(
        &row.id,
        &row.sha256,
        row.size_bytes,
        row.created_at,
        &row.summary,
    )
}

/// Whether the request takes a gzip answer.
fn wants_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(ACCEPT_ENCODING)
        .iter()
        .any(|v| v.to_str().is_ok_and(gzip_join::accepts_gzip))
}

/// A JSON answer of runs between two texts (`before`, the runs comma-separated, `after`). With
/// gzip it is one gzip member joined from the runs' stored pieces: nothing is deflated per
/// request (see `app::server::gzip_join`). The compression layer leaves it alone.
fn runs_answer(before: &str, runs: ApiRuns, after: &str) -> Result<Response, ServerError> {
    match runs {
        ApiRuns::Gzip { bytes, pieces } => {
            let length = before.len() + bytes.len() + after.len() + 6 * pieces.len();
            let mut join = gzip_join::GzipJoin::with_capacity(length);
            join.text(before.as_bytes());
            for (i, piece) in pieces.into_iter().enumerate() {
                if i > 0 {
                    join.text(b",");
                }
                join.piece(&bytes[piece])
                    .map_err(|e| ServerError::internal("joining a gzip answer", e))?;
            }
            join.text(after.as_bytes());
            Ok(gzip_answer(join.finish()))
        }
        ApiRuns::Json(runs) => {
            let length =
                before.len() + after.len() + runs.iter().map(|r| r.len() + 1).sum::<usize>();
            let mut text = String::with_capacity(length);
            text.push_str(before);
            for (i, run) in runs.iter().enumerate() {
                if i > 0 {
                    text.push(',');
                }
                text.push_str(run);
            }
            text.push_str(after);
            let mut response = json_text(StatusCode::OK, text);
            response
                .headers_mut()
                .insert(VARY, HeaderValue::from_static("accept-encoding"));
            Ok(response)
        }
    }
}

/// A JSON answer already gzipped.
fn gzip_answer(member: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(member));
    let headers = response.headers_mut();
    headers.insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
    response
}

/// A JSON answer already written as text.
fn json_text(status: StatusCode, body: String) -> Response {
    (
        status,
        [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        body,
    )
        .into_response()
}

/// `POST /api/v1/activities`: the file as the body, or as a part of a multipart form.
async fn upload(
    State(state): State<AppState>,
    TokenUser(user): TokenUser,
    request: Request<Body>,
) -> Result<Response, ServerError> {
    let owner = authorize_runs(Actor::User(user), Action::ChangeRuns, Some(user))?;
    let _permit = upload_permit(&state)?;
    let limit = state.limits.max_upload_bytes;
    let (parts, body) = request.into_parts();
    let multipart = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("multipart/form-data"));
    let allowed = if multipart {
        limit + MULTIPART_SLACK
    } else {
        limit
    };
    let body = read_body(&parts, body, allowed, &state.limits).await?;
    let bytes = if multipart {
        file_from_multipart(Request::from_parts(parts, Body::from(body)), &state).await?
    } else {
        body
    };
    let stored =
        uploads::store_upload(&state.pool, &state.originals, owner, bytes, None, limit).await?;
    let status = if stored.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let mut response = json_text(status, activity_json(&stored.row));
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/activities/{}", stored.row.id)) {
        response.headers_mut().insert(LOCATION, location);
    }
    Ok(response)
}

/// A permit to receive and analyse one upload, or 503 with `Retry-After` when
/// [`Limits::concurrent_uploads`](app::server::Limits) are under way already.
pub(crate) fn upload_permit(state: &AppState) -> Result<OwnedSemaphorePermit, ServerError> {
    state.uploads.clone().try_acquire_owned().map_err(|_| {
        ServerError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "the server is receiving as many uploads as it takes at once: try again in a few seconds",
        )
        .retry_after(RETRY_UPLOAD_AFTER_S)
    })
}

/// Seconds a refused upload is told to wait.
pub const RETRY_UPLOAD_AFTER_S: u64 = 5;

/// The body, or 413 (saying `limit`) when it is longer than `allowed` bytes: refused from its
/// `Content-Length` before reading when it says so, else while reading. A body that takes longer
/// than the upload timeout, or sends nothing for the idle time, is dropped with 408.
pub(crate) async fn read_body(
    parts: &Parts,
    body: Body,
    allowed: usize,
    limits: &Limits,
) -> Result<Bytes, ServerError> {
    let limit = limits.max_upload_bytes;
    let too_large = || ServerError::from(UploadError::TooLarge { limit });
    let declared = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > allowed) {
        return Err(too_large());
    }
    let too_slow = || {
        ServerError::new(
            StatusCode::REQUEST_TIMEOUT,
            format!(
                "the upload took too long to arrive (more than {} s in all, or {} s without data)",
                limits.upload_timeout.as_secs(),
                limits.upload_idle.as_secs()
            ),
        )
    };
    let deadline = tokio::time::Instant::now() + limits.upload_timeout;
    let mut body = body;
    let mut out = bytes::BytesMut::with_capacity(declared.unwrap_or(0).min(allowed));
    loop {
        let next = tokio::time::timeout_at(
            deadline.min(tokio::time::Instant::now() + limits.upload_idle),
            body.frame(),
        );
        let frame = match next.await {
            Err(_) => return Err(too_slow()),
            Ok(None) => break,
            Ok(Some(Err(e))) => {
                return Err(ServerError::new(
                    StatusCode::BAD_REQUEST,
                    format!("cannot read the body: {e}"),
                ));
            }
            Ok(Some(Ok(frame))) => frame,
        };
        if let Ok(data) = frame.into_data() {
            if out.len() + data.len() > allowed {
                return Err(too_large());
            }
            out.extend_from_slice(&data);
        }
    }
    Ok(out.freeze())
}

/// The first file of a multipart form (a part with a file name, or named `file`).
async fn file_from_multipart(
    request: Request<Body>,
    state: &AppState,
) -> Result<Bytes, ServerError> {
    let bad = |m: String| ServerError::new(StatusCode::BAD_REQUEST, m);
    let mut form = Multipart::from_request(request, state)
        .await
        .map_err(|e| bad(format!("not a valid multipart form: {e}")))?;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| bad(format!("not a valid multipart form: {e}")))?
    {
        if field.file_name().is_some() || field.name() == Some("file") {
            return field
                .bytes()
                .await
                .map_err(|e| bad(format!("cannot read the file part: {e}")));
        }
    }
    Err(bad("the multipart form has no file part".into()))
}

/// `GET /api/v1/activities?limit=N&offset=M`: the caller's runs, newest first.
async fn list(
    State(state): State<AppState>,
    TokenUser(user): TokenUser,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, ServerError> {
    let number = |name: &str, default: i64, max: i64| -> Result<i64, ServerError> {
        match query.get(name) {
            None => Ok(default),
            Some(v) => v
                .parse::<i64>()
                .ok()
                .filter(|n| (0..=max).contains(n))
                .ok_or_else(|| {
                    ServerError::new(
                        StatusCode::BAD_REQUEST,
                        format!("{name} must be a whole number from 0 to {max}, not {v:?}"),
                    )
                }),
        }
    };
    let owner = authorize_runs(Actor::User(user), Action::ViewRuns, Some(user))?;
    let limit = number("limit", DEFAULT_PAGE, MAX_PAGE)?.max(1);
    // Bounded so that `offset + limit` cannot overflow: a larger one is a 400, like any other.
    let offset = number("offset", 0, i64::MAX - MAX_PAGE)?;
    let gzip = wants_gzip(&headers);
    let (runs, total) = db::activities::api_page(&state.pool, owner, limit, offset, gzip).await?;
    let next = if offset + limit < total {
        format!(
            "\"/api/v1/activities?limit={limit}&offset={}\"",
            offset + limit
        )
    } else {
        "null".to_string()
    };
    runs_answer(
        r#"{"activities":["#,
        runs,
        &format!(r#"],"total":{total},"limit":{limit},"offset":{offset},"next":{next}}}"#),
    )
}

/// `GET /api/v1/activities/{id}`.
async fn view(
    State(state): State<AppState>,
    TokenUser(user): TokenUser,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ServerError> {
    let owner = authorize_run(&state.pool, Actor::User(user), Action::ViewRuns, &id).await?;
    let run = db::activities::api_view(&state.pool, owner, &id, wants_gzip(&headers))
        .await?
        .ok_or_else(ServerError::no_such_run)?;
    runs_answer("", run, "")
}

/// `GET /api/v1/activities/{id}/original`: the exact bytes that were uploaded.
async fn original(
    State(state): State<AppState>,
    TokenUser(user): TokenUser,
    Path(id): Path<String>,
) -> Result<Response, ServerError> {
    let owner = authorize_run(
        &state.pool,
        Actor::User(user),
        Action::DownloadOriginal,
        &id,
    )
    .await?;
    let row = db::activities::find_activity(&state.pool, owner, &id)
        .await?
        .ok_or_else(ServerError::no_such_run)?;
    original_response(&state, &row).await
}

/// The exact bytes of a run's original, as a download.
pub(crate) async fn original_response(
    state: &AppState,
    row: &ActivityRow,
) -> Result<Response, ServerError> {
    let bytes = state
        .originals
        .get(&row.sha256)
        .await
        .map_err(|e| ServerError::internal("object store error", e))?
        .ok_or_else(|| ServerError::internal("original missing from the store", &row.sha256))?;
    let content_type = match row.format.as_str() {
        "fit" => "application/vnd.ant.fit",
        "gpx" => "application/gpx+xml",
        "tcx" => "application/vnd.garmin.tcx+xml",
        _ => "application/octet-stream",
    };
    let headers = [
        (CONTENT_TYPE, content_type.to_string()),
        (
            CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}.{}\"", row.id, row.format),
        ),
        (ETAG, format!("\"{}\"", row.sha256)),
        // A runner's file: kept by no shared cache, and by no browser cache either.
        (CACHE_CONTROL, "private, no-store".to_string()),
    ];
    Ok((headers, bytes).into_response())
}

/// `DELETE /api/v1/activities/{id}`: 204, and the original goes when no other run keeps it.
async fn remove(
    State(state): State<AppState>,
    TokenUser(user): TokenUser,
    Path(id): Path<String>,
) -> Result<StatusCode, ServerError> {
    let owner = authorize_run(&state.pool, Actor::User(user), Action::ChangeRuns, &id).await?;
    if uploads::delete_upload(&state.pool, &state.originals, owner, &id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ServerError::no_such_run())
    }
}

/// `GET /api/v1/openapi.json`.
async fn openapi() -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], OPENAPI)
}

/// The browser's sync, by session cookie.
pub mod sync;

#[cfg(test)]
mod tests;
