//! A run recorded live in the browser: timestamped sensor samples (heart rate and RR intervals,
//! foot-pod speed and cadence, geolocation fixes) and the runner's Start, Lap, Pause, Resume and
//! Stop, plus the moments a sensor's connection was lost and came back.
//!
//! A [`Recording`] is an append-only list of [`Entry`]s, checked as they come (a lap before the
//! start or a sample after the stop is an error), so the page can keep every entry in storage
//! as it arrives and rebuild the recording after a reload with [`Recording::from_entries`]. It
//! keeps the live totals (timer time, distance) up to date, and [`Recording::encode`] replays
//! the entries into a FIT activity file through [`ActivityEncoder`]:
//!
//! - one record a second while the timer runs (and one at each pause, lap and the stop), with
//!   the latest heart rate, speed, cadence, stride length and position, each dropped once it is
//!   more than [`STALE_S`] old or while the sensor is disconnected;
//! - timer start and stop events at Start, Pause, Resume and Stop, a lap at each Lap, and a
//!   `comm_timeout` marker event at each lost connection;
//! - the RR intervals as `hrv` messages;
//! - distance from geolocation when the recording has fixes, else from the foot pod's total
//!   distance when it sends one, else the foot pod's speed integrated over time; only what is
//!   covered while the timer runs counts. A foot pod's total distance bridges a lost
//!   connection: what it counted meanwhile is not lost.

use serde::{Deserialize, Serialize};

use crate::fit::{ActivityEncoder, EncoderOptions, RecordSample};
use crate::series::geo;
use crate::{AnalysisError, DeviceInfo, Event, FileId, Sport};

/// A sample older than this (seconds) no longer describes the runner.
pub const STALE_S: f64 = 5.0;
/// Geolocation fixes less accurate than this (metres) are not used for distance.
pub const MAX_FIX_ACCURACY_M: f64 = 50.0;
/// FIT `event`: a sensor's communication timed out.
const EVENT_COMM_TIMEOUT: u8 = 47;
/// FIT `comm_timeout_type`: connection lost.
const CONNECTION_LOST: u32 = 2;
/// FIT `event_type` values: start, stop, marker, stop all.
const START: u8 = 0;
const STOP: u8 = 1;
const MARKER: u8 = 3;
const STOP_ALL: u8 = 4;

/// One thing that happened during a recording. Times are UTC seconds since the Unix epoch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Entry {
    /// The runner pressed Start.
    Start {
        /// When.
        time: f64,
    },
    /// The runner pressed Lap.
    Lap {
        /// When.
        time: f64,
    },
    /// The runner paused the timer.
    Pause {
        /// When.
        time: f64,
    },
    /// The runner resumed the timer.
    Resume {
        /// When.
        time: f64,
    },
    /// The runner stopped the recording.
    Stop {
        /// When.
        time: f64,
    },
    /// The sensor's connection was lost.
    Disconnected {
        /// When.
        time: f64,
    },
    /// The sensor is connected again.
    Reconnected {
        /// When.
        time: f64,
    },
    /// A heart-rate notification.
    HeartRate {
        /// When it arrived.
        time: f64,
        /// Beats per minute.
        bpm: f64,
        /// The RR intervals it carried, seconds.
        #[serde(default)]
        rr_s: Vec<f64>,
    },
    /// A running speed and cadence notification.
    Stride {
        /// When it arrived.
        time: f64,
        /// Speed, m/s.
        speed_mps: f64,
        /// Cadence, steps per minute.
        cadence_spm: f64,
        /// Stride length, metres, when sent.
        #[serde(default)]
        stride_length_m: Option<f64>,
        /// The sensor's total distance, metres, when sent.
        #[serde(default)]
        total_distance_m: Option<f64>,
    },
    /// A geolocation fix.
    Position {
        /// When it was taken.
        time: f64,
        /// Degrees north.
        latitude: f64,
        /// Degrees east.
        longitude: f64,
        /// Metres above the WGS84 ellipsoid, when known.
        #[serde(default)]
        altitude_m: Option<f64>,
        /// The fix's accuracy radius, metres, when known.
        #[serde(default)]
        accuracy_m: Option<f64>,
    },
}

