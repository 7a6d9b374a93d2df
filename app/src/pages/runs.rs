use leptos::prelude::*;

use super::PageHeader;
use crate::format;
use crate::models::LocalRun;
use crate::providers::use_units;

/// A file that could not be imported, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportFailure {
    /// The file's name.
    pub name: String,
    /// What was wrong with it (the analysis core's error text).
    pub reason: String,
}

/// The page's state: the library as listed, this session's failures and the import's progress.
#[derive(Debug, Clone, Copy)]
struct RunsState {
    runs: RwSignal<Vec<LocalRun>>,
    failures: RwSignal<Vec<ImportFailure>>,
    /// Files done and files in this import.
    progress: RwSignal<Option<(usize, usize)>>,
    error: RwSignal<Option<String>>,
}

/// The runner's library, kept on this device: import files (picked or dropped), list the runs.
/// The server renders the empty shell; the list fills from IndexedDB after hydration.
#[component]
pub fn RunsPage() -> impl IntoView {
    let state = RunsState {
        runs: RwSignal::new(Vec::new()),
        failures: RwSignal::new(Vec::new()),
        progress: RwSignal::new(None),
        error: RwSignal::new(None),
    };
    let loaded = RwSignal::new(false);

    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            match crate::browser::library::all_runs().await {
                Ok(runs) => state.runs.set(runs),
                Err(e) => state.error.set(Some(e.to_string())),
            }
            loaded.set(true);
        });
    });

    let on_pick = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            let input: web_sys::HtmlInputElement = event_target(&ev);
            if let Some(list) = input.files() {
                import(state, crate::browser::file::files_of(&list));
            }
            input.set_value("");
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        if let Some(list) = ev.data_transfer().and_then(|d| d.files()) {
            import(state, crate::browser::file::files_of(&list));
        }
    };
    let on_clear = move |_| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match crate::browser::library::clear().await {
                Ok(()) => state.runs.set(Vec::new()),
                Err(e) => state.error.set(Some(e.to_string())),
            }
        });
    };

    view! {
        <div
            class="runs-page"
            on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default()
            on:drop=on_drop
        >
            <PageHeader title="Runs" lead="Your library of runs, kept on this device." />
            <section class="import">
                <label class="import__picker">
                    <span class="import__label">"Import files"</span>
                    <input
                        type="file"
                        multiple
                        accept=".fit,.gpx,.tcx"
                        on:change=on_pick
                        data-loaded=move || loaded.get().to_string()
                    />
                </label>
                <p class="import__hint">
                    "Pick or drop FIT, GPX or TCX files. Each run is decoded and analysed in your browser and kept on this device; nothing is uploaded."
                </p>
                {move || {
                    state
                        .progress
                        .get()
                        .map(|(done, total)| {
                            let text = if done < total {
                                format!("Importing {} of {}…", done + 1, total)
                            } else {
                                format!("Imported {done} of {total} files")
                            };
                            view! {
                                <p class="import__progress" role="status">
                                    <progress max=total value=done></progress>
                                    " "
                                    {text}
                                </p>
                            }
                        })
                }}
                {move || state.error.get().map(|e| view! { <p class="import__error" role="alert">{e}</p> })}
                <Show when=move || !state.failures.get().is_empty()>
                    <ul class="import__failures" aria-label="Files not imported">
                        <For
                            each=move || state.failures.get()
                            key=|f| (f.name.clone(), f.reason.clone())
                            let:failure
                        >
                            <li class="import__failure">
                                <strong>{failure.name}</strong>
                                ": "
                                <span class="import__reason">{failure.reason}</span>
                            </li>
                        </For>
                    </ul>
                </Show>
            </section>
            <Show
                when=move || !state.runs.get().is_empty()
                fallback=move || {
                    view! {
                        <section class="empty-state">
                            <h2>"No runs yet"</h2>
                            <p>"Import a file from your watch or a training app to see it analysed here."</p>
                        </section>
                    }
                }
            >
                <RunsTable state />
                <p>
                    <button type="button" class="button button--danger" on:click=on_clear>
                        "Clear all"
                    </button>
                </p>
            </Show>
        </div>
    }
}

/// The runs as a table: date, sport, distance, time, pace, average HR, load.
#[component]
fn RunsTable(state: RunsState) -> impl IntoView {
    let units = use_units();
    let delete = move |id: String| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match crate::browser::library::delete(&id).await {
                Ok(()) => state.runs.update(|runs| runs.retain(|r| r.id != id)),
                Err(e) => state.error.set(Some(e.to_string())),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (id, state);
    };
    view! {
        <table class="runs-table">
            <caption class="visually-hidden">"Runs on this device"</caption>
            <thead>
                <tr>
                    <th scope="col">"Date"</th>
                    <th scope="col">"Sport"</th>
                    <th scope="col">"Distance"</th>
                    <th scope="col">"Time"</th>
                    <th scope="col">"Pace"</th>
                    <th scope="col">"Avg HR"</th>
                    <th scope="col">"Load (TRIMP)"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>
                <For each=move || state.runs.get() key=|r| r.id.clone() let:run>
                    {
                        let s = run.summary.clone();
                        let speed = run.avg_speed();
                        let id = run.id.clone();
                        view! {
                            <tr class="runs-table__run" data-run-id=run.id.clone()>
                                <td>
                                    <a href=format!("/runs/{}", run.id) title=run.name.clone()>
                                        {run.date()}
                                    </a>
                                </td>
                                <td>{run.sport()}</td>
                                <td>
                                    {move || s.distance_m.map(|m| format::distance(m, units.get())).unwrap_or_else(dash)}
                                </td>
                                <td>{s.timer_s.map(format::duration).unwrap_or_else(dash)}</td>
                                <td>{move || speed.map(|v| format::pace(v, units.get())).unwrap_or_else(dash)}</td>
                                <td>{s.avg_hr.map(|hr| format!("{hr:.0}")).unwrap_or_else(dash)}</td>
                                <td>{s.load.trimp.map(|t| format!("{t:.0}")).unwrap_or_else(dash)}</td>
                                <td>
                                    <button
                                        type="button"
                                        class="button button--small"
                                        aria-label=format!("Delete {}", run.name)
                                        on:click=move |_| delete(id.clone())
                                    >
                                        "Delete"
                                    </button>
                                </td>
                            </tr>
                        }
                    }
                </For>
            </tbody>
        </table>
    }
}

fn dash() -> String {
    "–".to_owned()
}

/// Imports `files` one after the other in the analysis worker; each result shows as it comes.
#[cfg(feature = "hydrate")]
fn import(state: RunsState, files: Vec<web_sys::File>) {
    use crate::browser::import::{Outcome, import_file};
    use crate::models::local_run::sort_newest_first;

    if files.is_empty() {
        return;
    }
    let total = files.len();
    state.progress.set(Some((0, total)));
    state.failures.set(Vec::new());
    leptos::task::spawn_local(async move {
        let analyzer = match crate::browser::analyzer() {
            Ok(a) => a,
            Err(e) => {
                state
                    .error
                    .set(Some(format!("the analysis worker did not start: {e}")));
                state.progress.set(None);
                return;
            }
        };
        for (done, file) in files.iter().enumerate() {
            match import_file(&analyzer, file).await {
                Outcome::Added(run) => state.runs.update(|runs| {
                    runs.push(*run);
                    sort_newest_first(runs);
                }),
                Outcome::Known => {}
                Outcome::Failed(reason) => state.failures.update(|f| {
                    f.push(ImportFailure {
                        name: file.name(),
                        reason,
                    })
                }),
            }
            state.progress.set(Some((done + 1, total)));
        }
    });
}
