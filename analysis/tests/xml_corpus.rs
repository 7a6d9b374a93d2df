//! Decodes the 28 GPX and TCX files of the shared corpus (`../shared/fixtures`) and checks them
//! against the table "GPX / TCX files (28)" of `../shared/fixtures/SOURCES.md`, and the same
//! activities in several formats (FIT vs GPX vs TCX) against each other.
//!
//! The corpus is read in place: most of these files come from GPL/AGPL repositories and must
//! not be copied into the project. Without it the tests print a note and pass.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use analysis::series::geo::cumulative_distance;
use analysis::{Activity, FileFormat, Sport, fit, gpx, tcx};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/fixtures");

/// One row of SOURCES.md's "GPX / TCX files (28)" table: track points, laps (TCX only; `-`
/// there is `None` here) and whether GPS, heart rate, cadence and power are present.
struct Expected {
    file: &'static str,
    points: usize,
    laps: Option<usize>,
    gps: bool,
    hr: bool,
    cadence: bool,
    power: bool,
}

const fn row(
    file: &'static str,
    points: usize,
    laps: Option<usize>,
    [gps, hr, cadence, power]: [bool; 4],
) -> Expected {
    Expected {
        file,
        points,
        laps,
        gps,
        hr,
        cadence,
        power,
    }
}

const Y: bool = true;
const N: bool = false;

/// SOURCES.md, section "GPX / TCX files (28)": columns trackpoints, laps, GPS, HR, cad, pwr.
const TABLE: &[Expected] = &[
    row("fittrackee/test.gpx", 25, None, [Y, N, N, N]),
    row(
        "goldencheetah/10kUNLP2014-Garmin15.tcx",
        686,
        Some(11),
        [Y, N, N, N],
    ),
    row(
        "goldencheetah/1292585194-20906.gpx",
        5935,
        None,
        [Y, N, N, N],
    ),
    row(
        "goldencheetah/2008_12_28_08_13_27.tcx",
        6653,
        Some(3),
        [Y, N, Y, N],
    ),
    row(
        "goldencheetah/2020-02-05_17-25-14_Training-with-Notes.tcx",
        6862,
        Some(3),
        [N, Y, Y, N],
    ),
    row(
        "goldencheetah/activity_165850259_multi-session.tcx",
        1893,
        Some(4),
        [Y, N, N, N],
    ),
    row(
        "goldencheetah/activity_2677977976.tcx",
        4421,
        Some(11),
        [N, Y, N, N],
    ),
    row(
        "goldencheetah/GarminHRMswim.tcx",
        2630,
        Some(11),
        [N, Y, N, N],
    ),
    row("goldencheetah/MetadataOnly.gpx", 0, None, [N, N, N, N]),
    row(
        "goldencheetah/Move_2014_01_16_19_48_44.gpx",
        669,
        None,
        [Y, N, N, N],
    ),
    row(
        "goldencheetah/UrbanBiker2019-04-18_16-12.gpx",
        2870,
        None,
        [Y, Y, Y, N],
    ),
    row("sports-lib/1604524853.tcx", 1495, Some(1), [Y, Y, Y, N]),
    row("sports-lib/1681613317.gpx", 1038, None, [Y, Y, Y, N]),
    row("sports-lib/2067489619.gpx", 502, None, [Y, Y, Y, N]),
    row("sports-lib/6037744996.gpx", 4040, None, [Y, N, N, N]),
    row("sports-lib/6048438275.gpx", 4343, None, [Y, N, N, N]),
    row("sports-lib/6281425038.tcx", 1545, Some(5), [Y, Y, Y, N]),
    row("sports-lib/6782987395.gpx", 4967, None, [Y, Y, Y, N]),
    row("sports-lib/6782987395.tcx", 4989, Some(2), [Y, Y, N, N]),
    row("sports-lib/6860622783.tcx", 3101, Some(1), [N, Y, N, N]),
    row("sports-lib/6860622916.tcx", 3738, Some(1), [Y, Y, N, N]),
    row("sports-lib/6909258631.gpx", 2665, None, [Y, N, N, N]),
    row("sports-lib/amazfit.gpx", 1216, None, [Y, Y, N, N]),
    row("sports-lib/garmin.gpx", 217, None, [Y, Y, Y, N]),
    row("sports-lib/garmin.tcx", 5070, Some(12), [Y, Y, N, N]),
    row("sports-lib/movescount.tcx", 903, Some(2), [Y, Y, Y, N]),
    row("sports-lib/polar.tcx", 6313, Some(2), [Y, Y, Y, N]),
    row("sports-lib/strava.gpx", 7264, None, [Y, Y, Y, N]),
];

