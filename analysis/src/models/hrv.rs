//! Heart-rate variability and resting heart rate against the runner's own baseline.
//!
//! - [`rmssd`]: the root mean square of successive RR differences, after removing artefacts:
//!   beats outside 0.25–2.5 s, and beats differing by more than 20 % from the median of the
//!   eleven beats around them (five each side). Differences are taken only between two
//!   neighbouring accepted beats, never across a removed one.
//! - [`hrv_status`]: the 7-day rolling mean of daily ln rMSSD against a 60-day baseline
//!   ± the smallest worthwhile change, 0.5 SD of the daily values (Plews et al. 2014, IJSPP
//!   9:783; Kiviniemi et al. 2007; Vesterinen et al. 2016). Below the band: train easy.
//!   Needs at least 3 valid days in the last 7 and 14 in the last 60.
//! - [`resting_hr_status`]: the 7-day mean resting heart rate against the same 60-day window.

use serde::{Deserialize, Serialize};

use super::history::DayValue;

/// Valid days needed in the last 7.
pub const MIN_WEEK_DAYS: usize = 3;
/// Valid days needed in the 60-day baseline.
pub const MIN_BASELINE_DAYS: usize = 14;
/// The baseline's length, days.
pub const BASELINE_DAYS: i32 = 60;

/// Where the HRV method comes from.
pub const SOURCE: &str = "Plews, Laursen, Kilding & Buchheit 2014, Int J Sports Physiol \
Perform 9:783; Kiviniemi et al. 2007, Eur J Appl Physiol 101:743; Vesterinen et al. 2016, Med \
Sci Sports Exerc 48:1347";

/// rMSSD of one recording.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rmssd {
    /// rMSSD, milliseconds.
    pub rmssd_ms: f64,
    /// Its natural log.
    pub ln_rmssd: f64,
    /// Beats kept.
    pub beats_used: usize,
    /// Beats removed as artefacts.
    pub beats_rejected: usize,
    /// Successive differences averaged.
    pub pairs: usize,
}

/// rMSSD of RR intervals given in seconds; `None` with fewer than 10 clean successive pairs or
/// when more than a quarter of the beats are artefacts (the recording is unreliable).
///
/// ```
/// use analysis::models::hrv::rmssd;
/// // Alternating 0.80 / 0.85 s with one missed beat (1.65 s) that must not count.
/// let mut rr: Vec<f64> = (0..40).map(|i| if i % 2 == 0 { 0.80 } else { 0.85 }).collect();
/// rr[20] = 1.65;
/// let r = rmssd(&rr).unwrap();
/// assert_eq!(r.beats_rejected, 1);
/// assert!((r.rmssd_ms - 50.0).abs() < 1e-9);
/// ```
pub fn rmssd(rr_s: &[f64]) -> Option<Rmssd> {
    let physiological: Vec<bool> = rr_s
        .iter()
        .map(|v| v.is_finite() && (0.25..=2.5).contains(v))
        .collect();
    let mut keep = vec![false; rr_s.len()];
    let mut window: Vec<f64> = Vec::with_capacity(11);
    for i in 0..rr_s.len() {
        if !physiological[i] {
            continue;
        }
        window.clear();
        let lo = i.saturating_sub(5);
        let hi = (i + 6).min(rr_s.len());
        window.extend((lo..hi).filter(|&j| physiological[j]).map(|j| rr_s[j]));
        window.sort_by(f64::total_cmp);
        let median = window[window.len() / 2];
        keep[i] = (rr_s[i] - median).abs() <= 0.2 * median;
    }
    let used = keep.iter().filter(|k| **k).count();
    let rejected = rr_s.len() - used;
    if rejected * 4 > rr_s.len() {
        return None;
    }
    let (mut sum, mut pairs) = (0.0, 0usize);
    for i in 1..rr_s.len() {
        if keep[i] && keep[i - 1] {
            let d = (rr_s[i] - rr_s[i - 1]) * 1_000.0;
            sum += d * d;
            pairs += 1;
        }
    }
    if pairs < 10 {
        return None;
    }
    let rmssd_ms = (sum / pairs as f64).sqrt();
    (rmssd_ms > 0.0).then(|| Rmssd {
        rmssd_ms,
        ln_rmssd: rmssd_ms.ln(),
        beats_used: used,
        beats_rejected: rejected,
        pairs,
    })
}

