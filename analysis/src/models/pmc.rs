//! Fitness, fatigue and form: chronic training load (CTL), acute training load (ATL) and the
//! training stress balance (TSB), as in Banister's model and Coggan's Performance Manager Chart.
//!
//! Each day, CTL moves toward that day's load by the factor `1 − e^(−1/τ)`, with τ = 42 days
//! (0.023528 a day); ATL does the same with τ = 7 days (0.133122). Form is yesterday's
//! fitness minus yesterday's fatigue, `TSB(d) = CTL(d−1) − ATL(d−1)`, so today's run does not
//! make today's form worse before it happened.

use serde::{Deserialize, Serialize};

use super::load::DailySeries;

/// How this model is computed, for the UI's "how is this computed?".
pub const METHOD: &str = "Fitness (CTL) and fatigue (ATL) are exponentially weighted averages \
of the daily load: each day they move toward that day's load by 1 − e^(−1/τ), τ = 42 days for \
fitness and 7 days for fatigue (both editable). Form (TSB) is yesterday's fitness minus \
yesterday's fatigue.";

/// Where the model comes from.
pub const SOURCE: &str = "Banister et al. 1975 impulse-response model; Coggan's Performance \
Manager Chart (TrainingPeaks)";

/// The daily weighting factor of an exponentially weighted average with time constant
/// `tau_days`: `1 − e^(−1/τ)`.
///
/// ```
/// use analysis::models::pmc::factor;
/// assert_eq!((factor(42.0) * 1e6).round() / 1e6, 0.023528);
/// assert_eq!((factor(7.0) * 1e6).round() / 1e6, 0.133122);
/// ```
pub fn factor(tau_days: f64) -> f64 {
    1.0 - (-1.0 / tau_days).exp()
}

/// The performance-manager model: time constants and starting values.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Pmc {
    /// Fitness time constant, days (42).
    pub ctl_days: f64,
    /// Fatigue time constant, days (7).
    pub atl_days: f64,
    /// Fitness on the day before the series starts (0).
    pub start_ctl: f64,
    /// Fatigue on the day before the series starts (0).
    pub start_atl: f64,
}

impl Default for Pmc {
    fn default() -> Self {
        Self {
            ctl_days: 42.0,
            atl_days: 7.0,
            start_ctl: 0.0,
            start_atl: 0.0,
        }
    }
}

/// Fitness, fatigue and form on one day.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PmcPoint {
    /// The day (days since 1970-01-01).
    pub day: i32,
    /// The day's load.
    pub load: f64,
    /// Fitness after the day's load.
    pub ctl: f64,
    /// Fatigue after the day's load.
    pub atl: f64,
    /// Form going into the day: yesterday's CTL − ATL.
    pub tsb: f64,
}

impl Pmc {
    /// A model with other time constants.
    pub fn with_days(ctl_days: f64, atl_days: f64) -> Self {
        Self {
            ctl_days,
            atl_days,
            ..Self::default()
        }
    }

    fn valid(&self) -> bool {
        [self.ctl_days, self.atl_days]
            .iter()
            .all(|t| t.is_finite() && *t > 0.0)
            && self.start_ctl.is_finite()
            && self.start_atl.is_finite()
    }

    /// One point per day of `daily`, then `extra_days` more days of rest (zero load) to
    /// project a taper; `None` if a time constant is not a positive number or the whole spans
    /// more than a century.
    ///
    /// ```
    /// use analysis::models::{DailySeries, Pmc};
    /// let daily = DailySeries { first_day: 0, values: vec![100.0], missing_runs: 0 };
    /// let pts = Pmc::default().series(&daily, 1).unwrap();
    /// assert_eq!((pts[0].ctl * 1e4).round() / 1e4, 2.3528);
    /// assert_eq!((pts[0].atl * 1e4).round() / 1e4, 13.3122);
    /// assert_eq!(pts[0].tsb, 0.0);
    /// assert_eq!((pts[1].tsb * 1e4).round() / 1e4, -10.9594);
    /// ```
    pub fn series(&self, daily: &DailySeries, extra_days: usize) -> Option<Vec<PmcPoint>> {
        // A century of days at most: a bad day number must not allocate gigabytes.
        if !self.valid() || daily.values.len().saturating_add(extra_days) > 36_525 {
            return None;
        }
        let (fc, fa) = (factor(self.ctl_days), factor(self.atl_days));
        let (mut ctl, mut atl) = (self.start_ctl, self.start_atl);
        let loads = daily
            .values
            .iter()
            .map(|&v| if v.is_finite() && v > 0.0 { v } else { 0.0 })
            .chain(std::iter::repeat_n(0.0, extra_days));
        let mut out = Vec::with_capacity(daily.values.len() + extra_days);
        for (i, load) in loads.enumerate() {
            let tsb = ctl - atl;
            ctl += fc * (load - ctl);
            atl += fa * (load - atl);
            out.push(PmcPoint {
                day: daily.first_day.saturating_add(i as i32),
                load,
                ctl,
                atl,
                tsb,
            });
        }
        Some(out)
    }

    /// The point on `day`: inside the series, or after it assuming rest; `None` before the
    /// series or for bad time constants.
    pub fn at(&self, daily: &DailySeries, day: i32) -> Option<PmcPoint> {
        let index = usize::try_from(i64::from(day) - i64::from(daily.first_day)).ok()?;
        let extra = (index + 1).saturating_sub(daily.values.len());
        self.series(daily, extra)?.get(index).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(values: Vec<f64>) -> DailySeries {
        DailySeries {
            first_day: 100,
            values,
            missing_runs: 0,
        }
    }

    #[test]
    fn steady_load_converges() {
        let pts = Pmc::default().series(&series(vec![50.0; 400]), 0).unwrap();
        let last = pts.last().unwrap();
        assert!((last.ctl - 50.0).abs() < 0.01);
        assert!((last.atl - 50.0).abs() < 1e-9);
        assert!(last.tsb.abs() < 0.01);
        // After 42 days CTL is at 1 − (1 − 0.023528)^42 ≈ 63 % of the load.
        assert_eq!((pts[41].ctl / 50.0 * 100.0).round(), 63.0);
    }

    #[test]
    fn rest_raises_form() {
        let daily = series(vec![80.0; 60]);
        let p = Pmc::default();
        let training = p.at(&daily, 159).unwrap();
        let after_rest = p.at(&daily, 169).unwrap();
        assert!(training.tsb < 0.0);
        assert!(after_rest.tsb > 0.0);
        assert!(after_rest.ctl < training.ctl);
        assert_eq!(p.at(&daily, 99), None);
    }

    #[test]
    fn editable_constants_and_bad_ones() {
        let daily = series(vec![100.0]);
        let pts = Pmc::with_days(28.0, 5.0).series(&daily, 0).unwrap();
        assert!((pts[0].ctl - 100.0 * factor(28.0)).abs() < 1e-12);
        assert_eq!(Pmc::with_days(0.0, 7.0).series(&daily, 0), None);
        assert_eq!(Pmc::with_days(42.0, f64::NAN).series(&daily, 0), None);
        assert_eq!(Pmc::default().at(&daily, i32::MAX), None);
    }
}
