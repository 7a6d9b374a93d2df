//! Turns decoded FIT messages into an [`Activity`]: records into columns, summaries into laps
//! and sessions, developer field descriptions into columns, and the final clean-up (sport,
//! start time, device, cadence in steps).

use super::definition::BaseType;
use super::profile::{
    Accumulator, BYTE_SLOTS, Conv, FIT_EPOCH_OFFSET, Kind, SLOTS, TIMESTAMP_SLOT, rec, small, sum,
};
use crate::activity::{
    Activity, ActivityInfo, DeveloperColumn, DeveloperFieldInfo, DeviceInfo, Event, FileFormat,
    FileId, HrvStatus, Lap, MonitoringSummary, Records, Session, SleepSummary, Sport, Summary,
    Workout, WorkoutStep, summary_span,
};

/// The values of one data message, by slot (see `profile`), `NaN` when absent or invalid, plus
/// the positions of its string fields in the input.
pub(crate) struct Scratch {
    values: [f64; SLOTS],
    bytes: [Option<(usize, usize)>; BYTE_SLOTS],
}

impl Scratch {
    pub(crate) fn new() -> Self {
        Self {
            values: [f64::NAN; SLOTS],
            bytes: [None; BYTE_SLOTS],
        }
    }

    #[inline]
    pub(crate) fn reset(&mut self) {
        self.values = [f64::NAN; SLOTS];
        self.bytes = [None; BYTE_SLOTS];
    }

    #[inline]
    pub(crate) fn set(&mut self, slot: u8, value: f64) {
        if let Some(v) = self.values.get_mut(usize::from(slot)) {
            *v = value;
        }
    }

    pub(crate) fn set_bytes(&mut self, slot: u8, start: usize, len: usize) {
        if let Some(b) = self.bytes.get_mut(usize::from(slot)) {
            *b = Some((start, len));
        }
    }

    /// The raw slot value, `NaN` when absent.
    #[inline]
    fn raw(&self, slot: u8) -> f64 {
        self.values
            .get(usize::from(slot))
            .copied()
            .unwrap_or(f64::NAN)
    }

    #[inline]
    fn get(&self, slot: u8) -> Option<f64> {
        let v = self.raw(slot);
        (!v.is_nan()).then_some(v)
    }

    fn get_u8(&self, slot: u8) -> Option<u8> {
        self.get(slot)
            .filter(|v| (0.0..=255.0).contains(v))
            .map(|v| v as u8)
    }

    fn get_u16(&self, slot: u8) -> Option<u16> {
        self.get(slot)
            .filter(|v| (0.0..=65_535.0).contains(v))
            .map(|v| v as u16)
    }

    fn get_u32(&self, slot: u8) -> Option<u32> {
        self.get(slot)
            .filter(|v| (0.0..=4_294_967_295.0).contains(v))
            .map(|v| v as u32)
    }

    /// A string field's text (up to its first NUL), `None` when absent or empty.
    fn string(&self, slot: u8, input: &[u8]) -> Option<String> {
        let bytes = self.byte_field(slot, input)?;
        let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
        let text = String::from_utf8_lossy(bytes.get(..end)?);
        let text = text.trim();
        (!text.is_empty()).then(|| text.to_owned())
    }

    fn byte_field<'a>(&self, slot: u8, input: &'a [u8]) -> Option<&'a [u8]> {
        let (start, len) = (*self.bytes.get(usize::from(slot))?)?;
        input.get(start..start.checked_add(len)?)
    }
}

/// A developer field described in the current FIT file.
struct DevDescription {
    developer_data_index: u8,
    field_number: u8,
    base: Option<BaseType>,
    scale: f64,
    offset: f64,
    /// Index into `Activity::developer_fields`.
    info: u32,
}

/// Record columns while decoding. Channels enter the activity as they first appear.
#[derive(Default)]
struct Columns {
    time: Vec<f64>,
    /// Latitude, longitude, distance.
    wide: [Option<Vec<f64>>; 3],
    /// Speed, altitude, heart rate, cadence, power, temperature, vertical oscillation, stance
    /// time, stance time balance, vertical ratio, step length.
    narrow: [Option<Vec<f32>>; 11],
    developer: Vec<DeveloperColumn>,
    /// The number of records expected in all (see [`Columns::expect`]).
    expected: usize,
}

