//! The browser's side of sync: originals go up to and come down from the same-origin endpoints
//! under `/api/sync`, with the session cookie (`fetch` sends it to the same origin).

use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestInit, Response};

use super::worker::describe;
use crate::models::SyncUpload;

async fn fetch(url: &str, init: &RequestInit) -> Result<Response, String> {
    let window = leptos::prelude::window();
    let response = JsFuture::from(window.fetch_with_str_and_init(url, init))
        .await
        .map_err(|e| format!("the server cannot be reached: {}", describe(e)))?;
    response.dyn_into::<Response>().map_err(describe)
}

/// The reason in an error answer (`{"error": …}`), or its status.
async fn failure(response: &Response) -> String {
    let status = response.status();
    let text = match response.text() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|t| t.as_string()),
        Err(_) => None,
    };
    text.and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_owned))
        .unwrap_or_else(|| format!("the server answered {status}"))
}

/// Sends an original to the account (the server decodes and summarises it itself).
pub async fn upload(name: &str, original: &ArrayBuffer) -> Result<SyncUpload, String> {
    let url = format!(
        "/api/sync/runs?name={}",
        String::from(js_sys::encode_uri_component(name))
    );
    let headers = Headers::new().map_err(describe)?;
    headers
        .set("content-type", "application/octet-stream")
        .map_err(describe)?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&Uint8Array::new(original));
    let response = fetch(&url, &init).await?;
    if !response.ok() {
        return Err(failure(&response).await);
    }
    let text = JsFuture::from(response.text().map_err(describe)?)
        .await
        .map_err(describe)?
        .as_string()
        .unwrap_or_default();
    serde_json::from_str(&text).map_err(|e| format!("the server's answer: {e}"))
}

/// The original of one of the account's runs on the server.
pub async fn download(id: &str) -> Result<ArrayBuffer, String> {
    let init = RequestInit::new();
    init.set_method("GET");
    let url = format!(
        "/api/sync/runs/{}/original",
        String::from(js_sys::encode_uri_component(id))
    );
    let response = fetch(&url, &init).await?;
    if !response.ok() {
        return Err(failure(&response).await);
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(describe)?)
        .await
        .map_err(describe)?;
    buffer.dyn_into::<ArrayBuffer>().map_err(describe)
}
