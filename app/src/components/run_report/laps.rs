use analysis::LapStats;
use leptos::prelude::*;

use crate::format;
use crate::providers::use_units;

/// The device's laps: its own figures beside Stride's from the records of each lap.
#[component]
pub fn LapsTable(laps: Vec<LapStats>) -> impl IntoView {
    let units = use_units();
    let dash = || "–".to_owned();
    view! {
        <table class="laps-table">
            <thead>
                <tr>
                    <th scope="col">"Lap"</th>
                    <th scope="col">"Distance"</th>
                    <th scope="col">"Time"</th>
                    <th scope="col">"Pace"</th>
                    <th scope="col">"Avg HR"</th>
                    <th scope="col">"Device: distance / time"</th>
                </tr>
            </thead>
            <tbody>
                {laps
                    .into_iter()
                    .map(|lap| {
                        let c = lap.computed.clone();
                        let d = lap.device.clone();
                        view! {
                            <tr data-lap=lap.index data-distance=c.distance_m.to_string() data-timer=c.timer_s.to_string()>
                                <td>{lap.index + 1}</td>
                                <td>{move || format::distance(c.distance_m, units.get())}</td>
                                <td>{format::duration(c.timer_s)}</td>
                                <td>{move || c.avg_speed_mps.map(|v| format::pace(v, units.get())).unwrap_or_else(dash)}</td>
                                <td>{c.avg_hr.map(|v| format!("{v:.0}")).unwrap_or_else(dash)}</td>
                                <td>
                                    {move || d.distance_m.map(|m| format::distance(m, units.get())).unwrap_or_else(dash)}
                                    " / "
                                    {d.timer_s.map(format::duration).unwrap_or_else(dash)}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
