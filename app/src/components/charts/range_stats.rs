use std::sync::Arc;

use analysis::ChartData;
use analysis::chart::RangeStats;
use leptos::prelude::*;

use super::ChartCursor;
use crate::format;
use crate::providers::use_units;

/// The figures of the range selected by dragging across a chart: distance, time, pace, GAP,
/// heart rate, cadence, power, climb. Each figure carries `data-stat` and its SI `data-value`.
#[component]
pub fn RangeStatsPanel(data: Arc<ChartData>, cursor: ChartCursor) -> impl IntoView {
    let units = use_units();
    let stats = move || -> Option<RangeStats> {
        let (a, b) = cursor.selection.get()?;
        data.range_stats(a, b)
    };
    view! {
        <section class="range-stats" aria-live="polite">
            {move || match stats() {
                None => view! {
                    <p class="range-stats__hint">"Drag across a chart to see the figures of a stretch."</p>
                }
                .into_any(),
                Some(s) => {
                    let u = units.get();
                    let rows: Vec<(&str, &str, Option<f64>, String)> = vec![
                        ("distance_m", "Distance", Some(s.distance_m), format::distance(s.distance_m, u)),
                        ("timer_s", "Time", Some(s.timer_s), format::duration(s.timer_s)),
                        ("avg_speed_mps", "Pace", s.avg_speed_mps, s.avg_speed_mps.map(|v| format::pace(v, u)).unwrap_or_default()),
                        ("avg_gap_speed_mps", "GAP", s.avg_gap_speed_mps, s.avg_gap_speed_mps.map(|v| format::pace(v, u)).unwrap_or_default()),
                        ("avg_hr", "Avg HR", s.avg_hr, s.avg_hr.map(|v| format!("{v:.0} bpm")).unwrap_or_default()),
                        ("avg_cadence_spm", "Cadence", s.avg_cadence_spm, s.avg_cadence_spm.map(|v| format!("{v:.0} spm")).unwrap_or_default()),
                        ("avg_power_w", "Power", s.avg_power_w, s.avg_power_w.map(|v| format!("{v:.0} W")).unwrap_or_default()),
                        ("ascent_m", "Climb", s.ascent_m, s.ascent_m.map(|v| format::elevation(v, u)).unwrap_or_default()),
                    ];
                    view! {
                        <h3 class="range-stats__title">"Selection"</h3>
                        <dl class="range-stats__list">
                            {rows
                                .into_iter()
                                .filter_map(|(id, label, value, text)| {
                                    let value = value?;
                                    Some(view! {
                                        <div class="range-stats__item" data-stat=id data-value=value.to_string()>
                                            <dt>{label}</dt>
                                            <dd>{text}</dd>
                                        </div>
                                    })
                                })
                                .collect_view()}
                        </dl>
                        <button type="button" class="range-stats__clear" on:click=move |_| cursor.selection.set(None)>
                            "Clear selection"
                        </button>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}
