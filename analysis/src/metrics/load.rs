//! Training load from heart rate: Banister's TRIMP and a heart-rate TSS.

use super::{Metric, MetricInfo, MetricValues, Rollup, Run, Unit};

/// The maximum heart rate assumed when the athlete has not set one, bpm: a common value for
/// adult runners (Tanaka's 208 − 0.7 · age gives 190 at 26). The run's own maximum replaces it
/// when higher, so HR reserve is never exceeded by the run itself.
pub const DEFAULT_MAX_HR: f64 = 190.0;

/// The resting heart rate assumed when the athlete has not set one, bpm (the usual adult
/// 60–80 bpm range's lower end, since runners tend to rest low).
pub const DEFAULT_REST_HR: f64 = 60.0;

/// The fraction of heart-rate reserve at lactate threshold assumed by [`HrTss`] when the
/// athlete has no threshold heart rate (the published variant's constant).
pub const THRESHOLD_HRR: f64 = 0.83;

/// The heart-rate anchors a run is measured against.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HrAnchors {
    /// Maximum heart rate, bpm.
    pub max: f64,
    /// Resting heart rate, bpm.
    pub rest: f64,
}

impl HrAnchors {
    /// The athlete's maximum and resting heart rates; for those not set, [`DEFAULT_MAX_HR`] (or
    /// the run's own maximum when higher) and [`DEFAULT_REST_HR`].
    pub fn of(run: &Run<'_>) -> Self {
        super::load_basis::anchors(run.athlete, run.timer_max(&run.activity.records.heart_rate))
    }

    /// Heart-rate reserve used at `hr`: (hr − rest) / (max − rest), unclamped.
    pub fn reserve(&self, hr: f64) -> f64 {
        (hr - self.rest) / (self.max - self.rest)
    }
}

/// Banister's TRIMP (Banister 1991; as in GoldenCheetah's TRIMPPoints): the sum over the run of
/// minutes · HRr · a · e^(b · HRr), HRr being the heart-rate reserve fraction clamped to [0, 1],
/// with a = 0.64, b = 1.92 for men and a = 0.86, b = 1.67 for women ([`Sex`](crate::Sex)). Integrated over the
/// timer time spent at each heart rate ([`load_basis::hr_seconds`](super::load_basis::hr_seconds)),
/// so a run's varying intensity weighs exponentially, not through its average. Anchors from [`HrAnchors::of`].
pub struct Trimp;

static TRIMP: MetricInfo = MetricInfo {
    id: "trimp",
    label: "TRIMP (Banister)",
    description: "Banister's training impulse: minutes weighted by how high the heart rate was between resting and maximum.",
    unit: Unit::Number,
    rollup: Rollup::Sum,
    lower_is_better: false,
    needs: &[],
};

impl Metric for Trimp {
    fn info(&self) -> &'static MetricInfo {
        &TRIMP
    }

    fn compute(&self, run: &Run<'_>, _: &MetricValues) -> Option<f64> {
        // Through the run's heart-rate histogram, as a stored basis recomputes it.
        super::load_basis::trimp(
            &super::load_basis::hr_seconds(run),
            HrAnchors::of(run),
            run.athlete.sex,
        )
    }
}

/// A heart-rate Training Stress Score: hours · (HRR / HRR_threshold)² · 100, HRR being the
/// reserve fraction at the run's average heart rate and HRR_threshold that at the athlete's
/// threshold heart rate, or [`THRESHOLD_HRR`] (0.83) when not set; an hour at threshold scores
/// 100. Hours are timer time; anchors from [`HrAnchors::of`].
pub struct HrTss;

static HRTSS: MetricInfo = MetricInfo {
    id: "hrtss",
    label: "hrTSS",
    description: "Training stress from heart rate: an hour at threshold heart rate is 100.",
    unit: Unit::Number,
    rollup: Rollup::Sum,
    lower_is_better: false,
    needs: &["timer_s", "avg_hr"],
};

impl Metric for HrTss {
    fn info(&self) -> &'static MetricInfo {
        &HRTSS
    }

    fn compute(&self, run: &Run<'_>, m: &MetricValues) -> Option<f64> {
        super::load_basis::hrtss(
            m.get("timer_s")?,
            m.get("avg_hr")?,
            HrAnchors::of(run),
            run.athlete.threshold_hr,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::compute_all;
    use crate::{Activity, Athlete, Records, Sex};

    /// `minutes` at a constant heart rate, 1 Hz.
    fn steady(minutes: u32, hr: f32) -> Activity {
        let n = minutes * 60;
        Activity {
            records: Records {
                time: (0..=n).map(f64::from).collect(),
                heart_rate: Some(vec![hr; n as usize + 1]),
                ..Records::default()
            },
            ..Activity::default()
        }
    }

    fn round1(v: Option<f64>) -> Option<f64> {
        v.map(|v| (v * 10.0).round() / 10.0)
    }

    #[test]
    fn banister_trimp_published_value() {
        // ALGORITHMS.md (Banister 1991): 30 min at 130 bpm, max 200, rest 40 -> 31.8.
        let a = steady(30, 130.0);
        let mut athlete = Athlete {
            max_hr: Some(200.0),
            rest_hr: Some(40.0),
            ..Athlete::default()
        };
        let m = compute_all(&Run::new(&a, &athlete));
        assert_eq!(round1(m.get("trimp")), Some(31.8));
        // Women's constants: 30 · 0.5625 · 0.86 · e^(1.67 · 0.5625) = 37.1.
        athlete.sex = Sex::Female;
        let m = compute_all(&Run::new(&a, &athlete));
        assert_eq!(round1(m.get("trimp")), Some(37.1));
    }

    #[test]
    fn hrtss_published_value() {
        // ALGORITHMS.md: rest 45, max 185, average 155, 2 h -> ≈179 (179.2).
        let a = steady(120, 155.0);
        let mut athlete = Athlete {
            max_hr: Some(185.0),
            rest_hr: Some(45.0),
            ..Athlete::default()
        };
        let m = compute_all(&Run::new(&a, &athlete));
        assert_eq!(round1(m.get("hrtss")), Some(179.2));
        // With a threshold heart rate set, an hour at threshold is 100.
        athlete.threshold_hr = Some(155.0);
        let m = compute_all(&Run::new(&a, &athlete));
        assert_eq!(round1(m.get("hrtss")), Some(200.0));
    }

    #[test]
    fn defaults_when_the_athlete_has_no_anchors() {
        let a = steady(10, 150.0);
        let athlete = Athlete::default();
        let run = Run::new(&a, &athlete);
        assert_eq!(
            HrAnchors::of(&run),
            HrAnchors {
                max: DEFAULT_MAX_HR,
                rest: DEFAULT_REST_HR
            }
        );
        // A run above the default maximum raises it.
        let a = steady(10, 201.0);
        assert_eq!(HrAnchors::of(&Run::new(&a, &athlete)).max, 201.0);
        // No heart rate, no load.
        let empty = Activity::default();
        let m = compute_all(&Run::new(&empty, &athlete));
        assert_eq!((m.get("trimp"), m.get("hrtss")), (None, None));
    }
}
