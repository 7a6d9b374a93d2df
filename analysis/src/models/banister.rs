//! The fitted Banister impulse-response model:
//! `performance(t) = p0 + k1·Σ w(s)·e^(−(t−s)/τ1) − k2·Σ w(s)·e^(−(t−s)/τ2)`, summed over the
//! days s before t, with w the daily load.
//!
//! The four model parameters besides p0 are fitted per runner to their performances (for
//! instance each run's best VDOT, [`performances_from_runs`]): a grid over the time constants
//! (τ1 = 10…80 days, τ2 = 2…30 days, τ2 < τ1, one-day steps), and for each pair the linear
//! least squares of p0, k1, k2, keeping pairs with non-negative gains; the pair with the least
//! squared error wins. Deterministic, and robust where gradient searches stall on this
//! notoriously flat error surface.
//!
//! With fewer than [`MIN_FULL_FIT`] performances the time constants are not fitted: the
//! defaults τ1 = 50 and τ2 = 11 days are used and only p0, k1, k2 are fitted (from
//! [`MIN_GAIN_FIT`] performances); with fewer, the model is only the mean performance.

use serde::{Deserialize, Serialize};

use super::history::RunPoint;
use super::load::DailySeries;
use super::vdot;

/// The default fitness time constant, days.
pub const DEFAULT_TAU1: f64 = 50.0;
/// The default fatigue time constant, days.
pub const DEFAULT_TAU2: f64 = 11.0;
/// Performances needed to fit the time constants.
pub const MIN_FULL_FIT: usize = 10;
/// Performances needed to fit the gains with default time constants.
pub const MIN_GAIN_FIT: usize = 4;

/// How the model is computed.
pub const METHOD: &str = "performance = p0 + k1·fitness − k2·fatigue, where fitness and \
fatigue are the daily loads before the day, decayed with time constants τ1 and τ2. τ1 and τ2 \
are chosen on a one-day grid and p0, k1, k2 by least squares, to fit the runner's performances.";

/// Where it comes from.
pub const SOURCE: &str = "Banister et al. 1975; Morton, Fitz-Clarke & Banister 1990, J Appl \
Physiol 69:1171; Clarke & Skiba 2013, Adv Physiol Educ 37:134";

/// One measured performance on a common scale (VDOT, or % of a reference speed).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Performance {
    /// The day (days since 1970-01-01).
    pub day: i32,
    /// The performance, higher is better.
    pub value: f64,
}

/// The model's parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BanisterParams {
    /// Baseline performance.
    pub p0: f64,
    /// Fitness gain.
    pub k1: f64,
    /// Fatigue gain.
    pub k2: f64,
    /// Fitness time constant, days.
    pub tau1: f64,
    /// Fatigue time constant, days.
    pub tau2: f64,
}

impl BanisterParams {
    /// The modelled performance on each day from the series' first day through `through`
    /// (at most a century; empty if `through` is before the series).
    ///
    /// ```
    /// use analysis::models::{BanisterParams, DailySeries};
    /// let p = BanisterParams { p0: 40.0, k1: 0.1, k2: 0.2, tau1: 45.0, tau2: 10.0 };
    /// let daily = DailySeries { first_day: 0, values: vec![100.0], missing_runs: 0 };
    /// let perf = p.series(&daily, 60);
    /// assert_eq!(perf[0], (0, 40.0)); // the day's own load counts from the next day
    /// assert!(perf[1].1 < 40.0); // fatigue first
    /// assert!(perf[60].1 > 40.0); // fitness outlasts fatigue
    /// ```
    pub fn series(&self, daily: &DailySeries, through: i32) -> Vec<(i32, f64)> {
        let (d1, d2) = ((-1.0 / self.tau1).exp(), (-1.0 / self.tau2).exp());
        let (mut g1, mut g2) = (0.0, 0.0);
        let mut out = Vec::new();
        let through = through.min(daily.first_day.saturating_add(36_525));
        for day in daily.first_day..=through {
            out.push((day, self.p0 + self.k1 * g1 - self.k2 * g2));
            let w = daily.get(day).max(0.0);
            g1 = (g1 + w) * d1;
            g2 = (g2 + w) * d2;
        }
        out
    }
}

/// How much of the model was fitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FitStatus {
    /// Time constants and gains fitted.
    Fitted,
    /// Default time constants (too few performances to fit them); gains fitted.
    DefaultTimeConstants,
    /// Too few performances for gains: the model is the mean performance.
    TooFewPerformances,
}

