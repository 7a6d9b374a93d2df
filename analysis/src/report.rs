//! The run report: every metric, splits, laps, zones and best efforts of one run, in SI units,
//! ready to serialise for the UI and the command line.

use serde::{Deserialize, Serialize};

use crate::activity::summary_span;
use crate::metrics::run::IMPLAUSIBLE_GAP_S;
use crate::metrics::{self, BestEffort, MetricValues, Run};
use crate::units::METERS_PER_MILE;
use crate::{Activity, Athlete, Sport};

/// Splits, laps: figures of parts of a run.
pub mod segments;
pub use segments::Segment;

/// Heart-rate and pace zones.
pub mod zones;
pub use zones::{Zone, Zones, hr_zones, pace_zones};

/// A final split shorter than this, in metres, is not reported (a run that ends a few
/// centimetres past a kilometre has no 0.00 km split).
pub const MIN_PARTIAL_SPLIT_M: f64 = 1.0;

/// If the records' timer time and the device's differ by more than this fraction (and a
/// minute), the report warns that the records may be incomplete.
const TIMER_MISMATCH: f64 = 0.05;

/// One kilometre or mile of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Split {
    /// 0 for the first split.
    pub index: usize,
    /// Where the split starts, metres into the run.
    pub start_distance_m: f64,
    /// When the split starts, seconds after the run's first record.
    pub start_offset_s: f64,
    /// The split's figures; its distance is the split length but for the last, partial, split.
    #[serde(flatten)]
    pub stats: Segment,
}

/// The device's own figures of a lap, as it wrote them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LapDevice {
    /// Timer time, seconds.
    pub timer_s: Option<f64>,
    /// Elapsed time, seconds.
    pub elapsed_s: Option<f64>,
    /// Distance, metres.
    pub distance_m: Option<f64>,
    /// Average speed, m/s.
    pub avg_speed_mps: Option<f64>,
    /// Average heart rate, bpm.
    pub avg_hr: Option<f64>,
    /// Maximum heart rate, bpm.
    pub max_hr: Option<f64>,
}

/// One of the device's laps: what the device said, and what Stride computes from the records in
/// the lap's time span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LapStats {
    /// 0 for the run's first lap.
    pub index: usize,
    /// Start, UTC seconds since the epoch.
    pub start_time: Option<f64>,
    /// Start, seconds after the run's first record.
    pub start_offset_s: Option<f64>,
    /// FIT `intensity` (0 active, 1 rest, 2 warm-up, 3 cool-down, …).
    pub intensity: Option<u8>,
    /// FIT `lap_trigger` (0 manual, 1 time, 2 distance, 3 position, …).
    pub trigger: Option<u8>,
    /// The device's figures.
    pub device: LapDevice,
    /// Stride's figures from the records.
    pub computed: Segment,
}

/// Everything Stride computes about one run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RunReport {
    /// Every metric of [`metrics::ALL`] that applies.
    pub metrics: MetricValues,
    /// Kilometre splits, the last one partial.
    pub splits_km: Vec<Split>,
    /// Mile splits, the last one partial.
    pub splits_mile: Vec<Split>,
    /// The device's laps with Stride's figures.
    pub laps: Vec<LapStats>,
    /// Time in heart-rate zones, when the run has heart rate.
    pub hr_zones: Option<Zones>,
    /// Time in pace zones, when the athlete has a threshold speed or pace zones.
    pub pace_zones: Option<Zones>,
    /// Best efforts over the standard distances the run covers.
    pub best_efforts: Vec<BestEffort>,
    /// What the reader should know: damaged data, assumptions made.
    pub warnings: Vec<String>,
    /// The GPS assessment (score with reasons, the cleaned track for the map), when the run
    /// has positions.
    #[serde(default)]
    pub gps: Option<crate::GpsQuality>,
    /// The heart-rate quality flags, when the run has heart rate.
    #[serde(default)]
    pub hr_quality: Option<crate::HrQuality>,
    /// What the athlete models need, independent of the settings (see
    /// [`RunBasis`](crate::summary::RunBasis)).
    #[serde(default)]
    pub basis: Option<crate::summary::RunBasis>,
}