/// rMSSD of the most recent beats that fit in `window_s` seconds (the live figure of a
/// heart-rate strap: `window_s` = 60): the trailing RR intervals, in seconds, whose sum does
/// not exceed the window, through [`rmssd`] with its artefact removal.
///
/// ```
/// use analysis::models::hrv::rmssd_last;
/// // 0.5 s beats alternating by 20 ms, after two minutes of steady 1 s beats.
/// let mut rr = vec![1.0; 120];
/// rr.extend((0..120).map(|i| if i % 2 == 0 { 0.49 } else { 0.51 }));
/// let r = rmssd_last(&rr, 60.0).unwrap();
/// assert_eq!(r.beats_used, 120);
/// assert!((r.rmssd_ms - 20.0).abs() < 1e-9);
/// ```
pub fn rmssd_last(rr_s: &[f64], window_s: f64) -> Option<Rmssd> {
    let mut sum = 0.0;
    let mut first = rr_s.len();
    for (i, v) in rr_s.iter().enumerate().rev() {
        let v = if v.is_finite() { v.max(0.0) } else { 0.0 };
        if sum + v > window_s + 1e-9 {
            break;
        }
        sum += v;
        first = i;
    }
    rmssd(&rr_s[first..])
}

/// Where a rolling value sits against the baseline band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// Below the band.
    Below,
    /// Inside the band.
    Within,
    /// Above the band.
    Above,
}

impl Band {
    /// The stable id: `below`, `within`, `above`.
    pub fn id(self) -> &'static str {
        match self {
            Self::Below => "below",
            Self::Within => "within",
            Self::Above => "above",
        }
    }
}

/// The 7-day ln rMSSD against its 60-day baseline band on one day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HrvStatus {
    /// The day.
    pub day: i32,
    /// Mean daily ln rMSSD over the 7 days ending `day`.
    pub rolling_ln: f64,
    /// Valid days in those 7.
    pub week_days: usize,
    /// Mean daily ln rMSSD over the 60 days ending `day`.
    pub baseline_ln: f64,
    /// SD of those daily values.
    pub baseline_sd: f64,
    /// Valid days in the 60.
    pub baseline_days: usize,
    /// Lower edge of the band: baseline − 0.5 SD.
    pub low: f64,
    /// Upper edge: baseline + 0.5 SD.
    pub high: f64,
    /// Where the rolling mean sits.
    pub band: Band,
    /// A sentence with the numbers.
    pub explanation: String,
}

/// Daily means of the values on days in `from..=to` (several records a day are averaged),
/// passed through `f`; non-finite or non-positive values are skipped.
fn daily(values: &[DayValue], from: i32, to: i32, f: impl Fn(f64) -> f64) -> Vec<f64> {
    let mut by_day: Vec<(i32, f64, u32)> = Vec::new();
    for v in values {
        if v.day < from || v.day > to || !v.value.is_finite() || v.value <= 0.0 {
            continue;
        }
        match by_day.iter_mut().find(|d| d.0 == v.day) {
            Some(d) => {
                d.1 += f(v.value);
                d.2 += 1;
            }
            None => by_day.push((v.day, f(v.value), 1)),
        }
    }
    by_day
        .into_iter()
        .map(|(_, s, n)| s / f64::from(n))
        .collect()
}

