//! Files picked, dropped or found in a folder, and reading parts of them.

use js_sys::{Array, ArrayBuffer, Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, DataTransfer, File, FileList};

use super::worker::describe;

/// The files of a picker's or a drop's list, each with its path: the folder path for a
/// `webkitdirectory` picker (`Activity/123.fit`), else the bare name. Throughout, a path with a
/// `/` is a file found in a folder and a bare name a file the runner chose.
pub fn files_of(list: &FileList) -> Vec<(File, String)> {
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|file| {
            let path = Reflect::get(&file, &JsValue::from_str("webkitRelativePath"))
                .ok()
                .and_then(|p| p.as_string())
                .filter(|p| !p.is_empty())
                .unwrap_or_else(|| file.name());
            (file, path)
        })
        .collect()
}

/// Offers `bytes` to the runner as a download named `name` (an object URL clicked through a
/// temporary link, revoked afterwards).
pub fn save_as(bytes: &ArrayBuffer, name: &str) -> Result<(), String> {
    let blob = Blob::new_with_u8_array_sequence(&Array::of1(bytes)).map_err(describe)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(describe)?;
    let document = leptos::prelude::document();
    let link = document
        .create_element("a")
        .map_err(describe)?
        .dyn_into::<web_sys::HtmlElement>()
        .map_err(|_| "the browser made no link".to_owned())?;
    let set = |k: &str, v: &str| link.set_attribute(k, v).map_err(describe);
    set("href", &url)?;
    set("download", name)?;
    set("hidden", "")?;
    let body = document.body().ok_or("the page has no body")?;
    body.append_child(&link).map_err(describe)?;
    link.click();
    link.remove();
    // The download has its bytes once the click is handled; a later turn frees them.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    let _ = leptos::prelude::window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000);
    Ok(())
}

/// A file's bytes.
pub async fn read(file: &Blob) -> Result<ArrayBuffer, String> {
    let value = JsFuture::from(file.array_buffer())
        .await
        .map_err(describe)?;
    value
        .dyn_into::<ArrayBuffer>()
        .map_err(|_| "the browser gave no bytes".to_owned())
}

/// The bytes `start..end` of a file (fewer if it ends first), without reading the rest.
pub async fn read_range(file: &Blob, start: u64, end: u64) -> Result<ArrayBuffer, String> {
    let part = file
        .slice_with_f64_and_f64(start as f64, end as f64)
        .map_err(describe)?;
    read(&part).await
}

/// Like [`read_range`], copied into wasm memory.
pub async fn read_range_vec(file: &Blob, start: u64, end: u64) -> Result<Vec<u8>, String> {
    let bytes: JsValue = read_range(file, start, end).await?.into();
    Ok(Uint8Array::new(&bytes).to_vec())
}

/// Whether the browser has the File System Access folder picker (`showDirectoryPicker`).
pub fn has_directory_picker() -> bool {
    web_sys::window()
        .map(|w| Reflect::has(&w, &JsValue::from_str("showDirectoryPicker")).unwrap_or(false))
        .unwrap_or(false)
}

fn call(target: &JsValue, method: &str) -> Result<JsValue, String> {
    let f: Function = Reflect::get(target, &JsValue::from_str(method))
        .map_err(describe)?
        .dyn_into()
        .map_err(|_| format!("the browser has no {method}()"))?;
    f.call0(target).map_err(describe)
}

async fn call_async(target: &JsValue, method: &str) -> Result<JsValue, String> {
    let promise: Promise = call(target, method)?
        .dyn_into()
        .map_err(|_| format!("{method}() gave no promise"))?;
    JsFuture::from(promise).await.map_err(describe)
}

