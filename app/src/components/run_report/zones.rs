use analysis::Zones;
use leptos::prelude::*;

use crate::format;
use crate::providers::use_units;

/// What a zone set measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoneKind {
    /// Bounds in bpm.
    HeartRate,
    /// Bounds in m/s, shown as paces.
    Pace,
}

/// Time in each zone as a bar, with the bounds and how they were set.
#[component]
pub fn ZonesPanel(zones: Zones, kind: ZoneKind) -> impl IntoView {
    let units = use_units();
    let total: f64 = zones.zones.iter().map(|z| z.seconds).sum();
    let id = match kind {
        ZoneKind::HeartRate => "hr",
        ZoneKind::Pace => "pace",
    };
    let rows = zones
        .zones
        .into_iter()
        .map(|z| {
            let share = if total > 0.0 { z.seconds / total * 100.0 } else { 0.0 };
            let bounds = move || match kind {
                ZoneKind::HeartRate => match z.high {
                    Some(h) => format!("{:.0}–{:.0} bpm", z.low, h),
                    None => format!("over {:.0} bpm", z.low),
                },
                ZoneKind::Pace => {
                    let u = units.get();
                    match (z.low > 0.0, z.high) {
                        (false, Some(h)) => format!("slower than {}", format::pace(h, u)),
                        (true, Some(h)) => format!("{} – {}", format::pace(z.low, u), format::pace(h, u)),
                        (_, None) => format!("faster than {}", format::pace(z.low, u)),
                    }
                }
            };
            view! {
                <tr data-zone=z.index data-seconds=z.seconds.to_string()>
                    <th scope="row">{format!("Z{}", z.index)}</th>
                    <td class="zones__bounds">{bounds}</td>
                    <td class="zones__bar">
                        <span class=format!("zones__fill zones__fill--{}", z.index) style=format!("width: {share:.1}%")></span>
                    </td>
                    <td>{format::duration(z.seconds)}</td>
                    <td>{format!("{share:.0}%")}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="zones" data-zones=id>
            <tbody>{rows}</tbody>
        </table>
        <p class="zones__scheme">{zones.scheme}</p>
    }
}
