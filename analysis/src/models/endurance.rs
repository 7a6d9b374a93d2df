//! Stride's race predictor: a personal endurance curve fitted to the runner's recent best
//! efforts, shrunk toward a population curve, adjusted by current form.
//!
//! **The curve.** Race time grows with distance as a power law whose local exponent is
//! constant up to the half marathon and then rises with log distance (the marathon fade):
//! `ln T(d) = c + e·x + s·h(x)`, `x = ln d`, `h(x) = ½·max(0, x − ln 21 097.5)²`.
//! Up to the half, this is Riegel's law with the runner's own exponent `e`; past it the
//! exponent grows by `s` per unit of log distance.
//!
//! **Population.** `e` is 1.06 (Riegel 1981, which Vickers & Vertosick 2016 found accurate up
//! to the half). The fade `s` and its spread were fitted, by median and MAD, to one half of the
//! 520 runners of R's gcookbook `marathon` data set (each with a half and a full marathon) and
//! checked on the other half (tests/race_accuracy.rs). See [`STRIDE_POPULATION`].
//!
//! **Personal fit.** With efforts at several distances, `e` and `c` are the Bayesian weighted
//! least-squares fit of `ln T − s·h(x)` on `x`: each effort has a noise of 2 % (race) or 3.5 %
//! (best effort inside a training run), and `e` has a prior of 1.06 ± 0.03. With efforts at one
//! distance, or at close distances, the prior dominates; with a wide spread of good efforts,
//! the runner's own exponent does. Training efforts more than 8 % slower than the runner's best
//! equivalent are dropped as submaximal.
//!
//! **Form.** Given today's TSB and CTL, the time is scaled by `1 − 0.03·TSB/max(CTL, 20)`,
//! clamped to −1 %…+2 %: a heuristic, not validated on data (no public data set pairs load and
//! races).
//!
//! **Interval.** An 80 % interval from the fit's posterior variance, the population spread of
//! the fade past the runner's longest effort, and 2 % day-to-day variation.

use serde::{Deserialize, Serialize};

use super::history::{Effort, RunPoint};
use super::load::{LoadKind, daily_load};
use super::pmc::Pmc;
use super::race::{Method, Prediction, RacePredictor, format_time, valid_target};

/// The z value of a central 80 % normal interval.
const Z80: f64 = 1.281_551_6;

/// Population parameters of the endurance curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Population {
    /// The endurance exponent up to the knee (Riegel's 1.06).
    pub exponent: f64,
    /// The runner-to-runner spread of that exponent, the prior's SD.
    pub exponent_sd: f64,
    /// The distance past which the exponent rises, metres (the half marathon).
    pub knee_m: f64,
    /// The fade: how much the local exponent rises per unit of log distance past the knee.
    pub fade: f64,
    /// The runner-to-runner spread of the fade.
    pub fade_sd: f64,
    /// Log-time noise of a race result.
    pub race_noise: f64,
    /// Log-time noise of a best effort inside a training run.
    pub effort_noise: f64,
    /// Day-to-day variation of a race time, in log time.
    pub day_noise: f64,
}

/// Stride's population parameters. `fade` and `fade_sd` were fitted by [`Population::fit`] to
/// the even rows (0-based) of gcookbook's `marathon` (260 runners); the odd rows are the
/// held-out test. The rest are fixed from the literature, not fitted.
pub const STRIDE_POPULATION: Population = Population {
    exponent: 1.06,
    exponent_sd: 0.03,
    knee_m: 21_097.5,
    fade: FITTED_FADE,
    fade_sd: FITTED_FADE_SD,
    race_noise: 0.02,
    effort_noise: 0.035,
    day_noise: 0.02,
};

// Written from the output of tests/race_accuracy.rs (`fitted population`), which refits them
// and fails if they drift.
const FITTED_FADE: f64 = 0.2416;
const FITTED_FADE_SD: f64 = 0.1411;

impl Population {
    /// `h(x) = ½·max(0, x − ln knee)²`.
    pub fn h(&self, distance_m: f64) -> f64 {
        let over = (distance_m.ln() - self.knee_m.ln()).max(0.0);
        0.5 * over * over
    }

