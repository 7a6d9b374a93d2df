//! What the GPX and TCX decoders share: the bytes as text, one pass of quick-xml events with a
//! stack of element kinds, damage reports, numbers and sport names, and the column builder.
//!
//! Elements are matched on their local names (`gpxtpx:hr`, `ns3:hr` and `hr` are all `hr`):
//! exporters bind the same namespaces to different prefixes, or to none.

use std::borrow::Cow;

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use crate::{AnalysisError, FileFormat, Records, Sport};

/// How many leading bytes are searched for the XML declaration's encoding.
const DECLARATION_BYTES: usize = 256;

/// A decoder's view of the events: element kinds on a stack, and callbacks.
pub(crate) trait Sink {
    /// The kinds of element this format tells apart (one byte each).
    type Tag: Copy + Eq;
    /// The local name of the root element.
    const ROOT: &'static str;
    /// The kind of element with this local name.
    fn classify(local: &str) -> Self::Tag;
    /// An element opened; it is the last entry of `stack`.
    fn open(&mut self, stack: &[Self::Tag], element: &BytesStart<'_>);
    /// An element closes; it is still the last entry of `stack`.
    fn close(&mut self, stack: &[Self::Tag]);
    /// Character data directly inside the last element of `stack` (text, CDATA or a resolved
    /// entity; one element's text may come in several pieces).
    fn text(&mut self, stack: &[Self::Tag], text: &str);
}

/// Where and how a document is broken.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Damage {
    /// Byte offset in the file.
    pub offset: usize,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in bytes.
    pub column: usize,
    /// What is wrong.
    pub reason: String,
}

impl Damage {
    fn at(text: &str, skipped: usize, offset: usize, reason: String) -> Self {
        let offset = offset.min(text.len());
        let before = &text.as_bytes()[..offset];
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let column = 1 + before.iter().rev().take_while(|&&b| b != b'\n').count();
        Self {
            offset: offset + skipped,
            line,
            column,
            reason,
        }
    }

    /// The error to return when nothing usable was read.
    pub fn into_error(self, format: FileFormat) -> AnalysisError {
        AnalysisError::Xml {
            format,
            line: self.line,
            column: self.column,
            offset: self.offset,
            reason: self.reason,
        }
    }

    /// The warning to keep when `rows` track points were read before the damage.
    pub fn warning(&self, rows: usize) -> String {
        format!(
            "{} at line {}, column {} (byte {}); kept the {rows} track points read before it",
            self.reason, self.line, self.column, self.offset
        )
    }
}

/// Reads a whole document into `sink`, for `format`'s decoder: damage before any track point
/// (`points` counts them) is an error; later damage keeps the points read before it, with a
/// warning. Returns the warnings.
pub(crate) fn read<S: Sink>(
    bytes: &[u8],
    format: FileFormat,
    sink: &mut S,
    points: impl Fn(&S) -> usize,
) -> Result<Vec<String>, AnalysisError> {
    if bytes.is_empty() {
        return Err(AnalysisError::Empty);
    }
    let mut warnings = Vec::new();
    match drive(bytes, sink, &mut warnings) {
        Err(damage) => return Err(damage.into_error(format)),
        Ok(Some(damage)) if points(sink) == 0 => return Err(damage.into_error(format)),
        Ok(Some(damage)) => warnings.push(damage.warning(points(sink))),
        Ok(None) => {}
    }
    Ok(warnings)
}

