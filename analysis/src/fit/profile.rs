//! The part of the FIT profile Stride applies: which messages and fields it reads, and how each
//! raw value becomes an SI value (scale, offset, semicircles, FIT epoch, components).
//!
//! Field numbers, scales and offsets are those of the FIT SDK profile (Profile.xlsx, 21.x). The
//! lookup runs once per field of each definition message, never per data message: the decoder
//! stores the resulting `Conv` next to the field's size and base type.

/// Seconds from the Unix epoch to the FIT epoch, 1989-12-31T00:00:00Z.
pub const FIT_EPOCH_OFFSET: i64 = 631_065_600;

/// Degrees per semicircle (180 / 2^31).
pub const DEGREES_PER_SEMICIRCLE: f64 = 180.0 / 2_147_483_648.0;

/// Global message numbers Stride reads.
pub mod mesg {
    /// `file_id`.
    pub const FILE_ID: u16 = 0;
    /// `sport`.
    pub const SPORT: u16 = 12;
    /// `session`.
    pub const SESSION: u16 = 18;
    /// `lap`.
    pub const LAP: u16 = 19;
    /// `record`.
    pub const RECORD: u16 = 20;
    /// `event`.
    pub const EVENT: u16 = 21;
    /// `device_info`.
    pub const DEVICE_INFO: u16 = 23;
    /// `workout`.
    pub const WORKOUT: u16 = 26;
    /// `workout_step`.
    pub const WORKOUT_STEP: u16 = 27;
    /// `activity`.
    pub const ACTIVITY: u16 = 34;
    /// `file_creator`.
    pub const FILE_CREATOR: u16 = 49;
    /// `monitoring`.
    pub const MONITORING: u16 = 55;
    /// `hrv` (beat-to-beat intervals).
    pub const HRV: u16 = 78;
    /// Not in the public profile: the figures Firstbeat's algorithms leave in a Garmin
    /// watch's activity file. Field 7 is VO2max · 65536 / 3.5 as users decoded it (Garmin
    /// forums, "Extracting precise VO2max from FIT file"; jalbiero/vo2max-tracker, MIT).
    pub const DEVICE_METRICS: u16 = 140;
    /// `field_description` (a developer field).
    pub const FIELD_DESCRIPTION: u16 = 206;
    /// `developer_data_id`.
    pub const DEVELOPER_DATA_ID: u16 = 207;
    /// `monitoring_hr_data`.
    pub const MONITORING_HR_DATA: u16 = 211;
    /// `sleep_level`.
    pub const SLEEP_LEVEL: u16 = 275;
    /// `sleep_assessment`.
    pub const SLEEP_ASSESSMENT: u16 = 346;
    /// `hrv_status_summary`.
    pub const HRV_STATUS_SUMMARY: u16 = 370;
    /// `hrv_value`.
    pub const HRV_VALUE: u16 = 371;
}

/// Field numbers of the messages Stride both reads and writes (FIT SDK profile), named once for
/// the decoder's [`conv`] and the encoder.
pub(crate) mod field {
    /// Field 253 of any message: its timestamp (`date_time`).
    pub(crate) const TIMESTAMP: u8 = 253;
    /// Field 254 of any message: its index among messages of its kind.
    pub(crate) const MESSAGE_INDEX: u8 = 254;

    pub(crate) mod file_id {
        pub(crate) const TYPE: u8 = 0;
        pub(crate) const MANUFACTURER: u8 = 1;
        pub(crate) const PRODUCT: u8 = 2;
        pub(crate) const SERIAL_NUMBER: u8 = 3;
        pub(crate) const TIME_CREATED: u8 = 4;
        pub(crate) const PRODUCT_NAME: u8 = 8;
    }

    pub(crate) mod device_info {
        pub(crate) const DEVICE_INDEX: u8 = 0;
        pub(crate) const MANUFACTURER: u8 = 2;
        pub(crate) const SERIAL_NUMBER: u8 = 3;
        pub(crate) const PRODUCT: u8 = 4;
        pub(crate) const SOFTWARE_VERSION: u8 = 5;
        pub(crate) const PRODUCT_NAME: u8 = 27;
    }

    pub(crate) mod sport {
        pub(crate) const SPORT: u8 = 0;
        pub(crate) const SUB_SPORT: u8 = 1;
        pub(crate) const NAME: u8 = 3;
    }

    pub(crate) mod record {
        pub(crate) const POSITION_LAT: u8 = 0;
        pub(crate) const POSITION_LONG: u8 = 1;
        pub(crate) const ALTITUDE: u8 = 2;
        pub(crate) const HEART_RATE: u8 = 3;
        pub(crate) const CADENCE: u8 = 4;
        pub(crate) const DISTANCE: u8 = 5;
        pub(crate) const SPEED: u8 = 6;
        pub(crate) const POWER: u8 = 7;
        pub(crate) const COMPRESSED_SPEED_DISTANCE: u8 = 8;
        pub(crate) const TEMPERATURE: u8 = 13;
        pub(crate) const VERTICAL_OSCILLATION: u8 = 39;
        pub(crate) const STANCE_TIME: u8 = 41;
        pub(crate) const CADENCE256: u8 = 52;
        pub(crate) const FRACTIONAL_CADENCE: u8 = 53;
        pub(crate) const ENHANCED_SPEED: u8 = 73;
        pub(crate) const ENHANCED_ALTITUDE: u8 = 78;
        pub(crate) const VERTICAL_RATIO: u8 = 83;
        pub(crate) const STANCE_TIME_BALANCE: u8 = 84;
        pub(crate) const STEP_LENGTH: u8 = 85;
    }

