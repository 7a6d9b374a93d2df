//! Positions from the browser's geolocation (`watchPosition`, high accuracy) as recording
//! entries. Nothing happens when the runner refuses or the device has no position.

use analysis::Entry;

use crate::models::watch::LocationAccess;
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

/// What the browser lets the page know of the position, from the Permissions API where the
/// browser has it (`Unknown` where it has not or has not been asked).
pub async fn access() -> LocationAccess {
    let navigator = leptos::prelude::window().navigator();
    if navigator.geolocation().is_err() {
        return LocationAccess::Unavailable;
    }
    let query = async {
        let permissions =
            js_sys::Reflect::get(&navigator, &JsValue::from_str("permissions")).ok()?;
        let query: js_sys::Function =
            js_sys::Reflect::get(&permissions, &JsValue::from_str("query"))
                .ok()?
                .dyn_into()
                .ok()?;
        let descriptor = js_sys::Object::new();
        js_sys::Reflect::set(
            &descriptor,
            &JsValue::from_str("name"),
            &JsValue::from_str("geolocation"),
        )
        .ok()?;
        let promise: js_sys::Promise = query
            .call1(&permissions, &descriptor)
            .ok()?
            .dyn_into()
            .ok()?;
        let status = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
        js_sys::Reflect::get(&status, &JsValue::from_str("state"))
            .ok()?
            .as_string()
    };
    match query.await.as_deref() {
        Some("granted") => LocationAccess::Allowed,
        Some("denied") => LocationAccess::Refused,
        _ => LocationAccess::Unknown,
    }
}

/// Starts watching the position; each fix goes to `on_fix` as an [`Entry::Position`], and what
/// the browser allows to `on_access` (allowed with a fix, refused when the runner says no).
pub fn watch(
    on_fix: impl Fn(Entry) + 'static,
    on_access: impl Fn(LocationAccess) + 'static,
) -> Option<PositionWatch> {
    let geo = leptos::prelude::window().navigator().geolocation().ok()?;
    let on_access = std::rc::Rc::new(on_access);
    let allowed = on_access.clone();
    let fix = Closure::<dyn FnMut(GeolocationPosition)>::new(move |p: GeolocationPosition| {
        allowed(LocationAccess::Allowed);
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
        Closure::<dyn FnMut(GeolocationPositionError)>::new(move |e: GeolocationPositionError| {
            leptos::logging::log!("no position: {}", e.message());
            if e.code() == GeolocationPositionError::PERMISSION_DENIED {
                on_access(LocationAccess::Refused);
            }
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