impl Entry {
    /// When it happened.
    pub fn time(&self) -> f64 {
        match self {
            Self::Start { time }
            | Self::Lap { time }
            | Self::Pause { time }
            | Self::Resume { time }
            | Self::Stop { time }
            | Self::Disconnected { time }
            | Self::Reconnected { time }
            | Self::HeartRate { time, .. }
            | Self::Stride { time, .. }
            | Self::Position { time, .. } => *time,
        }
    }

    fn set_time(&mut self, t: f64) {
        match self {
            Self::Start { time }
            | Self::Lap { time }
            | Self::Pause { time }
            | Self::Resume { time }
            | Self::Stop { time }
            | Self::Disconnected { time }
            | Self::Reconnected { time }
            | Self::HeartRate { time, .. }
            | Self::Stride { time, .. }
            | Self::Position { time, .. } => *time = t,
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Self::Start { .. } => "start",
            Self::Lap { .. } => "lap",
            Self::Pause { .. } => "pause",
            Self::Resume { .. } => "resume",
            Self::Stop { .. } => "stop",
            Self::Disconnected { .. } => "disconnection",
            Self::Reconnected { .. } => "reconnection",
            Self::HeartRate { .. } => "heart-rate sample",
            Self::Stride { .. } => "speed and cadence sample",
            Self::Position { .. } => "position",
        }
    }
}

/// Where a recording stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordingState {
    /// Not started.
    #[default]
    Ready,
    /// The timer runs.
    Running,
    /// The timer is paused.
    Paused,
    /// Stopped: nothing more is taken.
    Stopped,
}

/// Where a recording's distance comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DistanceSource {
    /// Geolocation fixes.
    Gps,
    /// The foot pod's total distance.
    FootPodTotal,
    /// The foot pod's speed, integrated.
    FootPodSpeed,
}

/// The latest value of a channel and when it came.
#[derive(Debug, Clone, Copy)]
struct Latest<T: Copy> {
    value: Option<(f64, T)>,
}

impl<T: Copy> Default for Latest<T> {
    fn default() -> Self {
        Self { value: None }
    }
}

impl<T: Copy> Latest<T> {
    fn set(&mut self, time: f64, value: T) {
        self.value = Some((time, value));
    }

    /// The value if it is at most [`STALE_S`] old at `t`.
    fn fresh(&self, t: f64) -> Option<T> {
        self.value
            .filter(|(at, _)| t - at <= STALE_S + 1e-9)
            .map(|(_, v)| v)
    }
}

#[derive(Debug, Clone, Copy)]
struct Stride {
    speed: f64,
    cadence: f64,
    stride_length: f64,
}

#[derive(Debug, Clone, Copy)]
struct Fix {
    latitude: f64,
    longitude: f64,
    altitude: f64,
}

/// The running state: timer, the three distances, the latest values.
#[derive(Debug, Clone, Default)]
struct Tracker {
    state: RecordingState,
    start: Option<f64>,
    last_time: f64,
    /// Seconds timed before `running_since`.
    timer_total: f64,
    running_since: f64,
    laps: usize,
    gaps: usize,
    connected: bool,

    heart_rate: Latest<f64>,
    stride: Latest<Stride>,
    fix: Latest<Fix>,

    gps_m: f64,
    gps_fixes: usize,
    previous_fix: Option<(f64, f64)>,
    pod_total_m: f64,
    pod_totals: usize,
    previous_total: Option<f64>,
    integrated_m: f64,
    integrated_until: f64,
}

impl Tracker {
    fn new() -> Self {
        Self {
            connected: true,
            ..Self::default()
        }
    }

    fn running(&self) -> bool {
        self.state == RecordingState::Running
    }

    fn timer_at(&self, t: f64) -> f64 {
        if self.running() {
            self.timer_total + (t - self.running_since).max(0.0)
        } else {
            self.timer_total
        }
    }

