//! The browser entry point. cargo-leptos builds this crate to `/pkg/stride.wasm` and the
//! `<HydrationScripts/>` of the server-rendered page calls [`hydrate`].

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
}
