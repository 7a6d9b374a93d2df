use leptos::prelude::*;

use super::PageHeader;
use crate::components::{LibraryRefresh, RunCalendar, SyncPanel, VolumeBars};
use crate::format;
use crate::models::run_list::{RunFilter, SortKey, sort_runs, sports};
use crate::models::{ImportProgress, LocalRun};
use crate::providers::use_units;

/// How many rows the table shows at first (and adds per "Show more"): a big export stays quick
/// to render.
const PAGE_ROWS: usize = 100;

/// A file that could not be imported, and why; or one kept as another original of a run, and
/// of which.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportFailure {
    /// The file's path (inside its folder or archive).
    pub name: String,
    /// What was wrong with it (the archive reader's or the analysis core's error text), or
    /// which run it is.
    pub reason: String,
}

/// The page's state: the library as listed, this session's failures and the import's progress.
#[derive(Debug, Clone, Copy)]
struct RunsState {
    runs: RwSignal<Vec<LocalRun>>,
    failures: RwSignal<Vec<ImportFailure>>,
    /// Files kept as another original of a run, and which.
    notes: RwSignal<Vec<ImportFailure>>,
    progress: RwSignal<Option<ImportProgress>>,
    /// The runner asked to stop the import.
    cancel: RwSignal<bool>,
    /// A run just deleted that can be put back: its id and how the list named it.
    undo: RwSignal<Option<(String, String)>>,
    error: RwSignal<Option<String>>,
}

impl RunsState {
    fn busy(&self) -> bool {
        self.progress
            .with(|p| p.as_ref().is_some_and(|p| !p.finished))
    }
}