    /// Integrates the foot pod's speed up to `t` (while running, for as long as it is fresh).
    fn advance(&mut self, t: f64) {
        if let (true, Some((at, stride))) = (self.running() && self.connected, self.stride.value) {
            let end = t.min(at + STALE_S);
            if end > self.integrated_until {
                self.integrated_m += stride.speed * (end - self.integrated_until);
            }
        }
        self.integrated_until = self.integrated_until.max(t);
    }

    fn distance(&self, source: DistanceSource) -> f64 {
        match source {
            DistanceSource::Gps => self.gps_m,
            DistanceSource::FootPodTotal => self.pod_total_m,
            DistanceSource::FootPodSpeed => self.integrated_m,
        }
    }

    /// The source a recording with what was seen so far would use.
    fn source(&self) -> DistanceSource {
        if self.gps_fixes > 0 {
            DistanceSource::Gps
        } else if self.pod_totals > 0 {
            DistanceSource::FootPodTotal
        } else {
            DistanceSource::FootPodSpeed
        }
    }

    /// Checks `entry` against the state and applies it.
    fn apply(&mut self, entry: &Entry) -> Result<(), AnalysisError> {
        use RecordingState::*;
        let t = entry.time();
        let wrong = |state: RecordingState| {
            AnalysisError::Recording(format!(
                "a {} at {t} while the recording is {}",
                entry.name(),
                match state {
                    Ready => "not started",
                    Running => "running",
                    Paused => "paused",
                    Stopped => "stopped",
                }
            ))
        };
        match (entry, self.state) {
            (_, Stopped) => return Err(wrong(Stopped)),
            (Entry::Start { .. }, Ready) => {}
            (Entry::Start { .. }, s) => return Err(wrong(s)),
            (_, Ready) => return Err(wrong(Ready)),
            (Entry::Pause { .. } | Entry::Lap { .. }, Paused) => return Err(wrong(Paused)),
            (Entry::Resume { .. }, Running) => return Err(wrong(Running)),
            _ => {}
        }
        self.advance(t);
        self.last_time = t;
        match entry {
            Entry::Start { time } => {
                self.start = Some(*time);
                self.state = Running;
                self.running_since = *time;
                self.integrated_until = *time;
            }
            Entry::Resume { time } => {
                self.state = Running;
                self.running_since = *time;
                self.integrated_until = *time;
                self.previous_fix = None;
            }
            Entry::Pause { time } | Entry::Stop { time } => {
                self.timer_total = self.timer_at(*time);
                self.state = if matches!(entry, Entry::Pause { .. }) {
                    Paused
                } else {
                    Stopped
                };
            }
            Entry::Lap { .. } => self.laps += 1,
            Entry::Disconnected { .. } => {
                if self.connected {
                    self.gaps += 1;
                }
                self.connected = false;
            }
            Entry::Reconnected { .. } => self.connected = true,
            Entry::HeartRate { time, bpm, .. } => {
                self.connected = true;
                if bpm.is_finite() && *bpm > 0.0 {
                    self.heart_rate.set(*time, *bpm);
                }
            }
            Entry::Stride {
                time,
                speed_mps,
                cadence_spm,
                stride_length_m,
                total_distance_m,
            } => {
                self.connected = true;
                self.stride.set(
                    *time,
                    Stride {
                        speed: finite_or_nan(*speed_mps).max(0.0),
                        cadence: finite_or_nan(*cadence_spm),
                        stride_length: stride_length_m.map_or(f64::NAN, finite_or_nan),
                    },
                );
                if let Some(total) = total_distance_m.filter(|d| d.is_finite()) {
                    self.pod_totals += 1;
                    if let Some(previous) = self.previous_total {
                        // A smaller total is a sensor reset: nothing is added, counting restarts.
                        if self.running() && total > previous {
                            self.pod_total_m += total - previous;
                        }
                    }
                    self.previous_total = Some(total);
                }
            }
            Entry::Position {
                time,
                latitude,
                longitude,
                altitude_m,
                accuracy_m,
            } => {
                let usable = geo::is_valid_position(*latitude, *longitude)
                    && accuracy_m.is_none_or(|a| a <= MAX_FIX_ACCURACY_M);
                if usable {
                    self.gps_fixes += 1;
                    self.fix.set(
                        *time,
                        Fix {
                            latitude: *latitude,
                            longitude: *longitude,
                            altitude: altitude_m.map_or(f64::NAN, finite_or_nan),
                        },
                    );
                    if self.running() {
                        if let Some((lat, lon)) = self.previous_fix {
                            self.gps_m += geo::distance(lat, lon, *latitude, *longitude);
                        }
                        self.previous_fix = Some((*latitude, *longitude));
                    }
                }
            }
        }
        Ok(())
    }