fn text(target: &JsValue, field: &str) -> String {
    Reflect::get(target, &JsValue::from_str(field))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Asks for a folder with `showDirectoryPicker` and lists every file in it and its subfolders,
/// with paths relative to it. `None` when the runner closes the picker.
pub async fn pick_directory() -> Result<Option<Vec<(File, String)>>, String> {
    let window: JsValue = web_sys::window().ok_or("no window")?.into();
    let root = match call_async(&window, "showDirectoryPicker").await {
        Ok(handle) => handle,
        Err(e) if e.contains("abort") || e.contains("cancel") => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut found = Vec::new();
    let mut folders = vec![(root.clone(), format!("{}/", text(&root, "name")))];
    while let Some((folder, prefix)) = folders.pop() {
        let entries = call(&folder, "values")?;
        loop {
            let step = call_async(&entries, "next").await?;
            if Reflect::get(&step, &JsValue::from_str("done"))
                .map(|d| d.is_truthy())
                .unwrap_or(true)
            {
                break;
            }
            let handle = Reflect::get(&step, &JsValue::from_str("value")).map_err(describe)?;
            let path = format!("{prefix}{}", text(&handle, "name"));
            match text(&handle, "kind").as_str() {
                "directory" => folders.push((handle, format!("{path}/"))),
                "file" => {
                    let file: File = call_async(&handle, "getFile")
                        .await?
                        .dyn_into()
                        .map_err(|_| format!("{path}: the browser gave no file"))?;
                    found.push((file, path));
                }
                _ => {}
            }
        }
    }
    found.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(Some(found))
}

/// What was dropped on the page: the files as they are and the folders still to be walked. The
/// drop's items are only readable while its event is handled, so this is taken then and the
/// folders are walked after ([`Dropped::files`]).
#[derive(Debug, Default)]
pub struct Dropped {
    files: Vec<(File, String)>,
    folders: Vec<JsValue>,
}

impl Dropped {
    /// Takes the files and folders of a drop (`webkitGetAsEntry` tells a folder from a file).
    pub fn take(transfer: &DataTransfer) -> Self {
        let mut dropped = Self::default();
        let items = transfer.items();
        for i in 0..items.length() {
            let Some(item) = items.get(i) else { continue };
            if item.kind() != "file" {
                continue;
            }
            let entry = call(&item, "webkitGetAsEntry").unwrap_or(JsValue::NULL);
            if flag(&entry, "isDirectory") {
                dropped.folders.push(entry);
            } else if let Ok(Some(file)) = item.get_as_file() {
                let name = file.name();
                dropped.files.push((file, name));
            }
        }
        dropped
    }

    /// Every file dropped, those in the folders (and their subfolders) with their paths from the
    /// dropped folder (`Activity/123.fit`).
    pub async fn files(self) -> Result<Vec<(File, String)>, String> {
        let mut found = self.files;
        let mut folders: Vec<(JsValue, String)> = self
            .folders
            .into_iter()
            .map(|f| {
                let prefix = format!("{}/", text(&f, "name"));
                (f, prefix)
            })
            .collect();
        while let Some((folder, prefix)) = folders.pop() {
            let reader = call(&folder, "createReader")?;
            // readEntries gives a batch at a time (100 in Chromium) until an empty one.
            loop {
                let batch: Array = with_callbacks(&reader, "readEntries")
                    .await?
                    .dyn_into()
                    .map_err(|_| format!("{prefix}: the browser listed no entries"))?;
                if batch.length() == 0 {
                    break;
                }
                for entry in batch.iter() {
                    let path = format!("{prefix}{}", text(&entry, "name"));
                    if flag(&entry, "isDirectory") {
                        folders.push((entry, format!("{path}/")));
                    } else if flag(&entry, "isFile") {
                        let file: File = with_callbacks(&entry, "file")
                            .await?
                            .dyn_into()
                            .map_err(|_| format!("{path}: the browser gave no file"))?;
                        found.push((file, path));
                    }
                }
            }
        }
        found.sort_by(|a, b| a.1.cmp(&b.1));
        Ok(found)
    }
}

fn flag(target: &JsValue, field: &str) -> bool {
    Reflect::get(target, &JsValue::from_str(field))
        .map(|v| v.is_truthy())
        .unwrap_or(false)
}

/// Calls a callback-style method (`entry.file(ok, err)`, `reader.readEntries(ok, err)`) and
/// waits for its answer.
async fn with_callbacks(target: &JsValue, method: &str) -> Result<JsValue, String> {
    let f: Function = Reflect::get(target, &JsValue::from_str(method))
        .map_err(describe)?
        .dyn_into()
        .map_err(|_| format!("the browser has no {method}()"))?;
    let mut failed = None;
    let promise = Promise::new(&mut |resolve, reject| {
        if let Err(e) = f.call2(target, &resolve, &reject) {
            failed = Some(e);
        }
    });
    if let Some(e) = failed {
        return Err(describe(e));
    }
    JsFuture::from(promise).await.map_err(describe)
}
