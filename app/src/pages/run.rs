use std::sync::Arc;

use analysis::chart::Axis;
use analysis::{ChartData, RunReport};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::components::charts::{ChartCursor, ChartKind, LineChart, RangeStatsPanel, RouteMap};
use crate::components::run_report::zones::ZoneKind;
use crate::components::run_report::{DataQualityPanel, LapsTable, ZonesPanel};
use crate::components::{Display, MetricTile, RunSharing};
use crate::format::{self, UnitSystem};
use crate::models::LocalRun;
use crate::providers::use_units;

/// The summary tiles of the run page: metric id and how it reads. The label is the metric
/// registry's ([`tile_label`]), so that a tile, the command line and the API name a figure
/// alike.
pub const TILES: &[(&str, Display)] = &[
    ("distance_m", Display::Distance),
    ("timer_s", Display::Duration),
    ("elapsed_s", Display::Duration),
    ("moving_s", Display::Duration),
    ("avg_speed_mps", Display::Pace),
    ("avg_hr", Display::Whole("bpm")),
    ("max_hr", Display::Whole("bpm")),
    ("avg_cadence_spm", Display::Whole("spm")),
    ("ascent_m", Display::Elevation),
    ("descent_m", Display::Elevation),
    ("trimp", Display::Whole("")),
    ("calories_kcal", Display::Whole("kcal")),
];

/// Grade-adjusted and normalised pace, and what the run cost.
pub const EFFORT_TILES: &[(&str, Display)] = &[
    ("avg_gap_speed_mps", Display::Pace),
    ("ngp_speed_mps", Display::Pace),
    ("hrtss", Display::Whole("")),
    ("rtss", Display::Whole("")),
    ("efficiency_factor", Display::Scaled(1.0, 3, "")),
    ("aerobic_decoupling_pct", Display::Scaled(1.0, 1, "%")),
    ("avg_power_w", Display::Whole("W")),
    ("max_power_w", Display::Whole("W")),
];

/// Running dynamics, when the watch or a pod measured them.
pub const DYNAMICS_TILES: &[(&str, Display)] = &[
    ("avg_stance_time_s", Display::Scaled(1000.0, 0, "ms")),
    (
        "avg_vertical_oscillation_m",
        Display::Scaled(100.0, 1, "cm"),
    ),
    ("avg_vertical_ratio_pct", Display::Scaled(1.0, 1, "%")),
    ("avg_step_length_m", Display::Scaled(1.0, 2, "m")),
    ("avg_stance_balance_left_pct", Display::Scaled(1.0, 1, "%")),
];

/// What the page shows while it reads the library and analyses the original.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))] // Only the browser reads the library.
enum Loaded {
    Waiting,
    Missing,
    /// The run is another original of this run now (a richer file of the same activity came
    /// later): the page moves there.
    Moved(String),
    /// The run could not be shown: the run when the library has it (to offer its original),
    /// and why in words.
    Failed(Option<Box<LocalRun>>, String),
    Ready(
        Box<LocalRun>,
        Box<RunReport>,
        Option<Arc<ChartData>>,
        RunRecords,
    ),
}

/// The distances over which a run set a personal record when it was run (metric ids), and
/// those over which it still holds it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunRecords {
    /// A record on the day.
    pub set: Vec<&'static str>,
    /// Still the record.
    pub held: Vec<&'static str>,
}

impl RunRecords {
    /// The records run `id` set among `runs` (the whole library).
    pub fn of(runs: &[LocalRun], id: &str) -> Self {
        let all = crate::models::records::records(runs);
        let set = crate::models::records::records_set_by(&all, id);
        Self {
            held: set
                .iter()
                .filter(|r| r.best().is_some_and(|b| b.run_id == id))
                .map(|r| r.id)
                .collect(),
            set: set.iter().map(|r| r.id).collect(),
        }
    }
}

/// `/runs/<id>`: one run of the library. The report is recomputed in the analysis worker from the
/// stored original, so it never depends on how an older version stored its summary.
#[component]
pub fn RunPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let loaded = RwSignal::new(Loaded::Waiting);

    // Recomputed when the run or the runner's settings change.
    #[cfg(feature = "hydrate")]
    {
        let athlete = crate::providers::use_athlete();
        let navigate = leptos_router::hooks::use_navigate();
        Effect::new(move |_| {
            let id = id();
            let athlete = athlete.get();
            let navigate = navigate.clone();
            leptos::task::spawn_local(async move {
                let result = load(&id, &athlete).await;
                if let Loaded::Moved(to) = &result {
                    let options = leptos_router::NavigateOptions {
                        replace: true,
                        ..Default::default()
                    };
                    navigate(&format!("/runs/{to}"), options);
                }
                loaded.set(result);
            });
        });
    }
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
            Loaded::Moved(_) => view! {
                <header class="page-header">
                    <h1 class="page-header__title">"Run"</h1>
                    <p class="page-header__lead" role="status">
                        "This file is now another original of a run: opening it…"
                    </p>
                </header>
            }
            .into_any(),
            Loaded::Failed(run, reason) => view! {
                <header class="page-header">
                    <h1 class="page-header__title">"Run"</h1>
                    <p class="page-header__lead" role="alert" data-run-error="">
                        "Stride could not show this run. "
                        {reason}
                    </p>
                </header>
                {run.map(|run| view! {
                    <section class="run-section">
                        <p>
                            "The original file is kept on this device as it was imported; nothing of it was changed or lost."
                        </p>
                        <Originals run=*run />
                    </section>
                })}
            }
            .into_any(),
            Loaded::Ready(run, report, chart, records) => {
                view! { <RunView run=*run report=*report chart records /> }.into_any()
            }
        }}
    }
}

