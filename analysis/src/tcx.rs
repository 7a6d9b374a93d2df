//! TCX (Garmin Training Center Database v2) into the columnar [`Activity`], in one streamed pass.
//!
//! - Every `Activity` (also inside a `MultiSportSession`) becomes a [`Session`] whose figures
//!   are added up from its laps; their track points are concatenated into the records.
//!   `Courses` (planned routes) and `Workouts` are not activities and are skipped.
//! - `Lap[@StartTime]`: `TotalTimeSeconds` (timer time), `DistanceMeters`, `MaximumSpeed`,
//!   `Calories`, `AverageHeartRateBpm`, `MaximumHeartRateBpm`, `Cadence`, `Intensity`,
//!   `TriggerMethod`, and the `LX` extension's `AvgSpeed`, `AvgRunCadence`, `MaxRunCadence`,
//!   `MaxBikeCadence`, `AvgWatts`, `MaxWatts` become a [`Lap`]. TCX has no lap end: a lap ends
//!   at its last track point's time (else after its timer time).
//! - `Trackpoint`: `Time`, `Position`, `AltitudeMeters`, `DistanceMeters` (the device's, kept
//!   as it is), `HeartRateBpm`, `Cadence` and the `TPX` extension's `Speed`, `RunCadence`,
//!   `Watts`. Only when no point has a distance but some have positions is the distance
//!   computed from the positions, as for GPX. Each activity's distances start again from 0 in
//!   TCX; the records continue from the distance the activities before reached, so the column
//!   counts from the start of the file.
//! - Elements are matched by local name, whatever their prefix (`ns3:TPX`, `TPX xmlns=…`, …).
//! - Cadence is stored in steps per minute for sports on foot, as
//!   [`Records::cadence`](crate::Records::cadence) says: TCX's `RunCadence`, `AvgRunCadence`,
//!   `MaxRunCadence` count strides (always doubled), and so does `Cadence` in an `Activity` of
//!   a sport on foot (Polar and Suunto write running cadence there; doubled too).
//! - Each `Track` is a stretch of recording (devices start a new one after a pause): it gets a
//!   timer start event at its first point and a timer stop at its last, as in FIT.
//! - `Activity/Creator` gives the device (name, `ProductID`, `UnitId` as serial number,
//!   `VersionMajor.VersionMinor` as software version, minor in hundredths as in FIT);
//!   `Author/Name`, the application that wrote the file, goes to `file_id.product_name`.
//! - Broken XML after the first point keeps what was read before it, with a warning; with
//!   no point read it is an [`AnalysisError::Xml`].

use quick_xml::events::BytesStart;

use crate::xml::{self, Columns, Point, Sink};
use crate::{
    Activity, AnalysisError, DeviceInfo, Event, FileFormat, FileId, Lap, Session, Sport, Summary,
    time,
};

/// Bytes of TCX per track point, for reserving columns: Garmin Connect writes about 700,
/// Polar 550, an Edge 705 250.
const BYTES_PER_POINT: usize = 512;

/// Decodes a TCX file.
///
/// ```
/// let tcx = br#"<?xml version="1.0" encoding="UTF-8"?>
/// <TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
///     xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">
///   <Activities><Activity Sport="Running"><Id>2024-06-01T05:00:00Z</Id>
///     <Lap StartTime="2024-06-01T05:00:00Z">
///       <TotalTimeSeconds>300.0</TotalTimeSeconds><DistanceMeters>1000.0</DistanceMeters>
///       <Intensity>Active</Intensity><TriggerMethod>Distance</TriggerMethod>
///       <Track><Trackpoint><Time>2024-06-01T05:00:00Z</Time>
///         <DistanceMeters>0.0</DistanceMeters><HeartRateBpm><Value>120</Value></HeartRateBpm>
///         <Extensions><ns3:TPX><ns3:RunCadence>85</ns3:RunCadence></ns3:TPX></Extensions>
///       </Trackpoint></Track>
///     </Lap>
///     <Creator><Name>Forerunner 945</Name></Creator>
///   </Activity></Activities>
/// </TrainingCenterDatabase>"#;
/// let run = analysis::tcx::decode(tcx)?;
/// assert_eq!(run.sport, analysis::Sport::Running);
/// assert_eq!(run.laps.len(), 1);
/// assert_eq!(run.laps[0].summary.total_distance, Some(1000.0));
/// assert_eq!(run.laps[0].trigger, Some(2)); // FIT lap_trigger distance
/// assert_eq!(run.sessions[0].summary.total_timer_time, Some(300.0));
/// assert_eq!(run.records.cadence.as_deref(), Some(&[170.0][..])); // steps per minute
/// assert_eq!(run.device.product_name.as_deref(), Some("Forerunner 945"));
/// # Ok::<(), analysis::AnalysisError>(())
/// ```
pub fn decode(bytes: &[u8]) -> Result<Activity, AnalysisError> {
    let mut tcx = Tcx::new(bytes.len() / BYTES_PER_POINT);
    let warnings = xml::read(bytes, FileFormat::Tcx, &mut tcx, |s| s.columns.len())?;
    Ok(tcx.finish(warnings))
}

