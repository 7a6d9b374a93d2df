//! The summary of one analysed run, as `stride analyze --json` prints it and as the server's
//! upload API and the browser's library store it: a flat, stable set of fields in SI units, with
//! the metric ids of [`crate::metrics`] as names.

use serde::{Deserialize, Serialize};

use crate::metrics::{LoadBasis, MetricValues, Run};
use crate::models::DayValue;
use crate::models::hrv::Rmssd;
use crate::models::vo2max::SteadySegment;
use crate::{Activity, Athlete, FileFormat, Sport, time};

/// The standard distances of best efforts, in metres, with the metric id holding each.
pub const BEST_EFFORT_IDS: &[(f64, &str)] = &[
    (400.0, "best_400m_s"),
    (1_000.0, "best_1000m_s"),
    (1_609.344, "best_mile_s"),
    (5_000.0, "best_5000m_s"),
    (10_000.0, "best_10000m_s"),
    (15_000.0, "best_15000m_s"),
    (16_093.44, "best_10mile_s"),
    (21_097.5, "best_half_marathon_s"),
    (30_000.0, "best_30000m_s"),
    (42_195.0, "best_marathon_s"),
];

/// The training load of a run, by model.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Load {
    /// Banister's TRIMP.
    pub trimp: Option<f64>,
    /// Heart-rate training stress score.
    pub hrtss: Option<f64>,
    /// Running training stress score (needs a threshold pace).
    pub rtss: Option<f64>,
}

/// One run, summarised.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    /// `"fit"`, `"gpx"` or `"tcx"`.
    pub format: String,
    /// The sport, snake_case (`"running"`, `"cycling"`, …; `"sport_37"` for unnamed FIT sports).
    pub sport: String,
    /// Start, RFC 3339 UTC.
    pub start_time: Option<String>,
    /// Wall-clock duration, s.
    pub elapsed_s: Option<f64>,
    /// Timer duration, pauses excluded, s.
    pub timer_s: Option<f64>,
    /// Time moving, s.
    pub moving_s: Option<f64>,
    /// Distance, m.
    pub distance_m: Option<f64>,
    /// Average heart rate, bpm.
    pub avg_hr: Option<f64>,
    /// Maximum heart rate, bpm.
    pub max_hr: Option<f64>,
    /// Average cadence, steps per minute (sports on foot).
    pub avg_cadence_spm: Option<f64>,
    /// Ascent, m.
    pub ascent_m: Option<f64>,
    /// Descent, m.
    pub descent_m: Option<f64>,
    /// Number of records (samples).
    pub records: usize,
    /// Number of laps.
    pub laps: usize,
    /// Fastest time over each standard distance the run covers: metres (as text, e.g.
    /// `"1000"`, `"1609.344"`) to seconds.
    pub best_efforts: std::collections::BTreeMap<String, f64>,
    /// GPS quality score, 0–100; `None` without positions.
    pub gps_quality: Option<f64>,
    /// Training load.
    pub load: Load,
    /// Every metric computed, by id.
    pub metrics: std::collections::BTreeMap<String, f64>,
    /// What was wrong with the file but did not stop the analysis.
    pub warnings: Vec<String>,
    /// What the athlete models need beyond the figures above, independent of the runner's
    /// settings (so loads and estimates are recomputed for new settings without the file);
    /// `None` in summaries made before it existed.
    #[serde(default)]
    pub basis: Option<RunBasis>,
    /// The activity's name, when the file gives one (GPX `name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The recording device's UTC offset at the start, seconds, when the file says (FIT
    /// `activity.local_timestamp - timestamp`): the run's time of day where it was run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_offset_s: Option<f64>,
}

/// The version of [`RunBasis`] this build writes; summaries with an older one (or none) are
/// made again from their original file (the browser's library does this on opening).
pub const BASIS_VERSION: u32 = 1;

