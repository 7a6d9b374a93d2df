//! GPX 1.1 and 1.0 (GPS Exchange Format) into the columnar [`Activity`], in one streamed pass.
//!
//! - Track points (`trk/trkseg/trkpt`): `lat`/`lon`, `ele`, `time`, and GPX 1.0's `speed`.
//!   Waypoints and routes are not records and are skipped.
//! - Extensions, matched by local name whatever their prefix (`gpxtpx:`, `ns3:`, none):
//!   Garmin's TrackPointExtension v1/v2 `hr`, `cad`, `atemp`/`wtemp`, `speed`; and the common
//!   `heartrate`, `cadence`, `power`, `PowerInWatts`, `temp`, `Temperature`. When a point
//!   gives one channel twice (Amazfit writes `heartrate` and `ns3:hr`), the first wins.
//! - Distance is not in GPX: the `distance` column is computed from the positions on the WGS84
//!   ellipsoid ([`series::geo::cumulative_distance`](crate::series::geo::cumulative_distance)).
//! - Each `trkseg` (and each `trk`) is a stretch of recording: a new one means the recording
//!   was paused. The distance across a pause is not counted, and every segment gets a FIT-style
//!   timer start event at its first point and a timer stop at its last.
//! - `trk/type` gives [`Activity::sport`] (`running`, Strava's `9`, …; see below), `gpx@creator`
//!   the device's product name, `metadata/time` the file's creation time, and
//!   `metadata/name` (else the first `trk/name`) [`Activity::name`].
//! - Cadence in GPX counts strides (as in FIT) on foot: for sports on foot it is stored in
//!   steps per minute, twice the file's value ([`Records::cadence`](crate::Records::cadence)).
//! - A point without a time is kept, with time `NaN`; one without a usable position is kept
//!   without one.
//! - Broken XML after the first point keeps the points read before it, with a warning; a
//!   point still open at the damage is dropped. With no point read, it is an
//!   [`AnalysisError::Xml`]. A well-formed GPX with no points is an activity with no records.

use quick_xml::events::BytesStart;

use crate::xml::{self, Columns, Point, Sink};
use crate::{Activity, AnalysisError, Event, FileFormat, FileId, time};

/// Bytes of GPX per track point, for reserving columns: Garmin Connect writes about 400,
/// Strava 250, GPS Visualizer 125.
const BYTES_PER_POINT: usize = 256;

/// Decodes a GPX 1.1 or 1.0 file.
///
/// ```
/// let gpx = br#"<?xml version="1.0" encoding="UTF-8"?>
/// <gpx version="1.1" creator="Garmin Connect" xmlns="http://www.topografix.com/GPX/1/1"
///      xmlns:ns3="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">
///   <trk><name>Morning run</name><type>running</type><trkseg>
///     <trkpt lat="45.0" lon="7.0"><ele>250.5</ele><time>2024-06-01T05:00:00Z</time>
///       <extensions><ns3:TrackPointExtension><ns3:hr>140</ns3:hr><ns3:cad>85</ns3:cad>
///       </ns3:TrackPointExtension></extensions></trkpt>
///     <trkpt lat="45.0009" lon="7.0"><time>2024-06-01T05:00:30Z</time></trkpt>
///   </trkseg></trk>
/// </gpx>"#;
/// let run = analysis::gpx::decode(gpx)?;
/// assert_eq!(run.sport, analysis::Sport::Running);
/// assert_eq!(run.name.as_deref(), Some("Morning run"));
/// assert_eq!(run.records.time, [1_717_218_000.0, 1_717_218_030.0]);
/// assert_eq!(run.records.heart_rate.as_deref().unwrap()[0], 140.0);
/// assert_eq!(run.records.cadence.as_deref().unwrap()[0], 170.0); // steps per minute
/// let metres = run.records.distance.as_deref().unwrap()[1];
/// assert_eq!(metres.round(), 100.0); // 0.0009° of latitude
/// # Ok::<(), analysis::AnalysisError>(())
/// ```
pub fn decode(bytes: &[u8]) -> Result<Activity, AnalysisError> {
    let mut gpx = Gpx::new(bytes.len() / BYTES_PER_POINT);
    let warnings = xml::read(bytes, FileFormat::Gpx, &mut gpx, |s| s.columns.len())?;
    Ok(gpx.finish(warnings))
}

