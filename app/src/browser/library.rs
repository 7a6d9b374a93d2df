//! The runs library in IndexedDB: each run's summary (store `runs`, keyed by its id) and its
//! original file (store `originals`, same key), so the library survives a reload and works offline.
//! Nothing but IndexedDB is awaited inside a transaction.

use js_sys::ArrayBuffer;
use rexie::{ObjectStore, Rexie, TransactionMode};
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

use crate::models::LocalRun;
use crate::models::local_run::sort_newest_first;

const DB_NAME: &str = "stride";
const DB_VERSION: u32 = 1;
const RUNS: &str = "runs";
const ORIGINALS: &str = "originals";

/// Why the library could not be read or written.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("the library on this device: {0}")]
pub struct LibraryError(String);

impl From<rexie::Error> for LibraryError {
    fn from(e: rexie::Error) -> Self {
        Self(e.to_string())
    }
}

impl From<serde_wasm_bindgen::Error> for LibraryError {
    fn from(e: serde_wasm_bindgen::Error) -> Self {
        Self(e.to_string())
    }
}

async fn open() -> Result<Rexie, LibraryError> {
    Ok(Rexie::builder(DB_NAME)
        .version(DB_VERSION)
        .add_object_store(ObjectStore::new(RUNS).key_path("id"))
        .add_object_store(ObjectStore::new(ORIGINALS))
        .build()
        .await?)
}

fn to_js(run: &LocalRun) -> Result<JsValue, LibraryError> {
    // Plain objects for maps (not JS `Map`s), null for `None`.
    Ok(run.serialize(&serde_wasm_bindgen::Serializer::json_compatible())?)
}

/// Every run in the library, newest first. A record that no longer reads is skipped.
pub async fn all_runs() -> Result<Vec<LocalRun>, LibraryError> {
    let db = open().await?;
    let tx = db.transaction(&[RUNS], TransactionMode::ReadOnly)?;
    let values = tx.store(RUNS)?.get_all(None, None).await?;
    tx.done().await?;
    let mut runs: Vec<LocalRun> = values
        .into_iter()
        .filter_map(|v| serde_wasm_bindgen::from_value(v).ok())
        .collect();
    sort_newest_first(&mut runs);
    Ok(runs)
}

/// Every run, newest first, as the runner's settings in this browser see it: summaries made by
/// an older build (without this build's basis) are first made again from their originals in the
/// analysis worker and stored ([`refresh_stale`], which calls `progress(done, total)` after
/// each), then the loads are recomputed for the settings ([`LocalRun::for_athlete`]).
pub async fn all_runs_for_settings(
    progress: impl Fn(usize, usize),
) -> Result<Vec<LocalRun>, LibraryError> {
    let athlete = crate::browser::storage::load_athlete().unwrap_or_default();
    let runs = refresh_stale(progress).await?;
    Ok(runs.iter().map(|r| r.for_athlete(&athlete)).collect())
}

/// Every run, newest first, after making the stale summaries ([`RunSummary::is_stale`]) again
/// from their originals in the analysis worker; `progress(done, total)` is called after each.
/// `progress(0, total)` comes first. A run whose original cannot be read or analysed again
/// keeps its old summary.
///
/// [`RunSummary::is_stale`]: analysis::RunSummary::is_stale
pub async fn refresh_stale(progress: impl Fn(usize, usize)) -> Result<Vec<LocalRun>, LibraryError> {
    let mut runs = all_runs().await?;
    let stale: Vec<usize> = (0..runs.len())
        .filter(|&i| runs[i].summary.is_stale())
        .collect();
    if stale.is_empty() {
        return Ok(runs);
    }
    let analyzer = crate::browser::analyzer().map_err(LibraryError)?;
    progress(0, stale.len());
    for (done, &i) in stale.iter().enumerate() {
        if let Ok(Some(bytes)) = original(&runs[i].id).await
            && let Ok(analysed) = analyzer.summarise(bytes.slice(0)).await
            && let Ok(summary) = analysed.summary
        {
            let updated = LocalRun {
                summary,
                ..runs[i].clone()
            };
            if save_summary(&updated).await.is_ok() {
                runs[i] = updated;
            }
        }
        progress(done + 1, stale.len());
    }
    Ok(runs)
}

/// Replaces a run's record (its name and notes, a new summary), leaving its originals as they
/// are.
pub async fn save_run(run: &LocalRun) -> Result<(), LibraryError> {
    save_summary(run).await
}

/// Replaces a run's summary, leaving its original as it is.
async fn save_summary(run: &LocalRun) -> Result<(), LibraryError> {
    let value = to_js(run)?;
    let db = open().await?;
    let tx = db.transaction(&[RUNS], TransactionMode::ReadWrite)?;
    tx.store(RUNS)?.put(&value, None).await?;
    tx.done().await?;
    Ok(())
}

/// One run, if the library has it.
pub async fn run(id: &str) -> Result<Option<LocalRun>, LibraryError> {
    let db = open().await?;
    let tx = db.transaction(&[RUNS], TransactionMode::ReadOnly)?;
    let value = tx.store(RUNS)?.get(JsValue::from_str(id)).await?;
    tx.done().await?;
    Ok(match value {
        Some(v) if !v.is_undefined() => Some(serde_wasm_bindgen::from_value(v)?),
        _ => None,
    })
}

