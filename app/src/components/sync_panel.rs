use std::collections::HashMap;

use leptos::prelude::*;

use crate::api::auth::current_account;
#[cfg(feature = "hydrate")]
use crate::api::sync::list_synced_runs;
use crate::api::sync::{delete_synced_run, share_run, unshare_run};
use crate::models::sync::MAX_HIDE_HUNDREDS;
use crate::models::{LocalRun, SyncedRun};

/// Where one run stands between this browser and the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncState {
    /// On this device and on the server.
    Synced,
    /// Only on this device: the next sync uploads it.
    LocalOnly,
    /// Only on the server: the next sync downloads it.
    ServerOnly,
    Uploading,
    Downloading,
    /// The last sync could not move it, and why.
    Failed(String),
}

impl SyncState {
    /// A stable key (`data-sync-state`).
    pub fn key(&self) -> &'static str {
        match self {
            Self::Synced => "synced",
            Self::LocalOnly => "local",
            Self::ServerOnly => "server",
            Self::Uploading => "uploading",
            Self::Downloading => "downloading",
            Self::Failed(_) => "failed",
        }
    }

    /// What the runner reads.
    pub fn text(&self) -> String {
        match self {
            Self::Synced => "Synced".into(),
            Self::LocalOnly => "On this device only".into(),
            Self::ServerOnly => "On the server only".into(),
            Self::Uploading => "Uploading…".into(),
            Self::Downloading => "Downloading…".into(),
            Self::Failed(reason) => format!("Not synced: {reason}"),
        }
    }
}

/// One row of the sync list: a run on this device, on the server, or both.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncRow {
    /// The SHA-256 of the original (the run's id on this device).
    pub sha256: String,
    pub label: String,
    pub state: SyncState,
    /// The server's copy, when there is one.
    pub remote: Option<SyncedRun>,
}

/// The rows for `local` runs and `remote` ones, with the states of a sync under way
/// (`progress`, by SHA-256) over the plain ones: this device's runs first (in their order), then
/// those only on the server.
pub fn sync_rows(
    local: &[LocalRun],
    remote: &[SyncedRun],
    progress: &HashMap<String, SyncState>,
) -> Vec<SyncRow> {
    let by_sha: HashMap<&str, &SyncedRun> = remote.iter().map(|r| (r.sha256.as_str(), r)).collect();
    let mut rows: Vec<SyncRow> = local
        .iter()
        .map(|run| {
            let remote = by_sha.get(run.id.as_str()).map(|r| (*r).clone());
            let plain = if remote.is_some() {
                SyncState::Synced
            } else {
                SyncState::LocalOnly
            };
            SyncRow {
                sha256: run.id.clone(),
                label: format!("{} · {}", run.date(), run.name),
                state: progress.get(&run.id).cloned().unwrap_or(plain),
                remote,
            }
        })
        .collect();
    for r in remote {
        // Another original of a local run (the same activity as another file) is that run.
        if local.iter().any(|l| l.holds(&r.sha256)) {
            continue;
        }
        let date = r
            .start_time
            .as_deref()
            .and_then(|t| t.get(..10))
            .unwrap_or("–");
        rows.push(SyncRow {
            sha256: r.sha256.clone(),
            label: format!("{date} · {}", r.name.as_deref().unwrap_or(&r.id)),
            state: progress
                .get(&r.sha256)
                .cloned()
                .unwrap_or(SyncState::ServerOnly),
            remote: Some(r.clone()),
        });
    }
    rows
}

/// Whether an error is the network's (the browser could not reach the server), not the
/// server's answer: Chromium says "Failed to fetch", Firefox "NetworkError", Safari "Load
/// failed".
pub fn is_network_failure(error: &str) -> bool {
    [
        "Failed to fetch",
        "NetworkError",
        "Load failed",
        "network error",
    ]
    .iter()
    .any(|m| error.contains(m))
}

