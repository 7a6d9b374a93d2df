//! Heart-rate data quality: drop-outs, spikes, values out of range, and cadence lock, each as a
//! time span with a sentence, and an overall verdict.
//!
//! - **Drop-out:** consecutive records without a heart rate (missing or 0) for at least
//!   `min_dropout_s` seconds, measured from the last good value before to the first after
//!   (a strap that pairs late, a sensor losing skin contact).
//! - **Spike:** a value further from the last trusted one than `max_jump_bpm` within a second,
//!   plus `max_rise_bpm_per_s` for every further second (the heart does not change by 25 bpm in
//!   a second; it rises at most a few bpm per second). The spike lasts until the values come
//!   back; if they have not within `max_spike_s`, the new level is trusted from there.
//! - **Out of range:** values outside `min_bpm`..`max_bpm` (30–230).
//! - **Cadence lock:** a common optical-sensor artefact: the sensor picks up the arm swing, and
//!   the "heart rate" follows the cadence in steps per minute, or half of it. Flagged when the
//!   heart rate stays within `lock_tolerance_bpm` of cadence (or half cadence) for at least
//!   `min_lock_s`, for at least `lock_fraction` of that stretch. A heuristic: a runner whose
//!   heart rate truly equals their cadence for minutes is flagged too, which is why the
//!   tolerance is tight and the stretch long.
//!
//! The verdict is [`HrVerdict::Suspect`] when there is a cadence lock, when drop-outs cover
//! more than 5 % of the recording, or when there are three or more spikes and out-of-range
//! stretches together.

use serde::{Deserialize, Serialize};

use crate::Activity;

/// The thresholds of the heart-rate checks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HrLimits {
    /// The lowest plausible heart rate, bpm.
    pub min_bpm: f64,
    /// The highest plausible heart rate, bpm.
    pub max_bpm: f64,
    /// The largest plausible change within one second, bpm.
    pub max_jump_bpm: f64,
    /// The largest plausible change for each further second, bpm/s.
    pub max_rise_bpm_per_s: f64,
    /// A spike not over after this many seconds is taken as a new level.
    pub max_spike_s: f64,
    /// The shortest drop-out flagged, seconds.
    pub min_dropout_s: f64,
    /// How close heart rate and cadence must be to count as locked, bpm.
    pub lock_tolerance_bpm: f64,
    /// The shortest cadence lock flagged, seconds.
    pub min_lock_s: f64,
    /// The share of a lock's stretch during which the two must match.
    pub lock_fraction: f64,
}

impl Default for HrLimits {
    /// 30–230 bpm, 25 bpm in a second plus 3 bpm/s, spikes up to 30 s, drop-outs from 5 s,
    /// cadence lock within 2 bpm for 3 minutes, 90 % of the time.
    fn default() -> Self {
        Self {
            min_bpm: 30.0,
            max_bpm: 230.0,
            max_jump_bpm: 25.0,
            max_rise_bpm_per_s: 3.0,
            max_spike_s: 30.0,
            min_dropout_s: 5.0,
            lock_tolerance_bpm: 2.0,
            min_lock_s: 180.0,
            lock_fraction: 0.9,
        }
    }
}

/// What is wrong in a stretch of heart rate. Serialised with its stable
/// [`code`](HrIssue::code) as the `code` field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum HrIssue {
    /// No heart rate.
    Dropout {
        /// From the last good value before to the first after, seconds.
        seconds: f64,
    },
    /// An implausible jump and what followed until the values came back.
    Spike {
        /// The last trusted value before, bpm.
        from_bpm: f64,
        /// The value furthest from it during the spike, bpm.
        to_bpm: f64,
    },
    /// Values outside the plausible range.
    OutOfRange {
        /// The value furthest out, bpm.
        bpm: f64,
    },
    /// Heart rate following cadence.
    CadenceLock {
        /// The mean cadence during the lock, steps per minute.
        cadence_spm: f64,
        /// Whether heart rate followed half the cadence (one beat per stride).
        half: bool,
        /// How long, seconds.
        seconds: f64,
    },
}

