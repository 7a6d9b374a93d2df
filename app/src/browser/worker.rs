//! The analysis worker: files are decoded and analysed by the wasm analysis core in a dedicated
//! Web Worker (D3), so the page stays responsive during an import.
//!
//! There is no second build: `public/analysis-worker.js` imports this same wasm module (its URLs
//! are taken from the page's preload links) and calls the entries that the frontend crate exports,
//! [`summarise`] and [`report`]. Bytes go to the worker as transferred `ArrayBuffer`s and come
//! back as JSON text of [`Analysed`] or of a report.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use analysis::{Athlete, RunSummary};

pub use crate::models::RunAnalysis;
use js_sys::{Array, ArrayBuffer, Function, Object, Promise, Reflect};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

/// The worker's script, served from `public/`.
const WORKER_SCRIPT: &str = "/analysis-worker.js";

/// What the worker says about one file: its content address, and its summary or why it could
/// not be read (the analysis core's error text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysed {
    /// SHA-256 of the bytes, lower-case hex.
    pub sha256: String,
    /// The summary, or the reason the file could not be analysed.
    pub summary: Result<RunSummary, String>,
}

pub use crate::models::original::sha256_hex;

/// Worker side: the content address and summary of a file, as JSON text of [`Analysed`].
pub fn summarise(bytes: &[u8]) -> String {
    let analysed = Analysed {
        sha256: sha256_hex(bytes),
        summary: analysis::summary::analyze_bytes(bytes, &Athlete::default())
            .map_err(|e| e.to_string()),
    };
    serde_json::to_string(&analysed).unwrap_or_else(|e| error_json(&e.to_string()))
}

/// Worker side: the file inside packed bytes (a `.gz`, a zip entry), from the JSON text of an
/// [`archive::Packing`](crate::archive::Packing); the error names what is wrong with the archive.
pub fn unpack(bytes: &[u8], packing: &str) -> Result<Vec<u8>, String> {
    let packing: crate::archive::Packing =
        serde_json::from_str(packing).map_err(|e| format!("bad packing {packing}: {e}"))?;
    crate::archive::unpack(bytes, packing).map_err(|e| e.to_string())
}

/// Worker side: the report and chart data of a file for the runner's settings (`athlete`, JSON
/// of [`Athlete`]; empty or unreadable for the defaults), as JSON text of
/// `Result<RunAnalysis, String>`.
pub fn report(bytes: &[u8], athlete: &str) -> String {
    let athlete: Athlete = serde_json::from_str(athlete).unwrap_or_default();
    RunAnalysis::to_json(&RunAnalysis::of(bytes, &athlete))
}

fn error_json(message: &str) -> String {
    serde_json::to_string(&Result::<(), _>::Err(message)).unwrap_or_default()
}

/// The page's side of the analysis worker. One per page (see [`analyzer`]); requests may overlap,
/// each reply carries its request's id.
pub struct Analyzer {
    worker: Worker,
    next_id: Cell<u32>,
}

thread_local! {
    static ANALYZER: RefCell<Option<Rc<Analyzer>>> = const { RefCell::new(None) };
}

/// The page's analyzer, started on first use.
pub fn analyzer() -> Result<Rc<Analyzer>, String> {
    ANALYZER.with(|cell| {
        if let Some(a) = cell.borrow().as_ref() {
            return Ok(a.clone());
        }
        let a = Rc::new(Analyzer::start()?);
        *cell.borrow_mut() = Some(a.clone());
        Ok(a)
    })
}

impl Analyzer {
    /// Starts the worker with this page's wasm module.
    fn start() -> Result<Self, String> {
        let (js, wasm) = module_urls();
        let url = format!(
            "{WORKER_SCRIPT}?js={}&wasm={}",
            String::from(js_sys::encode_uri_component(&js)),
            String::from(js_sys::encode_uri_component(&wasm))
        );
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(&url, &options).map_err(describe)?;
        Ok(Self {
            worker,
            next_id: Cell::new(1),
        })
    }

    /// The content address and summary of a file. The buffer is transferred to the worker (it
    /// is empty here afterwards).
    pub async fn summarise(&self, bytes: ArrayBuffer) -> Result<Analysed, String> {
        let (text, _) = self.request("summary", bytes, None, None).await?;
        serde_json::from_str(&text).map_err(|e| e.to_string())
    }

    /// Like [`Analyzer::summarise`] for packed bytes (a `.gz` file, a zip entry's data): the
    /// worker unpacks them first and hands the file back with its summary (`None` when it could
    /// not be unpacked; the summary then says why). The content address is that of the file.
    pub async fn summarise_packed(
        &self,
        bytes: ArrayBuffer,
        packing: crate::archive::Packing,
    ) -> Result<(Analysed, Option<ArrayBuffer>), String> {
        let packing = serde_json::to_string(&packing).map_err(|e| e.to_string())?;
        let (text, file) = self.request("summary", bytes, Some(&packing), None).await?;
        let analysed = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        Ok((analysed, file))
    }

    /// Only unpacks packed bytes (a zip inside a zip) in the worker: the file, or why not.
    pub async fn unpack(
        &self,
        bytes: ArrayBuffer,
        packing: crate::archive::Packing,
    ) -> Result<ArrayBuffer, String> {
        let packing = serde_json::to_string(&packing).map_err(|e| e.to_string())?;
        let (reason, file) = self.request("unpack", bytes, Some(&packing), None).await?;
        file.ok_or(reason)
    }

