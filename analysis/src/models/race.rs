//! Race-time prediction: small strategy values that implement one trait, [`RacePredictor`],
//! chosen by the caller (as in geo's `Haversine.distance(a, b)`), and all returning the same
//! [`Prediction`].
//!
//! - [`Riegel`]: `T2 = T1 · (D2/D1)^1.06` (Riegel 1981);
//! - [`Vdot`]: Daniels' VDOT from the effort, then the time at that VDOT for the target;
//! - [`Cameron`]: Cameron's formula (used by Runalyze);
//! - [`CriticalSpeed`](super::CriticalSpeed): `d = CS·t + D′` fitted to 2–15 minute efforts;
//! - [`Stride`](super::Stride): Stride's own, a personal endurance exponent with population
//!   shrinkage and a marathon fade fitted on public data, adjusted by form.
//!
//! The single-effort methods use one *anchor* effort: among the races given (or all efforts if
//! none is a race), the one nearest the target distance in log distance.
//!
//! ```
//! use analysis::models::{Effort, RacePredictor, Riegel, predict, Method};
//! let five_k = [Effort::race(5_000.0, 1_200.0)];
//! let p = Riegel::default().predict(&five_k, 10_000.0).unwrap();
//! assert_eq!(p.seconds.round(), 2_502.0); // 41:42
//! assert!(p.low_s < p.seconds && p.seconds < p.high_s);
//! // The same through the method switch the command line uses:
//! let q = predict("riegel".parse::<Method>().unwrap(), &five_k, 10_000.0).unwrap();
//! assert_eq!(q.seconds, p.seconds);
//! ```

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::critical_speed::CriticalSpeed;
use super::endurance::Stride;
use super::history::Effort;
use super::vdot;

/// A prediction method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Stride's choice: currently [`Method::Stride`].
    Auto,
    /// Riegel's power law.
    Riegel,
    /// Daniels' VDOT.
    Vdot,
    /// Cameron's formula.
    Cameron,
    /// Critical speed.
    #[serde(rename = "cs")]
    CriticalSpeed,
    /// Stride's personal endurance model.
    Stride,
}

impl Method {
    /// Every concrete method, in the order the UI shows them side by side.
    pub const ALL: [Method; 5] = [
        Method::Stride,
        Method::Riegel,
        Method::Vdot,
        Method::Cameron,
        Method::CriticalSpeed,
    ];

    /// The stable id: `auto`, `riegel`, `vdot`, `cameron`, `cs`, `stride`.
    pub fn id(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Riegel => "riegel",
            Self::Vdot => "vdot",
            Self::Cameron => "cameron",
            Self::CriticalSpeed => "cs",
            Self::Stride => "stride",
        }
    }

    /// The concrete method `Auto` stands for; others are themselves.
    pub fn resolve(self) -> Self {
        match self {
            Self::Auto => Self::Stride,
            m => m,
        }
    }
}

impl FromStr for Method {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [
            Self::Auto,
            Self::Riegel,
            Self::Vdot,
            Self::Cameron,
            Self::CriticalSpeed,
            Self::Stride,
        ]
        .into_iter()
        .find(|m| m.id().eq_ignore_ascii_case(s.trim()))
        .ok_or_else(|| {
            format!("unknown method {s:?}: use auto, riegel, vdot, cameron, cs or stride")
        })
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// A predicted race time with its interval and the data it rests on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    /// The method that made it (never `Auto`).
    pub method: Method,
    /// The target distance, metres.
    pub target_m: f64,
    /// The predicted time, seconds.
    pub seconds: f64,
    /// The fast end of the interval, seconds.
    pub low_s: f64,
    /// The slow end of the interval, seconds.
    pub high_s: f64,
    /// The efforts the prediction used.
    pub efforts: Vec<Effort>,
    /// The endurance exponent applied, for the power-law methods.
    pub exponent: Option<f64>,
    /// How this number was computed, with the numbers.
    pub explanation: String,
    /// The published source of the method.
    pub source: String,
}