    pub(crate) mod event {
        pub(crate) const EVENT: u8 = 0;
        pub(crate) const EVENT_TYPE: u8 = 1;
        pub(crate) const DATA16: u8 = 2;
        pub(crate) const DATA: u8 = 3;
    }

    pub(crate) mod lap {
        pub(crate) const EVENT: u8 = 0;
        pub(crate) const EVENT_TYPE: u8 = 1;
        pub(crate) const START_TIME: u8 = 2;
        pub(crate) const TOTAL_ELAPSED_TIME: u8 = 7;
        pub(crate) const TOTAL_TIMER_TIME: u8 = 8;
        pub(crate) const TOTAL_DISTANCE: u8 = 9;
        pub(crate) const TOTAL_CALORIES: u8 = 11;
        pub(crate) const AVG_SPEED: u8 = 13;
        pub(crate) const MAX_SPEED: u8 = 14;
        pub(crate) const AVG_HEART_RATE: u8 = 15;
        pub(crate) const MAX_HEART_RATE: u8 = 16;
        pub(crate) const AVG_CADENCE: u8 = 17;
        pub(crate) const MAX_CADENCE: u8 = 18;
        pub(crate) const AVG_POWER: u8 = 19;
        pub(crate) const MAX_POWER: u8 = 20;
        pub(crate) const TOTAL_ASCENT: u8 = 21;
        pub(crate) const TOTAL_DESCENT: u8 = 22;
        pub(crate) const INTENSITY: u8 = 23;
        pub(crate) const LAP_TRIGGER: u8 = 24;
        pub(crate) const SPORT: u8 = 25;
        pub(crate) const SUB_SPORT: u8 = 39;
        pub(crate) const TOTAL_MOVING_TIME: u8 = 52;
        pub(crate) const AVG_FRACTIONAL_CADENCE: u8 = 80;
        pub(crate) const MAX_FRACTIONAL_CADENCE: u8 = 81;
        pub(crate) const ENHANCED_AVG_SPEED: u8 = 110;
        pub(crate) const ENHANCED_MAX_SPEED: u8 = 111;
    }

    pub(crate) mod session {
        pub(crate) const EVENT: u8 = 0;
        pub(crate) const EVENT_TYPE: u8 = 1;
        pub(crate) const START_TIME: u8 = 2;
        pub(crate) const SPORT: u8 = 5;
        pub(crate) const SUB_SPORT: u8 = 6;
        pub(crate) const TOTAL_ELAPSED_TIME: u8 = 7;
        pub(crate) const TOTAL_TIMER_TIME: u8 = 8;
        pub(crate) const TOTAL_DISTANCE: u8 = 9;
        pub(crate) const TOTAL_CALORIES: u8 = 11;
        pub(crate) const AVG_SPEED: u8 = 14;
        pub(crate) const MAX_SPEED: u8 = 15;
        pub(crate) const AVG_HEART_RATE: u8 = 16;
        pub(crate) const MAX_HEART_RATE: u8 = 17;
        pub(crate) const AVG_CADENCE: u8 = 18;
        pub(crate) const MAX_CADENCE: u8 = 19;
        pub(crate) const AVG_POWER: u8 = 20;
        pub(crate) const MAX_POWER: u8 = 21;
        pub(crate) const TOTAL_ASCENT: u8 = 22;
        pub(crate) const TOTAL_DESCENT: u8 = 23;
        pub(crate) const FIRST_LAP_INDEX: u8 = 25;
        pub(crate) const NUM_LAPS: u8 = 26;
        pub(crate) const TOTAL_MOVING_TIME: u8 = 59;
        pub(crate) const AVG_FRACTIONAL_CADENCE: u8 = 92;
        pub(crate) const MAX_FRACTIONAL_CADENCE: u8 = 93;
        pub(crate) const ENHANCED_AVG_SPEED: u8 = 124;
        pub(crate) const ENHANCED_MAX_SPEED: u8 = 125;
    }

    pub(crate) mod activity {
        pub(crate) const TOTAL_TIMER_TIME: u8 = 0;
        pub(crate) const NUM_SESSIONS: u8 = 1;
        pub(crate) const TYPE: u8 = 2;
        pub(crate) const EVENT: u8 = 3;
        pub(crate) const EVENT_TYPE: u8 = 4;
        pub(crate) const LOCAL_TIMESTAMP: u8 = 5;
    }

    pub(crate) mod hrv {
        pub(crate) const TIME: u8 = 0;
    }

    pub(crate) mod developer_data_id {
        pub(crate) const APPLICATION_ID: u8 = 1;
        pub(crate) const DEVELOPER_DATA_INDEX: u8 = 3;
    }