/// The settings-independent inputs of the athlete models, per file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RunBasis {
    /// [`BASIS_VERSION`] when written.
    pub version: u32,
    /// What TRIMP, hrTSS and rTSS rest on.
    pub load: LoadBasis,
    /// Steady stretches (even pace, settled heart rate) for the VO2max estimate.
    pub steady: Vec<SteadySegment>,
    /// rMSSD of the file's RR intervals (FIT `hrv` messages), artefacts removed.
    pub rmssd: Option<Rmssd>,
    /// Morning and night records of a monitoring, sleep or HRV-status file.
    pub wellness: Wellness,
}

/// Daily wellness values a file carries, each on its UTC day (days since 1970-01-01).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Wellness {
    /// The device's resting heart rate (FIT `monitoring_hr_data`), bpm, on the file's day.
    pub resting_hr_bpm: Option<DayValue>,
    /// Last night's average rMSSD (FIT `hrv_status_summary`), ms.
    pub night_rmssd_ms: Option<DayValue>,
    /// The device's overall sleep score (FIT `sleep_assessment`), 0–100, on the waking day.
    pub sleep_score: Option<DayValue>,
    /// Time from the first to the last sleep-level record, s, on the waking day.
    pub sleep_s: Option<DayValue>,
}

impl Wellness {
    /// What `activity` carries.
    pub fn of(activity: &Activity) -> Self {
        let day = |t: f64| -> Option<i32> {
            t.is_finite()
                .then(|| (t / 86_400.0).floor())
                .filter(|d| d.abs() < 1e7)
                .map(|d| d as i32)
        };
        let on = |t: Option<f64>, v: Option<f64>| -> Option<DayValue> {
            let value = v.filter(|v| v.is_finite() && *v > 0.0)?;
            Some(DayValue {
                day: day(t?)?,
                value,
            })
        };
        let file_time = activity
            .file_id
            .as_ref()
            .and_then(|f| f.time_created)
            .or(activity.start_time);
        let sleep_end = activity.sleep.and_then(|s| s.span).map(|(_, b)| b);
        Self {
            resting_hr_bpm: on(
                file_time,
                activity
                    .monitoring
                    .and_then(|m| m.resting_heart_rate)
                    .filter(|v| (25.0..=120.0).contains(v)),
            ),
            night_rmssd_ms: activity
                .hrv_status
                .and_then(|h| on(h.time.or(file_time), h.last_night_average)),
            sleep_score: activity
                .sleep
                .and_then(|s| on(sleep_end.or(file_time), s.overall_score)),
            sleep_s: activity
                .sleep
                .and_then(|s| s.span)
                .and_then(|(a, b)| on(Some(b), Some(b - a))),
        }
    }

    /// Whether the file carries none of these.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

impl RunBasis {
    /// The basis of the run `run`, whose metrics are `values`.
    pub fn of(run: &Run<'_>, values: &MetricValues) -> Self {
        let rr: Vec<f64> = run.activity.hrv_rr.iter().map(|&v| f64::from(v)).collect();
        Self {
            version: BASIS_VERSION,
            load: LoadBasis::of(run, values),
            steady: crate::metrics::steady_segments(run),
            rmssd: crate::models::hrv::rmssd(&rr),
            wellness: Wellness::of(run.activity),
        }
    }

    /// Whether this basis is as new as this build writes.
    pub fn is_current(&self) -> bool {
        self.version >= BASIS_VERSION
    }
}

impl RunSummary {
    /// Whether the file holds an activity: records, laps, or a timer time or distance from its
    /// session. A device's settings or course file holds none; a monitoring, sleep or HRV file
    /// holds none either, but keeps its [`Wellness`] ([`RunSummary::holds_wellness`]).
    ///
    /// ```
    /// use analysis::summary::RunSummary;
    /// assert!(!RunSummary::default().holds_activity());
    /// assert!(RunSummary { records: 3, ..RunSummary::default() }.holds_activity());
    /// assert!(RunSummary { timer_s: Some(1800.0), ..RunSummary::default() }.holds_activity());
    /// ```
    pub fn holds_activity(&self) -> bool {
        let positive = |v: Option<f64>| v.is_some_and(|v| v > 0.0);
        self.records > 0 || self.laps > 0 || positive(self.timer_s) || positive(self.distance_m)
    }