/// Reads `bytes` as one XML document into `sink`, in one pass.
///
/// `Err` when the document is not of the sink's format (no root element, or another one);
/// `Ok(Some(damage))` when it breaks (bad syntax, mismatched tags, a truncated end) after its
/// root element opened: everything before the damage has been given to the sink. Encoding
/// problems that decoding survived go to `warnings`.
pub(crate) fn drive<S: Sink>(
    bytes: &[u8],
    sink: &mut S,
    warnings: &mut Vec<String>,
) -> Result<Option<Damage>, Damage> {
    let (text, skipped) = decode_text(bytes, warnings);
    let mut reader = Reader::from_str(&text);
    // Some exporters write a bare `&` in names; it is not worth losing a run over.
    reader.config_mut().allow_dangling_amp = true;
    let mut stack: Vec<S::Tag> = Vec::with_capacity(16);
    let mut root_seen = false;
    let mut entity = [0u8; 4];
    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => {
                let damage = Damage::at(
                    &text,
                    skipped,
                    reader.error_position() as usize,
                    format!("malformed XML: {e}"),
                );
                return if root_seen {
                    Ok(Some(damage))
                } else {
                    Err(damage)
                };
            }
        };
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let local = e.local_name().into_inner();
                if !root_seen {
                    if !local.eq_ignore_ascii_case(S::ROOT) {
                        return Err(Damage::at(
                            &text,
                            skipped,
                            reader.buffer_position() as usize,
                            format!("the root element is <{local}>, not <{}>", S::ROOT),
                        ));
                    }
                    root_seen = true;
                }
                stack.push(S::classify(local));
                sink.open(&stack, e);
                if matches!(event, Event::Empty(_)) {
                    sink.close(&stack);
                    stack.pop();
                    if stack.is_empty() {
                        return Ok(None);
                    }
                }
            }
            Event::End(_) => {
                // quick-xml checks that end tags match, so the stack follows the document.
                sink.close(&stack);
                stack.pop();
                if stack.is_empty() {
                    // Whatever follows the root element is not part of the document.
                    return Ok(None);
                }
            }
            Event::Text(t) if !stack.is_empty() => sink.text(&stack, &t),
            Event::CData(t) if !stack.is_empty() => sink.text(&stack, &t),
            Event::GeneralRef(r) if !stack.is_empty() => {
                if let Some(s) = resolve(&r, &mut entity) {
                    sink.text(&stack, s);
                }
            }
            Event::Eof => {
                if !root_seen {
                    return Err(Damage::at(
                        &text,
                        skipped,
                        text.len(),
                        format!("no <{}> element", S::ROOT),
                    ));
                }
                return Ok(Some(Damage::at(
                    &text,
                    skipped,
                    text.len(),
                    format!(
                        "the file ends with {} elements still open (truncated?)",
                        stack.len()
                    ),
                )));
            }
            _ => {}
        }
    }
}

/// The text of an entity reference: the five XML entities and character references.
fn resolve<'b>(r: &'b BytesRef<'_>, buf: &'b mut [u8; 4]) -> Option<&'b str> {
    if r.is_char_ref() {
        return Some(r.resolve_char_ref().ok()??.encode_utf8(buf));
    }
    Some(match &**r {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => return None,
    })
}

/// The bytes as UTF-8 text without a byte-order mark, and how many bytes the mark took.
///
/// Files that are not UTF-8 are read as Latin-1 when their declaration says ISO-8859-1,
/// Latin-1 or windows-1252 (the numbers are ASCII either way; names keep their accents), else
/// with the bad sequences replaced and a warning.
fn decode_text<'a>(bytes: &'a [u8], warnings: &mut Vec<String>) -> (Cow<'a, str>, usize) {
    let (bytes, skipped) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, 3),
        None => (bytes, 0),
    };
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (Cow::Borrowed(text), skipped);
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(DECLARATION_BYTES)]);
    let head = head.to_ascii_lowercase();
    let latin1 = [
        "iso-8859-1",
        "iso8859-1",
        "latin1",
        "latin-1",
        "windows-1252",
    ]
    .iter()
    .any(|name| {
        head.contains(&format!("encoding=\"{name}\""))
            || head.contains(&format!("encoding='{name}'"))
    });
    if latin1 {
        return (
            Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
            skipped,
        );
    }
    warnings.push(
        "the file is not valid UTF-8; invalid bytes were replaced (names may be garbled)"
            .to_string(),
    );
    (String::from_utf8_lossy(bytes), skipped)
}

