//! Stride's FIT encoder: activities out as FIT 2.0 activity files.
//!
//! - [`ActivityEncoder`] writes a file as it happens: a live recording appends records, events,
//!   laps and RR intervals as they come, and [`ActivityEncoder::finish`] closes the file (timer
//!   stop, a lap and a session computed from the records when none were given, the `activity`
//!   message, header and file CRC).
//! - [`encode_activity`] writes a whole [`Activity`] through it: events, records and laps in
//!   time order, then RR intervals, sessions and the activity summary.
//!
//! The file: a 14-byte header with its CRC, `file_id`, `device_info`, `sport`, the developer
//! field descriptions, the data, the file CRC; all little-endian. Each message kind has its own
//! local message type, and its definition is written again only when its fields change (a
//! sensor connected mid-recording, a lap with other figures). A definition lists only the fields
//! present: an absent column is not written; a `NaN` sample is written as the base type's
//! invalid value, which every reader takes for "missing".
//!
//! Values go through the same profile scales and offsets the decoder applies (`profile::conv`),
//! in reverse, so encoding then decoding gives every value back to its field's resolution
//! (1 cm of distance, 1 mm/s of speed, 0.2 m of altitude, one semicircle of position, …).
//! Values outside a field's range are written as invalid rather than wrapped or clamped.

use std::fmt::Display;

use super::builder::{OnFoot, overall_sport};
use super::crc::crc16;
use super::definition::BaseType;
use super::header::SIGNATURE;
use super::profile::{
    self, Conv, DEGREES_PER_SEMICIRCLE, FIT_EPOCH_OFFSET, Kind, event as ev, field as f, mesg,
};
use crate::AnalysisError;
use crate::activity::{
    Activity, ActivityInfo, DeveloperFieldInfo, DeviceInfo, Event, FileId, Lap, Records, Session,
    Sport, Summary,
};

/// The header's size: 14 bytes, the last two its CRC.
const HEADER_SIZE: usize = 14;
/// FIT protocol 2.0 (developer fields need it).
const PROTOCOL_VERSION: u8 = 0x20;
/// The profile version the encoder follows, 21.40.
const PROFILE_VERSION: u16 = 2140;
/// FIT manufacturer "development", written when the activity names none.
const MANUFACTURER_DEVELOPMENT: u16 = 255;
/// FIT `file` type: activity.
const FILE_ACTIVITY: u8 = 4;
/// FIT `activity_type`… the `activity` message's `type`: manual.
const ACTIVITY_MANUAL: u8 = 0;
/// FIT `lap_trigger`: manual (a lap button).
const TRIGGER_MANUAL: u8 = 0;
/// FIT `lap_trigger`: the session ended.
const TRIGGER_SESSION_END: u8 = 7;
/// RR intervals per `hrv` message (its `time` field is an array of five).
const RR_PER_MESSAGE: usize = 5;
/// The `hrv` message's `time` field is in milliseconds (scale 1000).
const RR_SCALE: f64 = 1000.0;

/// Local message types, one per message kind.
mod local {
    pub(super) const RECORD: u8 = 0;
    pub(super) const FILE_ID: u8 = 1;
    pub(super) const DEVICE_INFO: u8 = 2;
    pub(super) const SPORT: u8 = 3;
    pub(super) const EVENT: u8 = 4;
    pub(super) const LAP: u8 = 5;
    pub(super) const SESSION: u8 = 6;
    pub(super) const ACTIVITY: u8 = 7;
    pub(super) const DEVELOPER_DATA_ID: u8 = 8;
    pub(super) const FIELD_DESCRIPTION: u8 = 9;
    pub(super) const HRV: u8 = 10;
    /// How many there are.
    pub(super) const COUNT: usize = 11;
}

/// The record fields the encoder writes, in message order, after the timestamp. Speed is
/// written twice (`enhanced_speed` and the 16-bit `speed` older readers know), cadence as whole
/// and fractional parts.
const RECORD_FIELDS: [(u8, BaseType); 16] = [
    (f::record::POSITION_LAT, BaseType::Sint32),
    (f::record::POSITION_LONG, BaseType::Sint32),
    (f::record::DISTANCE, BaseType::Uint32),
    (f::record::ENHANCED_SPEED, BaseType::Uint32),
    (f::record::SPEED, BaseType::Uint16),
    (f::record::ENHANCED_ALTITUDE, BaseType::Uint32),
    (f::record::HEART_RATE, BaseType::Uint8),
    (f::record::CADENCE, BaseType::Uint8),
    (f::record::FRACTIONAL_CADENCE, BaseType::Uint8),
    (f::record::POWER, BaseType::Uint16),
    (f::record::TEMPERATURE, BaseType::Sint8),
    (f::record::VERTICAL_OSCILLATION, BaseType::Uint16),
    (f::record::STANCE_TIME, BaseType::Uint16),
    (f::record::STANCE_TIME_BALANCE, BaseType::Uint16),
    (f::record::VERTICAL_RATIO, BaseType::Uint16),
    (f::record::STEP_LENGTH, BaseType::Uint16),
];

/// One record of a recording, in the SI units of [`Records`]; `NaN` for what it lacks.
///
/// ```
/// use analysis::fit::RecordSample;
/// let sample = RecordSample { heart_rate: 142.0, ..RecordSample::at(1_717_218_000.0) };
/// assert!(sample.speed.is_nan());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RecordSample {
    /// UTC seconds since the Unix epoch. FIT keeps whole seconds: the time is rounded.
    pub time: f64,
    /// Latitude in degrees (WGS84).
    pub latitude: f64,
    /// Longitude in degrees (WGS84).
    pub longitude: f64,
    /// Distance since the start, metres.
    pub distance: f64,
    /// Speed, m/s.
    pub speed: f64,
    /// Altitude, metres.
    pub altitude: f64,
    /// Heart rate, beats per minute.
    pub heart_rate: f64,
    /// Cadence as in [`Records::cadence`]: steps per minute in sports on foot (the encoder
    /// writes FIT's strides, half as many), revolutions per minute otherwise.
    pub cadence: f64,
    /// Power, watts.
    pub power: f64,
    /// Temperature, degrees Celsius.
    pub temperature: f64,
    /// Vertical oscillation, metres.
    pub vertical_oscillation: f64,
    /// Ground contact time, seconds.
    pub stance_time: f64,
    /// Ground contact time balance, percent on the left foot.
    pub stance_time_balance: f64,
    /// Vertical ratio, percent.
    pub vertical_ratio: f64,
    /// Step length, metres.
    pub step_length: f64,
}

impl RecordSample {
    /// A record at `time` with no values yet.
    pub fn at(time: f64) -> Self {
        Self {
            time,
            latitude: f64::NAN,
            longitude: f64::NAN,
            distance: f64::NAN,
            speed: f64::NAN,
            altitude: f64::NAN,
            heart_rate: f64::NAN,
            cadence: f64::NAN,
            power: f64::NAN,
            temperature: f64::NAN,
            vertical_oscillation: f64::NAN,
            stance_time: f64::NAN,
            stance_time_balance: f64::NAN,
            vertical_ratio: f64::NAN,
            step_length: f64::NAN,
        }
    }

    /// The sample's values by [`RECORD_FIELDS`] position; cadence split into FIT's whole and
    /// fractional parts, as strides when `on_foot`.
    #[inline]
    fn field_values(&self, on_foot: bool) -> [f64; RECORD_FIELDS.len()] {
        let (whole, fraction) = split_cadence(self.cadence, on_foot);
        [
            self.latitude,
            self.longitude,
            self.distance,
            self.speed,
            self.speed,
            self.altitude,
            self.heart_rate,
            whole,
            fraction,
            self.power,
            self.temperature,
            self.vertical_oscillation,
            self.stance_time,
            self.stance_time_balance,
            self.vertical_ratio,
            self.step_length,
        ]
    }
}

/// What an [`ActivityEncoder`] writes first, and how it fills in what the recording does not say.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EncoderOptions {
    /// The file's `file_id`. Its `file_type` is ignored (always 4, activity); a missing
    /// manufacturer is written as 255, "development".
    pub file_id: FileId,
    /// The recording device, written as `device_info` with device index 0 (the creator).
    pub device: DeviceInfo,
    /// The sport: written in a `sport` message and in computed laps and sessions; it decides
    /// whether cadence is counted in steps (on foot) or revolutions.
    pub sport: Sport,
    /// The FIT sub-sport number, if known.
    pub sub_sport: Option<u8>,
    /// The device's offset from UTC in seconds, for the `activity` message's `local_timestamp`.
    pub utc_offset: Option<f64>,
    /// How many records to make room for up front (the buffer then never grows for them).
    pub expected_records: usize,
    /// Timer events come only from [`ActivityEncoder::event`]. When false (the default), a
    /// timer start is written before the first record unless a timer event came before it,
    /// and a running timer is stopped (`stop_all`) by [`ActivityEncoder::finish`].
    pub explicit_timer: bool,
}

/// A FIT activity file being written, one message at a time.
///
/// Records can be appended as they are measured; a channel that shows up late (a heart-rate
/// strap paired mid-run) gets a new record definition from then on. Nothing is allocated per
/// record: everything goes into one buffer.
///
/// ```
/// use analysis::fit::{ActivityEncoder, EncoderOptions, RecordSample};
/// use analysis::Sport;
///
/// let options = EncoderOptions { sport: Sport::Running, ..EncoderOptions::default() };
/// let mut encoder = ActivityEncoder::new(&options).unwrap();
/// for i in 0..10 {
///     let mut sample = RecordSample::at(1_717_218_000.0 + f64::from(i));
///     sample.distance = 3.0 * f64::from(i);
///     sample.heart_rate = 140.0 + f64::from(i);
///     sample.cadence = 171.0; // steps per minute; FIT gets 85.5 strides
///     encoder.record(&sample).unwrap();
/// }
/// let bytes = encoder.finish().unwrap();
///
/// let activity = analysis::fit::decode(&bytes).unwrap();
/// assert_eq!(activity.records.len(), 10);
/// assert_eq!(activity.records.cadence.as_ref().unwrap()[0], 171.0);
/// // A lap and a session were computed from the records.
/// assert_eq!(activity.sessions[0].summary.total_distance, Some(27.0));
/// assert_eq!(activity.laps[0].summary.max_heart_rate, Some(149.0));
/// ```
#[derive(Debug)]
pub struct ActivityEncoder {
    buf: Vec<u8>,
    sport: Sport,
    sub_sport: Option<u8>,
    utc_offset: Option<f64>,
    auto_timer: bool,
    /// The definition last written for each local message type other than records.
    layouts: [Layout; local::COUNT],