    /// The record at `t` with the latest values and the distance from `source`.
    fn sample(&self, t: f64, source: DistanceSource) -> RecordSample {
        let mut s = RecordSample::at(t);
        s.distance = self.distance(source);
        if self.connected {
            if let Some(bpm) = self.heart_rate.fresh(t) {
                s.heart_rate = bpm;
            }
            if let Some(stride) = self.stride.fresh(t) {
                s.speed = stride.speed;
                s.cadence = stride.cadence;
                s.step_length = stride.stride_length;
            }
        }
        if let Some(fix) = self.fix.fresh(t) {
            s.latitude = fix.latitude;
            s.longitude = fix.longitude;
            s.altitude = fix.altitude;
        }
        s
    }
}

fn finite_or_nan(v: f64) -> f64 {
    if v.is_finite() { v } else { f64::NAN }
}

/// A recording in progress or finished.
///
/// ```
/// use analysis::{Entry, Recording, RecordingState};
/// let t0 = 1_717_218_000.0;
/// let mut rec = Recording::new();
/// rec.push(Entry::Start { time: t0 }).unwrap();
/// rec.push(Entry::Stride { time: t0 + 1.0, speed_mps: 3.0, cadence_spm: 170.0,
///     stride_length_m: None, total_distance_m: Some(100.0) }).unwrap();
/// rec.push(Entry::Stride { time: t0 + 61.0, speed_mps: 3.0, cadence_spm: 170.0,
///     stride_length_m: None, total_distance_m: Some(280.0) }).unwrap();
/// rec.push(Entry::Stop { time: t0 + 61.0 }).unwrap();
/// assert_eq!(rec.state(), RecordingState::Stopped);
/// assert_eq!(rec.distance_m(), 180.0);
/// let run = analysis::fit::decode(&rec.encode(None).unwrap()).unwrap();
/// assert_eq!(run.sessions[0].summary.total_distance, Some(180.0));
/// assert_eq!(run.sessions[0].summary.total_timer_time, Some(61.0));
/// ```
#[derive(Debug, Clone, Default)]
pub struct Recording {
    entries: Vec<Entry>,
    tracker: Tracker,
}

impl Recording {
    /// An empty recording, not started.
    pub fn new() -> Self {
        Self {
            entries: Vec::new(),
            tracker: Tracker::new(),
        }
    }

    /// Rebuilds a recording from its stored entries.
    ///
    /// # Errors
    /// As [`Recording::push`], for the first entry that does not fit.
    pub fn from_entries(entries: impl IntoIterator<Item = Entry>) -> Result<Self, AnalysisError> {
        let mut rec = Self::new();
        for entry in entries {
            rec.push(entry)?;
        }
        Ok(rec)
    }