/// Analyses an activity as one run. A multisport activity is analysed over its running session
/// (the longest, if several), with a warning; every other activity over all its records.
///
/// ```
/// use analysis::{Activity, Athlete, Records, report::analyze};
/// // Ten minutes at 4:00/km.
/// let time: Vec<f64> = (0..=600).map(f64::from).collect();
/// let distance = time.iter().map(|t| t * 1000.0 / 240.0).collect();
/// let activity = Activity {
///     records: Records { time, distance: Some(distance), ..Records::default() },
///     ..Activity::default()
/// };
/// let report = analyze(&activity, &Athlete::default());
/// assert_eq!(report.metrics.get("distance_m"), Some(2500.0));
/// assert_eq!(report.splits_km.len(), 3);
/// assert_eq!(report.splits_km[0].stats.elapsed_s.round(), 240.0);
/// assert_eq!(report.best_efforts[1].time_s.round(), 240.0); // 1 km
/// ```
pub fn analyze(activity: &Activity, athlete: &Athlete) -> RunReport {
    analyze_with_chart(activity, athlete, false).0
}

/// [`analyze`], and with `chart` also the chart data of the same run (the run page's charts
/// and map: [`crate::chart::chart_data`]).
pub fn analyze_with_chart(
    activity: &Activity,
    athlete: &Athlete,
    chart: bool,
) -> (RunReport, Option<crate::ChartData>) {
    let mut warnings = Vec::new();
    let running = running_session(activity);
    let run = match running.and_then(|i| Run::session(activity, athlete, i)) {
        Some(run) => {
            let i = run.session_index().unwrap_or(0);
            warnings.push(format!(
                "multisport activity: the report covers the running session ({} of {})",
                i + 1,
                activity.sessions.len()
            ));
            run
        }
        None => Run::new(activity, athlete),
    };
    let mut report = analyze_run(&run);
    warnings.append(&mut report.warnings);
    report.warnings = warnings;
    let chart = if chart {
        crate::chart::chart_data(&run)
    } else {
        None
    };
    (report, chart)
}

/// The session a multisport activity's report covers: its running session with the longest
/// timer time. `None` for other activities.
fn running_session(activity: &Activity) -> Option<usize> {
    let sports = |s: &crate::Session| s.summary.sport;
    let multisport = activity.sport == Sport::Multisport
        || activity
            .sessions
            .windows(2)
            .any(|w| sports(&w[0]) != sports(&w[1]));
    if !multisport {
        return None;
    }
    activity
        .sessions
        .iter()
        .enumerate()
        .filter(|(_, s)| s.summary.sport == Some(Sport::Running))
        .max_by(|a, b| {
            let t = |s: &crate::Session| s.summary.total_timer_time.unwrap_or(0.0);
            t(a.1).total_cmp(&t(b.1))
        })
        .map(|(i, _)| i)
}

/// Analyses one run (all of an activity, or one session of it: [`Run::session`]).
pub fn analyze_run(run: &Run<'_>) -> RunReport {
    let metrics = metrics::compute_all(run);
    let splits_km = splits(run, 1_000.0, metrics.get("distance_m"));
    let splits_mile = splits(run, METERS_PER_MILE, metrics.get("distance_m"));
    RunReport {
        laps: laps(run),
        hr_zones: hr_zones(run),
        pace_zones: pace_zones(run),
        best_efforts: run.best_efforts().to_vec(),
        warnings: warnings(run, &metrics),
        gps: run.gps().cloned(),
        hr_quality: crate::quality::heart_rate::assess(run.activity),
        basis: Some(crate::summary::RunBasis::of(run, &metrics)),
        metrics,
        splits_km,
        splits_mile,
    }
}

/// Splits of `length` metres over the run's distance, the last partial.
fn splits(run: &Run<'_>, length: f64, total: Option<f64>) -> Vec<Split> {
    let Some(total) = total.filter(|t| *t > 0.0) else {
        return Vec::new();
    };
    if run.distance_series().is_none() {
        return Vec::new();
    }
    let full = (total / length).floor() as usize;
    let count = full + usize::from(total - full as f64 * length >= MIN_PARTIAL_SPLIT_M);
    let windows: Vec<(f64, f64)> = (0..count)
        .map(|k| {
            let lo = if k == 0 {
                f64::NEG_INFINITY
            } else {
                k as f64 * length
            };
            let hi = if k + 1 == count {
                f64::INFINITY
            } else {
                (k + 1) as f64 * length
            };
            (lo, hi)
        })
        .collect();
    let mut offset = 0.0;
    segments::segments(run, segments::Axis::Distance, &windows)
        .into_iter()
        .enumerate()
        .map(|(k, stats)| {
            let split = Split {
                index: k,
                start_distance_m: k as f64 * length,
                start_offset_s: offset,
                stats,
            };
            offset += split.stats.elapsed_s;
            split
        })
        .collect()
}