/// The GPX elements the decoder tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Gpx,
    Metadata,
    Trk,
    Trkseg,
    Trkpt,
    Name,
    Time,
    Type,
    Ele,
    Speed,
    HeartRate,
    Cadence,
    Power,
    Temperature,
    Other,
}

/// A string being collected from text events (names may hold entities, CDATA, several pieces).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    MetadataName,
    TrackName,
    TrackType,
}

/// The decoder's state through the events.
struct Gpx {
    columns: Columns,
    /// The point being read, while `point_depth > 0`.
    point: Point,
    /// Depth of the open `trkpt` element, 0 outside points.
    point_depth: usize,
    /// Whether the next point starts a new segment.
    new_segment: bool,
    /// Whether a segment has points and no stop event yet.
    segment_open: bool,
    /// The last point's time in the open segment.
    segment_last_time: f64,
    /// Rows that start a segment after the first.
    breaks: Vec<usize>,
    events: Vec<Event>,
    /// The string being collected, and the depth of its element.
    capture: Option<(Field, usize)>,
    buffer: String,
    metadata_name: Option<String>,
    track_name: Option<String>,
    track_type: Option<String>,
    creator: Option<String>,
    file_time: Option<f64>,
    /// Values that were not numbers (or times).
    unreadable: usize,
}

impl Gpx {
    fn new(expected_points: usize) -> Self {
        Self {
            columns: Columns::with_capacity(expected_points),
            point: Point::EMPTY,
            point_depth: 0,
            new_segment: true,
            segment_open: false,
            segment_last_time: f64::NAN,
            breaks: Vec::new(),
            events: Vec::new(),
            capture: None,
            buffer: String::new(),
            metadata_name: None,
            track_name: None,
            track_type: None,
            creator: None,
            file_time: None,
            unreadable: 0,
        }
    }

    fn start_point(&mut self, element: &BytesStart<'_>, depth: usize) {
        self.point = Point::EMPTY;
        self.point_depth = depth;
        let mut attributes = element.attributes();
        attributes.with_checks(false);
        for a in attributes.flatten() {
            let slot = match a.key.local_name().into_inner() {
                "lat" => &mut self.point.latitude,
                "lon" => &mut self.point.longitude,
                _ => continue,
            };
            xml::fill(slot, &a.value, &mut self.unreadable);
        }
    }

    fn end_point(&mut self) {
        self.point_depth = 0;
        let rows = self.columns.len();
        if self.new_segment {
            self.new_segment = false;
            self.end_segment();
            if rows > 0 {
                self.breaks.push(rows);
            }
            self.events.push(timer_event(self.point.time, TIMER_START));
            self.segment_open = true;
        }
        self.segment_last_time = self.point.time;
        self.columns.push(&self.point);
    }

    fn end_segment(&mut self) {
        if self.segment_open {
            self.segment_open = false;
            self.events
                .push(timer_event(self.segment_last_time, TIMER_STOP_ALL));
        }
    }