fn mean_sd(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let var = if v.len() > 1 {
        v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    (mean, var.sqrt())
}

/// HRV status on `today` from morning rMSSD values in milliseconds; `None` without enough
/// valid days ([`MIN_WEEK_DAYS`] in the last 7, [`MIN_BASELINE_DAYS`] in the last 60).
///
/// ```
/// use analysis::models::{DayValue, hrv::{Band, hrv_status}};
/// // 60 days around 60 ms, then a week at 45 ms.
/// let mut days: Vec<DayValue> = (0..53)
///     .map(|d| DayValue { day: d, value: if d % 2 == 0 { 55.0 } else { 65.0 } })
///     .collect();
/// days.extend((53..60).map(|d| DayValue { day: d, value: 45.0 }));
/// let s = hrv_status(&days, 59).unwrap();
/// assert_eq!(s.band, Band::Below);
/// ```
pub fn hrv_status(rmssd_ms: &[DayValue], today: i32) -> Option<HrvStatus> {
    let week = daily(rmssd_ms, today.saturating_sub(6), today, f64::ln);
    let base = daily(
        rmssd_ms,
        today.saturating_sub(BASELINE_DAYS - 1),
        today,
        f64::ln,
    );
    if week.len() < MIN_WEEK_DAYS || base.len() < MIN_BASELINE_DAYS {
        return None;
    }
    let (rolling, _) = mean_sd(&week);
    let (baseline, sd) = mean_sd(&base);
    let (low, high) = (baseline - 0.5 * sd, baseline + 0.5 * sd);
    let band = if rolling < low {
        Band::Below
    } else if rolling > high {
        Band::Above
    } else {
        Band::Within
    };
    let explanation = format!(
        "7-day mean ln rMSSD {rolling:.2} ({:.0} ms, {} days) against the 60-day baseline \
         {baseline:.2} ({:.0} ms, {} days) with a band of ±0.5 SD, {low:.2}–{high:.2}: {}.",
        rolling.exp(),
        week.len(),
        baseline.exp(),
        base.len(),
        match band {
            Band::Below => "below the band, a sign of incomplete recovery: train easy",
            Band::Within => "within the band, normal",
            Band::Above => "above the band, usually a sign of good recovery",
        }
    );
    Some(HrvStatus {
        day: today,
        rolling_ln: rolling,
        week_days: week.len(),
        baseline_ln: baseline,
        baseline_sd: sd,
        baseline_days: base.len(),
        low,
        high,
        band,
        explanation,
    })
}

/// [`hrv_status`] for every day from `from` to `to` that has enough data, for the band chart.
pub fn hrv_trend(rmssd_ms: &[DayValue], from: i32, to: i32) -> Vec<HrvStatus> {
    if to < from || i64::from(to) - i64::from(from) > 36_525 {
        return Vec::new();
    }
    (from..=to)
        .filter_map(|d| hrv_status(rmssd_ms, d))
        .collect()
}

/// The resting heart rate's 7-day mean against its 60-day baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RestingHrStatus {
    /// The day.
    pub day: i32,
    /// Mean resting HR over the 7 days ending `day`, bpm.
    pub rolling_bpm: f64,
    /// Valid days in those 7.
    pub week_days: usize,
    /// Mean over the 60 days ending `day`, bpm.
    pub baseline_bpm: f64,
    /// SD of the daily values, bpm.
    pub baseline_sd: f64,
    /// Valid days in the 60.
    pub baseline_days: usize,
    /// rolling − baseline, bpm.
    pub deviation_bpm: f64,
    /// Whether the 7-day mean is above the baseline by more than max(3 bpm, 1 SD).
    pub elevated: bool,
    /// A sentence with the numbers.
    pub explanation: String,
}

