//! The `Activity` model every decoder (FIT, GPX and TCX) fills.
//!
//! Samples are stored by column, one vector per channel, in SI units (D8): metres, seconds,
//! metres per second, beats per minute; times are UTC seconds since the Unix epoch. A sample that
//! is missing in one record is `NaN`; a channel absent from the whole file has no column at all
//! (`None`), so a file without GPS allocates nothing for positions.
//!
//! Summaries the device wrote itself (laps, sessions, HRV status, …) are kept as the device
//! reported them, with `None` for values it did not record.

use serde::{Deserialize, Serialize};

/// The file format an activity was decoded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum FileFormat {
    /// Garmin's Flexible and Interoperable Data Transfer format.
    #[default]
    Fit,
    /// GPS Exchange Format.
    Gpx,
    /// Garmin Training Center XML.
    Tcx,
}

/// A sport, as FIT numbers them (profile type `sport`).
///
/// Only the sports Stride treats specially have a name; every other FIT sport number is kept in
/// [`Sport::Other`] so nothing is lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Sport {
    /// FIT 0: no particular sport.
    #[default]
    Generic,
    /// FIT 1.
    Running,
    /// FIT 2.
    Cycling,
    /// FIT 3: the transition between two legs of a multisport event.
    Transition,
    /// FIT 4: treadmill, elliptical, rower machine, ….
    FitnessEquipment,
    /// FIT 5.
    Swimming,
    /// FIT 10: strength, cardio and other gym training.
    Training,
    /// FIT 11.
    Walking,
    /// FIT 12.
    CrossCountrySkiing,
    /// FIT 15.
    Rowing,
    /// FIT 16.
    Mountaineering,
    /// FIT 17.
    Hiking,
    /// FIT 18: a multisport activity (also used by Stride when sessions differ in sport).
    Multisport,
    /// Any other FIT sport number.
    Other(u8),
}

impl Sport {
    /// The sport with FIT number `n`.
    ///
    /// ```
    /// use analysis::Sport;
    /// assert_eq!(Sport::from_fit(1), Sport::Running);
    /// assert_eq!(Sport::from_fit(37), Sport::Other(37));
    /// assert_eq!(Sport::from_fit(37).fit_number(), 37);
    /// ```
    pub fn from_fit(n: u8) -> Self {
        match n {
            0 => Self::Generic,
            1 => Self::Running,
            2 => Self::Cycling,
            3 => Self::Transition,
            4 => Self::FitnessEquipment,
            5 => Self::Swimming,
            10 => Self::Training,
            11 => Self::Walking,
            12 => Self::CrossCountrySkiing,
            15 => Self::Rowing,
            16 => Self::Mountaineering,
            17 => Self::Hiking,
            18 => Self::Multisport,
            other => Self::Other(other),
        }
    }

    /// This sport's FIT number.
    pub fn fit_number(self) -> u8 {
        match self {
            Self::Generic => 0,
            Self::Running => 1,
            Self::Cycling => 2,
            Self::Transition => 3,
            Self::FitnessEquipment => 4,
            Self::Swimming => 5,
            Self::Training => 10,
            Self::Walking => 11,
            Self::CrossCountrySkiing => 12,
            Self::Rowing => 15,
            Self::Mountaineering => 16,
            Self::Hiking => 17,
            Self::Multisport => 18,
            Self::Other(n) => n,
        }
    }

    /// Whether this is a sport on foot, whose FIT cadence counts strides (one per two steps)
    /// rather than revolutions. Stride stores cadence in steps per minute for these sports.
    pub fn is_on_foot(self) -> bool {
        matches!(
            self,
            Self::Running | Self::Walking | Self::Hiking | Self::Mountaineering
        )
    }
}