#[cfg(feature = "hydrate")]
async fn load(id: &str, athlete: &analysis::Athlete) -> Loaded {
    use crate::browser::library;
    let unreadable = |e: library::LibraryError| {
        Loaded::Failed(
            None,
            format!("This device's library could not be read ({e})."),
        )
    };
    let run = match library::run(id).await {
        Ok(Some(run)) => run,
        Ok(None) => {
            return match library::run_holding(id).await {
                Ok(Some(run)) => Loaded::Moved(run.id),
                Ok(None) => Loaded::Missing,
                Err(e) => unreadable(e),
            };
        }
        Err(e) => return unreadable(e),
    };
    let original = match library::original(id).await {
        Ok(Some(bytes)) => bytes,
        Ok(None) => {
            let reason = "Its original file is missing from this device's library.".to_owned();
            return Loaded::Failed(Some(Box::new(run)), reason);
        }
        Err(e) => return unreadable(e),
    };
    let report = match crate::browser::analyzer() {
        Ok(analyzer) => analyzer.report(original, athlete).await,
        Err(e) => Err(format!("The analysis worker did not start ({e}).")),
    };
    let records = library::all_runs()
        .await
        .map(|runs| RunRecords::of(&runs, id))
        .unwrap_or_default();
    match report {
        Ok(a) => Loaded::Ready(
            Box::new(run),
            Box::new(a.report),
            a.chart.map(Arc::new),
            records,
        ),
        Err(reason) => Loaded::Failed(
            Some(Box::new(run)),
            format!("The analysis of its file says: {reason}."),
        ),
    }
}