/// The device's laps within the run, with Stride's figures over each lap's time span.
fn laps(run: &Run<'_>) -> Vec<LapStats> {
    let activity = run.activity;
    let scope = run
        .session_index()
        .and_then(|i| summary_span(&activity.sessions[i].summary));
    let first_time = run.times().iter().copied().find(|t| t.is_finite());
    // The laps in scope that have a span, in time order, each clipped to start after the last.
    let mut spans: Vec<(usize, (f64, f64))> = activity
        .laps
        .iter()
        .enumerate()
        .filter_map(|(i, l)| Some((i, summary_span(&l.summary)?)))
        .filter(|(_, (start, _))| scope.is_none_or(|(a, b)| *start >= a - 1.0 && *start < b))
        .collect();
    spans.sort_by(|a, b| a.1.0.total_cmp(&b.1.0));
    let mut windows = Vec::with_capacity(spans.len());
    let mut end = f64::NEG_INFINITY;
    for (_, (start, stop)) in &spans {
        let lo = start.max(end);
        let hi = stop.max(lo);
        windows.push((lo, hi));
        end = hi;
    }
    let computed = segments::segments(run, segments::Axis::Time, &windows);
    spans
        .iter()
        .zip(computed)
        .enumerate()
        .map(|(k, (&(i, _), computed))| {
            let lap = &activity.laps[i];
            let s = &lap.summary;
            LapStats {
                index: k,
                start_time: s.start_time,
                start_offset_s: s.start_time.zip(first_time).map(|(s, f)| s - f),
                intensity: lap.intensity,
                trigger: lap.trigger,
                device: LapDevice {
                    timer_s: s.total_timer_time,
                    elapsed_s: s.total_elapsed_time,
                    distance_m: s.total_distance,
                    avg_speed_mps: s.avg_speed,
                    avg_hr: s.avg_heart_rate,
                    max_hr: s.max_heart_rate,
                },
                computed,
            }
        })
        .collect()
}