/// The samples of an activity, one column per channel.
///
/// Every present column has [`Records::len`] entries. Positions and distance are `f64`
/// (centimetre precision over any distance); the other channels are `f32`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Records {
    /// UTC seconds since the Unix epoch; `NaN` for a record without a timestamp.
    pub time: Vec<f64>,
    /// Latitude in degrees (WGS84).
    pub latitude: Option<Vec<f64>>,
    /// Longitude in degrees (WGS84).
    pub longitude: Option<Vec<f64>>,
    /// Distance covered since the start, in metres, as the device measured it (FIT, TCX); GPX
    /// has none, so its decoder measures it along the positions (`series::geo`).
    pub distance: Option<Vec<f64>>,
    /// Speed in m/s (FIT `enhanced_speed` preferred over `speed`).
    pub speed: Option<Vec<f32>>,
    /// Altitude in metres (FIT `enhanced_altitude` preferred over `altitude`).
    pub altitude: Option<Vec<f32>>,
    /// Heart rate in beats per minute.
    pub heart_rate: Option<Vec<f32>>,
    /// Cadence: steps per minute in sports on foot ([`Sport::is_on_foot`]; FIT stores strides,
    /// so this is twice FIT's `cadence + fractional_cadence`), revolutions per minute otherwise.
    pub cadence: Option<Vec<f32>>,
    /// Power in watts (the device's native power field; developer power is in `developer`).
    pub power: Option<Vec<f32>>,
    /// Temperature in degrees Celsius.
    pub temperature: Option<Vec<f32>>,
    /// Vertical oscillation in metres.
    pub vertical_oscillation: Option<Vec<f32>>,
    /// Ground contact (stance) time in seconds.
    pub stance_time: Option<Vec<f32>>,
    /// Ground contact time balance: percent of the time on the left foot.
    pub stance_time_balance: Option<Vec<f32>>,
    /// Vertical ratio: vertical oscillation over step length, in percent.
    pub vertical_ratio: Option<Vec<f32>>,
    /// Step length in metres.
    pub step_length: Option<Vec<f32>>,
    /// Numeric developer fields found in records (e.g. Stryd's "Power"), in the order first seen.
    pub developer: Vec<DeveloperColumn>,
}

impl Records {
    /// The number of records.
    pub fn len(&self) -> usize {
        self.time.len()
    }

    /// Whether there are no records.
    pub fn is_empty(&self) -> bool {
        self.time.is_empty()
    }

    /// The developer column called `name` (compared ignoring ASCII case), if any.
    pub fn developer(&self, name: &str) -> Option<&DeveloperColumn> {
        self.developer
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// The bytes held by the columns (their lengths, not their capacities).
    pub fn heap_bytes(&self) -> usize {
        fn opt<T>(c: &Option<Vec<T>>) -> usize {
            c.as_ref().map_or(0, |v| v.len() * std::mem::size_of::<T>())
        }
        self.time.len() * 8
            + opt(&self.latitude)
            + opt(&self.longitude)
            + opt(&self.distance)
            + [
                &self.speed,
                &self.altitude,
                &self.heart_rate,
                &self.cadence,
                &self.power,
                &self.temperature,
                &self.vertical_oscillation,
                &self.stance_time,
                &self.stance_time_balance,
                &self.vertical_ratio,
                &self.step_length,
            ]
            .into_iter()
            .map(opt)
            .sum::<usize>()
            + self
                .developer
                .iter()
                .map(|c| c.values.len() * 4)
                .sum::<usize>()
    }
}

/// One developer field's values across all records (`NaN` where a record lacks it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DeveloperColumn {
    /// The field's name as its developer described it, e.g. "Power".
    pub name: String,
    /// Its units as described, e.g. "Watts".
    pub units: String,
    /// One value per record, scale and offset applied.
    pub values: Vec<f32>,
}