    fn finish(mut self, mut warnings: Vec<String>) -> Activity {
        self.end_segment();
        let mut a = Activity::new(FileFormat::Gpx);
        if let Some((sport, sub_sport)) = self.track_type.as_deref().and_then(xml::sport_from_name)
        {
            a.sport = sport;
            a.sub_sport = sub_sport;
        }
        let mut records = self.columns.records;
        if a.sport.is_on_foot()
            && let Some(cadence) = records.cadence.as_mut()
        {
            cadence.iter_mut().for_each(|c| *c *= 2.0);
        }
        if let (Some(lat), Some(lon)) = (&records.latitude, &records.longitude) {
            records.distance = Some(crate::series::geo::cumulative_distance(
                lat,
                lon,
                &self.breaks,
            ));
        }
        a.start_time = records.time.iter().copied().find(|t| t.is_finite());
        a.records = records;
        a.events = self.events;
        a.name = self.metadata_name.or(self.track_name);
        a.device.product_name = self.creator.clone();
        if self.creator.is_some() || self.file_time.is_some() {
            a.file_id = Some(FileId {
                time_created: self.file_time,
                product_name: self.creator,
                ..FileId::default()
            });
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

impl Sink for Gpx {
    type Tag = Tag;
    const ROOT: &'static str = "gpx";

    fn classify(local: &str) -> Tag {
        match local {
            "trkpt" => Tag::Trkpt,
            "ele" => Tag::Ele,
            "time" => Tag::Time,
            "trkseg" => Tag::Trkseg,
            "trk" => Tag::Trk,
            "name" => Tag::Name,
            "type" => Tag::Type,
            "metadata" => Tag::Metadata,
            "gpx" => Tag::Gpx,
            "extensions" | "TrackPointExtension" => Tag::Other,
            _ => {
                let is = |names: &[&str]| names.iter().any(|n| local.eq_ignore_ascii_case(n));
                if is(&["hr", "heartrate", "heart_rate"]) {
                    Tag::HeartRate
                } else if is(&["cad", "cadence"]) {
                    Tag::Cadence
                } else if is(&["power", "watts", "PowerInWatts"]) {
                    Tag::Power
                } else if is(&["atemp", "wtemp", "temp", "temperature"]) {
                    Tag::Temperature
                } else if is(&["speed"]) {
                    Tag::Speed
                } else {
                    Tag::Other
                }
            }
        }
    }

    fn open(&mut self, stack: &[Tag], element: &BytesStart<'_>) {
        let depth = stack.len();
        match up(stack, 0) {
            Tag::Trkpt if self.point_depth == 0 => self.start_point(element, depth),
            Tag::Trk | Tag::Trkseg if self.point_depth == 0 => self.new_segment = true,
            Tag::Gpx if depth == 1 => {
                self.creator = xml::attribute(element, "creator")
                    .map(|c| c.trim().to_string())
                    .filter(|c| !c.is_empty());
            }
            Tag::Name | Tag::Type if self.point_depth == 0 => {
                let field = match (up(stack, 0), up(stack, 1)) {
                    (Tag::Name, Tag::Metadata | Tag::Gpx) => Field::MetadataName,
                    (Tag::Name, Tag::Trk) => Field::TrackName,
                    (Tag::Type, Tag::Trk) => Field::TrackType,
                    _ => return,
                };
                self.capture = Some((field, depth));
                self.buffer.clear();
            }
            _ => {}
        }
    }

    fn close(&mut self, stack: &[Tag]) {
        let depth = stack.len();
        if depth == self.point_depth {
            self.end_point();
            return;
        }
        match up(stack, 0) {
            Tag::Trk | Tag::Trkseg if self.point_depth == 0 => {
                self.end_segment();
                self.new_segment = true;
            }
            _ => {}
        }
        if let Some((field, at)) = self.capture
            && at == depth
        {
            self.capture = None;
            let value = self.buffer.trim();
            if value.is_empty() {
                return;
            }
            let slot = match field {
                Field::MetadataName => &mut self.metadata_name,
                Field::TrackName => &mut self.track_name,
                Field::TrackType => &mut self.track_type,
            };
            slot.get_or_insert_with(|| value.to_string());
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
        if self.point_depth == 0 {
            if let (Tag::Time, Tag::Metadata | Tag::Gpx) = (up(stack, 0), up(stack, 1)) {
                self.file_time = self.file_time.or_else(|| time_or_count(text, bad));
            }
            return;
        }
        let p = &mut self.point;
        let direct = up(stack, 1) == Tag::Trkpt;
        match up(stack, 0) {
            Tag::Time if direct && p.time.is_nan() => {
                p.time = time_or_count(text, bad).unwrap_or(f64::NAN);
            }
            Tag::Ele if direct => xml::fill(&mut p.altitude, text, bad),
            Tag::Speed => xml::fill(&mut p.speed, text, bad),
            Tag::HeartRate => xml::fill(&mut p.heart_rate, text, bad),
            Tag::Cadence => xml::fill(&mut p.cadence, text, bad),
            Tag::Power => xml::fill(&mut p.power, text, bad),
            Tag::Temperature => xml::fill(&mut p.temperature, text, bad),
            _ => {}
        }
    }
}

/// The time in `text`; counts it in `unreadable` when it is not empty and not a time.
fn time_or_count(text: &str, unreadable: &mut usize) -> Option<f64> {
    let t = time::parse_rfc3339(text);
    if t.is_none() && !xml::is_blank(text) {
        *unreadable += 1;
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Sport;

    const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;

    fn gpx(body: &str) -> Vec<u8> {
        format!(
            r#"{HEAD}<gpx version="1.1" creator="Test" xmlns="http://www.topografix.com/GPX/1/1"
            xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v2">{body}</gpx>"#
        )
        .into_bytes()
    }

    fn column(c: &Option<Vec<f32>>) -> Vec<f32> {
        c.clone().expect("column present")
    }

    #[test]
    fn garmin_track_point_extension_v2() {
        let a = decode(&gpx(r#"
            <metadata><name>Sunday &amp; long</name><time>2024-06-01T04:59:00Z</time></metadata>
            <trk><name>ignored: metadata has a name</name><type>trail_running</type><trkseg>
              <trkpt lat="45.1" lon="7.2"><ele>1001.5</ele><time>2024-06-01T05:00:00.5Z</time>
                <extensions><gpxtpx:TrackPointExtension>
                  <gpxtpx:atemp>21.5</gpxtpx:atemp><gpxtpx:wtemp>15</gpxtpx:wtemp>
                  <gpxtpx:hr>141</gpxtpx:hr><gpxtpx:cad>88</gpxtpx:cad>
                  <gpxtpx:speed>3.2</gpxtpx:speed>
                </gpxtpx:TrackPointExtension><power>250</power></extensions>
              </trkpt>
              <trkpt lat="45.1" lon="7.2001"><time>2024-06-01T05:00:01.5Z</time></trkpt>
            </trkseg></trk>"#))
        .unwrap();
        assert_eq!(a.format, FileFormat::Gpx);
        assert_eq!((a.sport, a.sub_sport), (Sport::Running, Some(3)));
        assert_eq!(a.name.as_deref(), Some("Sunday & long"));
        assert_eq!(a.device.product_name.as_deref(), Some("Test"));
        let id = a.file_id.as_ref().unwrap();
        assert_eq!(id.time_created, Some(1_717_217_940.0));
        assert_eq!(a.start_time, Some(1_717_218_000.5));
        let r = &a.records;
        assert_eq!(r.time, [1_717_218_000.5, 1_717_218_001.5]);
        assert_eq!(r.latitude.as_deref(), Some(&[45.1, 45.1][..]));
        assert_eq!(column(&r.altitude)[0], 1001.5);
        assert!(column(&r.altitude)[1].is_nan());
        assert_eq!(column(&r.heart_rate)[0], 141.0);
        assert_eq!(column(&r.cadence)[0], 176.0, "strides doubled to steps");
        assert_eq!(column(&r.temperature)[0], 21.5, "atemp before wtemp");
        assert_eq!(column(&r.speed)[0], 3.2);
        assert_eq!(column(&r.power)[0], 250.0);
        // 0.0001° of longitude at 45.1°N: 7.871 m (GeographicLib 2.0: 7.87096 m).
        let d = r.distance.as_deref().unwrap();
        assert_eq!((d[0], (d[1] * 1000.0).round()), (0.0, 7871.0));
        assert!(r.vertical_oscillation.is_none() && r.step_length.is_none());
        assert!(a.warnings.is_empty(), "{:?}", a.warnings);
        assert_eq!(a.events.len(), 2);
        assert!(a.events[0].is_timer_start() && a.events[1].is_timer_stop());
        assert_eq!(a.events[1].time, Some(1_717_218_001.5));
    }

    #[test]
    fn strava_amazfit_and_unprefixed_dialects() {
        // Strava's numeric type, mapstogpx's unprefixed cadence next to gpxdata's, Amazfit's
        // `heartrate` before `ns3:hr`, and a CDATA name.
        let a = decode(&gpx(r#"
            <trk><name><![CDATA[Run <3]]></name><type>9</type><trkseg>
              <trkpt lat="-33.5" lon="-70.6"><time>2020-12-25T20:40:26Z</time><extensions>
                <gpxdata:cadence xmlns:gpxdata="x">80</gpxdata:cadence><cadence>81</cadence>
                <heartrate>99</heartrate><ns3:TrackPointExtension xmlns:ns3="y">
                <ns3:hr>100</ns3:hr></ns3:TrackPointExtension>
                <gpxx:Temperature xmlns:gpxx="z">22</gpxx:Temperature></extensions></trkpt>
            </trkseg></trk>"#))
        .unwrap();
        assert_eq!(a.sport, Sport::Running);
        assert_eq!(a.name.as_deref(), Some("Run <3"));
        let r = &a.records;
        assert_eq!(column(&r.cadence), [160.0]);
        assert_eq!(column(&r.heart_rate), [99.0]);
        assert_eq!(column(&r.temperature), [22.0]);
        assert_eq!(r.latitude.as_deref(), Some(&[-33.5][..]));
    }

    #[test]
    fn gpx_1_0_with_waypoints_speed_and_no_type() {
        let doc = br#"<?xml version="1.0"?>
            <gpx version="1.0" creator="GPS Visualizer" xmlns="http://www.topografix.com/GPX/1/0">
            <name>Ride</name><time>2010-03-21T21:55:01Z</time>
            <wpt lat="43.68" lon="-116.30"><time>2010-03-21T21:55:01Z</time><name>Start</name></wpt>
            <trk><trkseg>
              <trkpt lat="43.688452" lon="-116.303153"><ele>800</ele>
                <time>2010-03-21T21:55:01Z</time><speed>7.5</speed><cad>90</cad></trkpt>
            </trkseg></trk></gpx>"#;
        let a = decode(doc).unwrap();
        assert_eq!(a.sport, Sport::Generic);
        assert_eq!(a.name.as_deref(), Some("Ride"));
        assert_eq!(a.records.len(), 1, "waypoints are not records");
        assert_eq!(column(&a.records.speed), [7.5]);
        assert_eq!(
            column(&a.records.cadence),
            [90.0],
            "not on foot: rpm as given"
        );
        assert_eq!(a.file_id.unwrap().time_created, Some(1_269_208_501.0));
    }

    #[test]
    fn segments_are_pauses() {
        let a = decode(&gpx(r#"<trk><type>running</type>
            <trkseg></trkseg>
            <trkseg>
              <trkpt lat="0" lon="0"><time>2024-01-01T00:00:00Z</time></trkpt>
              <trkpt lat="0" lon="0.001"><time>2024-01-01T00:00:10Z</time></trkpt>
            </trkseg>
            <trkseg>
              <trkpt lat="0" lon="0.01"><time>2024-01-01T00:05:00Z</time></trkpt>
              <trkpt lat="0" lon="0.011"><time>2024-01-01T00:05:10Z</time></trkpt>
            </trkseg></trk>
            <trk><trkseg>
              <trkpt lat="0" lon="0.02"><time>2024-01-01T00:10:00Z</time></trkpt>
            </trkseg></trk>"#))
        .unwrap();
        let d = a.records.distance.as_deref().unwrap();
        // 0.001° of longitude on the equator is 111.32 m; the jumps across pauses count nothing.
        let rounded: Vec<f64> = d.iter().map(|m| (m * 100.0).round() / 100.0).collect();
        assert_eq!(rounded, [0.0, 111.32, 111.32, 222.64, 222.64]);
        let kinds: Vec<_> = a.events.iter().map(|e| e.is_timer_start()).collect();
        assert_eq!(kinds, [true, false, true, false, true, false]);
        assert_eq!(a.events[3].time, Some(1_704_067_510.0));
    }

    #[test]
    fn metadata_only_is_an_empty_activity() {
        let a = decode(&gpx(
            "<metadata><time>2023-07-07T16:10:57Z</time></metadata>",
        ))
        .unwrap();
        assert!(a.records.is_empty() && a.records.latitude.is_none());
        assert_eq!(a.start_time, None);
        assert!(a.warnings.is_empty() && a.events.is_empty());
        assert_eq!(a.file_id.unwrap().time_created, Some(1_688_746_257.0));
        // So is an empty root element.
        assert!(decode(b"<gpx/>").unwrap().records.is_empty());
    }

    #[test]
    fn missing_and_unreadable_values() {
        let a = decode(&gpx(r#"<trk><trkseg>
            <trkpt lat="45" lon="7"><ele>high</ele><time>yesterday</time></trkpt>
            <trkpt lon="7.001"><time>2024-01-01T00:00:00Z</time></trkpt>
            <trkpt lat="45" lon="7.002"/>
            </trkseg></trk>"#))
        .unwrap();
        let r = &a.records;
        assert_eq!(r.len(), 3);
        assert!(r.time[0].is_nan() && r.time[1] == 1_704_067_200.0 && r.time[2].is_nan());
        assert!(r.altitude.is_none());
        let lat = r.latitude.as_deref().unwrap();
        assert!(lat[1].is_nan() && r.longitude.as_deref().unwrap()[1].is_nan());
        // The point without a position keeps the distance so far; the next one is measured
        // from the last known position (GeographicLib 2.0: 157.694 m).
        let d = r.distance.as_deref().unwrap();
        assert_eq!(d[1], 0.0);
        assert_eq!((d[2] * 1000.0).round(), 157_694.0);
        assert_eq!(a.start_time, Some(1_704_067_200.0));
        assert_eq!(a.warnings.len(), 1);
        assert!(a.warnings[0].starts_with("2 values"), "{:?}", a.warnings);
    }

    #[test]
    fn damage_after_points_keeps_them() {
        let doc = gpx(r#"<trk><trkseg>
            <trkpt lat="45" lon="7"><time>2024-01-01T00:00:00Z</time></trkpt>
            <trkpt lat="45" lon="7.001"><time>2024-01-01T00:00:01Z</time></trkpt>
            <trkpt lat="45" lon="7.002"><time>2024-01-01T00:00:02Z</time></ele></trkpt>
            </trkseg></trk>"#);
        let a = decode(&doc).unwrap();
        assert_eq!(a.records.len(), 2, "the damaged point is dropped");
        assert_eq!(a.warnings.len(), 1);
        assert!(a.warnings[0].contains("line 5"), "{}", a.warnings[0]);
        assert!(
            a.warnings[0].contains("kept the 2 track points"),
            "{}",
            a.warnings[0]
        );
        // Cut in the middle of the third point: two kept, with a warning.
        let doc = String::from_utf8(doc)
            .unwrap()
            .replace("</ele>", "")
            .into_bytes();
        let text = std::str::from_utf8(&doc).unwrap();
        let cut = text.find("7.002").unwrap();
        let a = decode(&doc[..cut]).unwrap();
        assert_eq!(a.records.len(), 2);
        assert_eq!(a.warnings.len(), 1, "{:?}", a.warnings);
        // Cut after the last point: truncated, but every point is there.
        let cut = text.find("</trkseg>").unwrap();
        let a = decode(&doc[..cut]).unwrap();
        assert_eq!(a.records.len(), 3);
        assert!(a.warnings[0].contains("still open"), "{:?}", a.warnings);
    }

    #[test]
    fn nothing_usable_is_an_error() {
        assert_eq!(decode(b""), Err(AnalysisError::Empty));
        let cases: [(&[u8], &str); 5] = [
            (b"   ", "no <gpx> element"),
            (
                b"<TrainingCenterDatabase/>",
                "root element is <TrainingCenterDatabase>",
            ),
            (
                b"<gpx><trk><trkseg><trkpt lat=\"1\" lon=\"2\"></trk>",
                "malformed XML",
            ),
            (b"<gpx><metadata><time>", "still open"),
            (b"<?xml version=\"1.0\"?>\n<gpx>\n<trk <", "malformed XML"),
        ];
        for (doc, reason) in cases {
            match decode(doc) {
                Err(AnalysisError::Xml {
                    format: FileFormat::Gpx,
                    reason: r,
                    line,
                    ..
                }) => {
                    assert!(r.contains(reason), "{r:?} should say {reason:?}");
                    assert!(line >= 1);
                }
                other => panic!("{:?}: {other:?}", String::from_utf8_lossy(doc)),
            }
        }
        let e = decode(b"<?xml version=\"1.0\"?>\n<gpx>\n<trk <").unwrap_err();
        let AnalysisError::Xml { line, .. } = e else {
            unreachable!()
        };
        assert_eq!(line, 3);
    }

    #[test]
    fn byte_order_mark_and_leading_whitespace() {
        let mut doc = b"\xEF\xBB\xBF  \n".to_vec();
        doc.extend_from_slice(&gpx(
            r#"<trk><trkseg><trkpt lat="1" lon="2"/></trkseg></trk>"#,
        ));
        assert_eq!(decode(&doc).unwrap().records.len(), 1);
    }
}
