//! The Watch page's controller: the driver's events into the live tiles and the recording, the
//! runner's buttons into recording entries, each entry into the journal as it comes, and on
//! Stop the FIT file into the runs library, as an import would.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use analysis::{Entry, Recording, RecordingState};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::ble::{self, BleDriver};
use super::journal::{self, Journal};
use super::location::{self, PositionWatch};
use super::{Sink, WatchDriver, WatchError, WatchEvent};
use crate::browser::{analyzer, import, worker};
use crate::models::watch::{Action, Connection, RecordingStatus, Saved, Support, recording_name};
use crate::pages::watch::WatchSignals;

/// The one-second interval and its callback.
type Ticker = (i32, Closure<dyn FnMut()>);

/// The page's controller (one per mounted Watch page).
pub struct Controller {
    signals: WatchSignals,
    driver: Box<dyn WatchDriver>,
    recording: RefCell<Recording>,
    restored: Cell<bool>,
    journal: Journal,
    position: RefCell<Option<PositionWatch>>,
    ticker: RefCell<Option<Ticker>>,
}

thread_local! {
    static CONTROLLER: RefCell<Option<Rc<Controller>>> = const { RefCell::new(None) };
}

/// The mounted page's controller, if any.
pub fn controller() -> Option<Rc<Controller>> {
    CONTROLLER.with(|c| c.borrow().clone())
}

/// Now, UTC seconds (the page's clock).
fn now() -> f64 {
    js_sys::Date::now() / 1_000.0
}

/// Starts the controller for a freshly mounted page: checks for Web Bluetooth and an adapter,
/// restores a recording left in storage, starts the one-second ticker.
pub fn mount(signals: WatchSignals) {
    let c = Rc::new(Controller {
        signals,
        driver: Box::new(BleDriver::default()),
        recording: RefCell::new(Recording::new()),
        restored: Cell::new(false),
        journal: Journal::default(),
        position: RefCell::new(None),
        ticker: RefCell::new(None),
    });
    if let Some(old) = CONTROLLER.with(|cell| cell.borrow_mut().replace(c.clone())) {
        old.shutdown();
    }
    let tick = {
        let weak = Rc::downgrade(&c);
        Closure::<dyn FnMut()>::new(move || {
            if let Some(c) = weak.upgrade() {
                c.tick();
            }
        })
    };
    if let Ok(id) = window().set_interval_with_callback_and_timeout_and_arguments_0(
        tick.as_ref().unchecked_ref(),
        1_000,
    ) {
        *c.ticker.borrow_mut() = Some((id, tick));
    }
    leptos::task::spawn_local({
        let c = c.clone();
        async move {
            let support = if !ble::supported() {
                Support::NoWebBluetooth
            } else if ble::available().await {
                Support::Available
            } else {
                Support::NoAdapter
            };
            signals.support.try_set(support);
            c.restore().await;
        }
    });
}

/// Stops the controller of a page being left (the recording stays in storage).
pub fn unmount() {
    if let Some(c) = CONTROLLER.with(|cell| cell.borrow_mut().take()) {
        c.shutdown();
    }
}

impl Controller {
    fn shutdown(&self) {
        self.driver.disconnect();
        self.position.borrow_mut().take();
        if let Some((id, _)) = self.ticker.borrow_mut().take() {
            window().clear_interval_with_handle(id);
        }
    }

    /// Each second: the live chart takes the sensor's values (while a sensor is connected or
    /// being reconnected; a lost second is a gap) and the recording's figures are updated.
    fn tick(&self) {
        let signals = self.signals;
        if matches!(
            signals.connection.get_untracked(),
            Connection::Connected | Connection::Reconnecting(_)
        ) {
            let live = signals.live.get_untracked();
            signals.history.try_update(|h| h.push(now(), &live));
        }
        self.refresh();
    }

    /// Updates the recording's figures on the page.
    fn refresh(&self) {
        let status = RecordingStatus::of(&self.recording.borrow(), now(), self.restored.get());
        self.signals.status.try_set(status);
    }