/// A developer field the file described (FIT `field_description`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DeveloperFieldInfo {
    /// The developer data index (links to the application that defined it).
    pub developer_data_index: u8,
    /// The field's number within that developer's fields.
    pub field_number: u8,
    /// Its name, e.g. "Power".
    pub name: String,
    /// Its units, e.g. "Watts".
    pub units: String,
    /// The FIT base type number (low 5 bits of the base type byte, so 0x04 and 0x84 are both
    /// 4, `uint16`).
    pub base_type: u8,
    /// Scale the raw value is divided by (1 when not given).
    pub scale: f64,
    /// Offset subtracted after scaling (0 when not given).
    pub offset: f64,
    /// The FIT message and field this developer field stands for, if the developer said.
    pub native_field: Option<(u16, u8)>,
    /// The 16-byte application id of the developer (FIT `developer_data_id`), if given.
    pub application_id: Option<[u8; 16]>,
    /// The index in [`Records::developer`] of this field's values, if records carried it.
    pub column: Option<usize>,
}

/// The device's own summary of a lap or a session.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Start, UTC seconds since the Unix epoch.
    pub start_time: Option<f64>,
    /// The time the device wrote the summary (usually the end), UTC seconds since the epoch.
    pub end_time: Option<f64>,
    /// Wall-clock duration in seconds, pauses included.
    pub total_elapsed_time: Option<f64>,
    /// Timer duration in seconds, pauses excluded.
    pub total_timer_time: Option<f64>,
    /// Moving time in seconds, when the device computed it.
    pub total_moving_time: Option<f64>,
    /// Distance in metres.
    pub total_distance: Option<f64>,
    /// Average heart rate in bpm.
    pub avg_heart_rate: Option<f64>,
    /// Maximum heart rate in bpm.
    pub max_heart_rate: Option<f64>,
    /// Average speed in m/s (enhanced field preferred).
    pub avg_speed: Option<f64>,
    /// Maximum speed in m/s (enhanced field preferred).
    pub max_speed: Option<f64>,
    /// Ascent in metres.
    pub total_ascent: Option<f64>,
    /// Descent in metres.
    pub total_descent: Option<f64>,
    /// Energy in kilocalories.
    pub total_calories: Option<f64>,
    /// Average cadence, in the unit of [`Records::cadence`] for this sport.
    pub avg_cadence: Option<f64>,
    /// Maximum cadence, in the unit of [`Records::cadence`] for this sport.
    pub max_cadence: Option<f64>,
    /// Average power in watts.
    pub avg_power: Option<f64>,
    /// Maximum power in watts.
    pub max_power: Option<f64>,
    /// The sport, when the device wrote it.
    pub sport: Option<Sport>,
    /// The FIT sub-sport number (e.g. 1 treadmill, 3 trail), when written.
    pub sub_sport: Option<u8>,
}

/// A lap as the device summarised it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Lap {
    /// The lap's figures.
    #[serde(flatten)]
    pub summary: Summary,
    /// FIT `intensity` (0 active, 1 rest, 2 warm-up, 3 cool-down, …).
    pub intensity: Option<u8>,
    /// FIT `lap_trigger` (0 manual, 1 time, 2 distance, 3 position, …).
    pub trigger: Option<u8>,
}

/// A session (one sport's part of an activity) as the device summarised it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// The session's figures.
    #[serde(flatten)]
    pub summary: Summary,
    /// Index of the session's first lap in [`Activity::laps`] of its file.
    pub first_lap_index: Option<u16>,
    /// How many laps the session has.
    pub num_laps: Option<u16>,
}

/// A FIT event (timer start/stop, lap button, alerts, …), kept raw.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// UTC seconds since the Unix epoch.
    pub time: Option<f64>,
    /// FIT `event` (0 timer, 9 lap, 26 activity, …).
    pub event: Option<u8>,
    /// FIT `event_type` (0 start, 1 stop, 3 marker, 4 stop all, …).
    pub event_type: Option<u8>,
    /// The event's data (meaning depends on `event`).
    pub data: Option<u32>,
}

