//! The plain data the athlete models read: one [`RunPoint`] per run (what a stored run summary
//! holds), [`Effort`]s (a distance covered in a time), and [`DayValue`]s for morning records
//! such as rMSSD or resting heart rate.
//!
//! Days are whole local days counted from 1970-01-01 (day 0), so the browser can fill them from
//! stored summaries without any time-zone library; [`days_from_civil`] and
//! [`crate::time::civil_from_days`] convert.

use serde::{Deserialize, Serialize};

/// A distance covered in a time: a race result or a best effort found inside a run.
///
/// ```
/// use analysis::models::Effort;
/// let e = Effort::race(5_000.0, 1_200.0).on(19_000);
/// assert_eq!(e.speed(), Some(5_000.0 / 1_200.0));
/// assert!(e.race);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Effort {
    /// Distance in metres.
    pub distance_m: f64,
    /// Time in seconds.
    pub seconds: f64,
    /// The local day of the effort (days since 1970-01-01), when known.
    pub day: Option<i32>,
    /// Whether the runner marked it as a race (a maximal effort), not a best effort inside an
    /// ordinary run.
    pub race: bool,
}

impl Effort {
    /// A best effort inside an ordinary run, on no particular day.
    pub fn new(distance_m: f64, seconds: f64) -> Self {
        Self {
            distance_m,
            seconds,
            day: None,
            race: false,
        }
    }

    /// A race result, on no particular day.
    pub fn race(distance_m: f64, seconds: f64) -> Self {
        Self {
            race: true,
            ..Self::new(distance_m, seconds)
        }
    }

    /// The same effort on `day`.
    pub fn on(self, day: i32) -> Self {
        Self {
            day: Some(day),
            ..self
        }
    }

    /// Whether distance and time are finite, positive and humanly possible (slower than
    /// 12 m/s, no longer than 7 days).
    pub fn is_valid(&self) -> bool {
        self.distance_m.is_finite()
            && self.seconds.is_finite()
            && self.distance_m > 0.0
            && self.seconds > 0.0
            && self.seconds < 7.0 * 86_400.0
            && self.distance_m / self.seconds < 12.0
    }

    /// Average speed in m/s, for a valid effort.
    pub fn speed(&self) -> Option<f64> {
        self.is_valid().then(|| self.distance_m / self.seconds)
    }
}

/// What the models need to know about one run; the browser fills it from a stored summary.
///
/// Loads are the per-run metric values `trimp`, `hrtss` and `rtss`; best efforts are the
/// `best_<N>m_s` metrics as (distance m, seconds) pairs (see [`efforts_from_metric_ids`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RunPoint {
    /// Local day of the run (days since 1970-01-01).
    pub day: i32,
    /// Distance in metres.
    pub distance_m: f64,
    /// Timer (moving) time in seconds.
    pub duration_s: f64,
    /// Banister TRIMP of the run.
    pub trimp: Option<f64>,
    /// Heart-rate TSS of the run.
    pub hrtss: Option<f64>,
    /// Running TSS of the run.
    pub rtss: Option<f64>,
    /// Average heart rate, bpm.
    pub avg_hr: Option<f64>,
    /// Seconds spent above the runner's threshold (heart-rate zone 4 and up, or faster than
    /// threshold pace): the "recent intensity" signal of the readiness verdict.
    pub hard_s: Option<f64>,
    /// Whether the runner marked the run as a race.
    pub race: bool,
    /// Best efforts found inside the run: (distance m, seconds).
    pub efforts: Vec<(f64, f64)>,
    /// rMSSD of the run's RR intervals, milliseconds (not used for readiness, which wants
    /// morning records; kept for display).
    pub rmssd_ms: Option<f64>,
    /// The highest heart rate recorded in the run, bpm.
    #[serde(default)]
    pub max_hr: Option<f64>,
    /// Steady stretches of the run, for the VO2max estimate.
    #[serde(default)]
    pub steady: Vec<super::vo2max::SteadySegment>,
}