    /// Scale and offset of each of [`RECORD_FIELDS`], from the profile.
    record_scales: [(f64, f64); RECORD_FIELDS.len()],
    /// Which of [`RECORD_FIELDS`] the current record definition has.
    record_mask: u32,
    record_defined: bool,
    /// The current definition's fields: (position in `RECORD_FIELDS`, base type, scale, offset).
    record_fields: [(usize, BaseType, f64, f64); RECORD_FIELDS.len()],
    record_field_count: usize,
    /// Developer fields carried by records, in definition order.
    developer_slots: Vec<DeveloperSlot>,
    /// Developer data indexes whose `developer_data_id` was written.
    developer_ids: [bool; 256],
    /// (developer data index, field number) of every field described.
    developer_keys: Vec<(u8, u8)>,

    records: usize,
    events: usize,
    laps: u16,
    sessions: u16,
    /// The sum of the written sessions' timer times, if any had one.
    sessions_timer: Option<f64>,
    /// The latest time written (Unix seconds, whole).
    last_time: Option<f64>,
    /// The latest distance recorded, metres.
    last_distance: f64,
    timer: Timer,
    lap: Span,
    session: Span,
    /// Whether laps are computed (no [`ActivityEncoder::lap`] call so far).
    auto_laps: bool,
    rr: [f64; RR_PER_MESSAGE],
    rr_len: usize,
}

/// The definition last written for a local message type.
#[derive(Debug, Default)]
struct Layout {
    defined: bool,
    global: u16,
    fields: Vec<[u8; 3]>,
}

/// A developer field carried by records.
#[derive(Debug, Clone, Copy)]
struct DeveloperSlot {
    number: u8,
    developer_data_index: u8,
    base: BaseType,
    scale: f64,
    offset: f64,
}

/// The timer, as timer events drive it.
#[derive(Debug, Clone, Copy, Default)]
struct Timer {
    /// Any timer event so far.
    seen: bool,
    running: bool,
    since: f64,
    /// Seconds timed before `since`.
    total: f64,
}

impl Timer {
    /// Seconds timed up to `t`.
    fn at(&self, t: f64) -> f64 {
        if self.running {
            self.total + (t - self.since).max(0.0)
        } else {
            self.total
        }
    }

    fn start(&mut self, t: f64) {
        if !self.running {
            self.running = true;
            self.since = t;
        }
    }

    fn stop(&mut self, t: f64) {
        if self.running {
            self.total = self.at(t);
            self.running = false;
        }
    }
}

/// Mean and maximum of a channel over a span.
#[derive(Debug, Clone, Copy)]
struct MeanMax {
    sum: f64,
    n: u32,
    max: f64,
}

impl Default for MeanMax {
    fn default() -> Self {
        Self {
            sum: 0.0,
            n: 0,
            max: f64::NEG_INFINITY,
        }
    }
}

impl MeanMax {
    #[inline]
    fn add(&mut self, v: f64) {
        if v.is_finite() {
            self.sum += v;
            self.n += 1;
            self.max = self.max.max(v);
        }
    }

    fn mean(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum / f64::from(self.n))
    }

    fn max(&self) -> Option<f64> {
        (self.n > 0).then_some(self.max)
    }
}

/// What a computed lap or session summarises: the records since its start.
#[derive(Debug, Clone, Copy, Default)]
struct Span {
    start: Option<f64>,
    timer_at_start: f64,
    distance_at_start: f64,
    records: u32,
    heart_rate: MeanMax,
    speed: MeanMax,
    cadence: MeanMax,
    power: MeanMax,
}

impl Span {
    fn starting(start: Option<f64>, timer_at_start: f64, distance_at_start: f64) -> Self {
        Self {
            start,
            timer_at_start,
            distance_at_start,
            ..Self::default()
        }
    }

    #[inline]
    fn add(&mut self, s: &RecordSample) {
        self.records += 1;
        self.heart_rate.add(s.heart_rate);
        self.speed.add(s.speed);
        self.cadence.add(s.cadence);
        self.power.add(s.power);
    }
}

impl ActivityEncoder {
    /// Starts a file: header (completed by [`ActivityEncoder::finish`]), `file_id`,
    /// `device_info` and `sport`.
    ///
    /// # Errors
    /// [`AnalysisError::Encode`] when `file_id.time_created` cannot be a FIT time (not a
    /// number, before the FIT epoch 1989-12-31, after 2126).
    pub fn new(options: &EncoderOptions) -> Result<Self, AnalysisError> {
        let record_scales = RECORD_FIELDS.map(|(number, _)| scale_offset(Kind::Record, number));
        let mut encoder = Self {
            buf: Vec::with_capacity(1024 + options.expected_records.saturating_mul(40)),
            sport: options.sport,
            sub_sport: options.sub_sport,
            utc_offset: options.utc_offset,
            auto_timer: !options.explicit_timer,
            layouts: Default::default(),
            record_scales,
            record_mask: 0,
            record_defined: false,
            record_fields: [(0, BaseType::Byte, 1.0, 0.0); RECORD_FIELDS.len()],
            record_field_count: 0,
            developer_slots: Vec::new(),
            developer_ids: [false; 256],
            developer_keys: Vec::new(),
            records: 0,
            events: 0,
            laps: 0,
            sessions: 0,
            sessions_timer: None,
            last_time: None,
            last_distance: f64::NAN,
            timer: Timer::default(),
            lap: Span::default(),
            session: Span::default(),
            auto_laps: true,
            rr: [f64::NAN; RR_PER_MESSAGE],
            rr_len: 0,
        };
        encoder.buf.resize(HEADER_SIZE, 0);
        encoder.write_file_id(&options.file_id, &options.device)?;
        encoder.write_sport();
        Ok(encoder)
    }

    /// The bytes written so far (header included, file CRC not yet).
    pub fn bytes_written(&self) -> usize {
        self.buf.len()
    }

    /// Describes a developer field (`developer_data_id` for a developer seen first, then
    /// `field_description`) whose values records will carry. Returns its position in the
    /// `developer` values of [`ActivityEncoder::record_with_developer`].
    ///
    /// The field's `base_type`, `scale` and `offset` decide how values are stored, as the
    /// decoder reads them back: `raw = (value + offset) × scale`.
    ///
    /// # Errors
    /// [`AnalysisError::Encode`] when the base type cannot hold a number (strings, unknown
    /// types), the scale is not a whole number from 1 to 254 or the offset not one from −128
    /// to 126 (FIT stores them as `uint8` and `sint8`), the developer's field number is
    /// already described, or records already carry 255 developer fields.
    ///
    /// ```
    /// use analysis::DeveloperFieldInfo;
    /// use analysis::fit::{ActivityEncoder, BaseType, EncoderOptions, RecordSample};
    ///
    /// let mut encoder = ActivityEncoder::new(&EncoderOptions::default()).unwrap();
    /// let power = DeveloperFieldInfo {
    ///     name: "Power".into(),
    ///     units: "Watts".into(),
    ///     base_type: BaseType::Uint16.number(),
    ///     scale: 1.0,
    ///     ..DeveloperFieldInfo::default()
    /// };
    /// assert_eq!(encoder.add_developer_field(&power).unwrap(), 0);
    /// let sample = RecordSample::at(1_717_218_000.0);
    /// encoder.record_with_developer(&sample, &[251.0]).unwrap();
    /// let activity = analysis::fit::decode(&encoder.finish().unwrap()).unwrap();
    /// assert_eq!(activity.records.developer("power").unwrap().values, [251.0]);
    /// ```
    pub fn add_developer_field(
        &mut self,
        field: &DeveloperFieldInfo,
    ) -> Result<usize, AnalysisError> {
        let base = BaseType::from_byte(field.base_type)
            .filter(|b| *b != BaseType::String)
            .ok_or_else(|| {
                fail(format_args!(
                    "developer field \"{}\": base type {} cannot hold a number",
                    field.name, field.base_type
                ))
            })?;
        if self.developer_slots.len() >= 255 {
            return Err(fail("more than 255 developer fields in records"));
        }
        self.describe_developer_field(field)?;
        self.developer_slots.push(DeveloperSlot {
            number: field.field_number,
            developer_data_index: field.developer_data_index,
            base,
            scale: field.scale,
            offset: field.offset,
        });
        // The record definition must list the new field.
        self.record_defined = false;
        Ok(self.developer_slots.len() - 1)
    }

    /// Appends a record (for a file without developer fields in records).
    ///
    /// # Errors
    /// [`AnalysisError::Encode`] when the time cannot be a FIT time (not a number, before the
    /// FIT epoch, after 2126) or developer fields were added (use
    /// [`ActivityEncoder::record_with_developer`]). Nothing is written then.
    pub fn record(&mut self, sample: &RecordSample) -> Result<(), AnalysisError> {
        let on_foot = self.sport.is_on_foot();
        self.write_record(sample, &[], on_foot)
    }

    /// Appends a record with one value per added developer field, in the order they were
    /// added (`NaN` for none).
    ///
    /// # Errors
    /// As [`ActivityEncoder::record`], and when `developer` does not have one value per added
    /// developer field.
    pub fn record_with_developer(
        &mut self,
        sample: &RecordSample,
        developer: &[f32],
    ) -> Result<(), AnalysisError> {
        let on_foot = self.sport.is_on_foot();
        self.write_record(sample, developer, on_foot)
    }

    /// Appends an event (timer start and stop, a marker, …). Timer events drive the timer
    /// time of computed laps and sessions.
    ///
    /// # Errors
    /// [`AnalysisError::Encode`] when the event's time cannot be a FIT time.
    pub fn event(&mut self, event: &Event) -> Result<(), AnalysisError> {
        let n = self.events;
        let time = opt_time(event.time).map_err(|e| fail(format_args!("event {n}: time {e}")))?;
        let mut m = Message::new(mesg::EVENT, Kind::Event);
        m.time(f::TIMESTAMP, time);
        m.value(f::event::EVENT, BaseType::Enum, event.event.map(f64::from));
        m.value(
            f::event::EVENT_TYPE,
            BaseType::Enum,
            event.event_type.map(f64::from),
        );
        m.value(f::event::DATA, BaseType::Uint32, event.data.map(f64::from));
        self.emit(local::EVENT, &m);
        self.events += 1;
        if event.event == Some(ev::TIMER) {
            self.timer.seen = true;
        }
        if let Some(t) = time.map(unix_time) {
            self.saw_time(t);
            if event.is_timer_start() {
                self.timer.start(t);
            } else if event.is_timer_stop() {
                self.timer.stop(t);
            }
        }
        Ok(())
    }

