//! Keeping a run on the server: the bytes are hashed, decoded and analysed here with the
//! analysis crate (whatever summary a client computed is never used), the original goes to the
//! object store under its SHA-256, then the row is written in one statement. A crash between the
//! two leaves at most an original with no row, which the next upload of the same file reuses;
//! never a row without its original.
//!
//! An original is shared by every run (of any user) with the same bytes, so it is removed only
//! when no run keeps it. Deleting races with a concurrent upload of the same bytes by someone
//! else; neither side takes a lock, both re-check after their own write instead:
//!
//! - the uploader, once its row is committed, checks that the original is in the store and puts
//!   it again if not (it still holds the bytes);
//! - the deleter counts the references (in the transaction that deleted its rows, then again
//!   just before removing), reads the bytes, removes the original, counts again, and puts the
//!   bytes back if a run appeared meanwhile.
//!
//! If the uploader's row committed before the deleter's last count, the deleter puts the bytes
//! back; if after, it committed after the removal, so the uploader's check sees the original
//! missing and puts it back. Either way a committed run never ends without its original. The
//! worst case is the other way round: an original kept with no run (a leak, never a loss).

use analysis::{Athlete, RunSummary};
use bytes::Bytes;

use super::Originals;
use super::credentials::{random_secret, sha256_hex};
use super::db::{self, ActivityRow, NewActivity, Pool};

/// The default size limit of one upload: 50 MB.
pub const DEFAULT_MAX_UPLOAD_BYTES: usize = 50 * 1000 * 1000;

/// Why an upload was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than the limit of {limit} bytes")]
    TooLarge { limit: usize },
    #[error("not a readable FIT, GPX or TCX file: {0}")]
    Unreadable(String),
    #[error("cannot store the original: {0}")]
    Storage(#[from] object_store::Error),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// A run now on the server, and whether this upload added it.
#[derive(Debug)]
pub struct Stored {
    pub row: ActivityRow,
    pub created: bool,
}

/// Analyses the bytes and keeps the run for the user (once: the same bytes again give the
/// existing run).
pub async fn store_upload(
    pool: &Pool,
    originals: &Originals,
    user_id: i64,
    bytes: Bytes,
    name: Option<&str>,
    max_bytes: usize,
) -> Result<Stored, UploadError> {
    let upload = analyse_upload(bytes, max_bytes).await?;
    if let Some(row) = db::activities::find_by_sha256(pool, user_id, &upload.sha256).await? {
        return Ok(Stored {
            row,
            created: false,
        });
    }
    originals.put(&upload.sha256, upload.bytes.clone()).await?;
    commit_upload(pool, originals, user_id, &upload, name).await
}

/// An upload checked and analysed here, not yet kept.
#[derive(Debug)]
pub struct Analysed {
    pub sha256: String,
    pub summary: RunSummary,
    pub bytes: Bytes,
}

/// Checks the size and analyses the bytes with the analysis crate (off the async threads).
pub async fn analyse_upload(bytes: Bytes, max_bytes: usize) -> Result<Analysed, UploadError> {
    if bytes.is_empty() {
        return Err(UploadError::Empty);
    }
    if bytes.len() > max_bytes {
        return Err(UploadError::TooLarge { limit: max_bytes });
    }
    let analysed = bytes.clone();
    let (sha256, summary) = tokio::task::spawn_blocking(move || {
        let sha = sha256_hex(&analysed);
        (
            sha,
            analysis::summary::analyze_bytes(&analysed, &Athlete::default()),
        )
    })
    .await
    .map_err(|e| UploadError::Unreadable(format!("the analysis stopped: {e}")))?;
    let summary = summary.map_err(|e| UploadError::Unreadable(e.to_string()))?;
    Ok(Analysed {
        sha256,
        summary,
        bytes,
    })
}

/// Writes the row of an upload whose original was put in the store, then makes sure the
/// original is still there (see the module's notes).
pub async fn commit_upload(
    pool: &Pool,
    originals: &Originals,
    user_id: i64,
    upload: &Analysed,
    name: Option<&str>,
) -> Result<Stored, UploadError> {
    let Analysed {
        sha256,
        summary,
        bytes,
    } = upload;
    let summary_json = serde_json::to_string(summary).expect("a RunSummary always serialises");
    let id = random_secret()[..24].to_string();
    let name = name.map(clean_name).filter(|n| !n.is_empty());
    let (row, created) = db::activities::insert_activity(
        pool,
        &NewActivity {
            id: &id,
            user_id,
            sha256,
            size_bytes: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
            format: &summary.format,
            start_time: summary.start_time.as_deref(),
            summary: &summary_json,
            created_at: db::now(),
            name: name.as_deref(),
        },
    )
    .await?;
    // A deletion of the same bytes by someone else may have removed the original between our
    // put and our insert: the row is committed now, so put it back.
    if !originals.contains(sha256).await? {
        tracing::warn!(sha256, "original removed during the upload: stored again");
        originals.put(sha256, bytes.clone()).await?;
    }
    Ok(Stored { row, created })
}

/// A file name as it may be kept: its last path component, at most 200 characters, no control
/// characters.
fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.chars().filter(|c| !c.is_control()).take(200).collect()
}

/// Deletes the user's run, and its original when no other run keeps it. False when the user has
/// no such run.
pub async fn delete_upload(
    pool: &Pool,
    originals: &Originals,
    user_id: i64,
    id: &str,
) -> Result<bool, UploadError> {
    let Some((sha256, kept)) = db::activities::delete_activity(pool, user_id, id).await? else {
        return Ok(false);
    };
    if !kept {
        forget_originals(pool, originals, &[sha256]).await?;
    }
    Ok(true)
}

/// Removes from the store the originals that no run keeps (as a transaction that deleted runs
/// counted), unless a run appeared since; see the module's notes for the race with an upload.
pub async fn forget_originals(
    pool: &Pool,
    originals: &Originals,
    shas: &[String],
) -> Result<(), UploadError> {
    for sha256 in shas {
        if db::activities::count_by_sha256(pool, sha256).await? > 0 {
            continue;
        }
        let bytes = originals.get(sha256).await?;
        originals.delete(sha256).await?;
        if db::activities::count_by_sha256(pool, sha256).await? > 0
            && let Some(bytes) = bytes
        {
            tracing::warn!(sha256, "uploaded again while being deleted: kept");
            originals.put(sha256, bytes).await?;
        }
    }
    Ok(())
}