    /// Whether the file carries a day's wellness values (resting heart rate, overnight HRV,
    /// sleep) for the dashboard.
    pub fn holds_wellness(&self) -> bool {
        self.basis
            .as_ref()
            .is_some_and(|b| b.wellness != Wellness::default())
    }

    /// The summary of `activity` from its computed `metrics`.
    ///
    /// ```
    /// use analysis::{Activity, metrics::MetricValues, summary::RunSummary};
    /// let mut values = MetricValues::default();
    /// values.set("distance_m", 5_000.0);
    /// values.set("best_1000m_s", 240.0);
    /// let s = RunSummary::new(&Activity::default(), &values);
    /// assert_eq!(s.distance_m, Some(5_000.0));
    /// assert_eq!(s.best_efforts["1000"], 240.0);
    /// assert_eq!(s.format, "fit");
    /// ```
    pub fn new(activity: &Activity, metrics: &MetricValues) -> Self {
        let best_efforts = BEST_EFFORT_IDS
            .iter()
            .filter_map(|&(meters, id)| Some((distance_key(meters), metrics.get(id)?)))
            .collect();
        Self {
            format: format_name(activity.format).to_owned(),
            sport: sport_name(activity.sport),
            start_time: activity.start_time.and_then(time::format_rfc3339),
            elapsed_s: metrics.get("elapsed_s"),
            timer_s: metrics.get("timer_s"),
            moving_s: metrics.get("moving_s"),
            distance_m: metrics.get("distance_m"),
            avg_hr: metrics.get("avg_hr"),
            max_hr: metrics.get("max_hr"),
            avg_cadence_spm: metrics.get("avg_cadence_spm"),
            ascent_m: metrics.get("ascent_m"),
            descent_m: metrics.get("descent_m"),
            records: activity.records.len(),
            laps: activity.laps.len(),
            best_efforts,
            gps_quality: metrics.get("gps_quality_score"),
            load: Load {
                trimp: metrics.get("trimp"),
                hrtss: metrics.get("hrtss"),
                rtss: metrics.get("rtss"),
            },
            metrics: metrics.iter().map(|(k, v)| (k.to_owned(), v)).collect(),
            warnings: activity.warnings.clone(),
            basis: None,
            name: activity
                .name
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_owned),
            // Offsets are whole quarter hours within a day; anything else is a damaged clock.
            utc_offset_s: activity
                .activity_info
                .as_ref()
                .and_then(|a| a.utc_offset())
                .map(|o| (o / 900.0).round() * 900.0)
                .filter(|o| o.abs() <= 14.0 * 3_600.0),
        }
    }

    /// Whether the summary lacks this build's [`RunBasis`] (made by an older build): its loads
    /// cannot follow the runner's settings until it is made again from the file.
    pub fn is_stale(&self) -> bool {
        !self.basis.as_ref().is_some_and(RunBasis::is_current)
    }

    /// The summary with its loads (and their metric values) recomputed for `athlete` from the
    /// basis, as `stride analyze` with those settings would give them; unchanged without a basis.
    ///
    /// ```
    /// use analysis::{Athlete, summary::analyze_bytes};
    /// let fit = include_bytes!("../tests/fixtures/garmin-fenix-5-run.fit");
    /// let defaults = analyze_bytes(fit, &Athlete::default()).unwrap();
    /// let mine = Athlete { max_hr: Some(180.0), rest_hr: Some(45.0), ..Athlete::default() };
    /// assert_eq!(defaults.for_athlete(&mine), analyze_bytes(fit, &mine).unwrap());
    /// ```
    pub fn for_athlete(&self, athlete: &Athlete) -> Self {
        let mut out = self.clone();
        let Some(basis) = &self.basis else {
            return out;
        };
        out.load = Load {
            trimp: basis.load.trimp(athlete),
            hrtss: basis.load.hrtss(athlete),
            rtss: basis.load.rtss(athlete),
        };
        for (id, v) in [
            ("trimp", out.load.trimp),
            ("hrtss", out.load.hrtss),
            ("rtss", out.load.rtss),
        ] {
            match v.filter(|v| v.is_finite()) {
                Some(v) => {
                    out.metrics.insert(id.to_owned(), v);
                }
                None => {
                    out.metrics.remove(id);
                }
            }
        }
        out
    }
}

