//! GPS quality: implausible points rejected, the track smoothed (constant-velocity Kalman filter
//! and RTS smoother), the distance measured again on the smoothed track, and a 0–100 score with
//! the reasons it is not 100.
//!
//! The steps, each O(n):
//!
//! 1. **Fixes.** A record has a fix when it has a time and a valid position
//!    ([`is_valid_position`](crate::series::geo::is_valid_position): finite, in range, not
//!    (0, 0)). Fixes are projected to metres in a
//!    [`LocalFrame`](crate::series::geo::LocalFrame) around the first one.
//! 2. **Jumps.** The fixes are cut into runs wherever a step is implausible: longer than
//!    `max_speed_mps · Δt + slack_m` ([`GpsLimits`]; 12 m/s on foot, faster than any runner,
//!    plus room for the fixes' own error). Runs of fewer than `min_run_points` fixes are
//!    rejected while a longer one exists (a spike, a burst of multipath, a bad first fix); so
//!    is an excursion: a run of up to two minutes, shorter than its neighbours, that the track
//!    leaves and comes back from as if it were not there.
//! 3. **Spikes.** A single kept fix that sits further from the chord between its kept neighbours
//!    than `max_acceleration_mps2 · Δt₁ · Δt₂ / 2 + slack_m` needs an acceleration no runner has,
//!    and is rejected.
//! 4. **Smoothing.** The kept fixes go through
//!    [`ConstantVelocity::smooth`](crate::series::kalman::ConstantVelocity::smooth), with the
//!    track's own noise level as measurement noise
//!    ([`estimate_sigma`](crate::series::kalman::estimate_sigma), 1–10 m; the default 4 m when
//!    the fixes are too sparse to tell); rejected and missing fixes are interpolated inside a
//!    segment, and segments end at silences.
//! 5. **Distance.** The smoothed track is measured
//!    ([`equirectangular_m`](crate::series::geo::equirectangular_m) per step); a silence between
//!    two segments is bridged in a straight line when the timer ran through it (signal lost in
//!    a tunnel), not when it was stopped.
//! 6. **Score.** 100 minus the penalties of [`GpsIssue`], each capped:
//!
//!    | issue | penalty | cap |
//!    |---|---|---|
//!    | jumps removed | 2 a jump + 1 per % of the fixes rejected | 40 |
//!    | unresolved jumps | 5 each | 20 |
//!    | device distance differs | 3 per % beyond 2 % | 25 |
//!    | sparse points | 3 per second of median interval beyond 1 s | 15 |
//!    | positions missing | 1 per % of the timer time | 30 |
//!    | noisy track | 3 per metre of scatter beyond 3 m | 20 |
//!
//!    The score never goes below 0.

use serde::{Deserialize, Serialize};

use crate::series::geo::{LocalFrame, StepMeter, is_valid_position};
use crate::series::kalman::{ConstantVelocity, estimate_sigma};
use crate::series::timer::timer_durations;
use crate::{Activity, Sport};

/// The thresholds of the GPS cleanup.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GpsLimits {
    /// The fastest plausible speed, m/s.
    pub max_speed_mps: f64,
    /// The largest plausible acceleration, m/s² (a sprint start reaches about 5).
    pub max_acceleration_mps2: f64,
    /// Room for the fixes' own error in every plausibility test, metres.
    pub slack_m: f64,
    /// Runs of fewer fixes than this, between implausible steps, are rejected when a longer run
    /// exists.
    pub min_run_points: usize,
    /// The smoother.
    pub kalman: ConstantVelocity,
    /// Whether the smoother's measurement noise is the track's own white-noise level
    /// ([`estimate_sigma`], kept between 1 and 10 m) rather than `kalman.measurement_sigma_m`,
    /// which then only applies when the fixes are too sparse to estimate it. Most watches filter
    /// their fixes already; smoothing those as if they had 4 m of independent noise would cut
    /// corners and shorten the track.
    pub adaptive_noise: bool,
}