impl Event {
    /// Whether this is a timer start.
    pub fn is_timer_start(&self) -> bool {
        self.event == Some(0) && self.event_type == Some(0)
    }

    /// Whether this is a timer stop (`stop`, `stop_all` or `stop_disable_all`).
    pub fn is_timer_stop(&self) -> bool {
        self.event == Some(0) && matches!(self.event_type, Some(1 | 4 | 9))
    }
}

/// FIT `file_id`: what kind of file this is and who wrote it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FileId {
    /// FIT `file` type (4 activity, 5 workout, 9 monitoring, 32 monitoring daily, …).
    pub file_type: Option<u8>,
    /// FIT manufacturer number (1 Garmin, 23 Suunto, 95 Stryd, 255 development, …).
    pub manufacturer: Option<u16>,
    /// The manufacturer's product number.
    pub product: Option<u16>,
    /// Serial number.
    pub serial_number: Option<u32>,
    /// Creation time, UTC seconds since the Unix epoch.
    pub time_created: Option<f64>,
    /// The product name, when given.
    pub product_name: Option<String>,
}

/// The device that recorded the activity.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DeviceInfo {
    /// FIT manufacturer number (see [`FileId::manufacturer`]).
    pub manufacturer: Option<u16>,
    /// The manufacturer's product number.
    pub product: Option<u16>,
    /// Serial number.
    pub serial_number: Option<u32>,
    /// Firmware version, e.g. 19.28.
    pub software_version: Option<f64>,
    /// The product name, when given.
    pub product_name: Option<String>,
}

impl DeviceInfo {
    /// A readable manufacturer name for the common FIT manufacturer numbers.
    ///
    /// ```
    /// use analysis::DeviceInfo;
    /// let device = DeviceInfo { manufacturer: Some(1), ..Default::default() };
    /// assert_eq!(device.manufacturer_name(), Some("Garmin"));
    /// ```
    pub fn manufacturer_name(&self) -> Option<&'static str> {
        Some(match self.manufacturer? {
            1 => "Garmin",
            13 => "Dynastream OEM",
            15 => "Dynastream",
            23 => "Suunto",
            32 => "Wahoo Fitness",
            69 => "Stages Cycling",
            89 => "Tacx",
            95 => "Stryd",
            123 => "Polar",
            255 => "Development",
            260 => "Zwift",
            265 => "Strava",
            267 => "Bryton",
            294 => "Coros",
            _ => return None,
        })
    }
}

/// FIT `activity`: the file's overall summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ActivityInfo {
    /// When it was written, UTC seconds since the Unix epoch.
    pub timestamp: Option<f64>,
    /// The same moment in the device's local time, as seconds since the Unix epoch "as if UTC";
    /// `local_timestamp - timestamp` is the device's UTC offset.
    pub local_timestamp: Option<f64>,
    /// Timer duration in seconds.
    pub total_timer_time: Option<f64>,
    /// Number of sessions.
    pub num_sessions: Option<u16>,
}

impl ActivityInfo {
    /// The device's UTC offset in seconds, when both times are known.
    pub fn utc_offset(&self) -> Option<f64> {
        Some(self.local_timestamp? - self.timestamp?)
    }
}

/// A planned workout found in the file, kept close to FIT's raw form for now.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Workout {
    /// FIT `wkt_name`.
    pub name: Option<String>,
    /// The workout's sport.
    pub sport: Option<Sport>,
    /// FIT sub-sport number.
    pub sub_sport: Option<u8>,
    /// FIT `num_valid_steps`.
    pub num_valid_steps: Option<u16>,
    /// The steps, in file order.
    pub steps: Vec<WorkoutStep>,
}

