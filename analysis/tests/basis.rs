//! The settings-independent basis of a summary over the real corpus (`../shared/fixtures`, read
//! in place): loads recomputed from a basis stored with the defaults equal the loads computed
//! from the file with the runner's settings, for every file; rMSSD of the corpus' RR recordings;
//! VO2max from steady segments of real runs; resting heart rate from a monitoring file.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::path::{Path, PathBuf};

use analysis::models::dashboard::{DashboardSettings, dashboard};
use analysis::models::vo2max::{self, Vo2maxMethod};
use analysis::models::{History, LoadKind, RunPoint};
use analysis::summary::{BASIS_VERSION, analyze_bytes};
use analysis::{Athlete, Sex};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/fixtures");

fn corpus() -> Vec<PathBuf> {
    let root = Path::new(FIXTURES);
    common::corpus_files(root, &["fit", "gpx", "tcx"])
        .into_iter()
        .map(|f| root.join(f))
        .collect()
}

fn read(relative: &str) -> Vec<u8> {
    std::fs::read(Path::new(FIXTURES).join(relative)).expect("the shared corpus is present")
}

/// Settings a runner might type on /settings.
fn athletes() -> Vec<Athlete> {
    vec![
        Athlete {
            max_hr: Some(184.0),
            rest_hr: Some(44.0),
            ..Athlete::default()
        },
        Athlete {
            max_hr: Some(201.0),
            rest_hr: Some(38.0),
            threshold_hr: Some(176.0),
            threshold_speed: Some(1_000.0 / 255.0),
            sex: Sex::Female,
            ..Athlete::default()
        },
        Athlete {
            rest_hr: Some(52.0),
            threshold_speed: Some(1_000.0 / 300.0),
            hr_zones: Some(vec![120.0, 140.0, 155.0, 170.0, 190.0]),
            ..Athlete::default()
        },
    ]
}

#[test]
fn loads_from_the_stored_basis_equal_loads_from_the_file_for_every_corpus_file() {
    let (mut files, mut with_trimp, mut with_rtss) = (0, 0, 0);
    for path in corpus() {
        let bytes = std::fs::read(&path).unwrap();
        let Ok(stored) = analyze_bytes(&bytes, &Athlete::default()) else {
            continue;
        };
        files += 1;
        let basis = stored.basis.as_ref().expect("every summary has a basis");
        assert_eq!(basis.version, BASIS_VERSION);
        assert!(!stored.is_stale());
        for athlete in athletes() {
            let direct = analyze_bytes(&bytes, &athlete).unwrap();
            let recomputed = stored.for_athlete(&athlete);
            assert_eq!(recomputed.load, direct.load, "{}", path.display());
            assert_eq!(recomputed.metrics, direct.metrics, "{}", path.display());
            with_trimp += usize::from(direct.load.trimp.is_some());
            with_rtss += usize::from(direct.load.rtss.is_some());
        }
        // The histogram holds the timer time with heart rate: never more than the timer time.
        let hr_s: f64 = basis.load.hr_seconds.iter().map(|b| b.1).sum();
        if let Some(timer) = stored.timer_s {
            assert!(hr_s <= timer + 1e-6, "{}: {hr_s} > {timer}", path.display());
        }
    }
    // Most of the corpus decodes, and the loads were really exercised.
    assert!(files > 150, "{files}");
    assert!(with_trimp > 200, "{with_trimp}");
    assert!(with_rtss > 50, "{with_rtss}");
}

#[test]
fn rmssd_of_the_corpus_rr_recordings() {
    // GoldenCheetah's HRV-Data.fit (a Stryd run, 9 350 RR values per SOURCES.md) and IpBike's
    // (7 033 values, with 154 missed-beat intervals the device summary tripped on).
    for (file, rr) in [
        ("goldencheetah/HRV-Data.fit", 9_350),
        ("goldencheetah/IpBike-HRV-Data.fit", 7_033),
    ] {
        let s = analyze_bytes(&read(file), &Athlete::default()).unwrap();
        let r = s.basis.unwrap().rmssd.expect(file);
        assert_eq!(r.beats_used + r.beats_rejected, rr, "{file}");
        // During a run rMSSD is low: a few milliseconds.
        assert!(r.rmssd_ms > 1.0 && r.rmssd_ms < 40.0, "{file}: {r:?}");
        assert!(r.pairs < r.beats_used);
        assert_eq!(r.ln_rmssd, r.rmssd_ms.ln());
    }
    // IpBike's missed beats are removed as artefacts.
    let ipbike = analyze_bytes(
        &read("goldencheetah/IpBike-HRV-Data.fit"),
        &Athlete::default(),
    )
    .unwrap()
    .basis
    .unwrap()
    .rmssd
    .unwrap();
    assert!(ipbike.beats_rejected >= 154, "{ipbike:?}");
    // A file without RR has none.
    let plain = analyze_bytes(
        &read("goldencheetah/Move_2014_01_16_19_48_44.gpx"),
        &Athlete::default(),
    )
    .unwrap();
    assert_eq!(plain.basis.unwrap().rmssd, None);
}