impl GpsLimits {
    /// On foot: 12 m/s (43 km/h; Bolt's top speed is 12.4 m/s, well beyond any distance
    /// runner), 5 m/s², 25 m of slack (about four standard deviations of the difference of two
    /// 4-m fixes), runs of 5 fixes, the default [`ConstantVelocity`] with adaptive noise.
    pub fn running() -> Self {
        Self {
            max_speed_mps: 12.0,
            max_acceleration_mps2: 5.0,
            slack_m: 25.0,
            min_run_points: 5,
            kalman: ConstantVelocity::default(),
            adaptive_noise: true,
        }
    }

    /// On a bike: as [`GpsLimits::running`] but up to 30 m/s (108 km/h) and 8 m/s².
    pub fn cycling() -> Self {
        Self {
            max_speed_mps: 30.0,
            max_acceleration_mps2: 8.0,
            ..Self::running()
        }
    }

    /// Anything else (swimming, motor-paced, unknown): 50 m/s and 10 m/s², to reject only
    /// what nothing in an activity file does.
    pub fn lenient() -> Self {
        Self {
            max_speed_mps: 50.0,
            max_acceleration_mps2: 10.0,
            ..Self::running()
        }
    }

    /// The limits for an activity: [`running`](Self::running) on foot,
    /// [`cycling`](Self::cycling) on a bike, [`lenient`](Self::lenient) otherwise; a multisport
    /// activity gets those of its fastest leg.
    pub fn for_activity(activity: &Activity) -> Self {
        let of = |sport: Sport| {
            if sport.is_on_foot() {
                Self::running()
            } else if sport == Sport::Cycling {
                Self::cycling()
            } else {
                Self::lenient()
            }
        };
        if activity.sport == Sport::Multisport {
            activity
                .sessions
                .iter()
                .filter_map(|s| s.summary.sport)
                .filter(|&s| s != Sport::Transition)
                .map(of)
                .max_by(|a, b| a.max_speed_mps.total_cmp(&b.max_speed_mps))
                .unwrap_or_else(Self::lenient)
        } else {
            of(activity.sport)
        }
    }
}

impl Default for GpsLimits {
    fn default() -> Self {
        Self::running()
    }
}

/// Something that lowers the GPS score, with its numbers. Serialised with its stable
/// [`code`](GpsIssue::code) as the `code` field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum GpsIssue {
    /// Implausible fixes were rejected: `jumps` stretches of consecutive rejected fixes,
    /// `points` fixes in all, the worst `max_offset_m` from the smoothed track.
    JumpsRemoved {
        /// Stretches of consecutive rejected fixes.
        jumps: usize,
        /// Rejected fixes.
        points: usize,
        /// The largest distance of a rejected fix from the smoothed track, metres.
        max_offset_m: f64,
    },
    /// Implausible steps between kept fixes that could not be told apart from the track.
    UnresolvedJumps {
        /// How many.
        count: usize,
        /// The longest, metres.
        max_m: f64,
    },
    /// The device's distance and the smoothed track's differ.
    DistanceMismatch {
        /// The device's distance, metres.
        device_m: f64,
        /// The smoothed track's, metres.
        track_m: f64,
        /// (track − device) / device, percent.
        percent: f64,
    },
    /// Fixes are far apart in time, so corners are cut.
    SparsePoints {
        /// The median time between fixes, seconds.
        median_interval_s: f64,
    },
    /// Timer time without positions.
    PositionsMissing {
        /// Timer seconds without a fix.
        seconds: f64,
        /// The longest stretch, seconds.
        longest_s: f64,
        /// Of the timer time, percent.
        percent: f64,
    },
    /// Kept fixes scatter around the smoothed track.
    NoisyTrack {
        /// Root-mean-square distance of the kept fixes from the smoothed track, metres.
        rms_m: f64,
    },
}

