//! Grade (slope) from altitude and distance, and grade-adjusted pace.
//!
//! [`grade`] smooths altitude over a distance window and takes the slope across the same window,
//! so single-metre altitude steps (barometer resolution) and GPS altitude noise do not become
//! ±50 % grades; the result is clamped to the ±45 % range over which Minetti's cost of running
//! was measured.
//!
//! The energy cost of running depends on the grade; grade-adjusted pace (GAP) is the speed on
//! the flat that would cost the same energy per second: `gap_speed = speed · factor(grade)`. The
//! factor is a model; [`GradeAdjustment`] is implemented by small strategy values: [`Minetti`]
//! (the default, from measured metabolic cost) and [`Acsm`] (the ACSM running equation).

use super::smoothing::moving_average;

/// The steepest grade (as a fraction) the models are used for; steeper grades are clamped.
/// Minetti et al. measured from −0.45 to +0.45.
pub const MAX_GRADE: f64 = 0.45;

/// The default distance window of [`grade`], metres.
pub const GRADE_WINDOW_M: f64 = 50.0;

/// The grade (rise over run, a fraction: 0.05 is 5 %) at each sample.
///
/// Altitude is first averaged over `distance ± window_m / 2`, then the slope is the change of
/// that smoothed altitude across the same `± window_m / 2`, divided by the distance between the
/// centres of the two ends' windows. Where the window spans less than a quarter of `window_m`
/// (a very short or standing recording) or the sample has no distance, the grade is unknown
/// (`NaN`). `distance` must be non-decreasing (the device's cumulative distance).
///
/// ```
/// use analysis::series::grade::grade;
/// // 1 km at a steady 4 % climb, one sample every 5 m.
/// let d: Vec<f64> = (0..=200).map(|k| f64::from(k) * 5.0).collect();
/// let alt: Vec<f32> = d.iter().map(|&d| 100.0 + 0.04 * d as f32).collect();
/// let g = grade(&d, &alt, 50.0);
/// assert!(g.iter().all(|g| (g - 0.04).abs() < 1e-4));
/// ```
pub fn grade<T: Copy + Into<f64>>(distance: &[f64], altitude: &[T], window_m: f64) -> Vec<f64> {
    let n = distance.len().min(altitude.len());
    let (distance, altitude) = (&distance[..n], &altitude[..n]);
    let h = (window_m * 0.5).max(0.0);
    // The smoothed altitude, and the mean distance of the samples it averaged (the window's
    // centroid), so that the slope between two of them is exact for a steady grade even where
    // the window is cut short at the ends.
    let alt = moving_average(distance, altitude, h);
    let at: Vec<f64> = (0..n)
        .map(|k| {
            if altitude[k].into().is_finite() {
                distance[k]
            } else {
                f64::NAN
            }
        })
        .collect();
    let centre = moving_average(distance, &at, h);
    let usable = |k: usize| distance[k].is_finite() && alt[k].is_finite() && centre[k].is_finite();
    let mut out = vec![f64::NAN; n];
    // lo: the first usable sample at or after d − h; top: the last usable one at or before d + h.
    let (mut lo, mut hi) = (0usize, 0usize);
    let mut top: Option<usize> = None;
    for i in 0..n {
        let d = distance[i];
        if !d.is_finite() {
            continue;
        }
        while hi < n && (distance[hi].is_nan() || distance[hi] <= d + h) {
            if usable(hi) {
                top = Some(hi);
            }
            hi += 1;
        }
        while lo < n && (!usable(lo) || distance[lo] < d - h) {
            lo += 1;
        }
        let Some(top) = top else { continue };
        if lo >= top {
            continue;
        }
        let run = centre[top] - centre[lo];
        if run >= 0.25 * window_m && run > 0.0 {
            out[i] = ((alt[top] - alt[lo]) / run).clamp(-MAX_GRADE, MAX_GRADE);
        }
    }
    out
}

/// The energy cost of running at grade `i` (a fraction), J/kg/m: Minetti et al. 2002's fifth-
/// degree polynomial, `155.4i⁵ − 30.4i⁴ − 43.3i³ + 46.3i² + 19.5i + 3.6`, with `i` clamped to
/// ±[`MAX_GRADE`].
///
/// ```
/// use analysis::series::grade::minetti_cost;
/// assert_eq!(minetti_cost(0.0), 3.6);
/// assert_eq!((minetti_cost(0.10) * 1000.0).round() / 1000.0, 5.968);
/// ```
pub fn minetti_cost(i: f64) -> f64 {
    let i = i.clamp(-MAX_GRADE, MAX_GRADE);
    ((((155.4 * i - 30.4) * i - 43.3) * i + 46.3) * i + 19.5) * i + 3.6
}

/// A model of how much more (or less) running at a grade costs than running on the flat.
///
/// ```
/// use analysis::series::grade::{Acsm, GradeAdjustment, Minetti};
/// // 3 m/s up a 10 % grade:
/// assert_eq!((Minetti.gap_speed(3.0, 0.10) * 100.0).round() / 100.0, 4.97);
/// assert_eq!((Acsm.gap_speed(3.0, 0.10) * 100.0).round() / 100.0, 4.35);
/// ```
pub trait GradeAdjustment {
    /// The ratio of the cost at `grade` to the cost on the flat; 1 on the flat, and 1 for an
    /// unknown (`NaN`) grade.
    fn factor(&self, grade: f64) -> f64;

