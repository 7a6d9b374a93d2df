//! The readiness verdict: fresh, productive, fatigued or strained, and the signals that drove
//! it, or a plain "not enough data".
//!
//! Four signals, each graded good / neutral / caution / warning or missing:
//! - **load**: form relative to fitness, `TSB/CTL` (needs 28 days of history and CTL ≥ 10):
//!   above +0.05 good (fresh), −0.30…+0.05 neutral (productive training), −0.50…−0.30
//!   caution, below −0.50 warning;
//! - **HRV**: the 7-day ln rMSSD against its 60-day band (Plews 2014): below is a caution;
//! - **resting HR**: the 7-day mean above baseline by more than max(3 bpm, 1 SD) is a caution,
//!   by more than max(6 bpm, 2 SD) a warning;
//! - **recent intensity**: more than 30 % of the last 7 days' running time above threshold
//!   (from at least an hour of running) is a caution (polarised training keeps it near 20 %).
//!
//! Score 2 per warning and 1 per caution: 3 or more is *strained*, 1–2 *fatigued*; with no
//! flag, *fresh* if the load signal is good, else *productive*. Without the load, HRV and
//! resting-HR signals all missing, the verdict is *insufficient data*. ACWR is not used (see
//! [`super::load::ACWR_CRITIQUE`]).

use serde::{Deserialize, Serialize};

use super::history::{DayValue, RunPoint};
use super::hrv::{Band, HrvStatus, RestingHrStatus, hrv_status, resting_hr_status};
use super::load::{LoadKind, daily_load};
use super::pmc::{Pmc, PmcPoint};

/// How the verdict is reached.
pub const METHOD: &str = "Four signals — form relative to fitness (TSB/CTL), the 7-day HRV \
against its 60-day band, the 7-day resting heart rate against its baseline, and the share of \
last week's running above threshold — are each graded; two points per warning and one per \
caution: 3 or more is strained, 1–2 fatigued; with no flag, fresh if form is positive, else \
productive.";

/// Sources.
pub const SOURCE: &str = "Coggan's Performance Manager (TSB); Plews et al. 2014 (HRV band); \
Buchheit 2014, Front Physiol 5:73 (resting HR and HRV monitoring); Seiler 2010 (intensity \
distribution)";

/// The verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Rested: form positive, no warning sign. A good day for a race or a key session.
    Fresh,
    /// Training load is being absorbed: normal training, no warning sign.
    Productive,
    /// One or two signs of fatigue: keep the next days easy.
    Fatigued,
    /// Several signs together: rest or only very easy running until they clear.
    Strained,
    /// Not enough data for a verdict.
    InsufficientData,
}

impl Verdict {
    /// The stable id, as JSON and `data-verdict` write it: `fresh`, `insufficient_data`, …
    pub fn id(self) -> &'static str {
        match self {
            Self::Fresh => "fresh",
            Self::Productive => "productive",
            Self::Fatigued => "fatigued",
            Self::Strained => "strained",
            Self::InsufficientData => "insufficient_data",
        }
    }

    /// The verdict in words, for "Readiness: …".
    pub fn words(self) -> &'static str {
        match self {
            Self::InsufficientData => "not enough data",
            other => other.id(),
        }
    }
}

/// Which signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalKind {
    /// Form relative to fitness.
    Load,
    /// HRV band.
    Hrv,
    /// Resting heart rate.
    RestingHr,
    /// Recent intensity.
    Intensity,
}

impl SignalKind {
    /// The stable id, as JSON and `data-kind` write it: `load`, `hrv`, `resting_hr`, `intensity`.
    pub fn id(self) -> &'static str {
        match self {
            Self::Load => "load",
            Self::Hrv => "hrv",
            Self::RestingHr => "resting_hr",
            Self::Intensity => "intensity",
        }
    }
}

/// How a signal grades.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// No data for this signal.
    Missing,
    /// A good sign.
    Good,
    /// Nothing notable.
    Neutral,
    /// A sign of fatigue.
    Caution,
    /// A strong sign of fatigue.
    Warning,
}