impl Columns {
    /// Makes room for `rows` records in all, exactly: the decoder counts a file's records
    /// before decoding it, so columns never grow by doubling (peak memory stays near the
    /// final size).
    fn expect(&mut self, rows: usize) {
        let extra = rows.saturating_sub(self.time.len());
        self.time.reserve_exact(extra);
        for c in self.wide.iter_mut().flatten() {
            c.reserve_exact(rows.saturating_sub(c.len()));
        }
        for c in self.narrow.iter_mut().flatten() {
            c.reserve_exact(rows.saturating_sub(c.len()));
        }
        for c in &mut self.developer {
            c.values.reserve_exact(rows.saturating_sub(c.values.len()));
        }
        self.expected = rows;
    }

    #[inline]
    fn push_row(&mut self, time: f64, wide: [f64; 3], narrow: [f64; 11]) {
        let n = self.time.len();
        let room = self.expected.max(n + 1);
        self.time.push(time);
        for (col, x) in self.wide.iter_mut().zip(wide) {
            match col {
                Some(v) => v.push(x),
                None if !x.is_nan() => {
                    let mut v = Vec::with_capacity(room);
                    v.resize(n, f64::NAN);
                    v.push(x);
                    *col = Some(v);
                }
                None => {}
            }
        }
        for (col, x) in self.narrow.iter_mut().zip(narrow) {
            match col {
                Some(v) => v.push(x as f32),
                None if !x.is_nan() => {
                    let mut v = Vec::with_capacity(room);
                    v.resize(n, f32::NAN);
                    v.push(x as f32);
                    *col = Some(v);
                }
                None => {}
            }
        }
    }
}

/// Collects everything decoded from one input (all chained files).
pub(crate) struct Builder {
    activity: Activity,
    columns: Columns,
    sport_message: Option<(Sport, Option<u8>)>,
    creator: Option<DeviceInfo>,
    file_creator_software: Option<f64>,
    // State of the current FIT file (reset for each chained file).
    descriptions: Vec<DevDescription>,
    application_ids: Vec<(u8, [u8; 16])>,
    distance_accumulator: Accumulator,
    warned_undescribed: bool,
}

impl Builder {
    pub(crate) fn new() -> Self {
        Self {
            activity: Activity::new(FileFormat::Fit),
            columns: Columns::default(),
            sport_message: None,
            creator: None,
            file_creator_software: None,
            descriptions: Vec::new(),
            application_ids: Vec::new(),
            distance_accumulator: Accumulator::default(),
            warned_undescribed: false,
        }
    }

    /// Forgets the state that belongs to one FIT file, before the next chained one.
    pub(crate) fn start_file(&mut self) {
        self.descriptions.clear();
        self.application_ids.clear();
        self.distance_accumulator = Accumulator::default();
        self.warned_undescribed = false;
    }

    pub(crate) fn warn(&mut self, warning: String) {
        self.activity.warnings.push(warning);
    }

    /// How a developer field of a record is read: its base type and conversion, from the
    /// file's `field_description`. `None` (skip it) if it was never described.
    pub(crate) fn developer_field(
        &mut self,
        developer_data_index: u8,
        field_number: u8,
        offset: usize,
    ) -> Option<(BaseType, Conv)> {
        let found = self.descriptions.iter().find(|d| {
            d.developer_data_index == developer_data_index && d.field_number == field_number
        });
        match found {
            Some(d) => {
                let base = d.base?;
                let factor = 1.0 / d.scale;
                Some((
                    base,
                    Conv::Developer {
                        info: d.info,
                        factor,
                        offset: d.offset,
                    },
                ))
            }
            None => {
                if !self.warned_undescribed {
                    self.warned_undescribed = true;
                    self.warn(format!(
                        "developer field {field_number} of developer {developer_data_index} is \
                         used at byte {offset} without a field_description; its values are skipped"
                    ));
                }
                None
            }
        }
    }

