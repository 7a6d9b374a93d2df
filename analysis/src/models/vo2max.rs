//! VO2max estimates: from the heart-rate ratio (Uth et al. 2004), and from runs, by the
//! heart-rate/speed relation over steady segments extrapolated to the maximum heart rate.
//!
//! **From runs** (the approach Firstbeat describes for watches): over steady segments (even
//! pace, heart rate settled, at least a minute, 65–95 % of HRmax), each segment's speed gives
//! its oxygen cost by Daniels & Gilbert's equation `VO2 = −4.60 + 0.182258·v + 0.000104·v²`
//! (v in m/min, level ground). Heart rate rises linearly with oxygen uptake, so a
//! duration-weighted line `HR = a + b·VO2` through the segments, extended to HRmax, gives
//! VO2max = (HRmax − a)/b. If the segments' speeds are too close to draw a line (less than
//! 0.5 m/s apart) and the resting heart rate is known, the estimate instead uses
//! `%HRR ≈ %VO2R` (Swain & Leutholtz 1997) per segment: VO2max = 3.5 + (VO2 − 3.5)/%HRR,
//! averaged by duration. Watches doing this reach a MAPE of 4–7 % (Passler et al. 2019).

use serde::{Deserialize, Serialize};

use super::vdot::oxygen_cost;

/// Uth et al. 2004: `VO2max ≈ 15.3 · HRmax / HRrest` ml/kg/min (SEE 2.7 in trained men).
///
/// ```
/// use analysis::models::vo2max;
/// assert_eq!(vo2max::uth(190.0, 50.0).map(|v| (v * 10.0).round() / 10.0), Some(58.1));
/// assert_eq!(vo2max::uth(190.0, 0.0), None);
/// ```
pub fn uth(hr_max: f64, hr_rest: f64) -> Option<f64> {
    (hr_max.is_finite()
        && hr_rest.is_finite()
        && hr_rest >= 25.0
        && hr_max > hr_rest
        && hr_max <= 240.0)
        .then(|| 15.3 * hr_max / hr_rest)
}

/// Where Uth's formula comes from.
pub const UTH_SOURCE: &str = "Uth, Sørensen, Overgaard & Pedersen 2004, Eur J Appl Physiol 91:111";

/// A steady stretch of a run: its mean speed and heart rate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SteadySegment {
    /// Mean speed, m/s (grade-adjusted if available).
    pub speed_mps: f64,
    /// Mean heart rate, bpm.
    pub hr_bpm: f64,
    /// Duration, seconds.
    pub duration_s: f64,
}

/// Which computation an estimate used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Vo2maxMethod {
    /// HR-on-VO2 line extrapolated to HRmax.
    Regression,
    /// %HRR ≈ %VO2R per segment (speeds too similar for a line).
    HeartRateReserve,
}

/// A VO2max estimate from runs, with the data it rests on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vo2maxEstimate {
    /// VO2max, ml/kg/min.
    pub vo2max: f64,
    /// The speed at which the line reaches HRmax (vVO2max), m/s.
    pub speed_at_max_mps: f64,
    /// The computation used.
    pub method: Vo2maxMethod,
    /// Segments used.
    pub segments: usize,
    /// Their total duration, seconds.
    pub duration_s: f64,
    /// The line's slope, bpm per ml/kg/min (regression only).
    pub slope: Option<f64>,
    /// The line's r² (regression only).
    pub r2: Option<f64>,
    /// How it was computed, with the numbers.
    pub explanation: String,
}

/// The speed, m/s, whose Daniels oxygen cost is `vo2`.
fn speed_for_cost(vo2: f64) -> Option<f64> {
    // 0.000104·v² + 0.182258·v − (4.60 + vo2) = 0, v in m/min.
    let (a, b, c) = (0.000_104, 0.182_258, -(4.60 + vo2));
    let disc = b * b - 4.0 * a * c;
    (disc >= 0.0).then(|| (-b + disc.sqrt()) / (2.0 * a) / 60.0)
}

