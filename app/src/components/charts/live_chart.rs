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
            history.with(|h| draw::live_chart(canvas, h, units));
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

#[cfg(feature = "hydrate")]
mod draw {
    use plotters::prelude::*;
    use plotters_canvas::CanvasBackend;
    use web_sys::HtmlCanvasElement;

    use super::{HEART_RATE_RGB, SPEED_RGB};
    use crate::format::{self, UnitSystem};
    use crate::models::LiveHistory;
    use crate::models::watch::{LIVE_WINDOW_S, LiveSample};

    const GRID: RGBColor = RGBColor(229, 231, 235);
    const AXIS_TEXT: RGBColor = RGBColor(75, 85, 99);

    /// Draws both panels (blank ones before any value); `None` without a 2D context.
    pub fn live_chart(canvas: HtmlCanvasElement, h: &LiveHistory, units: UnitSystem) -> Option<()> {
        let root = CanvasBackend::with_canvas_object(canvas)?.into_drawing_area();
        root.fill(&WHITE).ok()?;
        let (top, bottom) = root.split_vertically(root.dim_in_pixel().1 / 2);
        let now = h.last().map_or(0.0, |s| s.time);
        // Speed in km/h or mph.
        let per_hour = 3_600.0 / units.meters_per_unit();
        let speed_unit = if units.distance_unit() == "mi" {
            "mph"
        } else {
            "km/h"
        };
        panel(
            &top,
            h,
            now,
            |s| s.heart_rate,
            1.0,
            HEART_RATE_RGB,
            "bpm",
            10.0,
        )?;
        panel(
            &bottom,
            h,
            now,
            |s| s.speed_mps,
            per_hour,
            SPEED_RGB,
            speed_unit,
            1.0,
        )?;
        root.present().ok()
    }

    #[allow(clippy::too_many_arguments)]
    fn panel(
        area: &DrawingArea<CanvasBackend, plotters::coord::Shift>,
        h: &LiveHistory,
        now: f64,
        channel: fn(&LiveSample) -> Option<f64>,
        scale: f64,
        (r, g, b): (u8, u8, u8),
        unit: &str,
        min_span: f64,
    ) -> Option<()> {
        let (lo, hi) = h
            .extent(channel)
            .map_or((0.0, min_span), |(lo, hi)| (lo * scale, hi * scale));
        let pad = ((hi - lo) * 0.1).max(min_span / 2.0);
        let (y0, y1) = ((lo - pad).max(0.0), hi + pad);
        let mut chart = ChartBuilder::on(area)
            .margin_top(8)
            .margin_right(12)
            .x_label_area_size(22)
            .y_label_area_size(64)
            .build_cartesian_2d(-LIVE_WINDOW_S..0.0, y0..y1)
            .ok()?;
        let x_label = |x: &f64| format!("−{}", format::duration(-x));
        let y_label = |y: &f64| format!("{y:.0} {unit}");
        chart
            .configure_mesh()
            .light_line_style(WHITE)
            .bold_line_style(GRID)
            .axis_style(GRID)
            .label_style(("sans-serif", 13).into_font().color(&AXIS_TEXT))
            .x_labels(6)
            .y_labels(3)
            .x_label_formatter(&x_label)
            .y_label_formatter(&y_label)
            .draw()
            .ok()?;
        let style = RGBColor(r, g, b).stroke_width(2);
        // One line per stretch of values; a second without one is a gap.
        let mut stretch: Vec<(f64, f64)> = Vec::new();
        for s in h.samples() {
            match channel(s) {
                Some(v) if v.is_finite() => stretch.push((s.time - now, v * scale)),
                _ if !stretch.is_empty() => {
                    chart
                        .draw_series(LineSeries::new(stretch.drain(..), style))
                        .ok()?;
                }
                _ => {}
            }
        }
        if !stretch.is_empty() {
            chart.draw_series(LineSeries::new(stretch, style)).ok()?;
        }
        Some(())
    }
}