impl Level {
    /// The stable id: `missing`, `good`, `neutral`, `caution`, `warning`.
    pub fn id(self) -> &'static str {
        match self {
            Self::Missing => "missing",
            Self::Good => "good",
            Self::Neutral => "neutral",
            Self::Caution => "caution",
            Self::Warning => "warning",
        }
    }
}

/// One signal with its numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signal {
    /// Which signal.
    pub kind: SignalKind,
    /// Its grade.
    pub level: Level,
    /// The value graded (TSB/CTL, ln rMSSD, bpm above baseline, share of hard time).
    pub value: Option<f64>,
    /// What it was compared with.
    pub reference: Option<f64>,
    /// A sentence with the numbers.
    pub text: String,
}

/// Last week's running time and the part of it above threshold.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Intensity {
    /// Seconds above threshold.
    pub hard_s: f64,
    /// Seconds of running.
    pub total_s: f64,
}

/// What the verdict reads.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReadinessInput {
    /// Today's fitness, fatigue and form.
    pub pmc: Option<PmcPoint>,
    /// Days of training history behind `pmc`.
    pub history_days: usize,
    /// Today's HRV status.
    pub hrv: Option<HrvStatus>,
    /// Today's resting-HR status.
    pub resting_hr: Option<RestingHrStatus>,
    /// Last week's intensity.
    pub intensity: Option<Intensity>,
}

/// The verdict, the signals, and which of them drove it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Readiness {
    /// The verdict.
    pub verdict: Verdict,
    /// All four signals, missing ones included.
    pub signals: Vec<Signal>,
    /// The signals that decided the verdict.
    pub drivers: Vec<SignalKind>,
    /// One paragraph for the runner.
    pub summary: String,
    /// [`METHOD`].
    pub method: String,
    /// [`SOURCE`].
    pub source: String,
}

fn missing(kind: SignalKind, why: &str) -> Signal {
    Signal {
        kind,
        level: Level::Missing,
        value: None,
        reference: None,
        text: why.to_owned(),
    }
}

fn load_signal(pmc: Option<PmcPoint>, history_days: usize) -> Signal {
    let Some(p) = pmc else {
        return missing(SignalKind::Load, "No training load recorded.");
    };
    if history_days < 28 {
        return missing(
            SignalKind::Load,
            &format!(
                "Only {history_days} days of load history: at least 28 are needed to judge form."
            ),
        );
    }
    if p.ctl < 10.0 {
        // A long history but little recent training (a library whose last run is long past).
        return missing(
            SignalKind::Load,
            &format!(
                "Fitness is {:.0} on this day, under the 10 needed to judge form: too little \
                 training in the weeks before it.",
                p.ctl
            ),
        );
    }
    let r = p.tsb / p.ctl;
    let (level, words) = if r > 0.05 {
        (Level::Good, "rested")
    } else if r >= -0.30 {
        (Level::Neutral, "in normal, productive training")
    } else if r >= -0.50 {
        (Level::Caution, "carrying notable fatigue")
    } else {
        (Level::Warning, "carrying heavy fatigue")
    };
    Signal {
        kind: SignalKind::Load,
        level,
        value: Some(r),
        reference: Some(p.ctl),
        text: format!(
            "Form {:.0} against fitness {:.0} (fatigue {:.0}): {:.0} % of fitness, {words}.",
            p.tsb,
            p.ctl,
            p.atl,
            r * 100.0
        ),
    }
}

fn hrv_signal(h: Option<&HrvStatus>) -> Signal {
    let Some(h) = h else {
        return missing(
            SignalKind::Hrv,
            "No HRV baseline: morning rMSSD on at least 3 of the last 7 days and 14 of the last 60 is needed.",
        );
    };
    Signal {
        kind: SignalKind::Hrv,
        level: if h.band == Band::Below {
            Level::Caution
        } else {
            Level::Good
        },
        value: Some(h.rolling_ln),
        reference: Some(h.baseline_ln),
        text: h.explanation.clone(),
    }
}