#[test]
fn vo2max_from_steady_segments_of_real_runs() {
    // Every running file of the corpus with heart rate and speed: the estimates that exist are
    // physiologically plausible and rest on segments of at least two minutes.
    let mut estimates = Vec::new();
    for path in corpus() {
        let Ok(s) = analyze_bytes(&std::fs::read(&path).unwrap(), &Athlete::default()) else {
            continue;
        };
        let basis = s.basis.unwrap();
        for seg in &basis.steady {
            assert!(
                seg.duration_s >= 120.0 && seg.duration_s <= 660.0,
                "{seg:?}"
            );
            assert!(seg.speed_mps > 0.0 && seg.hr_bpm > 0.0);
        }
        if let Some(e) = vo2max::from_segments(&basis.steady, 190.0, Some(50.0)) {
            assert!(
                (20.0..=90.0).contains(&e.vo2max),
                "{}: {e:?}",
                path.display()
            );
            estimates.push((path, e));
        }
    }
    assert!(estimates.len() >= 10, "{}", estimates.len());
    // Runs at one pace give no line: their estimates come from the heart-rate reserve.
    let regression = estimates
        .iter()
        .filter(|(_, e)| e.method == Vo2maxMethod::Regression)
        .count();
    println!("{} estimates, {regression} by regression", estimates.len());
    for (p, e) in &estimates {
        println!(
            "{}: {:.1} {:?} {} segments",
            p.display(),
            e.vo2max,
            e.method,
            e.segments
        );
    }
    // The estimate follows the maximum heart rate the runner sets: a higher maximum, a higher
    // VO2max (each segment is then a smaller fraction of the heart-rate reserve).
    let moved = estimates
        .iter()
        .filter_map(|(path, e)| {
            let s = analyze_bytes(&std::fs::read(path).unwrap(), &Athlete::default()).unwrap();
            let higher = vo2max::from_segments(&s.basis.unwrap().steady, 195.0, Some(50.0))?;
            Some((e.vo2max, higher.vo2max))
        })
        .collect::<Vec<_>>();
    assert!(!moved.is_empty());
    assert!(
        moved.iter().all(|(at190, at195)| at195 > at190),
        "{moved:?}"
    );
}

#[test]
fn a_monitoring_file_without_resting_heart_rate_gives_none() {
    // The FIT SDK's MonitoringFile.fit (via muktihari/fit, BSD-3) has monitoring messages but no
    // monitoring_hr_data: no resting heart rate is made up from it.
    let bytes = read("muktihari-fit/MonitoringFile.fit");
    let activity = analysis::decode(&bytes).unwrap();
    assert!(activity.monitoring.is_some_and(|m| m.messages > 0));
    let w = analyze_bytes(&bytes, &Athlete::default())
        .unwrap()
        .basis
        .unwrap()
        .wellness;
    assert!(w.is_empty(), "{w:?}");
}

#[test]
fn a_library_of_corpus_runs_through_the_dashboard() {
    // The MIT-licensed runs of the corpus, as the browser's library and `stride predict
    // --dashboard` read them.
    let mut summaries = Vec::new();
    for dir in ["python-fitparse", "jimmykane-fit-parser", "tormoder-fit"] {
        for path in corpus()
            .into_iter()
            .filter(|p| p.starts_with(Path::new(FIXTURES).join(dir)))
        {
            if let Ok(s) = analyze_bytes(&std::fs::read(&path).unwrap(), &Athlete::default()) {
                summaries.push(s);
            }
        }
    }
    let defaults = Athlete::default();
    let history = History::from_summaries(&summaries, &defaults);
    let last = history.runs.iter().map(|r| r.day).max().unwrap();
    let d = dashboard(&history, last, &DashboardSettings::default(), &defaults);
    assert_eq!(d.runs, history.runs.len());
    assert!(d.current.is_some());
    // hrTSS and other time constants change fitness; an athlete's anchors change the TRIMPs.
    let hrtss = dashboard(
        &history,
        last,
        &DashboardSettings {
            load: LoadKind::HrTss,
            ctl_days: 28.0,
            atl_days: 5.0,
        },
        &defaults,
    );
    assert_eq!(hrtss.settings.ctl_days, 28.0);
    assert_ne!(hrtss.current.unwrap().ctl, d.current.unwrap().ctl);
    let mine = &athletes()[0];
    let rescored = History::from_summaries(&summaries, mine);
    // The history is in start order, whatever the order of the summaries.
    summaries.sort_by(|a, b| {
        a.start_time.cmp(&b.start_time).then(
            a.distance_m
                .partial_cmp(&b.distance_m)
                .unwrap_or(std::cmp::Ordering::Equal),
        )
    });
    summaries.reverse();
    assert_eq!(History::from_summaries(&summaries, mine), rescored);
    summaries.reverse();
    // Seven of python-fitparse's files are one 13-second activity (Garmin's SDK's Activity.fit,
    // its chained, damaged and settings-bearing variants): the history counts it once.
    let once = analysis::same_activity::one_per_activity(&summaries);
    assert_eq!(summaries.len() - once.len(), 6);
    let direct: Vec<RunPoint> = once
        .iter()
        .filter_map(|s| RunPoint::from_summary(&s.for_athlete(mine)))
        .collect();
    assert_eq!(
        rescored.runs.iter().map(|r| r.trimp).collect::<Vec<_>>(),
        direct.iter().map(|r| r.trimp).collect::<Vec<_>>()
    );
    // Unusable time constants fall back to 42/7.
    let bad = dashboard(
        &history,
        last,
        &DashboardSettings {
            load: LoadKind::Trimp,
            ctl_days: 5.0,
            atl_days: 9.0,
        },
        &defaults,
    );
    assert_eq!(bad.settings, DashboardSettings::default());
    assert_eq!(bad.current, d.current);
    // ACWR is shown with its critique; no overnight HRV in these files.
    assert!(d.acwr.critique.contains("Impellizzeri"));
    assert!(d.hrv.status.is_none());
    assert!(d.hrv.explanation.starts_with("Not enough overnight HRV"));
}