/// Sync with the account: signed out, a way to sign in; signed in, the "Sync" action, each
/// run's state, and its public link. `runs` is the page's library, which a sync adds to.
#[component]
pub fn SyncPanel(runs: RwSignal<Vec<LocalRun>>) -> impl IntoView {
    let account = Resource::new(|| (), |_| current_account());
    view! {
        <section class="sync-panel" aria-labelledby="sync-title">
            <h2 id="sync-title" class="sync-panel__title">"Sync"</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match account.await {
                        Ok(Some(account)) => view! { <SyncControls runs username=account.username /> }
                            .into_any(),
                        Ok(None) => view! {
                            <p class="sync-panel__hint">
                                <a href="/signin">"Sign in"</a>
                                " to keep your runs on the server too, see them in your other browsers and share them by a link."
                            </p>
                        }
                        .into_any(),
                        Err(e) if is_network_failure(&e.to_string()) => view! {
                            <p class="sync-panel__offline" role="status" data-testid="sync-offline">
                                "Offline: this device's runs are all here; sync when you are back online."
                            </p>
                        }
                        .into_any(),
                        Err(e) => view! { <p class="sync-panel__error" role="alert">{e.to_string()}</p> }
                            .into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// What a signed-in runner sees: the action, the result and the list.
#[component]
fn SyncControls(runs: RwSignal<Vec<LocalRun>>, username: String) -> impl IntoView {
    let remote = RwSignal::new(Vec::<SyncedRun>::new());
    let progress = RwSignal::new(HashMap::<String, SyncState>::new());
    let busy = RwSignal::new(false);
    let loaded = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);

    // Offline: the states as last listed stay, and a sync asked for waits for the network.
    let offline = RwSignal::new(false);
    let sync_when_back = RwSignal::new(false);
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    let user = StoredValue::new(username.clone());

    #[cfg(feature = "hydrate")]
    let list = move || {
        leptos::task::spawn_local(async move {
            use crate::browser::storage;
            let name = user.get_value();
            match list_synced_runs().await {
                Ok(list) => {
                    storage::save_synced(&name, &list);
                    offline.set(false);
                    error.set(None);
                    remote.set(list);
                }
                Err(e) if storage::offline() || is_network_failure(&e.to_string()) => {
                    offline.set(true);
                    if let Some(last) = storage::load_synced(&name) {
                        remote.set(last);
                    }
                }
                Err(e) => error.set(Some(e.to_string())),
            }
            loaded.set(true);
        });
    };
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| list());

    let start_sync = move || {
        #[cfg(feature = "hydrate")]
        if !busy.get_untracked() {
            if crate::browser::storage::offline() {
                offline.set(true);
                sync_when_back.set(true);
                return;
            }
            busy.set(true);
            error.set(None);
            leptos::task::spawn_local(async move {
                match run_sync(runs, remote, progress).await {
                    Ok(text) => {
                        crate::browser::storage::save_synced(
                            &user.get_value(),
                            &remote.get_untracked(),
                        );
                        message.set(Some(text));
                    }
                    Err(e) if crate::browser::storage::offline() || is_network_failure(&e) => {
                        offline.set(true);
                        sync_when_back.set(true);
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        }
    };
    let on_sync = move |_| start_sync();

    // Back online: list again, and sync if the runner asked while offline.
    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener(leptos::ev::online, move |_| {
            offline.set(false);
            list();
            if sync_when_back.get_untracked() {
                sync_when_back.set(false);
                start_sync();
            }
        });
        on_cleanup(move || handle.remove());
    }
    let rows = Memo::new(move |_| {
        runs.with(|local| remote.with(|r| progress.with(|p| sync_rows(local, r, p))))
    });
    let counts = move || {
        rows.with(|rows| {
            let n = |key: &str| rows.iter().filter(|r| r.state.key() == key).count();
            format!(
                "{} synced, {} to upload, {} to download",
                n("synced"),
                n("local"),
                n("server")
            )
        })
    };
    view! {
        <p class="sync-panel__hint">
            "Signed in as " <strong>{username}</strong>
            ". Sync sends the runs of this device to your account (the server reads each file itself) and brings here the runs your other browsers and apps sent."
        </p>
        <p class="sync-panel__actions">
            <button
                type="button"
                class="button button--primary"
                on:click=on_sync
                prop:disabled=move || busy.get() || !loaded.get()
                data-loaded=move || loaded.get().to_string()
            >
                {move || if busy.get() { "Syncing…" } else { "Sync" }}
            </button>
            " "
            <span class="sync-panel__counts" data-testid="sync-counts">{counts}</span>
        </p>
        {move || offline.get().then(|| view! {
            <p class="sync-panel__offline" role="status" data-testid="sync-offline">
                {move || if sync_when_back.get() {
                    "Offline: the sync will start when you are back online. The states below are those of the last time the server was reached."
                } else {
                    "Offline: the states below are those of the last time the server was reached; sync when you are back online."
                }}
            </p>
        })}
        {move || message.get().map(|m| view! { <p class="sync-panel__result" role="status">{m}</p> })}
        {move || error.get().map(|e| view! { <p class="sync-panel__error" role="alert">{e}</p> })}
        <Show when=move || !rows.with(Vec::is_empty)>
            <ul class="sync-panel__runs" aria-label="Sync state of each run">
                {move || {
                    rows.get()
                        .into_iter()
                        .map(|row| view! { <SyncRowView row remote error /> })
                        .collect_view()
                }}
            </ul>
        </Show>
    }
    .into_any()
}

/// One run: its state, and for a run on the server its link and the way to remove it there.
#[component]
fn SyncRowView(
    row: SyncRow,
    remote: RwSignal<Vec<SyncedRun>>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let server = row.remote.clone();
    let server_id = row.remote.as_ref().map(|r| r.id.clone());
    let on_device = !matches!(row.state, SyncState::ServerOnly | SyncState::Downloading);
    let label = row.label.clone();
    let key = row.state.key();
    let text = row.state.text();
    view! {
        <li
            class="sync-panel__run"
            data-sha256=row.sha256.clone()
            data-server-id=server_id
            data-sync-state=key
        >
            <span class="sync-panel__label">{row.label}</span>
            " "
            <span class=format!("sync-panel__state sync-panel__state--{key}")>{text}</span>
            {server.map(|s| view! { <ShareControls run=s remote error label on_device /> })}
        </li>
    }
}

/// Sharing on a run's page: signed in and synced, the run's public link (make it, what it
/// hides, stop it); otherwise how to get there.
#[component]
pub fn RunSharing(
    /// The run's id (the SHA-256 of its analysed original).
    run_id: String,
    /// How the run is named (date and name), for the confirmation of a deletion.
    label: String,
) -> impl IntoView {
    let account = Resource::new(|| (), |_| current_account());
    let remote = RwSignal::new(Vec::<SyncedRun>::new());
    let error = RwSignal::new(None::<String>);
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    let listed = RwSignal::new(false);
    let id = StoredValue::new(run_id);
    let label = StoredValue::new(label);
    view! {
        <section class="run-section run-sharing" aria-labelledby="run-sharing-title">
            <h2 id="run-sharing-title">"Sharing"</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match account.await {
                        Ok(Some(_)) => {
                            #[cfg(feature = "hydrate")]
                            if !listed.get_untracked() {
                                listed.set(true);
                                leptos::task::spawn_local(async move {
                                    match list_synced_runs().await {
                                        Ok(list) => remote.set(list),
                                        Err(e) => error.set(Some(e.to_string())),
                                    }
                                });
                            }
                            view! {
                                {move || {
                                    let server = remote.with(|l| l.iter().find(|r| r.sha256 == id.get_value()).cloned());
                                    match server {
                                        Some(s) => view! { <ShareControls run=s remote error label=label.get_value() on_device=true /> }.into_any(),
                                        None => view! {
                                            <p class="run-section__note">
                                                "Not on the server yet: " <a href="/runs">"sync it"</a> " from the Runs page, then make it public here by a link."
                                            </p>
                                        }
                                        .into_any(),
                                    }
                                }}
                                {move || error.get().map(|e| view! { <p role="alert">{e}</p> })}
                            }
                            .into_any()
                        }
                        _ => view! {
                            <p class="run-section__note">
                                <a href="/signin">"Sign in"</a> " and sync to share this run by a link; it stays private until you do."
                            </p>
                        }
                        .into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The run's public link: make it, change what it hides, stop it; and delete the server's copy.
#[component]
fn ShareControls(
    run: SyncedRun,
    remote: RwSignal<Vec<SyncedRun>>,
    error: RwSignal<Option<String>>,
    /// How the run is named in the list (date and name), for the confirmation.
    label: String,
    /// Whether this device keeps the run too.
    on_device: bool,
) -> impl IntoView {
    let id = StoredValue::new(run.id.clone());
    let hide = RwSignal::new(
        run.share
            .as_ref()
            .map_or(0, |s| u32::try_from(s.hide_m / 100).unwrap_or(0)),
    );
    let update = move |changed: Result<Option<crate::models::ShareLink>, String>| match changed {
        Ok(share) => remote.update(|list| {
            if let Some(r) = list.iter_mut().find(|r| r.id == id.get_value()) {
                r.share = share;
            }
        }),
        Err(e) => error.set(Some(e)),
    };
    let on_share = move |_| {
        let (id, hide) = (id.get_value(), hide.get_untracked());
        leptos::task::spawn_local(async move {
            update(
                share_run(id, hide)
                    .await
                    .map(Some)
                    .map_err(|e| e.to_string()),
            );
        });
    };
    let on_unshare = move |_| {
        let id = id.get_value();
        leptos::task::spawn_local(async move {
            update(
                unshare_run(id)
                    .await
                    .map(|()| None)
                    .map_err(|e| e.to_string()),
            );
        });
    };
    let on_delete = move |_| {
        let id = id.get_value();
        let question = if on_device {
            format!("Delete {label} from the server? The copy on this device stays.")
        } else {
            format!(
                "Delete {label} from the server? This device does not have it: the server's is the only copy, and it will be gone."
            )
        };
        #[cfg(feature = "hydrate")]
        if !crate::browser::confirm(&question) {
            return;
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &question;
        leptos::task::spawn_local(async move {
            match delete_synced_run(id.clone()).await {
                Ok(()) => remote.update(|list| list.retain(|r| r.id != id)),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let shared = run.share.is_some();
    let options = (0..=MAX_HIDE_HUNDREDS)
        .map(|n| {
            let label = match n {
                0 => "nothing".to_string(),
                n => format!("{} m", n * 100),
            };
            view! { <option value=n.to_string() selected=move || hide.get() == n>{label}</option> }
        })
        .collect_view();
    let link = run.share.map(|s| {
        let url = absolute_url(&s.path);
        view! {
            <a class="sync-panel__link" href=s.path.clone() data-testid="share-link" data-hide-m=s.hide_m>
                {url}
            </a>
        }
    });
    view! {
        <span class="sync-panel__share">
            {link}
            <label class="sync-panel__hide">
                "Hide at each end: "
                <select
                    aria-label="Hide at each end"
                    on:change=move |ev| hide.set(event_target_value(&ev).parse().unwrap_or(0))
                >
                    {options}
                </select>
            </label>
            <button type="button" class="button button--small" on:click=on_share>
                {if shared { "Update link" } else { "Make public" }}
            </button>
            {shared.then(|| view! {
                <button type="button" class="button button--small" on:click=on_unshare>"Stop sharing"</button>
            })}
            <button type="button" class="button button--small button--danger" on:click=on_delete>
                "Delete from server"
            </button>
        </span>
    }
    .into_any()
}

/// `path` as a full address on this site (in the browser; the server renders the path).
fn absolute_url(path: &str) -> String {
    #[cfg(feature = "hydrate")]
    if let Ok(origin) = leptos::prelude::window().location().origin() {
        return format!("{origin}{path}");
    }
    path.to_string()
}

/// One sync: uploads this device's runs the server lacks, downloads (and imports, as any file
/// is imported: analysed in the worker) the server's runs this device lacks, then reads the
/// server's list again. Each run's failure is kept on its row; the others go on.
#[cfg(feature = "hydrate")]
async fn run_sync(
    runs: RwSignal<Vec<LocalRun>>,
    remote: RwSignal<Vec<SyncedRun>>,
    progress: RwSignal<HashMap<String, SyncState>>,
) -> Result<String, String> {
    use crate::browser::import::{Outcome, import_bytes};
    use crate::browser::{library, sync};
    use crate::models::local_run::sort_newest_first;

    let set = |sha: &str, state: Option<SyncState>| {
        progress.update(|p| match state {
            Some(s) => {
                p.insert(sha.to_owned(), s);
            }
            None => {
                p.remove(sha);
            }
        })
    };
    progress.set(HashMap::new());
    let on_server = list_synced_runs().await.map_err(|e| e.to_string())?;
    remote.set(on_server.clone());
    let (mut up, mut down, mut failed) = (0, 0, 0);

    let local = runs.get_untracked();
    for run in local
        .iter()
        .filter(|l| !on_server.iter().any(|r| r.sha256 == l.id))
    {
        set(&run.id, Some(SyncState::Uploading));
        let sent = match library::original(&run.id).await {
            Ok(Some(original)) => sync::upload(&run.name, &original).await,
            Ok(None) => Err("its original is missing from this device".to_owned()),
            Err(e) => Err(e.to_string()),
        };
        match sent {
            Ok(answer) if answer.sha256 == run.id => {
                up += 1;
                set(&run.id, None);
            }
            Ok(answer) => {
                failed += 1;
                let reason = format!("the server read other bytes ({})", answer.sha256);
                set(&run.id, Some(SyncState::Failed(reason)));
            }
            Err(reason) => {
                failed += 1;
                set(&run.id, Some(SyncState::Failed(reason)));
            }
        }
    }

    let missing: Vec<SyncedRun> = on_server
        .into_iter()
        .filter(|r| !local.iter().any(|l| l.holds(&r.sha256)))
        .collect();
    if !missing.is_empty() {
        let analyzer = crate::browser::analyzer()
            .map_err(|e| format!("the analysis worker did not start: {e}"))?;
        for r in missing {
            set(&r.sha256, Some(SyncState::Downloading));
            let name = r
                .name
                .clone()
                .unwrap_or_else(|| format!("{}.{}", r.id, r.format));
            let outcome = match sync::download(&r.id).await {
                Ok(bytes) => import_bytes(&analyzer, name, bytes).await,
                Err(reason) => Outcome::Failed(reason),
            };
            match outcome {
                Outcome::Added(run) if run.id == r.sha256 => {
                    down += 1;
                    runs.update(|list| {
                        list.push(*run);
                        sort_newest_first(list);
                    });
                    set(&r.sha256, None);
                }
                Outcome::Added(_) => {
                    failed += 1;
                    let reason = "the bytes that came down are not the run's".to_owned();
                    set(&r.sha256, Some(SyncState::Failed(reason)));
                }
                Outcome::SameRun { run, replaced } => {
                    down += 1;
                    let old = replaced.unwrap_or_else(|| run.id.clone());
                    runs.update(|list| {
                        list.retain(|l| l.id != old);
                        list.push(*run);
                        sort_newest_first(list);
                    });
                    set(&r.sha256, None);
                }
                Outcome::Known => set(&r.sha256, None),
                Outcome::NoActivity => {
                    failed += 1;
                    let reason = "the file holds no activity".to_owned();
                    set(&r.sha256, Some(SyncState::Failed(reason)));
                }
                Outcome::Failed(reason) => {
                    failed += 1;
                    set(&r.sha256, Some(SyncState::Failed(reason)));
                }
            }
        }
    }
    remote.set(list_synced_runs().await.map_err(|e| e.to_string())?);
    let mut text = format!("Synced: {up} uploaded, {down} downloaded");
    if failed > 0 {
        text.push_str(&format!(", {failed} not synced"));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use analysis::RunSummary;

    fn local(id: &str, name: &str) -> LocalRun {
        LocalRun {
            id: id.into(),
            name: name.into(),
            size: 1.0,
            summary: RunSummary {
                start_time: Some("2024-05-01T07:00:00Z".into()),
                ..RunSummary::default()
            },
            ..LocalRun::default()
        }
    }

    fn remote(id: &str, sha: &str) -> SyncedRun {
        SyncedRun {
            id: id.into(),
            sha256: sha.into(),
            name: Some("far.fit".into()),
            format: "fit".into(),
            size_bytes: 1,
            start_time: Some("2023-01-02T00:00:00Z".into()),
            uploaded_at: 1,
            share: None,
        }
    }

    #[test]
    fn each_run_gets_its_state() {
        let rows = sync_rows(
            &[
                local("a", "a.fit"),
                local("b", "b.fit"),
                local("c", "c.fit"),
            ],
            &[remote("r-a", "a"), remote("r-z", "z")],
            &HashMap::from([("c".to_string(), SyncState::Failed("too big".into()))]),
        );
        let seen: Vec<_> = rows
            .iter()
            .map(|r| {
                (
                    r.sha256.as_str(),
                    r.state.key(),
                    r.remote.as_ref().map(|s| s.id.as_str()),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                ("a", "synced", Some("r-a")),
                ("b", "local", None),
                ("c", "failed", None),
                ("z", "server", Some("r-z")),
            ]
        );
        assert_eq!(rows[0].label, "2024-05-01 · a.fit");
        assert_eq!(rows[3].label, "2023-01-02 · far.fit");
        assert_eq!(rows[2].state.text(), "Not synced: too big");
    }
}