fn resting_signal(r: Option<&RestingHrStatus>) -> Signal {
    let Some(r) = r else {
        return missing(
            SignalKind::RestingHr,
            "No resting-HR baseline: resting heart rate on at least 3 of the last 7 days and 14 of the last 60 is needed.",
        );
    };
    let level = if r.deviation_bpm > (2.0 * r.baseline_sd).max(6.0) {
        Level::Warning
    } else if r.elevated {
        Level::Caution
    } else {
        Level::Good
    };
    Signal {
        kind: SignalKind::RestingHr,
        level,
        value: Some(r.deviation_bpm),
        reference: Some(r.baseline_bpm),
        text: r.explanation.clone(),
    }
}

fn intensity_signal(i: Option<Intensity>) -> Signal {
    let Some(i) = i.filter(|i| i.total_s >= 3_600.0 && i.hard_s.is_finite() && i.hard_s >= 0.0)
    else {
        return missing(
            SignalKind::Intensity,
            "Not enough running with intensity data in the last 7 days (an hour is needed).",
        );
    };
    let share = (i.hard_s / i.total_s).min(1.0);
    Signal {
        kind: SignalKind::Intensity,
        level: if share > 0.30 {
            Level::Caution
        } else {
            Level::Neutral
        },
        value: Some(share),
        reference: Some(0.20),
        text: format!(
            "{:.0} % of the last 7 days' {:.1} h of running was above threshold{}.",
            share * 100.0,
            i.total_s / 3_600.0,
            if share > 0.30 {
                ", more than the ~20 % of polarised training"
            } else {
                ""
            }
        ),
    }
}

