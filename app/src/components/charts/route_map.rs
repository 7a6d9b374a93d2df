use std::sync::Arc;

use analysis::ChartData;
use analysis::chart::Route;
use leptos::html::{Canvas, Div};
use leptos::prelude::*;

use super::{ChartCursor, MAP_SIZE, PlotArea};

/// What colours the route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MapColour {
    /// Slow blue to fast red.
    #[default]
    Pace,
    /// Low blue to high red.
    HeartRate,
}

impl MapColour {
    /// The chart data series it reads.
    pub fn series(self) -> &'static str {
        match self {
            Self::Pace => "speed_mps",
            Self::HeartRate => "heart_rate",
        }
    }

    /// The key in `data-colour`.
    pub fn id(self) -> &'static str {
        match self {
            Self::Pace => "pace",
            Self::HeartRate => "heart_rate",
        }
    }
}

/// A colour from blue (0) through orange to red (1).
pub fn ramp(t: f64) -> (u8, u8, u8) {
    const STOPS: [(f64, f64, f64); 3] = [
        (49.0, 130.0, 189.0),
        (253.0, 174.0, 97.0),
        (215.0, 25.0, 28.0),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (a, b, f) = if t < 0.5 {
        (STOPS[0], STOPS[1], t * 2.0)
    } else {
        (STOPS[1], STOPS[2], t * 2.0 - 1.0)
    };
    let mix = |x: f64, y: f64| (x + (y - x) * f).round() as u8;
    (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// The colour position (0 blue .. 1 red) of every point: its value of `by` between the run's
/// 5th and 95th percentiles; 0.5 where the point has no value.
pub fn colour_positions(data: &ChartData, by: MapColour) -> Vec<f64> {
    let n = data.time_s.len();
    let Some(series) = data.series(by.series()) else {
        return vec![0.5; n];
    };
    let (lo, hi) = series.extent(0.05, 0.95).unwrap_or((0.0, 1.0));
    (0..n)
        .map(|i| match series.values.get(i).copied().flatten() {
            Some(v) if hi > lo => ((v - lo) / (hi - lo)).clamp(0.0, 1.0),
            _ => 0.5,
        })
        .collect()
}

/// A piece of the route drawn in one colour, in degrees.
#[derive(Debug, Clone, PartialEq)]
pub struct Stretch {
    /// CSS colour, `#rrggbb`.
    pub colour: String,
    /// Latitude, longitude of each point, in order.
    pub points: Vec<(f64, f64)>,
}

/// How many colours the tiled map draws the route in (a polyline each, rather than one per
/// point: 1,200 points make a few dozen lines).
pub const COLOUR_LEVELS: u32 = 16;

/// The repaired route in degrees as stretches of one colour each: consecutive points whose
/// colour (on [`COLOUR_LEVELS`] levels) is the same share a stretch, and each stretch starts
/// where the one before ended, so the line has no gaps; a point without a position breaks it.
/// Empty without an origin.
pub fn stretches(data: &ChartData, by: MapColour) -> Vec<Stretch> {
    let Some(route) = data.route.as_ref().filter(|r| r.origin_deg.is_some()) else {
        return Vec::new();
    };
    let t = colour_positions(data, by);
    let level = |i: usize| {
        let steps = f64::from(COLOUR_LEVELS - 1);
        (t.get(i).copied().unwrap_or(0.5) * steps).round() / steps
    };
    let mut out: Vec<Stretch> = Vec::new();
    let mut open: Option<(f64, Stretch)> = None;
    for i in 0..route.x_m.len() {
        let Some(p) = route.point_deg(i) else {
            out.extend(open.take().map(|(_, s)| s));
            continue;
        };
        let l = level(i);
        match &mut open {
            Some((current, stretch)) if *current == l => stretch.points.push(p),
            _ => {
                let mut points = Vec::new();
                if let Some((_, done)) = open.take() {
                    points.extend(done.points.last().copied());
                    out.push(done);
                }
                points.push(p);
                let (r, g, b) = ramp(l);
                open = Some((
                    l,
                    Stretch {
                        colour: format!("#{r:02x}{g:02x}{b:02x}"),
                        points,
                    },
                ));
            }
        }
    }
    out.extend(open.map(|(_, s)| s));
    out
}

/// The recorded (raw) track in degrees, split where a point has no fix.
pub fn raw_track_deg(route: &Route) -> Vec<Vec<(f64, f64)>> {
    let mut out = vec![Vec::new()];
    for (x, y) in route.raw_x_m.iter().zip(&route.raw_y_m) {
        match x.zip(*y).and_then(|(x, y)| route.lat_lon(x, y)) {
            Some(p) => out.last_mut().expect("never empty").push(p),
            None => out.push(Vec::new()),
        }
    }
    out.retain(|s| s.len() > 1);
    out
}

/// South-west and north-east corners (degrees) around every position of the route, raw and
/// repaired; `None` without a position or an origin.
pub fn bounds_deg(route: &Route) -> Option<((f64, f64), (f64, f64))> {
    let xs = route.x_m.iter().chain(&route.raw_x_m);
    let ys = route.y_m.iter().chain(&route.raw_y_m);
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for (x, y) in xs.zip(ys) {
        if let (Some(x), Some(y)) = (x, y) {
            (x0, x1, y0, y1) = (x0.min(*x), x1.max(*x), y0.min(*y), y1.max(*y));
        }
    }
    (x0 <= x1).then_some(())?;
    Some((route.lat_lon(x0, y0)?, route.lat_lon(x1, y1)?))
}

/// The first and last repaired positions (start and finish), in degrees.
pub fn ends_deg(route: &Route) -> Option<((f64, f64), (f64, f64))> {
    let n = route.x_m.len();
    let start = (0..n).find_map(|i| route.point_deg(i))?;
    let finish = (0..n).rev().find_map(|i| route.point_deg(i))?;
    Some((start, finish))
}

/// The point of the route nearest to `at` (degrees), if it lies within `within_m` metres.
pub fn nearest_point(route: &Route, at: (f64, f64), within_m: f64) -> Option<usize> {
    let (lat0, lon0) = route.origin_deg?;
    let (x, y) = analysis::series::LocalFrame::new(lat0, lon0).to_xy(at.0, at.1);
    route
        .x_m
        .iter()
        .zip(&route.y_m)
        .enumerate()
        .filter_map(|(i, (px, py))| Some((i, (px.as_ref()? - x).hypot(py.as_ref()? - y))))
        .filter(|&(_, d)| d <= within_m)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

/// The route of a run: on a background map when the server names a tile source and the
/// browser is online (Leaflet), otherwise on a canvas without tiles. Either way the raw track
/// lies thin and grey beneath the GPS-repaired track, coloured by pace or heart rate (where they
/// differ, the grey shows), rejected fixes are red dots, and a marker follows the point hovered
/// on any chart; hovering the map near the route moves the charts' cursor.
#[component]
pub fn RouteMap(data: Arc<ChartData>, cursor: ChartCursor) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let tiles_box = NodeRef::<Div>::new();
    let area = RwSignal::new(None::<PlotArea>);
    let colour = RwSignal::new(MapColour::Pace);
    // "canvas" until a tiled map is up, then "tiles".
    let tiled = RwSignal::new(false);
    let has_hr = data.series("heart_rate").is_some();

    #[cfg(feature = "hydrate")]
    {
        let data = data.clone();
        Effect::new(move |_| {
            let by = colour.get();
            if let Some(canvas) = canvas.get() {
                area.set(super::draw::route_map(canvas, &data, by));
            }
        });
    }
    #[cfg(feature = "hydrate")]
    tiled_map(data.clone(), cursor, colour, tiled, tiles_box);

    let stored = StoredValue::new(data.clone());
    let marker = Memo::new(move |_| -> Option<(usize, String, String)> {
        let i = cursor.hover.get()?;
        let (x, y) = stored.with_value(|d| {
            let route = d.route.as_ref()?;
            Some((
                route.x_m.get(i).copied().flatten()?,
                route.y_m.get(i).copied().flatten()?,
            ))
        })?;
        let a = area.get()?;
        let left = a.px_of_x(x) / f64::from(MAP_SIZE.0) * 100.0;
        let top = a.px_of_y(y) / f64::from(MAP_SIZE.1) * 100.0;
        Some((i, format!("{left:.3}%"), format!("{top:.3}%")))
    });
    let rejected = data.route.as_ref().map_or(0, |r| r.rejected.len());
    let start = data
        .route
        .as_ref()
        .and_then(ends_deg)
        .map(|((lat, lon), _)| format!("{lat:.6},{lon:.6}"));

    view! {
        <figure
            class="route-map"
            data-start=start
            data-colour=move || colour.get().id()
            data-map=move || if tiled.get() { "tiles" } else { "canvas" }
            data-hover=move || cursor.hover.get().map(|i| i.to_string())
        >
            <figcaption class="route-map__caption">
                "Route, coloured by "
                <button
                    type="button"
                    class="route-map__toggle"
                    aria-pressed=move || (colour.get() == MapColour::Pace).to_string()
                    on:click=move |_| colour.set(MapColour::Pace)
                >
                    "pace"
                </button>
                {has_hr.then(|| view! {
                    <button
                        type="button"
                        class="route-map__toggle"
                        aria-pressed=move || (colour.get() == MapColour::HeartRate).to_string()
                        on:click=move |_| colour.set(MapColour::HeartRate)
                    >
                        "heart rate"
                    </button>
                })}
                <span class="route-map__legend">
                    " · blue slow/low, red fast/high; grey: the track as recorded"
                    {(rejected > 0).then(|| format!("; red dots: {rejected} fixes removed as jumps"))}
                    {move || tiled.get().then_some("; green: start, black: finish")}
                </span>
            </figcaption>
            <div
                class="route-map__tiles"
                class:route-map__tiles--shown=move || tiled.get()
                node_ref=tiles_box
                role="region"
                aria-label="Route on a map"
            ></div>
            <div class="route-map__plot" class:route-map__plot--hidden=move || tiled.get()>
                <canvas node_ref=canvas width=MAP_SIZE.0 height=MAP_SIZE.1 aria-label="Route map"></canvas>
                <div
                    class="route-map__marker"
                    hidden=move || marker.get().is_none()
                    data-index=move || marker.get().map(|m| m.0.to_string())
                    style:left=move || marker.get().map(|m| m.1)
                    style:top=move || marker.get().map(|m| m.2)
                ></div>
            </div>
        </figure>
    }
}

/// Puts the route on a background map when the page names a tile source, the browser is
/// online and Leaflet loads; sets `tiled` once it is shown. Otherwise leaves the canvas.
#[cfg(feature = "hydrate")]
fn tiled_map(
    data: Arc<ChartData>,
    cursor: ChartCursor,
    colour: RwSignal<MapColour>,
    tiled: RwSignal<bool>,
    tiles_box: NodeRef<Div>,
) {
    use crate::browser::leaflet;

    let Some(route) = data.route.clone().filter(|r| r.origin_deg.is_some()) else {
        return;
    };
    let Some(tiles) = leaflet::tiles_of_page() else {
        return;
    };
    if !leaflet::online() {
        return;
    }
    let map = StoredValue::new_local(None::<leaflet::RouteMap>);
    let route = Arc::new(route);
    // The loading task and the effects it makes belong to the map's component: leaving the page
    // before Leaflet has loaded cancels the task, and never touches the page's disposed signals.
    let owner = Owner::current();
    Effect::new(move |started: Option<bool>| {
        if started == Some(true) {
            return true;
        }
        let Some(element) = tiles_box.get() else {
            return false;
        };
        let (data, route, tiles) = (data.clone(), route.clone(), tiles.clone());
        let Some(owner) = owner.clone() else {
            return false;
        };
        owner.with(|| {
            leptos::task::spawn_local_scoped_with_cancellation(async move {
                if let Err(e) = leaflet::load().await {
                    leptos::logging::warn!("{e}; the route is drawn without a map");
                    return;
                }
                let Some(bounds) = bounds_deg(&route) else {
                    return;
                };
                // Leaflet measures its box when it starts: show it first.
                tiled.set(true);
                crate::browser::timer::yield_now().await;
                // Within about 2 % of the route's size (30 m at least) of a point counts as on it.
                let (sw, ne) = bounds;
                let span_m = analysis::series::geo::equirectangular_m(sw.0, sw.1, ne.0, ne.1);
                let within_m = (span_m * 0.02).max(30.0);
                let hover_route = route.clone();
                let on_hover = move |at: Option<(f64, f64)>| {
                    cursor
                        .hover
                        .set(at.and_then(|at| nearest_point(&hover_route, at, within_m)));
                };
                let shown = match leaflet::RouteMap::new(&element, &tiles, bounds, on_hover) {
                    Ok(shown) => shown,
                    Err(e) => {
                        leptos::logging::warn!("{e}; the route is drawn without a map");
                        tiled.set(false);
                        return;
                    }
                };
                let raw = raw_track_deg(&route);
                let ends = ends_deg(&route);
                let rejected: Vec<(f64, f64)> = route
                    .rejected
                    .iter()
                    .filter_map(|&(x, y)| route.lat_lon(x, y))
                    .collect();
                map.set_value(Some(shown));
                Effect::new(move |_| {
                    let by = colour.get();
                    map.with_value(|m| {
                        if let Some(m) = m {
                            m.draw(&raw, &stretches(&data, by), &rejected, ends);
                        }
                    });
                });
                let cursor_route = route.clone();
                Effect::new(move |_| {
                    let at = cursor.hover.get().and_then(|i| cursor_route.point_deg(i));
                    map.with_value(|m| {
                        if let Some(m) = m {
                            m.set_cursor(at);
                        }
                    });
                });
            })
        });
        true
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ramp_runs_blue_to_red() {
        assert_eq!(ramp(0.0), (49, 130, 189));
        assert_eq!(ramp(0.5), (253, 174, 97));
        assert_eq!(ramp(1.0), (215, 25, 28));
        assert_eq!(ramp(f64::NAN), ramp(0.0));
        assert_eq!(ramp(7.0), ramp(1.0));
    }
}