    /// The population's pair exponent between two distances:
    /// `ln(T2/T1) / ln(D2/D1)` for a runner with the population's curve.
    ///
    /// ```
    /// use analysis::models::STRIDE_POPULATION as P;
    /// assert_eq!(P.pair_exponent(5_000.0, 10_000.0), Some(1.06));
    /// assert!(P.pair_exponent(21_097.5, 42_195.0).unwrap() > 1.1);
    /// ```
    pub fn pair_exponent(&self, d1: f64, d2: f64) -> Option<f64> {
        let dx = (d2 / d1).ln();
        (dx.is_finite() && dx.abs() > 1e-9)
            .then(|| self.exponent + self.fade * (self.h(d2) - self.h(d1)) / dx)
    }

    /// Fits `fade` and `fade_sd` to pairs of (shorter, longer) results of the same runners,
    /// keeping the other parameters: the fade is the median of each pair's excess log-time
    /// ratio over `exponent`, divided by its `h` difference; its spread comes from the MAD of
    /// the residuals less the other noise terms. Pairs whose longer race is not past the knee
    /// say nothing about the fade and are skipped; `None` with fewer than 10 usable pairs.
    pub fn fit(&self, pairs: &[(Effort, Effort)]) -> Option<Population> {
        let rows: Vec<(f64, f64, f64)> = pairs
            .iter()
            .filter(|(a, b)| a.is_valid() && b.is_valid() && b.distance_m > a.distance_m)
            .filter_map(|(a, b)| {
                let dx = (b.distance_m / a.distance_m).ln();
                let dh = self.h(b.distance_m) - self.h(a.distance_m);
                let excess = (b.seconds / a.seconds).ln() - self.exponent * dx;
                (dh > 0.01).then_some((excess, dh, dx))
            })
            .collect();
        if rows.len() < 10 {
            return None;
        }
        let fade = median(rows.iter().map(|&(r, dh, _)| r / dh).collect())?;
        let residuals: Vec<f64> = rows.iter().map(|&(r, dh, _)| r - fade * dh).collect();
        let centre = median(residuals.clone())?;
        let mad = median(residuals.iter().map(|r| (r - centre).abs()).collect())?;
        let robust_var = (1.482_6 * mad).powi(2);
        let n = rows.len() as f64;
        let other: f64 = rows
            .iter()
            .map(|&(_, _, dx)| {
                // The predicted variance of a one-race prediction, less the fade's part.
                self.race_noise.powi(2) + (self.exponent_sd * dx).powi(2) + self.day_noise.powi(2)
            })
            .sum::<f64>()
            / n;
        let mean_dh2 = rows.iter().map(|&(_, dh, _)| dh * dh).sum::<f64>() / n;
        let fade_sd = ((robust_var - other).max(0.0) / mean_dh2).sqrt();
        Some(Population {
            fade,
            fade_sd,
            ..*self
        })
    }
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    v.retain(|x| x.is_finite());
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    Some(if v.len() % 2 == 1 {
        v[m]
    } else {
        0.5 * (v[m - 1] + v[m])
    })
}

/// Today's form, from the performance-manager model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Form {
    /// Training stress balance (form).
    pub tsb: f64,
    /// Chronic training load (fitness).
    pub ctl: f64,
}

impl Form {
    /// The relative change of a race time for this form: −1 % (fresh) to +2 % (tired).
    pub fn time_factor(&self) -> f64 {
        if !(self.tsb.is_finite() && self.ctl.is_finite()) {
            return 1.0;
        }
        1.0 + (-0.03 * self.tsb / self.ctl.max(20.0)).clamp(-0.01, 0.02)
    }
}

/// Stride's predictor: the population, the window of recent efforts and today's form.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Stride {
    /// The population curve and noise model.
    pub population: Population,
    /// Today (days since 1970-01-01); `None` for the latest effort's day.
    pub today: Option<i32>,
    /// How far back efforts count, days (84: twelve weeks).
    pub window_days: i32,
    /// Today's form, if known.
    pub form: Option<Form>,
    /// The shortest effort used, metres (1500: shorter efforts are anaerobic).
    pub min_distance_m: f64,
}

