//! Keeping a run on the server: the bytes are hashed, decoded and analysed here with the
//! analysis crate (whatever summary a client computed is never used), the original goes to the
//! object store under its SHA-256, then the row is written in one statement. A crash between the
//! two leaves at most an original with no row, which the next upload of the same file reuses;
//! never a row without its original.

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
    max_bytes: usize,
) -> Result<Stored, UploadError> {
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
    let summary: RunSummary = summary.map_err(|e| UploadError::Unreadable(e.to_string()))?;

    if let Some(row) = db::activities::find_by_sha256(pool, user_id, &sha256).await? {
        return Ok(Stored {
            row,
            created: false,
        });
    }
    originals.put(&sha256, bytes.clone()).await?;
    let summary_json = serde_json::to_string(&summary).expect("a RunSummary always serialises");
    let id = random_secret()[..24].to_string();
    let (row, created) = db::activities::insert_activity(
        pool,
        &NewActivity {
            id: &id,
            user_id,
            sha256: &sha256,
            size_bytes: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
            format: &summary.format,
            start_time: summary.start_time.as_deref(),
            summary: &summary_json,
            created_at: db::now(),
        },
    )
    .await?;
    Ok(Stored { row, created })
}

/// Deletes the user's run, and its original when no other run keeps it. False when the user has
/// no such run.
pub async fn delete_upload(
    pool: &Pool,
    originals: &Originals,
    user_id: i64,
    id: &str,
) -> Result<bool, UploadError> {
    let Some(sha256) = db::activities::delete_activity(pool, user_id, id).await? else {
        return Ok(false);
    };
    if db::activities::count_by_sha256(pool, &sha256).await? == 0 {
        originals.delete(&sha256).await?;
    }
    Ok(true)
}