    /// The full report and chart data of a file for the runner's settings. The buffer is
    /// transferred.
    pub async fn report(
        &self,
        bytes: ArrayBuffer,
        athlete: &Athlete,
    ) -> Result<RunAnalysis, String> {
        let athlete = serde_json::to_string(athlete).map_err(|e| e.to_string())?;
        let (text, _) = self.request("report", bytes, None, Some(&athlete)).await?;
        RunAnalysis::from_json(&text)
    }

    /// Sends one request; the reply's JSON text and, for packed bytes, the unpacked file.
    async fn request(
        &self,
        kind: &str,
        bytes: ArrayBuffer,
        packing: Option<&str>,
        athlete: Option<&str>,
    ) -> Result<(String, Option<ArrayBuffer>), String> {
        let id = self.next_id.get();
        self.next_id.set(id.wrapping_add(1));

        let mut listener: Option<Closure<dyn FnMut(MessageEvent)>> = None;
        let promise = Promise::new(&mut |resolve: Function, reject: Function| {
            let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                let data = e.data();
                let field = |name: &str| Reflect::get(&data, &JsValue::from_str(name)).ok();
                if let Some(fatal) = field("fatal").filter(|v| !v.is_undefined()) {
                    let _ = reject.call1(&JsValue::NULL, &fatal);
                } else if field("id").and_then(|v| v.as_f64()) == Some(f64::from(id)) {
                    let _ = resolve.call1(&JsValue::NULL, &data);
                }
            });
            let _ = self
                .worker
                .add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
            listener = Some(on_message);
        });

        let message = Object::new();
        let set = |k: &str, v: &JsValue| Reflect::set(&message, &JsValue::from_str(k), v);
        set("id", &JsValue::from(id)).map_err(describe)?;
        set("kind", &JsValue::from_str(kind)).map_err(describe)?;
        set("bytes", &bytes).map_err(describe)?;
        if let Some(packing) = packing {
            set("packing", &JsValue::from_str(packing)).map_err(describe)?;
        }
        if let Some(athlete) = athlete {
            set("athlete", &JsValue::from_str(athlete)).map_err(describe)?;
        }
        let sent = self
            .worker
            .post_message_with_transfer(&message, &Array::of1(&bytes));

        let reply = match sent {
            Ok(()) => JsFuture::from(promise).await.map_err(describe),
            Err(e) => Err(describe(e)),
        };
        if let Some(on_message) = listener {
            let _ = self.worker.remove_event_listener_with_callback(
                "message",
                on_message.as_ref().unchecked_ref(),
            );
        }
        let data = reply?;
        let field = |name: &str| Reflect::get(&data, &JsValue::from_str(name)).ok();
        let text = field("reply")
            .and_then(|v| v.as_string())
            .ok_or_else(|| "the analysis worker gave no answer".to_owned())?;
        let file = field("bytes").and_then(|v| v.dyn_into::<ArrayBuffer>().ok());
        Ok((text, file))
    }
}

/// The URLs of this page's JS glue and wasm module, from the preload links that
/// `<HydrationScripts/>` writes (so hashed file names would work too).
fn module_urls() -> (String, String) {
    let href = |selector: &str| {
        leptos::prelude::document()
            .query_selector(selector)
            .ok()
            .flatten()
            .and_then(|e| e.get_attribute("href"))
    };
    let js = href("link[rel=modulepreload]").unwrap_or_else(|| "/pkg/stride.js".to_owned());
    let wasm = href("link[rel=preload][as=fetch]").unwrap_or_else(|| "/pkg/stride.wasm".to_owned());
    (absolute(&js), absolute(&wasm))
}

/// `href` resolved against the page's address (a worker resolves relative URLs against its own).
fn absolute(href: &str) -> String {
    let base = leptos::prelude::window()
        .location()
        .href()
        .unwrap_or_default();
    web_sys::Url::new_with_base(href, &base)
        .map(|u| u.href())
        .unwrap_or_else(|_| href.to_owned())
}

/// A JS error's text.
pub fn describe(e: JsValue) -> String {
    if let Some(text) = e.as_string() {
        return text;
    }
    Reflect::get(&e, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    #[wasm_bindgen_test]
    fn sha256_of_abc() {
        // FIPS 180-2, appendix B.1.
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[wasm_bindgen_test]
    fn packed_bytes_unpack_or_say_why() {
        let gz = include_bytes!("../../tests/fixtures/garmin-fenix-5-bike.fit.gz");
        let file = unpack(gz, r#""Gzip""#).unwrap();
        assert_eq!(file.len(), 4664);
        assert_eq!(&file[8..12], b".FIT");
        assert_eq!(unpack(b"plain", r#""Gzip""#).unwrap_err(), "not gzip data");
    }

    #[wasm_bindgen_test]
    fn a_corrupt_file_gives_its_reason() {
        let analysed: Analysed = serde_json::from_str(&summarise(b"not a run")).unwrap();
        assert_eq!(analysed.sha256, sha256_hex(b"not a run"));
        assert!(analysed.summary.is_err());
    }
}
