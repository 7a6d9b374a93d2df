//! GPS and heart-rate quality: synthetic tracks and series with known faults, and real files
//! from the corpus, read in place from `../shared/fixtures` (some are GPL/AGPL and must not be
//! copied into the project); a test whose file is absent says so and passes.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use analysis::quality::{GpsIssue, HrIssue, HrVerdict, gps, heart_rate};
use analysis::series::geo::{LocalFrame, path_length_m};
use analysis::{Activity, Event, Records, Sport};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/fixtures");

/// A corpus file, decoded; `None` (with a note) when the corpus is not there.
fn corpus(path: &str) -> Option<Activity> {
    match std::fs::read(format!("{FIXTURES}/{path}")) {
        Ok(bytes) => Some(analysis::decode(&bytes).expect(path)),
        Err(_) => {
            common::corpus_absent(&format!("{FIXTURES}/{path}"));
            None
        }
    }
}

/// A small, seeded Gaussian generator: xorshift64 and Box–Muller.
struct Gauss(u64);

impl Gauss {
    fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    fn next(&mut self) -> f64 {
        let (u1, u2) = (self.uniform().max(1e-300), self.uniform());
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
}

/// One hour at 3.5 m/s on a straight line heading 30° east of north near Zürich, a fix a
/// second with `sigma` metres of Gaussian noise per axis. Returns the activity and the true
/// positions (metres in `frame()`).
fn noisy_line(sigma: f64, seed: u64) -> (Activity, Vec<(f64, f64)>) {
    let mut noise = Gauss(seed);
    let n = 3601;
    let (sin, cos) = 30f64.to_radians().sin_cos();
    let truth: Vec<(f64, f64)> = (0..n)
        .map(|k| {
            let s = 3.5 * k as f64;
            (s * sin, s * cos)
        })
        .collect();
    let (mut lat, mut lon) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for &(x, y) in &truth {
        let (la, lo) = frame().to_lat_lon(x + sigma * noise.next(), y + sigma * noise.next());
        lat.push(la);
        lon.push(lo);
    }
    let activity = Activity {
        sport: Sport::Running,
        records: Records {
            time: (0..n).map(|k| 1.7e9 + k as f64).collect(),
            latitude: Some(lat),
            longitude: Some(lon),
            ..Records::default()
        },
        ..Activity::default()
    };
    (activity, truth)
}

fn frame() -> LocalFrame {
    LocalFrame::new(47.37, 8.54)
}

fn true_length(truth: &[(f64, f64)]) -> f64 {
    let (lat, lon): (Vec<f64>, Vec<f64>) =
        truth.iter().map(|&(x, y)| frame().to_lat_lon(x, y)).unzip();
    path_length_m(&lat, &lon)
}

/// Root-mean-square distance, metres, of positions (degrees) from the truth.
fn rms_error(lat: &[f64], lon: &[f64], truth: &[(f64, f64)]) -> f64 {
    let sq: f64 = truth
        .iter()
        .enumerate()
        .map(|(k, &(x, y))| {
            let (px, py) = frame().to_xy(lat[k], lon[k]);
            (px - x).powi(2) + (py - y).powi(2)
        })
        .sum();
    (sq / truth.len() as f64).sqrt()
}

fn positions(a: &Activity) -> (&[f64], &[f64]) {
    (
        a.records.latitude.as_deref().unwrap(),
        a.records.longitude.as_deref().unwrap(),
    )
}

#[test]
fn smoothing_a_noisy_straight_line_recovers_track_and_distance() {
    let (activity, truth) = noisy_line(3.0, 7);
    let q = gps::assess(&activity).unwrap();
    let (lat, lon) = positions(&activity);
    let raw = rms_error(lat, lon, &truth);
    let smooth = rms_error(&q.latitude, &q.longitude, &truth);
    let length = true_length(&truth);
    eprintln!(
        "rms raw {raw:.2} m, smoothed {smooth:.2} m; \
         distance true {length:.0}, raw {:.0}, corrected {:.0}",
        q.raw_distance_m, q.distance_m
    );
    assert!(
        (raw - 3.0 * 2f64.sqrt()).abs() < 0.3,
        "the noise is what was asked: {raw}"
    );
    assert!(smooth < 0.4 * raw, "smoothed {smooth} vs raw {raw}");
    assert!(
        q.raw_distance_m > 1.05 * length,
        "the noise lengthens the raw track"
    );
    assert!(
        (q.distance_m - length).abs() < 0.01 * length,
        "{} vs {length}",
        q.distance_m
    );
    assert_eq!(q.rejected_points, 0, "noise alone is not a jump");
    assert!(q.score >= 90.0, "{:?}", q.reasons);
}

#[test]
fn injected_jumps_are_rejected_and_counted() {
    let (mut activity, truth) = noisy_line(3.0, 11);
    // Six single fixes thrown sideways, and one three-fix excursion 300 m out.
    let offsets = [
        (400, 100.0),
        (900, 250.0),
        (1400, 500.0),
        (1900, 80.0),
        (2400, 1000.0),
        (2900, 60.0),
        (3300, 300.0),
        (3301, 300.0),
        (3302, 300.0),
    ];
    let lat = activity.records.latitude.as_mut().unwrap();
    for &(k, off) in &offsets {
        lat[k] += off / 111_195.0;
    }
    let q = gps::assess(&activity).unwrap();
    let rejected: Vec<usize> = (0..q.rejected.len()).filter(|&k| q.rejected[k]).collect();
    assert_eq!(rejected, offsets.map(|(k, _)| k).to_vec());
    let jumps = q
        .reasons
        .iter()
        .find_map(|r| match r.issue {
            GpsIssue::JumpsRemoved {
                jumps,
                points,
                max_offset_m,
            } => Some((jumps, points, max_offset_m)),
            _ => None,
        })
        .expect("a jumps_removed reason");
    assert_eq!((jumps.0, jumps.1), (7, 9));
    assert!((jumps.2 - 1000.0).abs() < 20.0, "{}", jumps.2);
    let length = true_length(&truth);
    assert!((q.distance_m - length).abs() < 0.01 * length);
    assert!(q.raw_distance_m > length + 2.0 * 2.0 * (100.0 + 250.0 + 500.0 + 80.0 + 1000.0));
    let reason = q
        .reasons
        .iter()
        .find(|r| r.issue.code() == "jumps_removed")
        .unwrap();
    assert_eq!(
        reason.message,
        format!(
            "7 jumps removed (9 points, up to {:.0} m off the track)",
            jumps.2
        )
    );
}

#[test]
fn a_bad_first_fix_is_rejected() {
    let (mut activity, truth) = noisy_line(2.0, 3);
    activity.records.latitude.as_mut().unwrap()[0] += 3000.0 / 111_195.0;
    let q = gps::assess(&activity).unwrap();
    assert!(q.rejected[0] && q.rejected_points == 1);
    assert!(
        q.latitude[0].is_nan(),
        "nothing is drawn before the first kept fix"
    );
    let length = true_length(&truth[1..]);
    assert!((q.distance_m - length).abs() < 0.01 * length);
}

#[test]
fn a_tunnel_is_bridged_but_a_pause_is_not() {
    // Two minutes without fixes while the timer runs: the straight line through counts.
    let (mut tunnel, truth) = noisy_line(2.0, 5);
    let lat = tunnel.records.latitude.as_mut().unwrap();
    for v in &mut lat[1000..1120] {
        *v = f64::NAN;
    }
    let q = gps::assess(&tunnel).unwrap();
    let length = true_length(&truth);
    assert!(
        (q.distance_m - length).abs() < 0.01 * length,
        "{} vs {length}",
        q.distance_m
    );
    let missing = q
        .reasons
        .iter()
        .find(|r| r.issue.code() == "positions_missing")
        .unwrap();
    assert!(
        matches!(missing.issue, GpsIssue::PositionsMissing { seconds, .. } if seconds == 120.0)
    );
    assert_eq!(
        missing.message,
        "positions missing for 2 min (longest gap 2 min)"
    );

    // The same two minutes with the timer stopped, and the runner 400 m further on when it
    // starts again: what was covered in between is not counted.
    let (mut paused, truth) = noisy_line(2.0, 5);
    let (lat, lon) = (
        paused.records.latitude.as_mut().unwrap(),
        paused.records.longitude.as_mut().unwrap(),
    );
    for v in &mut lat[1120..] {
        *v += 400.0 / 111_195.0;
    }
    for k in 1000..1120 {
        (lat[k], lon[k]) = (f64::NAN, f64::NAN);
    }
    let t = &paused.records.time;
    let timer = |time: f64, event_type: u8| Event {
        time: Some(time),
        event: Some(0),
        event_type: Some(event_type),
        data: None,
    };
    paused.events = vec![timer(t[0], 0), timer(t[999], 4), timer(t[1120], 0)];
    let q = gps::assess(&paused).unwrap();
    let legs = true_length(&truth[..1000]) + true_length(&truth[1120..]);
    assert!(
        (q.distance_m - legs).abs() < 0.01 * legs,
        "{} vs {legs}",
        q.distance_m
    );
    assert!(
        !q.reasons
            .iter()
            .any(|r| r.issue.code() == "positions_missing")
    );
}

#[test]
fn without_positions_there_is_no_assessment() {
    let mut activity = Activity::default();
    assert!(gps::assess(&activity).is_none());
    activity.records = Records {
        time: vec![0.0, 1.0, 2.0],
        latitude: Some(vec![f64::NAN, 47.0, 0.0]),
        longitude: Some(vec![8.0, 8.0, 0.0]),
        ..Records::default()
    };
    assert!(gps::assess(&activity).is_none(), "one fix is not a track");
}

/// Good runs: a high score, and the corrected distance within 3 % of the device's (the FR955
/// within 1 %).
#[test]
fn good_gps_runs_from_the_corpus_score_high() {
    let files = [
        ("goldencheetah/14211916346_ACTIVITY.fit", 0.01), // Garmin FR955
        ("goldencheetah/Fr955v19.28andStryd.fit", 0.03),
        ("goldencheetah/HRV-Data.fit", 0.03),
        ("goldencheetah/IpBike-HRV-Data.fit", 0.03),
        ("python-fitparse/developer-types-sample.fit", 0.03),
        ("sports-lib/6782987395.fit", 0.03),
        ("jimmykane-fit-parser/running-with-developer-data.fit", 0.03),
        ("tormoder-fit/mornindew-broken.fit", 0.03),
    ];
    for (file, tolerance) in files {
        let Some(activity) = corpus(file) else {
            continue;
        };
        let q = gps::assess(&activity).unwrap();
        let device = q.device_distance_m.unwrap();
        eprintln!(
            "{file}: score {}, corrected {:.0} m, device {device:.0} m, raw {:.0} m, {:?}",
            q.score,
            q.distance_m,
            q.raw_distance_m,
            q.reasons.iter().map(|r| &r.message).collect::<Vec<_>>()
        );
        assert!(q.score >= 90.0, "{file}: {}", q.score);
        assert!(
            (q.distance_m - device).abs() < tolerance * device,
            "{file}: {} vs {device}",
            q.distance_m
        );
        assert!(
            q.rejected_points * 1000 <= q.fixes,
            "{file}: {} rejected",
            q.rejected_points
        );
    }
}

/// Files with known GPS trouble score lower than a clean run, for the right reasons.
#[test]
fn files_with_gps_trouble_score_low() {
    let clean =
        corpus("goldencheetah/14211916346_ACTIVITY.fit").map(|a| gps::assess(&a).unwrap().score);
    // A Garmin Edge 500 ride whose GPS gave up after a few minutes: 1.1 km of track against
    // 43.7 km from the wheel sensor, positions missing for 1 h 50 min.
    if let Some(activity) = corpus("goldencheetah/2013-04-11-17-32-50.fit") {
        let q = gps::assess(&activity).unwrap();
        eprintln!("Edge 500 ride: {} {:?}", q.score, q.reasons);
        assert!(q.score < 50.0, "{}", q.score);
        assert!(q.reasons.iter().any(
            |r| matches!(r.issue, GpsIssue::PositionsMissing { percent, .. } if percent > 80.0)
        ));
        assert!(q.reasons.iter().any(
            |r| matches!(r.issue, GpsIssue::DistanceMismatch { percent, .. } if percent < -90.0)
        ));
        assert!(clean.is_none_or(|c| q.score < c));
    }
    // An Edge 1030 Plus "virtual activity" whose records interleave two position streams some
    // 60 m apart (the device's distance goes back and forth with them): most fixes are jumps.
    if let Some(activity) = corpus("goldencheetah/14582164182.fit") {
        let q = gps::assess(&activity).unwrap();
        eprintln!("virtual ride: {} {:?}", q.score, q.reasons);
        assert!(q.score < 40.0, "{}", q.score);
        assert!(q.rejected_points > q.fixes / 3);
        assert_eq!(q.reasons[0].issue.code(), "jumps_removed");
    }
}

#[test]
fn a_treadmill_run_has_no_gps_assessment() {
    let Some(activity) = corpus("sports-lib/6860622783.fit") else {
        return;
    };
    assert_eq!(activity.sub_sport, Some(1), "treadmill");
    assert!(gps::assess(&activity).is_none());
}

/// One hour of running at 1 Hz: heart rate 150 → 160 bpm with ±1.5 bpm of noise, cadence
/// 170 ± 3 steps/min.
fn steady_run(seed: u64) -> Activity {
    let mut noise = Gauss(seed);
    let n = 3600;
    let time: Vec<f64> = (0..n).map(|k| 1.7e9 + k as f64).collect();
    let hr = (0..n)
        .map(|k| (150.0 + 10.0 * k as f64 / n as f64 + 1.5 * noise.next().clamp(-2.0, 2.0)) as f32)
        .collect();
    let cadence = (0..n)
        .map(|k| (170.0 + 3.0 * (k as f64 / 50.0).sin()) as f32)
        .collect();
    Activity {
        sport: Sport::Running,
        records: Records {
            time,
            heart_rate: Some(hr),
            cadence: Some(cadence),
            ..Records::default()
        },
        ..Activity::default()
    }
}

#[test]
fn a_clean_heart_rate_is_not_flagged() {
    let q = heart_rate::assess(&steady_run(1)).unwrap();
    assert_eq!(q.flags, vec![]);
    assert_eq!(q.verdict, HrVerdict::Ok);
    assert_eq!(q.valid_samples, 3600);
}

#[test]
fn dropouts_spikes_and_cadence_lock_are_flagged_with_their_spans() {
    let mut run = steady_run(2);
    let r = &mut run.records;
    let cadence = r.cadence.clone().unwrap();
    let hr = r.heart_rate.as_mut().unwrap();
    for v in &mut hr[300..330] {
        *v = f32::NAN; // strap lost contact
    }
    for v in &mut hr[1000..1010] {
        *v = 0.0; // the device wrote zeros
    }
    hr[2000] += 60.0; // a one-second spike
    for v in &mut hr[2500..2503] {
        *v = 215.0; // a three-second spike
    }
    hr[2800] = 250.0; // out of range
    for k in 3000..3300 {
        hr[k] = cadence[k] + if k % 2 == 0 { 0.5 } else { -1.0 }; // locked onto the arm swing
    }
    let q = heart_rate::assess(&run).unwrap();
    let spans: Vec<(&str, usize, usize)> = q
        .flags
        .iter()
        .map(|f| (f.issue.code(), f.start_index, f.end_index))
        .collect();
    assert_eq!(
        spans,
        vec![
            ("dropout", 300, 329),
            ("dropout", 1000, 1009),
            ("out_of_range", 2800, 2800),
            ("spike", 2000, 2000),
            ("spike", 2500, 2502),
            ("cadence_lock", 3000, 3299),
        ]
    );
    let f = &q.flags;
    assert_eq!(f[0].issue, HrIssue::Dropout { seconds: 31.0 });
    assert_eq!(f[0].message, "no heart rate for 31 s at 5:00");
    assert_eq!(f[1].issue, HrIssue::Dropout { seconds: 11.0 });
    assert!(matches!(f[4].issue, HrIssue::Spike { to_bpm, .. } if to_bpm == 215.0));
    let HrIssue::CadenceLock {
        half,
        seconds,
        cadence_spm,
    } = f[5].issue
    else {
        panic!("{:?}", f[5].issue)
    };
    assert!(!half && seconds == 299.0 && (cadence_spm - 170.0).abs() < 3.0);
    assert!(
        f[5].message.starts_with("heart rate followed cadence (1"),
        "{}",
        f[5].message
    );
    assert_eq!(
        (f[5].start_time, f[5].end_time),
        (1.7e9 + 3000.0, 1.7e9 + 3299.0)
    );
    assert_eq!(q.spikes, 3);
    assert_eq!(q.dropout_s, 42.0);
    assert_eq!(q.verdict, HrVerdict::Suspect);
}

#[test]
fn heart_rate_at_half_the_cadence_is_a_lock_too() {
    let mut run = steady_run(3);
    let cadence = run.records.cadence.clone().unwrap();
    let hr = run.records.heart_rate.as_mut().unwrap();
    // From 10 min to 20 min one beat per stride, reached and left gently (no spikes).
    for k in 500..1300 {
        let target = cadence[k] / 2.0;
        let f = match k {
            ..600 => (k - 500) as f32 / 100.0,
            1200.. => (1300 - k) as f32 / 100.0,
            _ => 1.0,
        };
        hr[k] = hr[k] * (1.0 - f) + target * f;
    }
    let q = heart_rate::assess(&run).unwrap();
    let lock = q
        .flags
        .iter()
        .find(|f| f.issue.code() == "cadence_lock")
        .expect("a lock");
    assert!(matches!(
        lock.issue,
        HrIssue::CadenceLock { half: true, .. }
    ));
    assert!(
        lock.start_index <= 600 && (1199..1205).contains(&lock.end_index),
        "{lock:?}"
    );
    assert!(
        !q.flags.iter().any(|f| f.issue.code() == "spike"),
        "{:?}",
        q.flags
    );
}

#[test]
fn a_run_without_heart_rate_has_no_assessment() {
    let mut run = steady_run(4);
    run.records.heart_rate = None;
    assert!(heart_rate::assess(&run).is_none());
    run.records.heart_rate = Some(vec![0.0; 3600]);
    assert!(heart_rate::assess(&run).is_none(), "zeros only");
}

/// Lists what the corpus's runs are flagged for, and checks the verdicts of files known to be
/// clean or not.
#[test]
fn heart_rate_flags_in_the_corpus() {
    let runs = [
        "goldencheetah/14211916346_ACTIVITY.fit",
        "goldencheetah/Fr955v19.28andStryd.fit",
        "goldencheetah/HRV-Data.fit",
        "goldencheetah/Garmin920_withFirstbeat.fit",
        "goldencheetah/Move_2019_03_17_10_24_32_Running.fit",
        "jimmykane-fit-parser/running-with-developer-data.fit",
        "python-fitparse/developer-types-sample.fit",
        "sports-lib/6782987395.fit",
        "sports-lib/6860622783.fit",
        "sports-lib/garmin.fit",
        "tormoder-fit/mornindew-broken.fit",
    ];
    for file in runs {
        let Some(activity) = corpus(file) else {
            continue;
        };
        let Some(q) = heart_rate::assess(&activity) else {
            eprintln!("{file}: no heart rate");
            continue;
        };
        eprintln!("{file}: {:?}", q.verdict);
        for flag in &q.flags {
            eprintln!("  {}: {}", flag.issue.code(), flag.message);
        }
    }
    // The FR955 run: a chest strap, nothing to flag.
    if let Some(activity) = corpus("goldencheetah/14211916346_ACTIVITY.fit") {
        let q = heart_rate::assess(&activity).unwrap();
        assert_eq!((q.verdict, q.flags.len()), (HrVerdict::Ok, 0));
    }
    // tormoder/fit's "broken" FR920XT run loses the heart rate for its last 17 minutes.
    if let Some(activity) = corpus("tormoder-fit/mornindew-broken.fit") {
        let q = heart_rate::assess(&activity).unwrap();
        assert_eq!(q.verdict, HrVerdict::Suspect);
        assert!(
            q.flags
                .iter()
                .any(|f| matches!(f.issue, HrIssue::Dropout { seconds } if seconds > 900.0))
        );
    }
}
