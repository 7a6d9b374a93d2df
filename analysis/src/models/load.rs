//! Training load over days, weeks and months, and the acute:chronic workload ratio (ACWR) with
//! its critique.
//!
//! The daily load is the sum of the chosen per-run load ([`LoadKind`]: TRIMP by default, hrTSS
//! or rTSS) over each local day; days without runs are zero. Runs without the chosen load count
//! as zero load (and are counted in [`DailySeries::missing_runs`]), so a run without heart rate
//! does not silently vanish from the volume rollups.

use serde::{Deserialize, Serialize};

use super::history::{RunPoint, week_start};
use crate::time::civil_from_days;

/// Which per-run load the models add up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LoadKind {
    /// Banister's TRIMP (metric id `trimp`); the default.
    #[default]
    Trimp,
    /// Heart-rate TSS (metric id `hrtss`).
    HrTss,
    /// Running TSS from normalised graded pace (metric id `rtss`).
    RTss,
}

impl LoadKind {
    /// The metric id of this load.
    pub fn id(self) -> &'static str {
        match self {
            Self::Trimp => "trimp",
            Self::HrTss => "hrtss",
            Self::RTss => "rtss",
        }
    }

    /// The load kind with this metric id.
    pub fn from_id(id: &str) -> Option<Self> {
        [Self::Trimp, Self::HrTss, Self::RTss]
            .into_iter()
            .find(|k| k.id() == id)
    }

    /// This load of `run`, if the run has it (finite and not negative).
    pub fn of(self, run: &RunPoint) -> Option<f64> {
        let v = match self {
            Self::Trimp => run.trimp,
            Self::HrTss => run.hrtss,
            Self::RTss => run.rtss,
        }?;
        (v.is_finite() && v >= 0.0).then_some(v)
    }
}

/// A value per consecutive local day, starting at `first_day`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DailySeries {
    /// The day of `values[0]` (days since 1970-01-01).
    pub first_day: i32,
    /// One value per day.
    pub values: Vec<f64>,
    /// Runs inside the range that lacked the chosen load and counted as zero.
    pub missing_runs: usize,
}

impl DailySeries {
    /// The last day of the series, if it has any.
    pub fn last_day(&self) -> Option<i32> {
        (!self.values.is_empty())
            .then(|| self.first_day.saturating_add(self.values.len() as i32 - 1))
    }

    /// The value on `day`: zero outside the series (no training recorded).
    pub fn get(&self, day: i32) -> f64 {
        usize::try_from(i64::from(day) - i64::from(self.first_day))
            .ok()
            .and_then(|i| self.values.get(i).copied())
            .unwrap_or(0.0)
    }

    /// (day, value) pairs in order.
    pub fn iter(&self) -> impl Iterator<Item = (i32, f64)> + '_ {
        self.values
            .iter()
            .enumerate()
            .map(|(i, &v)| (self.first_day.saturating_add(i as i32), v))
    }
}

/// The daily load of `runs` from the first run's day through `through` (or the last run's day,
/// whichever is later); `None` without runs.
///
/// ```
/// use analysis::models::{LoadKind, RunPoint, daily_load};
/// let runs = [
///     RunPoint { day: 10, trimp: Some(50.0), ..Default::default() },
///     RunPoint { day: 10, trimp: Some(20.0), ..Default::default() },
///     RunPoint { day: 12, trimp: Some(80.0), ..Default::default() },
/// ];
/// let daily = daily_load(&runs, LoadKind::Trimp, Some(13)).unwrap();
/// assert_eq!(daily.first_day, 10);
/// assert_eq!(daily.values, vec![70.0, 0.0, 80.0, 0.0]);
/// ```
pub fn daily_load(runs: &[RunPoint], kind: LoadKind, through: Option<i32>) -> Option<DailySeries> {
    let first = runs.iter().map(|r| r.day).min()?;
    let last = runs
        .iter()
        .map(|r| r.day)
        .max()?
        .max(through.unwrap_or(i32::MIN));
    // A bad day number (years apart) must not allocate gigabytes: cap the span at 100 years.
    let len = usize::try_from(i64::from(last) - i64::from(first) + 1).ok()?;
    if len > 36_525 {
        return None;
    }
    let mut series = DailySeries {
        first_day: first,
        values: vec![0.0; len],
        missing_runs: 0,
    };
    for run in runs {
        match kind.of(run) {
            Some(v) => series.values[(run.day - first) as usize] += v,
            None => series.missing_runs += 1,
        }
    }
    Some(series)
}

/// Volume and load over a week or a calendar month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rollup {
    /// The first day of the period.
    pub start_day: i32,
    /// The day after the period's last day.
    pub end_day: i32,
    /// `2024-W03` for ISO weeks, `2024-03` for months.
    pub label: String,
    /// Runs in the period.
    pub runs: u32,
    /// Distance, metres.
    pub distance_m: f64,
    /// Timer time, seconds.
    pub duration_s: f64,
    /// Sum of the chosen load (runs without it add zero).
    pub load: f64,
}