/// The TCX elements the decoder tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Activity,
    Lap,
    Track,
    Trackpoint,
    Time,
    Position,
    LatitudeDegrees,
    LongitudeDegrees,
    AltitudeMeters,
    DistanceMeters,
    HeartRateBpm,
    AverageHeartRateBpm,
    MaximumHeartRateBpm,
    Value,
    Cadence,
    Tpx,
    Lx,
    Speed,
    RunCadence,
    Watts,
    TotalTimeSeconds,
    MaximumSpeed,
    Calories,
    Intensity,
    TriggerMethod,
    AvgSpeed,
    AvgRunCadence,
    MaxRunCadence,
    MaxBikeCadence,
    AvgWatts,
    MaxWatts,
    Id,
    Creator,
    Author,
    Name,
    Version,
    VersionMajor,
    VersionMinor,
    UnitId,
    ProductId,
    Courses,
    Other,
}

/// A lap being read.
struct OpenLap {
    lap: Lap,
    /// Whether `avg_cadence` / `max_cadence` came from the run-cadence fields (strides).
    avg_is_run: bool,
    max_is_run: bool,
    /// Its last track point's time.
    last_time: f64,
}

/// An `Activity` element being read.
struct OpenSession {
    sport: Sport,
    /// `Activity/Id`, which Garmin sets to the start time.
    id_time: Option<f64>,
    first_lap: usize,
    first_row: usize,
}

/// A string being collected from text events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    CreatorName,
    AuthorName,
}

/// The decoder's state through the events.
struct Tcx {
    columns: Columns,
    point: Point,
    /// Whether the point's cadence came from `RunCadence` (strides).
    point_run_cadence: bool,
    /// Depth of the open `Trackpoint`, 0 outside points.
    point_depth: usize,
    /// Depth of the open `Activity`, 0 outside activities.
    activity_depth: usize,
    session: Option<OpenSession>,
    lap: Option<OpenLap>,
    laps: Vec<Lap>,
    sessions: Vec<Session>,
    /// Whether the next point starts a new track, whether a track has points and no stop
    /// event yet, and the last point's time in it.
    new_track: bool,
    track_open: bool,
    track_last_time: f64,
    /// Rows that start a track after the first.
    breaks: Vec<usize>,
    /// The last distance recorded, and what is added to the distances of the open activity:
    /// the distance reached by the activities before it (each starts again from 0).
    last_distance: f64,
    distance_base: f64,
    events: Vec<Event>,
    /// Depth of the first `Creator` while it is open; `creator_done` once it closed.
    creator_depth: usize,
    creator_done: bool,
    device: DeviceInfo,
    version: (Option<f64>, Option<f64>),
    author: Option<String>,
    capture: Option<(Field, usize)>,
    buffer: String,
    courses: bool,
    unreadable: usize,
}

impl Tcx {
    fn new(expected_points: usize) -> Self {
        Self {
            columns: Columns::with_capacity(expected_points),
            point: Point::EMPTY,
            point_run_cadence: false,
            point_depth: 0,
            activity_depth: 0,
            session: None,
            lap: None,
            laps: Vec::new(),
            sessions: Vec::new(),
            new_track: true,
            track_open: false,
            track_last_time: f64::NAN,
            breaks: Vec::new(),
            last_distance: 0.0,
            distance_base: 0.0,
            events: Vec::new(),
            creator_depth: 0,
            creator_done: false,
            device: DeviceInfo::default(),
            version: (None, None),
            author: None,
            capture: None,
            buffer: String::new(),
            courses: false,
            unreadable: 0,
        }
    }

    fn sport(&self) -> Sport {
        self.session.as_ref().map_or(Sport::Generic, |s| s.sport)
    }

    fn start_activity(&mut self, element: &BytesStart<'_>, depth: usize) {
        self.activity_depth = depth;
        let sport = xml::attribute(element, "Sport")
            .and_then(|s| xml::sport_from_name(&s))
            .map_or(Sport::Generic, |(sport, _)| sport);
        self.session = Some(OpenSession {
            sport,
            id_time: None,
            first_lap: self.laps.len(),
            first_row: self.columns.len(),
        });
        self.new_track = true;
        self.distance_base = self.last_distance;
    }

    fn start_lap(&mut self, element: &BytesStart<'_>) {
        self.end_lap();
        let start_time = xml::attribute(element, "StartTime").and_then(|t| {
            let t = time::parse_rfc3339(&t);
            self.unreadable += usize::from(t.is_none());
            t
        });
        self.lap = Some(OpenLap {
            lap: Lap {
                summary: Summary {
                    start_time,
                    sport: Some(self.sport()),
                    ..Summary::default()
                },
                ..Lap::default()
            },
            avg_is_run: false,
            max_is_run: false,
            last_time: f64::NAN,
        });
    }

    fn end_point(&mut self) {
        self.point_depth = 0;
        let p = &mut self.point;
        if self.point_run_cadence || self.session.as_ref().is_some_and(|s| s.sport.is_on_foot()) {
            p.cadence *= 2.0;
        }
        if p.distance.is_finite() {
            p.distance += self.distance_base;
            self.last_distance = p.distance;
        }
        let rows = self.columns.len();
        if self.new_track {
            self.new_track = false;
            self.end_track();
            if rows > 0 {
                self.breaks.push(rows);
            }
            self.events.push(timer_event(self.point.time, TIMER_START));
            self.track_open = true;
        }
        if self.point.time.is_finite() {
            self.track_last_time = self.point.time;
            if let Some(lap) = self.lap.as_mut() {
                lap.last_time = self.point.time;
            }
        }
        self.columns.push(&self.point);
    }

