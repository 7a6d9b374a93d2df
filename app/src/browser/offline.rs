//! Offline use. `public/sw.js` caches the app shell, the wasm, its JS glue, the stylesheet and
//! the analysis worker when it installs, and every page as it is visited; with the network gone
//! it answers from that cache, so the app and the runs library (IndexedDB) still load.

/// Registers the service worker, where the browser has them; failures are logged, never fatal
/// (the app works online without it).
pub fn register() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    // `navigator.serviceWorker` is absent outside secure contexts.
    let has_workers = js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false);
    if !has_workers {
        return;
    }
    let promise = navigator.service_worker().register("/sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(e) = wasm_bindgen_futures::JsFuture::from(promise).await {
            leptos::logging::warn!(
                "offline use is unavailable: the service worker did not register: {e:?}"
            );
        }
    });
}