    /// Appends beat-to-beat (RR) intervals in seconds, five to an `hrv` message.
    pub fn rr_intervals(&mut self, seconds: &[f32]) {
        for &s in seconds {
            self.rr[self.rr_len] = f64::from(s);
            self.rr_len += 1;
            if self.rr_len == RR_PER_MESSAGE {
                self.flush_rr();
            }
        }
    }

    /// Appends a lap as given (its cadences in the unit of [`Records::cadence`] for its sport,
    /// or for the encoder's sport when it has none). Once a lap is given, no lap is computed.
    ///
    /// # Errors
    /// [`AnalysisError::Encode`] when one of its times cannot be a FIT time.
    pub fn lap(&mut self, lap: &Lap) -> Result<(), AnalysisError> {
        let on_foot = lap.summary.sport.unwrap_or(self.sport).is_on_foot();
        self.auto_laps = false;
        self.write_lap(lap, on_foot)
    }

    /// Ends the current lap at `time` (a lap button): writes a lap computed from the records
    /// since the previous one (timer time from the timer events, distance from the distance
    /// channel, averages and maxima of speed, heart rate, cadence and power) and returns it.
    ///
    /// # Errors
    /// [`AnalysisError::Encode`] when `time` cannot be a FIT time.
    ///
    /// ```
    /// use analysis::Event;
    /// use analysis::fit::{ActivityEncoder, EncoderOptions, RecordSample};
    ///
    /// let t0 = 1_717_218_000.0;
    /// let mut encoder = ActivityEncoder::new(&EncoderOptions::default()).unwrap();
    /// for i in 0..=60 {
    ///     let t = t0 + f64::from(i);
    ///     if i == 20 {
    ///         // Paused for ten seconds.
    ///         let stop = Event { time: Some(t), event: Some(0), event_type: Some(1), data: None };
    ///         encoder.event(&stop).unwrap();
    ///         let start = Event { time: Some(t + 10.0), event_type: Some(0), ..stop };
    ///         encoder.event(&start).unwrap();
    ///     }
    ///     if i == 30 {
    ///         let lap = encoder.end_lap(t).unwrap();
    ///         assert_eq!(lap.summary.total_elapsed_time, Some(30.0));
    ///         assert_eq!(lap.summary.total_timer_time, Some(20.0));
    ///     }
    ///     if !(21..30).contains(&i) {
    ///         encoder.record(&RecordSample { distance: 2.5 * f64::from(i), ..RecordSample::at(t) }).unwrap();
    ///     }
    /// }
    /// let activity = analysis::fit::decode(&encoder.finish().unwrap()).unwrap();
    /// assert_eq!(activity.laps.len(), 2);
    /// // From the last distance before the lap (50 m at 20 s) to 150 m.
    /// assert_eq!(activity.laps[1].summary.total_distance, Some(100.0));
    /// assert_eq!(activity.sessions[0].summary.total_timer_time, Some(50.0));
    /// ```
    pub fn end_lap(&mut self, time: f64) -> Result<Lap, AnalysisError> {
        self.end_lap_with(time, TRIGGER_MANUAL)
    }

    /// Appends a session as given (cadences as for [`ActivityEncoder::lap`]). Once a session
    /// is given, none is computed.
    ///
    /// # Errors
    /// [`AnalysisError::Encode`] when one of its times cannot be a FIT time.
    pub fn session(&mut self, session: &Session) -> Result<(), AnalysisError> {
        let on_foot = session.summary.sport.unwrap_or(self.sport).is_on_foot();
        self.write_session(session, on_foot)
    }

    /// Completes the file and returns its bytes: the last RR intervals, a `stop_all` if the
    /// timer still runs (unless [`EncoderOptions::explicit_timer`]), a last lap computed from
    /// the records (unless laps were given), a computed session (unless sessions were given),
    /// the `activity` message, the header's data size and CRC, and the file CRC.
    ///
    /// # Errors
    /// [`AnalysisError::Encode`] when the file would exceed FIT's 4 GiB.
    pub fn finish(self) -> Result<Vec<u8>, AnalysisError> {
        self.finish_with(None)
    }

    fn finish_with(mut self, info: Option<&ActivityInfo>) -> Result<Vec<u8>, AnalysisError> {
        self.flush_rr();
        if let Some(end) = self.last_time {
            if self.auto_timer && self.timer.running {
                self.timer_event(end, ev::STOP_ALL);
            }
            if self.auto_laps && (self.laps == 0 || self.lap.records > 0) {
                self.end_lap_with(end, TRIGGER_SESSION_END)?;
            }
            if self.sessions == 0 {
                let session = Session {
                    summary: self.computed(&self.session, end),
                    first_lap_index: Some(0),
                    num_laps: Some(self.laps),
                };
                let on_foot = self.sport.is_on_foot();
                self.write_session(&session, on_foot)?;
            }
        }
        self.write_activity(info)?;

        let data_size = u32::try_from(self.buf.len() - HEADER_SIZE)
            .map_err(|_| fail("the file would be larger than FIT's 4 GiB"))?;
        let mut header = [0u8; HEADER_SIZE];
        header[0] = HEADER_SIZE as u8;
        header[1] = PROTOCOL_VERSION;
        header[2..4].copy_from_slice(&PROFILE_VERSION.to_le_bytes());
        header[4..8].copy_from_slice(&data_size.to_le_bytes());
        header[8..12].copy_from_slice(SIGNATURE);
        let header_crc = crc16(&header[..12]);
        header[12..14].copy_from_slice(&header_crc.to_le_bytes());
        self.buf[..HEADER_SIZE].copy_from_slice(&header);
        let crc = crc16(&self.buf);
        self.buf.extend_from_slice(&crc.to_le_bytes());
        Ok(self.buf)
    }

    /// Adds the channels of `mask` (bits of [`RECORD_FIELDS`]) to the record definition, so a
    /// file whose columns are known writes one definition.
    fn declare_channels(&mut self, mask: u32) {
        if mask & !self.record_mask != 0 {
            self.record_mask |= mask;
            self.record_defined = false;
        }
    }

    /// The size of a record message (header byte included) with the current channels.
    fn record_size(&self) -> usize {
        let fields: usize = RECORD_FIELDS
            .iter()
            .enumerate()
            .filter(|(i, _)| self.record_mask & (1 << i) != 0)
            .map(|(_, (_, base))| base.size())
            .sum();
        let developer: usize = self.developer_slots.iter().map(|s| s.base.size()).sum();
        1 + 4 + fields + developer
    }

    fn write_record(
        &mut self,
        sample: &RecordSample,
        developer: &[f32],
        on_foot: bool,
    ) -> Result<(), AnalysisError> {
        let n = self.records;
        let time = fit_time(sample.time).map_err(|e| fail(format_args!("record {n}: time {e}")))?;
        if developer.len() != self.developer_slots.len() {
            return Err(fail(format_args!(
                "record {n}: {} developer values for {} developer fields",
                developer.len(),
                self.developer_slots.len()
            )));
        }
        let t = unix_time(time);
        if self.auto_timer && !self.timer.seen {
            self.timer_event(t, ev::START);
        }
        let values = sample.field_values(on_foot);
        let mut mask = self.record_mask;
        for (i, v) in values.iter().enumerate() {
            if !v.is_nan() {
                mask |= 1 << i;
            }
        }
        if !self.record_defined || mask != self.record_mask {
            self.define_record(mask);
        }
        let buf = &mut self.buf;
        buf.push(local::RECORD);
        buf.extend_from_slice(&time.to_le_bytes());
        for &(i, base, scale, offset) in &self.record_fields[..self.record_field_count] {
            let bytes = base.encode((values[i] + offset) * scale);
            buf.extend_from_slice(&bytes[..base.size()]);
        }
        for (slot, &v) in self.developer_slots.iter().zip(developer) {
            let bytes = slot.base.encode((f64::from(v) + slot.offset) * slot.scale);
            buf.extend_from_slice(&bytes[..slot.base.size()]);
        }
        self.records += 1;
        self.saw_time(t);
        if !sample.distance.is_nan() {
            self.last_distance = sample.distance;
        }
        self.lap.add(sample);
        self.session.add(sample);
        Ok(())
    }

    /// Writes the record definition for the fields of `mask` and the developer slots.
    fn define_record(&mut self, mask: u32) {
        self.record_mask = mask;
        let mut count = 0;
        for (i, &(_, base)) in RECORD_FIELDS.iter().enumerate() {
            if mask & (1 << i) != 0 {
                let (scale, offset) = self.record_scales[i];
                self.record_fields[count] = (i, base, scale, offset);
                count += 1;
            }
        }
        self.record_field_count = count;
        let has_developer = !self.developer_slots.is_empty();
        let buf = &mut self.buf;
        buf.push(0x40 | if has_developer { 0x20 } else { 0 } | local::RECORD);
        buf.extend_from_slice(&[0, 0]);
        buf.extend_from_slice(&mesg::RECORD.to_le_bytes());
        buf.push(1 + count as u8);
        buf.extend_from_slice(&[f::TIMESTAMP, 4, BaseType::Uint32.byte()]);
        for &(i, base, ..) in &self.record_fields[..count] {
            buf.extend_from_slice(&[RECORD_FIELDS[i].0, base.size() as u8, base.byte()]);
        }
        if has_developer {
            buf.push(self.developer_slots.len() as u8);
            for s in &self.developer_slots {
                buf.extend_from_slice(&[s.number, s.base.size() as u8, s.developer_data_index]);
            }
        }
        self.record_defined = true;
    }