    pub(crate) mod field_description {
        pub(crate) const DEVELOPER_DATA_INDEX: u8 = 0;
        pub(crate) const FIELD_DEFINITION_NUMBER: u8 = 1;
        pub(crate) const FIT_BASE_TYPE_ID: u8 = 2;
        pub(crate) const FIELD_NAME: u8 = 3;
        pub(crate) const SCALE: u8 = 6;
        pub(crate) const OFFSET: u8 = 7;
        pub(crate) const UNITS: u8 = 8;
        pub(crate) const NATIVE_MESG_NUM: u8 = 14;
        pub(crate) const NATIVE_FIELD_NUM: u8 = 15;
    }
}

/// FIT values of the `event` and `event_type` enums that Stride writes or tests for.
pub(crate) mod event {
    /// `event`: the timer.
    pub(crate) const TIMER: u8 = 0;
    /// `event`: a session ended.
    pub(crate) const SESSION: u8 = 8;
    /// `event`: a lap ended.
    pub(crate) const LAP: u8 = 9;
    /// `event`: the activity ended.
    pub(crate) const ACTIVITY: u8 = 26;
    /// `event_type`: start.
    pub(crate) const START: u8 = 0;
    /// `event_type`: stop.
    pub(crate) const STOP: u8 = 1;
    /// `event_type`: stop all timers.
    pub(crate) const STOP_ALL: u8 = 4;
}

/// The messages Stride reads, by what it does with them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Other,
    FileId,
    FileCreator,
    DeviceInfo,
    Sport,
    Session,
    Lap,
    Record,
    Event,
    Activity,
    Workout,
    WorkoutStep,
    Hrv,
    Monitoring,
    MonitoringHrData,
    SleepLevel,
    SleepAssessment,
    HrvStatusSummary,
    HrvValue,
    DeviceMetrics,
    DeveloperDataId,
    FieldDescription,
}

impl Kind {
    pub(crate) fn of(global: u16) -> Self {
        match global {
            mesg::FILE_ID => Self::FileId,
            mesg::FILE_CREATOR => Self::FileCreator,
            mesg::DEVICE_INFO => Self::DeviceInfo,
            mesg::SPORT => Self::Sport,
            mesg::SESSION => Self::Session,
            mesg::LAP => Self::Lap,
            mesg::RECORD => Self::Record,
            mesg::EVENT => Self::Event,
            mesg::ACTIVITY => Self::Activity,
            mesg::WORKOUT => Self::Workout,
            mesg::WORKOUT_STEP => Self::WorkoutStep,
            mesg::HRV => Self::Hrv,
            mesg::MONITORING => Self::Monitoring,
            mesg::MONITORING_HR_DATA => Self::MonitoringHrData,
            mesg::SLEEP_LEVEL => Self::SleepLevel,
            mesg::SLEEP_ASSESSMENT => Self::SleepAssessment,
            mesg::HRV_STATUS_SUMMARY => Self::HrvStatusSummary,
            mesg::HRV_VALUE => Self::HrvValue,
            mesg::DEVICE_METRICS => Self::DeviceMetrics,
            mesg::DEVELOPER_DATA_ID => Self::DeveloperDataId,
            mesg::FIELD_DESCRIPTION => Self::FieldDescription,
            _ => Self::Other,
        }
    }
}

/// How one field's raw value becomes what Stride keeps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Conv {
    /// Not used: skipped by its size.
    Skip,
    /// `raw / scale - offset` into a slot of the message scratch.
    Value { slot: u8, scale: f64, offset: f64 },
    /// `raw * factor - offset`, `factor` being `1 / scale`: what the decoder makes of
    /// [`Conv::Value`] for record channels stored as `f32`, where a multiplication gives the
    /// same `f32` as the division (which costs several times more).
    Mul { slot: u8, factor: f64, offset: f64 },
    /// Semicircles to degrees.
    Semicircles { slot: u8 },
    /// A FIT `date_time` (seconds since the FIT epoch) to Unix seconds.
    DateTime { slot: u8 },
    /// Field 253 of any message: the timestamp, into slot 0; it also re-bases compressed
    /// timestamps.
    Timestamp,
    /// A string or byte array: its bytes are kept by position, read when the message ends.
    Bytes { slot: u8 },
    /// Record field 8, three bytes holding 12 bits of speed (1/100 m/s) and 12 bits of
    /// accumulated distance (1/16 m).
    CompressedSpeedDistance,
    /// Hrv field 0: an array of RR intervals (1/1000 s), all kept.
    HrvTimes,
    /// A developer field of a record, described by `Activity::developer_fields[info]`:
    /// `raw * factor - offset` (`factor` = 1 / scale) into that field's `f32` column. Set by
    /// the decoder from the file's `field_description` messages, never by [`conv`].
    Developer { info: u32, factor: f64, offset: f64 },
}

const fn v(slot: u8, scale: f64, offset: f64) -> Conv {
    Conv::Value {
        slot,
        scale,
        offset,
    }
}

const fn raw(slot: u8) -> Conv {
    Conv::Value {
        slot,
        scale: 1.0,
        offset: 0.0,
    }
}