    /// Stores a developer field's value for the record being decoded.
    #[inline]
    pub(crate) fn developer_value(&mut self, info: u32, value: f64) {
        let row = self.columns.time.len();
        let Some(field) = self.activity.developer_fields.get_mut(info as usize) else {
            return;
        };
        let column = match field.column {
            Some(c) => c,
            None => {
                let c = self.columns.developer.len();
                self.columns.developer.push(DeveloperColumn {
                    name: field.name.clone(),
                    units: field.units.clone(),
                    values: Vec::with_capacity(self.columns.expected.max(row + 1)),
                });
                field.column = Some(c);
                c
            }
        };
        if let Some(col) = self.columns.developer.get_mut(column) {
            let values = &mut col.values;
            if values.len() > row {
                // The same field twice in one message: keep the last.
                if let Some(last) = values.last_mut() {
                    *last = value as f32;
                }
            } else {
                values.resize(row, f32::NAN);
                values.push(value as f32);
            }
        }
    }

    /// Keeps one RR interval from an `hrv` message, in seconds.
    #[inline]
    pub(crate) fn rr_interval(&mut self, milliseconds: f64) {
        self.activity.hrv_rr.push((milliseconds * 0.001) as f32);
    }

    /// Accumulates the 12-bit distance of a `compressed_speed_distance`, in 1/16 m.
    #[inline]
    pub(crate) fn accumulate_distance(&mut self, sixteenths: u16) -> f64 {
        self.distance_accumulator.add(u32::from(sixteenths), 12) as f64 / 16.0
    }

    /// Makes room for `records` more records and `rr` more RR intervals (upper bounds
    /// counted by the decoder before it decodes a file).
    pub(crate) fn expect(&mut self, records: usize, rr: usize) {
        let rows = self.columns.time.len().saturating_add(records);
        self.columns.expect(rows);
        self.activity.hrv_rr.reserve_exact(rr);
    }

    /// Takes in one decoded data message.
    #[inline]
    pub(crate) fn end_message(&mut self, kind: Kind, s: &Scratch, input: &[u8]) {
        match kind {
            Kind::Record => self.record(s),
            Kind::Other | Kind::Hrv => {}
            _ => self.summary_message(kind, s, input),
        }
    }

    #[inline]
    fn record(&mut self, s: &Scratch) {
        let first = |a: f64, b: f64| if a.is_nan() { b } else { a };
        let cadence = {
            let c = s.raw(rec::CADENCE);
            if c.is_nan() {
                s.raw(rec::CADENCE256)
            } else {
                let f = s.raw(rec::FRACTIONAL_CADENCE);
                if f.is_nan() { c } else { c + f }
            }
        };
        let wide = [
            s.raw(rec::LAT),
            s.raw(rec::LON),
            first(s.raw(rec::DISTANCE), s.raw(rec::COMPRESSED_DISTANCE)),
        ];
        let narrow = [
            first(
                s.raw(rec::ENHANCED_SPEED),
                first(s.raw(rec::SPEED), s.raw(rec::COMPRESSED_SPEED)),
            ),
            first(s.raw(rec::ENHANCED_ALTITUDE), s.raw(rec::ALTITUDE)),
            s.raw(rec::HEART_RATE),
            cadence,
            s.raw(rec::POWER),
            s.raw(rec::TEMPERATURE),
            s.raw(rec::VERTICAL_OSCILLATION),
            s.raw(rec::STANCE_TIME),
            s.raw(rec::STANCE_TIME_BALANCE),
            s.raw(rec::VERTICAL_RATIO),
            s.raw(rec::STEP_LENGTH),
        ];
        self.columns.push_row(s.raw(TIMESTAMP_SLOT), wide, narrow);
    }

