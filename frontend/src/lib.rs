//! The browser entry point. cargo-leptos builds this crate to `/pkg/stride.wasm` and the
//! `<HydrationScripts/>` of the server-rendered page calls [`hydrate`].

#![recursion_limit = "256"]

use wasm_bindgen::prelude::wasm_bindgen;

/// Makes the server-rendered page interactive.
#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // A marker for tests and for styles that should apply only once the page is interactive.
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-hydrated", "");
    }
    app::browser::offline::register();
}

/// Analysis worker entry (`public/analysis-worker.js`): the content address and summary of a
/// file, as JSON text.
#[wasm_bindgen]
pub fn analyze_summary(bytes: &[u8]) -> String {
    app::browser::worker::summarise(bytes)
}

/// Analysis worker entry: the full run report and chart data of a file for the runner's
/// settings (JSON of `analysis::Athlete`, empty for the defaults), as JSON text.
#[wasm_bindgen]
pub fn analyze_report(bytes: &[u8], athlete: &str) -> String {
    app::browser::worker::report(bytes, athlete)
}

/// Analysis worker entry: the file inside packed bytes (a `.gz` file, a zip entry's data), given
/// the JSON text of an `app::archive::Packing`; throws the reason when they do not unpack.
#[wasm_bindgen]
pub fn unpack_file(bytes: &[u8], packing: &str) -> Result<Vec<u8>, wasm_bindgen::JsValue> {
    app::browser::worker::unpack(bytes, packing).map_err(|e| wasm_bindgen::JsValue::from_str(&e))
}