/// Slot 0 of every message scratch holds field 253, the timestamp.
pub(crate) const TIMESTAMP_SLOT: u8 = 0;

/// Slots of a record.
pub(crate) mod rec {
    pub(crate) const LAT: u8 = 1;
    pub(crate) const LON: u8 = 2;
    pub(crate) const ALTITUDE: u8 = 3;
    pub(crate) const ENHANCED_ALTITUDE: u8 = 4;
    pub(crate) const HEART_RATE: u8 = 5;
    pub(crate) const CADENCE: u8 = 6;
    pub(crate) const FRACTIONAL_CADENCE: u8 = 7;
    pub(crate) const CADENCE256: u8 = 8;
    pub(crate) const DISTANCE: u8 = 9;
    pub(crate) const SPEED: u8 = 10;
    pub(crate) const ENHANCED_SPEED: u8 = 11;
    pub(crate) const COMPRESSED_SPEED: u8 = 12;
    pub(crate) const COMPRESSED_DISTANCE: u8 = 13;
    pub(crate) const POWER: u8 = 14;
    pub(crate) const TEMPERATURE: u8 = 15;
    pub(crate) const VERTICAL_OSCILLATION: u8 = 16;
    pub(crate) const STANCE_TIME: u8 = 17;
    pub(crate) const STANCE_TIME_BALANCE: u8 = 18;
    pub(crate) const VERTICAL_RATIO: u8 = 19;
    pub(crate) const STEP_LENGTH: u8 = 20;
}

/// Slots of a lap or session summary.
pub(crate) mod sum {
    pub(crate) const START_TIME: u8 = 1;
    pub(crate) const ELAPSED: u8 = 2;
    pub(crate) const TIMER: u8 = 3;
    pub(crate) const MOVING: u8 = 4;
    pub(crate) const DISTANCE: u8 = 5;
    pub(crate) const AVG_HR: u8 = 6;
    pub(crate) const MAX_HR: u8 = 7;
    pub(crate) const AVG_SPEED: u8 = 8;
    pub(crate) const MAX_SPEED: u8 = 9;
    pub(crate) const ENHANCED_AVG_SPEED: u8 = 10;
    pub(crate) const ENHANCED_MAX_SPEED: u8 = 11;
    pub(crate) const ASCENT: u8 = 12;
    pub(crate) const DESCENT: u8 = 13;
    pub(crate) const CALORIES: u8 = 14;
    pub(crate) const AVG_CADENCE: u8 = 15;
    pub(crate) const MAX_CADENCE: u8 = 16;
    pub(crate) const AVG_FRACTIONAL_CADENCE: u8 = 17;
    pub(crate) const MAX_FRACTIONAL_CADENCE: u8 = 18;
    pub(crate) const AVG_POWER: u8 = 19;
    pub(crate) const MAX_POWER: u8 = 20;
    pub(crate) const SPORT: u8 = 21;
    pub(crate) const SUB_SPORT: u8 = 22;
    /// Lap `intensity`.
    pub(crate) const INTENSITY: u8 = 23;
    /// Lap `lap_trigger`.
    pub(crate) const TRIGGER: u8 = 24;
    /// Session `first_lap_index`.
    pub(crate) const FIRST_LAP: u8 = 25;
    /// Session `num_laps`.
    pub(crate) const NUM_LAPS: u8 = 26;
}