/// The runner's name and notes for the run, kept with it in this device's library.
#[component]
fn RunDetailsForm(run: RwSignal<LocalRun>, offset: f64) -> impl IntoView {
    let name = RwSignal::new(run.with_untracked(|r| r.title.clone().unwrap_or_default()));
    let notes = RwSignal::new(run.with_untracked(|r| r.notes.clone()));
    let placeholder = run.with_untracked(|r| {
        let mut unnamed = r.clone();
        unnamed.title = None;
        unnamed.display_name(offset)
    });
    let message = RwSignal::new(None::<String>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut updated = run.get_untracked();
        let given = name.get_untracked().trim().to_owned();
        updated.title = (!given.is_empty()).then_some(given);
        updated.notes = notes.get_untracked().trim().to_owned();
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match crate::browser::library::save_run(&updated).await {
                Ok(()) => {
                    run.set(updated);
                    message.set(Some("Saved.".to_owned()));
                }
                Err(e) => message.set(Some(format!("Not saved: {e}"))),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (updated, message);
    };
    view! {
        <details class="run-details">
            <summary>"Name and notes"</summary>
            <form class="run-details__form" on:submit=on_submit>
                <label>
                    "Name"
                    <input
                        type="text"
                        maxlength="200"
                        placeholder=placeholder
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    "Notes"
                    <textarea
                        rows="4"
                        maxlength="10000"
                        prop:value=move || notes.get()
                        on:input=move |ev| notes.set(event_target_value(&ev))
                    ></textarea>
                </label>
                <p>
                    <button type="submit" class="button">"Save"</button>
                    " "
                    {move || message.get().map(|m| view! { <span role="status">{m}</span> })}
                </p>
            </form>
        </details>
    }
}

/// The run's original files, the analysed one first, each offered as a download.
#[component]
fn Originals(run: LocalRun) -> impl IntoView {
    let mut files = vec![(
        run.id.clone(),
        run.name.clone(),
        run.summary.format.clone(),
        run.size,
    )];
    files.extend(
        run.others
            .iter()
            .map(|o| (o.sha256.clone(), o.name.clone(), o.format.clone(), o.size)),
    );
    let error = RwSignal::new(None::<String>);
    let several = files.len() > 1;
    view! {
        <h2>{if several { "Original files" } else { "Original file" }}</h2>
        {several.then(|| view! {
            <p class="run-section__note">
                "The same activity came in several files; the richest (FIT, then TCX, then GPX) is the one analysed."
            </p>
        })}
        <ul class="run-originals" aria-label="Original files">
            {files
                .into_iter()
                .enumerate()
                .map(|(i, (sha, name, format, size))| {
                    let label = format!("Download {name}");
                    let download = {
                        let name = name.clone();
                        move |_| {
                            #[cfg(feature = "hydrate")]
                            {
                                let (sha, name) = (sha.clone(), name.clone());
                                leptos::task::spawn_local(async move {
                                    let saved = match crate::browser::library::original(&sha).await {
                                        Ok(Some(bytes)) => crate::browser::file::save_as(&bytes, &name),
                                        Ok(None) => Err("it is no longer in the library".to_owned()),
                                        Err(e) => Err(e.to_string()),
                                    };
                                    error.set(saved.err().map(|e| format!("{name} could not be saved: {e}")));
                                });
                            }
                            #[cfg(not(feature = "hydrate"))]
                            let _ = (&sha, &name, error);
                        }
                    };
                    view! {
                        <li class="run-originals__file" data-format=format.clone()>
                            <span>{name}</span>
                            " · "
                            {format.to_uppercase()}
                            " · "
                            {format::size(size)}
                            {(i == 0).then_some(" · analysed")}
                            " "
                            <button type="button" class="button button--small" aria-label=label on:click=download>
                                "Download"
                            </button>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        {move || error.get().map(|e| view! { <p role="alert">{e}</p> })}
    }
}

/// Tiles of the metrics in `table` that the report has.
/// A tile's label: the metric registry's label of `id`, where a speed shown as a pace (`4:30
/// /km`) is called a pace ("Average speed" reads "Average pace").
pub fn tile_label(id: &str, display: Display) -> String {
    let label = analysis::metrics::find(id).map_or(id, |m| m.info().label);
    match display {
        Display::Pace => label.replace("speed", "pace"),
        _ => label.to_owned(),
    }
}

fn tiles(
    report: &RunReport,
    table: &'static [(&'static str, Display)],
    speed: format::SpeedStyle,
) -> Vec<AnyView> {
    table
        .iter()
        .filter_map(|&(id, display)| {
            let value = report.metrics.get(id)?;
            // A ride's average speed reads in km/h, a swim's per 100 m.
            let (label, display) = match display {
                Display::Pace if !speed.is_pace() => {
                    (tile_label(id, Display::Speed(speed)), Display::Speed(speed))
                }
                other => (tile_label(id, other), other),
            };
            Some(view! { <MetricTile id label value display /> }.into_any())
        })
        .collect()
}

/// The analysed run: title, tiles, charts and map, splits, laps, zones, best efforts, data
/// quality.
#[component]
fn RunView(
    run: LocalRun,
    report: RunReport,
    chart: Option<Arc<ChartData>>,
    records: RunRecords,
) -> impl IntoView {
    let units = use_units();
    let offset = run.offset_s(format::zone_offset_s);
    let when = run
        .local_start(offset)
        .map(|(d, t)| format!("{d} {t}"))
        .unwrap_or_else(|| run.date());
    let lead = format!("{when} · {} · {}", run.sport(), run.name);
    let shown = RwSignal::new(run.clone());
    let speed = format::SpeedStyle::of_sport(&run.summary.sport);
    let summary = tiles(&report, TILES, speed);
    let effort = tiles(&report, EFFORT_TILES, speed);
    let dynamics = tiles(&report, DYNAMICS_TILES, speed);
    let RunReport {
        splits_km,
        splits_mile,
        best_efforts,
        laps,
        hr_zones,
        pace_zones,
        warnings,
        gps,
        hr_quality,
        ..
    } = report;
    let no_efforts = best_efforts.is_empty();
    let cursor = ChartCursor::new();
    // The runner's last choice, once the page is live (the server renders it off).
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        cursor
            .smooth
            .set(crate::browser::storage::load_smooth_pace())
    });
    let charts = chart.map(|data| {
        let kinds: Vec<ChartKind> = ChartKind::ALL.into_iter().filter(|k| k.applies(&data)).collect();
        let has_route = data.route.is_some();
        let axis_button = move |axis: Axis, label: &'static str| {
            view! {
                <button
                    type="button"
                    class="axis-toggle__button"
                    aria-pressed=move || (cursor.axis.get() == axis).to_string()
                    on:click=move |_| {
                        cursor.selection.set(None);
                        cursor.axis.set(axis);
                    }
                >
                    {label}
                </button>
            }
        };
        view! {
            <section class="run-section run-charts" aria-label="Charts">
                <div class="axis-toggle" role="group" aria-label="x axis">
                    "x axis: " {axis_button(Axis::Distance, "distance")} {axis_button(Axis::Time, "time")}
                    <button
                        type="button"
                        class="axis-toggle__button axis-toggle__smooth"
                        aria-pressed=move || cursor.smooth.get().to_string()
                        title="Pace as the mean over 30 seconds: GPS noise and stops do not hide the trend"
                        on:click=move |_| {
                            let on = !cursor.smooth.get_untracked();
                            cursor.smooth.set(on);
                            #[cfg(feature = "hydrate")]
                            crate::browser::storage::save_smooth_pace(on);
                        }
                    >
                        "smooth pace"
                    </button>
                </div>
                <div class="run-charts__grid">
                    <div class="run-charts__charts">
                        {kinds
                            .into_iter()
                            .map(|kind| view! { <LineChart data=data.clone() kind cursor /> })
                            .collect_view()}
                    </div>
                    <div class="run-charts__side">
                        {has_route.then(|| view! { <RouteMap data=data.clone() cursor /> })}
                        <RangeStatsPanel data=data.clone() cursor />
                    </div>
                </div>
            </section>
        }
        .into_any()
    });
    view! {
        <header class="page-header">
            <h1 class="page-header__title">{move || shown.with(|r| r.display_name(offset))}</h1>
            <p class="page-header__lead" data-testid="run-when">{lead}</p>
            {move || {
                let notes = shown.with(|r| r.notes.clone());
                (!notes.is_empty()).then(|| view! { <p class="run-notes" data-testid="run-notes">{notes}</p> })
            }}
            <RunDetailsForm run=shown offset />
        </header>
        <section class="metric-tiles" aria-label="Summary">{summary}</section>
        {charts}
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
                            let badge = if records.held.contains(&effort.id.as_str()) {
                                Some(("held", "Personal record"))
                            } else if records.set.contains(&effort.id.as_str()) {
                                Some(("set", "A record when run"))
                            } else {
                                None
                            };
                            view! {
                                <tr data-metric=effort.id.clone() data-value=effort.time_s.to_string() data-record=badge.map(|b| b.0)>
                                    <td>
                                        {effort.label.clone()}
                                        {badge.map(|(_, text)| view! { <span class="best-efforts__record">{text}</span> })}
                                    </td>
                                    <td>{format::duration(effort.time_s)}</td>
                                    <td>{move || format::pace(speed, units.get())}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </section>
        {(!laps.is_empty()).then(|| view! {
            <section class="run-section">
                <h2>"Laps"</h2>
                <LapsTable laps />
            </section>
        }.into_any())}
        {(hr_zones.is_some() || pace_zones.is_some()).then(|| view! {
            <section class="run-section">
                <h2>"Time in zones"</h2>
                {hr_zones.map(|zones| view! { <h3>"Heart rate"</h3> <ZonesPanel zones kind=ZoneKind::HeartRate /> })}
                {pace_zones.map(|zones| view! { <h3>"Pace"</h3> <ZonesPanel zones kind=ZoneKind::Pace /> })}
                <p class="run-section__note">
                    <a href="/settings">"Set your heart rates, threshold pace and zones"</a>
                    " to make these yours."
                </p>
            </section>
        }.into_any())}
        {(!effort.is_empty()).then(|| view! {
            <section class="run-section">
                <h2>"Effort and load"</h2>
                <div class="metric-tiles">{effort}</div>
            </section>
        }.into_any())}
        {(!dynamics.is_empty()).then(|| view! {
            <section class="run-section">
                <h2>"Running dynamics"</h2>
                <div class="metric-tiles">{dynamics}</div>
            </section>
        }.into_any())}
        <section class="run-section">
            <h2>"Data quality"</h2>
            {view! { <DataQualityPanel gps hr=hr_quality warnings /> }.into_any()}
        </section>
        <RunSharing run_id=run.id.clone() label=format!("{when} · {}", run.name) />
        <section class="run-section">
            <Originals run=run.clone() />
        </section>
    }
}

fn dash() -> String {
    "–".to_owned()
}

#[cfg(test)]
mod registry_tests {
    use super::*;

    #[test]
    fn every_tile_is_a_metric_of_the_registry() {
        let ids = TILES
            .iter()
            .chain(EFFORT_TILES)
            .chain(DYNAMICS_TILES)
            .map(|t| t.0)
            .chain(crate::models::SharedRun::SHOWN.iter().copied());
        for id in ids {
            assert!(
                analysis::metrics::find(id).is_some(),
                "{id} is shown but no metric of the registry"
            );
        }
        assert_eq!(tile_label("avg_speed_mps", Display::Pace), "Average pace");
        assert_eq!(
            tile_label("avg_hr", Display::Whole("bpm")),
            "Average heart rate"
        );
    }
}
