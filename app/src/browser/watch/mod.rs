//! The watch in the browser.
//!
//! A [`WatchDriver`] connects to a sensor and reports what it sends as [`WatchEvent`]s; the
//! Web Bluetooth driver ([`ble::BleDriver`]: heart-rate straps, watches broadcasting heart
//! rate, foot pods) is the first, and file-sync drivers (Garmin's protocol) plug in beside it.
//! The [`controller`] ties a driver, the recording (kept in IndexedDB as it goes, see
//! [`journal`]) and geolocation to the Watch page's signals.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use analysis::gatt::{HeartRateMeasurement, RscMeasurement};

use crate::models::DeviceSummary;

/// Web Bluetooth: GATT heart rate, running speed and cadence, battery, device information.
pub mod ble;
/// The Watch page's controller.
pub mod controller;
/// The in-progress recording, entry by entry, in its own IndexedDB database.
pub mod journal;
/// Positions from the browser's geolocation.
pub mod location;
pub use controller::{controller, mount, unmount};

/// What a driver reports.
#[derive(Debug, Clone, PartialEq)]
pub enum WatchEvent {
    /// A heart-rate measurement.
    HeartRate(HeartRateMeasurement),
    /// A running speed and cadence measurement.
    Stride(RscMeasurement),
    /// The battery level changed, percent.
    Battery(u8),
    /// The connection dropped (not at the runner's request); reconnection follows.
    Disconnected,
    /// Reconnection attempt `attempt` (0 first) starts after `delay_ms`.
    Reconnecting {
        /// Which attempt.
        attempt: u32,
        /// Its wait, milliseconds.
        delay_ms: u32,
    },
    /// Connected again.
    Reconnected(DeviceSummary),
    /// Reconnection was given up, and why.
    Lost(String),
}

/// Where a driver sends its events.
pub type Sink = Rc<dyn Fn(WatchEvent)>;

/// A future a driver returns (single-threaded, as everything in the page).
pub type LocalFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// Why connecting failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WatchError {
    /// This browser or device cannot do it at all (no Web Bluetooth, no adapter).
    #[error("{0}")]
    Unavailable(String),
    /// The runner closed the chooser without picking a device.
    #[error("no device was chosen")]
    Cancelled,
    /// Anything else, with the browser's words.
    #[error("{0}")]
    Failed(String),
}

/// A way to reach a watch or sensor.
pub trait WatchDriver {
    /// What it connects to, for the page ("Bluetooth heart rate and foot pods").
    fn label(&self) -> &'static str;

    /// Asks the runner for a device (a browser chooser, for Bluetooth), connects, and from then
    /// on reports its measurements to `sink` (also across reconnections) until
    /// [`WatchDriver::disconnect`].
    fn connect(&self, sink: Sink) -> LocalFuture<'_, Result<DeviceSummary, WatchError>>;

    /// Disconnects at the runner's request: no reconnection follows.
    fn disconnect(&self);
}
