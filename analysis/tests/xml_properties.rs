//! Properties of the GPX and TCX decoders: they never panic, whatever the bytes; what they
//! return is consistent (one value per record in every column); GPX distance never decreases;
//! and generated well-formed tracks come back point for point.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use analysis::{Activity, AnalysisError, FileFormat, gpx, tcx};
use proptest::prelude::*;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/fixtures");

/// Small real documents of several dialects, read in place (GPL/AGPL: never copied here).
const SEEDS: &[&str] = &[
    "fittrackee/test.gpx",
    "goldencheetah/MetadataOnly.gpx",
    "sports-lib/garmin.gpx",
    "goldencheetah/10kUNLP2014-Garmin15.tcx",
];

/// Synthetic documents, so the mutation properties have seeds without the corpus too.
const SYNTHETIC: &[&str] = &[
    r#"<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="Stride test" xmlns="http://www.topografix.com/GPX/1/1"
 xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">
 <metadata><name>A &amp; B</name><time>2024-06-01T05:00:00Z</time></metadata>
 <trk><type>running</type><trkseg>
  <trkpt lat="45.0" lon="7.0"><ele>250</ele><time>2024-06-01T05:00:00Z</time><extensions>
   <gpxtpx:TrackPointExtension><gpxtpx:hr>120</gpxtpx:hr><gpxtpx:cad>80</gpxtpx:cad>
   </gpxtpx:TrackPointExtension></extensions></trkpt>
  <trkpt lat="45.0001" lon="7.0001"><ele>251</ele><time>2024-06-01T05:00:01Z</time></trkpt>
 </trkseg><trkseg>
  <trkpt lat="45.0002" lon="7.0002"><time>2024-06-01T05:01:00.5+01:00</time></trkpt>
 </trkseg></trk></gpx>"#,
    r#"<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
 xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">
 <Activities><Activity Sport="Running"><Id>2024-06-01T05:00:00Z</Id>
  <Lap StartTime="2024-06-01T05:00:00Z"><TotalTimeSeconds>2</TotalTimeSeconds>
   <DistanceMeters>5</DistanceMeters><AverageHeartRateBpm><Value>120</Value>
   </AverageHeartRateBpm><Intensity>Active</Intensity><TriggerMethod>Manual</TriggerMethod>
   <Track><Trackpoint><Time>2024-06-01T05:00:00Z</Time><Position>
    <LatitudeDegrees>45.0</LatitudeDegrees><LongitudeDegrees>7.0</LongitudeDegrees></Position>
    <DistanceMeters>0</DistanceMeters><HeartRateBpm><Value>120</Value></HeartRateBpm>
    <Extensions><ns3:TPX><ns3:Speed>2.5</ns3:Speed><ns3:RunCadence>80</ns3:RunCadence>
    </ns3:TPX></Extensions></Trackpoint>
   <Trackpoint><Time>2024-06-01T05:00:02Z</Time><DistanceMeters>5</DistanceMeters>
   </Trackpoint></Track>
   <Extensions><ns3:LX><ns3:AvgSpeed>2.5</ns3:AvgSpeed></ns3:LX></Extensions></Lap>
  <Creator><Name>Watch</Name><Version><VersionMajor>1</VersionMajor></Version></Creator>
 </Activity></Activities></TrainingCenterDatabase>"#,
];

fn seeds() -> Vec<Vec<u8>> {
    SEEDS
        .iter()
        .filter_map(|f| std::fs::read(format!("{FIXTURES}/{f}")).ok())
        .chain(SYNTHETIC.iter().map(|s| s.as_bytes().to_vec()))
        .collect()
}

fn consistent(a: &Activity) -> bool {
    let n = a.records.len();
    let r = &a.records;
    let wide_ok = [&r.latitude, &r.longitude, &r.distance]
        .iter()
        .all(|c| c.as_ref().is_none_or(|v| v.len() == n));
    let narrow_ok = [
        &r.speed,
        &r.altitude,
        &r.heart_rate,
        &r.cadence,
        &r.power,
        &r.temperature,
        &r.vertical_oscillation,
        &r.stance_time,
        &r.stance_time_balance,
        &r.vertical_ratio,
        &r.step_length,
    ]
    .iter()
    .all(|c| c.as_ref().is_none_or(|v| v.len() == n));
    let laps_ok = a.sessions.iter().all(|s| {
        let first = usize::from(s.first_lap_index.unwrap_or(0));
        first + usize::from(s.num_laps.unwrap_or(0)) <= a.laps.len()
    });
    wide_ok && narrow_ok && laps_ok
}

/// GPX distance starts at 0 and never decreases.
fn gpx_distance_ok(a: &Activity) -> bool {
    a.records
        .distance
        .as_deref()
        .is_none_or(|d| d.first().is_none_or(|&d0| d0 == 0.0) && d.windows(2).all(|w| w[1] >= w[0]))
}

