//! The watch page's state, as plain types that both sides compile and native tests exercise:
//! what the sensor said last (the live tiles), the connected device, and how long to wait
//! before each reconnection attempt.

use std::collections::VecDeque;

use analysis::gatt::{HeartRateMeasurement, RscMeasurement};
use analysis::models::hrv::rmssd_last;
use serde::{Deserialize, Serialize};

/// The window of the live rMSSD, seconds.
pub const RMSSD_WINDOW_S: f64 = 60.0;
/// RR intervals kept for it (more than a minute at any heart rate up to 250 bpm).
const RR_KEPT: usize = 300;
/// The first reconnection attempt waits this long, milliseconds; each further one twice as long.
pub const RECONNECT_FIRST_MS: u32 = 1_000;
/// The longest wait between attempts, milliseconds.
pub const RECONNECT_MAX_MS: u32 = 30_000;

/// How long to wait before reconnection attempt `attempt` (0 first): 1 s, 2 s, 4 s, … up to 30 s.
///
/// ```
/// use app::models::watch::reconnect_delay_ms;
/// assert_eq!([0, 1, 2, 5, 9].map(reconnect_delay_ms), [1_000, 2_000, 4_000, 30_000, 30_000]);
/// ```
pub fn reconnect_delay_ms(attempt: u32) -> u32 {
    RECONNECT_FIRST_MS
        .saturating_mul(1u32.checked_shl(attempt).unwrap_or(u32::MAX))
        .min(RECONNECT_MAX_MS)
}

/// What the browser lets the page know of this device's position.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LocationAccess {
    /// Not asked yet (the browser asks on Start).
    #[default]
    Unknown,
    /// Allowed.
    Allowed,
    /// Refused by the runner or the browser's settings.
    Refused,
    /// The browser has no geolocation.
    Unavailable,
}

/// Where a recording's distance comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DistanceSource {
    /// This device's location (outdoors); `asked` while the browser has not said yes yet.
    Location {
        /// The browser will ask for the location on Start.
        asked: bool,
    },
    /// The connected foot pod (its total distance, or its speed).
    FootPod,
    /// Nothing: the run will have time and heart rate, and no distance.
    None,
}

impl DistanceSource {
    /// The source for the runner's choice (`use_location`), what the browser allows, and
    /// whether a foot pod (Running Speed and Cadence) is connected.
    ///
    /// ```
    /// use app::models::watch::{DistanceSource, LocationAccess};
    /// assert_eq!(DistanceSource::choose(true, LocationAccess::Allowed, true), DistanceSource::Location { asked: false });
    /// assert_eq!(DistanceSource::choose(true, LocationAccess::Refused, true), DistanceSource::FootPod);
    /// assert_eq!(DistanceSource::choose(true, LocationAccess::Refused, false), DistanceSource::None);
    /// assert_eq!(DistanceSource::choose(false, LocationAccess::Allowed, false), DistanceSource::None);
    /// ```
    pub fn choose(use_location: bool, access: LocationAccess, foot_pod: bool) -> Self {
        match access {
            LocationAccess::Allowed if use_location => Self::Location { asked: false },
            LocationAccess::Unknown if use_location => Self::Location { asked: true },
            _ if foot_pod => Self::FootPod,
            _ => Self::None,
        }
    }

    /// A stable id for tests and styles: `location`, `foot_pod`, `none`.
    pub fn id(self) -> &'static str {
        match self {
            Self::Location { .. } => "location",
            Self::FootPod => "foot_pod",
            Self::None => "none",
        }
    }

    /// What the page says before Start.
    pub fn text(self) -> &'static str {
        match self {
            Self::Location { asked: false } => "Distance from this device's location.",
            Self::Location { asked: true } => {
                "Distance from this device's location: the browser asks for it when you press Start."
            }
            Self::FootPod => "Distance from the foot pod.",
            Self::None => {
                "No distance source: the location is off or refused and no foot pod is connected. The run will record time and heart rate, and no distance. Allow the location or connect a foot pod for distance."
            }
        }
    }
}

/// The connected sensor, as its Device Information and Battery services describe it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DeviceSummary {
    /// The advertised name.
    pub name: Option<String>,
    /// Manufacturer Name String.
    pub manufacturer: Option<String>,
    /// Model Number String.
    pub model: Option<String>,
    /// Firmware Revision String.
    pub firmware: Option<String>,
    /// Battery level, percent.
    pub battery: Option<u8>,
    /// Whether it has the Heart Rate service.
    pub heart_rate: bool,
    /// Whether it has the Running Speed and Cadence service.
    pub running_speed: bool,
}

/// The latest values from the sensors, for the live tiles.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Live {
    /// Heart rate, bpm.
    pub heart_rate: Option<f64>,
    /// Speed, m/s.
    pub speed_mps: Option<f64>,
    /// Cadence, steps per minute.
    pub cadence_spm: Option<f64>,
    /// Stride length, metres.
    pub stride_length_m: Option<f64>,
    /// The foot pod's total distance, metres.
    pub total_distance_m: Option<f64>,
    /// The most recent RR intervals, seconds, oldest first.
    rr_s: VecDeque<f64>,
}