    /// Writes the description of a developer field (and its developer's id, the first time).
    fn describe_developer_field(
        &mut self,
        field: &DeveloperFieldInfo,
    ) -> Result<(), AnalysisError> {
        let name = &field.name;
        let key = (field.developer_data_index, field.field_number);
        if self.developer_keys.contains(&key) {
            return Err(fail(format_args!(
                "developer field \"{name}\": field {} of developer {} is already described",
                key.1, key.0
            )));
        }
        let scale = (field.scale != 1.0)
            .then_some(field.scale)
            .map(|s| {
                (s.fract() == 0.0 && (1.0..=254.0).contains(&s))
                    .then_some(s)
                    .ok_or_else(|| {
                        fail(format_args!(
                            "developer field \"{name}\": scale {s} is not a whole number from 1 \
                             to 254"
                        ))
                    })
            })
            .transpose()?;
        let offset = (field.offset != 0.0)
            .then_some(field.offset)
            .map(|o| {
                (o.fract() == 0.0 && (-128.0..=126.0).contains(&o))
                    .then_some(o)
                    .ok_or_else(|| {
                        fail(format_args!(
                            "developer field \"{name}\": offset {o} is not a whole number from \
                             -128 to 126"
                        ))
                    })
            })
            .transpose()?;

        let index = field.developer_data_index;
        if !self.developer_ids[usize::from(index)] {
            let mut m = Message::new(mesg::DEVELOPER_DATA_ID, Kind::DeveloperDataId);
            if let Some(id) = &field.application_id {
                m.bytes(f::developer_data_id::APPLICATION_ID, id);
            }
            m.raw(
                f::developer_data_id::DEVELOPER_DATA_INDEX,
                BaseType::Uint8,
                f64::from(index),
            );
            self.emit(local::DEVELOPER_DATA_ID, &m);
            self.developer_ids[usize::from(index)] = true;
        }
        let mut m = Message::new(mesg::FIELD_DESCRIPTION, Kind::FieldDescription);
        m.raw(
            f::field_description::DEVELOPER_DATA_INDEX,
            BaseType::Uint8,
            f64::from(index),
        );
        m.raw(
            f::field_description::FIELD_DEFINITION_NUMBER,
            BaseType::Uint8,
            f64::from(field.field_number),
        );
        let base_byte =
            BaseType::from_byte(field.base_type).map_or(field.base_type, BaseType::byte);
        m.raw(
            f::field_description::FIT_BASE_TYPE_ID,
            BaseType::Uint8,
            f64::from(base_byte),
        );
        m.text(f::field_description::FIELD_NAME, name);
        m.value(f::field_description::SCALE, BaseType::Uint8, scale);
        m.value(f::field_description::OFFSET, BaseType::Sint8, offset);
        m.text(f::field_description::UNITS, &field.units);
        if let Some((mesg_num, field_num)) = field.native_field {
            m.raw(
                f::field_description::NATIVE_MESG_NUM,
                BaseType::Uint16,
                f64::from(mesg_num),
            );
            m.raw(
                f::field_description::NATIVE_FIELD_NUM,
                BaseType::Uint8,
                f64::from(field_num),
            );
        }
        self.emit(local::FIELD_DESCRIPTION, &m);
        self.developer_keys.push(key);
        Ok(())
    }

    /// Writes a timer event at `t` (a whole FIT second already).
    fn timer_event(&mut self, t: f64, event_type: u8) {
        let event = Event {
            time: Some(t),
            event: Some(ev::TIMER),
            event_type: Some(event_type),
            data: Some(0),
        };
        // `t` came from a valid FIT time, so this cannot fail.
        let written = self.event(&event);
        debug_assert!(written.is_ok());
    }

    /// Notes that the file reached time `t`: spans start at the first time seen.
    fn saw_time(&mut self, t: f64) {
        self.last_time = Some(self.last_time.map_or(t, |last| last.max(t)));
        for span in [&mut self.lap, &mut self.session] {
            if span.start.is_none() {
                span.start = Some(t);
                span.timer_at_start = self.timer.at(t);
            }
        }
    }

    fn end_lap_with(&mut self, time: f64, trigger: u8) -> Result<Lap, AnalysisError> {
        let t = fit_time(time).map_err(|e| fail(format_args!("lap {}: end {e}", self.laps)))?;
        let t = unix_time(t);
        self.saw_time(t);
        let lap = Lap {
            summary: self.computed(&self.lap, t),
            intensity: None,
            trigger: Some(trigger),
        };
        let on_foot = self.sport.is_on_foot();
        self.write_lap(&lap, on_foot)?;
        Ok(lap)
    }

    /// A summary computed over `span`, ending at `end`.
    fn computed(&self, span: &Span, end: f64) -> Summary {
        let start = span.start.unwrap_or(end);
        let elapsed = (end - start).max(0.0);
        let timer = if self.timer.seen {
            (self.timer.at(end) - span.timer_at_start).max(0.0)
        } else {
            elapsed
        };
        let distance = (!self.last_distance.is_nan())
            .then(|| (self.last_distance - span.distance_at_start).max(0.0));
        let avg_speed = match distance {
            Some(d) if timer > 0.0 => Some(d / timer),
            _ => span.speed.mean(),
        };
        Summary {
            start_time: Some(start),
            end_time: Some(end),
            total_elapsed_time: Some(elapsed),
            total_timer_time: Some(timer),
            total_distance: distance,
            avg_speed,
            max_speed: span.speed.max(),
            avg_heart_rate: span.heart_rate.mean().map(f64::round),
            max_heart_rate: span.heart_rate.max(),
            avg_cadence: span.cadence.mean(),
            max_cadence: span.cadence.max(),
            avg_power: span.power.mean().map(f64::round),
            max_power: span.power.max(),
            sport: Some(self.sport),
            sub_sport: self.sub_sport,
            ..Summary::default()
        }
    }

    fn write_lap(&mut self, lap: &Lap, on_foot: bool) -> Result<(), AnalysisError> {
        let n = self.laps;
        let (mut m, end) = summary_message(&LAP, &lap.summary, n, on_foot, "lap")?;
        m.value(
            f::lap::INTENSITY,
            BaseType::Enum,
            lap.intensity.map(f64::from),
        );
        m.value(
            f::lap::LAP_TRIGGER,
            BaseType::Enum,
            lap.trigger.map(f64::from),
        );
        self.emit(local::LAP, &m);
        self.laps = self.laps.saturating_add(1);
        // The next lap starts where this one ended.
        let end = end.or(self.last_time);
        if let Some(t) = end {
            self.saw_time(t);
        }
        let distance = if self.last_distance.is_nan() {
            0.0
        } else {
            self.last_distance
        };
        let timer = end.map_or(0.0, |t| self.timer.at(t));
        self.lap = Span::starting(end, timer, distance);
        Ok(())
    }

    fn write_session(&mut self, session: &Session, on_foot: bool) -> Result<(), AnalysisError> {
        let n = self.sessions;
        let (mut m, end) = summary_message(&SESSION, &session.summary, n, on_foot, "session")?;
        m.value(
            f::session::FIRST_LAP_INDEX,
            BaseType::Uint16,
            session.first_lap_index.map(f64::from),
        );
        m.value(
            f::session::NUM_LAPS,
            BaseType::Uint16,
            session.num_laps.map(f64::from),
        );
        self.emit(local::SESSION, &m);
        self.sessions = self.sessions.saturating_add(1);
        if let Some(timer) = session.summary.total_timer_time {
            self.sessions_timer = Some(self.sessions_timer.unwrap_or(0.0) + timer);
        }
        if let Some(t) = end {
            self.saw_time(t);
        }
        Ok(())
    }

    fn write_activity(&mut self, info: Option<&ActivityInfo>) -> Result<(), AnalysisError> {
        let context = |what: &str, e: String| fail(format_args!("activity: {what} {e}"));
        let timestamp = opt_time(info.and_then(|i| i.timestamp).or(self.last_time))
            .map_err(|e| context("timestamp", e))?;
        let local = info.and_then(|i| i.local_timestamp).or_else(|| {
            let offset = self.utc_offset?;
            Some(unix_time(timestamp?) + offset)
        });
        let local = opt_time(local).map_err(|e| context("local_timestamp", e))?;
        let timer = info
            .and_then(|i| i.total_timer_time)
            .or(self.sessions_timer)
            .or_else(|| self.last_time.map(|t| self.timer.at(t)));
        let sessions = info.and_then(|i| i.num_sessions).unwrap_or(self.sessions);
        let mut m = Message::new(mesg::ACTIVITY, Kind::Activity);
        m.time(f::TIMESTAMP, timestamp);
        m.value(f::activity::TOTAL_TIMER_TIME, BaseType::Uint32, timer);
        m.raw(
            f::activity::NUM_SESSIONS,
            BaseType::Uint16,
            f64::from(sessions),
        );
        m.raw(
            f::activity::TYPE,
            BaseType::Enum,
            f64::from(ACTIVITY_MANUAL),
        );
        m.raw(f::activity::EVENT, BaseType::Enum, f64::from(ev::ACTIVITY));
        m.raw(f::activity::EVENT_TYPE, BaseType::Enum, f64::from(ev::STOP));
        m.time(f::activity::LOCAL_TIMESTAMP, local);
        self.emit(local::ACTIVITY, &m);
        Ok(())
    }

    fn write_file_id(&mut self, id: &FileId, device: &DeviceInfo) -> Result<(), AnalysisError> {
        let created = opt_time(id.time_created)
            .map_err(|e| fail(format_args!("file_id: time_created {e}")))?;
        let mut m = Message::new(mesg::FILE_ID, Kind::FileId);
        m.raw(f::file_id::TYPE, BaseType::Enum, f64::from(FILE_ACTIVITY));
        let manufacturer = id.manufacturer.unwrap_or(MANUFACTURER_DEVELOPMENT);
        m.raw(
            f::file_id::MANUFACTURER,
            BaseType::Uint16,
            f64::from(manufacturer),
        );
        m.value(
            f::file_id::PRODUCT,
            BaseType::Uint16,
            id.product.map(f64::from),
        );
        m.value(
            f::file_id::SERIAL_NUMBER,
            BaseType::Uint32z,
            id.serial_number.map(f64::from),
        );
        m.time(f::file_id::TIME_CREATED, created);
        if let Some(name) = &id.product_name {
            m.text(f::file_id::PRODUCT_NAME, name);
        }
        self.emit(local::FILE_ID, &m);

        let mut m = Message::new(mesg::DEVICE_INFO, Kind::DeviceInfo);
        m.time(f::TIMESTAMP, created);
        m.raw(f::device_info::DEVICE_INDEX, BaseType::Uint8, 0.0);
        m.value(
            f::device_info::MANUFACTURER,
            BaseType::Uint16,
            device.manufacturer.map(f64::from),
        );
        m.value(
            f::device_info::SERIAL_NUMBER,
            BaseType::Uint32z,
            device.serial_number.map(f64::from),
        );
        m.value(
            f::device_info::PRODUCT,
            BaseType::Uint16,
            device.product.map(f64::from),
        );
        m.value(
            f::device_info::SOFTWARE_VERSION,
            BaseType::Uint16,
            device.software_version,
        );
        if let Some(name) = &device.product_name {
            m.text(f::device_info::PRODUCT_NAME, name);
        }
        self.emit(local::DEVICE_INFO, &m);
        Ok(())
    }