/// The five numbers `stride predict --json` prints.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PredictionSummary {
    /// The target distance, metres.
    pub target_m: f64,
    /// The predicted time, seconds.
    pub seconds: f64,
    /// The fast end of the interval, seconds.
    pub low_s: f64,
    /// The slow end of the interval, seconds.
    pub high_s: f64,
    /// The method's id.
    pub method: Method,
}

impl Prediction {
    /// The command line's JSON shape: `{"target_m","seconds","low_s","high_s","method"}`.
    pub fn summary(&self) -> PredictionSummary {
        PredictionSummary {
            target_m: self.target_m,
            seconds: self.seconds,
            low_s: self.low_s,
            high_s: self.high_s,
            method: self.method,
        }
    }
}

/// Efforts older than this many days say little about today's fitness: a prediction resting on
/// any of them gets no interval (Stride's own window of recent efforts, twelve weeks).
pub const FRESH_EFFORT_DAYS: i32 = 84;

/// How old the efforts under a prediction are on the day it is made for, in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EffortAges {
    /// The newest effort's age.
    pub newest_days: i32,
    /// The oldest effort's age.
    pub oldest_days: i32,
}

impl Prediction {
    /// The ages of its dated efforts on `today`; `None` when none is dated (race results given
    /// by hand).
    ///
    /// ```
    /// use analysis::models::{Effort, Method, RacePredictor, Riegel};
    /// let p = Riegel::default()
    ///     .predict(&[Effort::new(5_000.0, 1_200.0).on(100), Effort::new(10_000.0, 2_500.0).on(1_000)], 42_195.0)
    ///     .unwrap();
    /// let ages = p.effort_ages(1_010).unwrap();
    /// assert!(ages.newest_days >= 10 && ages.oldest_days <= 910);
    /// ```
    pub fn effort_ages(&self, today: i32) -> Option<EffortAges> {
        let days = self.efforts.iter().filter_map(|e| e.day);
        let newest = days.clone().max()?;
        let oldest = days.min()?;
        Some(EffortAges {
            newest_days: (today - newest).max(0),
            oldest_days: (today - oldest).max(0),
        })
    }

    /// Whether its interval holds on `today`: every dated effort it rests on is at most
    /// [`FRESH_EFFORT_DAYS`] old. A time from efforts years old (or years apart) is what the
    /// runner could do then; the interval around it, computed from the scatter of the efforts,
    /// says nothing of how fitness changed since, so it is withheld rather than shown as ±1 %.
    pub fn interval_holds(&self, today: i32) -> bool {
        self.effort_ages(today)
            .is_none_or(|a| a.oldest_days <= FRESH_EFFORT_DAYS)
    }
}

/// A race-time predictor.
pub trait RacePredictor {
    /// Which method this is.
    fn method(&self) -> Method;
    /// The display name.
    fn name(&self) -> &'static str;
    /// The published source.
    fn source(&self) -> &'static str;
    /// How it works, in a sentence or two, for "how is this computed?".
    fn how(&self) -> &'static str;
    /// The predicted time for `target_m` from `efforts`; `None` when the efforts cannot support
    /// a prediction by this method (none valid, too short, outside the method's range).
    fn predict(&self, efforts: &[Effort], target_m: f64) -> Option<Prediction>;
}

/// The prediction of `method` with its default settings (`Auto` is Stride's model without form
/// or dates).
pub fn predict(method: Method, efforts: &[Effort], target_m: f64) -> Option<Prediction> {
    match method.resolve() {
        Method::Riegel => Riegel::default().predict(efforts, target_m),
        Method::Vdot => Vdot.predict(efforts, target_m),
        Method::Cameron => Cameron.predict(efforts, target_m),
        Method::CriticalSpeed => CriticalSpeed::default().predict(efforts, target_m),
        Method::Stride | Method::Auto => Stride::default().predict(efforts, target_m),
    }
}