impl HrIssue {
    /// The stable snake_case code of this kind of issue.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Dropout { .. } => "dropout",
            Self::Spike { .. } => "spike",
            Self::OutOfRange { .. } => "out_of_range",
            Self::CadenceLock { .. } => "cadence_lock",
        }
    }
}

/// One flagged stretch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HrFlag {
    /// What is wrong.
    pub issue: HrIssue,
    /// The first record of the stretch.
    pub start_index: usize,
    /// The last record of the stretch (inclusive).
    pub end_index: usize,
    /// Its first record's time, UTC seconds since the epoch.
    pub start_time: f64,
    /// Its last record's time, UTC seconds since the epoch.
    pub end_time: f64,
    /// A sentence for the runner, with the time into the recording.
    pub message: String,
}

/// Whether the heart rate can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HrVerdict {
    /// Nothing serious.
    Ok,
    /// Metrics from this heart rate (TRIMP, decoupling, zones) may be wrong.
    Suspect,
}

/// The result of [`assess`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HrQuality {
    /// The overall verdict.
    pub verdict: HrVerdict,
    /// The flagged stretches, in time order within each kind.
    pub flags: Vec<HrFlag>,
    /// Records with a plausible heart rate.
    pub valid_samples: usize,
    /// Seconds of drop-outs.
    pub dropout_s: f64,
    /// Spikes and out-of-range stretches.
    pub spikes: usize,
    /// Seconds of cadence lock.
    pub cadence_lock_s: f64,
}

/// Assesses the heart rate of `activity` with the default [`HrLimits`]; `None` without a heart
/// rate column or without any plausible value in it.
///
/// ```
/// use analysis::{Activity, Records, quality::heart_rate::{self, HrVerdict}};
/// let time: Vec<f64> = (0..600).map(f64::from).collect();
/// let mut hr: Vec<f32> = (0..600).map(|k| 120.0 + k as f32 * 0.05).collect();
/// hr[300] = 200.0; // a one-second spike
/// let activity = Activity {
///     records: Records { time, heart_rate: Some(hr), ..Records::default() },
///     ..Activity::default()
/// };
/// let q = heart_rate::assess(&activity).unwrap();
/// assert_eq!(q.spikes, 1);
/// assert_eq!(q.flags[0].message, "jump from 135 to 200 bpm at 5:00");
/// assert_eq!(q.verdict, HrVerdict::Ok);
/// ```
pub fn assess(activity: &Activity) -> Option<HrQuality> {
    assess_with(activity, &HrLimits::default())
}