/// What a decoder may return for bytes: an activity, or an XML error about its own format.
fn acceptable(result: &Result<Activity, AnalysisError>, format: FileFormat, empty: bool) -> bool {
    match result {
        Ok(a) => a.format == format && consistent(a),
        Err(AnalysisError::Empty) => empty,
        Err(AnalysisError::Xml {
            format: f,
            line,
            column,
            ..
        }) => *f == format && *line >= 1 && *column >= 1,
        Err(_) => false,
    }
}

/// Pieces of markup that break documents in interesting places.
fn token() -> impl Strategy<Value = &'static [u8]> {
    prop_oneof![
        Just(&b"<"[..]),
        Just(&b">"[..]),
        Just(&b"&"[..]),
        Just(&b"&#xFFFFFF;"[..]),
        Just(&b"</trkpt>"[..]),
        Just(&b"<trkpt lat=\"1e400\" lon=\"-0\">"[..]),
        Just(&b"</Trackpoint>"[..]),
        Just(&b"<Trackpoint>"[..]),
        Just(&b"<Lap StartTime=\"x\">"[..]),
        Just(&b"</Activity>"[..]),
        Just(&b"<![CDATA["[..]),
        Just(&b"<!--"[..]),
        Just(&b"\xFF\xFE"[..]),
        Just(&b"\""[..]),
    ]
}

/// One edit of a document.
#[derive(Debug, Clone)]
enum Edit {
    /// Overwrite a byte.
    Flip(prop::sample::Index, u8),
    /// Insert a piece of markup.
    Insert(prop::sample::Index, &'static [u8]),
    /// Remove a range of up to 64 bytes.
    Remove(prop::sample::Index, usize),
    /// Copy a range of up to 256 bytes elsewhere.
    Duplicate(prop::sample::Index, usize, prop::sample::Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| Edit::Flip(i, b)),
        (any::<prop::sample::Index>(), token()).prop_map(|(i, t)| Edit::Insert(i, t)),
        (any::<prop::sample::Index>(), 1usize..64).prop_map(|(i, n)| Edit::Remove(i, n)),
        (
            any::<prop::sample::Index>(),
            1usize..256,
            any::<prop::sample::Index>()
        )
            .prop_map(|(i, n, j)| Edit::Duplicate(i, n, j)),
    ]
}

fn apply(bytes: &mut Vec<u8>, edit: &Edit) {
    if bytes.is_empty() {
        return;
    }
    match edit {
        Edit::Flip(at, b) => {
            let i = at.index(bytes.len());
            bytes[i] = *b;
        }
        Edit::Insert(at, token) => {
            let i = at.index(bytes.len() + 1);
            bytes.splice(i..i, token.iter().copied());
        }
        Edit::Remove(at, n) => {
            let i = at.index(bytes.len());
            let end = (i + n).min(bytes.len());
            bytes.drain(i..end);
        }
        Edit::Duplicate(at, n, to) => {
            let i = at.index(bytes.len());
            let end = (i + n).min(bytes.len());
            let piece = bytes[i..end].to_vec();
            let j = to.index(bytes.len() + 1);
            bytes.splice(j..j, piece);
        }
    }
}

