use std::sync::Arc;

use analysis::models::PmcPoint;
use leptos::html::Canvas;
use leptos::prelude::*;

use super::{CHART_WIDTH, PlotArea};

/// Canvas height of the fitness chart.
pub const PMC_HEIGHT: u32 = 260;

/// `YYYY-MM-DD` of a day number (days since 1970-01-01).
pub fn day_text(day: i32) -> String {
    analysis::time::date_text(i64::from(day))
}

/// Fitness (CTL), fatigue (ATL) and form (TSB) day by day, with a hover readout of the day under
/// the pointer (`data-day`, and each value as `data-ctl`/`data-atl`/`data-tsb`).
#[component]
pub fn PmcChart(points: Arc<Vec<PmcPoint>>) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let area = RwSignal::new(None::<PlotArea>);
    let hover = RwSignal::new(None::<usize>);
    let stored = StoredValue::new(points.clone());

    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(canvas) = canvas.get() {
            area.set(stored.with_value(|p| super::draw::pmc_chart(canvas, p)));
        }
    });

    let on_move = move |ev: leptos::ev::MouseEvent| {
        let Some(x) = area.get_untracked().and_then(|a| a.x_under(&ev)) else {
            return;
        };
        let day = x.round() as i32;
        hover.set(stored.with_value(|p| {
            let first = p.first()?.day;
            usize::try_from(day - first).ok().filter(|&i| i < p.len())
        }));
    };
    let point = move || {
        hover
            .get()
            .and_then(|i| stored.with_value(|p| p.get(i).copied()))
    };
    let cursor_left = move || {
        let (p, a) = (point()?, area.get()?);
        Some(format!(
            "{:.3}%",
            a.px_of_x(f64::from(p.day)) / f64::from(CHART_WIDTH) * 100.0
        ))
    };
    view! {
        <figure class="chart pmc-chart" data-chart="pmc">
            <figcaption class="chart__title">
                <span class="chart__swatch" style="background: rgb(37,99,235)"></span>"Fitness (CTL) "
                <span class="chart__swatch" style="background: rgb(219,39,119)"></span>"Fatigue (ATL) "
                <span class="chart__swatch" style="background: rgb(22,163,74)"></span>"Form (TSB)"
                <span
                    class="chart__readout pmc-chart__readout"
                    data-day=move || point().map(|p| day_text(p.day))
                    data-ctl=move || point().map(|p| p.ctl.to_string())
                    data-atl=move || point().map(|p| p.atl.to_string())
                    data-tsb=move || point().map(|p| p.tsb.to_string())
                >
                    {move || point().map(|p| format!(
                        "{}: CTL {:.1}, ATL {:.1}, TSB {:+.1}, load {:.0}",
                        day_text(p.day), p.ctl, p.atl, p.tsb, p.load
                    ))}
                </span>
            </figcaption>
            <div class="chart__plot">
                <canvas
                    node_ref=canvas
                    width=CHART_WIDTH
                    height=PMC_HEIGHT
                    aria-label="Fitness, fatigue and form"
                    on:mousemove=on_move
                    on:mouseleave=move |_| hover.set(None)
                ></canvas>
                <div class="chart__cursor" hidden=move || cursor_left().is_none() style:left=cursor_left></div>
            </div>
        </figure>
    }
}