/// The verdict from today's signals.
///
/// ```
/// use analysis::models::{PmcPoint, readiness::{ReadinessInput, Verdict, assess}};
/// let tired = ReadinessInput {
///     pmc: Some(PmcPoint { day: 100, load: 0.0, ctl: 60.0, atl: 100.0, tsb: -40.0 }),
///     history_days: 120,
///     ..Default::default()
/// };
/// let r = assess(&tired);
/// assert_eq!(r.verdict, Verdict::Fatigued);
/// assert_eq!(assess(&ReadinessInput::default()).verdict, Verdict::InsufficientData);
/// ```
pub fn assess(input: &ReadinessInput) -> Readiness {
    let signals = vec![
        load_signal(input.pmc, input.history_days),
        hrv_signal(input.hrv.as_ref()),
        resting_signal(input.resting_hr.as_ref()),
        intensity_signal(input.intensity),
    ];
    let level = |k: SignalKind| {
        signals
            .iter()
            .find(|s| s.kind == k)
            .map_or(Level::Missing, |s| s.level)
    };
    let core_missing = [SignalKind::Load, SignalKind::Hrv, SignalKind::RestingHr]
        .iter()
        .all(|&k| level(k) == Level::Missing);
    let score: u32 = signals
        .iter()
        .map(|s| match s.level {
            Level::Warning => 2,
            Level::Caution => 1,
            _ => 0,
        })
        .sum();
    let flagged: Vec<SignalKind> = signals
        .iter()
        .filter(|s| s.level >= Level::Caution)
        .map(|s| s.kind)
        .collect();
    let (verdict, drivers) = if core_missing {
        (Verdict::InsufficientData, Vec::new())
    } else if score >= 3 {
        (Verdict::Strained, flagged)
    } else if score >= 1 {
        (Verdict::Fatigued, flagged)
    } else if level(SignalKind::Load) == Level::Good {
        (Verdict::Fresh, vec![SignalKind::Load])
    } else {
        let normal: Vec<SignalKind> = signals
            .iter()
            .filter(|s| matches!(s.level, Level::Good | Level::Neutral))
            .map(|s| s.kind)
            .collect();
        (Verdict::Productive, normal)
    };
    let missing_names: Vec<&str> = signals
        .iter()
        .filter(|s| s.level == Level::Missing)
        .map(|s| name(s.kind))
        .collect();
    let headline = match verdict {
        Verdict::Fresh => "Fresh: rested, a good day for a race or a key session.",
        Verdict::Productive => "Productive: you are absorbing your training; carry on as planned.",
        Verdict::Fatigued => "Fatigued: keep the next days easy.",
        Verdict::Strained => {
            "Strained: several signs of fatigue together; rest or run very easy until they clear."
        }
        Verdict::InsufficientData => {
            "Not enough data for a verdict: record runs with heart rate for four weeks, or morning HRV or resting heart rate."
        }
    };
    let because = if drivers.is_empty() {
        String::new()
    } else {
        format!(
            " Driven by: {}.",
            drivers
                .iter()
                .map(|&k| name(k))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let without = if missing_names.is_empty() || verdict == Verdict::InsufficientData {
        String::new()
    } else {
        format!(" Without data for: {}.", missing_names.join(", "))
    };
    Readiness {
        verdict,
        signals,
        drivers,
        summary: format!("{headline}{because}{without}"),
        method: METHOD.to_owned(),
        source: SOURCE.to_owned(),
    }
}

fn name(k: SignalKind) -> &'static str {
    match k {
        SignalKind::Load => "form vs fitness",
        SignalKind::Hrv => "HRV",
        SignalKind::RestingHr => "resting heart rate",
        SignalKind::Intensity => "recent intensity",
    }
}

/// Last week's intensity (the 7 days ending `today`) from the runs' `hard_s` and durations;
/// runs without `hard_s` count in neither.
pub fn intensity_last_week(runs: &[RunPoint], today: i32) -> Option<Intensity> {
    let (mut hard, mut total) = (0.0, 0.0);
    for r in runs
        .iter()
        .filter(|r| (today.saturating_sub(6)..=today).contains(&r.day))
    {
        if let Some(h) = r.hard_s.filter(|h| h.is_finite() && *h >= 0.0)
            && r.duration_s.is_finite()
            && r.duration_s > 0.0
        {
            hard += h.min(r.duration_s);
            total += r.duration_s;
        }
    }
    (total > 0.0).then_some(Intensity {
        hard_s: hard,
        total_s: total,
    })
}

/// The verdict on `today` from a runner's history: runs (load and intensity), morning rMSSD
/// in ms and resting heart rates in bpm.
pub fn assess_history(
    runs: &[RunPoint],
    kind: LoadKind,
    pmc: &Pmc,
    morning_rmssd_ms: &[DayValue],
    resting_bpm: &[DayValue],
    today: i32,
) -> Readiness {
    let past: Vec<RunPoint> = runs.iter().filter(|r| r.day <= today).cloned().collect();
    let daily = daily_load(&past, kind, Some(today));
    let point = daily.as_ref().and_then(|d| pmc.at(d, today));
    let history_days = daily.as_ref().map_or(0, |d| {
        usize::try_from(i64::from(today) - i64::from(d.first_day) + 1).unwrap_or(0)
    });
    assess(&ReadinessInput {
        pmc: point,
        history_days,
        hrv: hrv_status(morning_rmssd_ms, today),
        resting_hr: resting_hr_status(resting_bpm, today),
        intensity: intensity_last_week(&past, today),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(not(target_arch = "wasm32"))] // serde_json is a native dev-dependency
    fn ids_are_the_json_names() {
        for v in [
            Verdict::Fresh,
            Verdict::Productive,
            Verdict::Fatigued,
            Verdict::Strained,
            Verdict::InsufficientData,
        ] {
            assert_eq!(serde_json::to_value(v).unwrap(), v.id());
        }
        for k in [
            SignalKind::Load,
            SignalKind::Hrv,
            SignalKind::RestingHr,
            SignalKind::Intensity,
        ] {
            assert_eq!(serde_json::to_value(k).unwrap(), k.id());
        }
        for l in [
            Level::Missing,
            Level::Good,
            Level::Neutral,
            Level::Caution,
            Level::Warning,
        ] {
            assert_eq!(serde_json::to_value(l).unwrap(), l.id());
        }
        assert_eq!(Verdict::InsufficientData.words(), "not enough data");
    }

    fn pmc(ctl: f64, tsb: f64) -> Option<PmcPoint> {
        Some(PmcPoint {
            day: 0,
            load: 0.0,
            ctl,
            atl: ctl - tsb,
            tsb,
        })
    }

    fn hrv(band: Band) -> HrvStatus {
        HrvStatus {
            day: 0,
            rolling_ln: 4.0,
            week_days: 7,
            baseline_ln: 4.1,
            baseline_sd: 0.1,
            baseline_days: 60,
            low: 4.05,
            high: 4.15,
            band,
            explanation: "hrv".to_owned(),
        }
    }

    fn rhr(deviation: f64) -> RestingHrStatus {
        RestingHrStatus {
            day: 0,
            rolling_bpm: 50.0 + deviation,
            week_days: 7,
            baseline_bpm: 50.0,
            baseline_sd: 2.0,
            baseline_days: 60,
            deviation_bpm: deviation,
            elevated: deviation > 3.0,
            explanation: "rhr".to_owned(),
        }
    }

    fn input(
        pmc: Option<PmcPoint>,
        hrv: Option<HrvStatus>,
        rhr: Option<RestingHrStatus>,
    ) -> ReadinessInput {
        ReadinessInput {
            pmc,
            history_days: 90,
            hrv,
            resting_hr: rhr,
            intensity: None,
        }
    }

    #[test]
    fn verdicts() {
        let fresh = assess(&input(pmc(50.0, 10.0), Some(hrv(Band::Within)), None));
        assert_eq!(fresh.verdict, Verdict::Fresh);
        assert_eq!(fresh.drivers, vec![SignalKind::Load]);
        assert!(
            fresh.summary.contains("resting heart rate"),
            "{}",
            fresh.summary
        );

        let productive = assess(&input(
            pmc(50.0, -10.0),
            Some(hrv(Band::Above)),
            Some(rhr(0.0)),
        ));
        assert_eq!(productive.verdict, Verdict::Productive);

        let hrv_low = assess(&input(
            pmc(50.0, -10.0),
            Some(hrv(Band::Below)),
            Some(rhr(1.0)),
        ));
        assert_eq!(hrv_low.verdict, Verdict::Fatigued);
        assert_eq!(hrv_low.drivers, vec![SignalKind::Hrv]);

        let strained = assess(&input(
            pmc(50.0, -30.0),
            Some(hrv(Band::Below)),
            Some(rhr(4.0)),
        ));
        assert_eq!(strained.verdict, Verdict::Strained);
        assert_eq!(
            strained.drivers,
            vec![SignalKind::Load, SignalKind::Hrv, SignalKind::RestingHr]
        );

        let rhr_high = assess(&input(None, None, Some(rhr(9.0))));
        assert_eq!(rhr_high.verdict, Verdict::Fatigued);
        assert_eq!(rhr_high.signals[2].level, Level::Warning);
    }

    #[test]
    fn insufficient_data_says_so() {
        // A short history does not count as load data.
        let mut i = input(pmc(50.0, 10.0), None, None);
        i.history_days = 10;
        let r = assess(&i);
        assert_eq!(r.verdict, Verdict::InsufficientData);
        assert!(r.signals[0].text.contains("at least 28 are needed"));
        // A long history with little recent load (a library whose last run is long past) does
        // not read as "only 5356 days".
        let mut old = input(pmc(3.0, 0.0), None, None);
        old.history_days = 5_356;
        let r = assess(&old);
        assert_eq!(r.verdict, Verdict::InsufficientData);
        assert!(!r.signals[0].text.contains("5356"), "{}", r.signals[0].text);
        assert!(
            r.signals[0].text.contains("Fitness is 3"),
            "{}",
            r.signals[0].text
        );
        // Intensity alone is not enough either.
        i.intensity = Some(Intensity {
            hard_s: 3_000.0,
            total_s: 7_200.0,
        });
        assert_eq!(assess(&i).verdict, Verdict::InsufficientData);
    }

    #[test]
    fn intensity_counts_last_week_only() {
        let runs = [
            RunPoint {
                day: 10,
                duration_s: 3_600.0,
                hard_s: Some(1_800.0),
                ..Default::default()
            },
            RunPoint {
                day: 3,
                duration_s: 3_600.0,
                hard_s: Some(3_600.0),
                ..Default::default()
            },
            RunPoint {
                day: 9,
                duration_s: 3_600.0,
                hard_s: None,
                ..Default::default()
            },
        ];
        let i = intensity_last_week(&runs, 10).unwrap();
        assert_eq!((i.hard_s, i.total_s), (1_800.0, 3_600.0));
        let s = intensity_signal(Some(i));
        assert_eq!(s.level, Level::Caution);
        assert_eq!(intensity_last_week(&runs, 30), None);
    }
}
