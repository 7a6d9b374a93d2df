//! Daniels and Gilbert's running formula: the oxygen cost of running at a speed, the fraction
//! of VO2max that can be held for a duration, and VDOT, their ratio for a race result.
//!
//! - `%VO2max(t) = 0.8 + 0.1894393·e^(−0.012778·t) + 0.2989558·e^(−0.1932605·t)`, t in minutes;
//! - `VO2(v) = −4.60 + 0.182258·v + 0.000104·v²`, v in m/min, ml/kg/min;
//! - `VDOT = VO2(v) / %VO2max(t)`.
//!
//! The time for a distance at a VDOT has no closed form; [`time_for`] solves it by bisection.
//! Daniels' printed tables are 1 to 9 seconds slower than this formula (the tables' times give
//! VDOTs of 49.95–49.97 for the "VDOT 50" row); the tests check both facts.

/// The fraction of VO2max that can be sustained for `minutes` (Daniels & Gilbert).
pub fn fraction_of_vo2max(minutes: f64) -> f64 {
    0.8 + 0.189_439_3 * (-0.012_778 * minutes).exp() + 0.298_955_8 * (-0.193_260_5 * minutes).exp()
}

/// The oxygen cost, ml/kg/min, of running at `meters_per_minute` (Daniels & Gilbert).
pub fn oxygen_cost(meters_per_minute: f64) -> f64 {
    -4.60 + 0.182_258 * meters_per_minute + 0.000_104 * meters_per_minute * meters_per_minute
}

/// The VDOT of covering `distance_m` in `seconds`; `None` for impossible input or an effort
/// shorter than a minute, where the formula means nothing.
///
/// ```
/// use analysis::models::vdot;
/// // Daniels' table: a 19:57 5K is VDOT 50.
/// assert_eq!(vdot::vdot(5_000.0, 1_197.0).map(f64::round), Some(50.0));
/// ```
pub fn vdot(distance_m: f64, seconds: f64) -> Option<f64> {
    if !(distance_m.is_finite() && seconds.is_finite() && distance_m > 0.0 && seconds >= 60.0) {
        return None;
    }
    let minutes = seconds / 60.0;
    let v = oxygen_cost(distance_m / minutes) / fraction_of_vo2max(minutes);
    (v.is_finite() && v > 0.0).then_some(v)
}

/// The time in seconds to cover `distance_m` at `vdot`, found by bisection to a millisecond;
/// `None` outside VDOT 10–100 or distances from 800 m to 1000 km.
///
/// ```
/// use analysis::models::vdot;
/// let t = vdot::time_for(50.0, 5_000.0).unwrap();
/// assert_eq!(t.round(), 1_196.0); // Daniels' table says 19:57
/// ```
pub fn time_for(vdot_value: f64, distance_m: f64) -> Option<f64> {
    if !(10.0..=100.0).contains(&vdot_value) || !(800.0..=1.0e6).contains(&distance_m) {
        return None;
    }
    // VDOT falls as the time grows over this range: faster is a higher VDOT.
    let (mut lo, mut hi) = (60.0_f64, 14.0 * 86_400.0);
    let at = |t: f64| vdot(distance_m, t).unwrap_or(0.0);
    if at(lo) < vdot_value || at(hi) > vdot_value {
        return None;
    }
    while hi - lo > 1e-3 {
        let mid = 0.5 * (lo + hi);
        if at(mid) > vdot_value {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(0.5 * (lo + hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DISTANCES: [f64; 4] = [5_000.0, 10_000.0, 21_097.5, 42_195.0];

    /// Daniels' Running Formula, VDOT tables: 5K, 10K, half, marathon.
    const VDOT_50: [f64; 4] = [1_197.0, 2_481.0, 5_495.0, 11_449.0];
    const VDOT_40: [f64; 4] = [1_448.0, 3_003.0, 6_659.0, 13_785.0];

    #[test]
    fn published_tables_are_the_formula_within_ten_seconds() {
        for (vdot_value, table) in [(50.0, VDOT_50), (40.0, VDOT_40)] {
            for (d, published) in DISTANCES.iter().zip(table) {
                let t = time_for(vdot_value, *d).unwrap().round();
                assert!(
                    (t - published).abs() <= 10.0 && (t - published).abs() / published < 0.002,
                    "VDOT {vdot_value} {d} m: formula {t} s, table {published} s"
                );
                // And each table time gives back its VDOT, rounded as the table rounds.
                assert_eq!(vdot(*d, published).unwrap().round(), vdot_value);
            }
        }
    }

    #[test]
    fn known_formula_values() {
        // 5K at VDOT 50 by the formula alone: 19:56.
        assert_eq!(time_for(50.0, 5_000.0).unwrap().round(), 1_196.0);
        assert_eq!((fraction_of_vo2max(0.0) * 1e7).round() / 1e7, 1.288_395_1);
        assert!((oxygen_cost(250.0) - (-4.60 + 45.5645 + 6.5)).abs() < 1e-9);
    }

    #[test]
    fn bad_input() {
        assert_eq!(vdot(5_000.0, 30.0), None);
        assert_eq!(vdot(f64::NAN, 1_200.0), None);
        assert_eq!(time_for(5.0, 5_000.0), None);
        assert_eq!(time_for(50.0, 100.0), None);
    }
}