    /// Messages other than records and hrv: rare, so clarity over speed.
    fn summary_message(&mut self, kind: Kind, s: &Scratch, input: &[u8]) {
        use small as m;
        let a = &mut self.activity;
        match kind {
            Kind::Session => a.sessions.push(Session {
                summary: summary(s),
                first_lap_index: s.get_u16(sum::FIRST_LAP),
                num_laps: s.get_u16(sum::NUM_LAPS),
            }),
            Kind::Lap => a.laps.push(Lap {
                summary: summary(s),
                intensity: s.get_u8(sum::INTENSITY),
                trigger: s.get_u8(sum::TRIGGER),
            }),
            Kind::Event => a.events.push(Event {
                time: s.get(TIMESTAMP_SLOT),
                event: s.get_u8(m::EVENT),
                event_type: s.get_u8(m::EVENT_TYPE),
                data: s.get_u32(m::DATA).or_else(|| s.get_u32(m::DATA16)),
            }),
            Kind::FileId => {
                if a.file_id.is_none() {
                    a.file_id = Some(FileId {
                        file_type: s.get_u8(m::FILE_TYPE),
                        manufacturer: s.get_u16(m::MANUFACTURER),
                        product: s.get_u16(m::PRODUCT),
                        serial_number: s.get_u32(m::SERIAL),
                        time_created: s.get(m::TIME_CREATED),
                        product_name: s.string(m::PRODUCT_NAME, input),
                    });
                }
            }
            Kind::FileCreator => {
                self.file_creator_software =
                    self.file_creator_software.or(s.get(m::SOFTWARE_VERSION));
            }
            Kind::DeviceInfo => {
                // Device index 0 is the creator, the device that recorded the file.
                if s.get_u8(m::DEVICE_INDEX) == Some(0) && self.creator.is_none() {
                    self.creator = Some(DeviceInfo {
                        manufacturer: s.get_u16(m::MANUFACTURER),
                        product: s.get_u16(m::PRODUCT),
                        serial_number: s.get_u32(m::SERIAL),
                        software_version: s.get(m::SOFTWARE_VERSION),
                        product_name: s.string(m::PRODUCT_NAME, input),
                    });
                }
            }
            Kind::Sport => {
                if self.sport_message.is_none()
                    && let Some(sport) = s.get_u8(m::SPORT)
                {
                    self.sport_message = Some((Sport::from_fit(sport), s.get_u8(m::SUB_SPORT)));
                }
            }
            Kind::Activity => {
                a.activity_info = Some(ActivityInfo {
                    timestamp: s.get(TIMESTAMP_SLOT),
                    local_timestamp: s.get(m::LOCAL_TIMESTAMP),
                    total_timer_time: s.get(m::TOTAL_TIMER_TIME),
                    num_sessions: s.get_u16(m::NUM_SESSIONS),
                });
            }
            Kind::Workout => {
                let w = a.workout.get_or_insert_with(Workout::default);
                w.name = s.string(m::NAME, input).or(w.name.take());
                w.sport = s.get_u8(m::SPORT).map(Sport::from_fit).or(w.sport);
                w.sub_sport = s.get_u8(m::SUB_SPORT).or(w.sub_sport);
                w.num_valid_steps = s.get_u16(m::NUM_VALID_STEPS).or(w.num_valid_steps);
            }
            Kind::WorkoutStep => {
                let w = a.workout.get_or_insert_with(Workout::default);
                w.steps.push(WorkoutStep {
                    index: s.get_u16(m::MESSAGE_INDEX),
                    name: s.string(m::NAME, input),
                    duration_type: s.get_u8(m::DURATION_TYPE),
                    duration_value: s.get_u32(m::DURATION_VALUE),
                    target_type: s.get_u8(m::TARGET_TYPE),
                    target_value: s.get_u32(m::TARGET_VALUE),
                    custom_target_low: s.get_u32(m::CUSTOM_LOW),
                    custom_target_high: s.get_u32(m::CUSTOM_HIGH),
                    intensity: s.get_u8(m::STEP_INTENSITY),
                    notes: s.string(m::NOTES, input),
                });
            }
            Kind::Monitoring => {
                let mon = a.monitoring.get_or_insert_with(MonitoringSummary::default);
                mon.messages = mon.messages.saturating_add(1);
                if let Some(hr) = s.get(m::HEART_RATE) {
                    mon.heart_rate_samples = mon.heart_rate_samples.saturating_add(1);
                    mon.min_heart_rate = Some(mon.min_heart_rate.map_or(hr, |m| m.min(hr)));
                }
            }
            Kind::MonitoringHrData => {
                let mon = a.monitoring.get_or_insert_with(MonitoringSummary::default);
                let resting = s.get(m::RESTING_HR).or(s.get(m::CURRENT_DAY_RESTING_HR));
                mon.resting_heart_rate = resting.or(mon.resting_heart_rate);
            }
            Kind::SleepLevel => {
                let sleep = a.sleep.get_or_insert_with(SleepSummary::default);
                sleep.level_messages = sleep.level_messages.saturating_add(1);
                if let Some(c) = s
                    .get_u8(m::SLEEP_LEVEL)
                    .and_then(|l| sleep.level_counts.get_mut(usize::from(l)))
                {
                    *c = c.saturating_add(1);
                }
                if let Some(t) = s.get(TIMESTAMP_SLOT) {
                    sleep.span = Some(sleep.span.map_or((t, t), |(a, b)| (a.min(t), b.max(t))));
                }
            }
            Kind::SleepAssessment => {
                let sleep = a.sleep.get_or_insert_with(SleepSummary::default);
                sleep.overall_score = s.get(m::OVERALL_SLEEP_SCORE).or(sleep.overall_score);
                sleep.quality_score = s.get(m::SLEEP_QUALITY_SCORE).or(sleep.quality_score);
                sleep.awakenings = s.get(m::AWAKENINGS).or(sleep.awakenings);
            }
            Kind::HrvStatusSummary => {
                let values = a.hrv_status.map_or(0, |h| h.values);
                let f = m::HRV_STATUS_FIRST;
                a.hrv_status = Some(HrvStatus {
                    time: s.get(TIMESTAMP_SLOT),
                    weekly_average: s.get(f),
                    last_night_average: s.get(f + 1),
                    last_night_5_min_high: s.get(f + 2),
                    baseline_low_upper: s.get(f + 3),
                    baseline_balanced_lower: s.get(f + 4),
                    baseline_balanced_upper: s.get(f + 5),
                    status: s.get_u8(f + 6),
                    values,
                });
            }
            Kind::DeviceMetrics => {
                a.device_vo2max = s
                    .get(m::DEVICE_VO2MAX)
                    .filter(|v| (10.0..=100.0).contains(v))
                    .or(a.device_vo2max);
            }
            Kind::HrvValue => {
                let h = a.hrv_status.get_or_insert_with(HrvStatus::default);
                h.values = h.values.saturating_add(1);
            }
            Kind::DeveloperDataId => {
                if let (Some(index), Some(id)) = (
                    s.get_u8(m::DEV_INDEX),
                    s.byte_field(m::APPLICATION_ID, input)
                        .and_then(|b| b.get(..16)),
                ) {
                    let mut app = [0u8; 16];
                    app.copy_from_slice(id);
                    self.application_ids.retain(|(i, _)| *i != index);
                    self.application_ids.push((index, app));
                }
            }
            Kind::FieldDescription => self.field_description(s, input),
            Kind::Record | Kind::Hrv | Kind::Other => {}
        }
    }