impl RunPoint {
    /// The run of a summary (`stride analyze --json`, the browser's library) as the models take
    /// it: its local day (at the device's UTC offset when the file gives one, else UTC),
    /// distance, timer time, loads, average heart rate and best efforts.
    /// `None` for a summary without a start time or a distance and time, or of a sport other
    /// than running.
    ///
    /// ```
    /// use analysis::{RunSummary, models::RunPoint};
    /// let summary = RunSummary {
    ///     sport: "running".into(),
    ///     start_time: Some("2024-06-01T05:00:00Z".into()),
    ///     distance_m: Some(5_000.0),
    ///     timer_s: Some(1_500.0),
    ///     metrics: [("best_5000m_s".to_owned(), 1_500.0)].into_iter().collect(),
    ///     ..RunSummary::default()
    /// };
    /// let run = RunPoint::from_summary(&summary).unwrap();
    /// assert_eq!(run.day, 19_875); // 2024-06-01
    /// assert_eq!(run.efforts, [(5_000.0, 1_500.0)]);
    /// // At 05:00 UTC it was still 31 May in Los Angeles.
    /// let la = RunSummary { utc_offset_s: Some(-7.0 * 3_600.0), ..summary };
    /// assert_eq!(RunPoint::from_summary(&la).unwrap().day, 19_874);
    /// ```
    pub fn from_summary(summary: &crate::RunSummary) -> Option<Self> {
        if summary.sport != "running" {
            return None;
        }
        let start = crate::time::parse_rfc3339(summary.start_time.as_deref()?)?;
        // The recording device's local day when the file gives its offset (as the runs list
        // shows it), else the UTC day.
        let local = start
            + summary
                .utc_offset_s
                .filter(|o| o.is_finite())
                .unwrap_or(0.0);
        let day = i32::try_from((local / 86_400.0).floor() as i64).ok()?;
        Some(Self {
            day,
            distance_m: summary.distance_m?,
            duration_s: summary.timer_s?,
            trimp: summary.load.trimp,
            hrtss: summary.load.hrtss,
            rtss: summary.load.rtss,
            avg_hr: summary.avg_hr,
            hard_s: None,
            race: false,
            efforts: efforts_from_metric_ids(summary.metrics.iter().map(|(k, v)| (k.as_str(), *v))),
            rmssd_ms: summary
                .basis
                .as_ref()
                .and_then(|b| b.rmssd)
                .map(|r| r.rmssd_ms),
            max_hr: summary
                .basis
                .as_ref()
                .and_then(|b| b.load.record_max_hr)
                .or(summary.max_hr),
            steady: summary
                .basis
                .as_ref()
                .map(|b| b.steady.clone())
                .unwrap_or_default(),
        })
    }

    /// [`RunPoint::from_summary`] with the loads recomputed for `athlete`
    /// ([`RunSummary::for_athlete`](crate::RunSummary::for_athlete)) and the time above threshold
    /// ([`LoadBasis::hard_s`](crate::metrics::LoadBasis::hard_s)) filled in.
    pub fn from_summary_for(summary: &crate::RunSummary, athlete: &crate::Athlete) -> Option<Self> {
        let mut run = Self::from_summary(&summary.for_athlete(athlete))?;
        run.hard_s = summary.basis.as_ref().and_then(|b| b.load.hard_s(athlete));
        Some(run)
    }

    /// The run's best efforts as [`Effort`]s dated on the run's day; a run marked as a race
    /// makes its efforts race efforts.
    pub fn efforts(&self) -> impl Iterator<Item = Effort> + '_ {
        self.efforts.iter().map(move |&(d, s)| Effort {
            distance_m: d,
            seconds: s,
            day: Some(self.day),
            race: self.race,
        })
    }
}

/// A library as the models read it: its runs and the daily wellness records of its monitoring,
/// sleep and HRV-status files.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    /// The running activities.
    pub runs: Vec<RunPoint>,
    /// Overnight rMSSD, ms.
    pub night_rmssd_ms: Vec<DayValue>,
    /// The devices' resting heart rate, bpm.
    pub resting_hr_bpm: Vec<DayValue>,
    /// Sleep scores, 0–100.
    pub sleep_score: Vec<DayValue>,
    /// Time asleep (first to last sleep record), s.
    pub sleep_s: Vec<DayValue>,
}

impl History {
    /// The history of stored summaries (`stride analyze --json`, the browser's library), with
    /// the loads recomputed for `athlete` ([`RunPoint::from_summary_for`]).
    pub fn from_summaries<'a>(
        summaries: impl IntoIterator<Item = &'a crate::RunSummary>,
        athlete: &crate::Athlete,
    ) -> Self {
        // One per activity (a run as FIT and as TCX counts once), in start order, so that any
        // order of the same summaries (a folder's, the browser's newest-first library) gives
        // the same history and the same sums.
        let mut sorted = crate::same_activity::one_per_activity(summaries);
        sorted.sort_by(|a, b| {
            a.start_time
                .cmp(&b.start_time)
                .then_with(|| a.distance_m.total_cmp_opt(b.distance_m))
        });
        let mut h = Self::default();
        for s in sorted {
            if let Some(run) = RunPoint::from_summary_for(s, athlete) {
                h.runs.push(run);
            }
            if let Some(w) = s.basis.as_ref().map(|b| b.wellness) {
                h.night_rmssd_ms.extend(w.night_rmssd_ms);
                h.resting_hr_bpm.extend(w.resting_hr_bpm);
                h.sleep_score.extend(w.sleep_score);
                h.sleep_s.extend(w.sleep_s);
            }
        }
        for v in [
            &mut h.night_rmssd_ms,
            &mut h.resting_hr_bpm,
            &mut h.sleep_score,
            &mut h.sleep_s,
        ] {
            v.sort_by(|a, b| a.day.cmp(&b.day).then(a.value.total_cmp(&b.value)));
        }
        h
    }
}