/// Every method's prediction that can be made, side by side, in [`Method::ALL`] order.
pub fn predict_all(efforts: &[Effort], target_m: f64) -> Vec<Prediction> {
    Method::ALL
        .iter()
        .filter_map(|&m| predict(m, efforts, target_m))
        .collect()
}

/// Whether a target distance is one the predictors accept: 800 m to 200 km.
pub(crate) fn valid_target(target_m: f64) -> bool {
    target_m.is_finite() && (800.0..=200_000.0).contains(&target_m)
}

/// The anchor effort: among valid races (or all valid efforts without a race) the one nearest
/// `target_m` in log distance; ties go to the better performance.
pub fn anchor(efforts: &[Effort], target_m: f64) -> Option<Effort> {
    let valid: Vec<Effort> = efforts.iter().copied().filter(Effort::is_valid).collect();
    let races: Vec<Effort> = valid.iter().copied().filter(|e| e.race).collect();
    let pool = if races.is_empty() { valid } else { races };
    let key = |e: &Effort| {
        let gap = (target_m / e.distance_m).ln().abs();
        // Riegel-equivalent time at the target breaks ties: lower is better.
        let equivalent = e.seconds * (target_m / e.distance_m).powf(1.06);
        (gap, equivalent)
    };
    pool.into_iter().min_by(|a, b| {
        let ((ga, ta), (gb, tb)) = (key(a), key(b));
        if (ga - gb).abs() < 1e-9 {
            ta.total_cmp(&tb)
        } else {
            ga.total_cmp(&gb)
        }
    })
}

/// The interval half-width factor of the single-effort methods: ±0.04 on an endurance
/// exponent over the log-distance ratio, at least ±1 %.
fn classic_factor(from_m: f64, to_m: f64) -> f64 {
    (0.04 * (to_m / from_m).ln().abs()).exp().max(1.01)
}

fn classic(
    method: Method,
    anchor: Effort,
    target_m: f64,
    seconds: f64,
    exponent: Option<f64>,
    explanation: String,
    source: &str,
) -> Option<Prediction> {
    if !(seconds.is_finite() && seconds > 0.0) {
        return None;
    }
    let f = classic_factor(anchor.distance_m, target_m);
    Some(Prediction {
        method,
        target_m,
        seconds,
        low_s: seconds / f,
        high_s: seconds * f,
        efforts: vec![anchor],
        exponent,
        explanation: format!(
            "{explanation} The interval is ±0.04 on the endurance exponent over the distance ratio \
             (at least ±1 %), a typical spread between runners, not a measured error of this method."
        ),
        source: source.to_owned(),
    })
}

/// Riegel's power law `T2 = T1 · (D2/D1)^k`, k = 1.06 by default.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Riegel {
    /// The endurance exponent k.
    pub exponent: f64,
}

impl Default for Riegel {
    fn default() -> Self {
        Self { exponent: 1.06 }
    }
}

impl RacePredictor for Riegel {
    fn method(&self) -> Method {
        Method::Riegel
    }
    fn name(&self) -> &'static str {
        "Riegel"
    }
    fn source(&self) -> &'static str {
        "Riegel 1981, Athletic records and human endurance, American Scientist 69:285; known to \
         predict marathons too fast for recreational runners (Vickers & Vertosick 2016)"
    }
    fn how(&self) -> &'static str {
        "T2 = T1 · (D2/D1)^1.06 from the race nearest the target distance."
    }
    fn predict(&self, efforts: &[Effort], target_m: f64) -> Option<Prediction> {
        if !(valid_target(target_m) && self.exponent.is_finite() && self.exponent > 0.0) {
            return None;
        }
        let a = anchor(efforts, target_m)?;
        let t = a.seconds * (target_m / a.distance_m).powf(self.exponent);
        classic(
            Method::Riegel,
            a,
            target_m,
            t,
            Some(self.exponent),
            format!(
                "Riegel: {} · ({:.0} m / {:.0} m)^{:.2} = {}.",
                format_time(a.seconds),
                target_m,
                a.distance_m,
                self.exponent,
                format_time(t)
            ),
            self.source(),
        )
    }
}