/// A channel the table and Stride disagree on, why, and which is right. Every one of these was
/// checked by reading the file: the table's tool only knew some element names.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Channel {
    HeartRate,
    Cadence,
    Power,
}

const CHANNEL_EXCEPTIONS: &[(&str, Channel, bool, &str)] = &[
    (
        "goldencheetah/2008_12_28_08_13_27.tcx",
        Channel::Cadence,
        false,
        "the file's only <Cadence> is the first lap's summary (0); no track point has one",
    ),
    (
        "goldencheetah/activity_165850259_multi-session.tcx",
        Channel::HeartRate,
        true,
        "track points have <HeartRateBpm xsi:type=\"HeartRateInBeatsPerMinute_t\"><Value>70…; \
         the table missed heart rate written with an xsi:type attribute",
    ),
    (
        "goldencheetah/UrbanBiker2019-04-18_16-12.gpx",
        Channel::Power,
        true,
        "Garmin's PowerExtension <gpxpx:PowerInWatts>, which the table does not count",
    ),
    (
        "sports-lib/6037744996.gpx",
        Channel::Cadence,
        true,
        "mapstogpx's <gpxdata:cadence> and unprefixed <cadence> extensions",
    ),
    (
        "sports-lib/6048438275.gpx",
        Channel::Cadence,
        true,
        "mapstogpx's <gpxdata:cadence> and unprefixed <cadence> extensions",
    ),
    (
        "sports-lib/6782987395.tcx",
        Channel::Cadence,
        true,
        "<ns3:RunCadence> in the TPX extension, which the table does not count",
    ),
    (
        "sports-lib/6860622783.tcx",
        Channel::Cadence,
        true,
        "<ns3:RunCadence> in the TPX extension",
    ),
    (
        "sports-lib/6860622916.tcx",
        Channel::Cadence,
        true,
        "<ns3:RunCadence> in the TPX extension",
    ),
    (
        "sports-lib/garmin.tcx",
        Channel::Cadence,
        true,
        "<ns3:RunCadence> in the TPX extension",
    ),
];

/// The table's value for a channel, or the exception's.
fn expected_channel(file: &str, channel: Channel, table: bool) -> bool {
    CHANNEL_EXCEPTIONS
        .iter()
        .find(|(f, c, _, _)| *f == file && *c == channel)
        .map_or(table, |&(_, _, ours, _)| {
            assert_ne!(ours, table, "{file}: {channel:?} is no exception");
            ours
        })
}

fn corpus() -> Option<PathBuf> {
    let root = PathBuf::from(FIXTURES);
    if root.is_dir() {
        Some(root)
    } else {
        common::corpus_absent(FIXTURES);
        None
    }
}

fn decode(root: &Path, file: &str) -> Activity {
    let bytes = std::fs::read(root.join(file)).unwrap();
    let lower = file.to_ascii_lowercase();
    let decoded = if lower.ends_with(".gpx") {
        gpx::decode(&bytes)
    } else if lower.ends_with(".tcx") {
        tcx::decode(&bytes)
    } else {
        fit::decode(&bytes)
    };
    let activity = decoded.unwrap_or_else(|e| panic!("{file}: {e}"));
    // The generic entry point recognises the format from the bytes and agrees.
    assert_eq!(
        analysis::decode(&bytes).map(|a| a.records.len()),
        Ok(activity.records.len()),
        "{file}"
    );
    activity
}

/// Whether the column has at least one value.
fn has<T: Copy + Into<f64>>(column: &Option<Vec<T>>) -> bool {
    column
        .as_ref()
        .is_some_and(|c| c.iter().any(|&v| !v.into().is_nan()))
}