impl GpsIssue {
    /// The stable snake_case code of this kind of issue.
    pub fn code(&self) -> &'static str {
        match self {
            Self::JumpsRemoved { .. } => "jumps_removed",
            Self::UnresolvedJumps { .. } => "unresolved_jumps",
            Self::DistanceMismatch { .. } => "distance_mismatch",
            Self::SparsePoints { .. } => "sparse_points",
            Self::PositionsMissing { .. } => "positions_missing",
            Self::NoisyTrack { .. } => "noisy_track",
        }
    }

    /// A sentence for the runner.
    pub fn message(&self) -> String {
        match *self {
            Self::JumpsRemoved {
                jumps,
                points,
                max_offset_m,
            } => format!(
                "{jumps} {} removed ({points} {}, up to {max_offset_m:.0} m off the track)",
                plural(jumps, "jump", "jumps"),
                plural(points, "point", "points"),
            ),
            Self::UnresolvedJumps { count, max_m } => format!(
                "{count} {} of up to {max_m:.0} m could not be resolved",
                plural(count, "jump", "jumps")
            ),
            Self::DistanceMismatch { percent, .. } => format!(
                "device distance differs from the track by {:.1} %",
                percent.abs()
            ),
            Self::SparsePoints { median_interval_s } => {
                format!("sparse points: median {median_interval_s:.0} s interval")
            }
            Self::PositionsMissing {
                seconds, longest_s, ..
            } => format!(
                "positions missing for {} (longest gap {})",
                duration(seconds),
                duration(longest_s)
            ),
            Self::NoisyTrack { rms_m } => {
                format!("positions scatter {rms_m:.1} m around the smoothed track")
            }
        }
    }

    /// The points this issue costs, out of 100, given the number of fixes.
    fn penalty(&self, fixes: usize) -> f64 {
        match *self {
            // 2 a jump, and 1 per percent of the fixes rejected.
            Self::JumpsRemoved { jumps, points, .. } => {
                (2.0 * jumps as f64 + 100.0 * points as f64 / fixes.max(1) as f64).min(40.0)
            }
            Self::UnresolvedJumps { count, .. } => (5.0 * count as f64).min(20.0),
            Self::DistanceMismatch { percent, .. } => {
                (3.0 * (percent.abs() - 2.0)).clamp(0.0, 25.0)
            }
            Self::SparsePoints { median_interval_s } => {
                (3.0 * (median_interval_s - 1.0)).clamp(0.0, 15.0)
            }
            Self::PositionsMissing { percent, .. } => percent.clamp(0.0, 30.0),
            Self::NoisyTrack { rms_m } => (3.0 * (rms_m - 3.0)).clamp(0.0, 20.0),
        }
    }
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

/// "45 s", "3 min", "1 h 05 min".
fn duration(seconds: f64) -> String {
    let s = seconds.round().max(0.0) as u64;
    match s {
        0..=89 => format!("{s} s"),
        90..=3599 => format!("{} min", (s + 30) / 60),
        _ => format!("{} h {:02} min", s / 3600, (s % 3600 + 30) / 60),
    }
}

/// One reason the score is below 100.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GpsReason {
    /// What and how much.
    pub issue: GpsIssue,
    /// [`GpsIssue::message`].
    pub message: String,
    /// The points it cost.
    pub penalty: f64,
}

/// The result of [`assess`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GpsQuality {
    /// 0 (unusable) to 100 (clean), rounded.
    pub score: f64,
    /// Why the score is not 100, worst first; only issues that cost points.
    pub reasons: Vec<GpsReason>,
    /// The length of the smoothed track, metres.
    pub distance_m: f64,
    /// The length of the raw fixes, jumps and all, metres (bridged like `distance_m`).
    pub raw_distance_m: f64,
    /// The device's own distance, metres, when it recorded one.
    pub device_distance_m: Option<f64>,
    /// The smoothed track, one entry per record, degrees; `NaN` where there is none. Working
    /// data for the metrics and the chart's route: never serialised (JSON has no NaN, and a
    /// report need not carry every record twice).
    #[serde(skip)]
    pub latitude: Vec<f64>,
    /// See `latitude`.
    #[serde(skip)]
    pub longitude: Vec<f64>,
    /// Per record: whether a fix was there but was rejected. Not serialised either.
    #[serde(skip)]
    pub rejected: Vec<bool>,
    /// Records with a fix.
    pub fixes: usize,
    /// Fixes rejected.
    pub rejected_points: usize,
    /// The median time between consecutive fixes, seconds.
    pub median_interval_s: f64,
    /// Root-mean-square distance of the kept fixes from the smoothed track, metres.
    pub residual_rms_m: f64,
    /// Timer seconds without a fix.
    pub missing_s: f64,
}