/// The ISO 8601 (year, week) of `day`.
pub fn iso_week(day: i32) -> (i64, u32) {
    // The ISO year is the year of the week's Thursday.
    let thursday = week_start(day).saturating_add(3);
    let (year, _, _) = civil_from_days(i64::from(thursday));
    let jan1 = super::history::days_from_civil(year, 1, 1);
    (year, ((i64::from(thursday) - jan1) / 7 + 1) as u32)
}

fn rollup_by<F>(runs: &[RunPoint], kind: LoadKind, period: F) -> Vec<Rollup>
where
    F: Fn(i32) -> (i32, i32, String),
{
    let mut out: Vec<Rollup> = Vec::new();
    let mut sorted: Vec<&RunPoint> = runs.iter().collect();
    sorted.sort_by_key(|r| r.day);
    let Some(first) = sorted.first() else {
        return out;
    };
    let last = sorted.last().map_or(first.day, |r| r.day);
    // A century at most: a bad day number must not make millions of empty periods.
    if i64::from(last) - i64::from(first.day) > 36_525 {
        return out;
    }
    // Every period between the first and last run, empty ones included, so bars line up.
    let mut start = period(first.day).0;
    while start <= last {
        let (s, e, label) = period(start);
        if e <= s {
            break; // out of the day range
        }
        out.push(Rollup {
            start_day: s,
            end_day: e,
            label,
            runs: 0,
            distance_m: 0.0,
            duration_s: 0.0,
            load: 0.0,
        });
        start = e;
    }
    let mut i = 0;
    for run in sorted {
        while out[i].end_day <= run.day {
            i += 1;
        }
        let r = &mut out[i];
        r.runs += 1;
        r.distance_m += finite_or_zero(run.distance_m);
        r.duration_s += finite_or_zero(run.duration_s);
        r.load += kind.of(run).unwrap_or(0.0);
    }
    out
}

fn finite_or_zero(v: f64) -> f64 {
    if v.is_finite() && v > 0.0 { v } else { 0.0 }
}

/// Volume and load per ISO week (Monday to Sunday), from the first run's week to the last's,
/// with empty weeks included.
///
/// ```
/// use analysis::models::{LoadKind, RunPoint, weekly};
/// // 2024-01-01 (day 19 723) was a Monday.
/// let runs = [
///     RunPoint { day: 19_723, distance_m: 10_000.0, trimp: Some(60.0), ..Default::default() },
///     RunPoint { day: 19_737, distance_m: 5_000.0, trimp: Some(30.0), ..Default::default() },
/// ];
/// let weeks = weekly(&runs, LoadKind::Trimp);
/// assert_eq!(weeks.len(), 3);
/// assert_eq!(weeks[0].label, "2024-W01");
/// assert_eq!(weeks[1].runs, 0);
/// assert_eq!(weeks[2].load, 30.0);
/// ```
pub fn weekly(runs: &[RunPoint], kind: LoadKind) -> Vec<Rollup> {
    rollup_by(runs, kind, |day| {
        let s = week_start(day);
        let (y, w) = iso_week(s);
        (s, s + 7, format!("{y:04}-W{w:02}"))
    })
}

/// Volume and load per calendar month, from the first run's month to the last's.
pub fn monthly(runs: &[RunPoint], kind: LoadKind) -> Vec<Rollup> {
    use super::history::days_from_civil;
    rollup_by(runs, kind, |day| {
        let (y, m, _) = civil_from_days(i64::from(day));
        let s = days_from_civil(y, m, 1) as i32;
        let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        let e = days_from_civil(ny, nm, 1) as i32;
        (s, e, format!("{y:04}-{m:02}"))
    })
}

/// Why the ACWR is shown only with a warning.
pub const ACWR_CRITIQUE: &str = "The acute:chronic workload ratio divides the last 7 days' \
mean daily load by the last 28 days' mean. Because the 28 days include the 7, the two are \
mathematically coupled, which by itself produces correlations with injury; re-analyses found \
the ratio a weak and unstable predictor of injury (Lolli et al. 2019, Br J Sports Med; \
Impellizzeri et al. 2020, Sports Med). Stride shows it for reference only and does not base \
any verdict on it.";

/// The "sweet spot" of the ratio, 0.8–1.3, that Gabbett (2016, Br J Sports Med 50:273) proposed
/// as the range of lowest injury risk; the re-analyses in [`ACWR_CRITIQUE`] do not support it.
/// Charts shade it so the runner can read the ratio as it is usually quoted.
pub const ACWR_SWEET_SPOT: (f64, f64) = (0.8, 1.3);

/// What the dashboard says about [`ACWR_SWEET_SPOT`].
pub const ACWR_SWEET_SPOT_NOTE: &str = "The shaded 0.8–1.3 is the \"sweet spot\" Gabbett (2016) \
proposed as the range of lowest injury risk; the re-analyses above found no such safe range, so \
a ratio outside it is no warning sign by itself.";

/// One day of the acute:chronic workload ratio.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AcwrPoint {
    /// The day.
    pub day: i32,
    /// Mean daily load over the 7 days ending this day.
    pub acute: f64,
    /// Mean daily load over the 28 days ending this day.
    pub chronic: f64,
    /// acute / chronic, once 28 days of data exist and the chronic load is positive.
    pub ratio: Option<f64>,
}