/// [`assess`] with explicit limits.
pub fn assess_with(activity: &Activity, limits: &HrLimits) -> Option<HrQuality> {
    let r = &activity.records;
    let hr = r.heart_rate.as_deref()?;
    let time = &r.time;
    let n = time.len().min(hr.len());
    let (time, hr) = (&time[..n], &hr[..n]);
    let value = |k: usize| f64::from(hr[k]);
    let plausible = |v: f64| v >= limits.min_bpm && v <= limits.max_bpm;
    let valid_samples = (0..n)
        .filter(|&k| time[k].is_finite() && plausible(value(k)))
        .count();
    if valid_samples == 0 {
        return None;
    }
    let t0 = time.iter().copied().find(|t| t.is_finite()).unwrap_or(0.0);
    let mut flags = Vec::new();
    let mut flag = |issue: HrIssue, a: usize, b: usize| {
        let message = describe(&issue, time[a] - t0);
        flags.push(HrFlag {
            issue,
            start_index: a,
            end_index: b,
            start_time: time[a],
            end_time: time[b],
            message,
        });
    };

    // Drop-outs and values out of range.
    let (mut dropout_s, mut spikes) = (0.0f64, 0usize);
    let mut k = 0;
    while k < n {
        if !time[k].is_finite() {
            k += 1;
            continue;
        }
        let v = value(k);
        let missing = |v: f64| !v.is_finite() || v <= 0.0;
        if missing(v) {
            let start = k;
            let mut end = k;
            while end + 1 < n && (missing(value(end + 1)) || !time[end + 1].is_finite()) {
                end += 1;
            }
            let before = (0..start).rev().find(|&j| time[j].is_finite());
            let after = (end + 1 < n).then_some(end + 1);
            let seconds = time[after.unwrap_or(end)] - time[before.unwrap_or(start)];
            if seconds >= limits.min_dropout_s {
                dropout_s += seconds;
                flag(HrIssue::Dropout { seconds }, start, end);
            }
            k = end + 1;
        } else if !plausible(v) {
            let start = k;
            let mut worst = v;
            while k + 1 < n && {
                let w = value(k + 1);
                !missing(w) && !plausible(w)
            } {
                k += 1;
                let w = value(k);
                if (w - 200.0).abs() > (worst - 200.0).abs() {
                    worst = w;
                }
            }
            spikes += 1;
            flag(HrIssue::OutOfRange { bpm: worst }, start, k);
            k += 1;
        } else {
            k += 1;
        }
    }

    // Spikes, among the plausible values.
    let mut reference: Option<(f64, f64)> = None; // (bpm, time) of the last trusted value
    let mut spike: Option<(usize, usize, f64)> = None; // (first, last, furthest value)
    for k in 0..n {
        let (t, v) = (time[k], value(k));
        if !t.is_finite() || !plausible(v) {
            continue;
        }
        let Some((ref_v, ref_t)) = reference else {
            reference = Some((v, t));
            continue;
        };
        let allowed = limits.max_jump_bpm + limits.max_rise_bpm_per_s * (t - ref_t - 1.0).max(0.0);
        if (v - ref_v).abs() > allowed {
            let (first, furthest) = match spike {
                Some((first, _, f)) if (v - ref_v).abs() <= (f - ref_v).abs() => (first, f),
                Some((first, _, _)) => (first, v),
                None => (k, v),
            };
            if t - time[first] > limits.max_spike_s {
                // Not a spike but a new level: flag the jump, trust the new values.
                spikes += 1;
                flag(
                    HrIssue::Spike {
                        from_bpm: ref_v,
                        to_bpm: furthest,
                    },
                    first,
                    first,
                );
                spike = None;
                reference = Some((v, t));
            } else {
                spike = Some((first, k, furthest));
            }
        } else {
            if let Some((first, last, furthest)) = spike.take() {
                spikes += 1;
                flag(
                    HrIssue::Spike {
                        from_bpm: ref_v,
                        to_bpm: furthest,
                    },
                    first,
                    last,
                );
            }
            reference = Some((v, t));
        }
    }
    if let (Some((first, last, furthest)), Some((ref_v, _))) = (spike, reference) {
        spikes += 1;
        flag(
            HrIssue::Spike {
                from_bpm: ref_v,
                to_bpm: furthest,
            },
            first,
            last,
        );
    }

    // Cadence lock, for sports whose cadence is in steps per minute.
    let mut cadence_lock_s = 0.0;
    if let Some(cadence) = r.cadence.as_deref().filter(|_| activity.sport.is_on_foot()) {
        for half in [false, true] {
            for lock in cadence_locks(time, hr, cadence, half, limits) {
                cadence_lock_s += lock.seconds;
                flag(
                    HrIssue::CadenceLock {
                        cadence_spm: lock.mean_cadence,
                        half,
                        seconds: lock.seconds,
                    },
                    lock.first,
                    lock.last,
                );
            }
        }
    }

    let span = time
        .iter()
        .rev()
        .copied()
        .find(|t| t.is_finite())
        .unwrap_or(t0)
        - t0;
    let suspect = cadence_lock_s > 0.0 || spikes >= 3 || (span > 0.0 && dropout_s > 0.05 * span);
    Some(HrQuality {
        verdict: if suspect {
            HrVerdict::Suspect
        } else {
            HrVerdict::Ok
        },
        flags,
        valid_samples,
        dropout_s,
        spikes,
        cadence_lock_s,
    })
}

