//! Files picked or dropped by the runner.

use js_sys::ArrayBuffer;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, FileList};

use super::worker::describe;

/// The files of a picker's or a drop's list.
pub fn files_of(list: &FileList) -> Vec<File> {
    (0..list.length()).filter_map(|i| list.item(i)).collect()
}

/// A file's bytes.
pub async fn read(file: &File) -> Result<ArrayBuffer, String> {
    let value = JsFuture::from(file.array_buffer())
        .await
        .map_err(describe)?;
    value
        .dyn_into::<ArrayBuffer>()
        .map_err(|_| "the browser gave no bytes".to_owned())
}