    /// Appends an entry and returns it as kept (a time slightly before the previous entry's,
    /// as clocks of different sources give, is moved up to it, so entries never go back in
    /// time).
    ///
    /// # Errors
    /// [`AnalysisError::Recording`] when the time is not a number, or the entry does not fit
    /// the state: anything before Start or after Stop, a second Start, Pause or Lap while
    /// paused, Resume while running. Nothing is kept then.
    pub fn push(&mut self, mut entry: Entry) -> Result<&Entry, AnalysisError> {
        let t = entry.time();
        if !t.is_finite() {
            return Err(AnalysisError::Recording(format!(
                "a {} at time {t}, which is not a number",
                entry.name()
            )));
        }
        if let Some(last) = self
            .entries
            .last()
            .map(Entry::time)
            .filter(|last| t < *last)
        {
            entry.set_time(last);
        }
        self.tracker.apply(&entry)?;
        self.entries.push(entry);
        Ok(self.entries.last().expect("just pushed"))
    }

    /// Every entry so far, in order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Where the recording stands.
    pub fn state(&self) -> RecordingState {
        self.tracker.state
    }

    /// When Start was pressed.
    pub fn start_time(&self) -> Option<f64> {
        self.tracker.start
    }

    /// Seconds since Start at `now` (up to the stop once stopped).
    pub fn elapsed_s(&self, now: f64) -> f64 {
        let Some(start) = self.tracker.start else {
            return 0.0;
        };
        let end = if self.state() == RecordingState::Stopped {
            self.tracker.last_time
        } else {
            now
        };
        (end - start).max(0.0)
    }

    /// Timer seconds at `now`: pauses left out.
    pub fn timer_s(&self, now: f64) -> f64 {
        self.tracker.timer_at(now.max(self.tracker.last_time))
    }

    /// The distance so far, metres, from the source [`Recording::distance_source`] names.
    pub fn distance_m(&self) -> f64 {
        self.tracker.distance(self.tracker.source())
    }

    /// Where the distance comes from (geolocation, the foot pod's total, its speed).
    pub fn distance_source(&self) -> DistanceSource {
        self.tracker.source()
    }

    /// Laps ended with Lap.
    pub fn laps(&self) -> usize {
        self.tracker.laps
    }

    /// Connections lost.
    pub fn gaps(&self) -> usize {
        self.tracker.gaps
    }

