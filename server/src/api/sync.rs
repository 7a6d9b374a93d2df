//! The browser's side of sync and export, by session cookie (the upload API above is by token):
//!
//! - `POST /api/sync/runs?name=NAME` with the original as the body: stored as the upload API
//!   stores it (size limit, decoded and summarised here, content-addressed); 201 or 200 with
//!   `{"id", "sha256", "created"}`. Under `/api/`, so the router's Origin check refuses it from
//!   another site.
//! - `GET /api/sync/runs/{id}/original`: the exact bytes, for another browser of the account.
//! - `GET /api/sync/export`: everything the account keeps, as one zip.
//!
//! Without a valid session: 401. Another account's run: 404, as a missing one.

use std::collections::HashMap;

use app::models::SyncUpload;
use app::server::{AppState, export, session, uploads};
use axum::Json;
use axum::Router;
use axum::body::Body;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use http::request::Parts;
use http::{Request, StatusCode};

use app::server::ServerError;
use app::server::access::{Action, Actor, authorize_run, authorize_runs};
use app::server::db;

/// The routes of the browser's sync.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/sync/runs", post(upload))
        .route("/api/sync/runs/{id}/original", get(original))
        .route("/api/sync/export", get(export_all))
}

/// Who the request is from, by its session cookie: a user, or anonymous (then every route
/// here is refused with 401 by `access::authorize`).
pub struct SessionActor(pub Actor);

impl FromRequestParts<AppState> for SessionActor {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ServerError> {
        let user = session::user_of(&state.pool, &state.network, &parts.headers).await?;
        Ok(Self(Actor::of(user)))
    }
}

/// `POST /api/sync/runs?name=NAME`: the original as the body.
async fn upload(
    State(state): State<AppState>,
    SessionActor(actor): SessionActor,
    Query(query): Query<HashMap<String, String>>,
    request: Request<Body>,
) -> Result<Response, ServerError> {
    let user = authorize_runs(actor, Action::ChangeRuns, actor.user())?;
    let _permit = super::upload_permit(&state)?;
    let limit = state.limits.max_upload_bytes;
    let (parts, body) = request.into_parts();
    let bytes = super::read_body(&parts, body, limit, &state.limits).await?;
    let name = query.get("name").map(String::as_str);
    let stored =
        uploads::store_upload(&state.pool, &state.originals, user, bytes, name, limit).await?;
    let status = if stored.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let answer = SyncUpload {
        id: stored.row.id,
        sha256: stored.row.sha256,
        created: stored.created,
    };
    Ok((status, Json(answer)).into_response())
}

/// `GET /api/sync/runs/{id}/original`.
async fn original(
    State(state): State<AppState>,
    SessionActor(actor): SessionActor,
    Path(id): Path<String>,
) -> Result<Response, ServerError> {
    let owner = authorize_run(&state.pool, actor, Action::DownloadOriginal, &id).await?;
    let row = db::activities::find_activity(&state.pool, owner, &id)
        .await?
        .ok_or_else(ServerError::no_such_run)?;
    // Sent with `Cache-Control: private, no-store`, as every original is.
    super::original_response(&state, &row).await
}

/// `GET /api/sync/export`: `stride-export-<username>.zip`.
async fn export_all(
    State(state): State<AppState>,
    SessionActor(actor): SessionActor,
) -> Result<Response, ServerError> {
    let user = authorize_runs(actor, Action::Export, actor.user())?;
    let name = db::users::find_user(&state.pool, user)
        .await?
        .map_or_else(|| "account".to_string(), |u| u.username);
    let parts = export::export_parts(&state.pool, &state.originals, user)
        .await
        .map_err(ServerError::from)?;
    // Sent as it is made; a failure midway ends the body early, so the download fails rather
    // than leaving a zip that looks whole.
    // Fused: a compression layer may poll once more after the end.
    let body = futures_util::StreamExt::fuse(futures_util::stream::unfold(
        parts,
        |mut parts| async move { parts.recv().await.map(|part| (part, parts)) },
    ));
    let headers = [
        (CONTENT_TYPE, "application/zip".to_string()),
        (
            CONTENT_DISPOSITION,
            format!("attachment; filename=\"stride-export-{name}.zip\""),
        ),
        (CACHE_CONTROL, "private, no-store".to_string()),
    ];
    Ok((headers, Body::from_stream(body)).into_response())
}

#[cfg(test)]
mod tests;
