//! Measuring a race predictor on real results: pairs of (what the predictor is given, what the
//! runner then ran), and the mean absolute percentage error and interval coverage over them.

use serde::{Deserialize, Serialize};

use super::history::Effort;
use super::race::{Method, RacePredictor};

/// How a predictor did on a set of pairs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Accuracy {
    /// The method measured.
    pub method: Method,
    /// Pairs predicted.
    pub n: usize,
    /// Pairs the method could not predict.
    pub skipped: usize,
    /// Mean absolute percentage error.
    pub mape_pct: f64,
    /// Median absolute percentage error.
    pub median_ape_pct: f64,
    /// Mean signed error, percent: positive means predictions too slow.
    pub bias_pct: f64,
    /// Share of predictions within 3 % of the result, percent.
    pub within_3_pct: f64,
    /// Share of results inside the prediction's interval, percent.
    pub coverage_pct: f64,
}

/// Measures `predictor` on `pairs` of (input effort, actual result); `None` if it predicted
/// none of them.
///
/// ```
/// use analysis::models::{Effort, Riegel, accuracy::evaluate};
/// let pairs = [(Effort::race(5_000.0, 1_200.0), Effort::race(10_000.0, 2_600.0))];
/// let a = evaluate(&Riegel::default(), &pairs).unwrap();
/// assert_eq!(a.n, 1);
/// let predicted = 1_200.0 * 2f64.powf(1.06); // Riegel: 41:42
/// assert!((a.bias_pct - (predicted / 2_600.0 - 1.0) * 100.0).abs() < 1e-9);
/// ```
pub fn evaluate(predictor: &dyn RacePredictor, pairs: &[(Effort, Effort)]) -> Option<Accuracy> {
    let cases: Vec<(&[Effort], Effort)> = pairs
        .iter()
        .map(|(given, actual)| (std::slice::from_ref(given), *actual))
        .collect();
    evaluate_cases(predictor, &cases)
}

/// [`evaluate`] with several efforts given per case (what a personal exponent is fitted from),
/// e.g. leaving one of a runner's best efforts out and predicting it from the others.
///
/// ```
/// use analysis::models::{Effort, Riegel, accuracy::evaluate_cases};
/// let given = [Effort::new(5_000.0, 1_200.0), Effort::new(21_097.5, 5_600.0)];
/// let a = evaluate_cases(&Riegel::default(), &[(&given[..], Effort::new(10_000.0, 2_500.0))]).unwrap();
/// assert_eq!((a.n, a.skipped), (1, 0));
/// ```
pub fn evaluate_cases(
    predictor: &dyn RacePredictor,
    cases: &[(&[Effort], Effort)],
) -> Option<Accuracy> {
    let mut errors = Vec::with_capacity(cases.len());
    let mut covered = 0usize;
    let mut skipped = 0usize;
    for (given, actual) in cases {
        let Some(p) = predictor
            .predict(given, actual.distance_m)
            .filter(|_| actual.is_valid())
        else {
            skipped += 1;
            continue;
        };
        errors.push(p.seconds / actual.seconds - 1.0);
        if (p.low_s..=p.high_s).contains(&actual.seconds) {
            covered += 1;
        }
    }
    if errors.is_empty() {
        return None;
    }
    let n = errors.len() as f64;
    let mut abs: Vec<f64> = errors.iter().map(|e| e.abs()).collect();
    abs.sort_by(f64::total_cmp);
    let median = if abs.len() % 2 == 1 {
        abs[abs.len() / 2]
    } else {
        0.5 * (abs[abs.len() / 2 - 1] + abs[abs.len() / 2])
    };
    Some(Accuracy {
        method: predictor.method(),
        n: errors.len(),
        skipped,
        mape_pct: abs.iter().sum::<f64>() / n * 100.0,
        median_ape_pct: median * 100.0,
        bias_pct: errors.iter().sum::<f64>() / n * 100.0,
        within_3_pct: abs.iter().filter(|e| **e <= 0.03).count() as f64 / n * 100.0,
        coverage_pct: covered as f64 / n * 100.0,
    })
}