    fn field_description(&mut self, s: &Scratch, input: &[u8]) {
        use small as m;
        let (Some(developer_data_index), Some(field_number)) =
            (s.get_u8(m::FD_DEV_INDEX), s.get_u8(m::FD_FIELD_NUMBER))
        else {
            self.warn("a field_description without developer index or field number".into());
            return;
        };
        let base_byte = s.get_u8(m::FD_BASE_TYPE);
        let base = base_byte.and_then(BaseType::from_byte);
        let scale = s.get(m::FD_SCALE).filter(|&x| x != 0.0).unwrap_or(1.0);
        let offset = s.get(m::FD_OFFSET).unwrap_or(0.0);
        let name = s.string(m::FD_NAME, input).unwrap_or_default();
        let units = s.string(m::FD_UNITS, input).unwrap_or_default();
        let native_field = s
            .get_u16(m::FD_NATIVE_MESG)
            .zip(s.get_u8(m::FD_NATIVE_FIELD));
        let application_id = self
            .application_ids
            .iter()
            .find(|(i, _)| *i == developer_data_index)
            .map(|(_, id)| *id);
        // The same field in an earlier chained file shares its column.
        let fields = &mut self.activity.developer_fields;
        let existing = fields.iter().position(|f| {
            f.developer_data_index == developer_data_index
                && f.field_number == field_number
                && f.name == name
                && f.units == units
        });
        let info = match existing {
            Some(i) => i,
            None => {
                fields.push(DeveloperFieldInfo {
                    developer_data_index,
                    field_number,
                    name,
                    units,
                    base_type: base.map_or(base_byte.unwrap_or(0xFF), BaseType::number),
                    scale,
                    offset,
                    native_field,
                    application_id,
                    column: None,
                });
                fields.len() - 1
            }
        };
        self.descriptions.retain(|d| {
            !(d.developer_data_index == developer_data_index && d.field_number == field_number)
        });
        self.descriptions.push(DevDescription {
            developer_data_index,
            field_number,
            base,
            scale,
            offset,
            info: u32::try_from(info).unwrap_or(u32::MAX),
        });
    }