impl Default for Stride {
    fn default() -> Self {
        Self {
            population: STRIDE_POPULATION,
            today: None,
            window_days: 84,
            form: None,
            min_distance_m: 1_500.0,
        }
    }
}

/// A runner's fitted endurance curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnduranceFit {
    /// The personal endurance exponent up to the half marathon (posterior mean).
    pub exponent: f64,
    /// Its posterior SD.
    pub exponent_sd: f64,
    /// How much of the exponent comes from the runner's data rather than the population
    /// prior, 0–1.
    pub data_weight: f64,
    /// The efforts fitted, shortest first.
    pub efforts: Vec<Effort>,
    /// Training efforts dropped as submaximal.
    pub dropped: usize,
    /// The population it was shrunk toward.
    pub population: Population,
    centre_x: f64,
    centre_z: f64,
    centre_var: f64,
    longest_m: f64,
}

impl EnduranceFit {
    /// The predicted log-time and its SD (without form) over `target_m`.
    fn log_time(&self, target_m: f64) -> (f64, f64) {
        let p = &self.population;
        let x = target_m.ln();
        let mean = self.centre_z + self.exponent * (x - self.centre_x) + p.fade * p.h(target_m);
        let fade_unknown = (p.h(target_m) - p.h(self.longest_m)).max(0.0);
        let var = self.centre_var
            + (self.exponent_sd * (x - self.centre_x)).powi(2)
            + (p.fade_sd * fade_unknown).powi(2)
            + p.day_noise.powi(2);
        (mean, var.sqrt())
    }

    /// The predicted time over `target_m`, seconds, without form.
    pub fn time(&self, target_m: f64) -> f64 {
        self.log_time(target_m).0.exp()
    }
}

impl Stride {
    /// The efforts this predictor uses: valid, at least `min_distance_m`, inside the window,
    /// the fastest per distance (within 1 %), and training efforts not clearly submaximal; but
    /// with a `target`, the effort nearest to it in distance always stays, since it says the
    /// most about that distance (dropping it left, for some runners, a fast mile alone to
    /// predict a half marathon from). Returns them and the number dropped as submaximal.
    fn select(&self, efforts: &[Effort], target_m: Option<f64>) -> (Vec<Effort>, usize) {
        let today = self
            .today
            .or_else(|| efforts.iter().filter_map(|e| e.day).max());
        let mut kept: Vec<Effort> = Vec::new();
        for e in efforts {
            if !e.is_valid() || e.distance_m < self.min_distance_m || e.distance_m > 200_000.0 {
                continue;
            }
            if let (Some(t), Some(d)) = (today, e.day)
                && (d > t || d < t.saturating_sub(self.window_days.max(0)))
            {
                continue;
            }
            match kept
                .iter_mut()
                .find(|k| (k.distance_m / e.distance_m).ln().abs() < 0.01)
            {
                Some(k) if e.seconds / e.distance_m < k.seconds / k.distance_m => *k = *e,
                Some(k) if e.race && !k.race && e.seconds <= k.seconds * 1.01 => *k = *e,
                Some(_) => {}
                None => kept.push(*e),
            }
        }
        // Each effort's equivalent at the knee on the population curve: lower is better.
        let p = &self.population;
        let equivalent = |e: &Effort| {
            e.seconds.ln() + p.exponent * (p.knee_m / e.distance_m).ln()
                - p.fade * p.h(e.distance_m)
        };
        let best = kept.iter().map(equivalent).fold(f64::INFINITY, f64::min);
        let nearest = target_m.and_then(|t| {
            kept.iter()
                .map(|e| (e.distance_m / t).ln().abs())
                .min_by(f64::total_cmp)
        });
        let before = kept.len();
        kept.retain(|e| {
            e.race
                || equivalent(e) - best <= 0.08
                || target_m
                    .zip(nearest)
                    .is_some_and(|(t, n)| (e.distance_m / t).ln().abs() <= n)
        });
        let dropped = before - kept.len();
        kept.sort_by(|a, b| a.distance_m.total_cmp(&b.distance_m));
        (kept, dropped)
    }