    /// The grade-adjusted speed: the flat speed that costs the same as `speed` at `grade`.
    fn gap_speed(&self, speed: f64, grade: f64) -> f64 {
        speed * self.factor(grade)
    }
}

/// Minetti et al. 2002 (J Appl Physiol 93:1039): the measured energy cost of running on a
/// treadmill from −45 % to +45 %, `factor = Cr(i) / Cr(0)` with [`minetti_cost`]. Downhill is
/// cheaper down to about −20 % and dearer again beyond. The default model.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Minetti;

impl GradeAdjustment for Minetti {
    fn factor(&self, grade: f64) -> f64 {
        if grade.is_finite() {
            minetti_cost(grade) / minetti_cost(0.0)
        } else {
            1.0
        }
    }
}

/// The ACSM running equation (ACSM's Guidelines for Exercise Testing and Prescription):
/// VO₂ = 0.2·v + 0.9·v·grade + 3.5 ml/kg/min; without the resting 3.5, `factor = 1 + 4.5·grade`.
/// It is defined for uphill only, so downhill counts as flat.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Acsm;

impl GradeAdjustment for Acsm {
    fn factor(&self, grade: f64) -> f64 {
        if grade.is_finite() {
            1.0 + 4.5 * grade.clamp(0.0, MAX_GRADE)
        } else {
            1.0
        }
    }
}

/// Grade-adjusted speeds, sample by sample, with `model`; `NaN` where the speed is missing, the
/// speed itself where the grade is unknown.
///
/// ```
/// use analysis::series::grade::{gap_speeds, Minetti};
/// let v = gap_speeds(&Minetti, &[3.0f32, 3.0, f32::NAN], &[0.0, -0.2, 0.0]);
/// assert_eq!(v[0], 3.0);
/// assert_eq!((v[1] * 100.0).round() / 100.0, 1.5); // −20 % costs half as much
/// assert!(v[2].is_nan());
/// ```
pub fn gap_speeds<T: Copy + Into<f64>>(
    model: &impl GradeAdjustment,
    speed: &[T],
    grade: &[f64],
) -> Vec<f64> {
    speed
        .iter()
        .zip(grade)
        .map(|(&v, &g)| model.gap_speed(v.into(), g))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Minetti et al. 2002, as listed in ALGORITHMS.md: Cr(0) = 3.6; +5 % 4.685; +10 % 5.968;
    /// −10 % 2.152; −20 % 1.80 J/kg/m.
    #[test]
    fn minetti_published_values() {
        let r3 = |v: f64| (v * 1000.0).round() / 1000.0;
        assert_eq!(minetti_cost(0.0), 3.6);
        assert_eq!(r3(minetti_cost(0.05)), 4.685);
        assert_eq!(r3(minetti_cost(0.10)), 5.968);
        assert_eq!(r3(minetti_cost(-0.10)), 2.152);
        assert_eq!((minetti_cost(-0.20) * 100.0).round() / 100.0, 1.80);
    }

    #[test]
    fn grades_beyond_the_measured_range_are_clamped() {
        assert_eq!(minetti_cost(0.9), minetti_cost(MAX_GRADE));
        let d = [0.0, 10.0, 20.0, 30.0, 40.0];
        let alt = [0.0, 10.0, 20.0, 30.0, 40.0]; // a 100 % wall
        assert!(grade(&d, &alt, 20.0).iter().all(|&g| g == MAX_GRADE));
    }

    #[test]
    fn grade_of_a_hill_is_found_through_noise_and_missing_altitude() {
        // Up 6 % for 500 m, then down 6 % for 500 m; 1 m samples; ±0.5 m alternating noise.
        let d: Vec<f64> = (0..=1000).map(f64::from).collect();
        let alt: Vec<f64> = d
            .iter()
            .enumerate()
            .map(|(k, &d)| {
                if k % 97 == 0 {
                    return f64::NAN;
                }
                let base = if d <= 500.0 {
                    0.06 * d
                } else {
                    30.0 - 0.06 * (d - 500.0)
                };
                base + if k % 2 == 0 { 0.5 } else { -0.5 }
            })
            .collect();
        let g = grade(&d, &alt, GRADE_WINDOW_M);
        assert!(
            g[100..450].iter().all(|g| (g - 0.06).abs() < 0.002),
            "{:?}",
            &g[100..110]
        );
        assert!(g[550..900].iter().all(|g| (g + 0.06).abs() < 0.002));
        assert!(g[500].abs() < 0.01);
    }

    #[test]
    fn standing_still_has_no_grade() {
        let g = grade(&[5.0; 10], &[100.0f32; 10], GRADE_WINDOW_M);
        assert!(g.iter().all(|g| g.is_nan()));
    }

    #[test]
    fn the_strategies_agree_on_the_flat() {
        assert_eq!(Minetti.factor(0.0), 1.0);
        assert_eq!(Acsm.factor(0.0), 1.0);
        assert_eq!(Acsm.factor(-0.1), 1.0);
        assert_eq!(Minetti.factor(f64::NAN), 1.0);
    }
}