/// Assesses the GPS track of `activity` with [`GpsLimits::for_activity`]; `None` without at least
/// two fixes.
///
/// ```
/// use analysis::{Activity, Records, quality::gps};
/// // Five minutes east at 3 m/s near the equator, with one fix thrown 300 m north.
/// let time: Vec<f64> = (0..300).map(f64::from).collect();
/// let mut lat = vec![0.0005; 300];
/// lat[100] += 300.0 / 110_574.4; // a degree of latitude there
/// // A degree of longitude on the WGS84 equator is 111 319.5 m.
/// let lon: Vec<f64> = time.iter().map(|t| 3.0 * t / 111_319.5 + 0.001).collect();
/// let activity = Activity {
///     records: Records { time, latitude: Some(lat), longitude: Some(lon), ..Records::default() },
///     ..Activity::default()
/// };
/// let q = gps::assess(&activity).unwrap();
/// assert!(q.rejected[100] && q.rejected_points == 1);
/// assert_eq!(q.distance_m.round(), 897.0);
/// assert_eq!(q.reasons[0].message, "1 jump removed (1 point, up to 300 m off the track)");
/// assert!(q.score >= 95.0);
/// ```
pub fn assess(activity: &Activity) -> Option<GpsQuality> {
    assess_with(activity, &GpsLimits::for_activity(activity))
}

