//! Positions from the browser's geolocation (`watchPosition`, high accuracy) as recording
//! entries. Nothing happens when the runner refuses or the device has no position.

use analysis::Entry;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{GeolocationPosition, GeolocationPositionError, PositionOptions};

/// A running `watchPosition`; dropping it stops it.
pub struct PositionWatch {
    id: i32,
    _on_fix: Closure<dyn FnMut(GeolocationPosition)>,
    _on_error: Closure<dyn FnMut(GeolocationPositionError)>,
}

impl Drop for PositionWatch {
    fn drop(&mut self) {
        if let Ok(geo) = leptos::prelude::window().navigator().geolocation() {
            geo.clear_watch(self.id);
        }
    }
}

/// Starts watching the position; each fix goes to `on_fix` as an [`Entry::Position`].
pub fn watch(on_fix: impl Fn(Entry) + 'static) -> Option<PositionWatch> {
    let geo = leptos::prelude::window().navigator().geolocation().ok()?;
    let fix = Closure::<dyn FnMut(GeolocationPosition)>::new(move |p: GeolocationPosition| {
        let c = p.coords();
        on_fix(Entry::Position {
            // When the fix reaches the page, on the page's clock like every other entry (the
            // fix's own timestamp comes from the browser's clock, which a test's fake clock and
            // some devices' location services do not share).
            time: js_sys::Date::now() / 1_000.0,
            latitude: c.latitude(),
            longitude: c.longitude(),
            altitude_m: c.altitude(),
            accuracy_m: Some(c.accuracy()),
        });
    });
    let error =
        Closure::<dyn FnMut(GeolocationPositionError)>::new(|e: GeolocationPositionError| {
            leptos::logging::log!("no position: {}", e.message())
        });
    let options = PositionOptions::new();
    options.set_enable_high_accuracy(true);
    let id = geo.watch_position_with_error_callback_and_options(
        fix.as_ref().unchecked_ref(),
        Some(error.as_ref().unchecked_ref()),
        &options,
    );
    Some(PositionWatch {
        id,
        _on_fix: fix,
        _on_error: error,
    })
}
