//! Leaflet (https://leafletjs.com, BSD-2-Clause), the map library under the run page's route:
//! loading it when a map is first shown, and the few calls Stride makes to it.
//!
//! `scripts/setup.sh` installs it from npm (`web/package.json`, pinned) into
//! `public/vendor/leaflet/`, which the build copies into the site. It is loaded only by a page
//! that shows a map, so it costs the first load nothing. When it cannot be loaded (offline on a
//! first visit, or a build without it) [`load`] fails and the route is drawn without tiles.

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::components::charts::route_map::Stretch;
use crate::models::MapTiles;

/// Where the build puts Leaflet's script and stylesheet.
const SCRIPT: &str = "/vendor/leaflet/leaflet.js";
const STYLESHEET: &str = "/vendor/leaflet/leaflet.css";

#[wasm_bindgen]
extern "C" {
    /// A Leaflet map (`L.Map`).
    pub type Map;
    /// Any Leaflet layer: tiles, a polyline, a circle marker, a group.
    pub type Layer;

    #[wasm_bindgen(catch, js_namespace = L, js_name = map)]
    fn new_map(element: &web_sys::HtmlElement, options: &Object) -> Result<Map, JsValue>;
    #[wasm_bindgen(method, js_name = fitBounds)]
    fn fit_bounds(this: &Map, bounds: &Array, options: &Object);
    #[wasm_bindgen(method)]
    fn on(this: &Map, event: &str, handler: &Function);
    #[wasm_bindgen(method)]
    fn remove(this: &Map);
    #[wasm_bindgen(method, js_name = invalidateSize)]
    fn invalidate_size(this: &Map);

    #[wasm_bindgen(js_namespace = L, js_name = tileLayer)]
    fn tile_layer(url: &str, options: &Object) -> Layer;
    #[wasm_bindgen(js_namespace = L, js_name = polyline)]
    fn polyline(points: &Array, options: &Object) -> Layer;
    #[wasm_bindgen(js_namespace = L, js_name = circleMarker)]
    fn circle_marker(point: &Array, options: &Object) -> Layer;
    #[wasm_bindgen(js_namespace = L, js_name = layerGroup)]
    fn layer_group() -> Layer;
    #[wasm_bindgen(method, js_name = addTo)]
    fn add_to(this: &Layer, target: &JsValue) -> Layer;
    #[wasm_bindgen(method, js_name = clearLayers)]
    fn clear_layers(this: &Layer);
    #[wasm_bindgen(method, js_name = setLatLng)]
    fn set_lat_lng(this: &Layer, point: &Array);
    #[wasm_bindgen(method, js_name = setStyle)]
    fn set_style(this: &Layer, options: &Object);
    #[wasm_bindgen(method, js_name = bindTooltip)]
    fn bind_tooltip(this: &Layer, text: &str);
}

/// Loads Leaflet's script and stylesheet once per page; later calls wait for the same load.
/// `Err` with the reason when the script cannot be had.
pub async fn load() -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    if Reflect::has(&window, &"L".into()).unwrap_or(false) {
        return Ok(());
    }
    let document = window.document().ok_or("no document")?;
    let head = document
        .query_selector("head")
        .ok()
        .flatten()
        .ok_or("no <head>")?;
    let script = match document
        .query_selector(&format!("script[src=\"{SCRIPT}\"]"))
        .ok()
        .flatten()
    {
        Some(script) => script,
        None => {
            let link = document.create_element("link").map_err(js_text)?;
            link.set_attribute("rel", "stylesheet").map_err(js_text)?;
            link.set_attribute("href", STYLESHEET).map_err(js_text)?;
            head.append_child(&link).map_err(js_text)?;
            let script = document.create_element("script").map_err(js_text)?;
            script.set_attribute("src", SCRIPT).map_err(js_text)?;
            head.append_child(&script).map_err(js_text)?;
            script
        }
    };
    let loaded = Promise::new(&mut |resolve, reject| {
        let _ = script.add_event_listener_with_callback("load", &resolve);
        let _ = script.add_event_listener_with_callback("error", &reject);
    });
    // Loaded between the check above and the listeners: nothing more will fire.
    if Reflect::has(&window, &"L".into()).unwrap_or(false) {
        return Ok(());
    }
    JsFuture::from(loaded)
        .await
        .map(|_| ())
        .map_err(|_| format!("the map library ({SCRIPT}) could not be loaded"))
}

