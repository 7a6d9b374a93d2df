//! What a run's training loads rest on, independent of the runner's settings: the timer time
//! spent at each heart rate, the run's own highest heart rate, its average heart rate and timer
//! time, its normalised graded speed. From these, TRIMP, hrTSS and rTSS are recomputed for any
//! heart-rate anchors and threshold pace in microseconds, without decoding the file again.
//!
//! The metrics [`Trimp`](super::Trimp), [`HrTss`](super::HrTss) and [`Rtss`](super::Rtss)
//! compute through the same functions ([`trimp`], [`hrtss`], [`rtss`]), so a load recomputed
//! from a stored basis equals, bit for bit, the load `stride analyze` computes from the file with
//! the same settings.
//!
//! Heart rates are binned to 0.1 bpm: whole-beat recordings (FIT, GPX, TCX and Bluetooth straps
//! all give whole beats) are kept exactly; a fractional rate moves by at most 0.05 bpm.

use serde::{Deserialize, Serialize};

use super::load::{DEFAULT_MAX_HR, DEFAULT_REST_HR, HrAnchors, THRESHOLD_HRR};
use super::{MetricValues, Run};
use crate::{Athlete, Sex};

/// A run's settings-independent load inputs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LoadBasis {
    /// Timer seconds at each heart rate: (bpm rounded to 0.1, seconds), ascending, only rates
    /// above zero and bins with time.
    pub hr_seconds: Vec<(f64, f64)>,
    /// The highest heart rate recorded in timer time, bpm (it raises the default maximum).
    pub record_max_hr: Option<f64>,
    /// Average heart rate, bpm (the `avg_hr` metric; hrTSS).
    pub avg_hr: Option<f64>,
    /// Timer time, s (the `timer_s` metric; hrTSS).
    pub timer_s: Option<f64>,
    /// The sum of the records' timer durations, s (rTSS's hours).
    pub timer_durations_s: f64,
    /// Normalised graded speed, m/s (the `ngp_speed_mps` metric; rTSS).
    pub ngp_speed_mps: Option<f64>,
    /// Whether the run is on foot (rTSS applies only then).
    pub on_foot: bool,
}

/// A heart rate's bin: rounded to 0.1 bpm.
fn bin(hr: f64) -> f64 {
    (hr * 10.0).round() / 10.0
}

/// The timer seconds spent at each heart rate of `run` (see [`LoadBasis::hr_seconds`]).
pub fn hr_seconds(run: &Run<'_>) -> Vec<(f64, f64)> {
    let Some(hr) = run.column(&run.activity.records.heart_rate) else {
        return Vec::new();
    };
    // Whole tenths of a beat as integer keys, 0–300 bpm.
    let mut tenths = vec![0.0_f64; 3_001];
    for (h, w) in run.held_f32(hr) {
        if h > 0.0 && w > 0.0 {
            let k = (bin(h) * 10.0).round().clamp(0.0, 3_000.0) as usize;
            tenths[k] += w;
        }
    }
    tenths
        .iter()
        .enumerate()
        .filter(|(_, s)| **s > 0.0)
        .map(|(k, &s)| (k as f64 / 10.0, s))
        .collect()
}

/// The anchors for `athlete` given the run's own highest heart rate: the athlete's maximum, else
/// [`DEFAULT_MAX_HR`] or the run's own maximum when higher; the athlete's rest, else
/// [`DEFAULT_REST_HR`].
pub fn anchors(athlete: &Athlete, record_max_hr: Option<f64>) -> HrAnchors {
    let max = athlete.max_hr.unwrap_or_else(|| {
        record_max_hr
            .filter(|m| m.is_finite())
            .map_or(DEFAULT_MAX_HR, |m| m.max(DEFAULT_MAX_HR))
    });
    HrAnchors {
        max,
        rest: athlete.rest_hr.unwrap_or(DEFAULT_REST_HR),
    }
}