#[test]
fn every_file_matches_the_sources_table() {
    let Some(root) = corpus() else { return };
    let files = common::corpus_files(&root, &["gpx", "tcx"]);
    let mut listed: Vec<&str> = TABLE.iter().map(|e| e.file).collect();
    listed.sort();
    assert_eq!(
        files, listed,
        "the corpus and the table list the same 28 files"
    );
    for e in TABLE {
        let a = decode(&root, e.file);
        let r = &a.records;
        let format = if e.file.ends_with(".gpx") {
            FileFormat::Gpx
        } else {
            FileFormat::Tcx
        };
        assert_eq!(a.format, format, "{}", e.file);
        assert!(a.warnings.is_empty(), "{}: {:?}", e.file, a.warnings);
        assert_eq!(r.len(), e.points, "{}: track points", e.file);
        match e.laps {
            Some(laps) => {
                assert_eq!(a.laps.len(), laps, "{}: laps", e.file);
                assert!(!a.sessions.is_empty(), "{}: sessions", e.file);
                let in_sessions: usize = a
                    .sessions
                    .iter()
                    .map(|s| usize::from(s.num_laps.unwrap()))
                    .sum();
                assert_eq!(in_sessions, laps, "{}: every lap in a session", e.file);
            }
            None => assert!(a.laps.is_empty() && a.sessions.is_empty(), "{}", e.file),
        }
        let gps = r.latitude.is_some() && r.longitude.is_some();
        assert_eq!(gps, e.gps, "{}: GPS", e.file);
        let check = |channel, present: bool, table| {
            let expected = expected_channel(e.file, channel, table);
            assert_eq!(present, expected, "{}: {channel:?}", e.file);
        };
        check(Channel::HeartRate, has(&r.heart_rate), e.hr);
        check(Channel::Cadence, has(&r.cadence), e.cadence);
        check(Channel::Power, has(&r.power), e.power);
        let n = r.len();
        for column in [&r.latitude, &r.longitude, &r.distance] {
            assert!(column.as_ref().is_none_or(|c| c.len() == n), "{}", e.file);
        }
        for column in [
            &r.speed,
            &r.altitude,
            &r.heart_rate,
            &r.cadence,
            &r.power,
            &r.temperature,
        ] {
            assert!(column.as_ref().is_none_or(|c| c.len() == n), "{}", e.file);
        }
        if n > 0 {
            assert!(a.start_time.is_some(), "{}: start time", e.file);
            assert!(r.time.iter().all(|t| t.is_finite()), "{}: times", e.file);
        }
        if format == FileFormat::Gpx && gps {
            let d = r.distance.as_deref().expect("GPX distance from positions");
            assert!(
                d.windows(2).all(|w| w[1] >= w[0]),
                "{}: GPX distance never decreases",
                e.file
            );
        }
    }
}

/// A few files' values read by hand from the XML.
#[test]
fn known_values() {
    let Some(root) = corpus() else { return };
    let a = decode(&root, "sports-lib/6782987395.tcx");
    assert_eq!(a.sport, Sport::Running);
    assert_eq!(a.device.product_name.as_deref(), Some("Forerunner 945"));
    assert_eq!(a.device.product, Some(3113));
    assert_eq!(a.device.software_version, Some(2.5));
    let lap = &a.laps[0].summary;
    assert_eq!(lap.total_timer_time, Some(3448.443));
    assert_eq!(lap.total_distance, Some(8825.74));
    assert_eq!(lap.total_calories, Some(665.0));
    assert_eq!(
        (lap.avg_heart_rate, lap.max_heart_rate),
        (Some(135.0), Some(167.0))
    );
    // First point: RunCadence 49 strides/min, 98 steps/min.
    assert_eq!(a.records.cadence.as_ref().unwrap()[0], 98.0);
    assert_eq!(a.records.heart_rate.as_ref().unwrap()[0], 71.0);

    let g = decode(&root, "sports-lib/6782987395.gpx");
    assert_eq!(g.name.as_deref(), Some("Sloatsburg Course"));
    assert_eq!(g.device.product_name.as_deref(), Some("Garmin Connect"));
    assert_eq!(g.records.temperature.as_ref().unwrap()[0], 30.0);
    assert_eq!(g.records.cadence.as_ref().unwrap()[0], 98.0);

    // Four activities on four days, wrapped in one MultiSportSession; each activity's
    // distances start from 0 in the file and continue in the records.
    let m = decode(&root, "goldencheetah/activity_165850259_multi-session.tcx");
    assert_eq!(m.sport, Sport::Multisport);
    assert_eq!(m.sessions.len(), 4);
    let sports: Vec<_> = m
        .sessions
        .iter()
        .map(|s| s.summary.sport.unwrap())
        .collect();
    assert_eq!(
        sports,
        [
            Sport::Running,
            Sport::Cycling,
            Sport::Running,
            Sport::Cycling
        ]
    );
    let last = last(&m.records.distance).unwrap();
    assert!((last - (7_651.029_3 + 9_405.028_3)).abs() < 0.01, "{last}");

    let s = decode(&root, "sports-lib/1681613317.gpx");
    assert_eq!(
        (s.sport, s.name.as_deref()),
        (Sport::Running, Some("Run avec Nico & Mag"))
    );
    let empty = decode(&root, "goldencheetah/MetadataOnly.gpx");
    assert_eq!(
        empty
            .file_id
            .and_then(|f| f.time_created)
            .and_then(analysis::time::format_rfc3339),
        Some("2023-07-07T16:10:57Z".to_string())
    );
}

