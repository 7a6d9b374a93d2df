use leptos::html::Canvas;
use leptos::prelude::*;

use super::CHART_WIDTH;
use crate::models::LiveHistory;
use crate::providers::use_units;

/// Canvas height of the live chart (two panels).
pub const LIVE_HEIGHT: u32 = 260;
/// Heart rate's colour, as on the run page.
pub const HEART_RATE_RGB: (u8, u8, u8) = (220, 38, 38);
/// Speed's colour.
pub const SPEED_RGB: (u8, u8, u8) = (37, 99, 235);

/// The last ten minutes of heart rate (top) and speed (bottom), redrawn each second. The figure
/// carries `data-samples` and the newest values (`data-heart-rate`, `data-speed-mps`).
#[component]
pub fn LiveChart(history: RwSignal<LiveHistory>) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let units = use_units();

    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let units = units.get();
        if let Some(canvas) = canvas.get() {
            history.with(|h| super::draw::live_chart(canvas, h, units));
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = units;

    let last = move |f: fn(&crate::models::watch::LiveSample) -> Option<f64>| {
        history.with(|h| h.last().and_then(f).map(|v| v.to_string()))
    };
    let (hr, speed) = (HEART_RATE_RGB, SPEED_RGB);
    view! {
        <figure
            class="chart live-chart"
            data-chart="live"
            data-samples=move || history.with(LiveHistory::len)
            data-heart-rate=move || last(|s| s.heart_rate)
            data-speed-mps=move || last(|s| s.speed_mps)
        >
            <figcaption class="chart__title">
                <span class="chart__swatch" style=format!("background: rgb({},{},{})", hr.0, hr.1, hr.2)></span>
                "Heart rate "
                <span class="chart__swatch" style=format!("background: rgb({},{},{})", speed.0, speed.1, speed.2)></span>
                "Speed, the last 10 minutes"
            </figcaption>
            <canvas
                node_ref=canvas
                class="chart__canvas"
                width=CHART_WIDTH
                height=LIVE_HEIGHT
                role="img"
                aria-label="Heart rate and speed over the last ten minutes"
            ></canvas>
        </figure>
    }
}