/// [`assess`] with explicit limits.
pub fn assess_with(activity: &Activity, limits: &GpsLimits) -> Option<GpsQuality> {
    let r = &activity.records;
    let (lat, lon) = (r.latitude.as_deref()?, r.longitude.as_deref()?);
    let time = &r.time;
    let n = time.len().min(lat.len()).min(lon.len());
    let is_fix = |k: usize| time[k].is_finite() && is_valid_position(lat[k], lon[k]);
    let first = (0..n).find(|&k| is_fix(k))?;
    let frame = LocalFrame::new(lat[first], lon[first]);
    let mut x = vec![f64::NAN; n];
    let mut y = vec![f64::NAN; n];
    let mut fixes = 0usize;
    for k in first..n {
        if is_fix(k) {
            (x[k], y[k]) = frame.to_xy(lat[k], lon[k]);
            fixes += 1;
        }
    }
    if fixes < 2 {
        return None;
    }
    let time = &time[..n];
    let mut rejected = vec![false; n];
    reject_jumps(time, &x, &y, limits, &mut rejected);
    reject_spikes(time, &x, &y, limits, &mut rejected);

    // Smooth what is left: rejected fixes leave the input (their raw positions are kept aside
    // for their offsets), and the smoothed metres become degrees in place.
    let mut outliers: Vec<(usize, f64, f64)> = Vec::new();
    for k in 0..n {
        if rejected[k] {
            outliers.push((k, x[k], y[k]));
            (x[k], y[k]) = (f64::NAN, f64::NAN);
        }
    }
    let mut kalman = limits.kalman;
    if limits.adaptive_noise {
        let sigma = estimate_sigma(time, &x, &y, ADAPTIVE_MAX_STEP_S);
        kalman.measurement_sigma_m = sigma.map_or(kalman.measurement_sigma_m, |s| {
            s.clamp(ADAPTIVE_SIGMA_M.0, ADAPTIVE_SIGMA_M.1)
        });
    }
    let track = kalman.smooth(time, &x, &y);
    let (mut latitude, mut longitude) = (track.x, track.y);
    let mut sq_sum = 0.0f64;
    let mut kept = 0usize;
    for k in 0..n {
        let (sx, sy) = (latitude[k], longitude[k]);
        if !(sx.is_finite() && sy.is_finite()) {
            continue;
        }
        if x[k].is_finite() {
            sq_sum += (x[k] - sx).powi(2) + (y[k] - sy).powi(2);
            kept += 1;
        }
        (latitude[k], longitude[k]) = frame.to_lat_lon(sx, sy);
    }
    let residual_rms_m = if kept > 0 {
        (sq_sum / kept as f64).sqrt()
    } else {
        0.0
    };
    let mut max_offset = 0.0f64;
    for &(k, ox, oy) in &outliers {
        if latitude[k].is_finite() {
            let (sx, sy) = frame.to_xy(latitude[k], longitude[k]);
            max_offset = max_offset.max(len(ox - sx, oy - sy));
        }
    }

    let timer = timer_durations(time, &activity.events);
    let distance_m = track_length(
        |k| Some((latitude[k], longitude[k])).filter(|p| p.0.is_finite() && p.1.is_finite()),
        time,
        &timer,
    );
    let raw_distance_m = track_length(|k| is_fix(k).then(|| (lat[k], lon[k])), time, &timer);

    // Statistics for the score: stretches of rejected fixes, implausible steps left between kept
    // ones, intervals between fixes (for their median, by 0.5-s bins up to a minute).
    let mut issues = Vec::new();
    let rejected_points = outliers.len();
    let (mut jumps, mut unresolved, mut max_unresolved) = (0usize, 0usize, 0.0f64);
    let mut bins = [0u32; 2 * MEDIAN_BINS_S + 2];
    let (mut in_jump, mut last_kept, mut last_fix) = (false, None::<usize>, None::<usize>);
    for k in 0..n {
        if rejected[k] {
            jumps += usize::from(!in_jump);
            in_jump = true;
        } else if x[k].is_finite() {
            in_jump = false;
            if let Some(p) = last_kept
                && !plausible(limits, time, &x, &y, p, k)
            {
                unresolved += 1;
                max_unresolved = max_unresolved.max(len(x[k] - x[p], y[k] - y[p]));
            }
            last_kept = Some(k);
        } else {
            continue;
        }
        if let Some(p) = last_fix {
            let dt = time[k] - time[p];
            if dt > 0.0 {
                bins[((dt * 2.0).round() as usize).min(bins.len() - 1)] += 1;
            }
        }
        last_fix = Some(k);
    }
    let median_interval_s = binned_median(&bins);
    if jumps > 0 {
        issues.push(GpsIssue::JumpsRemoved {
            jumps,
            points: rejected_points,
            max_offset_m: max_offset,
        });
    }
    if unresolved > 0 {
        issues.push(GpsIssue::UnresolvedJumps {
            count: unresolved,
            max_m: max_unresolved,
        });
    }
    let device_distance_m = device_distance(activity);
    if let Some(device_m) = device_distance_m.filter(|&d| d >= 100.0) {
        issues.push(GpsIssue::DistanceMismatch {
            device_m,
            track_m: distance_m,
            percent: (distance_m - device_m) / device_m * 100.0,
        });
    }
    issues.push(GpsIssue::SparsePoints { median_interval_s });
    let (missing_s, longest_s, timer_s) = missing_positions(is_fix, &timer);
    if timer_s > 0.0 {
        issues.push(GpsIssue::PositionsMissing {
            seconds: missing_s,
            longest_s,
            percent: missing_s / timer_s * 100.0,
        });
    }
    issues.push(GpsIssue::NoisyTrack {
        rms_m: residual_rms_m,
    });

    let mut reasons: Vec<GpsReason> = issues
        .into_iter()
        .map(|issue| GpsReason {
            penalty: (issue.penalty(fixes) * 10.0).round() / 10.0,
            message: issue.message(),
            issue,
        })
        .filter(|r| r.penalty > 0.0)
        .collect();
    reasons.sort_by(|a, b| b.penalty.total_cmp(&a.penalty));
    let score = (100.0 - reasons.iter().map(|r| r.penalty).sum::<f64>())
        .max(0.0)
        .round();
    Some(GpsQuality {
        score,
        reasons,
        distance_m,
        raw_distance_m,
        device_distance_m,
        latitude,
        longitude,
        rejected,
        fixes,
        rejected_points,
        median_interval_s,
        residual_rms_m,
        missing_s,
    })
}