/// A fitted model and how well it fits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BanisterFit {
    /// The parameters.
    pub params: BanisterParams,
    /// What was fitted.
    pub status: FitStatus,
    /// Performances fitted.
    pub n: usize,
    /// Root-mean-square error of the fit, in the performance's unit.
    pub rmse: f64,
    /// Share of the performances' variance the model explains, when they vary.
    pub r2: Option<f64>,
    /// What was done, with the numbers, for the UI.
    pub note: String,
}

/// The decayed load sums `Σ_{s<t} w(s)·e^(−(t−s)/τ)` at each performance day.
fn impulse(daily: &DailySeries, perfs: &[Performance], tau: f64) -> Vec<f64> {
    let decay = (-1.0 / tau).exp();
    let last = perfs.iter().map(|p| p.day).max().unwrap_or(daily.first_day);
    let mut at = vec![0.0; perfs.len()];
    let mut order: Vec<usize> = (0..perfs.len()).collect();
    order.sort_by_key(|&i| perfs[i].day);
    let mut next = 0;
    // Performances before the series have no training behind them.
    while next < order.len() && perfs[order[next]].day < daily.first_day {
        next += 1;
    }
    let mut g = 0.0;
    for day in daily.first_day..=last {
        while next < order.len() && perfs[order[next]].day == day {
            at[order[next]] = g;
            next += 1;
        }
        g = (g + daily.get(day).max(0.0)) * decay;
    }
    at
}

/// Least squares of `y ≈ X·β` for up to three columns; `None` if singular.
fn least_squares<const N: usize>(
    rows: impl Iterator<Item = ([f64; N], f64)>,
) -> Option<([f64; N], f64)> {
    let mut a = [[0.0; N]; N];
    let mut b = [0.0; N];
    let mut yy = 0.0;
    for (x, y) in rows {
        for i in 0..N {
            for j in 0..N {
                a[i][j] += x[i] * x[j];
            }
            b[i] += x[i] * y;
        }
        yy += y * y;
    }
    let (a0, b0) = (a, b);
    // Gaussian elimination with partial pivoting.
    for c in 0..N {
        let pivot = (c..N).max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))?;
        if a[pivot][c].abs() < 1e-12 * (1.0 + a0[c][c].abs()) {
            return None;
        }
        a.swap(c, pivot);
        b.swap(c, pivot);
        let (pivot_row, pivot_b) = (a[c], b[c]);
        for r in c + 1..N {
            let f = a[r][c] / pivot_row[c];
            for (x, p) in a[r][c..].iter_mut().zip(&pivot_row[c..]) {
                *x -= f * p;
            }
            b[r] -= f * pivot_b;
        }
    }
    let mut beta = [0.0; N];
    for c in (0..N).rev() {
        let s: f64 = (c + 1..N).map(|k| a[c][k] * beta[k]).sum();
        beta[c] = (b[c] - s) / a[c][c];
    }
    // SSE = y'y − 2β'X'y + β'X'Xβ.
    let xty: f64 = (0..N).map(|i| beta[i] * b0[i]).sum();
    let quad: f64 = (0..N)
        .map(|i| (0..N).map(|j| beta[i] * a0[i][j] * beta[j]).sum::<f64>())
        .sum();
    let sse = (yy - 2.0 * xty + quad).max(0.0);
    beta.iter().all(|v| v.is_finite()).then_some((beta, sse))
}

fn gains_fit(perfs: &[Performance], g1: &[f64], g2: &[f64]) -> Option<([f64; 3], f64)> {
    let (beta, sse) = least_squares(
        perfs
            .iter()
            .zip(g1.iter().zip(g2))
            .map(|(p, (&a, &b))| ([1.0, a, -b], p.value)),
    )?;
    (beta[1] >= 0.0 && beta[2] >= 0.0).then_some((beta, sse))
}