/// Daniels' VDOT: the anchor's VDOT, then the time at that VDOT over the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Vdot;

impl RacePredictor for Vdot {
    fn method(&self) -> Method {
        Method::Vdot
    }
    fn name(&self) -> &'static str {
        "Daniels VDOT"
    }
    fn source(&self) -> &'static str {
        "Daniels & Gilbert 1979, Oxygen Power; Daniels' Running Formula"
    }
    fn how(&self) -> &'static str {
        "VDOT = VO2(v)/%VO2max(t) from the race nearest the target; the target time is the one \
         with the same VDOT, solved numerically."
    }
    fn predict(&self, efforts: &[Effort], target_m: f64) -> Option<Prediction> {
        if !valid_target(target_m) {
            return None;
        }
        let a = anchor(efforts, target_m)?;
        let v = vdot::vdot(a.distance_m, a.seconds)?;
        let t = vdot::time_for(v, target_m)?;
        classic(
            Method::Vdot,
            a,
            target_m,
            t,
            None,
            format!(
                "Daniels: {:.0} m in {} is VDOT {v:.1}; VDOT {v:.1} over {target_m:.0} m is {}.",
                a.distance_m,
                format_time(a.seconds),
                format_time(t)
            ),
            self.source(),
        )
    }
}

/// Cameron's formula: `T2 = T1 · (D2/D1) · f(D1)/f(D2)`,
/// `f(d) = 13.49681 − 0.000030363·d + 835.7114/d^0.7905`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Cameron;

impl Cameron {
    /// Cameron's pace function f(d), d in metres (400 m to 100 km).
    pub fn f(d: f64) -> Option<f64> {
        (400.0..=100_000.0)
            .contains(&d)
            .then(|| 13.49681 - 0.000_030_363 * d + 835.7114 / d.powf(0.7905))
    }
}

impl RacePredictor for Cameron {
    fn method(&self) -> Method {
        Method::Cameron
    }
    fn name(&self) -> &'static str {
        "Cameron"
    }
    fn source(&self) -> &'static str {
        "Dave Cameron's race-time formula, as used by Runalyze"
    }
    fn how(&self) -> &'static str {
        "T2 = T1 · (D2/D1) · f(D1)/f(D2) with f(d) = 13.49681 − 0.000030363·d + 835.7114/d^0.7905."
    }
    fn predict(&self, efforts: &[Effort], target_m: f64) -> Option<Prediction> {
        if !valid_target(target_m) {
            return None;
        }
        let a = anchor(efforts, target_m)?;
        let t = a.seconds * (target_m / a.distance_m) * Self::f(a.distance_m)? / Self::f(target_m)?;
        classic(
            Method::Cameron,
            a,
            target_m,
            t,
            None,
            format!(
                "Cameron: {} · ({target_m:.0}/{:.0}) · f({:.0})/f({target_m:.0}) = {}.",
                format_time(a.seconds),
                a.distance_m,
                a.distance_m,
                format_time(t)
            ),
            self.source(),
        )
    }
}

/// Race times are read and written as clocks: `1:31:35`, `19:57` (see [`crate::time`]).
pub use crate::time::{clock as format_time, parse_clock as parse_time};

#[cfg(test)]
mod tests {
    use super::*;

    const HALF: f64 = 21_097.5;
    const MARATHON: f64 = 42_195.0;

    fn t(p: Option<Prediction>) -> String {
        format_time(p.expect("a prediction").seconds)
    }

    #[test]
    fn riegel_published() {
        // Riegel 1981 via ALGORITHMS.md: 5K 20:00 -> 10K 41:42, marathon 3:11:49.
        let e = [Effort::race(5_000.0, 1_200.0)];
        assert_eq!(t(Riegel::default().predict(&e, 10_000.0)), "41:42");
        assert_eq!(t(Riegel::default().predict(&e, MARATHON)), "3:11:49");
    }