/// One FIT `workout_step`, raw: durations and targets are FIT's scaled integers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WorkoutStep {
    /// FIT `message_index`.
    pub index: Option<u16>,
    /// FIT `wkt_step_name`.
    pub name: Option<String>,
    /// FIT `duration_type` (0 time, 1 distance, 2 HR less than, …, 6 repeat until steps cmplt).
    pub duration_type: Option<u8>,
    /// FIT `duration_value` (ms for time, cm for distance, …).
    pub duration_value: Option<u32>,
    /// FIT `target_type` (0 speed, 1 heart rate, 2 open, 3 cadence, 4 power, …).
    pub target_type: Option<u8>,
    /// FIT `target_value` (zone number, or repeat count for repeat steps).
    pub target_value: Option<u32>,
    /// FIT `custom_target_value_low`.
    pub custom_target_low: Option<u32>,
    /// FIT `custom_target_value_high`.
    pub custom_target_high: Option<u32>,
    /// FIT `intensity` (0 active, 1 rest, 2 warm-up, 3 cool-down, 4 recovery, 5 interval).
    pub intensity: Option<u8>,
    /// FIT `notes`.
    pub notes: Option<String>,
}

/// Daily monitoring found in the file (FIT `monitoring`, `monitoring_hr_data`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct MonitoringSummary {
    /// Number of `monitoring` messages.
    pub messages: u32,
    /// Number of heart-rate samples among them.
    pub heart_rate_samples: u32,
    /// Lowest monitored heart rate, bpm.
    pub min_heart_rate: Option<f64>,
    /// The device's resting heart rate (last `monitoring_hr_data` seen), bpm.
    pub resting_heart_rate: Option<f64>,
}

/// Sleep data found in the file (FIT `sleep_level`, `sleep_assessment`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct SleepSummary {
    /// Number of `sleep_level` messages.
    pub level_messages: u32,
    /// Messages per level: unmeasurable, awake, light, deep, REM.
    pub level_counts: [u32; 5],
    /// First and last `sleep_level` time, UTC seconds since the epoch.
    pub span: Option<(f64, f64)>,
    /// The device's overall sleep score (0–100).
    pub overall_score: Option<f64>,
    /// The device's sleep quality score (0–100).
    pub quality_score: Option<f64>,
    /// Number of awakenings.
    pub awakenings: Option<f64>,
}

/// The device's HRV status (FIT `hrv_status_summary`), rMSSD values in milliseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct HrvStatus {
    /// When the summary was written, UTC seconds since the epoch.
    pub time: Option<f64>,
    /// 7-day average rMSSD, ms.
    pub weekly_average: Option<f64>,
    /// Last night's average rMSSD, ms.
    pub last_night_average: Option<f64>,
    /// Last night's highest 5-minute rMSSD, ms.
    pub last_night_5_min_high: Option<f64>,
    /// Upper edge of the "low" baseline band, ms.
    pub baseline_low_upper: Option<f64>,
    /// Lower edge of the "balanced" baseline band, ms.
    pub baseline_balanced_lower: Option<f64>,
    /// Upper edge of the "balanced" baseline band, ms.
    pub baseline_balanced_upper: Option<f64>,
    /// FIT `hrv_status` (0 none, 1 poor, 2 low, 3 unbalanced, 4 balanced).
    pub status: Option<u8>,
    /// Number of 5-minute `hrv_value` messages.
    pub values: u32,
}