    /// Completes the activity.
    pub(crate) fn finish(mut self) -> Activity {
        let n = self.columns.time.len();
        let [latitude, longitude, distance] = self.columns.wide;
        let [
            speed,
            altitude,
            heart_rate,
            cadence,
            power,
            temperature,
            vertical_oscillation,
            stance_time,
            stance_time_balance,
            vertical_ratio,
            step_length,
        ] = self.columns.narrow;
        let mut developer = self.columns.developer;
        for c in &mut developer {
            c.values.resize(n, f32::NAN);
        }
        let mut records = Records {
            time: self.columns.time,
            latitude,
            longitude,
            distance,
            speed,
            altitude,
            heart_rate,
            cadence,
            power,
            temperature,
            vertical_oscillation,
            stance_time,
            stance_time_balance,
            vertical_ratio,
            step_length,
            developer,
        };
        shrink(&mut records);
        let a = &mut self.activity;
        a.hrv_rr.shrink_to_fit();
        a.records = records;

        (a.sport, a.sub_sport) = overall_sport(&a.sessions, self.sport_message);

        a.start_time = a
            .sessions
            .iter()
            .find_map(|s| s.summary.start_time)
            .or_else(|| a.laps.iter().find_map(|l| l.summary.start_time))
            .or_else(|| a.records.time.iter().copied().find(|t| !t.is_nan()));

        let file = a.file_id.clone().unwrap_or_default();
        let creator = self.creator.unwrap_or_default();
        a.device = DeviceInfo {
            manufacturer: creator.manufacturer.or(file.manufacturer),
            product: creator.product.or(file.product),
            serial_number: creator.serial_number.or(file.serial_number),
            software_version: creator.software_version.or(self.file_creator_software),
            product_name: creator.product_name.or(file.product_name),
        };

        double_foot_cadence(a);
        std::mem::take(&mut self.activity)
    }
}

/// The activity's sport and sub-sport: the sessions' (transitions aside), [`Sport::Multisport`]
/// when they differ, else the `sport` message's, else generic. The encoder asks the same
/// question to know what a decoder will make of the file it writes.
pub(crate) fn overall_sport(
    sessions: &[Session],
    sport_message: Option<(Sport, Option<u8>)>,
) -> (Sport, Option<u8>) {
    let mut sports = sessions
        .iter()
        .filter_map(|s| Some((s.summary.sport?, s.summary.sub_sport)))
        .filter(|(sport, _)| *sport != Sport::Transition);
    let first = sports.next();
    let mixed = first.is_some_and(|(f, _)| sports.any(|(s, _)| s != f));
    match (first, mixed) {
        (Some(_), true) => (Sport::Multisport, None),
        (Some(one), false) => one,
        (None, _) => sport_message.unwrap_or((Sport::Generic, None)),
    }
}

/// Which cadences of a FIT file count strides (sports on foot, where Stride counts steps, twice
/// as many) rather than revolutions: the rule the decoder applies, shared with the encoder so
/// that what it halves is what a decoder doubles.
pub(crate) struct OnFoot {
    /// The activity's sport is on foot.
    default: bool,
    /// More than one session: each record follows the session covering it.
    per_session: bool,
    /// (start, end, on foot) of each session with a known span and sport.
    spans: Vec<(f64, f64, bool)>,
}

impl OnFoot {
    /// The rule for a file whose overall sport is `sport` and whose sessions are `sessions`.
    pub(crate) fn new(sport: Sport, sessions: &[Session]) -> Self {
        let spans = sessions
            .iter()
            .filter_map(|s| {
                let (start, end) = summary_span(&s.summary)?;
                Some((start, end, s.summary.sport?.is_on_foot()))
            })
            .collect();
        Self {
            default: sport.is_on_foot(),
            per_session: sessions.len() > 1,
            spans,
        }
    }

    fn at(&self, t: f64) -> bool {
        self.spans
            .iter()
            .find(|(start, end, _)| t >= *start && t <= *end)
            .map_or(self.default, |(_, _, foot)| *foot)
    }

    /// Whether the cadence of a record at `time` counts strides.
    pub(crate) fn record(&self, time: f64) -> bool {
        if self.per_session {
            self.at(time)
        } else {
            self.default
        }
    }