/// Fits the model to `perfs` over the loads of `daily`; `None` without a finite performance.
///
/// ```
/// use analysis::models::{DailySeries, FitStatus, Performance, banister};
/// let daily = DailySeries { first_day: 0, values: vec![50.0; 100], missing_runs: 0 };
/// let perfs = [Performance { day: 30, value: 45.0 }, Performance { day: 60, value: 46.0 }];
/// let fit = banister::fit(&daily, &perfs).unwrap();
/// assert_eq!(fit.status, FitStatus::TooFewPerformances);
/// assert_eq!(fit.params.p0, 45.5);
/// assert_eq!((fit.params.tau1, fit.params.tau2), (50.0, 11.0));
/// ```
pub fn fit(daily: &DailySeries, perfs: &[Performance]) -> Option<BanisterFit> {
    // Performances more than a century after the loads start are ignored (a bad day number
    // must not make the impulse sums loop for ever).
    let horizon = i64::from(daily.first_day) + 36_525;
    let perfs: Vec<Performance> = perfs
        .iter()
        .copied()
        .filter(|p| p.value.is_finite() && i64::from(p.day) <= horizon)
        .collect();
    let n = perfs.len();
    if n == 0 {
        return None;
    }
    let mean = perfs.iter().map(|p| p.value).sum::<f64>() / n as f64;
    let sst: f64 = perfs.iter().map(|p| (p.value - mean).powi(2)).sum();
    let finish = |params: BanisterParams, status: FitStatus, sse: f64, note: String| BanisterFit {
        params,
        status,
        n,
        rmse: (sse / n as f64).sqrt(),
        r2: (sst > 0.0).then(|| 1.0 - sse / sst),
        note,
    };
    let mean_only = || {
        finish(
            BanisterParams {
                p0: mean,
                k1: 0.0,
                k2: 0.0,
                tau1: DEFAULT_TAU1,
                tau2: DEFAULT_TAU2,
            },
            FitStatus::TooFewPerformances,
            sst,
            format!(
                "{n} performance(s): at least {MIN_GAIN_FIT} are needed to fit the gains, so the \
                 model is their mean {mean:.1} with the default time constants 50 and 11 days."
            ),
        )
    };
    if n >= MIN_FULL_FIT {
        let taus: Vec<Vec<f64>> = (2..=80)
            .map(|t| impulse(daily, &perfs, f64::from(t)))
            .collect();
        let mut best: Option<(f64, BanisterParams)> = None;
        for tau1 in 10..=80_usize {
            for tau2 in 2..tau1.min(31) {
                if let Some((b, sse)) = gains_fit(&perfs, &taus[tau1 - 2], &taus[tau2 - 2])
                    && best.is_none_or(|(s, _)| sse < s - 1e-12)
                {
                    best = Some((
                        sse,
                        BanisterParams {
                            p0: b[0],
                            k1: b[1],
                            k2: b[2],
                            tau1: tau1 as f64,
                            tau2: tau2 as f64,
                        },
                    ));
                }
            }
        }
        if let Some((sse, p)) = best {
            let note = format!(
                "Fitted to {n} performances: τ1 {:.0} d, τ2 {:.0} d, k1 {:.4}, k2 {:.4}, p0 {:.1}; \
                 RMSE {:.2}.",
                p.tau1,
                p.tau2,
                p.k1,
                p.k2,
                p.p0,
                (sse / n as f64).sqrt()
            );
            return Some(finish(p, FitStatus::Fitted, sse, note));
        }
    }
    if n < MIN_GAIN_FIT {
        return Some(mean_only());
    }
    let g1 = impulse(daily, &perfs, DEFAULT_TAU1);
    let g2 = impulse(daily, &perfs, DEFAULT_TAU2);
    let Some((b, sse)) = gains_fit(&perfs, &g1, &g2) else {
        return Some(mean_only());
    };
    let p = BanisterParams {
        p0: b[0],
        k1: b[1],
        k2: b[2],
        tau1: DEFAULT_TAU1,
        tau2: DEFAULT_TAU2,
    };
    let why = if n < MIN_FULL_FIT {
        format!("at least {MIN_FULL_FIT} are needed to fit the time constants")
    } else {
        "no time constants on the grid gave non-negative gains".to_owned()
    };
    let note = format!(
        "{n} performances: {why}, so the defaults 50 and 11 days are used; k1 {:.4}, k2 {:.4}, \
         p0 {:.1}; RMSE {:.2}.",
        p.k1,
        p.k2,
        p.p0,
        (sse / n as f64).sqrt()
    );
    Some(finish(p, FitStatus::DefaultTimeConstants, sse, note))
}