    fn recording_active(&self) -> bool {
        matches!(
            self.recording.borrow().state(),
            RecordingState::Running | RecordingState::Paused
        )
    }

    /// Appends to the recording and the journal.
    fn push(&self, entry: Entry) -> bool {
        let kept = self.recording.borrow_mut().push(entry).cloned();
        let ok = match kept {
            Ok(entry) => {
                self.journal.append(&entry);
                true
            }
            Err(e) => {
                self.signals.message.try_set(Some(e.to_string()));
                false
            }
        };
        self.refresh();
        ok
    }

    async fn restore(self: Rc<Self>) {
        let entries = match journal::load().await {
            Ok(entries) => entries,
            Err(e) => {
                self.signals.message.try_set(Some(e));
                return;
            }
        };
        if entries.is_empty() {
            return;
        }
        // Whatever fits of what was stored (an entry that does not is skipped).
        let mut rec = Recording::new();
        for entry in entries {
            let _ = rec.push(entry);
        }
        let stopped = rec.state() == RecordingState::Stopped;
        *self.recording.borrow_mut() = rec;
        self.restored.set(true);
        self.refresh();
        if stopped {
            // Saving was interrupted: do it now.
            self.save().await;
        } else if self.recording.borrow().state() == RecordingState::Running
            && self.signals.use_location.get_untracked()
        {
            self.watch_position();
        }
    }

    /// What the runner pressed.
    pub fn act(self: &Rc<Self>, action: Action) {
        let t = now();
        match action {
            Action::Connect => {
                leptos::task::spawn_local(self.clone().connect());
            }
            Action::Disconnect => {
                self.driver.disconnect();
                self.signals.connection.set(Connection::Idle);
                self.signals.live.update(|l| l.clear_values());
            }
            Action::Start => {
                self.signals.saved.set(None);
                self.signals.message.set(None);
                *self.recording.borrow_mut() = Recording::new();
                self.restored.set(false);
                if self.push(Entry::Start { time: t }) && self.signals.use_location.get_untracked()
                {
                    self.watch_position();
                }
            }
            Action::Lap => {
                self.push(Entry::Lap { time: t });
            }
            Action::Pause => {
                self.push(Entry::Pause { time: t });
            }
            Action::Resume => {
                self.push(Entry::Resume { time: t });
            }
            Action::Stop => {
                if self.push(Entry::Stop { time: t }) {
                    self.position.borrow_mut().take();
                    leptos::task::spawn_local({
                        let c = self.clone();
                        async move { c.save().await }
                    });
                }
            }
            Action::Discard => {
                self.position.borrow_mut().take();
                *self.recording.borrow_mut() = Recording::new();
                self.restored.set(false);
                self.refresh();
                let journal = self.journal.clone();
                leptos::task::spawn_local(async move {
                    journal.settled().await;
                    let _ = journal::clear().await;
                });
            }
        }
    }

    fn watch_position(self: &Rc<Self>) {
        let weak = Rc::downgrade(self);
        let access = self.signals.location;
        *self.position.borrow_mut() = location::watch(
            move |entry| {
                if let Some(c) = weak.upgrade().filter(|c| c.recording_active()) {
                    c.push(entry);
                }
            },
            move |a| {
                access.try_set(a);
            },
        );
    }

    async fn connect(self: Rc<Self>) {
        let signals = self.signals;
        signals.connection.set(Connection::Connecting);
        signals.message.set(None);
        let sink: Sink = {
            let weak = Rc::downgrade(&self);
            Rc::new(move |event| {
                if let Some(c) = weak.upgrade() {
                    c.on_event(event);
                }
            })
        };
        match self.driver.connect(sink).await {
            Ok(summary) => {
                signals.device.try_set(Some(summary));
                signals.connection.try_set(Connection::Connected);
            }
            Err(e) => {
                signals.connection.try_set(Connection::Idle);
                match e {
                    WatchError::Unavailable(_) => {
                        signals.support.try_set(Support::NoAdapter);
                    }
                    WatchError::Cancelled => {}
                    WatchError::Failed(text) => {
                        signals
                            .message
                            .try_set(Some(format!("Could not connect: {text}")));
                    }
                }
            }
        }
    }