/// Slots of the smaller messages (each message kind uses its own numbering from 1).
pub(crate) mod small {
    // file_id
    pub(crate) const FILE_TYPE: u8 = 1;
    pub(crate) const MANUFACTURER: u8 = 2;
    pub(crate) const PRODUCT: u8 = 3;
    pub(crate) const SERIAL: u8 = 4;
    pub(crate) const TIME_CREATED: u8 = 5;
    pub(crate) const PRODUCT_NAME: u8 = 0; // bytes slot
    // device_info (also MANUFACTURER, PRODUCT, SERIAL, PRODUCT_NAME)
    pub(crate) const DEVICE_INDEX: u8 = 6;
    pub(crate) const SOFTWARE_VERSION: u8 = 7;
    // sport / workout
    pub(crate) const SPORT: u8 = 1;
    pub(crate) const SUB_SPORT: u8 = 2;
    pub(crate) const NUM_VALID_STEPS: u8 = 3;
    pub(crate) const NAME: u8 = 0; // bytes slot
    // workout_step
    pub(crate) const MESSAGE_INDEX: u8 = 1;
    pub(crate) const DURATION_TYPE: u8 = 2;
    pub(crate) const DURATION_VALUE: u8 = 3;
    pub(crate) const TARGET_TYPE: u8 = 4;
    pub(crate) const TARGET_VALUE: u8 = 5;
    pub(crate) const CUSTOM_LOW: u8 = 6;
    pub(crate) const CUSTOM_HIGH: u8 = 7;
    pub(crate) const STEP_INTENSITY: u8 = 8;
    pub(crate) const NOTES: u8 = 1; // bytes slot
    // event
    pub(crate) const EVENT: u8 = 1;
    pub(crate) const EVENT_TYPE: u8 = 2;
    pub(crate) const DATA16: u8 = 3;
    pub(crate) const DATA: u8 = 4;
    // activity
    pub(crate) const TOTAL_TIMER_TIME: u8 = 1;
    pub(crate) const NUM_SESSIONS: u8 = 2;
    pub(crate) const LOCAL_TIMESTAMP: u8 = 3;
    // monitoring, monitoring_hr_data, sleep, hrv status (values in slots 1..)
    pub(crate) const HEART_RATE: u8 = 1;
    pub(crate) const RESTING_HR: u8 = 1;
    pub(crate) const CURRENT_DAY_RESTING_HR: u8 = 2;
    pub(crate) const SLEEP_LEVEL: u8 = 1;
    pub(crate) const OVERALL_SLEEP_SCORE: u8 = 1;
    pub(crate) const SLEEP_QUALITY_SCORE: u8 = 2;
    pub(crate) const AWAKENINGS: u8 = 3;
    // hrv_status_summary fields 0..=6 go to slots 1..=7.
    pub(crate) const HRV_STATUS_FIRST: u8 = 1;
    // message 140 (undocumented)
    pub(crate) const DEVICE_VO2MAX: u8 = 1;
    // developer_data_id
    pub(crate) const DEV_INDEX: u8 = 1;
    pub(crate) const APPLICATION_ID: u8 = 0; // bytes slot
    // field_description
    pub(crate) const FD_DEV_INDEX: u8 = 1;
    pub(crate) const FD_FIELD_NUMBER: u8 = 2;
    pub(crate) const FD_BASE_TYPE: u8 = 3;
    pub(crate) const FD_SCALE: u8 = 4;
    pub(crate) const FD_OFFSET: u8 = 5;
    pub(crate) const FD_NATIVE_MESG: u8 = 6;
    pub(crate) const FD_NATIVE_FIELD: u8 = 7;
    pub(crate) const FD_NAME: u8 = 0; // bytes slot
    pub(crate) const FD_UNITS: u8 = 1; // bytes slot
}

/// The number of value slots a message scratch has.
pub(crate) const SLOTS: usize = 27;
/// The number of byte-range slots a message scratch has.
pub(crate) const BYTE_SLOTS: usize = 2;