/// A stretch where heart rate followed cadence.
struct Lock {
    first: usize,
    last: usize,
    seconds: f64,
    mean_cadence: f64,
}

/// Longest gap between two matching samples inside one lock, seconds.
const LOCK_BREAK_S: f64 = 10.0;
/// The most one sample counts for in a lock's matched time, seconds.
const LOCK_SAMPLE_S: f64 = 5.0;

/// Stretches where heart rate stays within the tolerance of cadence (or half of it).
fn cadence_locks(
    time: &[f64],
    hr: &[f32],
    cadence: &[f32],
    half: bool,
    limits: &HrLimits,
) -> Vec<Lock> {
    let n = time.len().min(cadence.len());
    let mut locks = Vec::new();
    // The current stretch: first and last matching record, matched seconds, cadence sum/count.
    let mut current: Option<(usize, usize, f64, f64, usize)> = None;
    let mut last_t = f64::NAN;
    let close = |c: Option<(usize, usize, f64, f64, usize)>, locks: &mut Vec<Lock>| {
        if let Some((first, last, matched, cad_sum, count)) = c {
            let seconds = time[last] - time[first];
            if seconds >= limits.min_lock_s && matched >= limits.lock_fraction * seconds {
                locks.push(Lock {
                    first,
                    last,
                    seconds,
                    mean_cadence: cad_sum / count as f64,
                });
            }
        }
    };
    for k in 0..n {
        let t = time[k];
        if !t.is_finite() {
            continue;
        }
        let dt = if t > last_t {
            (t - last_t).min(LOCK_SAMPLE_S)
        } else {
            0.0
        };
        last_t = t;
        let (h, c) = (f64::from(hr[k]), f64::from(cadence[k]));
        let target = if half { c / 2.0 } else { c };
        // Runners' cadence is above 120 spm; below that they are walking or standing.
        let matches = h.is_finite()
            && c.is_finite()
            && c >= 120.0
            && (h - target).abs() <= limits.lock_tolerance_bpm;
        if let Some((_, last, ..)) = current
            && t - time[last] > LOCK_BREAK_S
        {
            close(current.take(), &mut locks);
        }
        if matches {
            current = Some(match current {
                Some((first, _, matched, sum, count)) => {
                    (first, k, matched + dt, sum + c, count + 1)
                }
                None => (k, k, 0.0, c, 1),
            });
        }
    }
    close(current, &mut locks);
    locks
}

/// The sentence of a flag starting `offset` seconds into the recording.
fn describe(issue: &HrIssue, offset: f64) -> String {
    let at = clock(offset);
    match *issue {
        HrIssue::Dropout { seconds } => {
            format!("no heart rate for {:.0} s at {at}", seconds)
        }
        HrIssue::Spike { from_bpm, to_bpm } => {
            format!("jump from {from_bpm:.0} to {to_bpm:.0} bpm at {at}")
        }
        HrIssue::OutOfRange { bpm } => format!("implausible heart rate {bpm:.0} bpm at {at}"),
        HrIssue::CadenceLock {
            cadence_spm,
            half,
            seconds,
        } => format!(
            "heart rate followed {}cadence ({:.0} spm) for {:.0} min from {at}: likely the \
             optical sensor picking up the arm swing",
            if half { "half the " } else { "" },
            cadence_spm,
            seconds / 60.0
        ),
    }
}

/// "m:ss" or "h:mm:ss".
fn clock(seconds: f64) -> String {
    crate::time::clock(seconds.max(0.0))
}
