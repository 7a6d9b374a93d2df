//! The Web Bluetooth driver: `navigator.bluetooth.requestDevice` for a device with the Heart
//! Rate (0x180D) or Running Speed and Cadence (0x1814) service, Battery (0x180F) and Device
//! Information (0x180A) optional; the device information and battery are read, heart-rate and
//! RSC measurements (and battery changes, when the device notifies them) subscribed to. A
//! connection that drops without the runner asking (`gattserverdisconnected`) is retried with
//! back-off (1 s, 2 s, 4 s, … 30 s), up to [`MAX_ATTEMPTS`] times.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use analysis::gatt::{self, heart_rate, rsc, uuid};
use js_sys::{DataView, JsString, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{
    BluetoothDevice, BluetoothLeScanFilterInit, BluetoothRemoteGattCharacteristic,
    BluetoothRemoteGattServer, BluetoothRemoteGattService, Event, RequestDeviceOptions,
};

use super::{LocalFuture, Sink, WatchDriver, WatchError, WatchEvent};
use crate::browser::timer::sleep;
use crate::browser::worker::describe;
use crate::models::DeviceSummary;
use crate::models::watch::reconnect_delay_ms;

/// Reconnection attempts before giving up (about ten minutes at the longest wait).
pub const MAX_ATTEMPTS: u32 = 25;

/// Heart-rate straps, watches in broadcast mode and foot pods over Web Bluetooth.
#[derive(Default)]
pub struct BleDriver {
    inner: Rc<Inner>,
}

/// An event listener kept alive by the driver.
type Listener = Closure<dyn FnMut(Event)>;

#[derive(Default)]
struct Inner {
    device: RefCell<Option<BluetoothDevice>>,
    /// The listeners on the device, kept alive as long as it is connected.
    listeners: RefCell<Vec<Listener>>,
    /// The measurements' listener, for [`setup`] after a reconnection.
    on_value: RefCell<Option<js_sys::Function>>,
    /// The runner asked to disconnect: no reconnection.
    leaving: Cell<bool>,
    /// Bumped at each connect and disconnect, so a stale reconnection loop stops.
    generation: Cell<u32>,
}

impl WatchDriver for BleDriver {
    fn label(&self) -> &'static str {
        "Bluetooth heart-rate sensors, watches in heart-rate broadcast mode and foot pods"
    }

    fn connect(&self, sink: Sink) -> LocalFuture<'_, Result<DeviceSummary, WatchError>> {
        let inner = self.inner.clone();
        Box::pin(async move { connect(inner, sink).await })
    }

    fn disconnect(&self) {
        self.inner.leaving.set(true);
        self.inner
            .generation
            .set(self.inner.generation.get().wrapping_add(1));
        if let Some(server) = self.inner.device.borrow_mut().take().and_then(|d| d.gatt()) {
            server.disconnect();
        }
        self.inner.listeners.borrow_mut().clear();
    }
}

/// Whether this browser has Web Bluetooth at all.
pub fn supported() -> bool {
    leptos::prelude::window().navigator().bluetooth().is_some()
}

/// Whether a Bluetooth adapter is there (`getAvailability`); `false` without Web Bluetooth.
pub async fn available() -> bool {
    let Some(bluetooth) = leptos::prelude::window().navigator().bluetooth() else {
        return false;
    };
    bluetooth
        .get_availability()
        .await
        .map(|b| b.value_of())
        .unwrap_or(false)
}

/// The message for a browser or machine without Web Bluetooth.
pub const NO_ADAPTER: &str = "Bluetooth adapter not available";

fn classify(e: JsValue) -> WatchError {
    let text = describe(e.clone());
    let name = js_sys::Reflect::get(&e, &JsValue::from_str("name"))
        .ok()
        .and_then(|n| n.as_string())
        .unwrap_or_default();
    let lower = text.to_lowercase();
    if lower.contains("adapter") || lower.contains("not available") || name == "NotSupportedError" {
        WatchError::Unavailable(text)
    } else if name == "NotFoundError" && lower.contains("cancel") {
        WatchError::Cancelled
    } else {
        WatchError::Failed(text)
    }
}