/// One performance per run: the best VDOT among its efforts of at least `min_distance_m`
/// (only runs marked as races with `races_only`). Best efforts inside easy runs are not
/// maximal, which adds noise the fit's RMSE will show.
pub fn performances_from_runs(
    runs: &[RunPoint],
    races_only: bool,
    min_distance_m: f64,
) -> Vec<Performance> {
    runs.iter()
        .filter(|r| r.race || !races_only)
        .filter_map(|r| {
            let best = r
                .efforts()
                .filter(|e| e.is_valid() && e.distance_m >= min_distance_m)
                .filter_map(|e| vdot::vdot(e.distance_m, e.seconds))
                .fold(f64::NAN, f64::max);
            best.is_finite().then_some(Performance {
                day: r.day,
                value: best,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 240 days of varied training: a weekly pattern, a build, a rest week, a taper.
    fn training() -> DailySeries {
        let values = (0..240)
            .map(|d: i32| {
                let weekly = [60.0, 0.0, 90.0, 40.0, 0.0, 140.0, 50.0][(d % 7) as usize];
                let build = 1.0 + f64::from(d % 70) / 70.0;
                let rest = if (100..107).contains(&d) || d >= 226 {
                    0.2
                } else {
                    1.0
                };
                weekly * build * rest
            })
            .collect();
        DailySeries {
            first_day: 1_000,
            values,
            missing_runs: 0,
        }
    }

    fn truth() -> BanisterParams {
        BanisterParams {
            p0: 45.0,
            k1: 0.012,
            k2: 0.03,
            tau1: 38.0,
            tau2: 9.0,
        }
    }

    fn sample(noise: f64) -> Vec<Performance> {
        let daily = training();
        let modelled = truth().series(&daily, 1_239);
        (0..30)
            .map(|i| {
                let (day, v) = modelled[20 + i * 7 + (i % 3)];
                // Deterministic ± noise.
                let e = noise * if i % 2 == 0 { 1.0 } else { -1.0 };
                Performance { day, value: v + e }
            })
            .collect()
    }

    #[test]
    fn recovers_known_parameters() {
        let fit = fit(&training(), &sample(0.0)).unwrap();
        assert_eq!(fit.status, FitStatus::Fitted);
        let (p, t) = (fit.params, truth());
        assert_eq!((p.tau1, p.tau2), (t.tau1, t.tau2));
        assert!((p.k1 - t.k1).abs() < 1e-6 && (p.k2 - t.k2).abs() < 1e-6);
        assert!((p.p0 - t.p0).abs() < 1e-4);
        assert!(fit.rmse < 1e-6);
        assert!(fit.r2.unwrap() > 0.999_999);
        assert_eq!(fit.n, 30);
    }

    #[test]
    fn noisy_performances_fit_close_with_honest_error() {
        let fit = fit(&training(), &sample(0.3)).unwrap();
        assert_eq!(fit.status, FitStatus::Fitted);
        assert!((fit.params.tau2 - 9.0).abs() <= 3.0, "{:?}", fit.params);
        assert!((fit.params.tau1 - 38.0).abs() <= 15.0, "{:?}", fit.params);
        // The error reported is the noise put in (or a little less: five parameters fitted).
        assert!(fit.rmse > 0.2 && fit.rmse <= 0.3 + 1e-9, "{}", fit.rmse);
    }

    #[test]
    fn few_performances_use_the_default_time_constants() {
        let perfs = &sample(0.0)[..6];
        let fit = fit(&training(), perfs).unwrap();
        assert_eq!(fit.status, FitStatus::DefaultTimeConstants);
        assert_eq!((fit.params.tau1, fit.params.tau2), (50.0, 11.0));
        assert!(fit.note.contains("at least 10"));
        assert_eq!(fit.n, 6);
        assert_eq!(super::fit(&training(), &[]), None);
    }

    #[test]
    fn performances_are_best_vdot_per_run() {
        let runs = [
            RunPoint {
                day: 5,
                efforts: vec![(1_000.0, 200.0), (5_000.0, 1_197.0), (10_000.0, 2_600.0)],
                ..Default::default()
            },
            RunPoint {
                day: 9,
                race: true,
                efforts: vec![(10_000.0, 3_003.0)],
                ..Default::default()
            },
        ];
        let p = performances_from_runs(&runs, false, 1_500.0);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].value.round(), 50.0);
        assert_eq!(p[1].value.round(), 40.0);
        assert_eq!(performances_from_runs(&runs, true, 1_500.0).len(), 1);
    }
}