    /// The recording as a FIT activity file (running), as described in the module's
    /// documentation; `device` names the sensor in the file's `device_info`. A recording not
    /// stopped ends at its last entry.
    ///
    /// # Errors
    /// [`AnalysisError::Recording`] for a recording never started, and the encoder's errors
    /// ([`AnalysisError::Encode`]).
    pub fn encode(&self, device: Option<&str>) -> Result<Vec<u8>, AnalysisError> {
        let start = self
            .tracker
            .start
            .ok_or_else(|| AnalysisError::Recording("it was never started".into()))?;
        let source = self.tracker.source();
        let options = EncoderOptions {
            file_id: FileId {
                manufacturer: Some(255),
                time_created: Some(start.round()),
                product_name: Some("Stride".into()),
                ..FileId::default()
            },
            device: DeviceInfo {
                manufacturer: Some(255),
                product_name: device.map(str::to_owned),
                ..DeviceInfo::default()
            },
            sport: Sport::Running,
            explicit_timer: true,
            expected_records: (self.elapsed_s(start) as usize).saturating_add(8),
            ..EncoderOptions::default()
        };
        let mut enc = ActivityEncoder::new(&options)?;
        let mut tracker = Tracker::new();
        let mut next_tick: Option<f64> = None;
        let mut last_record = f64::NEG_INFINITY;
        let timer = |t: f64, event_type: u8| Event {
            time: Some(t),
            event: Some(0),
            event_type: Some(event_type),
            data: None,
        };
        let mut record = |enc: &mut ActivityEncoder, tracker: &Tracker, t: f64| {
            // FIT keeps whole seconds: one record per second.
            if t.round() > last_record {
                last_record = t.round();
                enc.record(&tracker.sample(t, source))
            } else {
                Ok(())
            }
        };
        for entry in &self.entries {
            let t = entry.time();
            while let Some(tick) = next_tick.filter(|tick| *tick < t) {
                tracker.advance(tick);
                record(&mut enc, &tracker, tick)?;
                next_tick = Some(tick + 1.0);
            }
            tracker.apply(entry)?;
            match entry {
                Entry::Start { .. } | Entry::Resume { .. } => {
                    enc.event(&timer(t, START))?;
                    next_tick = Some(t);
                }
                Entry::Pause { .. } | Entry::Stop { .. } => {
                    record(&mut enc, &tracker, t)?;
                    let stop = if matches!(entry, Entry::Stop { .. }) {
                        STOP_ALL
                    } else {
                        STOP
                    };
                    enc.event(&timer(t, stop))?;
                    next_tick = None;
                }
                Entry::Lap { .. } => {
                    record(&mut enc, &tracker, t)?;
                    enc.end_lap(t)?;
                }
                Entry::Disconnected { .. } => enc.event(&Event {
                    time: Some(t),
                    event: Some(EVENT_COMM_TIMEOUT),
                    event_type: Some(MARKER),
                    data: Some(CONNECTION_LOST),
                })?,
                Entry::HeartRate { rr_s, .. } => {
                    let rr: Vec<f32> = rr_s
                        .iter()
                        .filter(|v| v.is_finite() && **v > 0.0)
                        .map(|v| *v as f32)
                        .collect();
                    enc.rr_intervals(&rr);
                }
                _ => {}
            }
        }
        if self.state() != RecordingState::Stopped && tracker.state == RecordingState::Running {
            let end = tracker.last_time;
            tracker.advance(end);
            record(&mut enc, &tracker, end)?;
            enc.event(&timer(end, STOP_ALL))?;
        }
        enc.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: f64 = 1_717_218_000.0;

    fn hr(time: f64, bpm: f64) -> Entry {
        Entry::HeartRate {
            time,
            bpm,
            rr_s: vec![60.0 / bpm],
        }
    }

    fn pod(time: f64, speed: f64, total: Option<f64>) -> Entry {
        Entry::Stride {
            time,
            speed_mps: speed,
            cadence_spm: 170.0,
            stride_length_m: Some(1.1),
            total_distance_m: total,
        }
    }

    /// An 11-minute run at 3 m/s with a lap at 5:00 and a 60 s pause from 7:00: heart rate 140
    /// up to the lap, 160 after; the foot pod sends (after the markers of the same second) its
    /// speed over the next second and its total distance once a second.
    fn ten_minutes(with_total: bool) -> Recording {
        let mut rec = Recording::new();
        rec.push(Entry::Start { time: T0 }).unwrap();
        let mut total = 5_000.0; // the pod's odometer from earlier runs
        let running = |s: i32| !(420..480).contains(&s) && s < 660;
        for s in 0..=660 {
            let t = T0 + f64::from(s);
            if s > 0 && running(s - 1) {
                total += 3.0;
            }
            rec.push(hr(t, if s <= 300 { 140.0 } else { 160.0 }))
                .unwrap();
            let speed = if running(s) { 3.0 } else { 0.0 };
            rec.push(pod(t, speed, with_total.then_some(total)))
                .unwrap();
            match s {
                300 => rec.push(Entry::Lap { time: t }).map(|_| ()).unwrap(),
                420 => rec.push(Entry::Pause { time: t }).map(|_| ()).unwrap(),
                480 => rec.push(Entry::Resume { time: t }).map(|_| ()).unwrap(),
                _ => {}
            }
        }
        rec.push(Entry::Stop { time: T0 + 660.0 }).unwrap();
        rec
    }

    #[test]
    fn a_run_with_a_lap_and_a_pause_decodes_exactly() {
        for with_total in [true, false] {
            let rec = ten_minutes(with_total);
            assert_eq!(rec.timer_s(T0 + 1_000.0), 600.0);
            assert_eq!(rec.elapsed_s(T0 + 1_000.0), 660.0);
            assert_eq!(rec.laps(), 1);
            let bytes = rec.encode(Some("HRM-Pro")).unwrap();
            let run = crate::fit::decode(&bytes).unwrap();
            assert!(run.warnings.is_empty(), "{:?}", run.warnings);
            let session = &run.sessions[0].summary;
            assert_eq!(session.total_elapsed_time, Some(660.0));
            assert_eq!(session.total_timer_time, Some(600.0));
            // 600 s of running at 3 m/s, from the pod's total or from its speed.
            assert_eq!(session.total_distance, Some(1_800.0), "total: {with_total}");
            assert_eq!(run.laps.len(), 2);
            assert_eq!(run.laps[0].summary.total_timer_time, Some(300.0));
            assert_eq!(run.laps[0].summary.total_distance, Some(900.0));
            assert_eq!(run.laps[0].summary.avg_heart_rate, Some(140.0));
            assert_eq!(run.laps[1].summary.total_timer_time, Some(300.0));
            assert_eq!(run.laps[1].summary.max_heart_rate, Some(160.0));
            // The analysis agrees: timer time, distance and the time-weighted heart rate
            // (300 s at 140, 300 s at 160, to 0.1 bpm: the analysis weighs each record by
            // the time around it).
            let report = crate::analyze(&run, &crate::Athlete::default());
            assert_eq!(report.metrics.get("timer_s"), Some(600.0));
            assert_eq!(report.metrics.get("elapsed_s"), Some(660.0));
            assert_eq!(report.metrics.get("distance_m"), Some(1_800.0));
            let avg_hr = report.metrics.get("avg_hr").unwrap();
            assert_eq!((avg_hr * 10.0).round(), 1_500.0, "{avg_hr}");
            // One RR interval per notification.
            assert_eq!(run.hrv_rr.len(), 661);
            assert_eq!(run.records.cadence.as_ref().unwrap()[10], 170.0);
            assert_eq!(run.records.step_length.as_ref().unwrap()[10], 1.1);
        }
    }

    #[test]
    fn a_lost_connection_is_marked_and_the_pod_total_bridges_it() {
        let mut rec = Recording::new();
        rec.push(Entry::Start { time: T0 }).unwrap();
        for s in 0..=300 {
            let t = T0 + f64::from(s);
            if s == 100 {
                rec.push(Entry::Disconnected { time: t }).unwrap();
            }
            if (100..130).contains(&s) {
                continue; // nothing arrives for 30 s
            }
            if s == 130 {
                rec.push(Entry::Reconnected { time: t }).unwrap();
            }
            rec.push(hr(t, 150.0)).unwrap();
            rec.push(pod(t, 3.0, Some(3.0 * f64::from(s)))).unwrap();
        }
        rec.push(Entry::Stop { time: T0 + 300.0 }).unwrap();
        assert_eq!(rec.gaps(), 1);
        assert_eq!(rec.distance_m(), 900.0);
        let run = crate::fit::decode(&rec.encode(None).unwrap()).unwrap();
        assert_eq!(run.sessions[0].summary.total_distance, Some(900.0));
        assert_eq!(run.sessions[0].summary.total_timer_time, Some(300.0));
        assert_eq!(run.records.len(), 301);
        let marker: Vec<_> = run
            .events
            .iter()
            .filter(|e| e.event == Some(EVENT_COMM_TIMEOUT))
            .collect();
        assert_eq!(marker.len(), 1);
        assert_eq!(marker[0].time, Some(T0 + 100.0));
        assert_eq!(marker[0].data, Some(CONNECTION_LOST));
        // No heart rate while disconnected: 30 records without it.
        let missing = run
            .records
            .heart_rate
            .as_ref()
            .unwrap()
            .iter()
            .filter(|v| v.is_nan())
            .count();
        assert_eq!(missing, 30);
        let report = crate::analyze(&run, &crate::Athlete::default());
        assert_eq!(report.metrics.get("avg_hr"), Some(150.0));
    }

    #[test]
    fn distance_comes_from_geolocation_when_there_is_any() {
        let mut rec = Recording::new();
        rec.push(Entry::Start { time: T0 }).unwrap();
        // Due north along a meridian, 1e-4 degrees a second; one inaccurate fix is ignored.
        for s in 0..=100 {
            let t = T0 + f64::from(s);
            rec.push(pod(t, 9.0, Some(9.0 * f64::from(s)))).unwrap();
            let accuracy = if s == 50 { 400.0 } else { 5.0 };
            rec.push(Entry::Position {
                time: t,
                latitude: 45.0 + 1e-4 * f64::from(s),
                longitude: 7.0,
                altitude_m: Some(300.0),
                accuracy_m: Some(accuracy),
            })
            .unwrap();
        }
        rec.push(Entry::Stop { time: T0 + 100.0 }).unwrap();
        assert_eq!(rec.distance_source(), DistanceSource::Gps);
        let expected = geo::distance(45.0, 7.0, 45.01, 7.0);
        assert!((rec.distance_m() - expected).abs() < 1e-6);
        let run = crate::fit::decode(&rec.encode(None).unwrap()).unwrap();
        let d = run.sessions[0].summary.total_distance.unwrap();
        assert!((d - expected).abs() <= 0.01, "{d} vs {expected}");
        // To the semicircle (8.4e-8 degrees).
        assert!((run.records.latitude.as_ref().unwrap()[100] - 45.01).abs() < 1e-7);
    }

    #[test]
    fn entries_out_of_order_are_refused_and_reload_gives_the_same() {
        let mut rec = Recording::new();
        let err = |r: Result<&Entry, AnalysisError>| r.unwrap_err().to_string();
        assert_eq!(
            err(rec.push(Entry::Lap { time: T0 })),
            "recording: a lap at 1717218000 while the recording is not started"
        );
        assert_eq!(
            err(rec.push(hr(T0, 150.0))),
            "recording: a heart-rate sample at 1717218000 while the recording is not started"
        );
        assert!(rec.encode(None).is_err());
        rec.push(Entry::Start { time: T0 }).unwrap();
        assert!(rec.push(Entry::Start { time: T0 + 1.0 }).is_err());
        assert!(rec.push(Entry::Resume { time: T0 + 1.0 }).is_err());
        rec.push(Entry::Pause { time: T0 + 2.0 }).unwrap();
        assert!(rec.push(Entry::Lap { time: T0 + 3.0 }).is_err());
        assert!(rec.push(Entry::Pause { time: T0 + 3.0 }).is_err());
        assert!(rec.push(Entry::Start { time: f64::NAN }).is_err());
        // A time from a slightly late clock is moved up, never back.
        assert_eq!(rec.push(hr(T0 + 1.5, 150.0)).unwrap().time(), T0 + 2.0);
        rec.push(Entry::Resume { time: T0 + 4.0 }).unwrap();
        rec.push(Entry::Stop { time: T0 + 10.0 }).unwrap();
        assert!(rec.push(hr(T0 + 11.0, 150.0)).is_err());
        assert_eq!(rec.timer_s(T0 + 100.0), 8.0);

        // Through JSON, as the journal stores entries (serde_json is a native dev-dependency).
        #[cfg(not(target_arch = "wasm32"))]
        let entries: Vec<Entry> =
            serde_json::from_str(&serde_json::to_string(rec.entries()).unwrap()).unwrap();
        #[cfg(target_arch = "wasm32")]
        let entries = rec.entries().to_vec();
        let again = Recording::from_entries(entries).unwrap();
        assert_eq!(again.entries(), rec.entries());
        assert_eq!(again.encode(None).unwrap(), rec.encode(None).unwrap());
    }

    #[test]
    fn an_unstopped_recording_ends_at_its_last_entry() {
        let mut rec = Recording::new();
        rec.push(Entry::Start { time: T0 }).unwrap();
        for s in 0..=30 {
            rec.push(pod(T0 + f64::from(s), 2.0, None)).unwrap();
        }
        let run = crate::fit::decode(&rec.encode(None).unwrap()).unwrap();
        assert_eq!(run.sessions[0].summary.total_timer_time, Some(30.0));
        assert_eq!(run.sessions[0].summary.total_distance, Some(60.0));
    }
}