/// How field `number` of a message of `kind` is converted.
pub(crate) fn conv(kind: Kind, number: u8) -> Conv {
    use field as f;
    use small as s;
    if number == f::TIMESTAMP {
        return Conv::Timestamp;
    }
    match kind {
        Kind::Record => match number {
            f::record::POSITION_LAT => Conv::Semicircles { slot: rec::LAT },
            f::record::POSITION_LONG => Conv::Semicircles { slot: rec::LON },
            f::record::ALTITUDE => v(rec::ALTITUDE, 5.0, 500.0),
            f::record::HEART_RATE => raw(rec::HEART_RATE),
            f::record::CADENCE => raw(rec::CADENCE),
            f::record::DISTANCE => v(rec::DISTANCE, 100.0, 0.0),
            f::record::SPEED => v(rec::SPEED, 1000.0, 0.0),
            f::record::POWER => raw(rec::POWER),
            f::record::COMPRESSED_SPEED_DISTANCE => Conv::CompressedSpeedDistance,
            f::record::TEMPERATURE => raw(rec::TEMPERATURE),
            // mm with scale 10, kept in metres.
            f::record::VERTICAL_OSCILLATION => v(rec::VERTICAL_OSCILLATION, 10_000.0, 0.0),
            // ms with scale 10, kept in seconds.
            f::record::STANCE_TIME => v(rec::STANCE_TIME, 10_000.0, 0.0),
            f::record::CADENCE256 => v(rec::CADENCE256, 256.0, 0.0),
            f::record::FRACTIONAL_CADENCE => v(rec::FRACTIONAL_CADENCE, 128.0, 0.0),
            f::record::ENHANCED_SPEED => v(rec::ENHANCED_SPEED, 1000.0, 0.0),
            f::record::ENHANCED_ALTITUDE => v(rec::ENHANCED_ALTITUDE, 5.0, 500.0),
            f::record::VERTICAL_RATIO => v(rec::VERTICAL_RATIO, 100.0, 0.0),
            f::record::STANCE_TIME_BALANCE => v(rec::STANCE_TIME_BALANCE, 100.0, 0.0),
            // mm with scale 10, kept in metres.
            f::record::STEP_LENGTH => v(rec::STEP_LENGTH, 10_000.0, 0.0),
            _ => Conv::Skip,
        },
        Kind::Hrv => match number {
            f::hrv::TIME => Conv::HrvTimes,
            _ => Conv::Skip,
        },
        Kind::Session => match number {
            f::session::START_TIME => Conv::DateTime {
                slot: sum::START_TIME,
            },
            f::session::SPORT => raw(sum::SPORT),
            f::session::SUB_SPORT => raw(sum::SUB_SPORT),
            f::session::TOTAL_ELAPSED_TIME => v(sum::ELAPSED, 1000.0, 0.0),
            f::session::TOTAL_TIMER_TIME => v(sum::TIMER, 1000.0, 0.0),
            f::session::TOTAL_DISTANCE => v(sum::DISTANCE, 100.0, 0.0),
            f::session::TOTAL_CALORIES => raw(sum::CALORIES),
            f::session::AVG_SPEED => v(sum::AVG_SPEED, 1000.0, 0.0),
            f::session::MAX_SPEED => v(sum::MAX_SPEED, 1000.0, 0.0),
            f::session::AVG_HEART_RATE => raw(sum::AVG_HR),
            f::session::MAX_HEART_RATE => raw(sum::MAX_HR),
            f::session::AVG_CADENCE => raw(sum::AVG_CADENCE),
            f::session::MAX_CADENCE => raw(sum::MAX_CADENCE),
            f::session::AVG_POWER => raw(sum::AVG_POWER),
            f::session::MAX_POWER => raw(sum::MAX_POWER),
            f::session::TOTAL_ASCENT => raw(sum::ASCENT),
            f::session::TOTAL_DESCENT => raw(sum::DESCENT),
            f::session::FIRST_LAP_INDEX => raw(sum::FIRST_LAP),
            f::session::NUM_LAPS => raw(sum::NUM_LAPS),
            f::session::TOTAL_MOVING_TIME => v(sum::MOVING, 1000.0, 0.0),
            f::session::AVG_FRACTIONAL_CADENCE => v(sum::AVG_FRACTIONAL_CADENCE, 128.0, 0.0),
            f::session::MAX_FRACTIONAL_CADENCE => v(sum::MAX_FRACTIONAL_CADENCE, 128.0, 0.0),
            f::session::ENHANCED_AVG_SPEED => v(sum::ENHANCED_AVG_SPEED, 1000.0, 0.0),
            f::session::ENHANCED_MAX_SPEED => v(sum::ENHANCED_MAX_SPEED, 1000.0, 0.0),
            _ => Conv::Skip,
        },
        Kind::Lap => match number {
            f::lap::START_TIME => Conv::DateTime {
                slot: sum::START_TIME,
            },
            f::lap::TOTAL_ELAPSED_TIME => v(sum::ELAPSED, 1000.0, 0.0),
            f::lap::TOTAL_TIMER_TIME => v(sum::TIMER, 1000.0, 0.0),
            f::lap::TOTAL_DISTANCE => v(sum::DISTANCE, 100.0, 0.0),
            f::lap::TOTAL_CALORIES => raw(sum::CALORIES),
            f::lap::AVG_SPEED => v(sum::AVG_SPEED, 1000.0, 0.0),
            f::lap::MAX_SPEED => v(sum::MAX_SPEED, 1000.0, 0.0),
            f::lap::AVG_HEART_RATE => raw(sum::AVG_HR),
            f::lap::MAX_HEART_RATE => raw(sum::MAX_HR),
            f::lap::AVG_CADENCE => raw(sum::AVG_CADENCE),
            f::lap::MAX_CADENCE => raw(sum::MAX_CADENCE),
            f::lap::AVG_POWER => raw(sum::AVG_POWER),
            f::lap::MAX_POWER => raw(sum::MAX_POWER),
            f::lap::TOTAL_ASCENT => raw(sum::ASCENT),
            f::lap::TOTAL_DESCENT => raw(sum::DESCENT),
            f::lap::INTENSITY => raw(sum::INTENSITY),
            f::lap::LAP_TRIGGER => raw(sum::TRIGGER),
            f::lap::SPORT => raw(sum::SPORT),
            f::lap::SUB_SPORT => raw(sum::SUB_SPORT),
            f::lap::TOTAL_MOVING_TIME => v(sum::MOVING, 1000.0, 0.0),
            f::lap::AVG_FRACTIONAL_CADENCE => v(sum::AVG_FRACTIONAL_CADENCE, 128.0, 0.0),
            f::lap::MAX_FRACTIONAL_CADENCE => v(sum::MAX_FRACTIONAL_CADENCE, 128.0, 0.0),
            f::lap::ENHANCED_AVG_SPEED => v(sum::ENHANCED_AVG_SPEED, 1000.0, 0.0),
            f::lap::ENHANCED_MAX_SPEED => v(sum::ENHANCED_MAX_SPEED, 1000.0, 0.0),
            _ => Conv::Skip,
        },
        Kind::Event => match number {
            f::event::EVENT => raw(s::EVENT),
            f::event::EVENT_TYPE => raw(s::EVENT_TYPE),
            f::event::DATA16 => raw(s::DATA16),
            f::event::DATA => raw(s::DATA),
            _ => Conv::Skip,
        },
        Kind::FileId => match number {
            f::file_id::TYPE => raw(s::FILE_TYPE),
            f::file_id::MANUFACTURER => raw(s::MANUFACTURER),
            f::file_id::PRODUCT => raw(s::PRODUCT),
            f::file_id::SERIAL_NUMBER => raw(s::SERIAL),
            f::file_id::TIME_CREATED => Conv::DateTime {
                slot: s::TIME_CREATED,
            },
            f::file_id::PRODUCT_NAME => Conv::Bytes {
                slot: s::PRODUCT_NAME,
            },
            _ => Conv::Skip,
        },
        Kind::FileCreator => match number {
            // Unscaled in the profile: 1928 means 19.28.
            0 => v(s::SOFTWARE_VERSION, 100.0, 0.0),
            _ => Conv::Skip,
        },
        Kind::DeviceInfo => match number {
            f::device_info::DEVICE_INDEX => raw(s::DEVICE_INDEX),
            f::device_info::MANUFACTURER => raw(s::MANUFACTURER),
            f::device_info::SERIAL_NUMBER => raw(s::SERIAL),
            f::device_info::PRODUCT => raw(s::PRODUCT),
            f::device_info::SOFTWARE_VERSION => v(s::SOFTWARE_VERSION, 100.0, 0.0),
            f::device_info::PRODUCT_NAME => Conv::Bytes {
                slot: s::PRODUCT_NAME,
            },
            _ => Conv::Skip,
        },
        Kind::Sport => match number {
            f::sport::SPORT => raw(s::SPORT),
            f::sport::SUB_SPORT => raw(s::SUB_SPORT),
            f::sport::NAME => Conv::Bytes { slot: s::NAME },
            _ => Conv::Skip,
        },
        Kind::Activity => match number {
            f::activity::TOTAL_TIMER_TIME => v(s::TOTAL_TIMER_TIME, 1000.0, 0.0),
            f::activity::NUM_SESSIONS => raw(s::NUM_SESSIONS),
            f::activity::LOCAL_TIMESTAMP => Conv::DateTime {
                slot: s::LOCAL_TIMESTAMP,
            },
            _ => Conv::Skip,
        },
        Kind::Workout => match number {
            4 => raw(s::SPORT),
            6 => raw(s::NUM_VALID_STEPS),
            8 => Conv::Bytes { slot: s::NAME },
            11 => raw(s::SUB_SPORT),
            _ => Conv::Skip,
        },
        Kind::WorkoutStep => match number {
            0 => Conv::Bytes { slot: s::NAME },
            1 => raw(s::DURATION_TYPE),
            2 => raw(s::DURATION_VALUE),
            3 => raw(s::TARGET_TYPE),
            4 => raw(s::TARGET_VALUE),
            5 => raw(s::CUSTOM_LOW),
            6 => raw(s::CUSTOM_HIGH),
            7 => raw(s::STEP_INTENSITY),
            8 => Conv::Bytes { slot: s::NOTES },
            f::MESSAGE_INDEX => raw(s::MESSAGE_INDEX),
            _ => Conv::Skip,
        },
        Kind::Monitoring => match number {
            27 => raw(s::HEART_RATE),
            _ => Conv::Skip,
        },
        Kind::MonitoringHrData => match number {
            0 => raw(s::RESTING_HR),
            1 => raw(s::CURRENT_DAY_RESTING_HR),
            _ => Conv::Skip,
        },
        Kind::SleepLevel => match number {
            0 => raw(s::SLEEP_LEVEL),
            _ => Conv::Skip,
        },
        Kind::SleepAssessment => match number {
            6 => raw(s::OVERALL_SLEEP_SCORE),
            7 => raw(s::SLEEP_QUALITY_SCORE),
            11 => raw(s::AWAKENINGS),
            _ => Conv::Skip,
        },
        Kind::HrvStatusSummary => match number {
            0..=5 => v(s::HRV_STATUS_FIRST + number, 128.0, 0.0),
            6 => raw(s::HRV_STATUS_FIRST + 6),
            _ => Conv::Skip,
        },
        Kind::DeveloperDataId => match number {
            f::developer_data_id::APPLICATION_ID => Conv::Bytes {
                slot: s::APPLICATION_ID,
            },
            f::developer_data_id::DEVELOPER_DATA_INDEX => raw(s::DEV_INDEX),
            _ => Conv::Skip,
        },
        Kind::FieldDescription => match number {
            f::field_description::DEVELOPER_DATA_INDEX => raw(s::FD_DEV_INDEX),
            f::field_description::FIELD_DEFINITION_NUMBER => raw(s::FD_FIELD_NUMBER),
            f::field_description::FIT_BASE_TYPE_ID => raw(s::FD_BASE_TYPE),
            f::field_description::FIELD_NAME => Conv::Bytes { slot: s::FD_NAME },
            f::field_description::SCALE => raw(s::FD_SCALE),
            f::field_description::OFFSET => raw(s::FD_OFFSET),
            f::field_description::UNITS => Conv::Bytes { slot: s::FD_UNITS },
            f::field_description::NATIVE_MESG_NUM => raw(s::FD_NATIVE_MESG),
            f::field_description::NATIVE_FIELD_NUM => raw(s::FD_NATIVE_FIELD),
            _ => Conv::Skip,
        },
        Kind::DeviceMetrics => match number {
            7 => v(s::DEVICE_VO2MAX, 65_536.0 / 3.5, 0.0),
            _ => Conv::Skip,
        },
        Kind::HrvValue | Kind::Other => Conv::Skip,
    }
}