/// Resting-HR status on `today` from daily resting heart rates in bpm; `None` without enough
/// valid days (as for [`hrv_status`]).
pub fn resting_hr_status(resting_bpm: &[DayValue], today: i32) -> Option<RestingHrStatus> {
    let plausible: Vec<DayValue> = resting_bpm
        .iter()
        .copied()
        .filter(|v| (25.0..=120.0).contains(&v.value))
        .collect();
    let week = daily(&plausible, today.saturating_sub(6), today, |v| v);
    let base = daily(
        &plausible,
        today.saturating_sub(BASELINE_DAYS - 1),
        today,
        |v| v,
    );
    if week.len() < MIN_WEEK_DAYS || base.len() < MIN_BASELINE_DAYS {
        return None;
    }
    let (rolling, _) = mean_sd(&week);
    let (baseline, sd) = mean_sd(&base);
    let deviation = rolling - baseline;
    let elevated = deviation > sd.max(3.0);
    Some(RestingHrStatus {
        day: today,
        rolling_bpm: rolling,
        week_days: week.len(),
        baseline_bpm: baseline,
        baseline_sd: sd,
        baseline_days: base.len(),
        deviation_bpm: deviation,
        elevated,
        explanation: format!(
            "7-day mean resting heart rate {rolling:.0} bpm against the 60-day baseline \
             {baseline:.0} ± {sd:.1} bpm: {deviation:+.1} bpm{}.",
            if elevated {
                ", elevated (more than max(3 bpm, 1 SD)): fatigue, illness, heat or poor sleep"
            } else {
                ", normal"
            }
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rmssd_known_value_and_artefacts() {
        // Successive differences of 40 ms each: rMSSD 40.
        let rr: Vec<f64> = (0..30)
            .map(|i| if i % 2 == 0 { 1.0 } else { 1.04 })
            .collect();
        let r = rmssd(&rr).unwrap();
        assert!((r.rmssd_ms - 40.0).abs() < 1e-9);
        assert_eq!(r.pairs, 29);
        assert!((r.ln_rmssd - 40f64.ln()).abs() < 1e-12);
        // An ectopic beat (0.6 s then compensatory 1.4 s) is removed, and the differences
        // around it are not taken.
        let mut rr2 = rr.clone();
        rr2[10] = 0.6;
        rr2[11] = 1.4;
        let r2 = rmssd(&rr2).unwrap();
        assert_eq!(r2.beats_rejected, 2);
        assert_eq!(r2.pairs, 26);
        assert!((r2.rmssd_ms - 40.0).abs() < 1e-9);
        // Mostly garbage, or too short: no value.
        let junk: Vec<f64> = (0..30)
            .map(|i| if i % 3 == 0 { 0.1 } else { 0.8 })
            .collect();
        assert_eq!(rmssd(&junk), None);
        assert_eq!(rmssd(&rr[..8]), None);
        assert_eq!(rmssd(&[]), None);
    }

    fn days(values: impl IntoIterator<Item = (i32, f64)>) -> Vec<DayValue> {
        values
            .into_iter()
            .map(|(day, value)| DayValue { day, value })
            .collect()
    }

    #[test]
    fn plews_band() {
        let base = (0..60).map(|d| (d, if d % 2 == 0 { 50.0 } else { 70.0 }));
        let s = hrv_status(&days(base.clone()), 59).unwrap();
        assert_eq!(s.band, Band::Within);
        assert_eq!(s.baseline_days, 60);
        assert!((s.high - s.low - s.baseline_sd).abs() < 1e-12);
        // A high week.
        let mut high = days(base.clone().filter(|&(d, _)| d < 53));
        high.extend(days((53..60).map(|d| (d, 90.0))));
        assert_eq!(hrv_status(&high, 59).unwrap().band, Band::Above);
        // Only two valid days in the last week: insufficient.
        let sparse = days(base.filter(|&(d, _)| d < 53 || d == 55 || d == 58));
        assert_eq!(hrv_status(&sparse, 59), None);
        assert_eq!(hrv_status(&sparse, 58).map(|s| s.week_days), Some(3));
        // Trend covers the days with data.
        assert_eq!(hrv_trend(&high, 0, 59).len(), 59 - 13 + 1);
    }

    #[test]
    fn resting_hr_elevated() {
        let mut v = days((0..53).map(|d| (d, 48.0 + f64::from(d % 3))));
        v.extend(days((53..60).map(|d| (d, 56.0))));
        let s = resting_hr_status(&v, 59).unwrap();
        assert!(s.elevated, "{s:?}");
        assert!(s.deviation_bpm > 5.0);
        let normal = resting_hr_status(&v, 52).unwrap();
        assert!(!normal.elevated);
        assert_eq!(resting_hr_status(&v[..10], 9), None);
    }
}