/// What the reader of the report should know.
fn warnings(run: &Run<'_>, metrics: &MetricValues) -> Vec<String> {
    let activity = run.activity;
    let mut out: Vec<String> = activity
        .warnings
        .iter()
        .map(|w| format!("file: {w}"))
        .collect();
    let records = &activity.records;
    if run.session_index().is_none() && run.records_range().end < records.len() {
        out.push(format!(
            "{} record(s) at the end with implausible timestamps (more than {} h after the one \
             before) were ignored",
            records.len() - run.records_range().end,
            IMPLAUSIBLE_GAP_S / 3600.0
        ));
    }
    if run.times().iter().all(|t| !t.is_finite()) {
        out.push("no timed records: figures come from the device's summary".to_owned());
        return out;
    }
    if !run.timeline().from_events {
        out.push(format!(
            "no timer events: gaps between records over {} s are taken as pauses",
            metrics::run::PAUSE_GAP_S
        ));
    }
    let device = run.summary_sum(|s| s.total_timer_time);
    if let (Some(ours), Some(device)) = (metrics.get("timer_s"), device)
        && (ours - device).abs() > (TIMER_MISMATCH * device).max(60.0)
    {
        out.push(format!(
            "the records span {ours:.0} s of timer time but the device counted {device:.0} s: \
             the records may be incomplete"
        ));
    }
    if run.distance_series().is_none() {
        out.push("no distance, speed or position: no splits, pace or best efforts".to_owned());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Lap, Records, Session, Summary};

    /// A 1 Hz run at a constant `speed` for `seconds`, heart rate 150, climbing 1 m every
    /// 100 m.
    fn steady(seconds: u32, speed: f64) -> Activity {
        let time: Vec<f64> = (0..=seconds).map(f64::from).collect();
        let distance: Vec<f64> = time.iter().map(|t| t * speed).collect();
        let altitude = distance.iter().map(|d| (d / 100.0) as f32).collect();
        Activity {
            sport: Sport::Running,
            records: Records {
                heart_rate: Some(vec![150.0; time.len()]),
                cadence: Some(vec![170.0; time.len()]),
                altitude: Some(altitude),
                time,
                distance: Some(distance),
                ..Records::default()
            },
            ..Activity::default()
        }
    }

    #[test]
    fn splits_of_a_constant_pace_run() {
        // 10.5 km at 5:00/km (3.3333 m/s): ten 300-s kilometres and a 150-s half.
        let speed = 1000.0 / 300.0;
        let a = steady(3150, speed);
        let r = analyze(&a, &Athlete::default());
        assert_eq!(r.splits_km.len(), 11);
        for s in &r.splits_km[..10] {
            assert!((s.stats.distance_m - 1000.0).abs() < 1e-6);
            assert!((s.stats.elapsed_s - 300.0).abs() < 1e-6, "{s:?}");
            assert!((s.stats.timer_s - 300.0).abs() < 1e-6);
            assert!((s.stats.avg_speed_mps.unwrap() - speed).abs() < 1e-9);
            assert_eq!(s.stats.avg_hr, Some(150.0));
            assert_eq!(s.stats.avg_cadence_spm, Some(170.0));
        }
        let last = &r.splits_km[10];
        assert!((last.stats.distance_m - 500.0).abs() < 1e-6);
        assert!((last.stats.elapsed_s - 150.0).abs() < 1e-6);
        assert!((last.start_offset_s - 3000.0).abs() < 1e-6);
        assert_eq!(last.start_distance_m, 10_000.0);
        // 105 m climbed in all, attributed where it happens: 10 m per km after the first band.
        let up: f64 = r.splits_km.iter().map(|s| s.stats.ascent_m.unwrap()).sum();
        assert!((up - r.metrics.get("ascent_m").unwrap()).abs() < 1e-3);
        assert!((r.splits_km[5].stats.ascent_m.unwrap() - 10.0).abs() < 0.1);
        // Mile splits: 6 full miles and a partial one.
        assert_eq!(r.splits_mile.len(), 7);
        let mile = &r.splits_mile[0].stats;
        assert!((mile.elapsed_s - METERS_PER_MILE / speed).abs() < 1e-6);
        let total: f64 = r.splits_mile.iter().map(|s| s.stats.distance_m).sum();
        assert!((total - 10_500.0).abs() < 1e-6);
    }

    #[test]
    fn a_run_ending_on_the_kilometre_has_no_empty_split() {
        let a = steady(600, 5.0);
        let r = analyze(&a, &Athlete::default());
        assert_eq!(r.splits_km.len(), 3);
        assert_eq!(r.best_efforts.len(), 3); // 400 m, 1 km, mile
    }

    #[test]
    fn laps_get_computed_figures() {
        let mut a = steady(600, 4.0);
        let lap = |start: f64, secs: f64, d: f64| Lap {
            summary: Summary {
                start_time: Some(start),
                total_elapsed_time: Some(secs),
                total_timer_time: Some(secs),
                total_distance: Some(d),
                avg_heart_rate: Some(150.0),
                ..Summary::default()
            },
            intensity: Some(0),
            trigger: Some(2),
        };
        a.laps = vec![lap(0.0, 250.0, 1000.0), lap(250.0, 350.0, 1400.0)];
        let r = analyze(&a, &Athlete::default());
        assert_eq!(r.laps.len(), 2);
        let second = &r.laps[1];
        assert_eq!(second.start_offset_s, Some(250.0));
        assert_eq!(second.device.distance_m, Some(1400.0));
        assert!((second.computed.distance_m - 1400.0).abs() < 1e-6);
        assert!((second.computed.timer_s - 350.0).abs() < 1e-6);
        assert_eq!(second.computed.avg_hr, Some(150.0));
        assert_eq!(second.trigger, Some(2));
    }

    #[test]
    fn multisport_reports_the_running_session() {
        // Cycling 0-600 s, running 600-1200 s.
        let mut a = steady(1200, 5.0);
        let session = |sport, start: f64| Session {
            summary: Summary {
                sport: Some(sport),
                start_time: Some(start),
                total_elapsed_time: Some(600.0),
                total_timer_time: Some(600.0),
                ..Summary::default()
            },
            ..Session::default()
        };
        a.sport = Sport::Multisport;
        a.sessions = vec![session(Sport::Cycling, 0.0), session(Sport::Running, 600.0)];
        let r = analyze(&a, &Athlete::default());
        assert_eq!(r.metrics.get("distance_m"), Some(3000.0));
        assert_eq!(r.metrics.get("timer_s"), Some(600.0));
        assert!(r.warnings[0].starts_with("multisport"), "{:?}", r.warnings);
        assert!(r.metrics.get("avg_cadence_spm").is_some());
    }

    #[test]
    fn empty_activity_gives_an_empty_report() {
        let r = analyze(&Activity::default(), &Athlete::default());
        assert!(r.metrics.is_empty());
        assert!(r.splits_km.is_empty() && r.laps.is_empty() && r.best_efforts.is_empty());
        assert!(r.hr_zones.is_none() && r.pace_zones.is_none());
    }
}