/// Splits record field 8, `compressed_speed_distance` (three bytes, little-endian bit order),
/// into its components: speed in 1/100 m/s (12 bits) and distance in 1/16 m (12 bits, to be
/// accumulated). `None` when the field is shorter than 3 bytes or all 0xFF (invalid).
pub(crate) fn compressed_speed_distance(bytes: &[u8]) -> Option<(u16, u16)> {
    let b: [u8; 3] = bytes.get(..3)?.try_into().ok()?;
    if b == [0xFF; 3] {
        return None;
    }
    let speed = u16::from(b[0]) | (u16::from(b[1] & 0x0F) << 8);
    let distance = u16::from(b[1] >> 4) | (u16::from(b[2]) << 4);
    Some((speed, distance))
}

/// Accumulates a field that the profile marks "accumulate": the device sends only the low
/// `bits` bits of a running total, and each new value adds its difference from the last one,
/// modulo 2^bits (the FIT SDK's `Accumulator`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Accumulator {
    last: u32,
    total: u64,
}

impl Accumulator {
    /// Adds the `bits`-bit value `value` and returns the running total.
    pub(crate) fn add(&mut self, value: u32, bits: u32) -> u64 {
        let mask = if bits >= 32 {
            u32::MAX
        } else {
            (1u32 << bits) - 1
        };
        let delta = value.wrapping_sub(self.last) & mask;
        self.total = self.total.saturating_add(u64::from(delta));
        self.last = value;
        self.total
    }
}