/// A run of fixes between implausible steps, by record index.
#[derive(Debug, Clone, Copy)]
struct Run {
    first: usize,
    last: usize,
    points: usize,
}

/// Step 2: cut the fixes into runs at implausible steps; reject excursions and short runs.
fn reject_jumps(time: &[f64], x: &[f64], y: &[f64], limits: &GpsLimits, rejected: &mut [bool]) {
    let plausible = |a: usize, b: usize| plausible(limits, time, x, y, a, b);
    let mut runs: Vec<Run> = Vec::new();
    for k in (0..x.len()).filter(|&k| x[k].is_finite()) {
        match runs.last_mut() {
            Some(run) if plausible(run.last, k) => {
                run.last = k;
                run.points += 1;
            }
            _ => runs.push(Run {
                first: k,
                last: k,
                points: 1,
            }),
        }
    }
    if runs.len() < 2 {
        return;
    }
    let mut reject = vec![false; runs.len()];
    // Short runs, when something longer exists: single spikes, bursts, a bad first fix.
    let longest = runs.iter().map(|r| r.points).max().unwrap_or(0);
    if longest >= limits.min_run_points {
        for (i, run) in runs.iter().enumerate() {
            reject[i] = run.points < limits.min_run_points;
        }
    }
    // Excursions among the runs left: a run of at most MAX_EXCURSION_S, shorter than the kept
    // runs on either side, that the track leaves and comes back from as if it were not there.
    let kept: Vec<usize> = (0..runs.len()).filter(|&i| !reject[i]).collect();
    let mut prev: Option<usize> = kept.first().copied();
    for w in kept.windows(3) {
        let (Some(p), i, next) = (prev, w[1], runs[w[2]]) else {
            break;
        };
        let run = runs[i];
        let short = run.points < runs[p].points.min(next.points)
            && time[run.last] - time[run.first] <= MAX_EXCURSION_S;
        if short && plausible(runs[p].last, next.first) {
            reject[i] = true;
        } else {
            prev = Some(i);
        }
    }
    for (run, _) in runs.iter().zip(&reject).filter(|(_, r)| **r) {
        for (k, flag) in rejected
            .iter_mut()
            .enumerate()
            .take(run.last + 1)
            .skip(run.first)
        {
            *flag = x[k].is_finite();
        }
    }
}

/// Whether the step from fix `a` to fix `b` is within the speed limit.
#[inline]
fn plausible(limits: &GpsLimits, time: &[f64], x: &[f64], y: &[f64], a: usize, b: usize) -> bool {
    let (dx, dy) = (x[b] - x[a], y[b] - y[a]);
    let reach = limits.max_speed_mps * (time[b] - time[a]).max(0.0) + limits.slack_m;
    dx * dx + dy * dy <= reach * reach
}

/// The longest stretch, seconds, that can be rejected as an excursion from the track.
const MAX_EXCURSION_S: f64 = 120.0;

/// Step 3: reject single kept fixes that need an impossible acceleration.
fn reject_spikes(time: &[f64], x: &[f64], y: &[f64], limits: &GpsLimits, rejected: &mut [bool]) {
    let kept = |k: usize, rejected: &[bool]| x[k].is_finite() && !rejected[k];
    let mut a: Option<usize> = None;
    let mut b: Option<usize> = None;
    for c in 0..x.len() {
        if !kept(c, rejected) {
            continue;
        }
        if let (Some(pa), Some(pb)) = (a, b) {
            let (dt1, dt2) = (time[pb] - time[pa], time[c] - time[pb]);
            let whole = dt1 + dt2;
            let f = if whole > 0.0 { dt1 / whole } else { 0.5 };
            let (cx, cy) = (x[pa] + f * (x[c] - x[pa]), y[pa] + f * (y[c] - y[pa]));
            let off2 = (x[pb] - cx).powi(2) + (y[pb] - cy).powi(2);
            let allowed =
                0.5 * limits.max_acceleration_mps2 * dt1.max(0.0) * dt2.max(0.0) + limits.slack_m;
            let slack2 = limits.slack_m * limits.slack_m;
            let far = |p: usize| (x[pb] - x[p]).powi(2) + (y[pb] - y[p]).powi(2) > slack2;
            if off2 > allowed * allowed && far(pa) && far(c) {
                rejected[pb] = true;
            } else {
                a = Some(pb);
            }
        } else if b.is_some() {
            a = b;
        }
        b = Some(c);
    }
}

