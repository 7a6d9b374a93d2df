//! The recording in progress, kept entry by entry in its own IndexedDB database
//! (`stride-watch`, store `entries`, auto-incremented keys in arrival order), so a reload or a
//! crash loses nothing. The runs library's database is not touched. Entries are written in
//! order, several to a transaction when they come faster than IndexedDB takes them.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use analysis::Entry;
use rexie::{ObjectStore, Rexie, TransactionMode};
use wasm_bindgen::JsValue;

const DB_NAME: &str = "stride-watch";
const DB_VERSION: u32 = 1;
const ENTRIES: &str = "entries";

thread_local! {
    /// The database, opened once per page.
    static DB: RefCell<Option<Rc<Rexie>>> = const { RefCell::new(None) };
}

async fn open() -> Result<Rc<Rexie>, String> {
    if let Some(db) = DB.with(|db| db.borrow().clone()) {
        return Ok(db);
    }
    let db = Rexie::builder(DB_NAME)
        .version(DB_VERSION)
        .add_object_store(ObjectStore::new(ENTRIES).auto_increment(true))
        .build()
        .await
        .map_err(|e| format!("the recording on this device: {e}"))?;
    let db = Rc::new(db);
    DB.with(|cell| *cell.borrow_mut() = Some(db.clone()));
    Ok(db)
}

fn failed(e: impl std::fmt::Display) -> String {
    format!("the recording on this device: {e}")
}

/// Every stored entry, in order. An entry that no longer reads is skipped.
pub async fn load() -> Result<Vec<Entry>, String> {
    let db = open().await?;
    let tx = db
        .transaction(&[ENTRIES], TransactionMode::ReadOnly)
        .map_err(failed)?;
    let values = tx
        .store(ENTRIES)
        .map_err(failed)?
        .get_all(None, None)
        .await
        .map_err(failed)?;
    tx.done().await.map_err(failed)?;
    Ok(values
        .into_iter()
        .filter_map(|v| v.as_string())
        .filter_map(|text| serde_json::from_str(&text).ok())
        .collect())
}

/// Removes every entry (the recording was saved or discarded).
pub async fn clear() -> Result<(), String> {
    let db = open().await?;
    let tx = db
        .transaction(&[ENTRIES], TransactionMode::ReadWrite)
        .map_err(failed)?;
    tx.store(ENTRIES)
        .map_err(failed)?
        .clear()
        .await
        .map_err(failed)?;
    tx.done().await.map_err(failed)?;
    Ok(())
}

/// Appends entries in order, in the background.
#[derive(Default, Clone)]
pub struct Journal {
    queue: Rc<RefCell<VecDeque<String>>>,
    busy: Rc<Cell<bool>>,
    /// The last write error, if any.
    pub error: Rc<RefCell<Option<String>>>,
}

impl Journal {
    /// Queues `entry` for writing.
    pub fn append(&self, entry: &Entry) {
        let Ok(text) = serde_json::to_string(entry) else {
            return;
        };
        self.queue.borrow_mut().push_back(text);
        if !self.busy.get() {
            self.busy.set(true);
            leptos::task::spawn_local(self.clone().flush());
        }
    }

    /// Whether everything queued is written.
    pub fn idle(&self) -> bool {
        !self.busy.get()
    }

    /// Waits until everything queued is written.
    pub async fn settled(&self) {
        while self.busy.get() {
            crate::browser::timer::sleep(10).await;
        }
    }

    async fn flush(self) {
        loop {
            let batch: Vec<String> = self.queue.borrow_mut().drain(..).collect();
            if batch.is_empty() {
                break;
            }
            if let Err(e) = write(&batch).await {
                leptos::logging::warn!("{e}");
                *self.error.borrow_mut() = Some(e);
            }
        }
        self.busy.set(false);
    }
}

async fn write(batch: &[String]) -> Result<(), String> {
    let db = open().await?;
    let tx = db
        .transaction(&[ENTRIES], TransactionMode::ReadWrite)
        .map_err(failed)?;
    let store = tx.store(ENTRIES).map_err(failed)?;
    for text in batch {
        store
            .add(&JsValue::from_str(text), None)
            .await
            .map_err(failed)?;
    }
    tx.done().await.map_err(failed)?;
    Ok(())
}