    fn end_track(&mut self) {
        if self.track_open {
            self.track_open = false;
            self.events
                .push(timer_event(self.track_last_time, TIMER_STOP_ALL));
        }
    }

    fn end_lap(&mut self) {
        let Some(open) = self.lap.take() else {
            return;
        };
        let mut lap = open.lap;
        let s = &mut lap.summary;
        let on_foot = self.sport().is_on_foot();
        if open.avg_is_run || on_foot {
            s.avg_cadence = s.avg_cadence.map(|c| c * 2.0);
        }
        if open.max_is_run || on_foot {
            s.max_cadence = s.max_cadence.map(|c| c * 2.0);
        }
        s.end_time = if open.last_time.is_finite() {
            Some(open.last_time)
        } else {
            s.start_time.zip(s.total_timer_time).map(|(a, t)| a + t)
        };
        s.total_elapsed_time = s
            .start_time
            .zip(s.end_time)
            .map(|(a, b)| b - a)
            .filter(|t| *t >= 0.0);
        if s.avg_speed.is_none() {
            s.avg_speed = speed(s.total_distance, s.total_timer_time);
        }
        self.laps.push(lap);
    }

    fn end_activity(&mut self) {
        self.end_lap();
        self.end_track();
        self.new_track = true;
        self.activity_depth = 0;
        let Some(open) = self.session.take() else {
            return;
        };
        let laps = &self.laps[open.first_lap..];
        let s = |f: fn(&Summary) -> Option<f64>| laps.iter().filter_map(move |l| f(&l.summary));
        let sum = |f| s(f).reduce(|a, b| a + b);
        let max = |f| s(f).reduce(f64::max);
        let weighted = |f: fn(&Summary) -> Option<f64>| {
            let (mut total, mut weight) = (0.0, 0.0);
            for l in laps {
                if let (Some(v), Some(t)) = (f(&l.summary), l.summary.total_timer_time) {
                    total += v * t;
                    weight += t;
                }
            }
            if weight > 0.0 {
                Some(total / weight)
            } else {
                let values: Vec<f64> = s(f).collect();
                (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
            }
        };
        let first_row_time = self.columns.records.time[open.first_row..]
            .iter()
            .copied()
            .find(|t| t.is_finite());
        let start_time = s(|l| l.start_time)
            .next()
            .or(open.id_time)
            .or(first_row_time);
        let end_time = max(|l| l.end_time);
        let total_timer_time = sum(|l| l.total_timer_time);
        let total_distance = sum(|l| l.total_distance);
        let summary = Summary {
            start_time,
            end_time,
            total_elapsed_time: start_time
                .zip(end_time)
                .map(|(a, b)| b - a)
                .filter(|t| *t >= 0.0),
            total_timer_time,
            total_distance,
            avg_heart_rate: weighted(|l| l.avg_heart_rate),
            max_heart_rate: max(|l| l.max_heart_rate),
            avg_speed: speed(total_distance, total_timer_time),
            max_speed: max(|l| l.max_speed),
            total_calories: sum(|l| l.total_calories),
            avg_cadence: weighted(|l| l.avg_cadence),
            max_cadence: max(|l| l.max_cadence),
            avg_power: weighted(|l| l.avg_power),
            max_power: max(|l| l.max_power),
            sport: Some(open.sport),
            ..Summary::default()
        };
        self.sessions.push(Session {
            summary,
            first_lap_index: u16::try_from(open.first_lap).ok(),
            num_laps: u16::try_from(laps.len()).ok(),
        });
    }

    fn finish(mut self, mut warnings: Vec<String>) -> Activity {
        // A document cut inside an activity still has the laps read so far.
        self.end_activity();
        let mut a = Activity::new(FileFormat::Tcx);
        let mut sports = self.sessions.iter().filter_map(|s| s.summary.sport);
        a.sport = match sports.next() {
            None => Sport::Generic,
            Some(first) if sports.all(|s| s == first) => first,
            Some(_) => Sport::Multisport,
        };
        let mut records = self.columns.records;
        if records.distance.is_none()
            && let (Some(lat), Some(lon)) = (&records.latitude, &records.longitude)
        {
            records.distance = Some(crate::series::geo::cumulative_distance(
                lat,
                lon,
                &self.breaks,
            ));
        }
        a.start_time = self
            .sessions
            .first()
            .and_then(|s| s.summary.start_time)
            .or_else(|| records.time.iter().copied().find(|t| t.is_finite()));
        a.records = records;
        a.laps = self.laps;
        a.sessions = self.sessions;
        a.events = self.events;
        if let (Some(major), minor) = self.version {
            self.device.software_version = Some(major + minor.unwrap_or(0.0) / 100.0);
        }
        a.device = self.device;
        if self.author.is_some() {
            a.file_id = Some(FileId {
                product_name: self.author,
                ..FileId::default()
            });
        }
        if self.courses && a.sessions.is_empty() {
            warnings.push(
                "the file holds courses (planned routes), not activities; they are not read"
                    .to_string(),
            );
        }
        if self.unreadable > 0 {
            warnings.push(format!(
                "{} values were not numbers or times and were left out",
                self.unreadable
            ));
        }
        a.warnings = warnings;
        a
    }
}

/// Distance over time, when both are known and the time is positive.
fn speed(distance: Option<f64>, time: Option<f64>) -> Option<f64> {
    distance
        .zip(time)
        .filter(|(_, t)| *t > 0.0)
        .map(|(d, t)| d / t)
}

/// FIT `event` timer and its `event_type`s start and stop-all.
const TIMER: u8 = 0;
const TIMER_START: u8 = 0;
const TIMER_STOP_ALL: u8 = 4;

fn timer_event(time: f64, event_type: u8) -> Event {
    Event {
        time: time.is_finite().then_some(time),
        event: Some(TIMER),
        event_type: Some(event_type),
        data: None,
    }
}

/// The element kind `back` places from the top of `stack` (0 is the top).
fn up(stack: &[Tag], back: usize) -> Tag {
    stack
        .len()
        .checked_sub(back + 1)
        .map_or(Tag::Other, |i| stack[i])
}

/// Sets `slot` from `text` unless it already has a value; counts text that is not a number.
fn set(slot: &mut Option<f64>, text: &str, unreadable: &mut usize) {
    if slot.is_none() {
        let mut v = f64::NAN;
        xml::fill(&mut v, text, unreadable);
        *slot = (!v.is_nan()).then_some(v);
    }
}

impl Sink for Tcx {
    type Tag = Tag;
    const ROOT: &'static str = "TrainingCenterDatabase";

