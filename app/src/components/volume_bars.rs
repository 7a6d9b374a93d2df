use leptos::prelude::*;

use crate::format;
use crate::models::LocalRun;
use crate::models::run_list::{Volume, monthly_volume, weekly_volume};
use crate::providers::use_units;

const WIDTH: f64 = 360.0;
const HEIGHT: f64 = 120.0;
const BARS: usize = 12;

/// Distance per week and per month (the twelve up to the newest run), as SVG bars; each bar's
/// tooltip gives its period, distance and runs.
#[component]
pub fn VolumeBars(#[prop(into)] runs: Signal<Vec<LocalRun>>) -> impl IntoView {
    let weeks = Memo::new(move |_| runs.with(|r| weekly_volume(r, BARS)));
    let months = Memo::new(move |_| runs.with(|r| monthly_volume(r, BARS)));
    view! {
        <section class="volume" aria-label="Volume">
            <Bars title="Weekly distance" period="Week of" bars=weeks />
            <Bars title="Monthly distance" period="Month of" bars=months />
        </section>
    }
}

#[component]
fn Bars(title: &'static str, period: &'static str, bars: Memo<Vec<Volume>>) -> impl IntoView {
    let units = use_units();
    let id = title.to_lowercase().replace(' ', "-");
    view! {
        <figure class="volume__chart" data-chart=id.clone()>
            <figcaption>{title}</figcaption>
            <svg
                class="volume__svg"
                viewBox=format!("0 0 {WIDTH} {}", HEIGHT + 16.0)
                role="img"
                aria-label=title
            >
                {move || {
                    let bars = bars.get();
                    let max = bars.iter().map(|b| b.meters).fold(0.0, f64::max);
                    let slot = WIDTH / bars.len().max(1) as f64;
                    bars.into_iter()
                        .enumerate()
                        .map(|(i, b)| {
                            let h = if max > 0.0 { b.meters / max * HEIGHT } else { 0.0 };
                            let runs = if b.runs == 1 { "1 run".to_owned() } else { format!("{} runs", b.runs) };
                            let tip = format!("{period} {}: {}, {runs}", b.start, format::distance(b.meters, units.get()));
                            let label = b.start.get(5..).unwrap_or_default().to_owned();
                            view! {
                                <g class="volume__bar" data-start=b.start.clone() data-meters=b.meters data-runs=b.runs>
                                    <title>{tip}</title>
                                    // The whole slot answers the hover, even over an empty week.
                                    <rect class="volume__hit" x=i as f64 * slot y=0 width=slot height=HEIGHT></rect>
                                    <rect
                                        class="volume__fill"
                                        x=i as f64 * slot + slot * 0.15
                                        y=HEIGHT - h
                                        width=slot * 0.7
                                        height=h
                                    ></rect>
                                    <text class="volume__label" x=i as f64 * slot + slot / 2.0 y=HEIGHT + 12.0>
                                        {label}
                                    </text>
                                </g>
                            }
                        })
                        .collect_view()
                }}
            </svg>
        </figure>
    }
}
