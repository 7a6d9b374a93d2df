//! Critical speed: the distance–time line `d = CS·t + D′` fitted to best efforts lasting about
//! 2 to 15 minutes, and race predictions from it.
//!
//! Within the fitted range a target's time is `(d − D′)/CS`. Longer races are run below CS:
//! from the distance the line reaches in 15 minutes, Stride interpolates the fraction of CS in
//! log distance down to 84.8 % of CS at the marathon, the mean of more than 25 000 runners in
//! Smyth & Muniz-Pumares 2020 (their marathon error was about 8 %, which is the interval there).

use serde::{Deserialize, Serialize};

use super::history::Effort;
use super::race::{Method, Prediction, RacePredictor, format_time, valid_target};

const MARATHON_M: f64 = 42_195.0;
/// The fraction of critical speed held over a marathon (Smyth & Muniz-Pumares 2020).
pub const MARATHON_FRACTION: f64 = 0.848;

/// The fitted line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriticalSpeedFit {
    /// Critical speed, m/s.
    pub cs_mps: f64,
    /// D′, the distance that can be covered above CS, metres.
    pub d_prime_m: f64,
    /// Coefficient of determination of the line.
    pub r2: f64,
    /// The efforts the line was fitted to.
    pub efforts: Vec<Effort>,
}

/// The critical-speed predictor: which effort durations it fits.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CriticalSpeed {
    /// The shortest effort used, seconds (120).
    pub min_s: f64,
    /// The longest effort used, seconds (900).
    pub max_s: f64,
}

impl Default for CriticalSpeed {
    fn default() -> Self {
        Self {
            min_s: 120.0,
            max_s: 900.0,
        }
    }
}

impl CriticalSpeed {
    /// Fits `d = CS·t + D′` by least squares to the valid efforts lasting `min_s..=max_s`
    /// (the fastest per distance); `None` with fewer than two distances, durations less than
    /// 1.5× apart, or a fit with CS ≤ 0 or D′ < 0.
    ///
    /// ```
    /// use analysis::models::{CriticalSpeed, Effort};
    /// // A runner with CS 4 m/s and D′ 200 m.
    /// let efforts = [Effort::new(1_000.0, 200.0), Effort::new(3_000.0, 700.0)];
    /// let fit = CriticalSpeed::default().fit(&efforts).unwrap();
    /// assert!((fit.cs_mps - 4.0).abs() < 1e-9 && (fit.d_prime_m - 200.0).abs() < 1e-6);
    /// ```
    pub fn fit(&self, efforts: &[Effort]) -> Option<CriticalSpeedFit> {
        let mut used: Vec<Effort> = Vec::new();
        for e in efforts.iter().filter(|e| e.is_valid()) {
            if !(self.min_s..=self.max_s).contains(&e.seconds) {
                continue;
            }
            match used
                .iter_mut()
                .find(|u| (u.distance_m - e.distance_m).abs() < 1.0)
            {
                Some(u) if e.seconds < u.seconds => *u = *e,
                Some(_) => {}
                None => used.push(*e),
            }
        }
        if used.len() < 2 {
            return None;
        }
        let (tmin, tmax) = used.iter().fold((f64::MAX, 0.0_f64), |(a, b), e| {
            (a.min(e.seconds), b.max(e.seconds))
        });
        if tmax < 1.5 * tmin {
            return None;
        }
        let n = used.len() as f64;
        let mt = used.iter().map(|e| e.seconds).sum::<f64>() / n;
        let md = used.iter().map(|e| e.distance_m).sum::<f64>() / n;
        let stt: f64 = used.iter().map(|e| (e.seconds - mt).powi(2)).sum();
        let std: f64 = used
            .iter()
            .map(|e| (e.seconds - mt) * (e.distance_m - md))
            .sum();
        let sdd: f64 = used.iter().map(|e| (e.distance_m - md).powi(2)).sum();
        let cs = std / stt;
        let d_prime = md - cs * mt;
        if !(cs.is_finite() && cs > 0.0 && d_prime >= 0.0) {
            return None;
        }
        let r2 = if sdd > 0.0 {
            (std * std / (stt * sdd)).min(1.0)
        } else {
            1.0
        };
        used.sort_by(|a, b| a.distance_m.total_cmp(&b.distance_m));
        Some(CriticalSpeedFit {
            cs_mps: cs,
            d_prime_m: d_prime,
            r2,
            efforts: used,
        })
    }
}