/// Banister's TRIMP over a heart-rate histogram: Σ minutes · HRr · a · e^(b · HRr), HRr the
/// reserve fraction clamped to [0, 1]; `None` without heart rate or with max ≤ rest.
///
/// ```
/// use analysis::Sex;
/// use analysis::metrics::{HrAnchors, load_basis::trimp};
/// // ALGORITHMS.md (Banister 1991): 30 min at 130 bpm, max 200, rest 40 -> 31.8.
/// let t = trimp(&[(130.0, 1_800.0)], HrAnchors { max: 200.0, rest: 40.0 }, Sex::Male).unwrap();
/// assert_eq!((t * 10.0).round() / 10.0, 31.8);
/// ```
pub fn trimp(hr_seconds: &[(f64, f64)], anchors: HrAnchors, sex: Sex) -> Option<f64> {
    if anchors.max <= anchors.rest || hr_seconds.is_empty() {
        return None;
    }
    let (a, b) = match sex {
        Sex::Male => (0.64, 1.92),
        Sex::Female => (0.86, 1.67),
    };
    Some(
        hr_seconds
            .iter()
            .map(|&(h, s)| {
                let r = anchors.reserve(h).clamp(0.0, 1.0);
                s / 60.0 * r * a * (b * r).exp()
            })
            .sum(),
    )
}

/// hrTSS: hours · (HRR / HRR_threshold)² · 100, HRR at the average heart rate, HRR_threshold at
/// the threshold heart rate or [`THRESHOLD_HRR`].
///
/// ```
/// use analysis::metrics::{HrAnchors, load_basis::hrtss};
/// // ALGORITHMS.md: rest 45, max 185, average 155, 2 h -> ≈179.
/// let t = hrtss(7_200.0, 155.0, HrAnchors { max: 185.0, rest: 45.0 }, None).unwrap();
/// assert_eq!(t.round(), 179.0);
/// ```
pub fn hrtss(
    timer_s: f64,
    avg_hr: f64,
    anchors: HrAnchors,
    threshold_hr: Option<f64>,
) -> Option<f64> {
    if anchors.max <= anchors.rest {
        return None;
    }
    let threshold = threshold_hr
        .map(|t| anchors.reserve(t))
        .filter(|r| *r > 0.0)
        .unwrap_or(THRESHOLD_HRR);
    let hrr = anchors.reserve(avg_hr).max(0.0);
    let v = timer_s / 3600.0 * (hrr / threshold).powi(2) * 100.0;
    v.is_finite().then_some(v)
}

/// rTSS: hours · (NGP / threshold speed)² · 100; `None` without a positive threshold.
///
/// ```
/// use analysis::metrics::load_basis::rtss;
/// // An hour at threshold is 100.
/// assert_eq!(rtss(3_600.0, 4.0, Some(4.0)), Some(100.0));
/// assert_eq!(rtss(3_600.0, 4.0, None), None);
/// ```
pub fn rtss(
    timer_durations_s: f64,
    ngp_speed_mps: f64,
    threshold_speed: Option<f64>,
) -> Option<f64> {
    let threshold = threshold_speed.filter(|v| *v > 0.0)?;
    let intensity = ngp_speed_mps / threshold;
    let v = timer_durations_s / 3600.0 * intensity * intensity * 100.0;
    v.is_finite().then_some(v)
}

impl LoadBasis {
    /// The basis of `run`, whose metrics `values` are computed.
    pub fn of(run: &Run<'_>, values: &MetricValues) -> Self {
        Self {
            hr_seconds: hr_seconds(run),
            record_max_hr: run.timer_max(&run.activity.records.heart_rate),
            avg_hr: values.get("avg_hr"),
            timer_s: values.get("timer_s"),
            timer_durations_s: run.timer_durations().iter().sum(),
            ngp_speed_mps: values.get("ngp_speed_mps"),
            on_foot: super::gap::on_foot(run),
        }
    }

    /// The heart-rate anchors for `athlete`.
    pub fn anchors(&self, athlete: &Athlete) -> HrAnchors {
        anchors(athlete, self.record_max_hr)
    }

    /// TRIMP for `athlete`.
    pub fn trimp(&self, athlete: &Athlete) -> Option<f64> {
        trimp(&self.hr_seconds, self.anchors(athlete), athlete.sex)
    }