/// Orders optional floats, `None` first.
trait TotalCmpOpt {
    fn total_cmp_opt(self, other: Self) -> std::cmp::Ordering;
}

impl TotalCmpOpt for Option<f64> {
    fn total_cmp_opt(self, other: Self) -> std::cmp::Ordering {
        match (self, other) {
            (Some(a), Some(b)) => a.total_cmp(&b),
            (a, b) => a.is_some().cmp(&b.is_some()),
        }
    }
}

/// One value on one day: a morning rMSSD (ms), a resting heart rate (bpm), a sleep score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DayValue {
    /// Local day (days since 1970-01-01).
    pub day: i32,
    /// The value.
    pub value: f64,
}

/// The best efforts among per-run metric values: the registry's best-effort ids
/// ([`crate::summary::BEST_EFFORT_IDS`]: `best_mile_s`, `best_half_marathon_s`, …) and any
/// `best_<N>m_s` become (metres, seconds), shortest first.
///
/// ```
/// use analysis::models::efforts_from_metric_ids;
/// let values = [("distance_m", 10_000.0), ("best_5000m_s", 1_260.0), ("best_mile_s", 390.0)];
/// assert_eq!(
///     efforts_from_metric_ids(values.iter().map(|&(k, v)| (k, v))),
///     vec![(1_609.344, 390.0), (5_000.0, 1_260.0)]
/// );
/// ```
pub fn efforts_from_metric_ids<'a>(
    values: impl IntoIterator<Item = (&'a str, f64)>,
) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = values
        .into_iter()
        .filter_map(|(id, v)| {
            // The registry's ids (`best_mile_s`, `best_half_marathon_s`, …), else `best_<N>m_s`.
            let d = match crate::summary::BEST_EFFORT_IDS
                .iter()
                .find(|(_, k)| *k == id)
            {
                Some(&(d, _)) => d,
                None => id
                    .strip_prefix("best_")?
                    .strip_suffix("m_s")?
                    .parse()
                    .ok()?,
            };
            (d > 0.0 && v.is_finite() && v > 0.0).then_some((d, v))
        })
        .collect();
    out.sort_by(|a, b| a.0.total_cmp(&b.0));
    out
}

/// Days since 1970-01-01 of a proleptic Gregorian date (the inverse of
/// [`crate::time::civil_from_days`]).
///
/// ```
/// use analysis::models::days_from_civil;
/// assert_eq!(days_from_civil(1970, 1, 1), 0);
/// assert_eq!(days_from_civil(2000, 3, 1), 11_017);
/// ```
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    crate::time::days_from_civil(year, month, day)
}

/// The Monday that starts the ISO week containing `day`.
pub fn week_start(day: i32) -> i32 {
    // 1970-01-01 was a Thursday: three days after a Monday.
    day.saturating_sub((i64::from(day) + 3).rem_euclid(7) as i32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::civil_from_days;

    #[test]
    fn civil_round_trip() {
        for d in [
            -800_000_i64,
            -1,
            0,
            59,
            60,
            11_016,
            11_017,
            19_782,
            2_932_896,
        ] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
        assert_eq!(days_from_civil(2024, 2, 29), 19_782);
    }

    #[test]
    fn weeks_start_on_monday() {
        // 2024-01-01 was a Monday (day 19 723).
        assert_eq!(week_start(19_723), 19_723);
        assert_eq!(week_start(19_729), 19_723); // Sunday 7 January
        assert_eq!(week_start(19_730), 19_730);
        assert_eq!(week_start(0), -3);
    }

    #[test]
    fn invalid_efforts() {
        assert!(!Effort::new(0.0, 100.0).is_valid());
        assert!(!Effort::new(100.0, f64::NAN).is_valid());
        assert!(!Effort::new(1_000.0, 50.0).is_valid()); // 20 m/s
        assert_eq!(Effort::new(-5.0, 10.0).speed(), None);
    }

    #[test]
    fn metric_ids_parse() {
        let v = efforts_from_metric_ids([
            ("best_xm_s", 1.0),
            ("best_400m_s", 70.0),
            ("best_1609m_s", -1.0),
        ]);
        assert_eq!(v, vec![(400.0, 70.0)]);
    }
}