    /// Whether a lap's cadences count strides.
    pub(crate) fn lap(&self, lap: &Summary) -> bool {
        match (lap.sport, lap.start_time) {
            (Some(sport), _) => sport.is_on_foot(),
            (None, Some(t)) => self.at(t),
            (None, None) => self.default,
        }
    }

    /// Whether a session's cadences count strides.
    pub(crate) fn session(&self, session: &Summary) -> bool {
        session.sport.map_or(self.default, Sport::is_on_foot)
    }
}

/// FIT counts strides in sports on foot; Stride counts steps.
fn double_foot_cadence(a: &mut Activity) {
    let foot = OnFoot::new(a.sport, &a.sessions);
    if let Some(cadence) = a.records.cadence.as_mut() {
        if !foot.per_session {
            if foot.default {
                cadence.iter_mut().for_each(|c| *c *= 2.0);
            }
        } else {
            for (c, &t) in cadence.iter_mut().zip(&a.records.time) {
                if foot.record(t) {
                    *c *= 2.0;
                }
            }
        }
    }
    let double = |s: &mut Summary, foot: bool| {
        if foot {
            s.avg_cadence = s.avg_cadence.map(|c| c * 2.0);
            s.max_cadence = s.max_cadence.map(|c| c * 2.0);
        }
    };
    for s in &mut a.sessions {
        let on_foot = foot.session(&s.summary);
        double(&mut s.summary, on_foot);
    }
    for l in &mut a.laps {
        let on_foot = foot.lap(&l.summary);
        double(&mut l.summary, on_foot);
    }
}

/// Frees unused capacity (left only where a damaged file held fewer records than counted).
fn shrink(r: &mut Records) {
    r.time.shrink_to_fit();
    for c in [&mut r.latitude, &mut r.longitude, &mut r.distance]
        .into_iter()
        .flatten()
    {
        c.shrink_to_fit();
    }
    for c in [
        &mut r.speed,
        &mut r.altitude,
        &mut r.heart_rate,
        &mut r.cadence,
        &mut r.power,
        &mut r.temperature,
        &mut r.vertical_oscillation,
        &mut r.stance_time,
        &mut r.stance_time_balance,
        &mut r.vertical_ratio,
        &mut r.step_length,
    ]
    .into_iter()
    .flatten()
    {
        c.shrink_to_fit();
    }
    for c in &mut r.developer {
        c.values.shrink_to_fit();
    }
}

/// A lap's or session's figures from its message.
fn summary(s: &Scratch) -> Summary {
    let cadence =
        |whole: u8, fraction: u8| s.get(whole).map(|c| c + s.get(fraction).unwrap_or(0.0));
    Summary {
        start_time: s.get(sum::START_TIME),
        end_time: s.get(TIMESTAMP_SLOT),
        total_elapsed_time: s.get(sum::ELAPSED),
        total_timer_time: s.get(sum::TIMER),
        total_moving_time: s.get(sum::MOVING),
        total_distance: s.get(sum::DISTANCE),
        avg_heart_rate: s.get(sum::AVG_HR),
        max_heart_rate: s.get(sum::MAX_HR),
        avg_speed: s.get(sum::ENHANCED_AVG_SPEED).or(s.get(sum::AVG_SPEED)),
        max_speed: s.get(sum::ENHANCED_MAX_SPEED).or(s.get(sum::MAX_SPEED)),
        total_ascent: s.get(sum::ASCENT),
        total_descent: s.get(sum::DESCENT),
        total_calories: s.get(sum::CALORIES),
        avg_cadence: cadence(sum::AVG_CADENCE, sum::AVG_FRACTIONAL_CADENCE),
        max_cadence: cadence(sum::MAX_CADENCE, sum::MAX_FRACTIONAL_CADENCE),
        avg_power: s.get(sum::AVG_POWER),
        max_power: s.get(sum::MAX_POWER),
        sport: s.get_u8(sum::SPORT).map(Sport::from_fit),
        sub_sport: s.get_u8(sum::SUB_SPORT),
    }
}

/// Converts a FIT `date_time` to Unix seconds.
#[inline]
pub(crate) fn unix_time(fit_seconds: i64) -> f64 {
    fit_seconds.saturating_add(FIT_EPOCH_OFFSET) as f64
}
