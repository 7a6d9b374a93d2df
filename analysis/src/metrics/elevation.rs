//! Elevation gain and loss, with hysteresis.
//!
//! Altitude samples are noisy (a barometer by ±0.5 m from wind and temperature, GPS by several
//! metres), and summing every small rise counts noise as climbing. [`Hysteresis`] counts a climb
//! or a descent only once the altitude has moved
//! [`ASCENT_BAND_M`](crate::metrics::elevation::ASCENT_BAND_M) away from the last turning point,
//! and then counts it in full. Only samples taken in timer time count. The records hold
//! one altitude column (FIT `enhanced_altitude`, else `altitude`), barometric on most watches
//! that have a barometer; Stride cannot tell it from GPS elevation, so one band serves both.

use super::{Metric, MetricInfo, MetricValues, Rollup, Run, Unit};

/// The dead band, in metres: a reversal smaller than this is noise. Chosen on the corpus against
/// the devices' own totals (20 running sessions with more than 10 m of device ascent): bands of
/// 2 / 3 / 4 / 5 m miss them by 12.7 / 8.2 / 7.4 / 10.6 % on average (worst 72 / 16 / 16 / 44 %);
/// smoothing the altitude first over 5–30 s did not do better than 4 m alone. Clean barometric
/// files (Forerunner 955) would like 2 m, GPS-only altitude (Forerunner 920XT) 4–5 m.
/// tests/device_summaries.rs prints the comparison.
pub const ASCENT_BAND_M: f64 = 4.0;

/// Elevation gain and loss of an altitude stream, counted with a dead band.
///
/// The state is the current direction and the extreme reached in it. Going up, each new high adds
/// to the gain at once; a drop of `band` below the high turns the direction and adds the whole
/// drop to the loss (and the other way round). So every swing larger than the band counts in
/// full, noise inside it counts nothing, and the gain can be attributed sample by sample (to
/// splits and laps) with the parts adding up to the total.
///
/// ```
/// use analysis::metrics::elevation::Hysteresis;
/// let mut h = Hysteresis::new(3.0);
/// let mut up = 0.0;
/// for a in [100.0, 101.0, 100.0, 104.0, 110.0, 109.0, 110.0] {
///     up += h.push(a).0;
/// }
/// assert_eq!(up, 10.0); // 100 -> 110; the 1 m wiggles are noise
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Hysteresis {
    band: f64,
    /// -1 descending, 0 not yet known, 1 climbing.
    direction: i8,
    low: f64,
    high: f64,
}

impl Hysteresis {
    /// A counter with a dead band of `band` metres.
    pub fn new(band: f64) -> Self {
        Self {
            band,
            direction: 0,
            low: f64::NAN,
            high: f64::NAN,
        }
    }

    /// Feeds one altitude sample (metres; `NaN` is ignored) and returns the gain and loss it
    /// completes, both ≥ 0.
    pub fn push(&mut self, altitude: f64) -> (f64, f64) {
        let a = altitude;
        if !a.is_finite() {
            return (0.0, 0.0);
        }
        if self.low.is_nan() {
            self.low = a;
            self.high = a;
            return (0.0, 0.0);
        }
        match self.direction {
            1 if a > self.high => {
                let up = a - self.high;
                self.high = a;
                (up, 0.0)
            }
            1 if self.high - a >= self.band => {
                let down = self.high - a;
                self.direction = -1;
                self.low = a;
                (0.0, down)
            }
            -1 if a < self.low => {
                let down = self.low - a;
                self.low = a;
                (0.0, down)
            }
            -1 if a - self.low >= self.band => {
                let up = a - self.low;
                self.direction = 1;
                self.high = a;
                (up, 0.0)
            }
            0 if a - self.low >= self.band => {
                let up = a - self.low;
                self.direction = 1;
                self.high = a;
                (up, 0.0)
            }
            0 if self.high - a >= self.band => {
                let down = self.high - a;
                self.direction = -1;
                self.low = a;
                (0.0, down)
            }
            0 => {
                self.low = self.low.min(a);
                self.high = self.high.max(a);
                (0.0, 0.0)
            }
            _ => (0.0, 0.0),
        }
    }
}

/// The total gain and loss over the run's timer-time altitude samples; `None` without altitude.
fn gain_loss(run: &Run<'_>) -> Option<(f64, f64)> {
    let altitude = run.column(&run.activity.records.altitude)?;
    let in_timer = &run.timeline().in_timer;
    let mut h = Hysteresis::new(ASCENT_BAND_M);
    let (mut up, mut down, mut any) = (0.0, 0.0, false);
    for (&a, _) in altitude
        .iter()
        .zip(in_timer)
        .filter(|&(a, &k)| k && a.is_finite())
    {
        let (u, d) = h.push(f64::from(a));
        up += u;
        down += d;
        any = true;
    }
    any.then_some((up, down))
}