async fn connect(inner: Rc<Inner>, sink: Sink) -> Result<DeviceSummary, WatchError> {
    let bluetooth = leptos::prelude::window()
        .navigator()
        .bluetooth()
        .ok_or_else(|| WatchError::Unavailable("this browser has no Web Bluetooth".into()))?;
    let services = |list: &[u16]| -> Vec<JsString> {
        list.iter()
            .map(|u| JsString::from(uuid::full(*u)))
            .collect()
    };
    let heart = BluetoothLeScanFilterInit::new();
    heart.set_services(&services(&[uuid::HEART_RATE_SERVICE]));
    let pod = BluetoothLeScanFilterInit::new();
    pod.set_services(&services(&[uuid::RSC_SERVICE]));
    let options = RequestDeviceOptions::new();
    options.set_filters(&[heart, pod]);
    // A device found by one filter may have the other service too.
    options.set_optional_services(&services(&[
        uuid::HEART_RATE_SERVICE,
        uuid::RSC_SERVICE,
        uuid::BATTERY_SERVICE,
        uuid::DEVICE_INFORMATION_SERVICE,
    ]));
    let device = bluetooth.request_device(&options).await.map_err(classify)?;

    // Forget a previous device.
    inner.leaving.set(false);
    inner.generation.set(inner.generation.get().wrapping_add(1));
    let old = inner.device.borrow_mut().replace(device.clone());
    if let Some(server) = old.and_then(|d| d.gatt()) {
        server.disconnect();
    }
    inner.listeners.borrow_mut().clear();
    let on_value = listen(&inner, &device, &sink);
    *inner.on_value.borrow_mut() = Some(on_value.clone());
    setup(&device, &on_value).await.map_err(WatchError::Failed)
}

/// Listens for disconnection on the device, and returns the listener for measurements, which
/// [`setup`] adds to each characteristic (Chromium does not bubble `characteristicvaluechanged`
/// up to the device). Adding the same listener again after a reconnection is a no-op.
fn listen(inner: &Rc<Inner>, device: &BluetoothDevice, sink: &Sink) -> js_sys::Function {
    let on_value = {
        let sink = sink.clone();
        Closure::<dyn FnMut(Event)>::new(move |e: Event| {
            let Some(c) = e
                .target()
                .and_then(|t| t.dyn_into::<BluetoothRemoteGattCharacteristic>().ok())
            else {
                return;
            };
            let Some(view) = c.value() else { return };
            let bytes = bytes_of(&view);
            let event = match short_uuid(&c.uuid()) {
                Some(uuid::HEART_RATE_MEASUREMENT) => {
                    heart_rate::parse(&bytes).map(WatchEvent::HeartRate)
                }
                Some(uuid::RSC_MEASUREMENT) => rsc::parse(&bytes).map(WatchEvent::Stride),
                Some(uuid::BATTERY_LEVEL) => gatt::battery_level(&bytes).map(WatchEvent::Battery),
                _ => return,
            };
            match event {
                Ok(event) => sink(event),
                // A malformed notification is dropped; the next one will do.
                Err(e) => leptos::logging::warn!("{e}"),
            }
        })
    };
    let on_disconnect = {
        let sink = sink.clone();
        let weak = Rc::downgrade(inner);
        let device = device.clone();
        Closure::<dyn FnMut(Event)>::new(move |_: Event| {
            let Some(inner) = weak.upgrade() else { return };
            if inner.leaving.get() {
                return;
            }
            sink(WatchEvent::Disconnected);
            leptos::task::spawn_local(reconnect(inner, device.clone(), sink.clone()));
        })
    };
    let _ = device.add_event_listener_with_callback(
        "gattserverdisconnected",
        on_disconnect.as_ref().unchecked_ref(),
    );
    let function: js_sys::Function = on_value
        .as_ref()
        .unchecked_ref::<js_sys::Function>()
        .clone();
    inner
        .listeners
        .borrow_mut()
        .extend([on_value, on_disconnect]);
    function
}

/// Retries with back-off until connected, the runner disconnects, or [`MAX_ATTEMPTS`].
async fn reconnect(inner: Rc<Inner>, device: BluetoothDevice, sink: Sink) {
    let generation = inner.generation.get();
    let stale = |inner: &Inner| inner.leaving.get() || inner.generation.get() != generation;
    let mut last_error = String::new();
    for attempt in 0..MAX_ATTEMPTS {
        let delay_ms = reconnect_delay_ms(attempt);
        sink(WatchEvent::Reconnecting { attempt, delay_ms });
        sleep(delay_ms).await;
        if stale(&inner) {
            return;
        }
        let Some(on_value) = inner.on_value.borrow().clone() else {
            return;
        };
        match setup(&device, &on_value).await {
            Ok(summary) => {
                if !stale(&inner) {
                    sink(WatchEvent::Reconnected(summary));
                }
                return;
            }
            Err(e) => {
                leptos::logging::warn!("reconnection attempt {}: {e}", attempt + 1);
                last_error = e;
            }
        }
    }
    sink(WatchEvent::Lost(format!(
        "gave up reconnecting after {MAX_ATTEMPTS} attempts: {last_error}"
    )));
}