/// Resolves a compressed-timestamp header's 5-bit `offset` against the last full timestamp
/// `last` (FIT seconds): the result is the first time at or after `last` whose low five bits are
/// `offset`.
///
/// ```text
/// last = 0x...3E (low bits 30), offset 2  ->  last + 4 (rolled over 31 -> 0)
/// ```
pub(crate) fn compressed_timestamp(last: u32, offset: u8) -> u32 {
    let offset = u32::from(offset & 0x1F);
    let delta = offset.wrapping_sub(last & 0x1F) & 0x1F;
    last.wrapping_add(delta)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressed_timestamp_rolls_over() {
        // FIT protocol, "Compressed Timestamp Header": offset 0x1E then 0x02 crosses 32 s.
        assert_eq!(compressed_timestamp(0x3B9A_CA1E, 0x1E), 0x3B9A_CA1E);
        assert_eq!(compressed_timestamp(0x3B9A_CA1E, 0x1F), 0x3B9A_CA1F);
        assert_eq!(compressed_timestamp(0x3B9A_CA1E, 0x02), 0x3B9A_CA22);
        assert_eq!(compressed_timestamp(1000, (1000 & 0x1F) as u8), 1000);
        // Near u32::MAX it wraps instead of overflowing.
        assert_eq!(compressed_timestamp(u32::MAX, 0), 0);
    }

    #[test]
    fn accumulator_handles_rollover() {
        let mut acc = Accumulator::default();
        assert_eq!(acc.add(4000, 12), 4000);
        assert_eq!(acc.add(4090, 12), 4090);
        // 4090 -> 10 is +16 modulo 4096.
        assert_eq!(acc.add(10, 12), 4106);
        assert_eq!(acc.add(10, 12), 4106);
        let mut acc8 = Accumulator::default();
        assert_eq!(acc8.add(250, 8), 250);
        assert_eq!(acc8.add(4, 8), 260);
    }

    #[test]
    fn splits_compressed_speed_distance() {
        // speed 0x234 = 564 (5.64 m/s), distance 0xABC = 2748 (171.75 m).
        let bytes = [0x34, 0xC2, 0xAB];
        assert_eq!(compressed_speed_distance(&bytes), Some((0x234, 0xABC)));
        assert_eq!(compressed_speed_distance(&[0xFF; 3]), None);
        assert_eq!(compressed_speed_distance(&[1, 2]), None);
    }

    #[test]
    fn record_scales_match_the_profile() {
        // speed /1000, altitude /5 - 500, distance /100.
        assert_eq!(conv(Kind::Record, 6), v(rec::SPEED, 1000.0, 0.0));
        assert_eq!(conv(Kind::Record, 2), v(rec::ALTITUDE, 5.0, 500.0));
        assert_eq!(conv(Kind::Record, 5), v(rec::DISTANCE, 100.0, 0.0));
        assert_eq!(conv(Kind::Record, 253), Conv::Timestamp);
        assert_eq!(conv(Kind::Record, 200), Conv::Skip);
        assert_eq!(conv(Kind::Other, 0), Conv::Skip);
        assert_eq!(Kind::of(20), Kind::Record);
        assert_eq!(Kind::of(9999), Kind::Other);
    }

    #[test]
    fn slots_fit_the_scratch() {
        for kind in [
            Kind::Record,
            Kind::Session,
            Kind::Lap,
            Kind::Event,
            Kind::FileId,
            Kind::DeviceInfo,
            Kind::WorkoutStep,
            Kind::HrvStatusSummary,
            Kind::FieldDescription,
        ] {
            for n in 0..=255u8 {
                match conv(kind, n) {
                    Conv::Value { slot, .. }
                    | Conv::Semicircles { slot }
                    | Conv::DateTime { slot } => {
                        assert!(usize::from(slot) < SLOTS && slot != TIMESTAMP_SLOT)
                    }
                    Conv::Bytes { slot } => assert!(usize::from(slot) < BYTE_SLOTS),
                    _ => {}
                }
            }
        }
    }
}