/// Elevation gain in metres ([`Hysteresis`] with [`ASCENT_BAND_M`]); the device's session
/// `total_ascent` when the records have no altitude.
pub struct Ascent;

static ASCENT: MetricInfo = MetricInfo {
    id: "ascent_m",
    label: "Ascent",
    description: "Metres climbed, from the altitude with its noise smoothed out.",
    unit: Unit::Meters,
    rollup: Rollup::Sum,
    lower_is_better: false,
    needs: &[],
};

impl Metric for Ascent {
    fn info(&self) -> &'static MetricInfo {
        &ASCENT
    }

    fn compute(&self, run: &Run<'_>, _: &MetricValues) -> Option<f64> {
        match gain_loss(run) {
            Some((up, _)) => Some(up),
            None => run.summary_sum(|s| s.total_ascent),
        }
    }
}

/// Elevation loss in metres ([`Hysteresis`] with [`ASCENT_BAND_M`]); the device's session
/// `total_descent` when the records have no altitude.
pub struct Descent;

static DESCENT: MetricInfo = MetricInfo {
    id: "descent_m",
    label: "Descent",
    description: "Metres descended, from the altitude with its noise smoothed out.",
    unit: Unit::Meters,
    rollup: Rollup::Sum,
    lower_is_better: false,
    needs: &[],
};

impl Metric for Descent {
    fn info(&self) -> &'static MetricInfo {
        &DESCENT
    }

    fn compute(&self, run: &Run<'_>, _: &MetricValues) -> Option<f64> {
        match gain_loss(run) {
            Some((_, down)) => Some(down),
            None => run.summary_sum(|s| s.total_descent),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::compute_all;
    use crate::{Activity, Athlete, Records};

    /// A deterministic pseudo-random number in [-1, 1) (a 64-bit LCG), so the test is repeatable.
    fn noise(state: &mut u64) -> f64 {
        *state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((*state >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
    }

    #[test]
    fn noisy_sine_counts_the_hills_not_the_noise() {
        // Five periods of a sine of amplitude 10 m (period 600 s) at 1 Hz, plus ±1 m noise. From
        // the middle: up 10, four times down 20 and up 20, down 20, up 10: 100 m each way.
        // Summing every rise would count the noise as well (≈ 1,000 m more).
        let mut seed = 42;
        let n = 3000;
        let altitude: Vec<f32> = (0..=n)
            .map(|i| {
                let t = f64::from(i);
                (100.0 + 10.0 * (t * std::f64::consts::TAU / 600.0).sin() + noise(&mut seed)) as f32
            })
            .collect();
        let naive: f64 = altitude
            .windows(2)
            .map(|w| f64::from((w[1] - w[0]).max(0.0)))
            .sum();
        let a = Activity {
            records: Records {
                time: (0..=n).map(f64::from).collect(),
                altitude: Some(altitude),
                ..Records::default()
            },
            ..Activity::default()
        };
        let m = compute_all(&Run::new(&a, &Athlete::default()));
        let (up, down) = (m.get("ascent_m").unwrap(), m.get("descent_m").unwrap());
        // The noise at each of the 10 turning points can stretch a swing by up to 1 m.
        assert!((100.0..=110.0).contains(&up), "ascent {up}");
        assert!((100.0..=110.0).contains(&down), "descent {down}");
        assert!(
            naive > 500.0,
            "the naive sum {naive} would have counted the noise"
        );
    }

    #[test]
    fn small_wiggles_count_nothing() {
        let mut h = Hysteresis::new(3.0);
        let total: (f64, f64) = [10.0, 12.0, 10.5, 12.9, 10.0, f64::NAN, 11.0]
            .into_iter()
            .map(|a| h.push(a))
            .fold((0.0, 0.0), |acc, x| (acc.0 + x.0, acc.1 + x.1));
        assert_eq!(total, (0.0, 0.0));
        // A descent first, then a climb.
        let mut h = Hysteresis::new(3.0);
        let parts: Vec<(f64, f64)> = [50.0, 46.0, 45.0, 49.0]
            .into_iter()
            .map(|a| h.push(a))
            .collect();
        assert_eq!(parts, vec![(0.0, 0.0), (0.0, 4.0), (0.0, 1.0), (4.0, 0.0)]);
    }
}