/// A number from an element's text; `None` unless it is a finite decimal.
pub(crate) fn number(text: &str) -> Option<f64> {
    text.trim_ascii()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

/// The value of the attribute with local name `name`, unescaped when it has entities.
pub(crate) fn attribute<'a>(element: &'a BytesStart<'_>, name: &str) -> Option<Cow<'a, str>> {
    let mut attributes = element.attributes();
    attributes.with_checks(false);
    attributes
        .flatten()
        .find(|a| a.key.local_name().into_inner().eq_ignore_ascii_case(name))
        .map(|a| match a.normalized_value(XmlVersion::Implicit1_0) {
            Ok(v) => Cow::Owned(v.into_owned()),
            Err(_) => a.value,
        })
}

/// The sport and FIT sub-sport a GPX `trk/type` or TCX `Sport` attribute names.
///
/// Knows the FIT profile's names (`running`, `trail_running`, …, as Garmin Connect writes
/// them), TCX's `Running`, `Biking` and `Other`, Strava's activity names (`Run`, `Ride`, …) and
/// the numeric types of Strava's GPX export (1 ride, 4 hike, 9 run, 10 walk). Case, spaces and
/// hyphens do not matter. `None` for anything else.
pub(crate) fn sport_from_name(name: &str) -> Option<(Sport, Option<u8>)> {
    let key: String = name
        .trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    let sport = |s| Some((s, None));
    let sub = |s, n| Some((s, Some(n)));
    match key.as_str() {
        "9" | "running" | "run" => sport(Sport::Running),
        "treadmill_running" => sub(Sport::Running, 1),
        "street_running" | "road_running" => sub(Sport::Running, 2),
        "trail_running" | "trailrun" => sub(Sport::Running, 3),
        "track_running" => sub(Sport::Running, 4),
        "1" | "cycling" | "biking" | "ride" | "bike" => sport(Sport::Cycling),
        "indoor_cycling" => sub(Sport::Cycling, 6),
        "road_biking" | "road_cycling" => sub(Sport::Cycling, 7),
        "mountain_biking" | "mountainbikeride" => sub(Sport::Cycling, 8),
        "10" | "walking" | "walk" => sport(Sport::Walking),
        "4" | "hiking" | "hike" => sport(Sport::Hiking),
        "swimming" | "swim" => sport(Sport::Swimming),
        "lap_swimming" => sub(Sport::Swimming, 17),
        "open_water_swimming" => sub(Sport::Swimming, 18),
        "rowing" => sport(Sport::Rowing),
        "indoor_rowing" => sub(Sport::Rowing, 14),
        "cross_country_skiing" | "nordicski" | "nordic_ski" => sport(Sport::CrossCountrySkiing),
        "mountaineering" => sport(Sport::Mountaineering),
        "multisport" | "multi_sport" => sport(Sport::Multisport),
        "transition" => sport(Sport::Transition),
        "training" => sport(Sport::Training),
        "fitness_equipment" => sport(Sport::FitnessEquipment),
        "generic" | "other" => sport(Sport::Generic),
        _ => None,
    }
}

/// One track point being read: every channel `NaN` until the file gives it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Point {
    pub time: f64,
    pub latitude: f64,
    pub longitude: f64,
    pub distance: f64,
    pub altitude: f64,
    pub speed: f64,
    pub heart_rate: f64,
    pub cadence: f64,
    pub power: f64,
    pub temperature: f64,
}

impl Point {
    pub const EMPTY: Self = Self {
        time: f64::NAN,
        latitude: f64::NAN,
        longitude: f64::NAN,
        distance: f64::NAN,
        altitude: f64::NAN,
        speed: f64::NAN,
        heart_rate: f64::NAN,
        cadence: f64::NAN,
        power: f64::NAN,
        temperature: f64::NAN,
    };
}

/// Sets `slot` from `text` unless it already has a value (the first of duplicate extension
/// fields wins); counts text that is not a number in `unreadable`. Empty text and the words
/// exporters write for "no value" (`null`, `NaN`, `None`, `undefined`) are just missing.
pub(crate) fn fill(slot: &mut f64, text: &str, unreadable: &mut usize) {
    if slot.is_nan() {
        match number(text) {
            Some(v) => *slot = v,
            None if is_blank(text) => {}
            None => *unreadable += 1,
        }
    }
}

/// Whether `text` says "no value": empty, or `null`, `NaN`, `None`, `undefined`.
pub(crate) fn is_blank(text: &str) -> bool {
    let t = text.trim_ascii();
    t.is_empty()
        || ["null", "nan", "none", "undefined"]
            .iter()
            .any(|w| t.eq_ignore_ascii_case(w))
}

/// The columns of [`Records`], grown one point at a time. A channel gets its column when its
/// first value arrives (earlier rows `NaN`), so channels a file lacks stay `None`.
#[derive(Debug, Default)]
pub(crate) struct Columns {
    pub records: Records,
    /// The capacity a new column starts with: the expected number of points.
    expected: usize,
}

impl Columns {
    /// Columns for about `expected` points.
    pub fn with_capacity(expected: usize) -> Self {
        let mut records = Records::default();
        records.time.reserve_exact(expected);
        Self { records, expected }
    }

    /// The number of points so far.
    pub fn len(&self) -> usize {
        self.records.time.len()
    }