    fn write_sport(&mut self) {
        let mut m = Message::new(mesg::SPORT, Kind::Sport);
        m.raw(
            f::sport::SPORT,
            BaseType::Enum,
            f64::from(self.sport.fit_number()),
        );
        m.value(
            f::sport::SUB_SPORT,
            BaseType::Enum,
            self.sub_sport.map(f64::from),
        );
        self.emit(local::SPORT, &m);
    }

    /// Writes the buffered RR intervals as one `hrv` message (invalid values after the last).
    fn flush_rr(&mut self) {
        if self.rr_len == 0 {
            return;
        }
        let mut m = Message::new(mesg::HRV, Kind::Hrv);
        let rr = self.rr;
        let ms = rr.map(|s| s * RR_SCALE);
        m.array(
            f::hrv::TIME,
            BaseType::Uint16,
            &ms[..self.rr_len],
            RR_PER_MESSAGE,
        );
        self.emit(local::HRV, &m);
        self.rr = [f64::NAN; RR_PER_MESSAGE];
        self.rr_len = 0;
    }

    /// Writes message `m` as local type `local`, preceded by its definition when that differs
    /// from the one last written for `local`.
    fn emit(&mut self, local: u8, m: &Message) {
        let fields = &m.fields[..m.count];
        let layout = &mut self.layouts[usize::from(local)];
        if !(layout.defined && layout.global == m.global && layout.fields == fields) {
            let buf = &mut self.buf;
            buf.push(0x40 | local);
            buf.extend_from_slice(&[0, 0]);
            buf.extend_from_slice(&m.global.to_le_bytes());
            buf.push(m.count as u8);
            for field in fields {
                buf.extend_from_slice(field);
            }
            layout.defined = true;
            layout.global = m.global;
            layout.fields.clear();
            layout.fields.extend_from_slice(fields);
        }
        self.buf.push(local);
        self.buf.extend_from_slice(&m.data[..m.len]);
    }
}

/// The field numbers of a lap's or a session's figures.
struct SummaryFields {
    global: u16,
    kind: Kind,
    /// The value of the message's `event` field (lap or session).
    event_value: u8,
    event: u8,
    event_type: u8,
    start_time: u8,
    sport: u8,
    sub_sport: u8,
    elapsed: u8,
    timer: u8,
    moving: u8,
    distance: u8,
    calories: u8,
    avg_speed: u8,
    max_speed: u8,
    enhanced_avg_speed: u8,
    enhanced_max_speed: u8,
    avg_heart_rate: u8,
    max_heart_rate: u8,
    avg_cadence: u8,
    max_cadence: u8,
    avg_fractional_cadence: u8,
    max_fractional_cadence: u8,
    avg_power: u8,
    max_power: u8,
    ascent: u8,
    descent: u8,
}

const LAP: SummaryFields = {
    use f::lap as l;
    SummaryFields {
        global: mesg::LAP,
        kind: Kind::Lap,
        event_value: ev::LAP,
        event: l::EVENT,
        event_type: l::EVENT_TYPE,
        start_time: l::START_TIME,
        sport: l::SPORT,
        sub_sport: l::SUB_SPORT,
        elapsed: l::TOTAL_ELAPSED_TIME,
        timer: l::TOTAL_TIMER_TIME,
        moving: l::TOTAL_MOVING_TIME,
        distance: l::TOTAL_DISTANCE,
        calories: l::TOTAL_CALORIES,
        avg_speed: l::AVG_SPEED,
        max_speed: l::MAX_SPEED,
        enhanced_avg_speed: l::ENHANCED_AVG_SPEED,
        enhanced_max_speed: l::ENHANCED_MAX_SPEED,
        avg_heart_rate: l::AVG_HEART_RATE,
        max_heart_rate: l::MAX_HEART_RATE,
        avg_cadence: l::AVG_CADENCE,
        max_cadence: l::MAX_CADENCE,
        avg_fractional_cadence: l::AVG_FRACTIONAL_CADENCE,
        max_fractional_cadence: l::MAX_FRACTIONAL_CADENCE,
        avg_power: l::AVG_POWER,
        max_power: l::MAX_POWER,
        ascent: l::TOTAL_ASCENT,
        descent: l::TOTAL_DESCENT,
    }
};

const SESSION: SummaryFields = {
    use f::session as s;
    SummaryFields {
        global: mesg::SESSION,
        kind: Kind::Session,
        event_value: ev::SESSION,
        event: s::EVENT,
        event_type: s::EVENT_TYPE,
        start_time: s::START_TIME,
        sport: s::SPORT,
        sub_sport: s::SUB_SPORT,
        elapsed: s::TOTAL_ELAPSED_TIME,
        timer: s::TOTAL_TIMER_TIME,
        moving: s::TOTAL_MOVING_TIME,
        distance: s::TOTAL_DISTANCE,
        calories: s::TOTAL_CALORIES,
        avg_speed: s::AVG_SPEED,
        max_speed: s::MAX_SPEED,
        enhanced_avg_speed: s::ENHANCED_AVG_SPEED,
        enhanced_max_speed: s::ENHANCED_MAX_SPEED,
        avg_heart_rate: s::AVG_HEART_RATE,
        max_heart_rate: s::MAX_HEART_RATE,
        avg_cadence: s::AVG_CADENCE,
        max_cadence: s::MAX_CADENCE,
        avg_fractional_cadence: s::AVG_FRACTIONAL_CADENCE,
        max_fractional_cadence: s::MAX_FRACTIONAL_CADENCE,
        avg_power: s::AVG_POWER,
        max_power: s::MAX_POWER,
        ascent: s::TOTAL_ASCENT,
        descent: s::TOTAL_DESCENT,
    }
};

/// A lap or session message with the figures `s` has, and its end time (FIT seconds).
/// `what` and `index` name it in errors.
fn summary_message(
    fields: &SummaryFields,
    s: &Summary,
    index: u16,
    on_foot: bool,
    what: &str,
) -> Result<(Message, Option<f64>), AnalysisError> {
    let context = |field: &str, e: String| fail(format_args!("{what} {index}: {field} {e}"));
    let end = s
        .end_time
        .or_else(|| Some(s.start_time? + s.total_elapsed_time?));
    let end = opt_time(end).map_err(|e| context("end time", e))?;
    let start = opt_time(s.start_time).map_err(|e| context("start_time", e))?;
    let k = fields;
    let mut m = Message::new(k.global, k.kind);
    m.time(f::TIMESTAMP, end);
    m.raw(f::MESSAGE_INDEX, BaseType::Uint16, f64::from(index));
    m.raw(k.event, BaseType::Enum, f64::from(k.event_value));
    m.raw(k.event_type, BaseType::Enum, f64::from(ev::STOP));
    m.time(k.start_time, start);
    let sport = s.sport.map(|x| f64::from(x.fit_number()));
    m.value(k.sport, BaseType::Enum, sport);
    m.value(k.sub_sport, BaseType::Enum, s.sub_sport.map(f64::from));
    m.value(k.elapsed, BaseType::Uint32, s.total_elapsed_time);
    m.value(k.timer, BaseType::Uint32, s.total_timer_time);
    m.value(k.moving, BaseType::Uint32, s.total_moving_time);
    m.value(k.distance, BaseType::Uint32, s.total_distance);
    m.value(k.calories, BaseType::Uint16, s.total_calories);
    m.value(k.avg_speed, BaseType::Uint16, s.avg_speed);
    m.value(k.max_speed, BaseType::Uint16, s.max_speed);
    m.value(k.enhanced_avg_speed, BaseType::Uint32, s.avg_speed);
    m.value(k.enhanced_max_speed, BaseType::Uint32, s.max_speed);
    m.value(k.avg_heart_rate, BaseType::Uint8, s.avg_heart_rate);
    m.value(k.max_heart_rate, BaseType::Uint8, s.max_heart_rate);
    for (cadence, whole, fraction) in [
        (s.avg_cadence, k.avg_cadence, k.avg_fractional_cadence),
        (s.max_cadence, k.max_cadence, k.max_fractional_cadence),
    ] {
        if let Some(c) = cadence {
            let (w, fr) = split_cadence(c, on_foot);
            m.value(whole, BaseType::Uint8, Some(w));
            m.value(fraction, BaseType::Uint8, Some(fr));
        }
    }
    m.value(k.avg_power, BaseType::Uint16, s.avg_power);
    m.value(k.max_power, BaseType::Uint16, s.max_power);
    m.value(k.ascent, BaseType::Uint16, s.total_ascent);
    m.value(k.descent, BaseType::Uint16, s.total_descent);
    Ok((m, end.map(unix_time)))
}

/// The most fields a message other than a record has (a session has 28).
const MAX_FIELDS: usize = 32;
/// The most data bytes such a message has (a field description: two strings of up to 255
/// bytes and a few numbers).
const MAX_DATA: usize = 640;

/// A message other than a record being put together: its definition's fields and its data,
/// on the stack.
struct Message {
    global: u16,
    kind: Kind,
    fields: [[u8; 3]; MAX_FIELDS],
    count: usize,
    data: [u8; MAX_DATA],
    len: usize,
}

impl Message {
    fn new(global: u16, kind: Kind) -> Self {
        Self {
            global,
            kind,
            fields: [[0; 3]; MAX_FIELDS],
            count: 0,
            data: [0; MAX_DATA],
            len: 0,
        }
    }

    /// Adds field `number` with the given raw bytes.
    fn push(&mut self, number: u8, base: BaseType, bytes: &[u8]) {
        let end = self.len + bytes.len();
        // The messages are the encoder's own: these limits are never reached.
        debug_assert!(self.count < MAX_FIELDS && end <= MAX_DATA && bytes.len() <= 255);
        if self.count >= MAX_FIELDS || end > MAX_DATA || bytes.len() > 255 {
            return;
        }
        self.fields[self.count] = [number, bytes.len() as u8, base.byte()];
        self.count += 1;
        self.data[self.len..end].copy_from_slice(bytes);
        self.len = end;
    }

    /// Adds field `number` holding the raw (already scaled) value `raw`.
    fn raw(&mut self, number: u8, base: BaseType, raw: f64) {
        let bytes = base.encode(raw);
        self.push(number, base, &bytes[..base.size()]);
    }