    fn classify(local: &str) -> Tag {
        match local {
            "Trackpoint" => Tag::Trackpoint,
            "Time" => Tag::Time,
            "Position" => Tag::Position,
            "LatitudeDegrees" => Tag::LatitudeDegrees,
            "LongitudeDegrees" => Tag::LongitudeDegrees,
            "AltitudeMeters" => Tag::AltitudeMeters,
            "DistanceMeters" => Tag::DistanceMeters,
            "HeartRateBpm" => Tag::HeartRateBpm,
            "Value" => Tag::Value,
            "Cadence" => Tag::Cadence,
            "TPX" => Tag::Tpx,
            "Speed" => Tag::Speed,
            "RunCadence" => Tag::RunCadence,
            "Watts" => Tag::Watts,
            "Track" => Tag::Track,
            "Lap" => Tag::Lap,
            "Activity" => Tag::Activity,
            "AverageHeartRateBpm" => Tag::AverageHeartRateBpm,
            "MaximumHeartRateBpm" => Tag::MaximumHeartRateBpm,
            "LX" => Tag::Lx,
            "TotalTimeSeconds" => Tag::TotalTimeSeconds,
            "MaximumSpeed" => Tag::MaximumSpeed,
            "Calories" => Tag::Calories,
            "Intensity" => Tag::Intensity,
            "TriggerMethod" => Tag::TriggerMethod,
            "AvgSpeed" => Tag::AvgSpeed,
            "AvgRunCadence" => Tag::AvgRunCadence,
            "MaxRunCadence" => Tag::MaxRunCadence,
            "MaxBikeCadence" => Tag::MaxBikeCadence,
            "AvgWatts" => Tag::AvgWatts,
            "MaxWatts" => Tag::MaxWatts,
            "Id" => Tag::Id,
            "Creator" => Tag::Creator,
            "Author" => Tag::Author,
            "Name" => Tag::Name,
            "Version" => Tag::Version,
            "VersionMajor" => Tag::VersionMajor,
            "VersionMinor" => Tag::VersionMinor,
            "UnitId" => Tag::UnitId,
            "ProductID" => Tag::ProductId,
            "Courses" => Tag::Courses,
            _ => Tag::Other,
        }
    }

    fn open(&mut self, stack: &[Tag], element: &BytesStart<'_>) {
        let depth = stack.len();
        let in_activity = self.activity_depth > 0;
        match up(stack, 0) {
            Tag::Activity if !in_activity => self.start_activity(element, depth),
            Tag::Lap if in_activity && self.point_depth == 0 => self.start_lap(element),
            Tag::Track if in_activity && self.point_depth == 0 => self.new_track = true,
            Tag::Trackpoint if in_activity && self.point_depth == 0 => {
                self.point = Point::EMPTY;
                self.point_run_cadence = false;
                self.point_depth = depth;
            }
            Tag::Creator if in_activity && !self.creator_done && self.creator_depth == 0 => {
                self.creator_depth = depth;
            }
            Tag::Name => {
                let field = match up(stack, 1) {
                    Tag::Creator if self.creator_depth == depth - 1 => Field::CreatorName,
                    Tag::Author if self.author.is_none() => Field::AuthorName,
                    _ => return,
                };
                self.capture = Some((field, depth));
                self.buffer.clear();
            }
            Tag::Courses => self.courses = true,
            _ => {}
        }
    }