/// Whether the library has a run with this id.
pub async fn contains(id: &str) -> Result<bool, LibraryError> {
    let db = open().await?;
    let tx = db.transaction(&[RUNS], TransactionMode::ReadOnly)?;
    let found = tx.store(RUNS)?.key_exists(JsValue::from_str(id)).await?;
    tx.done().await?;
    Ok(found)
}

/// The original file of a run.
pub async fn original(id: &str) -> Result<Option<ArrayBuffer>, LibraryError> {
    let db = open().await?;
    let tx = db.transaction(&[ORIGINALS], TransactionMode::ReadOnly)?;
    let value = tx.store(ORIGINALS)?.get(JsValue::from_str(id)).await?;
    tx.done().await?;
    Ok(value.and_then(|v| v.dyn_into::<ArrayBuffer>().ok()))
}

/// Keeps a run and its original, in one transaction (both or neither).
pub async fn save(run: &LocalRun, original: &ArrayBuffer) -> Result<(), LibraryError> {
    let value = to_js(run)?;
    let db = open().await?;
    let tx = db.transaction(&[RUNS, ORIGINALS], TransactionMode::ReadWrite)?;
    tx.store(ORIGINALS)?
        .put(original, Some(&JsValue::from_str(&run.id)))
        .await?;
    tx.store(RUNS)?.put(&value, None).await?;
    tx.done().await?;
    Ok(())
}

/// Keeps `original` (SHA-256 `sha256`) as another original of `run`, which is saved as it now
/// is; when the new file became the one analysed, the run's record under its old id
/// (`replaced`) goes, its original staying among the run's others. One transaction.
pub async fn save_other(
    run: &LocalRun,
    sha256: &str,
    original: &ArrayBuffer,
    replaced: Option<&str>,
) -> Result<(), LibraryError> {
    let value = to_js(run)?;
    let db = open().await?;
    let tx = db.transaction(&[RUNS, ORIGINALS], TransactionMode::ReadWrite)?;
    tx.store(ORIGINALS)?
        .put(original, Some(&JsValue::from_str(sha256)))
        .await?;
    if let Some(old) = replaced {
        tx.store(RUNS)?.delete(JsValue::from_str(old)).await?;
    }
    tx.store(RUNS)?.put(&value, None).await?;
    tx.done().await?;
    Ok(())
}

/// The run that holds `sha256` among its other originals (a link to a run whose analysed
/// original a richer file replaced).
pub async fn run_holding(sha256: &str) -> Result<Option<LocalRun>, LibraryError> {
    Ok(all_runs().await?.into_iter().find(|r| r.holds(sha256)))
}

/// A run taken out of the library with its originals (SHA-256 and bytes), to be put back by
/// [`restore`] while the runner may still undo the deletion.
#[derive(Debug, Clone)]
pub struct Taken {
    /// The run's record.
    pub run: LocalRun,
    /// Its originals: the analysed one first, then the others.
    pub originals: Vec<(String, ArrayBuffer)>,
}

/// Removes a run and its originals, handing them back (`None` when the library has no such
/// run). One transaction: the run is either still there or wholly in the answer.
pub async fn take(id: &str) -> Result<Option<Taken>, LibraryError> {
    let db = open().await?;
    let tx = db.transaction(&[RUNS, ORIGINALS], TransactionMode::ReadWrite)?;
    let runs = tx.store(RUNS)?;
    let run: LocalRun = match runs.get(JsValue::from_str(id)).await? {
        Some(v) if !v.is_undefined() => serde_wasm_bindgen::from_value(v)?,
        _ => return Ok(None),
    };
    let store = tx.store(ORIGINALS)?;
    let mut originals = Vec::new();
    let shas = std::iter::once(run.id.clone()).chain(run.others.iter().map(|o| o.sha256.clone()));
    for sha in shas {
        let key = JsValue::from_str(&sha);
        if let Some(bytes) = store
            .get(key.clone())
            .await?
            .and_then(|v| v.dyn_into::<ArrayBuffer>().ok())
        {
            originals.push((sha, bytes));
        }
        store.delete(key).await?;
    }
    runs.delete(JsValue::from_str(id)).await?;
    tx.done().await?;
    Ok(Some(Taken { run, originals }))
}

/// Puts a run [`take`]n out back, with its originals, in one transaction.
pub async fn restore(taken: &Taken) -> Result<(), LibraryError> {
    let value = to_js(&taken.run)?;
    let db = open().await?;
    let tx = db.transaction(&[RUNS, ORIGINALS], TransactionMode::ReadWrite)?;
    let store = tx.store(ORIGINALS)?;
    for (sha, bytes) in &taken.originals {
        store.put(bytes, Some(&JsValue::from_str(sha))).await?;
    }
    tx.store(RUNS)?.put(&value, None).await?;
    tx.done().await?;
    Ok(())
}

/// Removes every run and original.
pub async fn clear() -> Result<(), LibraryError> {
    let db = open().await?;
    let tx = db.transaction(&[RUNS, ORIGINALS], TransactionMode::ReadWrite)?;
    tx.store(RUNS)?.clear().await?;
    tx.store(ORIGINALS)?.clear().await?;
    tx.done().await?;
    Ok(())
}