/// SOURCES.md, "Same activity in several formats".
const SAME_ACTIVITY: &[&[&str]] = &[
    &[
        "goldencheetah/10kUNLP2014-Garmin15.fit",
        "goldencheetah/10kUNLP2014-Garmin15.tcx",
    ],
    &[
        "goldencheetah/GarminHRMswim.FIT",
        "goldencheetah/GarminHRMswim.tcx",
    ],
    &[
        "goldencheetah/activity_2677977976.fit",
        "goldencheetah/activity_2677977976.tcx",
    ],
    &["sports-lib/2067489619.fit", "sports-lib/2067489619.gpx"],
    &[
        "sports-lib/6782987395.fit",
        "sports-lib/6782987395.gpx",
        "sports-lib/6782987395.tcx",
    ],
    &["sports-lib/6860622783.fit", "sports-lib/6860622783.tcx"],
];

/// The time span of the records, first to last, in seconds.
fn span(times: &[f64]) -> f64 {
    let first = times.iter().copied().find(|t| t.is_finite()).unwrap();
    let last = times.iter().rev().copied().find(|t| t.is_finite()).unwrap();
    last - first
}

/// The distance along the positions, with the GPX decoder's own function.
fn position_distance(a: &Activity) -> Option<f64> {
    let r = &a.records;
    cumulative_distance(r.latitude.as_deref()?, r.longitude.as_deref()?, &[])
        .last()
        .copied()
}

/// FIT (the reference) against GPX and TCX exports of the same activity.
///
/// - Start times are equal, and so are the durations, first to last record, to 2 s.
/// - TCX distance is the device's, as in FIT: equal to 1 %. (The two swims have no GPS; their
///   TCX points still carry the pool distance, and it matches too.)
/// - GPX has no distance: Stride measures it along the positions. Garmin Connect's GPX keeps
///   the FIT positions exactly, so the GPX distance equals the same measure on the FIT file's
///   positions (to a millimetre). The device's own distance is not a position measure and
///   differs by more than 1 % in both pairs, checked by hand: 2067489619 was recorded in
///   "smart" mode (a point every 5.6 s), whose straight lines cut corners, 2.0 % short of the
///   watch's 4489 m; 6782987395 has one point a second, whose GPS jitter makes the track 1.1 %
///   longer than the watch's 14 005 m. That bound (2.5 %) is asserted, and documented here.
/// - Garmin Connect leaves the FIT records without a position out of its GPX (1 in 2067489619,
///   its last, so the GPX ends 7 s earlier; 21 in 6782987395), and in some TCX repeats the
///   point at a lap boundary in both laps (10 repeats over the 11 laps of activity_2677977976,
///   1 over the 2 of 6782987395, none in the others). So GPX is compared with the FIT records
///   that have a position, and TCX by its set of record times, which equals FIT's.
#[test]
fn the_same_activity_agrees_across_formats() {
    let Some(root) = corpus() else { return };
    for group in SAME_ACTIVITY {
        let fit = decode(&root, group[0]);
        let fit_distance = last(&fit.records.distance).expect("FIT distance");
        let fit_positioned = fit
            .records
            .latitude
            .as_ref()
            .map_or(fit.records.len(), |lat| {
                lat.iter().filter(|v| v.is_finite()).count()
            });
        for file in &group[1..] {
            let other = decode(&root, file);
            assert_eq!(other.start_time, fit.start_time, "{file}: start time");
            let r = &other.records;
            if other.format == FileFormat::Gpx {
                assert_eq!(
                    r.len(),
                    fit_positioned,
                    "{file}: the FIT records with a position"
                );
                // The span of the FIT records that have a position.
                let lat = fit.records.latitude.as_deref().unwrap();
                let times: Vec<f64> = fit
                    .records
                    .time
                    .iter()
                    .zip(lat)
                    .filter(|(_, l)| l.is_finite())
                    .map(|(t, _)| *t)
                    .collect();
                assert!(
                    (span(&r.time) - span(&times)).abs() <= 2.0,
                    "{file}: duration"
                );
                let gpx = last(&r.distance).unwrap();
                let same_positions = position_distance(&fit).unwrap();
                assert!(
                    (gpx - same_positions).abs() < 1e-3,
                    "{file}: {gpx} vs {same_positions}"
                );
                let off = (gpx - fit_distance).abs() / fit_distance;
                assert!(
                    off < 0.025,
                    "{file}: {gpx} m vs the watch's {fit_distance} m"
                );
            } else {
                let laps = other.laps.len();
                let ms = |t: &[f64]| -> BTreeSet<i64> {
                    t.iter().map(|t| (t * 1000.0).round() as i64).collect()
                };
                let (times, fit_times) = (ms(&r.time), ms(&fit.records.time));
                assert_eq!(times, fit_times, "{file}: the same record times");
                assert!(
                    r.len() - times.len() < laps,
                    "{file}: at most a repeat per lap"
                );
                let d = (span(&r.time) - span(&fit.records.time)).abs();
                assert!(d <= 2.0, "{file}: duration differs by {d} s");
                let distance = last(&r.distance).unwrap();
                let off = (distance - fit_distance).abs() / fit_distance;
                assert!(off < 0.01, "{file}: {distance} m vs {fit_distance} m");
                let laps_fit = fit.laps.len();
                assert_eq!(laps, laps_fit, "{file}: laps");
                // Some exporters round each lap's timer time to the second.
                let timer = |a: &Activity| a.sessions[0].summary.total_timer_time.unwrap();
                let d = (timer(&other) - timer(&fit)).abs();
                assert!(d < laps as f64, "{file}: timer time differs by {d} s");
            }
            // TCX calls swimming "Other"; everything else names the same sport.
            if other.sport != Sport::Generic {
                assert_eq!(other.sport, fit.sport, "{file}: sport");
            }
        }
    }
}

