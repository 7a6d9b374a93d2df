use std::sync::Arc;

use analysis::ChartData;
use leptos::html::Canvas;
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

/// The route on a canvas, without map tiles: the raw track thin and grey, the GPS-repaired track
/// over it coloured by pace or heart rate (where they differ, the grey shows), rejected fixes as
/// red dots, and a marker at the point hovered on any chart.
#[component]
pub fn RouteMap(data: Arc<ChartData>, cursor: ChartCursor) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let area = RwSignal::new(None::<PlotArea>);
    let colour = RwSignal::new(MapColour::Pace);
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

    view! {
        <figure class="route-map" data-colour=move || colour.get().id()>
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
                </span>
            </figcaption>
            <div class="route-map__plot">
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