impl Live {
    /// Takes a heart-rate notification.
    pub fn heart_rate(&mut self, m: &HeartRateMeasurement) {
        self.heart_rate = (m.bpm > 0).then_some(f64::from(m.bpm));
        for rr in m.rr_s() {
            if self.rr_s.len() == RR_KEPT {
                self.rr_s.pop_front();
            }
            self.rr_s.push_back(rr);
        }
    }

    /// Takes a running speed and cadence notification.
    pub fn stride(&mut self, m: &RscMeasurement) {
        self.speed_mps = Some(m.speed_mps);
        self.cadence_spm = Some(f64::from(m.cadence_spm));
        self.stride_length_m = m.stride_length_m;
        if m.total_distance_m.is_some() {
            self.total_distance_m = m.total_distance_m;
        }
    }

    /// rMSSD over the last [`RMSSD_WINDOW_S`] seconds of RR intervals, milliseconds (after
    /// artefact removal; `None` until there are enough clean beats).
    pub fn rmssd_ms(&self) -> Option<f64> {
        let rr: Vec<f64> = self.rr_s.iter().copied().collect();
        rmssd_last(&rr, RMSSD_WINDOW_S).map(|r| r.rmssd_ms)
    }

    /// Forgets the sensor values (the sensor is gone); the RR history stays for rMSSD.
    pub fn clear_values(&mut self) {
        self.heart_rate = None;
        self.speed_mps = None;
        self.cadence_spm = None;
        self.stride_length_m = None;
    }
}

/// How far back the live chart looks, seconds.
pub const LIVE_WINDOW_S: f64 = 600.0;

/// What the sensors said at one second, for the live chart (`None`: no value then, a gap).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LiveSample {
    /// UTC seconds.
    pub time: f64,
    /// Heart rate, bpm.
    pub heart_rate: Option<f64>,
    /// Speed, m/s.
    pub speed_mps: Option<f64>,
}

/// The live values of the last [`LIVE_WINDOW_S`] seconds, one sample per tick of the page's
/// one-second clock, oldest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LiveHistory {
    samples: VecDeque<LiveSample>,
}

impl LiveHistory {
    /// Takes the live values at `time`; samples older than the window go. A clock that went
    /// back (the device's time was set) starts the history again.
    pub fn push(&mut self, time: f64, live: &Live) {
        if self.samples.back().is_some_and(|s| s.time > time) {
            self.samples.clear();
        }
        while self
            .samples
            .front()
            .is_some_and(|s| s.time <= time - LIVE_WINDOW_S)
        {
            self.samples.pop_front();
        }
        self.samples.push_back(LiveSample {
            time,
            heart_rate: live.heart_rate,
            speed_mps: live.speed_mps,
        });
    }

    /// The samples, oldest first.
    pub fn samples(&self) -> impl ExactSizeIterator<Item = &LiveSample> {
        self.samples.iter()
    }

    /// How many samples there are.
    pub fn len(&self) -> usize {
        self.samples.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }

    /// The newest sample.
    pub fn last(&self) -> Option<&LiveSample> {
        self.samples.back()
    }

    /// The smallest and largest of one channel over the window, when it has values.
    pub fn extent(&self, channel: impl Fn(&LiveSample) -> Option<f64>) -> Option<(f64, f64)> {
        self.samples
            .iter()
            .filter_map(channel)
            .filter(|v| v.is_finite())
            .fold(None, |acc, v| match acc {
                None => Some((v, v)),
                Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
            })
    }
}

/// Whether this browser can reach a sensor.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Support {
    /// Not known yet (before hydration).
    #[default]
    Checking,
    /// Web Bluetooth with an adapter.
    Available,
    /// No Web Bluetooth in this browser (Firefox, Safari).
    NoWebBluetooth,
    /// Web Bluetooth, but no Bluetooth adapter (or it is off).
    NoAdapter,
}

/// The sensor connection.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Connection {
    /// Not connected.
    #[default]
    Idle,
    /// The chooser is open or the connection is being made.
    Connecting,
    /// Connected.
    Connected,
    /// The connection dropped; attempt `attempt` (0 first) is pending.
    Reconnecting(u32),
    /// Reconnection was given up.
    Lost,
}

impl Connection {
    /// The `data-connection` attribute: `idle`, `connecting`, `connected`, `reconnecting`, `lost`.
    pub fn id(&self) -> &'static str {
        match self {
            Self::Idle => "idle",
            Self::Connecting => "connecting",
            Self::Connected => "connected",
            Self::Reconnecting(_) => "reconnecting",
            Self::Lost => "lost",
        }
    }
}

/// The recording's figures for the page.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RecordingStatus {
    /// Where it stands.
    pub state: analysis::RecordingState,
    /// Timer seconds.
    pub timer_s: f64,
    /// Seconds since Start.
    pub elapsed_s: f64,
    /// Metres.
    pub distance_m: f64,
    /// Laps ended with Lap.
    pub laps: usize,
    /// Connections lost while recording.
    pub gaps: usize,
    /// Whether it was restored from storage after a reload.
    pub restored: bool,
}