fn js_text(e: JsValue) -> String {
    e.as_string().unwrap_or_else(|| format!("{e:?}"))
}

/// An object with the given properties.
fn options(pairs: &[(&str, JsValue)]) -> Object {
    let object = Object::new();
    for (key, value) in pairs {
        let _ = Reflect::set(&object, &(*key).into(), value);
    }
    object
}

/// `[lat, lon]`, as Leaflet takes a point.
fn point((lat, lon): (f64, f64)) -> Array {
    Array::of2(&lat.into(), &lon.into())
}

/// The run page's map: tiles, the route, its start and finish, and a cursor.
pub struct RouteMap {
    map: Map,
    element: web_sys::HtmlElement,
    route: Layer,
    cursor: Layer,
    // Kept alive as long as the map: Leaflet calls them.
    handlers: Vec<Closure<dyn FnMut(JsValue)>>,
}

impl RouteMap {
    /// A map in `element` showing `tiles`, fitted to `bounds` (south-west, north-east corners).
    /// `on_hover` gets the position under the pointer, and `None` when it leaves the map.
    pub fn new(
        element: &web_sys::HtmlElement,
        tiles: &MapTiles,
        bounds: ((f64, f64), (f64, f64)),
        on_hover: impl Fn(Option<(f64, f64)>) + 'static,
    ) -> Result<Self, String> {
        let map = new_map(
            element,
            &options(&[
                // Wheel zoom would catch the page's scrolling; the buttons, a double click
                // and a pinch zoom.
                ("scrollWheelZoom", false.into()),
            ]),
        )
        .map_err(|e| format!("the map could not be shown: {}", js_text(e)))?;
        tile_layer(
            &tiles.url,
            &options(&[
                ("attribution", tiles.attribution.as_str().into()),
                ("maxZoom", tiles.max_zoom.into()),
                ("className", "route-map__tile-layer".into()),
            ]),
        )
        .add_to(map.as_ref());
        let route = layer_group().add_to(map.as_ref());
        let cursor = circle_marker(
            &point(bounds.0),
            &options(&[
                ("radius", 6.into()),
                ("color", "#ffffff".into()),
                ("weight", 2.into()),
                ("fillColor", "#111827".into()),
                ("fillOpacity", 1.into()),
                ("opacity", 0.into()),
                ("interactive", false.into()),
                ("className", "route-map__cursor".into()),
            ]),
        );
        let fit = Array::of2(&point(bounds.0), &point(bounds.1));
        map.fit_bounds(
            &fit,
            &options(&[("padding", Array::of2(&16.into(), &16.into()).into())]),
        );
        let hover = std::rc::Rc::new(on_hover);
        let moved = {
            let hover = hover.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
                let at = Reflect::get(&event, &"latlng".into()).ok();
                let coordinate = |key: &str| {
                    at.as_ref()
                        .and_then(|p| Reflect::get(p, &key.into()).ok())
                        .and_then(|v| v.as_f64())
                };
                if let (Some(lat), Some(lon)) = (coordinate("lat"), coordinate("lng")) {
                    hover(Some((lat, lon)));
                }
            })
        };
        let left = Closure::<dyn FnMut(JsValue)>::new(move |_| hover(None));
        map.on("mousemove", moved.as_ref().unchecked_ref());
        // The element's own `mouseleave`: Leaflet's `mouseout` is missed when the pointer
        // leaves from over a marker.
        let _ =
            element.add_event_listener_with_callback("mouseleave", left.as_ref().unchecked_ref());
        Ok(Self {
            map,
            element: element.clone(),
            route,
            cursor,
            handlers: vec![moved, left],
        })
    }

    /// Draws the route: the raw track thin and grey beneath, `stretches` over it, rejected
    /// fixes as small red dots, and start (green) and finish (chequered black) markers.
    pub fn draw(
        &self,
        raw: &[Vec<(f64, f64)>],
        stretches: &[Stretch],
        rejected: &[(f64, f64)],
        ends: Option<((f64, f64), (f64, f64))>,
    ) {
        self.route.clear_layers();
        let group: &JsValue = self.route.as_ref();
        let line = |points: &[(f64, f64)]| points.iter().copied().map(point).collect::<Array>();
        for piece in raw.iter().filter(|p| p.len() > 1) {
            polyline(
                &line(piece),
                &options(&[
                    ("color", "#6b7280".into()),
                    ("weight", 2.into()),
                    ("opacity", 0.6.into()),
                    ("interactive", false.into()),
                ]),
            )
            .add_to(group);
        }
        for stretch in stretches.iter().filter(|s| s.points.len() > 1) {
            polyline(
                &line(&stretch.points),
                &options(&[
                    ("color", stretch.colour.as_str().into()),
                    ("weight", 4.into()),
                    ("opacity", 0.95.into()),
                    ("interactive", false.into()),
                    ("className", "route-map__stretch".into()),
                ]),
            )
            .add_to(group);
        }
        for &fix in rejected {
            circle_marker(
                &point(fix),
                &options(&[
                    ("radius", 2.5.into()),
                    ("color", "#dc2626".into()),
                    ("weight", 1.into()),
                    ("fillOpacity", 0.8.into()),
                    ("interactive", false.into()),
                ]),
            )
            .add_to(group);
        }
        if let Some((start, finish)) = ends {
            for (at, fill, class, label) in [
                (finish, "#111827", "route-map__finish", "Finish"),
                (start, "#16a34a", "route-map__start", "Start"),
            ] {
                let marker = circle_marker(
                    &point(at),
                    &options(&[
                        ("radius", 7.into()),
                        ("color", "#ffffff".into()),
                        ("weight", 3.into()),
                        ("fillColor", fill.into()),
                        ("fillOpacity", 1.into()),
                        ("className", class.into()),
                    ]),
                );
                marker.bind_tooltip(label);
                marker.add_to(group);
            }
        }
    }

    /// Shows the cursor at `at`, or hides it.
    pub fn set_cursor(&self, at: Option<(f64, f64)>) {
        match at {
            Some(at) => {
                self.cursor.set_lat_lng(&point(at));
                self.cursor.add_to(self.map.as_ref());
                self.cursor.set_style(&options(&[
                    ("opacity", 1.into()),
                    ("fillOpacity", 1.into()),
                ]));
            }
            None => self.cursor.set_style(&options(&[
                ("opacity", 0.into()),
                ("fillOpacity", 0.into()),
            ])),
        }
    }

    /// Lays the map out again after its box changed size.
    pub fn refit(&self) {
        self.map.invalidate_size();
    }
}

impl Drop for RouteMap {
    fn drop(&mut self) {
        if let Some(left) = self.handlers.get(1) {
            let _ = self
                .element
                .remove_event_listener_with_callback("mouseleave", left.as_ref().unchecked_ref());
        }
        self.map.remove();
    }
}

/// The tile source the server named in the page's head, if any.
pub fn tiles_of_page() -> Option<MapTiles> {
    let document = web_sys::window()?.document()?;
    let content = |name: &str| {
        document
            .query_selector(&format!("meta[name=\"{name}\"]"))
            .ok()
            .flatten()
            .and_then(|m| m.get_attribute("content"))
    };
    let [url, attribution, zoom] = MapTiles::META;
    MapTiles::from_meta_contents(content(url), content(attribution), content(zoom))
}

/// Whether the browser believes it is online.
pub fn online() -> bool {
    web_sys::window().is_some_and(|w| w.navigator().on_line())
}