    /// Appends a point. A position outside -90..=90 / -180..=360 degrees, or with only one
    /// coordinate, is missing.
    pub fn push(&mut self, p: &Point) {
        let n = self.records.time.len();
        let cap = self.expected.max(n + 1);
        let r = &mut self.records;
        let valid = (-90.0..=90.0).contains(&p.latitude) && (-180.0..=360.0).contains(&p.longitude);
        let (lat, lon) = if valid {
            (p.latitude, p.longitude)
        } else {
            (f64::NAN, f64::NAN)
        };
        wide(&mut r.latitude, n, lat, cap);
        wide(&mut r.longitude, n, lon, cap);
        wide(&mut r.distance, n, p.distance, cap);
        narrow(&mut r.speed, n, p.speed, cap);
        narrow(&mut r.altitude, n, p.altitude, cap);
        narrow(&mut r.heart_rate, n, p.heart_rate, cap);
        narrow(&mut r.cadence, n, p.cadence, cap);
        narrow(&mut r.power, n, p.power, cap);
        narrow(&mut r.temperature, n, p.temperature, cap);
        r.time.push(p.time);
    }
}

fn wide(column: &mut Option<Vec<f64>>, n: usize, v: f64, cap: usize) {
    match column {
        Some(c) => c.push(v),
        None if !v.is_nan() => {
            let mut c = Vec::with_capacity(cap);
            c.resize(n, f64::NAN);
            c.push(v);
            *column = Some(c);
        }
        None => {}
    }
}

fn narrow(column: &mut Option<Vec<f32>>, n: usize, v: f64, cap: usize) {
    match column {
        Some(c) => c.push(v as f32),
        None if !v.is_nan() => {
            let mut c = Vec::with_capacity(cap);
            c.resize(n, f32::NAN);
            c.push(v as f32);
            *column = Some(c);
        }
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_appear_with_their_first_value() {
        let mut c = Columns::with_capacity(4);
        c.push(&Point {
            time: 1.0,
            ..Point::EMPTY
        });
        c.push(&Point {
            time: 2.0,
            heart_rate: 150.0,
            latitude: 45.0,
            longitude: 7.0,
            ..Point::EMPTY
        });
        c.push(&Point {
            time: 3.0,
            latitude: 91.0,
            longitude: 7.0,
            ..Point::EMPTY
        });
        let r = &c.records;
        assert_eq!(r.time, [1.0, 2.0, 3.0]);
        let hr = r.heart_rate.as_deref().unwrap();
        assert!(hr[0].is_nan() && hr[1] == 150.0 && hr[2].is_nan());
        let lat = r.latitude.as_deref().unwrap();
        assert!(lat[0].is_nan() && lat[1] == 45.0 && lat[2].is_nan());
        assert!(r.longitude.as_deref().unwrap()[2].is_nan());
        assert!(r.cadence.is_none() && r.distance.is_none());
    }

    #[test]
    fn numbers_and_fill() {
        assert_eq!(number(" 12.5\n"), Some(12.5));
        assert_eq!(number("1e3"), Some(1000.0));
        assert_eq!(number("NaN"), None);
        assert_eq!(number("inf"), None);
        assert_eq!(number("12,5"), None);
        let (mut slot, mut bad) = (f64::NAN, 0);
        fill(&mut slot, "abc", &mut bad);
        fill(&mut slot, "  ", &mut bad);
        fill(&mut slot, "null", &mut bad);
        fill(&mut slot, " NaN ", &mut bad);
        fill(&mut slot, "140", &mut bad);
        fill(&mut slot, "141", &mut bad);
        assert_eq!((slot, bad), (140.0, 1));
    }

    #[test]
    fn sport_names() {
        assert_eq!(sport_from_name("9"), Some((Sport::Running, None)));
        assert_eq!(sport_from_name(" Running "), Some((Sport::Running, None)));
        assert_eq!(
            sport_from_name("trail_running"),
            Some((Sport::Running, Some(3)))
        );
        assert_eq!(
            sport_from_name("Trail Running"),
            Some((Sport::Running, Some(3)))
        );
        assert_eq!(sport_from_name("Biking"), Some((Sport::Cycling, None)));
        assert_eq!(sport_from_name("Other"), Some((Sport::Generic, None)));
        assert_eq!(sport_from_name("Car"), None);
        assert_eq!(sport_from_name("99"), None);
    }

    #[test]
    fn latin1_files_keep_their_accents() {
        let mut warnings = Vec::new();
        let bytes =
            b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><gpx><name>Caf\xe9</name></gpx>";
        let (text, skipped) = decode_text(bytes, &mut warnings);
        assert!(text.contains("Caf\u{e9}") && skipped == 0 && warnings.is_empty());
        let (text, skipped) = decode_text(b"\xEF\xBB\xBF<gpx>\xff</gpx>", &mut warnings);
        assert!(text.contains('\u{FFFD}') && skipped == 3 && warnings.len() == 1);
    }

    #[test]
    fn damage_positions() {
        let d = Damage::at("ab\ncd\nef", 3, 7, "x".into());
        assert_eq!((d.line, d.column, d.offset), (3, 2, 10));
    }
}