/// Connects the GATT server, reads the device information and battery, subscribes.
async fn setup(
    device: &BluetoothDevice,
    on_value: &js_sys::Function,
) -> Result<DeviceSummary, String> {
    let server = device
        .gatt()
        .ok_or("the device has no GATT server")?
        .connect()
        .await
        .map_err(describe)?;
    let mut summary = DeviceSummary {
        name: device.name(),
        ..DeviceSummary::default()
    };
    if let Some(info) = service(&server, uuid::DEVICE_INFORMATION_SERVICE).await {
        summary.manufacturer = read_string(&info, uuid::MANUFACTURER_NAME).await;
        summary.model = read_string(&info, uuid::MODEL_NUMBER).await;
        summary.firmware = read_string(&info, uuid::FIRMWARE_REVISION).await;
    }
    let battery = match service(&server, uuid::BATTERY_SERVICE).await {
        Some(s) => characteristic(&s, uuid::BATTERY_LEVEL).await,
        None => None,
    };
    if let Some(level) = battery {
        if let Ok(view) = level.read_value().await {
            summary.battery = gatt::battery_level(&bytes_of(&view)).ok();
        }
        // Not every device notifies its battery level.
        let _ = level.add_event_listener_with_callback("characteristicvaluechanged", on_value);
        let _ = level.start_notifications().await;
    }
    for (service_uuid, measurement) in [
        (uuid::HEART_RATE_SERVICE, uuid::HEART_RATE_MEASUREMENT),
        (uuid::RSC_SERVICE, uuid::RSC_MEASUREMENT),
    ] {
        let Some(s) = service(&server, service_uuid).await else {
            continue;
        };
        let c = characteristic(&s, measurement)
            .await
            .ok_or_else(|| format!("the device has no characteristic {measurement:#06x}"))?;
        c.add_event_listener_with_callback("characteristicvaluechanged", on_value)
            .map_err(describe)?;
        c.start_notifications().await.map_err(describe)?;
        if service_uuid == uuid::HEART_RATE_SERVICE {
            summary.heart_rate = true;
        } else {
            summary.running_speed = true;
        }
    }
    if !summary.heart_rate && !summary.running_speed {
        let why = server
            .get_primary_service_with_str(&uuid::full(uuid::HEART_RATE_SERVICE))
            .await
            .err()
            .map(describe)
            .unwrap_or_default();
        return Err(format!(
            "the device has neither heart rate nor running speed and cadence ({why})"
        ));
    }
    Ok(summary)
}

async fn service(
    server: &BluetoothRemoteGattServer,
    short: u16,
) -> Option<BluetoothRemoteGattService> {
    server
        .get_primary_service_with_str(&uuid::full(short))
        .await
        .ok()
}

async fn characteristic(
    service: &BluetoothRemoteGattService,
    short: u16,
) -> Option<BluetoothRemoteGattCharacteristic> {
    service
        .get_characteristic_with_str(&uuid::full(short))
        .await
        .ok()
}

async fn read_string(service: &BluetoothRemoteGattService, short: u16) -> Option<String> {
    let c = characteristic(service, short).await?;
    let view = c.read_value().await.ok()?;
    gatt::device_string(&bytes_of(&view))
        .ok()
        .filter(|s| !s.is_empty())
}

fn bytes_of(view: &DataView) -> Vec<u8> {
    Uint8Array::new_with_byte_offset_and_length(
        &view.buffer(),
        view.byte_offset() as u32,
        view.byte_length() as u32,
    )
    .to_vec()
}

/// The 16-bit form of a SIG UUID (`0000xxxx-0000-1000-8000-00805f9b34fb`).
fn short_uuid(full: &str) -> Option<u16> {
    let full = full.to_ascii_lowercase();
    if full.len() == 36
        && full.starts_with("0000")
        && full.ends_with("-0000-1000-8000-00805f9b34fb")
    {
        u16::from_str_radix(&full[4..8], 16).ok()
    } else {
        None
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    #[wasm_bindgen_test]
    fn short_uuids() {
        assert_eq!(
            short_uuid("00002a37-0000-1000-8000-00805f9b34fb"),
            Some(0x2a37)
        );
        assert_eq!(
            short_uuid("00002A53-0000-1000-8000-00805F9B34FB"),
            Some(0x2a53)
        );
        assert_eq!(short_uuid("6e400001-b5a3-f393-e0a9-e50e24dcca9e"), None);
    }
}