    #[test]
    fn cameron_published() {
        // Cameron via Runalyze: 5K 16:32 -> 10K 34:26, half 1:15:56, marathon 2:41:22 (±1 s).
        let e = [Effort::race(5_000.0, 992.0)];
        for (d, published) in [(10_000.0, 2_066.0), (HALF, 4_556.0), (MARATHON, 9_682.0)] {
            let p = Cameron.predict(&e, d).unwrap().seconds.round();
            assert!((p - published).abs() <= 1.0, "{d}: {p} vs {published}");
        }
    }

    #[test]
    fn vdot_published_within_table_rounding() {
        // Daniels' tables (VDOT 50 row): from the 5K, the other columns within 10 s.
        let e = [Effort::race(5_000.0, 1_197.0)];
        for (d, published) in [(10_000.0, 2_481.0), (HALF, 5_495.0), (MARATHON, 11_449.0)] {
            let p = Vdot.predict(&e, d).unwrap().seconds;
            assert!((p - published).abs() < 10.0, "{d}: {p} vs {published}");
        }
        let e = [Effort::race(10_000.0, 3_003.0)]; // VDOT 40 row
        let p = Vdot.predict(&e, MARATHON).unwrap().seconds;
        assert!((p - 13_785.0).abs() < 10.0, "{p}");
    }

    #[test]
    fn anchor_prefers_races_then_nearest() {
        let efforts = [
            Effort::new(10_000.0, 2_400.0),
            Effort::race(5_000.0, 1_200.0),
            Effort::race(HALF, 5_700.0),
        ];
        assert_eq!(anchor(&efforts, 10_000.0).unwrap().distance_m, 5_000.0);
        assert_eq!(anchor(&efforts, MARATHON).unwrap().distance_m, HALF);
        assert_eq!(
            anchor(&efforts[..1], MARATHON).unwrap().distance_m,
            10_000.0
        );
        assert_eq!(anchor(&[Effort::new(0.0, 1.0)], 5_000.0), None);
    }

    #[test]
    fn methods_parse_and_serialise() {
        assert_eq!("CS".parse::<Method>(), Ok(Method::CriticalSpeed));
        assert_eq!("auto".parse::<Method>().unwrap().resolve(), Method::Stride);
        assert!("banana".parse::<Method>().is_err());
        let p = Riegel::default()
            .predict(&[Effort::race(5_000.0, 1_200.0)], 10_000.0)
            .unwrap();
        let s = p.summary();
        assert_eq!(s.method, Method::Riegel);
        assert!(s.low_s < s.seconds && s.seconds < s.high_s);
    }

    #[test]
    fn bad_input_gives_none() {
        let e = [Effort::race(5_000.0, 1_200.0)];
        for m in Method::ALL {
            assert_eq!(predict(m, &e, f64::NAN), None, "{m}");
            assert_eq!(predict(m, &[], 10_000.0), None, "{m}");
            assert_eq!(predict(m, &e, 10.0), None, "{m}");
        }
        assert_eq!(Riegel { exponent: -1.0 }.predict(&e, 10_000.0), None);
        assert_eq!(parse_time(""), None);
        assert_eq!(parse_time("1:02:03:04"), None);
        assert_eq!(parse_time("-5"), None);
        assert_eq!(parse_time("a:10"), None);
        assert_eq!(format_time(f64::NAN), "–");
    }

    #[test]
    fn all_side_by_side() {
        let e = [
            Effort::race(5_000.0, 1_200.0),
            Effort::race(10_000.0, 2_520.0),
        ];
        let all = predict_all(&e, HALF);
        let methods: Vec<Method> = all.iter().map(|p| p.method).collect();
        // Critical speed needs 2–15 minute efforts: none here.
        assert_eq!(
            methods,
            [
                Method::Stride,
                Method::Riegel,
                Method::Vdot,
                Method::Cameron
            ]
        );
        for p in &all {
            assert!(!p.explanation.is_empty() && !p.source.is_empty());
            assert!(p.seconds > 5_000.0 && p.seconds < 6_500.0, "{p:?}");
        }
    }
}