    /// Adds field `number` holding `value`, scaled as the profile says, if there is a value.
    fn value(&mut self, number: u8, base: BaseType, value: Option<f64>) {
        if let Some(v) = value {
            let (scale, offset) = scale_offset(self.kind, number);
            self.raw(number, base, (v + offset) * scale);
        }
    }

    /// Adds a `date_time` field, if there is a time (FIT seconds).
    fn time(&mut self, number: u8, time: Option<u32>) {
        if let Some(t) = time {
            self.push(number, BaseType::Uint32, &t.to_le_bytes());
        }
    }

    /// Adds an array of `size` values of `base`, invalid after the given ones.
    fn array(&mut self, number: u8, base: BaseType, raw: &[f64], size: usize) {
        let mut bytes = [0u8; 64];
        let width = base.size();
        for i in 0..size.min(bytes.len() / width) {
            let v = raw.get(i).copied().unwrap_or(f64::NAN);
            bytes[i * width..(i + 1) * width].copy_from_slice(&base.encode(v)[..width]);
        }
        self.push(number, base, &bytes[..size * width]);
    }

    /// Adds a string field (NUL-terminated, cut at a character boundary to fit 255 bytes), if
    /// it is not empty.
    fn text(&mut self, number: u8, text: &str) {
        if text.is_empty() {
            return;
        }
        let mut end = text.len().min(254);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let mut bytes = [0u8; 255];
        bytes[..end].copy_from_slice(&text.as_bytes()[..end]);
        self.push(number, BaseType::String, &bytes[..=end]);
    }

    /// Adds a byte-array field.
    fn bytes(&mut self, number: u8, bytes: &[u8]) {
        self.push(number, BaseType::Byte, bytes);
    }
}

/// The scale and offset of field `number` of `kind` as the decoder applies them
/// (`value = raw / scale - offset`); the encoder writes `raw = (value + offset) × scale`.
fn scale_offset(kind: Kind, number: u8) -> (f64, f64) {
    match profile::conv(kind, number) {
        Conv::Value { scale, offset, .. } => (scale, offset),
        Conv::Semicircles { .. } => (1.0 / DEGREES_PER_SEMICIRCLE, 0.0),
        _ => (1.0, 0.0),
    }
}

/// FIT's whole and fractional (0 to 127/128) cadence for a cadence in Stride's unit: strides
/// (half the steps) when `on_foot`. `NaN` for both when there is none or it is negative.
#[inline]
fn split_cadence(cadence: f64, on_foot: bool) -> (f64, f64) {
    let c = if on_foot { cadence * 0.5 } else { cadence };
    let q = (c * 128.0).round();
    if q >= 0.0 && q.is_finite() {
        let whole = (q / 128.0).floor();
        (whole, q / 128.0 - whole)
    } else {
        (f64::NAN, f64::NAN)
    }
}

/// The FIT `date_time` of Unix seconds `t`: whole seconds since the FIT epoch; else why not.
fn fit_time(t: f64) -> Result<u32, String> {
    const LAST: u32 = u32::MAX - 1;
    let seconds = (t - FIT_EPOCH_OFFSET as f64).round();
    let show = |t: f64| match crate::time::format_rfc3339(t) {
        Some(text) => format!("{t} ({text})"),
        None => t.to_string(),
    };
    if t.is_nan() {
        Err("NaN is not a number".into())
    } else if seconds < 0.0 {
        Err(format!(
            "{} is before the FIT epoch, 1989-12-31T00:00:00Z",
            show(t)
        ))
    } else if seconds > f64::from(LAST) {
        Err(format!(
            "{} is after the last FIT time, {}",
            show(t),
            show(unix_time(LAST))
        ))
    } else {
        Ok(seconds as u32)
    }
}

fn opt_time(t: Option<f64>) -> Result<Option<u32>, String> {
    t.map(fit_time).transpose()
}

/// Unix seconds of a FIT `date_time`.
fn unix_time(fit_seconds: u32) -> f64 {
    f64::from(fit_seconds) + FIT_EPOCH_OFFSET as f64
}

fn fail(what: impl Display) -> AnalysisError {
    AnalysisError::Encode(what.to_string())
}