fn last(column: &Option<Vec<f64>>) -> Option<f64> {
    column
        .as_ref()?
        .iter()
        .rev()
        .copied()
        .find(|v| v.is_finite())
}

/// The analysed figures (what `stride analyze` and the run page show) of the same activity
/// agree across formats: distance to 1 %, elapsed time to 2 s.
///
/// A GPX track's distance is the length of its track after the GPS cleanup (jump rejection,
/// Kalman + RTS smoother), which removes the jitter that lengthens the raw track: 6782987395's
/// GPX gives 14 017 m against the watch's 14 005 m (raw positions: 14 157 m, +1.1 %).
/// One exception, which no position measure can reach: 2067489619 was recorded in "smart"
/// mode, a point every 5.6 s, and its straight lines cut the corners the watch's own distance
/// (accelerometer and GPS) follows; the FIT file's positions, measured the same way, are as
/// short (4 385 m against 4 489 m). Asserted within 2.5 %.
#[test]
fn the_analysed_distance_and_duration_agree_across_formats() {
    let Some(root) = corpus() else { return };
    let athlete = analysis::Athlete::default();
    for group in SAME_ACTIVITY {
        let reference = analysis::analyze(&decode(&root, group[0]), &athlete).metrics;
        let fit_distance = reference.get("distance_m").expect("a distance");
        let fit_elapsed = reference.get("elapsed_s").expect("an elapsed time");
        for file in &group[1..] {
            let m = analysis::analyze(&decode(&root, file), &athlete).metrics;
            let distance = m.get("distance_m").expect("a distance");
            let off = (distance - fit_distance).abs() / fit_distance;
            let bound = if file.contains("2067489619") {
                0.025
            } else {
                0.01
            };
            assert!(off < bound, "{file}: {distance} m vs {fit_distance} m");
            // Garmin Connect's GPX of 2067489619 lacks the FIT's last record, 7 s after the
            // one before it (see the test above).
            let slack = if file.ends_with("2067489619.gpx") {
                7.0
            } else {
                2.0
            };
            let elapsed = m.get("elapsed_s").expect("an elapsed time");
            assert!(
                (elapsed - fit_elapsed).abs() <= slack,
                "{file}: elapsed {elapsed} s vs {fit_elapsed} s"
            );
        }
    }
}