impl RecordingStatus {
    /// The figures of `rec` at `now` (UTC seconds).
    pub fn of(rec: &analysis::Recording, now: f64, restored: bool) -> Self {
        Self {
            state: rec.state(),
            timer_s: rec.timer_s(now),
            elapsed_s: rec.elapsed_s(now),
            distance_m: rec.distance_m(),
            laps: rec.laps(),
            gaps: rec.gaps(),
            restored,
        }
    }
}

/// What became of a stopped recording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// Being encoded and analysed.
    Saving,
    /// In the library under this id.
    Added(String),
    /// The library already had it (same bytes), under this id.
    Known(String),
    /// It could not be saved, and why (it stays on the device: try again).
    Failed(String),
}

/// What the runner can do on the Watch page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Open the chooser and connect.
    Connect,
    /// Disconnect the sensor.
    Disconnect,
    /// Start recording.
    Start,
    /// End the lap.
    Lap,
    /// Pause the timer.
    Pause,
    /// Resume it.
    Resume,
    /// Stop, encode, save to the library.
    Stop,
    /// Throw the recording away.
    Discard,
}

/// The file name a recording is kept under: `Stride 2024-06-01 05-00.fit` (UTC).
///
/// ```
/// assert_eq!(app::models::watch::recording_name(1_717_218_000.0), "Stride 2024-06-01 05-00.fit");
/// ```
pub fn recording_name(start: f64) -> String {
    let stamp = analysis::time::format_rfc3339(start).unwrap_or_default();
    let day = stamp.get(..10).unwrap_or("recording");
    let time = stamp.get(11..16).unwrap_or("").replace(':', "-");
    format!("Stride {day} {time}.fit")
}

#[cfg(test)]
mod tests {
    use super::*;
    use analysis::gatt::{heart_rate, rsc};

    fn live(hr: Option<f64>, speed: Option<f64>) -> Live {
        Live {
            heart_rate: hr,
            speed_mps: speed,
            ..Live::default()
        }
    }

    #[test]
    fn the_live_history_keeps_ten_minutes_a_second_at_a_time() {
        let mut h = LiveHistory::default();
        for s in 0..700 {
            let hr = (s % 100 != 50).then_some(120.0 + f64::from(s % 40));
            h.push(1_000.0 + f64::from(s), &live(hr, Some(3.0)));
        }
        // 600 s window: the samples of 100..=699.
        assert_eq!(h.len(), 600);
        assert_eq!(h.samples().next().unwrap().time, 1_100.0);
        assert_eq!(h.last().unwrap().time, 1_699.0);
        assert_eq!(h.last().unwrap().heart_rate, Some(120.0 + 699.0 % 40.0));
        // The gaps stay gaps.
        assert_eq!(h.samples().filter(|s| s.heart_rate.is_none()).count(), 6);
        assert_eq!(h.extent(|s| s.heart_rate), Some((120.0, 159.0)));
        assert_eq!(h.extent(|s| s.speed_mps), Some((3.0, 3.0)));
        // A clock set back starts again.
        h.push(500.0, &live(None, None));
        assert_eq!(h.len(), 1);
        assert_eq!(h.extent(|s| s.heart_rate), None);
    }

    #[test]
    fn live_values_follow_the_notifications() {
        let mut live = Live::default();
        // Alternating 800/850 ms (819/870 in 1/1024 s), two per notification.
        for _ in 0..30 {
            live.heart_rate(&heart_rate::parse(&[0x10, 72, 0x33, 0x03, 0x66, 0x03]).unwrap());
        }
        assert_eq!(live.heart_rate, Some(72.0));
        let a = 819.0 / 1.024;
        let b = 870.0 / 1.024;
        let rmssd = live.rmssd_ms().unwrap();
        assert!((rmssd - (b - a)).abs() < 1e-9, "{rmssd}");
        // Only the last minute counts: 60 s of steady 1 s beats make it undefined (no
        // difference at all).
        for _ in 0..60 {
            live.heart_rate(&heart_rate::parse(&[0x10, 60, 0x00, 0x04]).unwrap());
        }
        assert_eq!(live.rmssd_ms(), None);

        live.stride(&rsc::parse(&[0x07, 0x80, 0x03, 170, 0x7c, 0x00, 0x39, 0x30, 0, 0]).unwrap());
        assert_eq!(live.speed_mps, Some(3.5));
        assert_eq!(live.cadence_spm, Some(170.0));
        assert_eq!(live.stride_length_m, Some(1.24));
        assert_eq!(live.total_distance_m, Some(1234.5));
        live.stride(&rsc::parse(&[0x04, 0x00, 0x03, 168]).unwrap());
        assert_eq!(live.total_distance_m, Some(1234.5));
        assert_eq!(live.stride_length_m, None);
        live.clear_values();
        assert_eq!(live.speed_mps, None);
    }

    #[test]
    fn back_off_doubles_up_to_thirty_seconds() {
        let delays: Vec<u32> = (0..7).map(reconnect_delay_ms).collect();
        assert_eq!(delays, [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
        assert_eq!(reconnect_delay_ms(40), 30_000);
    }
}