/// The acute:chronic workload ratio over a daily series, with its critique.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Acwr {
    /// One point per day of the series.
    pub points: Vec<AcwrPoint>,
    /// Method: rolling means (7 and 28 days, coupled), as most published uses compute it.
    pub method: String,
    /// [`ACWR_CRITIQUE`].
    pub critique: String,
}

/// The 7/28-day rolling-average ACWR of `daily`.
///
/// ```
/// use analysis::models::{DailySeries, acwr};
/// let daily = DailySeries { first_day: 0, values: vec![10.0; 40], missing_runs: 0 };
/// let a = acwr(&daily);
/// assert_eq!(a.points[26].ratio, None); // fewer than 28 days
/// assert_eq!(a.points[39].ratio, Some(1.0));
/// assert!(a.critique.contains("Lolli"));
/// ```
pub fn acwr(daily: &DailySeries) -> Acwr {
    let mut points = Vec::with_capacity(daily.values.len());
    let mut prefix = vec![0.0; daily.values.len() + 1];
    for (i, v) in daily.values.iter().enumerate() {
        prefix[i + 1] = prefix[i] + v;
    }
    let mean_over =
        |end: usize, n: usize| (prefix[end + 1] - prefix[(end + 1).saturating_sub(n)]) / n as f64;
    for (i, (day, _)) in daily.iter().enumerate() {
        let acute = mean_over(i, 7);
        let chronic = mean_over(i, 28);
        let ratio = (i >= 27 && chronic > 0.0).then(|| acute / chronic);
        points.push(AcwrPoint {
            day,
            acute,
            chronic,
            ratio,
        });
    }
    Acwr {
        points,
        method: "acute = mean daily load of the last 7 days, chronic = mean daily load of the \
                 last 28 days (rolling averages, coupled), ratio = acute / chronic"
            .to_owned(),
        critique: ACWR_CRITIQUE.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(day: i32, trimp: Option<f64>) -> RunPoint {
        RunPoint {
            day,
            distance_m: 8_000.0,
            duration_s: 2_400.0,
            trimp,
            ..Default::default()
        }
    }

    #[test]
    fn daily_sums_and_missing_days_are_zero() {
        let runs = [
            run(5, Some(40.0)),
            run(3, Some(10.0)),
            run(5, None),
            run(7, Some(1.0)),
        ];
        let d = daily_load(&runs, LoadKind::Trimp, None).unwrap();
        assert_eq!(d.first_day, 3);
        assert_eq!(d.values, vec![10.0, 0.0, 40.0, 0.0, 1.0]);
        assert_eq!(d.missing_runs, 1);
        assert_eq!(d.get(2), 0.0);
        assert_eq!(d.get(5), 40.0);
        assert_eq!(d.last_day(), Some(7));
        assert_eq!(daily_load(&[], LoadKind::Trimp, None), None);
        // Another load kind: all missing.
        assert_eq!(
            daily_load(&runs, LoadKind::RTss, None)
                .unwrap()
                .missing_runs,
            4
        );
        // Absurd spans are refused, not allocated.
        assert_eq!(
            daily_load(
                &[run(-1_000_000, None), run(1_000_000, None)],
                LoadKind::Trimp,
                None
            ),
            None
        );
    }

    #[test]
    fn iso_weeks() {
        // 2021-01-03 (Sunday) belongs to 2020-W53; 2024-12-30 (Monday) to 2025-W01.
        assert_eq!(iso_week(18_630), (2020, 53));
        assert_eq!(iso_week(20_087), (2025, 1));
        assert_eq!(iso_week(19_723), (2024, 1));
    }

    #[test]
    fn monthly_rollup() {
        // 2024-01-31 (19 753), 2024-02-01 (19 754), 2024-04-10 (19 823).
        let runs = [
            run(19_753, Some(10.0)),
            run(19_754, Some(20.0)),
            run(19_823, Some(5.0)),
        ];
        let m = monthly(&runs, LoadKind::Trimp);
        let labels: Vec<&str> = m.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels, ["2024-01", "2024-02", "2024-03", "2024-04"]);
        assert_eq!(m[0].load, 10.0);
        assert_eq!(m[1].distance_m, 8_000.0);
        assert_eq!(m[1].end_day - m[1].start_day, 29); // leap year
        assert_eq!(m[2].runs, 0);
        assert_eq!(m[3].duration_s, 2_400.0);
    }

    #[test]
    fn acwr_spike() {
        let mut values = vec![10.0; 28];
        values.extend([50.0; 7]);
        let a = acwr(&DailySeries {
            first_day: 0,
            values,
            missing_runs: 0,
        });
        let last = a.points.last().unwrap();
        assert_eq!(last.acute, 50.0);
        assert_eq!(last.chronic, (21.0 * 10.0 + 7.0 * 50.0) / 28.0);
        assert!((last.ratio.unwrap() - 2.5).abs() < 1e-12);
        assert!(a.critique.contains("Impellizzeri"));
    }
}