/// The runner's library, kept on this device: import files, folders and archives (picked or
/// dropped), list the runs. The server renders a loading state; the list fills from IndexedDB
/// after hydration.
#[component]
pub fn RunsPage() -> impl IntoView {
    let state = RunsState {
        runs: RwSignal::new(Vec::new()),
        failures: RwSignal::new(Vec::new()),
        notes: RwSignal::new(Vec::new()),
        progress: RwSignal::new(None),
        cancel: RwSignal::new(false),
        undo: RwSignal::new(None),
        error: RwSignal::new(None),
    };
    let loaded = RwSignal::new(false);
    // Old summaries being analysed again from their originals: (done, total).
    let refreshing = RwSignal::new(None::<(usize, usize)>);

    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            let progress = move |done, total| refreshing.set(Some((done, total)));
            match crate::browser::library::all_runs_for_settings(progress).await {
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
    // Where the browser has `showDirectoryPicker`, it replaces the `webkitdirectory` input's
    // dialog (which asks to "upload" the folder).
    let on_folder_click = move |ev: leptos::ev::MouseEvent| {
        #[cfg(feature = "hydrate")]
        if crate::browser::file::has_directory_picker() {
            ev.prevent_default();
            leptos::task::spawn_local(async move {
                match crate::browser::file::pick_directory().await {
                    Ok(Some(files)) => import(state, files),
                    Ok(None) => {}
                    Err(e) => state
                        .error
                        .set(Some(format!("the folder could not be read: {e}"))),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    // Files and folders dropped anywhere on the page; a folder's files are listed first.
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        if let Some(transfer) = ev.data_transfer() {
            let dropped = crate::browser::file::Dropped::take(&transfer);
            leptos::task::spawn_local(async move {
                match dropped.files().await {
                    Ok(files) => import(state, files),
                    Err(e) => state
                        .error
                        .set(Some(format!("the folder could not be read: {e}"))),
                }
            });
        }
    };
    let on_clear = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let n = state.runs.with_untracked(Vec::len);
            let question = format!(
                "Delete all {n} runs and their original files from this device? A run that is not synced to an account exists only here. This cannot be undone."
            );
            if !crate::browser::confirm(&question) {
                return;
            }
            leptos::task::spawn_local(async move {
                match crate::browser::library::clear().await {
                    Ok(()) => {
                        undo::forget();
                        state.undo.set(None);
                        state.runs.set(Vec::new());
                    }
                    Err(e) => state.error.set(Some(e.to_string())),
                }
            });
        }
    };
    let busy = move || state.busy();
    let import_panel = view! {
        <section class="import">
            <div class="import__pickers">
                <label class="import__picker">
                    <span class="import__label">"Import files"</span>
                    <input
                        type="file"
                        multiple
                        accept=".fit,.gpx,.tcx,.gz,.zip"
                        on:change=on_pick
                        prop:disabled=busy
                        data-loaded=move || loaded.get().to_string()
                    />
                </label>
                <label class="import__picker">
                    <span class="import__label">"Import folder"</span>
                    <input
                        type="file"
                        // The DOM property reflects to the attribute (set in the browser only).
                        prop:webkitdirectory=true
                        on:click=on_folder_click
                        on:change=on_pick
                        prop:disabled=busy
                    />
                </label>
            </div>
            <p class="import__hint">
                "Pick or drop FIT, GPX or TCX files, their .gz, a .zip export from Garmin Connect or Strava, or a folder such as a watch's GARMIN/Activity. Each run is decoded and analysed in your browser and kept on this device; nothing is uploaded unless you sync."
            </p>
            <ImportStatus progress=state.progress cancel=state.cancel />
            {move || state.error.get().map(|e| view! { <p class="import__error" role="alert">{e}</p> })}
            <ImportFiles files=state.failures label="Files not imported" class="import__failures" />
            <ImportFiles
                files=state.notes
                label="Files kept as another original of a run"
                class="import__notes"
            />
        </section>
    }
    .into_any();

    view! {
        <div
            class="runs-page"
            on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default()
            on:drop=on_drop
        >
            <PageHeader title="Runs" lead="Your library of runs, kept on this device." />
            <p class="runs-page__links"><a href="/records">"Personal records"</a></p>
            {import_panel}
            <UndoBar state />
            <SyncPanel runs=state.runs />
            <Show
                when=move || loaded.get()
                fallback=move || {
                    view! {
                        <section class="runs-loading" aria-busy="true">
                            {move || match refreshing.get() {
                                Some((done, total)) => view! { <LibraryRefresh done total /> }.into_any(),
                                None => view! { <p>"Loading your library…"</p> }.into_any(),
                            }}
                        </section>
                    }
                }
            >
                <Show
                    when=move || !state.runs.with(Vec::is_empty)
                    fallback=move || {
                        view! {
                            <section class="empty-state">
                                <h2>"No runs yet"</h2>
                                <p>"Import a file from your watch or a training app to see it analysed here."</p>
                            </section>
                        }
                    }
                >
                    <RunsList state />
                    <p>
                        <button type="button" class="button button--danger" on:click=on_clear>
                            "Clear all"
                        </button>
                    </p>
                </Show>
            </Show>
        </div>
    }
}

/// Files of an import named with what became of them (why they failed, which run they joined).
#[component]
fn ImportFiles(
    files: RwSignal<Vec<ImportFailure>>,
    label: &'static str,
    class: &'static str,
) -> impl IntoView {
    view! {
        <Show when=move || !files.with(Vec::is_empty)>
            <ul class=class aria-label=label>
                <For each=move || files.get() key=|f| (f.name.clone(), f.reason.clone()) let:file>
                    <li>
                        <strong>{file.name}</strong>
                        ": "
                        <span class="import__reason">{file.reason}</span>
                    </li>
                </For>
            </ul>
        </Show>
    }
}

/// The progress line: a bar, files and bytes done, time left, and Cancel while it runs.
#[component]
fn ImportStatus(
    progress: RwSignal<Option<ImportProgress>>,
    cancel: RwSignal<bool>,
) -> impl IntoView {
    // One set of elements for the whole import, whose values follow the progress: re-rendering
    // them at each tick replaced the Cancel button under the runner's pointer.
    let field = move |f: fn(&ImportProgress) -> String| {
        move || progress.with(|p| p.as_ref().map(f).unwrap_or_default())
    };
    let running = move || progress.with(|p| p.as_ref().is_some_and(|p| !p.finished));
    let max = move || progress.with(|p| p.as_ref().map_or(1.0, |p| p.bytes_total.max(1.0)));
    let value = move || {
        progress.with(|p| {
            p.as_ref().map_or(0.0, |p| {
                if p.finished {
                    p.bytes_total.max(1.0)
                } else {
                    p.bytes_done
                }
            })
        })
    };
    view! {
        <div class="import__status" hidden=move || progress.with(Option::is_none)>
            <p
                class="import__progress"
                role="status"
                data-files-done=field(|p| p.files_done.to_string())
                data-files-total=field(|p| p.files_total.to_string())
                data-finished=field(|p| p.finished.to_string())
            >
                <progress max=max value=value></progress>
                " "
                {field(ImportProgress::text)}
            </p>
            <button
                type="button"
                class="button button--small"
                hidden=move || !running()
                prop:disabled=move || cancel.get()
                on:click=move |_| cancel.set(true)
            >
                "Cancel import"
            </button>
        </div>
    }
}

/// The filters, the table, the calendar and the volume bars, all over the filtered runs.
#[component]
fn RunsList(state: RunsState) -> impl IntoView {
    let sort = RwSignal::new((SortKey::Date, true));
    // Running first (a ride's distance is not a runner's); the runner can pick any sport.
    let filter = RwSignal::new(state.runs.with_untracked(|r| RunFilter::for_library(r)));
    let shown = RwSignal::new(PAGE_ROWS);
    let filtered = Memo::new(move |_| {
        let f = filter.get();
        state.runs.with(|runs| {
            runs.iter()
                .filter(|r| f.matches(r))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let rows = Memo::new(move |_| {
        let (key, descending) = sort.get();
        let mut runs = filtered.get();
        sort_runs(&mut runs, key, descending);
        runs
    });
    let sport_options = Memo::new(move |_| state.runs.with(|r| sports(r)));
    let set_bound = move |ev: leptos::ev::Event, from: bool| {
        let value = Some(event_target_value(&ev)).filter(|v| !v.is_empty());
        filter.update(|f| if from { f.from = value } else { f.to = value });
    };

    view! {
        <section class="runs-filters" aria-label="Filters">
            <label>
                "Sport "
                <select
                    aria-label="Sport"
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        filter.update(|f| f.sport = Some(v).filter(|v| !v.is_empty()));
                    }
                >
                    <option value="" selected=move || filter.with(|f| f.sport.is_none())>"All sports"</option>
                    <For each=move || sport_options.get() key=|s| s.clone() let:sport>
                        <option
                            value=sport.clone()
                            selected={
                                let sport = sport.clone();
                                move || filter.with(|f| f.sport.as_deref() == Some(sport.as_str()))
                            }
                        >
                            {sport.replace('_', " ")}
                        </option>
                    </For>
                </select>
            </label>
            <label>"From " <input type="date" aria-label="From" on:change=move |ev| set_bound(ev, true) /></label>
            <label>"To " <input type="date" aria-label="To" on:change=move |ev| set_bound(ev, false) /></label>
            <span class="runs-filters__count" data-count=move || filtered.with(Vec::len)>
                {move || {
                    let (n, all) = (filtered.with(Vec::len), state.runs.with(Vec::len));
                    if n == all { format!("{n} runs") } else { format!("{n} of {all} runs") }
                }}
            </span>
        </section>
        <div class="runs-overview">
            <RunCalendar runs=filtered />
            <VolumeBars runs=filtered />
        </div>
        <RunsTable state sort rows shown />
        <Show when=move || { rows.with(Vec::len) > shown.get() }>
            <p>
                <button type="button" class="button" on:click=move |_| shown.update(|n| *n += PAGE_ROWS)>
                    {move || format!("Show more ({} of {} shown)", shown.get(), rows.with(Vec::len))}
                </button>
            </p>
        </Show>
    }
    .into_any()
}

/// The runs as a table: date, sport, distance, time, pace, average HR, load; every figure
/// column sorts (a second click reverses).
#[component]
fn RunsTable(
    state: RunsState,
    sort: RwSignal<(SortKey, bool)>,
    rows: Memo<Vec<LocalRun>>,
    shown: RwSignal<usize>,
) -> impl IntoView {
    let units = use_units();
    let delete = move |id: String, label: String| {
        #[cfg(feature = "hydrate")]
        {
            let question = format!(
                "Delete the run {label} and its original file from this device? A run that is not synced to an account exists only here."
            );
            if crate::browser::confirm(&question) {
                undo::delete(state, id, label);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (id, label, state);
    };
    let header = move |key: SortKey| {
        let aria = move || match sort.get() {
            (k, true) if k == key => "descending",
            (k, false) if k == key => "ascending",
            _ => "none",
        };
        let click = move |_| {
            sort.update(|(k, descending)| {
                if *k == key {
                    *descending = !*descending;
                } else {
                    *k = key;
                    *descending = key.first_descending();
                }
            })
        };
        view! {
            <th scope="col" aria-sort=aria data-sort=key.id()>
                <button type="button" class="runs-table__sort" on:click=click>
                    {key.label()}
                </button>
            </th>
        }
    };
    let [date, distance, time, pace, hr, load] = SortKey::ALL.map(header);
    view! {
        <table class="runs-table">
            <caption class="visually-hidden">"Runs on this device"</caption>
            <thead>
                <tr>
                    {date}
                    <th scope="col">"Sport"</th>
                    {distance}
                    {time}
                    {pace}
                    {hr}
                    {load}
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>
                <For
                    each=move || rows.with(|r| r.iter().take(shown.get()).cloned().collect::<Vec<_>>())
                    key=|r| r.id.clone()
                    let:run
                >
                    {
                        let s = run.summary.clone();
                        let speed = run.avg_speed();
                        let style = format::SpeedStyle::of_sport(&s.sport);
                        let id = run.id.clone();
                        let offset = run.offset_s(format::zone_offset_s);
                        let title = run.display_name(offset);
                        let when = run
                            .local_start(offset)
                            .map(|(d, t)| format!("{d} {t}"))
                            .unwrap_or_else(|| run.date());
                        let label = format!("{when} · {title} ({})", run.name);
                        view! {
                            <tr class="runs-table__run" data-run-id=run.id.clone()>
                                <td data-label="Date" class="runs-table__date">
                                    <a href=format!("/runs/{}", run.id) title=run.name.clone() class="runs-table__name">
                                        {title}
                                    </a>
                                    " "
                                    <span class="runs-table__when">{when}</span>
                                </td>
                                <td data-label="Sport" class="runs-table__sport">{run.sport()}</td>
                                <td data-label="Distance">
                                    {move || s.distance_m.map(|m| format::distance(m, units.get())).unwrap_or_else(dash)}
                                </td>
                                <td data-label="Time">{s.timer_s.map(format::duration).unwrap_or_else(dash)}</td>
                                <td data-label="Pace">{move || speed.map(|v| style.show(v, units.get())).unwrap_or_else(dash)}</td>
                                <td data-label="Avg HR">{s.avg_hr.map(|hr| format!("{hr:.0}")).unwrap_or_else(dash)}</td>
                                <td data-label="Load" data-load=s.load.trimp.map(|t| t.to_string())>{s.load.trimp.map(|t| format!("{t:.0}")).unwrap_or_else(dash)}</td>
                                <td class="runs-table__actions">
                                    <button
                                        type="button"
                                        class="button button--small"
                                        aria-label=format!("Delete {label}")
                                        on:click=move |_| delete(id.clone(), label.clone())
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
    .into_any()
}

fn dash() -> String {
    "–".to_owned()
}

/// How long a deleted run can be put back, ms.
pub const UNDO_MS: u32 = 10_000;

/// "Deleted … Undo" while a deleted run can still be put back.
#[component]
fn UndoBar(state: RunsState) -> impl IntoView {
    view! {
        {move || state.undo.get().map(|(id, label)| {
            let on_undo = move |_| {
                #[cfg(feature = "hydrate")]
                undo::restore(state, id.clone());
                #[cfg(not(feature = "hydrate"))]
                let _ = &id;
            };
            view! {
                <p class="undo-bar" role="status">
                    {format!("Deleted {label}. ")}
                    <button type="button" class="button button--small" on:click=on_undo>"Undo"</button>
                </p>
            }
        })}
    }
}

/// Deleting a run with a way back: the run and its originals are taken out of the library in
/// one transaction and held in memory for [`UNDO_MS`], so Undo puts back exactly what was there.
#[cfg(feature = "hydrate")]
mod undo {
    use std::cell::RefCell;

    use leptos::prelude::*;

    use super::{RunsState, UNDO_MS};
    use crate::browser::library::{self, Taken};
    use crate::models::local_run::sort_newest_first;

    thread_local! {
        static HELD: RefCell<Option<Taken>> = const { RefCell::new(None) };
    }

    /// Takes the run `id` out of the library and offers to put it back.
    pub fn delete(state: RunsState, id: String, label: String) {
        leptos::task::spawn_local(async move {
            match library::take(&id).await {
                Ok(taken) => {
                    state.runs.update(|runs| runs.retain(|r| r.id != id));
                    if let Some(taken) = taken {
                        HELD.with(|h| *h.borrow_mut() = Some(taken));
                        state.undo.set(Some((id.clone(), label)));
                        crate::browser::timer::sleep(UNDO_MS).await;
                        // Still the last deletion: the chance to undo it has passed.
                        if state
                            .undo
                            .with_untracked(|u| u.as_ref().is_some_and(|u| u.0 == id))
                        {
                            forget();
                            state.undo.set(None);
                        }
                    }
                }
                Err(e) => state.error.set(Some(e.to_string())),
            }
        });
    }

    /// Puts the run `id` back, with its originals.
    pub fn restore(state: RunsState, id: String) {
        let Some(taken) = HELD.with(|h| h.borrow_mut().take_if(|t| t.run.id == id)) else {
            return;
        };
        state.undo.set(None);
        leptos::task::spawn_local(async move {
            match library::restore(&taken).await {
                Ok(()) => {
                    let athlete = crate::browser::storage::load_athlete().unwrap_or_default();
                    let run = taken.run.for_athlete(&athlete);
                    state.runs.update(|runs| {
                        runs.retain(|r| r.id != run.id);
                        runs.push(run);
                        sort_newest_first(runs);
                    });
                }
                Err(e) => state
                    .error
                    .set(Some(format!("the run could not be put back: {e}"))),
            }
        });
    }

    /// Lets go of the run held for undo.
    pub fn forget() {
        HELD.with(|h| *h.borrow_mut() = None);
    }
}

/// Imports `files` (with their paths) one after the other in the analysis worker. Zips are opened
/// first, so the totals are known; progress, new runs and failures reach the page at most every
/// [`FLUSH_MS`] (a big import re-renders the list a few times a second, not per file). Cancel
/// stops before the next file; what was imported stays.
#[cfg(feature = "hydrate")]
fn import(state: RunsState, files: Vec<(web_sys::File, String)>) {
    use crate::browser::import::{Outcome, import_item, plan};
    use crate::models::local_run::sort_newest_first;

    if files.is_empty() || state.busy() {
        return;
    }
    let now = || js_sys::Date::now();
    leptos::task::spawn_local(async move {
        // Not in the task of the picker's or the drop's event: the browser has just built the
        // file list there (80–100 ms for 150 files in Chromium).
        crate::browser::timer::yield_now().await;
        let started = now();
        state.cancel.set(false);
        state.failures.set(Vec::new());
        state.notes.set(Vec::new());
        state.progress.set(Some(ImportProgress::default()));
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
        let plan = plan(&analyzer, files).await;
        let mut progress = ImportProgress {
            files_total: plan.items.len(),
            bytes_total: plan.items.iter().map(|i| i.bytes).sum(),
            skipped: plan.skipped,
            failed: plan.failures.len(),
            ..ImportProgress::default()
        };
        let mut failures: Vec<ImportFailure> = plan
            .failures
            .into_iter()
            .map(|(name, reason)| ImportFailure { name, reason })
            .collect();
        let mut added: Vec<LocalRun> = Vec::new();
        // Runs whose record a merge replaced (or updated): gone from the list before `added`.
        let mut gone: Vec<String> = Vec::new();
        let mut notes: Vec<ImportFailure> = Vec::new();
        let flush = |progress: &ImportProgress,
                     added: &mut Vec<LocalRun>,
                     gone: &mut Vec<String>,
                     failures: &mut Vec<ImportFailure>,
                     notes: &mut Vec<ImportFailure>| {
            if !added.is_empty() || !gone.is_empty() {
                state.runs.update(|runs| {
                    runs.retain(|r| !gone.contains(&r.id));
                    runs.append(added);
                    sort_newest_first(runs);
                });
                gone.clear();
            }
            if !failures.is_empty() {
                state.failures.update(|f| f.append(failures));
            }
            if !notes.is_empty() {
                state.notes.update(|n| n.append(notes));
            }
            state.progress.set(Some(progress.clone()));
        };
        flush(&progress, &mut added, &mut gone, &mut failures, &mut notes);
        let mut flushed = now();
        // The library as it stands, kept up to date with each outcome: a file is matched
        // against the runs imported before it in this import too.
        let mut library = state.runs.get_untracked();
        for item in &plan.items {
            if state.cancel.get_untracked() {
                progress.cancelled = true;
                break;
            }
            let outcome = import_item(&analyzer, item, &library).await;
            outcome.apply(&mut library);
            match outcome {
                Outcome::Added(run) => {
                    progress.added += 1;
                    added.push(*run);
                }
                Outcome::SameRun { run, replaced } => {
                    progress.same_run += 1;
                    notes.push(ImportFailure {
                        name: item.path.clone(),
                        reason: format!("the same run as {} · {}", run.date(), run.name),
                    });
                    let old = replaced.unwrap_or_else(|| run.id.clone());
                    added.retain(|r| r.id != old);
                    gone.push(old);
                    added.push(*run);
                }
                Outcome::NoActivity => progress.no_activity += 1,
                Outcome::Known => progress.known += 1,
                Outcome::Failed(reason) => {
                    progress.failed += 1;
                    failures.push(ImportFailure {
                        name: item.path.clone(),
                        reason,
                    });
                }
            }
            progress.files_done += 1;
            progress.bytes_done += item.bytes;
            progress.elapsed_s = (now() - started) / 1000.0;
            if now() - flushed >= FLUSH_MS {
                flush(&progress, &mut added, &mut gone, &mut failures, &mut notes);
                flushed = now();
            }
        }
        progress.finished = true;
        progress.elapsed_s = (now() - started) / 1000.0;
        flush(&progress, &mut added, &mut gone, &mut failures, &mut notes);
    });
}

/// How often, at most, a running import updates the page, ms.
#[cfg(feature = "hydrate")]
const FLUSH_MS: f64 = 250.0;