impl CriticalSpeedFit {
    /// The predicted time and the interval's half-width (a fraction) over `target_m`.
    fn time(&self, target_m: f64, max_s: f64) -> (f64, f64) {
        let cs = self.cs_mps;
        // Where the line ends: the distance covered in `max_s`.
        let d_end = cs * max_s + self.d_prime_m;
        if target_m <= d_end {
            return ((target_m - self.d_prime_m).max(0.0) / cs, 0.03);
        }
        let f_end = (d_end / max_s) / cs;
        let span = (MARATHON_M / d_end).ln();
        let x = (target_m / d_end).ln() / span;
        let fraction = (f_end + (MARATHON_FRACTION - f_end) * x).max(0.5);
        let half_width = (0.03 + 0.05 * x).min(0.15);
        (target_m / (fraction * cs), half_width)
    }
}

impl RacePredictor for CriticalSpeed {
    fn method(&self) -> Method {
        Method::CriticalSpeed
    }
    fn name(&self) -> &'static str {
        "Critical speed"
    }
    fn source(&self) -> &'static str {
        "Critical speed model (Hill 1925; Monod & Scherrer 1965); marathon at 84.8 % of CS from \
         Smyth & Muniz-Pumares 2020, Med Sci Sports Exerc 52:2637"
    }
    fn how(&self) -> &'static str {
        "d = CS·t + D′ fitted to best efforts of 2–15 minutes; longer races at a fraction of CS \
         falling in log distance to 84.8 % at the marathon."
    }
    fn predict(&self, efforts: &[Effort], target_m: f64) -> Option<Prediction> {
        if !valid_target(target_m) {
            return None;
        }
        let fit = self.fit(efforts)?;
        let (t, hw) = fit.time(target_m, self.max_s);
        if !(t.is_finite() && t > 0.0) {
            return None;
        }
        Some(Prediction {
            method: Method::CriticalSpeed,
            target_m,
            seconds: t,
            low_s: t * (1.0 - hw),
            high_s: t * (1.0 + hw),
            exponent: None,
            explanation: format!(
                "Critical speed {:.2} m/s ({}/km) and D′ {:.0} m from {} efforts of 2–15 min \
                 (r² {:.3}); {target_m:.0} m in {}. Past the 15-minute distance the pace is \
                 interpolated down to 84.8 % of CS at the marathon; the interval is ±3 % within \
                 the fitted range widening to ±8 % (the published marathon error) at 42.2 km.",
                fit.cs_mps,
                format_time(1_000.0 / fit.cs_mps),
                fit.d_prime_m,
                fit.efforts.len(),
                fit.r2,
                format_time(t)
            ),
            source: self.source().to_owned(),
            efforts: fit.efforts,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runner() -> Vec<Effort> {
        // CS 4.5 m/s, D′ 180 m: 1 km, 2 km, 3 km efforts.
        [1_000.0, 2_000.0, 3_000.0]
            .iter()
            .map(|&d| Effort::new(d, (d - 180.0) / 4.5))
            .collect()
    }

    #[test]
    fn recovers_the_line_and_predicts_inside_it() {
        let fit = CriticalSpeed::default().fit(&runner()).unwrap();
        assert!((fit.cs_mps - 4.5).abs() < 1e-9);
        assert!((fit.d_prime_m - 180.0).abs() < 1e-6);
        assert!((fit.r2 - 1.0).abs() < 1e-12);
        let p = CriticalSpeed::default()
            .predict(&runner(), 3_500.0)
            .unwrap();
        assert!((p.seconds - (3_500.0 - 180.0) / 4.5).abs() < 1e-6);
    }

    #[test]
    fn marathon_at_84_8_percent_of_cs() {
        // Smyth & Muniz-Pumares 2020: the marathon at ~84.8 % of CS.
        let p = CriticalSpeed::default()
            .predict(&runner(), 42_195.0)
            .unwrap();
        let fraction = 42_195.0 / p.seconds / 4.5;
        assert_eq!((fraction * 1000.0).round(), 848.0);
        assert!((p.high_s / p.seconds - 1.08).abs() < 1e-9);
    }

    #[test]
    fn monotonic_and_refusals() {
        let cs = CriticalSpeed::default();
        let mut last = 0.0;
        for d in [
            1_500.0, 3_000.0, 5_000.0, 10_000.0, 21_097.5, 42_195.0, 60_000.0,
        ] {
            let t = cs.predict(&runner(), d).unwrap().seconds;
            assert!(t > last, "{d}");
            last = t;
        }
        // One distance, durations too close, or a 20-minute effort only: no fit.
        assert_eq!(cs.fit(&runner()[..1]), None);
        assert_eq!(
            cs.fit(&[Effort::new(1_000.0, 200.0), Effort::new(1_100.0, 222.0)]),
            None
        );
        assert_eq!(
            cs.fit(&[Effort::new(5_000.0, 1_200.0), Effort::new(1_000.0, 1_000.0)]),
            None
        );
    }
}