    fn close(&mut self, stack: &[Tag]) {
        let depth = stack.len();
        if depth == self.point_depth {
            self.end_point();
            return;
        }
        if let Some((field, at)) = self.capture
            && at == depth
        {
            self.capture = None;
            let value = self.buffer.trim();
            if !value.is_empty() {
                let value = Some(value.to_string());
                match field {
                    Field::CreatorName => self.device.product_name = value,
                    Field::AuthorName => self.author = value,
                }
            }
            return;
        }
        match up(stack, 0) {
            Tag::Activity if depth == self.activity_depth => self.end_activity(),
            Tag::Lap if self.activity_depth > 0 && self.point_depth == 0 => self.end_lap(),
            Tag::Track if self.activity_depth > 0 && self.point_depth == 0 => {
                self.end_track();
                self.new_track = true;
            }
            Tag::Creator if depth == self.creator_depth => {
                self.creator_depth = 0;
                self.creator_done = true;
            }
            _ => {}
        }
    }

    fn text(&mut self, stack: &[Tag], text: &str) {
        if let Some((_, at)) = self.capture {
            if at == stack.len() {
                self.buffer.push_str(text);
            }
            return;
        }
        let bad = &mut self.unreadable;
        let (tag, parent) = (up(stack, 0), up(stack, 1));
        if self.point_depth > 0 {
            let p = &mut self.point;
            match (tag, parent) {
                (Tag::Time, Tag::Trackpoint) if p.time.is_nan() => {
                    match time::parse_rfc3339(text) {
                        Some(t) => p.time = t,
                        None => *bad += usize::from(!xml::is_blank(text)),
                    }
                }
                (Tag::LatitudeDegrees, Tag::Position) => xml::fill(&mut p.latitude, text, bad),
                (Tag::LongitudeDegrees, Tag::Position) => xml::fill(&mut p.longitude, text, bad),
                (Tag::AltitudeMeters, Tag::Trackpoint) => xml::fill(&mut p.altitude, text, bad),
                (Tag::DistanceMeters, Tag::Trackpoint) => xml::fill(&mut p.distance, text, bad),
                (Tag::Value, Tag::HeartRateBpm) => xml::fill(&mut p.heart_rate, text, bad),
                (Tag::Cadence, Tag::Trackpoint) => xml::fill(&mut p.cadence, text, bad),
                (Tag::RunCadence, Tag::Tpx) if p.cadence.is_nan() => {
                    xml::fill(&mut p.cadence, text, bad);
                    self.point_run_cadence = !p.cadence.is_nan();
                }
                (Tag::Speed, Tag::Tpx) => xml::fill(&mut p.speed, text, bad),
                (Tag::Watts, Tag::Tpx) => xml::fill(&mut p.power, text, bad),
                _ => {}
            }
            return;
        }
        if let Some(open) = self.lap.as_mut() {
            let s = &mut open.lap.summary;
            match (tag, parent) {
                (Tag::TotalTimeSeconds, Tag::Lap) => set(&mut s.total_timer_time, text, bad),
                (Tag::DistanceMeters, Tag::Lap) => set(&mut s.total_distance, text, bad),
                (Tag::MaximumSpeed, Tag::Lap) => set(&mut s.max_speed, text, bad),
                (Tag::Calories, Tag::Lap) => set(&mut s.total_calories, text, bad),
                (Tag::Cadence, Tag::Lap) => set(&mut s.avg_cadence, text, bad),
                (Tag::Value, Tag::AverageHeartRateBpm) if up(stack, 2) == Tag::Lap => {
                    set(&mut s.avg_heart_rate, text, bad);
                }
                (Tag::Value, Tag::MaximumHeartRateBpm) if up(stack, 2) == Tag::Lap => {
                    set(&mut s.max_heart_rate, text, bad);
                }
                (Tag::Intensity, Tag::Lap) => {
                    open.lap.intensity = match text.trim_ascii() {
                        "Active" => Some(0),
                        "Resting" => Some(1),
                        _ => open.lap.intensity,
                    };
                }
                (Tag::TriggerMethod, Tag::Lap) => {
                    // FIT lap_trigger; TCX's HeartRate trigger has no FIT counterpart.
                    open.lap.trigger = match text.trim_ascii() {
                        "Manual" => Some(0),
                        "Time" => Some(1),
                        "Distance" => Some(2),
                        "Location" => Some(3),
                        _ => open.lap.trigger,
                    };
                }
                (Tag::AvgSpeed, Tag::Lx) => set(&mut s.avg_speed, text, bad),
                (Tag::AvgRunCadence, Tag::Lx) if s.avg_cadence.is_none() => {
                    set(&mut s.avg_cadence, text, bad);
                    open.avg_is_run = s.avg_cadence.is_some();
                }
                (Tag::MaxRunCadence, Tag::Lx) if s.max_cadence.is_none() => {
                    set(&mut s.max_cadence, text, bad);
                    open.max_is_run = s.max_cadence.is_some();
                }
                (Tag::MaxBikeCadence, Tag::Lx) => set(&mut s.max_cadence, text, bad),
                (Tag::AvgWatts, Tag::Lx) => set(&mut s.avg_power, text, bad),
                (Tag::MaxWatts, Tag::Lx) => set(&mut s.max_power, text, bad),
                _ => {}
            }
            return;
        }
        if self.creator_depth > 0 {
            let d = &mut self.device;
            let integer = |text: &str| text.trim_ascii().parse::<u64>().ok();
            match (tag, parent) {
                (Tag::UnitId, Tag::Creator) => {
                    d.serial_number = integer(text).and_then(|n| u32::try_from(n).ok());
                }
                (Tag::ProductId, Tag::Creator) => {
                    d.product = integer(text).and_then(|n| u16::try_from(n).ok());
                }
                (Tag::VersionMajor, Tag::Version) => set(&mut self.version.0, text, bad),
                (Tag::VersionMinor, Tag::Version) => set(&mut self.version.1, text, bad),
                _ => {}
            }
            return;
        }
        if let (Tag::Id, Tag::Activity, Some(session)) = (tag, parent, self.session.as_mut()) {
            session.id_time = session.id_time.or_else(|| time::parse_rfc3339(text));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tcx(activities: &str) -> Vec<u8> {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
  xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<Activities>{activities}</Activities>
<Author xsi:type="Application_t"><Name>Garmin Connect API</Name></Author>
</TrainingCenterDatabase>"#
        )
        .into_bytes()
    }

    fn point(time: &str, distance: f64, hr: u32, extension: &str) -> String {
        format!(
            "<Trackpoint><Time>{time}</Time><Position><LatitudeDegrees>45.0</LatitudeDegrees>\
             <LongitudeDegrees>7.0</LongitudeDegrees></Position>\
             <AltitudeMeters>250.5</AltitudeMeters><DistanceMeters>{distance}</DistanceMeters>\
             <HeartRateBpm><Value>{hr}</Value></HeartRateBpm>\
             <Extensions>{extension}</Extensions></Trackpoint>"
        )
    }

    fn column(c: &Option<Vec<f32>>) -> Vec<f32> {
        c.clone().expect("column present")
    }

    #[test]
    fn garmin_connect_run_with_laps() {
        let tpx = |speed: f64, cadence: u32| {
            format!(
                "<ns3:TPX><ns3:Speed>{speed}</ns3:Speed><ns3:RunCadence>{cadence}</ns3:RunCadence>\
                 <ns3:Watts>300</ns3:Watts></ns3:TPX>"
            )
        };
        let body = format!(
            r#"<Activity Sport="Running"><Id>2019-06-15T09:42:00.000Z</Id>
            <Lap StartTime="2019-06-15T09:42:23.000Z">
              <TotalTimeSeconds>100.0</TotalTimeSeconds><DistanceMeters>300.0</DistanceMeters>
              <MaximumSpeed>4.32</MaximumSpeed><Calories>20</Calories>
              <AverageHeartRateBpm><Value>130</Value></AverageHeartRateBpm>
              <MaximumHeartRateBpm><Value>150</Value></MaximumHeartRateBpm>
              <Intensity>Active</Intensity><TriggerMethod>Manual</TriggerMethod>
              <Track>{}{}</Track>
              <Extensions><ns3:LX><ns3:AvgSpeed>3.0</ns3:AvgSpeed>
                <ns3:AvgRunCadence>80</ns3:AvgRunCadence><ns3:MaxRunCadence>97</ns3:MaxRunCadence>
              </ns3:LX></Extensions>
            </Lap>
            <Lap StartTime="2019-06-15T09:44:03.000Z">
              <TotalTimeSeconds>300.0</TotalTimeSeconds><DistanceMeters>900.0</DistanceMeters>
              <Calories>60</Calories>
              <AverageHeartRateBpm><Value>150</Value></AverageHeartRateBpm>
              <MaximumHeartRateBpm><Value>170</Value></MaximumHeartRateBpm>
              <Intensity>Resting</Intensity><TriggerMethod>Distance</TriggerMethod>
              <Track>{}</Track>
            </Lap>
            <Creator xsi:type="Device_t"><Name>Forerunner 945</Name><UnitId>3996264072</UnitId>
              <ProductID>3113</ProductID><Version><VersionMajor>4</VersionMajor>
              <VersionMinor>6</VersionMinor><BuildMajor>0</BuildMajor></Version></Creator>
            </Activity>"#,
            point("2019-06-15T09:42:23.000Z", 1.19, 71, &tpx(1.446, 49)),
            point("2019-06-15T09:44:02.000Z", 300.0, 140, &tpx(3.5, 85)),
            point("2019-06-15T09:49:03.000Z", 1200.0, 160, ""),
        );
        let a = decode(&tcx(&body)).unwrap();
        assert_eq!(a.format, FileFormat::Tcx);
        assert_eq!(a.sport, Sport::Running);
        // 2019-06-15T09:42:23Z.
        assert_eq!(a.start_time, Some(1_560_591_743.0));
        let r = &a.records;
        assert_eq!(r.len(), 3);
        assert_eq!(r.distance.as_deref(), Some(&[1.19, 300.0, 1200.0][..]));
        assert_eq!(column(&r.heart_rate), [71.0, 140.0, 160.0]);
        assert_eq!(column(&r.altitude), [250.5; 3]);
        assert_eq!(column(&r.cadence)[..2], [98.0, 170.0]);
        assert!(column(&r.cadence)[2].is_nan());
        assert_eq!(column(&r.speed)[1], 3.5);
        assert_eq!(column(&r.power)[0], 300.0);
        assert_eq!(a.laps.len(), 2);
        let (l1, l2) = (&a.laps[0], &a.laps[1]);
        assert_eq!((l1.intensity, l1.trigger), (Some(0), Some(0)));
        assert_eq!((l2.intensity, l2.trigger), (Some(1), Some(2)));
        let s1 = &l1.summary;
        assert_eq!(s1.total_timer_time, Some(100.0));
        assert_eq!(s1.total_distance, Some(300.0));
        assert_eq!(s1.max_speed, Some(4.32));
        assert_eq!(s1.avg_speed, Some(3.0));
        assert_eq!(
            (s1.avg_heart_rate, s1.max_heart_rate),
            (Some(130.0), Some(150.0))
        );
        assert_eq!((s1.avg_cadence, s1.max_cadence), (Some(160.0), Some(194.0)));
        assert_eq!(s1.end_time, Some(1_560_591_842.0), "the lap's last point");
        assert_eq!(s1.total_elapsed_time, Some(99.0));
        assert_eq!(l2.summary.avg_speed, Some(3.0), "distance over timer time");
        assert_eq!(a.sessions.len(), 1);
        let s = &a.sessions[0];
        assert_eq!((s.first_lap_index, s.num_laps), (Some(0), Some(2)));
        let s = &s.summary;
        assert_eq!(s.sport, Some(Sport::Running));
        assert_eq!(s.start_time, Some(1_560_591_743.0));
        assert_eq!(s.total_timer_time, Some(400.0));
        assert_eq!(s.total_distance, Some(1200.0));
        assert_eq!(s.total_calories, Some(80.0));
        assert_eq!(
            s.avg_heart_rate,
            Some(145.0),
            "time-weighted: (130·100 + 150·300) / 400"
        );
        assert_eq!(s.max_heart_rate, Some(170.0));
        assert_eq!(s.avg_speed, Some(3.0));
        assert_eq!(s.max_speed, Some(4.32));
        assert_eq!(s.total_elapsed_time, Some(400.0));
        let d = &a.device;
        assert_eq!(d.product_name.as_deref(), Some("Forerunner 945"));
        assert_eq!(
            (d.product, d.serial_number),
            (Some(3113), Some(3_996_264_072))
        );
        assert_eq!(d.software_version, Some(4.06));
        let id = a.file_id.as_ref().unwrap();
        assert_eq!(id.product_name.as_deref(), Some("Garmin Connect API"));
        // Two tracks: two start/stop pairs.
        assert_eq!(a.events.len(), 4);
        assert!(a.events[2].is_timer_start());
        assert_eq!(a.events[1].time, Some(1_560_591_842.0));
        assert!(a.warnings.is_empty(), "{:?}", a.warnings);
    }

    #[test]
    fn polar_dialect_cadence_and_unprefixed_tpx() {
        // Polar: running cadence (strides) in <Cadence>, no extensions; Movescount: an
        // unprefixed TPX with its own default namespace.
        let body = r#"<Activity Sport="Running"><Id>2018-01-21T10:10:58.000Z</Id>
            <Lap StartTime="2018-01-21T10:10:59.000Z"><TotalTimeSeconds>2656.0</TotalTimeSeconds>
            <Cadence>71</Cadence><Track>
              <Trackpoint><Time>2018-01-21T10:10:59.000Z</Time><Cadence>80</Cadence>
                <SensorState>Present</SensorState></Trackpoint>
              <Trackpoint><Time>2018-01-21T10:11:00.000Z</Time><Extensions>
                <TPX xmlns="http://www.garmin.com/xmlschemas/ActivityExtension/v2">
                <Speed>2.5</Speed><RunCadence>91</RunCadence></TPX></Extensions></Trackpoint>
            </Track></Lap></Activity>"#;
        let a = decode(&tcx(body)).unwrap();
        assert_eq!(column(&a.records.cadence), [160.0, 182.0]);
        assert_eq!(column(&a.records.speed)[1], 2.5);
        assert_eq!(a.laps[0].summary.avg_cadence, Some(142.0));
        assert!(a.records.latitude.is_none() && a.records.distance.is_none());
        assert_eq!(a.device, DeviceInfo::default());
    }

    #[test]
    fn biking_cadence_stays_rpm() {
        let body = r#"<Activity Sport="Biking"><Id>2008-12-28T08:13:27Z</Id>
            <Lap StartTime="2008-12-28T08:13:27Z"><Cadence>85</Cadence><Track>
              <Trackpoint><Time>2008-12-28T08:13:27Z</Time><Cadence>90</Cadence></Trackpoint>
            </Track><Extensions><LX xmlns="x"><MaxBikeCadence>120</MaxBikeCadence></LX>
            </Extensions></Lap></Activity>"#;
        let a = decode(&tcx(body)).unwrap();
        assert_eq!(a.sport, Sport::Cycling);
        assert_eq!(column(&a.records.cadence), [90.0]);
        let s = &a.laps[0].summary;
        assert_eq!((s.avg_cadence, s.max_cadence), (Some(85.0), Some(120.0)));
    }

    #[test]
    fn multisport_sessions_concatenate() {
        let activity = |sport: &str, start: &str, end: &str| {
            format!(
                r#"<Activity Sport="{sport}"><Id>{start}</Id><Lap StartTime="{start}">
                <TotalTimeSeconds>60</TotalTimeSeconds><DistanceMeters>100</DistanceMeters>
                <Track><Trackpoint><Time>{start}</Time><DistanceMeters>0</DistanceMeters>
                </Trackpoint><Trackpoint><Time>{end}</Time><DistanceMeters>100</DistanceMeters>
                </Trackpoint></Track></Lap></Activity>"#
            )
        };
        let body = format!(
            "<MultiSportSession><Id>2011-11-29T12:12:00Z</Id><FirstSport>{}</FirstSport>\
             <NextSport>{}</NextSport></MultiSportSession>",
            activity("Biking", "2011-11-29T12:12:00Z", "2011-11-29T12:13:00Z"),
            activity("Running", "2011-11-29T12:14:00Z", "2011-11-29T12:15:00Z"),
        );
        let a = decode(&tcx(&body)).unwrap();
        assert_eq!(a.sport, Sport::Multisport);
        assert_eq!(a.records.len(), 4);
        // Each activity counts from 0 in the file; the records count from the file's start.
        assert_eq!(
            a.records.distance.as_deref(),
            Some(&[0.0, 100.0, 100.0, 200.0][..])
        );
        assert_eq!(a.sessions.len(), 2);
        assert_eq!(a.sessions[1].summary.total_distance, Some(100.0));
        assert_eq!(a.sessions[1].first_lap_index, Some(1));
        assert_eq!(a.sessions[1].summary.sport, Some(Sport::Running));
        assert_eq!(a.laps[1].summary.sport, Some(Sport::Running));
        assert_eq!(a.sport_at(a.records.time[3]), Sport::Running);
        assert_eq!(a.sport_at(a.records.time[0]), Sport::Cycling);
    }

    #[test]
    fn positions_without_distance_are_measured() {
        let body = r#"<Activity Sport="Running"><Track>
            <Trackpoint><Position><LatitudeDegrees>0</LatitudeDegrees>
              <LongitudeDegrees>0</LongitudeDegrees></Position></Trackpoint>
            <Trackpoint><Position><LatitudeDegrees>0</LatitudeDegrees>
              <LongitudeDegrees>0.001</LongitudeDegrees></Position></Trackpoint>
            </Track></Activity>"#;
        let a = decode(&tcx(body)).unwrap();
        let d = a.records.distance.as_deref().unwrap();
        assert_eq!((d[0], (d[1] * 100.0).round()), (0.0, 11132.0));
        assert!(a.records.time.iter().all(|t| t.is_nan()), "no times: NaN");
        assert_eq!(a.start_time, None);
        assert!(a.laps.is_empty());
        assert_eq!(a.sessions.len(), 1);
    }

    #[test]
    fn courses_are_not_activities() {
        let doc = br#"<TrainingCenterDatabase><Courses><Course><Name>Loop</Name><Track>
            <Trackpoint><Time>2020-01-01T00:00:00Z</Time></Trackpoint></Track></Course></Courses>
            </TrainingCenterDatabase>"#;
        let a = decode(doc).unwrap();
        assert!(a.records.is_empty() && a.sessions.is_empty());
        assert!(a.warnings[0].contains("courses"), "{:?}", a.warnings);
    }

    #[test]
    fn damage_keeps_points_laps_and_sessions() {
        let body = format!(
            r#"<Activity Sport="Running"><Lap StartTime="2019-06-15T09:42:23Z">
            <TotalTimeSeconds>100</TotalTimeSeconds><Track>{}{}<Trackpoint><Time>"#,
            point("2019-06-15T09:42:23Z", 1.0, 70, ""),
            point("2019-06-15T09:42:24Z", 2.0, 71, ""),
        );
        let doc = tcx(&body);
        let cut = std::str::from_utf8(&doc).unwrap().rfind("<Time>").unwrap() + 6;
        let a = decode(&doc[..cut]).unwrap();
        assert_eq!(a.records.len(), 2);
        assert_eq!(a.laps.len(), 1);
        assert_eq!(a.laps[0].summary.total_timer_time, Some(100.0));
        assert_eq!(a.sessions.len(), 1);
        assert_eq!(a.warnings.len(), 1);
        // The whole document is malformed (the trackpoint never closes) too.
        let a = decode(&doc).unwrap();
        assert_eq!(a.records.len(), 2);
        assert!(a.warnings[0].contains("malformed XML"), "{:?}", a.warnings);
    }

    #[test]
    fn nothing_usable_is_an_error() {
        assert_eq!(decode(b""), Err(AnalysisError::Empty));
        for doc in [
            &b"<gpx version=\"1.1\"/>"[..],
            b"<TrainingCenterDatabase><Activities><Activity Sport=\"Running\"><Lap>",
            b"<TrainingCenterDatabase><Activities></Activity>",
            b"\x00\x01garbage",
        ] {
            let e = decode(doc).unwrap_err();
            assert!(
                matches!(
                    e,
                    AnalysisError::Xml {
                        format: FileFormat::Tcx,
                        ..
                    }
                ),
                "{e:?}"
            );
        }
        // An empty but complete database is an empty activity.
        let a = decode(b"<TrainingCenterDatabase><Activities/></TrainingCenterDatabase>").unwrap();
        assert!(a.records.is_empty() && a.warnings.is_empty());
    }
}