    /// The runner's endurance curve from `efforts`; `None` without a usable effort.
    ///
    /// ```
    /// use analysis::models::{Effort, Stride};
    /// // A runner whose races follow T = c·D^1.08 exactly.
    /// let races: Vec<Effort> = [1_500.0, 3_000.0, 5_000.0, 10_000.0, 21_097.5]
    ///     .iter()
    ///     .map(|&d| Effort::race(d, 0.1 * d.powf(1.08)))
    ///     .collect();
    /// let fit = Stride::default().fit(&races).unwrap();
    /// assert!((fit.exponent - 1.08).abs() < 0.01);
    /// ```
    pub fn fit(&self, efforts: &[Effort]) -> Option<EnduranceFit> {
        self.fit_for(efforts, None)
    }

    /// The curve for predicting `target_m` (see [`Stride::select`]), or for any distance.
    fn fit_for(&self, efforts: &[Effort], target_m: Option<f64>) -> Option<EnduranceFit> {
        let (used, dropped) = self.select(efforts, target_m);
        if used.is_empty() {
            return None;
        }
        let p = &self.population;
        let rows: Vec<(f64, f64, f64)> = used
            .iter()
            .map(|e| {
                let noise = if e.race { p.race_noise } else { p.effort_noise };
                let x = e.distance_m.ln();
                (
                    x,
                    e.seconds.ln() - p.fade * p.h(e.distance_m),
                    1.0 / (noise * noise),
                )
            })
            .collect();
        let w: f64 = rows.iter().map(|r| r.2).sum();
        let cx = rows.iter().map(|r| r.2 * r.0).sum::<f64>() / w;
        let cz = rows.iter().map(|r| r.2 * r.1).sum::<f64>() / w;
        let sxx: f64 = rows.iter().map(|r| r.2 * (r.0 - cx).powi(2)).sum();
        let sxz: f64 = rows.iter().map(|r| r.2 * (r.0 - cx) * (r.1 - cz)).sum();
        let prior = 1.0 / p.exponent_sd.powi(2);
        let exponent = (sxz + prior * p.exponent) / (sxx + prior);
        if !exponent.is_finite() {
            return None;
        }
        Some(EnduranceFit {
            exponent,
            exponent_sd: (1.0 / (sxx + prior)).sqrt(),
            data_weight: sxx / (sxx + prior),
            longest_m: used.last().map_or(0.0, |e| e.distance_m),
            efforts: used,
            dropped,
            population: *p,
            centre_x: cx,
            centre_z: cz,
            centre_var: 1.0 / w,
        })
    }
}

impl Stride {
    /// Stride's predictor for `today` from a runner's history, and the efforts to give it: the
    /// best efforts of every run (races where the run is marked as one), and today's form from
    /// the performance-manager model on `kind` loads when there are at least 28 days of
    /// history and fitness of 10 or more.
    ///
    /// ```
    /// use analysis::models::{LoadKind, RacePredictor, RunPoint, Stride};
    /// let runs: Vec<RunPoint> = (0..60)
    ///     .map(|d| RunPoint {
    ///         day: 19_000 + d,
    ///         distance_m: 10_000.0,
    ///         duration_s: 3_000.0,
    ///         trimp: Some(70.0),
    ///         efforts: vec![(5_000.0, 1_440.0), (10_000.0, 3_000.0)],
    ///         ..Default::default()
    ///     })
    ///     .collect();
    /// let (stride, efforts) = Stride::from_history(&runs, LoadKind::Trimp, 19_059);
    /// assert!(stride.form.is_some());
    /// let p = stride.predict(&efforts, 21_097.5).unwrap();
    /// assert!(p.seconds > 6_000.0 && p.seconds < 7_000.0);
    /// ```
    pub fn from_history(runs: &[RunPoint], kind: LoadKind, today: i32) -> (Self, Vec<Effort>) {
        let past: Vec<RunPoint> = runs.iter().filter(|r| r.day <= today).cloned().collect();
        let efforts = past.iter().flat_map(RunPoint::efforts).collect();
        let form = daily_load(&past, kind, Some(today)).and_then(|d| {
            let history = i64::from(today) - i64::from(d.first_day) + 1;
            let p = Pmc::default().at(&d, today)?;
            (history >= 28 && p.ctl >= 10.0).then_some(Form {
                tsb: p.tsb,
                ctl: p.ctl,
            })
        });
        (
            Self {
                today: Some(today),
                form,
                ..Self::default()
            },
            efforts,
        )
    }
}

