use analysis::RecordingState;
use leptos::prelude::*;
use leptos_meta::Title;

use super::PageHeader;
use crate::components::charts::LiveChart;
use crate::components::{Display, MetricTile};
use crate::models::watch::{
    Action, Connection, DistanceSource, LocationAccess, RecordingStatus, Saved, Support,
};
use crate::models::{DeviceSummary, Live, LiveHistory};

/// The page's state, shared with the browser-side controller.
#[derive(Debug, Clone, Copy)]
pub struct WatchSignals {
    /// Whether Web Bluetooth and an adapter are there.
    pub support: RwSignal<Support>,
    /// The sensor connection.
    pub connection: RwSignal<Connection>,
    /// The connected device.
    pub device: RwSignal<Option<DeviceSummary>>,
    /// The latest sensor values.
    pub live: RwSignal<Live>,
    /// The live values of the last minutes, for the live chart.
    pub history: RwSignal<LiveHistory>,
    /// The recording's figures.
    pub status: RwSignal<RecordingStatus>,
    /// What became of the last stopped recording.
    pub saved: RwSignal<Option<Saved>>,
    /// An error to show.
    pub message: RwSignal<Option<String>>,
    /// Whether to record the browser's position.
    pub use_location: RwSignal<bool>,
    /// What the browser lets the page know of the position.
    pub location: RwSignal<LocationAccess>,
}

impl WatchSignals {
    fn new() -> Self {
        Self {
            support: RwSignal::new(Support::Checking),
            connection: RwSignal::new(Connection::Idle),
            device: RwSignal::new(None),
            live: RwSignal::new(Live::default()),
            history: RwSignal::new(LiveHistory::default()),
            status: RwSignal::new(RecordingStatus::default()),
            saved: RwSignal::new(None),
            message: RwSignal::new(None),
            use_location: RwSignal::new(true),
            location: RwSignal::new(LocationAccess::Unknown),
        }
    }
}

fn act(action: Action) {
    #[cfg(feature = "hydrate")]
    if let Some(c) = crate::browser::watch::controller() {
        c.act(action);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = action;
}

fn state_id(state: RecordingState) -> &'static str {
    match state {
        RecordingState::Ready => "ready",
        RecordingState::Running => "running",
        RecordingState::Paused => "paused",
        RecordingState::Stopped => "stopped",
    }
}

/// A live tile: the metric tile when there is a value, else a dash (no `data-value`).
fn live_tile(
    id: &'static str,
    label: &'static str,
    value: Option<f64>,
    display: Display,
) -> AnyView {
    match value.filter(|v| v.is_finite()) {
        Some(value) => view! { <MetricTile id label value display /> }.into_any(),
        None => view! {
            <div class="metric-tile metric-tile--empty" data-metric=id>
                <span class="metric-tile__label">{label}</span>
                <span class="metric-tile__value">"–"</span>
            </div>
        }
        .into_any(),
    }
}

