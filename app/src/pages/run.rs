use analysis::RunReport;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::components::{Display, MetricTile};
use crate::format::{self, UnitSystem};
use crate::models::LocalRun;
use crate::providers::use_units;

/// The summary tiles of the run page: metric id, label and how it reads.
pub const TILES: &[(&str, &str, Display)] = &[
    ("distance_m", "Distance", Display::Distance),
    ("timer_s", "Timer time", Display::Duration),
    ("elapsed_s", "Elapsed time", Display::Duration),
    ("moving_s", "Moving time", Display::Duration),
    ("avg_speed_mps", "Average pace", Display::Pace),
    ("avg_hr", "Average HR", Display::Whole("bpm")),
    ("max_hr", "Max HR", Display::Whole("bpm")),
    ("avg_cadence_spm", "Average cadence", Display::Whole("spm")),
    ("ascent_m", "Ascent", Display::Elevation),
    ("descent_m", "Descent", Display::Elevation),
    ("trimp", "Load (TRIMP)", Display::Whole("")),
    ("calories_kcal", "Calories", Display::Whole("kcal")),
];

/// What the page shows while it reads the library and analyses the original.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))] // Only the browser reads the library.
enum Loaded {
    Waiting,
    Missing,
    Failed(String),
    Ready(Box<LocalRun>, Box<RunReport>),
}

/// `/runs/<id>`: one run of the library. The report is recomputed in the analysis worker from the
/// stored original, so it never depends on how an older version stored its summary.
#[component]
pub fn RunPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let loaded = RwSignal::new(Loaded::Waiting);

    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let id = id();
        loaded.set(Loaded::Waiting);
        leptos::task::spawn_local(async move {
            loaded.set(load(&id).await);
        });
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = id;

    view! {
        <Title text="Run" />
        <p class="run-page__back"><a href="/runs">"← All runs"</a></p>
        {move || match loaded.get() {
            Loaded::Waiting => view! {
                <header class="page-header">
                    <h1 class="page-header__title">"Run"</h1>
                    <p class="page-header__lead" role="status">"Analysing on this device…"</p>
                </header>
            }
            .into_any(),
            Loaded::Missing => view! {
                <header class="page-header">
                    <h1 class="page-header__title">"Run not found"</h1>
                    <p class="page-header__lead">"This device's library has no such run."</p>
                </header>
            }
            .into_any(),
            Loaded::Failed(reason) => view! {
                <header class="page-header">
                    <h1 class="page-header__title">"Run"</h1>
                    <p class="page-header__lead" role="alert">{reason}</p>
                </header>
            }
            .into_any(),
            Loaded::Ready(run, report) => view! { <RunView run=*run report=*report /> }.into_any(),
        }}
    }
}

#[cfg(feature = "hydrate")]
async fn load(id: &str) -> Loaded {
    use crate::browser::library;
    let run = match library::run(id).await {
        Ok(Some(run)) => run,
        Ok(None) => return Loaded::Missing,
        Err(e) => return Loaded::Failed(e.to_string()),
    };
    let original = match library::original(id).await {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Loaded::Missing,
        Err(e) => return Loaded::Failed(e.to_string()),
    };
    let report = match crate::browser::analyzer() {
        Ok(analyzer) => analyzer.report(original).await,
        Err(e) => Err(e),
    };
    match report {
        Ok(report) => Loaded::Ready(Box::new(run), Box::new(report)),
        Err(reason) => Loaded::Failed(reason),
    }
}

/// The analysed run: title, tiles, splits, best efforts.
#[component]
fn RunView(run: LocalRun, report: RunReport) -> impl IntoView {
    let units = use_units();
    let title = format!("{} · {}", run.date(), run.sport());
    let tiles = TILES
        .iter()
        .filter_map(|&(id, label, display)| {
            let value = report.metrics.get(id)?;
            Some(view! { <MetricTile id label value display /> })
        })
        .collect_view();
    let RunReport {
        splits_km,
        splits_mile,
        best_efforts,
        ..
    } = report;
    let no_efforts = best_efforts.is_empty();
    view! {
        <header class="page-header">
            <h1 class="page-header__title">{title}</h1>
            <p class="page-header__lead">{run.name.clone()}</p>
        </header>
        <section class="metric-tiles" aria-label="Summary">{tiles}</section>
        <section class="run-section">
            <h2>"Splits"</h2>
            {move || {
                let units_now = units.get();
                let splits = match units_now {
                    UnitSystem::Metric => splits_km.clone(),
                    UnitSystem::Imperial => splits_mile.clone(),
                };
                view! {
                    <table class="splits-table" data-unit=units_now.distance_unit()>
                        <thead>
                            <tr>
                                <th scope="col">{units_now.distance_unit()}</th>
                                <th scope="col">"Distance"</th>
                                <th scope="col">"Time"</th>
                                <th scope="col">"Pace"</th>
                                <th scope="col">"Avg HR"</th>
                                <th scope="col">"Ascent"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {splits
                                .into_iter()
                                .map(|split| {
                                    let s = split.stats;
                                    view! {
                                        <tr>
                                            <td>{split.index + 1}</td>
                                            <td>{format::distance(s.distance_m, units_now)}</td>
                                            <td>{format::duration(s.timer_s)}</td>
                                            <td>
                                                {s.avg_speed_mps.map(|v| format::pace(v, units_now)).unwrap_or_else(dash)}
                                            </td>
                                            <td>{s.avg_hr.map(|hr| format!("{hr:.0}")).unwrap_or_else(dash)}</td>
                                            <td>
                                                {s.ascent_m.map(|m| format::elevation(m, units_now)).unwrap_or_else(dash)}
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }
            }}
        </section>
        <section class="run-section">
            <h2>"Best efforts"</h2>
            <Show when=move || no_efforts>
                <p>"None: the run is shorter than 400 m."</p>
            </Show>
            <table class="best-efforts-table" hidden=no_efforts>
                <thead>
                    <tr>
                        <th scope="col">"Distance"</th>
                        <th scope="col">"Time"</th>
                        <th scope="col">"Pace"</th>
                    </tr>
                </thead>
                <tbody>
                    {best_efforts
                        .into_iter()
                        .map(|effort| {
                            let speed = effort.distance_m / effort.time_s;
                            view! {
                                <tr data-metric=effort.id.clone() data-value=effort.time_s.to_string()>
                                    <td>{effort.label.clone()}</td>
                                    <td>{format::duration(effort.time_s)}</td>
                                    <td>{move || format::pace(speed, units.get())}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </section>
    }
}

fn dash() -> String {
    "–".to_owned()
}