impl RacePredictor for Stride {
    fn method(&self) -> Method {
        Method::Stride
    }
    fn name(&self) -> &'static str {
        "Stride"
    }
    fn source(&self) -> &'static str {
        "Stride's model: Riegel 1981 power law with a personal exponent (Bayesian shrinkage to \
         1.06), a marathon fade fitted on the gcookbook marathon data (Downey, Think Stats), \
         form from the performance-manager model"
    }
    fn how(&self) -> &'static str {
        "A personal endurance exponent fitted to your recent best efforts and races, shrunk \
         toward the population's 1.06 when the efforts are few or close in distance, plus the \
         population's extra slowing past the half marathon, adjusted by today's form."
    }
    fn predict(&self, efforts: &[Effort], target_m: f64) -> Option<Prediction> {
        if !valid_target(target_m) {
            return None;
        }
        let fit = self.fit_for(efforts, Some(target_m))?;
        let (mean, sd) = fit.log_time(target_m);
        let form = self.form.map_or(1.0, |f| f.time_factor());
        let seconds = mean.exp() * form;
        if !(seconds.is_finite() && seconds > 0.0) {
            return None;
        }
        let form_text = match self.form {
            Some(f) => format!(
                " Form: TSB {:.0} on CTL {:.0} changes the time by {:+.1} %.",
                f.tsb,
                f.ctl,
                (form - 1.0) * 100.0
            ),
            None => " No form data: no form adjustment.".to_owned(),
        };
        let explanation = format!(
            "From {n} effort{s} ({list}){dropped}: personal endurance exponent {e:.3} ± {esd:.3} \
             up to the half marathon ({w:.0} % from your efforts, {pw:.0} % from the population's \
             {pe:.2}){fade}.{form_text} {target:.0} m in {t}; 80 % interval {lo}–{hi}.",
            n = fit.efforts.len(),
            s = if fit.efforts.len() == 1 { "" } else { "s" },
            list = fit
                .efforts
                .iter()
                .map(|e| format!(
                    "{:.0} m in {}{}",
                    e.distance_m,
                    format_time(e.seconds),
                    if e.race { " race" } else { "" }
                ))
                .collect::<Vec<_>>()
                .join(", "),
            dropped = if fit.dropped > 0 {
                format!(
                    "; {} slower training effort(s) left out as submaximal",
                    fit.dropped
                )
            } else {
                String::new()
            },
            e = fit.exponent,
            esd = fit.exponent_sd,
            w = fit.data_weight * 100.0,
            pw = (1.0 - fit.data_weight) * 100.0,
            pe = self.population.exponent,
            fade = if self.population.h(target_m) > 0.0 {
                format!(
                    "; past the half marathon runners slow more than a power law says (fitted on \
                     public half/full marathon pairs), which adds {:.1} %",
                    ((self.population.fade * self.population.h(target_m)).exp() - 1.0) * 100.0
                )
            } else {
                String::new()
            },
            target = target_m,
            t = format_time(seconds),
            lo = format_time(seconds * (-Z80 * sd).exp()),
            hi = format_time(seconds * (Z80 * sd).exp()),
        );
        Some(Prediction {
            method: Method::Stride,
            target_m,
            seconds,
            low_s: seconds * (-Z80 * sd).exp(),
            high_s: seconds * (Z80 * sd).exp(),
            exponent: Some(fit.exponent),
            explanation,
            source: self.source().to_owned(),
            efforts: fit.efforts,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HALF: f64 = 21_097.5;
    const MARATHON: f64 = 42_195.0;

    fn power_law(exponent: f64, race: bool) -> Vec<Effort> {
        [1_500.0, 3_000.0, 5_000.0, 10_000.0, HALF]
            .iter()
            .map(|&d| Effort {
                race,
                ..Effort::new(d, 1_200.0 * (d / 5_000.0).powf(exponent))
            })
            .collect()
    }

    #[test]
    fn one_effort_is_the_population_curve() {
        let p = Stride::default()
            .predict(&[Effort::race(5_000.0, 1_200.0)], 10_000.0)
            .unwrap();
        // Below the knee the population curve is Riegel's.
        assert!((p.seconds - 1_200.0 * 2f64.powf(1.06)).abs() < 1e-6);
        assert!(p.low_s < p.seconds && p.high_s > p.seconds);
        let half_to_full = Stride::default()
            .predict(&[Effort::race(HALF, 6_000.0)], MARATHON)
            .unwrap();
        let e = (half_to_full.seconds / 6_000.0).ln() / 2f64.ln();
        assert!((e - STRIDE_POPULATION.pair_exponent(HALF, MARATHON).unwrap()).abs() < 1e-9);
        assert!(half_to_full.explanation.contains("past the half marathon"));
    }

    #[test]
    fn recovers_a_personal_exponent_from_races() {
        for k in [1.03, 1.08, 1.12] {
            let fit = Stride::default().fit(&power_law(k, true)).unwrap();
            assert!((fit.exponent - k).abs() < 0.01, "{k}: {}", fit.exponent);
            assert!(fit.data_weight > 0.85);
            // Inside the range the prediction is the runner's own power law.
            let t = Stride::default()
                .predict(&power_law(k, true), 8_000.0)
                .unwrap()
                .seconds;
            let truth = 1_200.0 * 1.6f64.powf(k);
            assert!((t / truth - 1.0).abs() < 0.005, "{k}: {t} vs {truth}");
        }
    }

    #[test]
    fn close_distances_shrink_to_the_population() {
        // 5K and 5.5K with an absurd implied exponent of 1.5: mostly prior.
        let e = [
            Effort::race(5_000.0, 1_200.0),
            Effort::race(5_500.0, 1_200.0 * 1.1f64.powf(1.5)),
        ];
        let fit = Stride::default().fit(&e).unwrap();
        assert!(fit.data_weight < 0.1, "{}", fit.data_weight);
        assert!(fit.exponent < 1.1);
    }

    #[test]
    fn window_submaximal_and_form() {
        let old = Effort::race(5_000.0, 1_100.0).on(0);
        let recent = Effort::race(5_000.0, 1_200.0).on(200);
        let jog = Effort::new(10_000.0, 3_600.0).on(199); // far slower than the 5K implies
        let s = Stride::default();
        let fit = s.fit(&[old, recent, jog]).unwrap();
        assert_eq!(fit.efforts, vec![recent]);
        assert_eq!(fit.dropped, 1);
        let tired = Stride {
            form: Some(Form {
                tsb: -40.0,
                ctl: 60.0,
            }),
            ..s
        };
        let fresh = Stride {
            form: Some(Form {
                tsb: 20.0,
                ctl: 60.0,
            }),
            ..s
        };
        let base = s.predict(&[recent], 10_000.0).unwrap().seconds;
        let t = tired.predict(&[recent], 10_000.0).unwrap();
        assert!((t.seconds / base - 1.02).abs() < 1e-9);
        assert!(t.explanation.contains("TSB -40"));
        assert!((fresh.predict(&[recent], 10_000.0).unwrap().seconds / base - 0.99).abs() < 1e-9);
    }

    #[test]
    fn population_fit_recovers_a_fade() {
        // Synthetic pairs with a fade of 0.3 and no noise.
        let p = STRIDE_POPULATION;
        let pairs: Vec<(Effort, Effort)> = (0..20)
            .map(|i| {
                let h = 5_000.0 + 100.0 * f64::from(i);
                let full = h * 2f64.powf(1.06) * (0.3 * p.h(MARATHON)).exp();
                (Effort::race(HALF, h), Effort::race(MARATHON, full))
            })
            .collect();
        let fitted = p.fit(&pairs).unwrap();
        assert!((fitted.fade - 0.3).abs() < 1e-9);
        assert_eq!(fitted.fade_sd, 0.0);
        assert_eq!(p.fit(&pairs[..5]), None);
    }
}