/// A distance in metres as a JSON key: whole metres without decimals (`"5000"`), others as they
/// are (`"1609.344"`).
pub fn distance_key(meters: f64) -> String {
    if meters.fract() == 0.0 {
        format!("{meters:.0}")
    } else {
        format!("{meters}")
    }
}

/// The lower-case name of a file format.
pub fn format_name(format: FileFormat) -> &'static str {
    match format {
        FileFormat::Fit => "fit",
        FileFormat::Gpx => "gpx",
        FileFormat::Tcx => "tcx",
    }
}

/// The snake_case name of a sport.
///
/// ```
/// use analysis::{Sport, summary::sport_name};
/// assert_eq!(sport_name(Sport::Running), "running");
/// assert_eq!(sport_name(Sport::Other(37)), "sport_37");
/// ```
pub fn sport_name(sport: Sport) -> String {
    match sport {
        Sport::Generic => "generic",
        Sport::Running => "running",
        Sport::Cycling => "cycling",
        Sport::Transition => "transition",
        Sport::FitnessEquipment => "fitness_equipment",
        Sport::Swimming => "swimming",
        Sport::Training => "training",
        Sport::Walking => "walking",
        Sport::CrossCountrySkiing => "cross_country_skiing",
        Sport::Rowing => "rowing",
        Sport::Mountaineering => "mountaineering",
        Sport::Hiking => "hiking",
        Sport::Multisport => "multisport",
        Sport::Other(n) => return format!("sport_{n}"),
    }
    .to_owned()
}

/// Decodes `bytes` (FIT, GPX or TCX), analyses the run for `athlete` ([`crate::analyze`]) and
/// summarises it. The report's warnings (e.g. which session of a multisport file was measured)
/// follow the decoder's.
pub fn analyze_bytes(
    bytes: &[u8],
    athlete: &crate::Athlete,
) -> Result<RunSummary, crate::AnalysisError> {
    let activity = crate::decode(bytes)?;
    let report = crate::analyze(&activity, athlete);
    let mut summary = RunSummary::new(&activity, &report.metrics);
    summary.basis = report.basis;
    for warning in report.warnings {
        if !summary.warnings.contains(&warning) {
            summary.warnings.push(warning);
        }
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FileId, HrvStatus, MonitoringSummary, SleepSummary};

    #[test]
    fn wellness_values_land_on_their_days() {
        // 2024-06-01 (day 19 875) 08:00 UTC, the night before ending 06:30.
        let created = 19_875.0 * 86_400.0 + 8.0 * 3_600.0;
        let woke = 19_875.0 * 86_400.0 + 6.5 * 3_600.0;
        let activity = Activity {
            file_id: Some(FileId {
                time_created: Some(created),
                ..FileId::default()
            }),
            monitoring: Some(MonitoringSummary {
                messages: 10,
                resting_heart_rate: Some(47.0),
                ..MonitoringSummary::default()
            }),
            hrv_status: Some(HrvStatus {
                time: Some(woke),
                last_night_average: Some(62.0),
                ..HrvStatus::default()
            }),
            sleep: Some(SleepSummary {
                span: Some((woke - 7.5 * 3_600.0, woke)),
                overall_score: Some(81.0),
                ..SleepSummary::default()
            }),
            ..Activity::default()
        };
        let w = Wellness::of(&activity);
        let on = |value| Some(DayValue { day: 19_875, value });
        assert_eq!(w.resting_hr_bpm, on(47.0));
        assert_eq!(w.night_rmssd_ms, on(62.0));
        assert_eq!(w.sleep_score, on(81.0));
        assert_eq!(w.sleep_s, on(27_000.0));
        // An implausible resting rate is not kept.
        let mut odd = activity.clone();
        odd.monitoring = Some(MonitoringSummary {
            resting_heart_rate: Some(250.0),
            ..MonitoringSummary::default()
        });
        assert_eq!(Wellness::of(&odd).resting_hr_bpm, None);
        assert!(Wellness::of(&Activity::default()).is_empty());
    }
}
