use analysis::quality::heart_rate::HrVerdict;
use analysis::{GpsQuality, HrQuality};
use leptos::prelude::*;

use crate::format;
use crate::providers::use_units;

/// Whether to trust this run's figures: the GPS score (0–100) with the reasons it lost points,
/// and the heart-rate verdict with the stretches flagged, each in a sentence.
#[component]
pub fn DataQualityPanel(
    gps: Option<GpsQuality>,
    hr: Option<HrQuality>,
    warnings: Vec<String>,
) -> impl IntoView {
    let units = use_units();
    let gps_view = gps.map(|q| {
        let verdict = match q.score {
            s if s >= 90.0 => "clean",
            s if s >= 70.0 => "usable, with repairs",
            s if s >= 40.0 => "poor: distance and pace may be off",
            _ => "unusable for distance and pace",
        };
        let (cleaned, raw) = (q.distance_m, q.raw_distance_m);
        view! {
            <div class="quality__item" data-quality="gps" data-value=q.score.to_string()>
                <h3>{format!("GPS: {:.0}/100, {verdict}", q.score)}</h3>
                <p class="quality__how">
                    "The score starts at 100 and loses points for jumps removed, gaps without a fix, "
                    "sparse fixes and jitter. The repaired track (jumps removed, smoothed) measures "
                    {move || format::distance(cleaned, units.get())}
                    "; the fixes as recorded "
                    {move || format::distance(raw, units.get())}
                    "."
                </p>
                <ul>
                    {q.reasons.into_iter().map(|r| view! {
                        <li data-reason=r.issue.code()>{r.message}{format!(" (−{:.0})", r.penalty)}</li>
                    }).collect_view()}
                </ul>
            </div>
        }
    });
    let hr_view = hr.map(|q| {
        let (code, verdict) = match q.verdict {
            HrVerdict::Ok => ("ok", "Heart rate: looks right"),
            HrVerdict::Suspect => (
                "suspect",
                "Heart rate: suspect; TRIMP, zones and decoupling from it may be wrong",
            ),
        };
        view! {
            <div class="quality__item" data-quality="heart_rate" data-value=code>
                <h3>{verdict}</h3>
                <p class="quality__how">
                    "Checked for drop-outs, jumps no heart can make, values outside 30–230 bpm, and "
                    "cadence lock (an optical sensor reading the step rate instead of the pulse)."
                </p>
                <ul>
                    {q.flags.into_iter().take(20).map(|f| view! { <li>{f.message}</li> }).collect_view()}
                </ul>
            </div>
        }
    });
    let no_data = gps_view.is_none() && hr_view.is_none() && warnings.is_empty();
    view! {
        <div class="quality">
            {gps_view}
            {hr_view}
            {(!warnings.is_empty()).then(|| view! {
                <div class="quality__item" data-quality="warnings">
                    <h3>"Notes"</h3>
                    <ul>{warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
                </div>
            })}
            {no_data.then(|| view! { <p>"No GPS and no heart rate to check."</p> })}
        </div>
    }
}