    fn on_event(&self, event: WatchEvent) {
        let signals = self.signals;
        let t = now();
        let active = self.recording_active();
        match event {
            WatchEvent::HeartRate(m) => {
                signals.live.try_update(|l| l.heart_rate(&m));
                if active && m.bpm > 0 {
                    self.push(Entry::HeartRate {
                        time: t,
                        bpm: f64::from(m.bpm),
                        rr_s: m.rr_s().collect(),
                    });
                }
            }
            WatchEvent::Stride(m) => {
                signals.live.try_update(|l| l.stride(&m));
                if active {
                    self.push(Entry::Stride {
                        time: t,
                        speed_mps: m.speed_mps,
                        cadence_spm: f64::from(m.cadence_spm),
                        stride_length_m: m.stride_length_m,
                        total_distance_m: m.total_distance_m,
                    });
                }
            }
            WatchEvent::Battery(level) => {
                signals
                    .device
                    .try_update(|d| d.get_or_insert_with(Default::default).battery = Some(level));
            }
            WatchEvent::Disconnected => {
                signals.connection.try_set(Connection::Reconnecting(0));
                signals.live.try_update(|l| l.clear_values());
                if active {
                    self.push(Entry::Disconnected { time: t });
                }
            }
            WatchEvent::Reconnecting { attempt, .. } => {
                signals
                    .connection
                    .try_set(Connection::Reconnecting(attempt));
            }
            WatchEvent::Reconnected(summary) => {
                signals.device.try_set(Some(summary));
                signals.connection.try_set(Connection::Connected);
                if active {
                    self.push(Entry::Reconnected { time: t });
                }
            }
            WatchEvent::Lost(reason) => {
                signals.connection.try_set(Connection::Lost);
                signals
                    .message
                    .try_set(Some(format!("Connection lost: {reason}")));
            }
        }
    }

    /// Encodes the stopped recording and keeps it in the library; the journal is cleared once
    /// the run is in the library.
    async fn save(&self) {
        let signals = self.signals;
        signals.saved.try_set(Some(Saved::Saving));
        self.journal.settled().await;
        let (bytes, start) = {
            let rec = self.recording.borrow();
            let device = signals.device.get_untracked().and_then(|d| d.name);
            (
                rec.encode(device.as_deref()),
                rec.start_time().unwrap_or_else(now),
            )
        };
        let bytes = match bytes {
            Ok(bytes) => bytes,
            Err(e) => {
                signals.saved.try_set(Some(Saved::Failed(e.to_string())));
                return;
            }
        };
        let id = worker::sha256_hex(&bytes);
        let buffer = js_sys::Uint8Array::from(bytes.as_slice()).buffer();
        let outcome = match analyzer() {
            Ok(a) => import::import_bytes(&a, recording_name(start), buffer).await,
            Err(e) => import::Outcome::Failed(e),
        };
        let saved = match outcome {
            import::Outcome::Added(run) => Saved::Added(run.id),
            import::Outcome::SameRun { run, .. } => Saved::Added(run.id),
            import::Outcome::Known => Saved::Known(id),
            import::Outcome::NoActivity => {
                Saved::Failed("the recording holds no samples: nothing to keep".to_owned())
            }
            import::Outcome::Failed(reason) => Saved::Failed(reason),
        };
        if matches!(saved, Saved::Added(_) | Saved::Known(_)) {
            if let Err(e) = journal::clear().await {
                signals.message.try_set(Some(e));
            }
            self.restored.set(false);
        }
        signals.saved.try_set(Some(saved));
        self.refresh();
    }
}
