//! Sync and sharing as server functions: the signed-in account's runs on the server, public
//! links, and a public run's page. The originals themselves go up and come down through the
//! same-origin endpoints under `/api/sync` (bytes, not JSON), with the same session cookie.

use leptos::prelude::*;

use crate::AppError;
use crate::models::{ShareLink, SharedRun, SyncedRun};

#[cfg(feature = "ssr")]
use super::auth::ssr::with_status;

/// Authorises `action` on the run `id` for the request's actor; answers the run's owner.
#[cfg(feature = "ssr")]
async fn authorize_run(
    state: &crate::server::AppState,
    action: crate::server::access::Action,
    id: &str,
) -> Result<i64, AppError> {
    let actor = super::auth::ssr::actor(state).await?;
    with_status(
        crate::server::access::authorize_run(&state.pool, actor, action, id)
            .await
            .map_err(AppError::from),
    )
}

#[cfg(feature = "ssr")]
fn link(share: &crate::server::db::ShareRow) -> ShareLink {
    ShareLink {
        path: format!("/shared/{}", share.token),
        hide_m: share.hide_m,
    }
}

/// Every run the signed-in account keeps on the server, newest first, with its public link.
#[server]
pub async fn list_synced_runs() -> Result<Vec<SyncedRun>, AppError> {
    use crate::server::access::{Action, authorize_runs};
    use crate::server::db;
    let state = super::auth::ssr::state()?;
    let actor = super::auth::ssr::actor(&state).await?;
    let user =
        with_status(authorize_runs(actor, Action::ViewRuns, actor.user()).map_err(AppError::from))?;
    let mut rows = db::activities::all_activities(&state.pool, user).await?;
    rows.reverse();
    let shares = db::shares::shares_of_user(&state.pool, user).await?;
    Ok(rows
        .into_iter()
        .map(|r| SyncedRun {
            share: shares.iter().find(|s| s.activity_id == r.id).map(link),
            id: r.id,
            sha256: r.sha256,
            name: r.name,
            format: r.format,
            size_bytes: r.size_bytes,
            start_time: r.start_time,
            uploaded_at: r.created_at,
        })
        .collect())
}

/// Deletes one of the signed-in account's runs from the server (and its original when no other
/// run keeps it). The browser's own copy stays.
#[server]
pub async fn delete_synced_run(id: String) -> Result<(), AppError> {
    let state = super::auth::ssr::state()?;
    let owner = authorize_run(&state, crate::server::access::Action::ChangeRuns, &id).await?;
    with_status(
        match crate::server::uploads::delete_upload(&state.pool, &state.originals, owner, &id).await
        {
            Ok(true) => Ok(()),
            Ok(false) => Err(AppError::NotFound),
            Err(e) => {
                tracing::error!("deleting a run: {e}");
                Err(AppError::Internal)
            }
        },
    )
}

/// Makes one of the signed-in account's runs public by a link, hiding `hide_hundreds` hundred
/// metres at each end of the route; again on a public run, changes only what is hidden.
#[server]
pub async fn share_run(id: String, hide_hundreds: u32) -> Result<ShareLink, AppError> {
    let state = super::auth::ssr::state()?;
    let owner = authorize_run(&state, crate::server::access::Action::Share, &id).await?;
    let share =
        crate::server::sharing::share(&state.pool, &state.originals, owner, &id, hide_hundreds)
            .await;
    with_status(share.map(|s| link(&s)).map_err(AppError::from))
}

/// Revokes the public link of one of the signed-in account's runs: its page is 404 again.
#[server]
pub async fn unshare_run(id: String) -> Result<(), AppError> {
    let state = super::auth::ssr::state()?;
    let owner = authorize_run(&state, crate::server::access::Action::Share, &id).await?;
    let revoked = crate::server::db::shares::unshare_activity(&state.pool, owner, &id).await?;
    with_status(if revoked {
        Ok(())
    } else {
        Err(AppError::NotFound)
    })
}

/// The public run behind a link, for anyone with the link (signed in or not). The route comes
/// with its hidden ends already cut.
#[server]
pub async fn get_shared_run(token: String) -> Result<SharedRun, AppError> {
    let state = super::auth::ssr::state()?;
    // A public link is readable by anyone, whoever asks: the rule needs no session lookup (a
    // database query per view of a page that may be shared widely), so the actor is anonymous.
    use crate::server::access::{Action, Actor, Resource, authorize};
    with_status(
        authorize(
            Actor::Anonymous,
            Action::ViewPublicLink,
            Resource::PublicLink,
        )
        .map_err(AppError::from),
    )?;
    let run = crate::server::sharing::shared_run(&state.pool, &state.originals, &token).await;
    with_status(run.map_err(AppError::from))
}