/// One activity, decoded from one file (chained FIT files are merged into one).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// The format it was decoded from.
    pub format: FileFormat,
    /// FIT `file_id` of the (first) file.
    pub file_id: Option<FileId>,
    /// The sport: the sessions' sport, [`Sport::Multisport`] when sessions differ (transitions
    /// aside), else the `sport` message's, else generic.
    pub sport: Sport,
    /// FIT sub-sport number of the same source, when known.
    pub sub_sport: Option<u8>,
    /// The activity's name, when the file gives one (GPX `metadata/name` or `trk/name`).
    #[serde(default)]
    pub name: Option<String>,
    /// Start, UTC seconds since the epoch: the first session's start, else the first record's.
    pub start_time: Option<f64>,
    /// The recording device.
    pub device: DeviceInfo,
    /// The samples.
    pub records: Records,
    /// Laps, in file order.
    pub laps: Vec<Lap>,
    /// Sessions, in file order.
    pub sessions: Vec<Session>,
    /// Events, in file order.
    pub events: Vec<Event>,
    /// Beat-to-beat (RR) intervals in seconds, in order (FIT `hrv` messages).
    pub hrv_rr: Vec<f32>,
    /// Developer fields the file described.
    pub developer_fields: Vec<DeveloperFieldInfo>,
    /// FIT `activity` summary.
    pub activity_info: Option<ActivityInfo>,
    /// A workout carried in the file.
    pub workout: Option<Workout>,
    /// Monitoring data, if the file has any.
    pub monitoring: Option<MonitoringSummary>,
    /// Sleep data, if the file has any.
    pub sleep: Option<SleepSummary>,
    /// HRV status, if the file has any (the last summary seen).
    pub hrv_status: Option<HrvStatus>,
    /// The VO2max the recording device estimated (ml/kg/min), when it left one: Garmin watches
    /// with Firstbeat's algorithms, in the undocumented FIT message 140.
    #[serde(default)]
    pub device_vo2max: Option<f64>,
    /// What was wrong with the file but did not stop decoding (bad CRC, truncation, …).
    pub warnings: Vec<String>,
}

impl Activity {
    /// An empty activity of the given format.
    pub fn new(format: FileFormat) -> Self {
        Self {
            format,
            ..Self::default()
        }
    }

    /// The sport being done at `time`: that of the session covering it, else [`Activity::sport`].
    pub fn sport_at(&self, time: f64) -> Sport {
        self.sessions
            .iter()
            .find(|s| summary_span(&s.summary).is_some_and(|(a, b)| time >= a && time <= b))
            .and_then(|s| s.summary.sport)
            .unwrap_or(self.sport)
    }
}

/// The time span `(start, end)` a summary covers, in UTC seconds, when known.
pub(crate) fn summary_span(s: &Summary) -> Option<(f64, f64)> {
    let start = s.start_time?;
    let end = match (s.end_time, s.total_elapsed_time) {
        (Some(end), Some(elapsed)) => end.max(start + elapsed),
        (Some(end), None) => end,
        (None, Some(elapsed)) => start + elapsed,
        (None, None) => return None,
    };
    Some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sport_numbers_round_trip() {
        for n in 0..=255u8 {
            assert_eq!(Sport::from_fit(n).fit_number(), n);
        }
        assert!(Sport::Running.is_on_foot());
        assert!(!Sport::Cycling.is_on_foot());
    }

    #[test]
    fn sport_at_follows_sessions() {
        let session = |sport, start: f64, elapsed: f64| Session {
            summary: Summary {
                sport: Some(sport),
                start_time: Some(start),
                total_elapsed_time: Some(elapsed),
                ..Summary::default()
            },
            ..Session::default()
        };
        let activity = Activity {
            sport: Sport::Multisport,
            sessions: vec![
                session(Sport::Cycling, 100.0, 50.0),
                session(Sport::Running, 160.0, 40.0),
            ],
            ..Activity::default()
        };
        assert_eq!(activity.sport_at(120.0), Sport::Cycling);
        assert_eq!(activity.sport_at(200.0), Sport::Running);
        assert_eq!(activity.sport_at(155.0), Sport::Multisport);
    }

    #[test]
    fn timer_events() {
        let stop = Event {
            event: Some(0),
            event_type: Some(4),
            ..Event::default()
        };
        assert!(stop.is_timer_stop() && !stop.is_timer_start());
        let info = ActivityInfo {
            timestamp: Some(1000.0),
            local_timestamp: Some(4600.0),
            ..ActivityInfo::default()
        };
        assert_eq!(info.utc_offset(), Some(3600.0));
    }
}