/// VO2max from steady segments, `hr_max` and optionally `hr_rest`; `None` without at least two
/// usable segments (or one, with `hr_rest`) or when the relation is implausible (heart rate not
/// rising with speed, a result outside 20–90 ml/kg/min).
///
/// ```
/// use analysis::models::vo2max::{SteadySegment, from_segments};
/// // A runner with VO2max 55, HRrest 50, HRmax 190, HR rising with oxygen uptake.
/// let hr = |v: f64| 50.0 + 140.0 * (analysis::models::vdot::oxygen_cost(v * 60.0) - 3.5) / 51.5;
/// let segs: Vec<SteadySegment> = [2.8, 3.2, 3.6, 4.0]
///     .iter()
///     .map(|&v| SteadySegment { speed_mps: v, hr_bpm: hr(v), duration_s: 600.0 })
///     .collect();
/// let est = from_segments(&segs, 190.0, Some(50.0)).unwrap();
/// assert_eq!(est.vo2max.round(), 55.0);
/// ```
pub fn from_segments(
    segments: &[SteadySegment],
    hr_max: f64,
    hr_rest: Option<f64>,
) -> Option<Vo2maxEstimate> {
    if !(hr_max.is_finite() && (120.0..=240.0).contains(&hr_max)) {
        return None;
    }
    let hr_rest = hr_rest.filter(|r| r.is_finite() && *r >= 25.0 && *r < hr_max - 40.0);
    let used: Vec<(f64, f64, f64)> = segments
        .iter()
        .filter(|s| {
            s.speed_mps.is_finite()
                && s.hr_bpm.is_finite()
                && s.duration_s.is_finite()
                && s.duration_s >= 60.0
                && (1.5..=8.0).contains(&s.speed_mps)
                && s.hr_bpm >= 0.65 * hr_max
                && s.hr_bpm <= 0.95 * hr_max
        })
        .map(|s| (oxygen_cost(s.speed_mps * 60.0), s.hr_bpm, s.duration_s))
        .collect();
    let total: f64 = used.iter().map(|u| u.2).sum();
    // The spread of the used segments' speeds (oxygen cost rises with speed).
    let spread = match (
        used.iter().map(|u| u.0).reduce(f64::min),
        used.iter().map(|u| u.0).reduce(f64::max),
    ) {
        (Some(lo), Some(hi)) => {
            speed_for_cost(hi).unwrap_or(0.0) - speed_for_cost(lo).unwrap_or(0.0)
        }
        _ => 0.0,
    };
    let plausible = |v: f64| (v.is_finite() && (20.0..=90.0).contains(&v)).then_some(v);
    if used.len() >= 2 && spread >= 0.5 {
        let mx = used.iter().map(|u| u.0 * u.2).sum::<f64>() / total;
        let my = used.iter().map(|u| u.1 * u.2).sum::<f64>() / total;
        let sxx: f64 = used.iter().map(|u| u.2 * (u.0 - mx).powi(2)).sum();
        let sxy: f64 = used.iter().map(|u| u.2 * (u.0 - mx) * (u.1 - my)).sum();
        let syy: f64 = used.iter().map(|u| u.2 * (u.1 - my).powi(2)).sum();
        if sxx > 0.0 {
            let b = sxy / sxx;
            if b > 0.0 {
                let a = my - b * mx;
                let v = plausible((hr_max - a) / b)?;
                let r2 = if syy > 0.0 {
                    sxy * sxy / (sxx * syy)
                } else {
                    1.0
                };
                let vmax = speed_for_cost(v)?;
                return Some(Vo2maxEstimate {
                    vo2max: v,
                    speed_at_max_mps: vmax,
                    method: Vo2maxMethod::Regression,
                    segments: used.len(),
                    duration_s: total,
                    slope: Some(b),
                    r2: Some(r2),
                    explanation: format!(
                        "Heart rate against oxygen cost over {} steady segments ({:.0} min, r² \
                         {r2:.2}) rises {b:.2} bpm per ml/kg/min; extended to HRmax {hr_max:.0} it \
                         reaches {v:.1} ml/kg/min at {:.2} m/s.",
                        used.len(),
                        total / 60.0,
                        vmax
                    ),
                });
            }
        }
    }
    let rest = hr_rest?;
    if used.is_empty() {
        return None;
    }
    let v = plausible(
        used.iter()
            .map(|&(vo2, hr, d)| d * (3.5 + (vo2 - 3.5) / ((hr - rest) / (hr_max - rest))))
            .sum::<f64>()
            / total,
    )?;
    Some(Vo2maxEstimate {
        vo2max: v,
        speed_at_max_mps: speed_for_cost(v)?,
        method: Vo2maxMethod::HeartRateReserve,
        segments: used.len(),
        duration_s: total,
        slope: None,
        r2: None,
        explanation: format!(
            "The {} steady segments ({:.0} min) are too close in speed for a line, so each \
             segment's fraction of heart-rate reserve (rest {rest:.0}, max {hr_max:.0}) is taken \
             as its fraction of VO2 reserve: {v:.1} ml/kg/min.",
            used.len(),
            total / 60.0
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hr(v: f64, vo2max: f64) -> f64 {
        50.0 + 140.0 * (oxygen_cost(v * 60.0) - 3.5) / (vo2max - 3.5)
    }

    fn seg(v: f64, vo2max: f64) -> SteadySegment {
        SteadySegment {
            speed_mps: v,
            hr_bpm: hr(v, vo2max),
            duration_s: 300.0,
        }
    }

    #[test]
    fn uth_published() {
        // Uth et al. 2004 via ALGORITHMS.md: 190/50 -> 58.1.
        assert_eq!((uth(190.0, 50.0).unwrap() * 10.0).round(), 581.0);
        assert_eq!(uth(50.0, 190.0), None);
        assert_eq!(uth(f64::NAN, 50.0), None);
    }

    #[test]
    fn regression_recovers_vo2max() {
        for truth in [45.0, 55.0, 65.0] {
            // Speeds 2.4–4.8 m/s; the filter keeps those at 65–95 % of HRmax.
            let segs: Vec<_> = (12..=24).map(|i| seg(f64::from(i) * 0.2, truth)).collect();
            let e = from_segments(&segs, 190.0, None).unwrap();
            assert_eq!(e.method, Vo2maxMethod::Regression);
            assert!((e.vo2max - truth).abs() < 0.05, "{truth}: {}", e.vo2max);
            assert!((oxygen_cost(e.speed_at_max_mps * 60.0) - truth).abs() < 1e-6);
            assert!(e.r2.unwrap() > 0.999);
        }
    }

    #[test]
    fn similar_speeds_fall_back_to_reserve() {
        let segs = [seg(3.5, 50.0), seg(3.6, 50.0)];
        assert_eq!(from_segments(&segs, 190.0, None), None);
        let e = from_segments(&segs, 190.0, Some(50.0)).unwrap();
        assert_eq!(e.method, Vo2maxMethod::HeartRateReserve);
        assert!((e.vo2max - 50.0).abs() < 1e-6);
    }

    #[test]
    fn implausible_data_refused() {
        // Heart rate falling with speed.
        let segs = [
            SteadySegment {
                speed_mps: 3.0,
                hr_bpm: 170.0,
                duration_s: 600.0,
            },
            SteadySegment {
                speed_mps: 4.0,
                hr_bpm: 150.0,
                duration_s: 600.0,
            },
        ];
        assert_eq!(from_segments(&segs, 190.0, None), None);
        // Too short, or too easy.
        let short = [SteadySegment {
            duration_s: 20.0,
            ..seg(3.0, 50.0)
        }];
        assert_eq!(from_segments(&short, 190.0, Some(50.0)), None);
        assert_eq!(from_segments(&[seg(3.0, 50.0)], f64::NAN, Some(50.0)), None);
    }
}