/// Encodes an activity as a FIT activity file.
///
/// Written: `file_id` (type activity; the activity's, else its device's), `device_info`,
/// `sport`, developer field descriptions, the events, records and laps in time order, the RR
/// intervals (`hrv`), the sessions and the `activity` message. What the activity lacks is
/// computed from the records: timer start and stop when it has no timer events, one lap when
/// it has no laps, one session when it has no sessions. Developer columns that no
/// [`DeveloperFieldInfo`] points to are described as `float32` fields of a developer of their
/// own.
///
/// Decoding the bytes with [`decode`](crate::fit::decode) gives the activity back, every value
/// to its FIT field's resolution.
///
/// # Errors
/// [`AnalysisError::Encode`], saying what and where, for what FIT cannot hold: a record
/// without a time (`NaN`), a time before the FIT epoch (1989-12-31) or after 2126, a column
/// whose length differs from the number of records, a developer field whose scale or offset
/// FIT cannot store.
///
/// ```
/// use analysis::{Activity, Sport, fit};
///
/// let mut activity = Activity::default();
/// activity.sport = Sport::Running;
/// activity.records.time = vec![1_717_218_000.0, 1_717_218_001.0, 1_717_218_002.0];
/// activity.records.heart_rate = Some(vec![140.0, f32::NAN, 142.0]);
/// activity.records.distance = Some(vec![0.0, 3.1, 6.2]);
///
/// let bytes = fit::encode_activity(&activity).unwrap();
/// let back = fit::decode(&bytes).unwrap();
/// assert_eq!(back.records.time, activity.records.time);
/// assert_eq!(back.records.distance, activity.records.distance);
/// let hr = back.records.heart_rate.unwrap();
/// assert!(hr[1].is_nan() && hr[2] == 142.0);
/// assert_eq!(back.sessions[0].summary.total_distance, Some(6.2));
///
/// activity.records.time[1] = f64::NAN;
/// assert!(fit::encode_activity(&activity).is_err());
/// ```
pub fn encode_activity(activity: &Activity) -> Result<Vec<u8>, AnalysisError> {
    let a = activity;
    let r = &a.records;
    check_lengths(r)?;
    let n = r.len();
    let first_time = r.time.iter().copied().find(|t| !t.is_nan());
    let mut file_id = a.file_id.clone().unwrap_or_else(|| FileId {
        manufacturer: a.device.manufacturer,
        product: a.device.product,
        serial_number: a.device.serial_number,
        product_name: a.device.product_name.clone(),
        ..FileId::default()
    });
    // A bad start is reported by the record or session it comes from, not as the file's.
    let valid = |t: &f64| fit_time(*t).is_ok();
    file_id.time_created = file_id
        .time_created
        .or(a.start_time.filter(valid))
        .or(first_time.filter(valid));
    let options = EncoderOptions {
        file_id,
        device: a.device.clone(),
        sport: a.sport,
        sub_sport: a.sub_sport,
        utc_offset: a.activity_info.and_then(|i| i.utc_offset()),
        expected_records: 0,
        explicit_timer: a.events.iter().any(|e| e.event == Some(ev::TIMER)),
    };
    let mut enc = ActivityEncoder::new(&options)?;

    // Developer fields: described first, those with values in the record definition.
    let mut columns = Vec::new();
    for (info, column) in developer_plan(a) {
        match column {
            Some(c) => {
                enc.add_developer_field(&info)?;
                columns.push(c);
            }
            None => enc.describe_developer_field(&info)?,
        }
    }
    enc.declare_channels(column_mask(r));
    let others = a.events.len() * 16
        + (a.laps.len() + a.sessions.len()) * 128
        + a.hrv_rr.len().div_ceil(RR_PER_MESSAGE) * 12
        + 1024;
    enc.buf
        .reserve(n.saturating_mul(enc.record_size()).saturating_add(others));

    // Cadence counts strides where the decoder will say so, from the sessions as written.
    let sessions: Vec<Session> = a
        .sessions
        .iter()
        .map(|s| Session {
            summary: quantized(&s.summary),
            ..s.clone()
        })
        .collect();
    let (sport, _) = overall_sport(&a.sessions, Some((a.sport, a.sub_sport)));
    let foot = OnFoot::new(sport, &sessions);

    let lap_key = |l: &Lap| {
        let s = &l.summary;
        s.end_time
            .or_else(|| Some(s.start_time? + s.total_elapsed_time?))
            .unwrap_or(f64::NEG_INFINITY)
    };
    let event_key = |e: &Event| e.time.unwrap_or(f64::NEG_INFINITY);
    let mut events = a.events.iter().peekable();
    let mut laps = a.laps.iter().peekable();
    let mut developer = vec![f32::NAN; columns.len()];
    for i in 0..n {
        let t = r.time[i];
        // Events up to this record (a timer stop at its time after it), laps ended before it.
        while let Some(e) = events.next_if(|e| {
            let k = event_key(e);
            k < t || (k == t && !e.is_timer_stop())
        }) {
            enc.event(e)?;
        }
        while let Some(l) = laps.next_if(|l| lap_key(l) < t) {
            enc.auto_laps = false;
            enc.write_lap(l, foot.lap(&quantized(&l.summary)))?;
        }
        for (value, &c) in developer.iter_mut().zip(&columns) {
            *value = r.developer[c].values.get(i).copied().unwrap_or(f32::NAN);
        }
        let on_foot = foot.record(t.round());
        enc.write_record(&sample_at(r, i), &developer, on_foot)?;
    }
    loop {
        let event_first = match (events.peek(), laps.peek()) {
            (Some(e), Some(l)) => event_key(e) <= lap_key(l),
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        if event_first {
            if let Some(e) = events.next() {
                enc.event(e)?;
            }
        } else if let Some(l) = laps.next() {
            enc.auto_laps = false;
            enc.write_lap(l, foot.lap(&quantized(&l.summary)))?;
        }
    }
    enc.rr_intervals(&a.hrv_rr);
    for (s, q) in a.sessions.iter().zip(&sessions) {
        enc.write_session(s, foot.session(&q.summary))?;
    }
    enc.finish_with(a.activity_info.as_ref())
}

/// Every column has one value per record.
fn check_lengths(r: &Records) -> Result<(), AnalysisError> {
    let n = r.len();
    let wide = [
        ("latitude", &r.latitude),
        ("longitude", &r.longitude),
        ("distance", &r.distance),
    ];
    let narrow = [
        ("speed", &r.speed),
        ("altitude", &r.altitude),
        ("heart_rate", &r.heart_rate),
        ("cadence", &r.cadence),
        ("power", &r.power),
        ("temperature", &r.temperature),
        ("vertical_oscillation", &r.vertical_oscillation),
        ("stance_time", &r.stance_time),
        ("stance_time_balance", &r.stance_time_balance),
        ("vertical_ratio", &r.vertical_ratio),
        ("step_length", &r.step_length),
    ];
    let lengths = wide
        .iter()
        .filter_map(|(name, c)| Some((*name, c.as_ref()?.len())))
        .chain(
            narrow
                .iter()
                .filter_map(|(name, c)| Some((*name, c.as_ref()?.len()))),
        )
        .chain(
            r.developer
                .iter()
                .map(|c| (c.name.as_str(), c.values.len())),
        );
    for (name, len) in lengths {
        if len != n {
            return Err(fail(format_args!(
                "records: column \"{name}\" has {len} values for {n} records"
            )));
        }
    }
    Ok(())
}

/// The bits of [`RECORD_FIELDS`] the present columns fill.
fn column_mask(r: &Records) -> u32 {
    let has = |present: bool, bits: u32| if present { bits } else { 0 };
    has(r.latitude.is_some(), 1 << 0)
        | has(r.longitude.is_some(), 1 << 1)
        | has(r.distance.is_some(), 1 << 2)
        | has(r.speed.is_some(), (1 << 3) | (1 << 4))
        | has(r.altitude.is_some(), 1 << 5)
        | has(r.heart_rate.is_some(), 1 << 6)
        | has(r.cadence.is_some(), (1 << 7) | (1 << 8))
        | has(r.power.is_some(), 1 << 9)
        | has(r.temperature.is_some(), 1 << 10)
        | has(r.vertical_oscillation.is_some(), 1 << 11)
        | has(r.stance_time.is_some(), 1 << 12)
        | has(r.stance_time_balance.is_some(), 1 << 13)
        | has(r.vertical_ratio.is_some(), 1 << 14)
        | has(r.step_length.is_some(), 1 << 15)
}

/// Record `i` of the columns (`check_lengths` has passed).
#[inline]
fn sample_at(r: &Records, i: usize) -> RecordSample {
    let wide = |c: &Option<Vec<f64>>| {
        c.as_ref()
            .and_then(|v| v.get(i))
            .copied()
            .unwrap_or(f64::NAN)
    };
    let narrow = |c: &Option<Vec<f32>>| {
        c.as_ref()
            .and_then(|v| v.get(i))
            .map_or(f64::NAN, |&v| f64::from(v))
    };
    RecordSample {
        time: r.time.get(i).copied().unwrap_or(f64::NAN),
        latitude: wide(&r.latitude),
        longitude: wide(&r.longitude),
        distance: wide(&r.distance),
        speed: narrow(&r.speed),
        altitude: narrow(&r.altitude),
        heart_rate: narrow(&r.heart_rate),
        cadence: narrow(&r.cadence),
        power: narrow(&r.power),
        temperature: narrow(&r.temperature),
        vertical_oscillation: narrow(&r.vertical_oscillation),
        stance_time: narrow(&r.stance_time),
        stance_time_balance: narrow(&r.stance_time_balance),
        vertical_ratio: narrow(&r.vertical_ratio),
        step_length: narrow(&r.step_length),
    }
}

/// A summary's times as a FIT file will hold them: whole seconds, milliseconds of duration.
fn quantized(s: &Summary) -> Summary {
    Summary {
        start_time: s.start_time.map(f64::round),
        end_time: s.end_time.map(f64::round),
        total_elapsed_time: s.total_elapsed_time.map(|e| (e * 1000.0).round() / 1000.0),
        ..s.clone()
    }
}

/// The developer fields to describe, each with the developer column its record values come
/// from: the activity's descriptions, then columns no description points to (as `float32`
/// fields of a developer of their own). Every (developer, field number) pair is made unique,
/// as FIT needs, and a developer's application id is shared by all its fields.
fn developer_plan(a: &Activity) -> Vec<(DeveloperFieldInfo, Option<usize>)> {
    let columns = &a.records.developer;
    let mut used = vec![false; columns.len()];
    let mut plan: Vec<(DeveloperFieldInfo, Option<usize>)> = Vec::new();
    for info in &a.developer_fields {
        let column = info.column.filter(|&c| c < columns.len() && !used[c]);
        let mut info = info.clone();
        if let Some(c) = column {
            used[c] = true;
            // A column of values needs a numeric type.
            if BaseType::from_byte(info.base_type).is_none_or(|b| b == BaseType::String) {
                info.base_type = BaseType::Float32.number();
                info.scale = 1.0;
                info.offset = 0.0;
            }
        }
        plan.push((info, column));
    }
    let own = a
        .developer_fields
        .iter()
        .map(|d| d.developer_data_index)
        .max()
        .map_or(0, |m| m.saturating_add(1));
    let mut number = 0u8;
    for (c, column) in columns.iter().enumerate() {
        if used[c] {
            continue;
        }
        plan.push((
            DeveloperFieldInfo {
                developer_data_index: own,
                field_number: number,
                name: column.name.clone(),
                units: column.units.clone(),
                base_type: BaseType::Float32.number(),
                scale: 1.0,
                offset: 0.0,
                native_field: None,
                application_id: None,
                column: Some(c),
            },
            Some(c),
        ));
        number = number.wrapping_add(1);
    }
    let mut taken: Vec<(u8, u8)> = Vec::with_capacity(plan.len());
    plan.retain_mut(|(info, _)| {
        let index = info.developer_data_index;
        if taken.contains(&(index, info.field_number)) {
            match (0..=254u8).find(|n| !taken.contains(&(index, *n))) {
                Some(free) => info.field_number = free,
                // 255 fields of one developer: no number is left for this one.
                None => return false,
            }
        }
        taken.push((index, info.field_number));
        true
    });
    for i in 0..plan.len() {
        let index = plan[i].0.developer_data_index;
        let id = plan
            .iter()
            .filter(|(d, _)| d.developer_data_index == index)
            .find_map(|(d, _)| d.application_id);
        plan[i].0.application_id = id;
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fit::decode;

    const T0: f64 = 1_717_218_000.0;

    /// The data messages of local type `local` in `bytes`, found by walking the file's
    /// definitions: (offset, message bytes after the header byte).
    fn messages(bytes: &[u8], local: u8) -> Vec<(usize, Vec<u8>)> {
        use crate::fit::Definition;
        let end = bytes.len() - 2;
        let mut sizes = [None; 16];
        let mut out = Vec::new();
        let mut p = HEADER_SIZE;
        while p < end {
            let h = bytes[p];
            if h & 0x40 != 0 {
                let (def, len) = Definition::parse(&bytes[p + 1..], h & 0x20 != 0).unwrap();
                sizes[usize::from(h & 0x0F)] = Some(def.message_size());
                p += 1 + len;
            } else {
                let size = sizes[usize::from(h & 0x0F)].unwrap();
                if h & 0x0F == local {
                    out.push((p, bytes[p + 1..p + 1 + size].to_vec()));
                }
                p += 1 + size;
            }
        }
        out
    }

    fn one_record(hr: f32) -> Activity {
        let mut a = Activity::default();
        a.records.time = vec![T0];
        a.records.heart_rate = Some(vec![hr]);
        a
    }

    #[test]
    fn header_sizes_and_crcs() {
        let bytes = encode_activity(&Activity::default()).unwrap();
        assert_eq!(bytes[0], 14);
        assert_eq!(bytes[1], 0x20);
        assert_eq!(u16::from_le_bytes([bytes[2], bytes[3]]), PROFILE_VERSION);
        let data_size = u32::from_le_bytes(bytes[4..8].try_into().unwrap()) as usize;
        assert_eq!(data_size, bytes.len() - 14 - 2);
        assert_eq!(&bytes[8..12], b".FIT");
        let header_crc = u16::from_le_bytes([bytes[12], bytes[13]]);
        assert_eq!(header_crc, crc16(&bytes[..12]));
        assert_ne!(header_crc, 0);
        // A CRC over data followed by its own CRC (little-endian) is zero.
        assert_eq!(crc16(&bytes), 0);
        let header = crate::fit::FileHeader::parse(&bytes).unwrap();
        assert_eq!(header.check_crc(&bytes), crate::fit::HeaderCrc::Valid);
    }

    #[test]
    fn an_empty_activity() {
        let bytes = encode_activity(&Activity::default()).unwrap();
        // file_id, device_info, sport and activity: definitions and data, 4 of each.
        let a = decode(&bytes).unwrap();
        assert!(a.warnings.is_empty(), "{:?}", a.warnings);
        assert!(a.records.is_empty());
        assert!(a.laps.is_empty() && a.sessions.is_empty() && a.events.is_empty());
        let id = a.file_id.unwrap();
        assert_eq!(id.file_type, Some(4));
        assert_eq!(id.manufacturer, Some(255));
        assert_eq!(id.time_created, None);
        let info = a.activity_info.unwrap();
        assert_eq!(info.num_sessions, Some(0));
        assert_eq!(info.timestamp, None);
        // The file_id message: type 4, manufacturer 255 (little-endian).
        let file_id = messages(&bytes, local::FILE_ID);
        assert_eq!(file_id.len(), 1);
        assert_eq!(file_id[0].1, [4, 255, 0]);
    }

    #[test]
    fn one_record_bytes() {
        let bytes = encode_activity(&one_record(150.0)).unwrap();
        // The record definition: local 0, little-endian, global 20, timestamp (uint32) and
        // heart rate (uint8).
        let def = [0x40, 0, 0, 20, 0, 2, 253, 4, 0x86, 3, 1, 0x02];
        let at = bytes
            .windows(def.len())
            .position(|w| w == def)
            .expect("record definition");
        let t = (T0 as i64 - FIT_EPOCH_OFFSET) as u32;
        let mut record = vec![0x00];
        record.extend_from_slice(&t.to_le_bytes());
        record.push(150);
        assert_eq!(bytes[at + def.len()..at + def.len() + 6], record[..]);

        let a = decode(&bytes).unwrap();
        assert!(a.warnings.is_empty(), "{:?}", a.warnings);
        assert_eq!(a.records.time, [T0]);
        assert_eq!(a.records.heart_rate, Some(vec![150.0]));
        // Timer start before the record, stop_all at the end; one lap and one session.
        let kinds: Vec<_> = a.events.iter().map(|e| (e.event, e.event_type)).collect();
        assert_eq!(kinds, [(Some(0), Some(0)), (Some(0), Some(4))]);
        assert_eq!(a.laps.len(), 1);
        let s = &a.sessions[0];
        assert_eq!(s.summary.start_time, Some(T0));
        assert_eq!(s.summary.total_elapsed_time, Some(0.0));
        assert_eq!(s.summary.avg_heart_rate, Some(150.0));
        assert_eq!((s.first_lap_index, s.num_laps), (Some(0), Some(1)));
        assert_eq!(a.activity_info.unwrap().num_sessions, Some(1));
    }

    #[test]
    fn invalid_values_for_nan_samples() {
        let mut a = Activity::default();
        a.records.time = vec![T0, T0 + 1.0];
        a.records.heart_rate = Some(vec![150.0, f32::NAN]);
        a.records.latitude = Some(vec![f64::NAN, 45.0]);
        a.records.power = Some(vec![f32::NAN, 70_000.0]);
        let bytes = encode_activity(&a).unwrap();
        let records = messages(&bytes, local::RECORD);
        assert_eq!(records.len(), 2);
        // timestamp, latitude (sint32), heart rate (uint8), power (uint16).
        let (r0, r1) = (&records[0].1, &records[1].1);
        assert_eq!(r0[4..8], [0xFF, 0xFF, 0xFF, 0x7F]);
        assert_eq!(r0[8], 150);
        assert_eq!(r0[9..11], [0xFF, 0xFF]);
        assert_eq!(i32::from_le_bytes(r1[4..8].try_into().unwrap()), 1 << 29);
        assert_eq!(r1[8], 0xFF);
        // 70 kW does not fit a uint16: invalid, not wrapped.
        assert_eq!(r1[9..11], [0xFF, 0xFF]);
        let back = decode(&bytes).unwrap();
        let hr = back.records.heart_rate.unwrap();
        assert_eq!(hr[0], 150.0);
        assert!(hr[1].is_nan());
        let lat = back.records.latitude.unwrap();
        assert!(lat[0].is_nan());
        assert_eq!(lat[1], 45.0);
        // Every power sample invalid: the column is absent.
        assert_eq!(back.records.power, None);
    }

    #[test]
    fn absent_columns_are_not_defined() {
        let bytes = encode_activity(&one_record(120.0)).unwrap();
        let a = decode(&bytes).unwrap();
        assert!(a.records.speed.is_none() && a.records.latitude.is_none());
        assert_eq!(messages(&bytes, local::RECORD)[0].1.len(), 5);
    }

    #[test]
    fn errors_name_what_and_where() {
        let mut a = one_record(150.0);
        a.records.time = vec![f64::NAN];
        let e = encode_activity(&a).unwrap_err();
        assert_eq!(
            e,
            AnalysisError::Encode("record 0: time NaN is not a number".into())
        );
        a.records.time = vec![0.0];
        let AnalysisError::Encode(text) = encode_activity(&a).unwrap_err() else {
            panic!("not an encode error");
        };
        assert!(
            text.starts_with("record 0: time 0 (1970-01-01T00:00:00Z) is before the FIT epoch"),
            "{text}"
        );
        a.records.time = vec![1e10];
        assert!(encode_activity(&a).is_err());
        // The epoch itself is FIT time 0.
        a.records.time = vec![FIT_EPOCH_OFFSET as f64];
        assert!(encode_activity(&a).is_ok());
        a.records.time = vec![T0, T0 + 1.0];
        assert_eq!(
            encode_activity(&a).unwrap_err(),
            AnalysisError::Encode(
                "records: column \"heart_rate\" has 1 values for 2 records".into()
            )
        );
        let mut a = one_record(150.0);
        a.laps.push(Lap {
            summary: Summary {
                start_time: Some(-5.0),
                ..Summary::default()
            },
            ..Lap::default()
        });
        let AnalysisError::Encode(text) = encode_activity(&a).unwrap_err() else {
            panic!("not an encode error");
        };
        assert!(
            text.starts_with("lap 0: start_time -5 (1969-12-31T23:59:55Z) is before"),
            "{text}"
        );
    }

    #[test]
    fn cadence_splits_into_strides_and_fractions() {
        assert_eq!(split_cadence(171.0, true), (85.0, 0.5));
        assert_eq!(split_cadence(171.0, false), (171.0, 0.0));
        assert_eq!(split_cadence(90.25, false), (90.0, 0.25));
        // 179.999 steps round up to 90 strides, not 89 and 128/128.
        assert_eq!(split_cadence(179.999, true), (90.0, 0.0));
        let (w, fr) = split_cadence(f64::NAN, true);
        assert!(w.is_nan() && fr.is_nan());
        assert!(split_cadence(-4.0, false).0.is_nan());
    }

    #[test]
    fn a_channel_that_appears_late_redefines_records() {
        let mut enc = ActivityEncoder::new(&EncoderOptions::default()).unwrap();
        enc.record(&RecordSample::at(T0)).unwrap();
        enc.record(&RecordSample {
            heart_rate: 100.0,
            ..RecordSample::at(T0 + 1.0)
        })
        .unwrap();
        enc.record(&RecordSample::at(T0 + 2.0)).unwrap();
        let bytes = enc.finish().unwrap();
        let definitions = bytes
            .windows(5)
            .filter(|w| w[0] == 0x40 && w[3..5] == [20, 0])
            .count();
        assert_eq!(definitions, 2);
        let a = decode(&bytes).unwrap();
        let hr = a.records.heart_rate.unwrap();
        assert!(hr[0].is_nan() && hr[1] == 100.0 && hr[2].is_nan());
    }

    #[test]
    fn laps_computed_at_the_lap_button() {
        let options = EncoderOptions {
            sport: Sport::Running,
            ..EncoderOptions::default()
        };
        let mut enc = ActivityEncoder::new(&options).unwrap();
        for i in 0..=20 {
            let t = T0 + f64::from(i);
            if i == 10 {
                let lap = enc.end_lap(t).unwrap();
                assert_eq!(lap.summary.total_timer_time, Some(10.0));
                assert_eq!(lap.summary.total_distance, Some(27.0));
            }
            let s = RecordSample {
                distance: 3.0 * f64::from(i),
                speed: 3.0,
                heart_rate: f64::from(130 + i),
                ..RecordSample::at(t)
            };
            enc.record(&s).unwrap();
        }
        let bytes = enc.finish().unwrap();
        let a = decode(&bytes).unwrap();
        assert_eq!(a.laps.len(), 2);
        let (one, two) = (&a.laps[0].summary, &a.laps[1].summary);
        assert_eq!(one.start_time, Some(T0));
        assert_eq!(one.max_heart_rate, Some(139.0));
        assert_eq!(a.laps[0].trigger, Some(0));
        assert_eq!(two.start_time, Some(T0 + 10.0));
        assert_eq!(two.total_distance, Some(33.0));
        assert_eq!(two.max_heart_rate, Some(150.0));
        assert_eq!(a.laps[1].trigger, Some(7));
        let s = &a.sessions[0].summary;
        assert_eq!(s.total_distance, Some(60.0));
        assert_eq!(s.total_timer_time, Some(20.0));
        assert_eq!(s.avg_speed, Some(3.0));
        assert_eq!(a.sessions[0].num_laps, Some(2));
    }

    #[test]
    fn developer_fields_round_trip() {
        let mut enc = ActivityEncoder::new(&EncoderOptions::default()).unwrap();
        let power = DeveloperFieldInfo {
            developer_data_index: 0,
            field_number: 7,
            name: "Power".into(),
            units: "Watts".into(),
            base_type: BaseType::Uint16.number(),
            scale: 2.0,
            offset: 0.0,
            native_field: Some((20, 7)),
            application_id: Some([9; 16]),
            column: None,
        };
        let slot = enc.add_developer_field(&power).unwrap();
        assert_eq!(slot, 0);
        let lss = DeveloperFieldInfo {
            field_number: 8,
            name: "Leg Spring Stiffness".into(),
            units: "kN/m".into(),
            base_type: BaseType::Float32.number(),
            scale: 1.0,
            ..power.clone()
        };
        assert_eq!(enc.add_developer_field(&lss).unwrap(), 1);
        assert!(enc.add_developer_field(&lss).is_err());
        assert!(enc.record(&RecordSample::at(T0)).is_err());
        enc.record_with_developer(&RecordSample::at(T0), &[250.5, 9.75])
            .unwrap();
        enc.record_with_developer(&RecordSample::at(T0 + 1.0), &[f32::NAN, 10.0])
            .unwrap();
        let a = decode(&enc.finish().unwrap()).unwrap();
        assert!(a.warnings.is_empty(), "{:?}", a.warnings);
        let p = a.records.developer("Power").unwrap();
        assert_eq!(p.units, "Watts");
        assert_eq!(p.values[0], 250.5);
        assert!(p.values[1].is_nan());
        assert_eq!(
            a.records.developer("leg spring stiffness").unwrap().values,
            [9.75, 10.0]
        );
        let info = &a.developer_fields[0];
        assert_eq!(info.base_type, 4);
        assert_eq!(info.scale, 2.0);
        assert_eq!(info.native_field, Some((20, 7)));
        assert_eq!(info.application_id, Some([9; 16]));
    }

    #[test]
    fn rr_intervals_five_to_a_message() {
        let mut enc = ActivityEncoder::new(&EncoderOptions::default()).unwrap();
        let rr: Vec<f32> = (0..12).map(|i| 0.8 + 0.01 * i as f32).collect();
        enc.rr_intervals(&rr);
        let bytes = enc.finish().unwrap();
        assert_eq!(messages(&bytes, local::HRV).len(), 3);
        let a = decode(&bytes).unwrap();
        assert_eq!(a.hrv_rr.len(), 12);
        for (x, y) in a.hrv_rr.iter().zip(&rr) {
            assert!((x - y).abs() < 0.0005, "{x} {y}");
        }
    }

    #[test]
    fn record_fields_decode_into_their_channels() {
        // Each written field is one the decoder reads, with the scale the profile gives.
        for (number, base) in RECORD_FIELDS {
            assert_ne!(profile::conv(Kind::Record, number), Conv::Skip, "{number}");
            assert!(base.size() <= 4);
        }
        assert_eq!(
            scale_offset(Kind::Record, f::record::ENHANCED_ALTITUDE),
            (5.0, 500.0)
        );
        assert_eq!(
            scale_offset(Kind::Lap, f::lap::TOTAL_TIMER_TIME),
            (1000.0, 0.0)
        );
        assert_eq!(
            scale_offset(Kind::Record, f::record::HEART_RATE),
            (1.0, 0.0)
        );
    }
}