    /// hrTSS for `athlete`.
    pub fn hrtss(&self, athlete: &Athlete) -> Option<f64> {
        hrtss(
            self.timer_s?,
            self.avg_hr?,
            self.anchors(athlete),
            athlete.threshold_hr,
        )
    }

    /// rTSS for `athlete` (on foot, with a threshold pace).
    pub fn rtss(&self, athlete: &Athlete) -> Option<f64> {
        if !self.on_foot {
            return None;
        }
        rtss(
            self.timer_durations_s,
            self.ngp_speed_mps?,
            athlete.threshold_speed,
        )
    }

    /// Timer seconds at or above `hr` bpm.
    pub fn seconds_at_or_above(&self, hr: f64) -> f64 {
        self.hr_seconds
            .iter()
            .filter(|(h, _)| *h >= hr)
            .map(|(_, s)| s)
            .sum()
    }

    /// Seconds above threshold for the readiness verdict's "recent intensity": at or above the
    /// bottom of heart-rate zone 4 (the athlete's third zone top, else 80 % of the maximum);
    /// `None` without heart rate.
    pub fn hard_s(&self, athlete: &Athlete) -> Option<f64> {
        if self.hr_seconds.is_empty() {
            return None;
        }
        let zone4 = athlete
            .hr_zones
            .as_ref()
            .filter(|z| z.len() >= 3 && z.iter().all(|v| v.is_finite()))
            .map(|z| z[2])
            .unwrap_or_else(|| {
                crate::report::zones::HR_ZONE_TOPS_OF_MAX[2] * self.anchors(athlete).max
            });
        Some(self.seconds_at_or_above(zone4))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::compute_all;
    use crate::{Activity, Records};

    #[test]
    fn histogram_of_a_steady_run_and_published_values() {
        // 30 min at 130 bpm, 1 Hz: 1 800 timer seconds in one bin.
        let n = 1_800;
        let a = Activity {
            records: Records {
                time: (0..=n).map(f64::from).collect(),
                heart_rate: Some(vec![130.0; n as usize + 1]),
                ..Records::default()
            },
            ..Activity::default()
        };
        let athlete = Athlete {
            max_hr: Some(200.0),
            rest_hr: Some(40.0),
            ..Athlete::default()
        };
        let run = Run::new(&a, &athlete);
        let m = compute_all(&run);
        let basis = LoadBasis::of(&run, &m);
        assert_eq!(basis.hr_seconds, vec![(130.0, 1_800.0)]);
        assert_eq!(basis.record_max_hr, Some(130.0));
        // Banister 1991 via ALGORITHMS.md: 31.8, the same as the metric.
        assert_eq!(basis.trimp(&athlete), m.get("trimp"));
        assert_eq!((basis.trimp(&athlete).unwrap() * 10.0).round(), 318.0);
        // Default anchors: 190 and 60.
        let d = basis.anchors(&Athlete::default());
        assert_eq!((d.max, d.rest), (190.0, 60.0));
        // Zone 4 starts at 80 % of 200 = 160: nothing that hard.
        assert_eq!(basis.hard_s(&athlete), Some(0.0));
        assert_eq!(basis.seconds_at_or_above(130.0), 1_800.0);
    }

    #[test]
    fn bad_anchors_give_no_load() {
        let b = LoadBasis {
            hr_seconds: vec![(150.0, 60.0)],
            avg_hr: Some(150.0),
            timer_s: Some(60.0),
            ..LoadBasis::default()
        };
        let inverted = Athlete {
            max_hr: Some(50.0),
            rest_hr: Some(60.0),
            ..Athlete::default()
        };
        assert_eq!(b.trimp(&inverted), None);
        assert_eq!(b.hrtss(&inverted), None);
        assert_eq!(b.rtss(&inverted), None);
        assert_eq!(LoadBasis::default().trimp(&Athlete::default()), None);
        assert_eq!(LoadBasis::default().hard_s(&Athlete::default()), None);
    }
}