/// The length of a track, metres: consecutive positions (`pos(k)`, degrees) measured with
/// [`equirectangular_m`](crate::series::geo::equirectangular_m), each step counted when the
/// timer ran through at least half of it (so a stretch without positions is bridged in a
/// tunnel, and nothing walked during a pause is counted).
fn track_length(pos: impl Fn(usize) -> Option<(f64, f64)>, time: &[f64], timer: &[f64]) -> f64 {
    let mut meter = StepMeter::default();
    let mut total = 0.0;
    let mut last: Option<(usize, f64, f64)> = None;
    let mut timer_since = 0.0; // timer seconds since `last`
    for (k, &d) in timer.iter().enumerate().take(time.len()) {
        timer_since += d;
        let Some((la, lo)) = pos(k) else { continue };
        if let Some((p, pla, plo)) = last
            && timer_since >= 0.5 * (time[k] - time[p])
        {
            total += meter.step_m(pla, plo, la, lo);
        }
        last = Some((k, la, lo));
        timer_since = 0.0;
    }
    total
}

/// Timer seconds spent without a fix, the longest such stretch, and the timer time: a record
/// without a fix leaves its interval uncovered, and so does any interval beyond
/// [`COVERED_INTERVAL_S`] before a fix.
fn missing_positions(is_fix: impl Fn(usize) -> bool, timer: &[f64]) -> (f64, f64, f64) {
    let (mut missing, mut longest, mut current, mut total) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    for (k, &d) in timer.iter().enumerate() {
        total += d;
        let fix = is_fix(k);
        let uncovered = if fix {
            (d - COVERED_INTERVAL_S).max(0.0)
        } else {
            d
        };
        missing += uncovered;
        current += uncovered;
        longest = longest.max(current);
        if fix {
            current = 0.0;
        }
    }
    (missing, longest, total)
}

/// Fixes further apart than this, seconds, are not used to estimate the noise: on longer steps
/// the path's own curvature would count as noise.
const ADAPTIVE_MAX_STEP_S: f64 = 5.0;
/// The range the estimated noise is kept in, metres.
const ADAPTIVE_SIGMA_M: (f64, f64) = (1.0, 10.0);

/// How long one fix covers, seconds: the longest interval of "smart" recording (Garmin writes
/// a point at least every 8 s or so), with room.
const COVERED_INTERVAL_S: f64 = 10.0;

/// The length of a vector (no `hypot`: these are metres, far from overflow, and this is hot).
fn len(dx: f64, dy: f64) -> f64 {
    (dx * dx + dy * dy).sqrt()
}

/// The intervals between fixes are binned by half seconds up to this many seconds.
const MEDIAN_BINS_S: usize = 60;

/// The median of values binned by half units (the last bin holds everything beyond), or 0.
fn binned_median(bins: &[u32]) -> f64 {
    let total: u64 = bins.iter().map(|&c| u64::from(c)).sum();
    let mut seen = 0u64;
    for (i, &c) in bins.iter().enumerate() {
        seen += u64::from(c);
        if 2 * seen > total {
            return i as f64 / 2.0;
        }
    }
    0.0
}

/// The device's distance: the span of the records' distance, else the sessions' total.
fn device_distance(activity: &Activity) -> Option<f64> {
    let from_records = activity.records.distance.as_deref().and_then(|d| {
        let first = d.iter().copied().find(|v| v.is_finite())?;
        let last = d.iter().rev().copied().find(|v| v.is_finite())?;
        Some(last - first).filter(|&s| s > 0.0)
    });
    from_records.or_else(|| {
        let total: f64 = activity
            .sessions
            .iter()
            .filter_map(|s| s.summary.total_distance)
            .sum();
        Some(total).filter(|&t| t > 0.0)
    })
}