/// `/watch`: connect a Bluetooth sensor, see it live, record a run into the library.
#[component]
pub fn WatchPage() -> impl IntoView {
    let s = WatchSignals::new();

    #[cfg(feature = "hydrate")]
    {
        Effect::new(move |_| crate::browser::watch::mount(s));
        on_cleanup(crate::browser::watch::unmount);
        // Whether the browser already allows or refuses the location, to say where the
        // distance will come from before Start.
        Effect::new(move |_| {
            leptos::task::spawn_local(async move {
                let access = crate::browser::watch::location::access().await;
                s.location.try_set(access);
            });
        });
    }

    let state = move || s.status.get().state;
    let recording = move || matches!(state(), RecordingState::Running | RecordingState::Paused);
    let saving = move || matches!(s.saved.get(), Some(Saved::Saving));
    let connected = move || s.connection.get() != Connection::Idle;
    let unsupported = move || {
        matches!(
            s.support.get(),
            Support::NoWebBluetooth | Support::NoAdapter
        )
    };

    let unsupported_message = move || {
        let why = match s.support.get() {
            Support::NoWebBluetooth => "This browser has no Web Bluetooth.",
            Support::NoAdapter => "No Bluetooth adapter is available here (or Bluetooth is off).",
            _ => return None,
        };
        Some(view! {
            <div class="watch__unsupported" role="alert">
                <p>
                    <strong>{why}</strong>
                    " Connecting a sensor works in Chrome, Edge, Opera and other Chromium-based browsers on "
                    "Windows, macOS, Linux, ChromeOS and Android, with Bluetooth on. Firefox and Safari "
                    "(on Mac, iPhone and iPad) do not offer Web Bluetooth."
                </p>
                <p>
                    "You can still bring your runs in from your watch's files: "
                    <a href="/runs">"import FIT, GPX or TCX files on the Runs page"</a>"."
                </p>
            </div>
        })
    };

    let device = move || {
        s.device.get().map(|d| {
            let row = |field: &'static str, label: &'static str, value: Option<String>| {
                value.map(|v| {
                    view! {
                        <dt>{label}</dt>
                        <dd data-field=field>{v}</dd>
                    }
                })
            };
            view! {
                <dl class="watch__device" aria-label="Device">
                    {row("name", "Name", d.name.clone())}
                    {row("manufacturer", "Manufacturer", d.manufacturer.clone())}
                    {row("model", "Model", d.model.clone())}
                    {row("firmware", "Firmware", d.firmware.clone())}
                    {row("battery", "Battery", d.battery.map(|b| format!("{b} %")))}
                </dl>
            }
        })
    };

    let live_tiles = move || {
        let live = s.live.get();
        let status = s.status.get();
        let distance = if status.state == RecordingState::Ready {
            live.total_distance_m
        } else {
            Some(status.distance_m)
        };
        view! {
            {live_tile("heart_rate", "Heart rate", live.heart_rate, Display::Whole("bpm"))}
            {live_tile("rmssd_ms", "HRV (rMSSD, 60 s)", live.rmssd_ms(), Display::Whole("ms"))}
            {live_tile("speed_mps", "Pace", live.speed_mps.filter(|v| *v > 0.0), Display::Pace)}
            {live_tile("cadence_spm", "Cadence", live.cadence_spm, Display::Whole("spm"))}
            {live_tile("stride_length_m", "Stride length", live.stride_length_m, Display::Scaled(1.0, 2, "m"))}
            {live_tile("distance_m", "Distance", distance, Display::Distance)}
        }
    };

    let recording_tiles = move || {
        let status = s.status.get();
        (status.state != RecordingState::Ready).then(|| {
            view! {
                {live_tile("timer_s", "Timer", Some(status.timer_s.floor()), Display::Duration)}
                {live_tile("elapsed_s", "Elapsed", Some(status.elapsed_s.floor()), Display::Duration)}
                {live_tile("laps", "Laps", Some(status.laps as f64), Display::Whole(""))}
            }
        })
    };

    let saved = move || {
        s.saved.get().map(|saved| match saved {
            Saved::Saving => view! { <p class="watch__saved" role="status">"Saving the run…"</p> }.into_any(),
            Saved::Added(id) | Saved::Known(id) => view! {
                <p class="watch__saved" role="status" data-run=id.clone()>
                    "The run is in your library: "
                    <a href=format!("/runs/{id}")>"see the run"</a>"."
                </p>
            }
            .into_any(),
            Saved::Failed(reason) => view! {
                <p class="watch__saved watch__saved--failed" role="alert">
                    "The run could not be saved (it stays on this device and saving is tried again when this page is reloaded): "
                    {reason}
                </p>
            }
            .into_any(),
        })
    };

    view! {
        <Title text="Watch" />
        <PageHeader
            title="Watch"
            lead="Your watch, chest strap or foot pod, straight to this page over Bluetooth."
        />
        <section
            class="watch"
            data-support=move || format!("{:?}", s.support.get()).to_lowercase()
            data-connection=move || s.connection.get().id()
            data-state=move || state_id(state())
            data-gaps=move || s.status.get().gaps.to_string()
        >
            {unsupported_message}
            <div class="watch__connect">
                <Show
                    when=connected
                    fallback=move || view! {
                        <button
                            class="button button--primary"
                            on:click=move |_| act(Action::Connect)
                            disabled=move || unsupported() || s.support.get() == Support::Checking
                        >
                            "Connect watch"
                        </button>
                    }
                >
                    <button class="button" on:click=move |_| act(Action::Disconnect)>"Disconnect"</button>
                </Show>
                <span class="watch__connection" role="status">
                    {move || match s.connection.get() {
                        Connection::Idle => String::new(),
                        Connection::Connecting => "Connecting…".to_owned(),
                        Connection::Connected => "Connected".to_owned(),
                        Connection::Reconnecting(n) => format!("Connection lost, reconnecting (attempt {})…", n + 1),
                        Connection::Lost => "Connection lost".to_owned(),
                    }}
                </span>
            </div>
            {device}
            <section class="metric-tiles watch__live" aria-label="Live">{live_tiles}</section>
            <Show when=move || !s.history.with(LiveHistory::is_empty)>
                <LiveChart history=s.history />
            </Show>
            <section class="watch__record" aria-label="Recording">
                <h2>"Record a run"</h2>
                <label class="watch__location">
                    <input
                        type="checkbox"
                        prop:checked=move || s.use_location.get()
                        on:change=move |e| s.use_location.set(event_target_checked(&e))
                        disabled=recording
                    />
                    " Use this device's location for distance (outdoors); otherwise the foot pod's"
                </label>
                {move || {
                    let foot_pod = s.connection.get() == Connection::Connected
                        && s.device.with(|d| d.as_ref().is_some_and(|d| d.running_speed));
                    let source = DistanceSource::choose(s.use_location.get(), s.location.get(), foot_pod);
                    let none = source == DistanceSource::None;
                    view! {
                        <p
                            class="watch__distance-source"
                            class:watch__distance-source--none=none
                            data-distance-source=source.id()
                            role=if none { "alert" } else { "status" }
                        >
                            {source.text()}
                        </p>
                    }
                }}
                <div class="watch__buttons">
                    <button
                        class="button button--primary"
                        on:click=move |_| act(Action::Start)
                        disabled=move || recording() || saving() || s.support.get() == Support::Checking
                    >
                        "Start"
                    </button>
                    <button class="button" on:click=move |_| act(Action::Lap) disabled=move || state() != RecordingState::Running>
                        "Lap"
                    </button>
                    <Show
                        when=move || state() == RecordingState::Paused
                        fallback=move || view! {
                            <button class="button" on:click=move |_| act(Action::Pause) disabled=move || state() != RecordingState::Running>
                                "Pause"
                            </button>
                        }
                    >
                        <button class="button" on:click=move |_| act(Action::Resume)>"Resume"</button>
                    </Show>
                    <button class="button" on:click=move |_| act(Action::Stop) disabled=move || !recording()>
                        "Stop"
                    </button>
                    <Show when=recording>
                        <button class="button button--small button--danger" on:click=move |_| act(Action::Discard)>"Discard"</button>
                    </Show>
                </div>
                <Show when=move || s.status.get().restored && recording()>
                    <p class="watch__restored">"This recording was restored after the page was reloaded; connect the sensor again to go on."</p>
                </Show>
                <section class="metric-tiles" aria-label="Recording figures">{recording_tiles}</section>
                {saved}
            </section>
            {move || s.message.get().map(|m| view! { <p class="watch__message" role="alert">{m}</p> })}
            <p class="watch__note">
                "Works with chest straps and arm bands, watches in heart-rate broadcast mode and "
                "Bluetooth foot pods (Heart Rate and Running Speed and Cadence services). Huawei Watch "
                "GT-class watches talk Bluetooth Classic, which no browser can reach: export their runs "
                "and "<a href="/runs">"import the files"</a>" instead."
            </p>
        </section>
    }
}