/// A generated track point: position, optional time offset, elevation and heart rate.
fn point() -> impl Strategy<Value = (f64, f64, Option<u32>, Option<f32>, Option<u8>)> {
    (
        -89.0f64..89.0,
        -179.0f64..179.0,
        proptest::option::of(0u32..100_000),
        proptest::option::of(-400.0f32..8000.0),
        proptest::option::of(30u8..220),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn never_panic_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let empty = bytes.is_empty();
        let g = gpx::decode(&bytes);
        prop_assert!(acceptable(&g, FileFormat::Gpx, empty), "{:?}", g.err());
        if let Ok(a) = &g {
            prop_assert!(gpx_distance_ok(a));
        }
        let t = tcx::decode(&bytes);
        prop_assert!(acceptable(&t, FileFormat::Tcx, empty), "{:?}", t.err());
        let _ = analysis::decode(&bytes);
    }

    #[test]
    fn never_panic_on_arbitrary_markup(
        pieces in proptest::collection::vec(
            prop_oneof![token().prop_map(<[u8]>::to_vec),
                        "[a-zA-Z0-9:=\" /.<>-]{0,12}".prop_map(String::into_bytes)],
            0..64),
        root in prop_oneof![Just("gpx"), Just("TrainingCenterDatabase")],
    ) {
        let mut bytes = format!("<{root}>").into_bytes();
        pieces.iter().for_each(|p| bytes.extend_from_slice(p));
        for (format, result) in [
            (FileFormat::Gpx, gpx::decode(&bytes)),
            (FileFormat::Tcx, tcx::decode(&bytes)),
        ] {
            prop_assert!(acceptable(&result, format, false), "{:?}", result.err());
        }
    }

    #[test]
    fn never_panic_on_mutated_real_documents(
        seed in any::<prop::sample::Index>(),
        edits in proptest::collection::vec(edit(), 0..12),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let seeds = seeds();
        let mut bytes = seed.get(&seeds).clone();
        let whole_gpx = gpx::decode(&bytes).map(|a| a.records.len());
        for e in &edits {
            apply(&mut bytes, e);
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len() + 1));
        }
        let empty = bytes.is_empty();
        let g = gpx::decode(&bytes);
        prop_assert!(acceptable(&g, FileFormat::Gpx, empty), "{:?}", g.err());
        if let Ok(a) = &g {
            prop_assert!(gpx_distance_ok(a));
        }
        // Only truncating a GPX keeps at most its points.
        if edits.is_empty() && let (Ok(whole), Ok(part)) = (whole_gpx, &g) {
            prop_assert!(part.records.len() <= whole);
        }
        let t = tcx::decode(&bytes);
        prop_assert!(acceptable(&t, FileFormat::Tcx, empty), "{:?}", t.err());
    }

    #[test]
    fn generated_gpx_tracks_come_back_point_for_point(
        segments in proptest::collection::vec(proptest::collection::vec(point(), 0..20), 1..4),
        prefix in prop_oneof![Just(""), Just("gpx:"), Just("g:")],
    ) {
        let mut doc = format!(
            "<?xml version=\"1.0\"?><{prefix}gpx version=\"1.1\" \
             xmlns:{p}=\"http://www.topografix.com/GPX/1/1\" xmlns:tp=\"x\"><{prefix}trk>",
            p = if prefix.is_empty() { "unused" } else { prefix.trim_end_matches(':') },
        );
        let mut expected = Vec::new();
        for segment in &segments {
            doc.push_str(&format!("<{prefix}trkseg>"));
            for &(lat, lon, t, ele, hr) in segment {
                doc.push_str(&format!("<{prefix}trkpt lat=\"{lat}\" lon=\"{lon}\">"));
                if let Some(ele) = ele {
                    doc.push_str(&format!("<{prefix}ele>{ele}</{prefix}ele>"));
                }
                let time = t.map(|t| 1_700_000_000.0 + f64::from(t) / 10.0);
                if let Some(time) = time {
                    let text = analysis::time::format_rfc3339(time).unwrap();
                    let tenths = (time.fract() * 10.0).round();
                    let text = text.replace('Z', &format!(".{tenths}Z"));
                    doc.push_str(&format!("<{prefix}time>{text}</{prefix}time>"));
                }
                if let Some(hr) = hr {
                    doc.push_str(&format!(
                        "<{prefix}extensions><tp:TrackPointExtension><tp:hr>{hr}</tp:hr>\
                         </tp:TrackPointExtension></{prefix}extensions>"
                    ));
                }
                doc.push_str(&format!("</{prefix}trkpt>"));
                expected.push((lat, lon, time, ele, hr));
            }
            doc.push_str(&format!("</{prefix}trkseg>"));
        }
        doc.push_str(&format!("</{prefix}trk></{prefix}gpx>"));
        let a = gpx::decode(doc.as_bytes()).expect("well-formed");
        prop_assert!(a.warnings.is_empty(), "{:?}", a.warnings);
        let r = &a.records;
        prop_assert_eq!(r.len(), expected.len());
        prop_assert!(consistent(&a) && gpx_distance_ok(&a));
        for (i, &(lat, lon, time, ele, hr)) in expected.iter().enumerate() {
            prop_assert_eq!(r.latitude.as_ref().unwrap()[i], lat);
            prop_assert_eq!(r.longitude.as_ref().unwrap()[i], lon);
            match time {
                Some(t) => prop_assert!((r.time[i] - t).abs() < 1e-3),
                None => prop_assert!(r.time[i].is_nan()),
            }
            let alt = r.altitude.as_ref().map_or(f32::NAN, |c| c[i]);
            // f32 → text → f64 → f32 may round twice: equal to a thousandth.
            prop_assert!(ele.map_or(alt.is_nan(), |e| (e - alt).abs() <= 1e-3));
            let h = r.heart_rate.as_ref().map_or(f32::NAN, |c| c[i]);
            prop_assert!(hr.map_or(h.is_nan(), |v| f32::from(v) == h));
        }
        // One start and one stop per segment with points.
        let used = segments.iter().filter(|s| !s.is_empty()).count();
        prop_assert_eq!(a.events.len(), 2 * used);
    }
}

#[test]
fn seeds_are_present_or_skipped() {
    let found = seeds().len() - SYNTHETIC.len();
    if found == 0 {
        common::corpus_absent(FIXTURES);
    } else {
        assert_eq!(found, SEEDS.len());
    }
    // The synthetic seeds decode as intended.
    let g = gpx::decode(SYNTHETIC[0].as_bytes()).unwrap();
    assert_eq!(g.records.len(), 3);
    assert_eq!(g.name.as_deref(), Some("A & B"));
    assert_eq!(g.records.time[2], 1_717_214_460.5);
    let t = tcx::decode(SYNTHETIC[1].as_bytes()).unwrap();
    assert_eq!((t.records.len(), t.laps.len(), t.sessions.len()), (2, 1, 1));
    assert_eq!(t.device.software_version, Some(1.0));
}
