//! Waiting in the browser without blocking the page.

/// Waits `ms` milliseconds (a `setTimeout`, so Playwright's clock drives it in tests).
pub async fn sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = leptos::prelude::window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Gives the event loop a turn: resolves in a task of its own, after input and rendering that
/// were waiting. Through a `MessageChannel`, which Playwright's fake clock leaves alone (a paused
/// clock would hold a `setTimeout(0)` forever).
pub async fn yield_now() {
    let Ok(channel) = web_sys::MessageChannel::new() else {
        return;
    };
    let port = channel.port1();
    let promise = js_sys::Promise::new(&mut |resolve, _| port.set_onmessage(Some(&resolve)));
    if channel
        .port2()
        .post_message(&wasm_bindgen::JsValue::NULL)
        .is_ok()
    {
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
    port.set_onmessage(None);
}

/// Splits a long piece of work on the page's thread into tasks of about [`SLICE_MS`]: call
/// [`Slicer::step`] between items and it gives the event loop a turn (input, rendering) once the
/// current slice is used up. Futures resolve in microtasks, which run inside the task that woke
/// them, so without this a loop over a thousand ready items is one long task.
#[derive(Debug)]
pub struct Slicer {
    since: f64,
}

/// How long one slice of page work may run, ms: well under the 50 ms of a "long task".
pub const SLICE_MS: f64 = 25.0;

impl Default for Slicer {
    fn default() -> Self {
        Self { since: now() }
    }
}

impl Slicer {
    /// Yields to the event loop if this slice has run for [`SLICE_MS`] or more.
    pub async fn step(&mut self) {
        if now() - self.since >= SLICE_MS {
            yield_now().await;
            self.since = now();
        }
    }
}

fn now() -> f64 {
    js_sys::Date::now()
}
