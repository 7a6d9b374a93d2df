//! Best efforts: the fastest time over each standard distance found anywhere inside a run.
//!
//! Between two records the distance is taken to grow linearly in time, so the time at any
//! distance is interpolated. The fastest stretch of a piecewise-linear distance then starts or
//! ends at a record, so two two-pointer passes (start at each record, end interpolated; end at
//! each record, start interpolated) find it exactly in O(n) per distance. Times are timer times,
//! as the run's own time is: a stop with the timer running counts, a pause of the timer does not
//! (else a treadmill run paused twice showed a best 10 km slower than its whole 10.6 km).

use serde::{Deserialize, Serialize};

use super::run::overlap;
use super::{Metric, MetricInfo, MetricValues, Rollup, Run, Unit};
use crate::units::METERS_PER_MILE;

/// A standard distance best efforts are searched for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StandardDistance {
    /// The id of its metric, e.g. `best_5000m_s`.
    pub id: &'static str,
    /// The display label, e.g. "5 km".
    pub label: &'static str,
    /// The distance in metres.
    pub meters: f64,
}

const fn standard(id: &'static str, label: &'static str, meters: f64) -> StandardDistance {
    StandardDistance { id, label, meters }
}

/// The distances searched, shortest first: 400 m to the marathon (42,195 m; the half is
/// 21,097.5 m).
pub const STANDARD_DISTANCES: [StandardDistance; 10] = [
    standard("best_400m_s", "400 m", 400.0),
    standard("best_1000m_s", "1 km", 1_000.0),
    standard("best_mile_s", "1 mile", METERS_PER_MILE),
    standard("best_5000m_s", "5 km", 5_000.0),
    standard("best_10000m_s", "10 km", 10_000.0),
    standard("best_15000m_s", "15 km", 15_000.0),
    standard("best_10mile_s", "10 miles", 10.0 * METERS_PER_MILE),
    standard("best_half_marathon_s", "Half marathon", 21_097.5),
    standard("best_30000m_s", "30 km", 30_000.0),
    standard("best_marathon_s", "Marathon", 42_195.0),
];

/// The fastest stretch of one distance inside a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BestEffort {
    /// The metric id of the distance, e.g. `best_5000m_s`.
    pub id: String,
    /// The display label, e.g. "5 km".
    pub label: String,
    /// The distance, metres.
    pub distance_m: f64,
    /// The timer time over it, seconds.
    pub time_s: f64,
    /// Where it starts: timer seconds after the run's first record (the charts' time axis).
    pub start_offset_s: f64,
    /// Where it ends: timer seconds after the run's first record.
    pub end_offset_s: f64,
    /// Where it starts: metres into the run.
    pub start_distance_m: f64,
}

/// The fastest stretch of `length` metres over samples `(time, distance)` with increasing times
/// and non-decreasing distances: `(start time, end time, start distance)`. `None` when the
/// samples cover less than `length`.
///
/// ```
/// use analysis::metrics::best_efforts::fastest;
/// // 1 km in 300 s, then 1 km in 240 s: the fastest 1 km is the second.
/// let samples = [(0.0, 0.0), (300.0, 1000.0), (540.0, 2000.0)];
/// assert_eq!(fastest(&samples, 1000.0), Some((300.0, 540.0, 1000.0)));
/// assert_eq!(fastest(&samples, 5000.0), None);
/// ```
pub fn fastest(samples: &[(f64, f64)], length: f64) -> Option<(f64, f64, f64)> {
    fastest_with(samples, &paces(samples), length)
}

/// The seconds per metre of each stretch between two samples (0 where the distance does not
/// grow), so the searches of every distance multiply instead of divide.
fn paces(samples: &[(f64, f64)]) -> Vec<f64> {
    samples
        .windows(2)
        .map(|w| {
            let dd = w[1].1 - w[0].1;
            if dd > 0.0 {
                (w[1].0 - w[0].0) / dd
            } else {
                0.0
            }
        })
        .collect()
}

/// [`fastest`] with the stretches' [`paces`] computed once.
fn fastest_with(samples: &[(f64, f64)], pace: &[f64], length: f64) -> Option<(f64, f64, f64)> {
    let n = samples.len();
    if n < 2 || length.is_nan() || length <= 0.0 || samples[n - 1].1 - samples[0].1 < length {
        return None;
    }
    let mut best = (f64::INFINITY, 0.0, 0.0, 0.0);
    // Start at a record, end interpolated: j is the first record at or past `start + length`.
    let mut j = 0;
    for &(t, d) in samples {
        let goal = d + length;
        while j < n && samples[j].1 < goal {
            j += 1;
        }
        if j == n {
            break;
        }
        if j == 0 {
            // The goal lies at or before the first record: only where the distance goes back.
            continue;
        }
        let (t0, d0) = samples[j - 1];
        let end = t0 + (goal - d0) * pace[j - 1];
        if end - t < best.0 {
            best = (end - t, t, end, d);
        }
    }
    // End at a record, start interpolated: i is the last record at or before `end - length`.
    let mut i = 0;
    let first = samples[0].1;
    for &(t, d) in samples {
        let goal = d - length;
        if goal < first {
            continue;
        }
        while i + 1 < n && samples[i + 1].1 <= goal {
            i += 1;
        }
        let (t0, d0) = samples[i];
        let start = if i + 1 < n {
            t0 + (goal - d0) * pace[i]
        } else {
            t0
        };
        if t - start < best.0 {
            best = (t - start, start, t, goal);
        }
    }
    best.0.is_finite().then_some((best.1, best.2, best.3))
}

impl Run<'_> {
    /// The run's best efforts over [`STANDARD_DISTANCES`] it covers, shortest first; empty
    /// without distance. Computed once per run.
    pub fn best_efforts(&self) -> &[BestEffort] {
        self.best_efforts.get_or_init(|| {
            let Some(distance) = self.distance_series() else {
                return Vec::new();
            };
            // One sample per timer second, the latest distance of it; records going back in
            // time (damaged files) are skipped. The clock stands still while the timer is
            // paused, so a pause inside a stretch costs nothing, as in the run's timer time.
            let intervals = &self.timeline().intervals;
            let mut samples: Vec<(f64, f64)> = Vec::with_capacity(distance.len());
            let mut previous: Option<f64> = None;
            let mut clock = 0.0;
            for (&t, &d) in self.times().iter().zip(distance) {
                if !t.is_finite() || previous.is_some_and(|p| t < p) {
                    continue;
                }
                if let Some(p) = previous {
                    clock += overlap(intervals, p, t);
                }
                previous = Some(t);
                match samples.last_mut() {
                    Some(last) if clock == last.0 => last.1 = d,
                    _ => samples.push((clock, d)),
                }
            }
            let Some(&(t0, _)) = samples.first() else {
                return Vec::new();
            };
            let pace = paces(&samples);
            STANDARD_DISTANCES
                .iter()
                .filter_map(|s| {
                    let (start, end, at) = fastest_with(&samples, &pace, s.meters)?;
                    Some(BestEffort {
                        id: s.id.to_owned(),
                        label: s.label.to_owned(),
                        distance_m: s.meters,
                        time_s: end - start,
                        start_offset_s: start - t0,
                        end_offset_s: end - t0,
                        start_distance_m: at,
                    })
                })
                .collect()
        })
    }
}

/// The best-effort time over one of [`STANDARD_DISTANCES`], as a metric (`best_5000m_s`, …);
/// absent when the run is shorter.
pub struct BestTime(pub usize);

const fn best_info(s: StandardDistance) -> MetricInfo {
    MetricInfo {
        id: s.id,
        label: s.label,
        description: "The fastest time over this distance inside the run, on the timer (a pause \
                      inside the stretch does not count).",
        unit: Unit::Seconds,
        rollup: Rollup::Min,
        lower_is_better: true,
        needs: &[],
    }
}

static INFOS: [MetricInfo; 10] = {
    let d = STANDARD_DISTANCES;
    [
        best_info(d[0]),
        best_info(d[1]),
        best_info(d[2]),
        best_info(d[3]),
        best_info(d[4]),
        best_info(d[5]),
        best_info(d[6]),
        best_info(d[7]),
        best_info(d[8]),
        best_info(d[9]),
    ]
};

impl Metric for BestTime {
    fn info(&self) -> &'static MetricInfo {
        &INFOS[self.0]
    }

    fn compute(&self, run: &Run<'_>, _: &MetricValues) -> Option<f64> {
        let id = STANDARD_DISTANCES[self.0].id;
        run.best_efforts()
            .iter()
            .find(|b| b.id == id)
            .map(|b| b.time_s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::compute_all;
    use crate::{Activity, Athlete, Records};

    #[test]
    fn an_unknown_first_distance_gives_no_effort_from_it_and_no_panic() {
        // Found by series_properties: a NaN first distance left the end search at the first
        // record. The rest still counts: 0 -> 500 m in 2 s at one pace, so 100 m takes 0.4 s
        // (the last such stretch is kept: 400 -> 500 m).
        let samples = [(0.0, f64::NAN), (1.0, 0.0), (3.0, 500.0)];
        let (start, end, at) = fastest_with(&samples, &paces(&samples), 100.0).unwrap();
        assert!((end - start - 0.4).abs() < 1e-9, "{start} .. {end}");
        assert_eq!((end, at), (3.0, 400.0));
    }

    /// A 1 Hz run of (seconds, speed) stretches.
    fn run(stretches: &[(u32, f64)]) -> Activity {
        let mut time = vec![0.0];
        let mut distance = vec![0.0];
        let mut t = 0.0;
        let mut d = 0.0;
        for &(secs, speed) in stretches {
            for _ in 0..secs {
                t += 1.0;
                d += speed;
                time.push(t);
                distance.push(d);
            }
        }
        Activity {
            records: Records {
                time,
                distance: Some(distance),
                ..Records::default()
            },
            ..Activity::default()
        }
    }

    #[test]
    fn finds_the_fast_stretch_inside_a_run() {
        // 10 min warm-up at 3 m/s (1,800 m), 5 km at 5 m/s (1,000 s), 10 min at 3 m/s.
        let a = run(&[(600, 3.0), (1000, 5.0), (600, 3.0)]);
        let athlete = Athlete::default();
        let r = Run::new(&a, &athlete);
        let best = r.best_efforts();
        let five = best.iter().find(|b| b.id == "best_5000m_s").unwrap();
        assert_eq!(five.time_s, 1000.0);
        assert_eq!((five.start_offset_s, five.end_offset_s), (600.0, 1600.0));
        assert_eq!(five.start_distance_m, 1800.0);
        let km = best.iter().find(|b| b.id == "best_1000m_s").unwrap();
        assert_eq!(km.time_s, 200.0);
        // The mile straddles nothing slower: 1609.344 / 5.
        let mile = best.iter().find(|b| b.id == "best_mile_s").unwrap();
        assert!((mile.time_s - METERS_PER_MILE / 5.0).abs() < 1e-9);
        // 8,600 m in all: up to 5 km, no 10 km.
        assert_eq!(best.len(), 4);
        let m = compute_all(&r);
        assert_eq!(m.get("best_5000m_s"), Some(1000.0));
        assert_eq!(m.get("best_10000m_s"), None);
    }

    #[test]
    fn interpolates_between_sparse_records() {
        // 400 m: records 10 s apart; the fastest 400 m straddles the change of pace.
        // 0-100 s at 3 m/s, then 100-200 s at 6 m/s.
        let samples: Vec<(f64, f64)> = (0..=20)
            .map(|k| {
                let t = f64::from(k) * 10.0;
                let d = if t <= 100.0 {
                    3.0 * t
                } else {
                    300.0 + 6.0 * (t - 100.0)
                };
                (t, d)
            })
            .collect();
        let (start, end, _) = fastest(&samples, 400.0).unwrap();
        assert!((end - start - 400.0 / 6.0).abs() < 1e-9, "{}", end - start);
        // Exactly the run's length: the whole run.
        assert_eq!(fastest(&samples, 900.0), Some((0.0, 200.0, 0.0)));
    }

    #[test]
    fn a_paused_timer_does_not_count() {
        // 400 m at 4 m/s, the timer paused for 60 s (no records), 400 m at 4 m/s: the 800 m
        // take 200 timer seconds, and the best 400 m anywhere is 100 s.
        let mut a = run(&[(100, 4.0)]);
        let (t, d) = (100.0, 400.0);
        for k in 1..=100 {
            a.records.time.push(t + 60.0 + f64::from(k));
            a.records
                .distance
                .as_mut()
                .unwrap()
                .push(d + 4.0 * f64::from(k));
        }
        let timer = |time: f64, event_type: u8| crate::Event {
            time: Some(time),
            event: Some(0),
            event_type: Some(event_type),
            data: None,
        };
        a.events = vec![
            timer(0.0, 0),
            timer(100.0, 4),
            timer(160.0, 0),
            timer(260.0, 4),
        ];
        let athlete = Athlete::default();
        let r = Run::new(&a, &athlete);
        assert_eq!(compute_all(&r).get("timer_s"), Some(200.0));
        let best = r.best_efforts();
        assert_eq!(best.len(), 1);
        assert_eq!(best[0].time_s, 100.0);
        // 600 m straddles the pause: 150 timer seconds, not 210 on the wall clock.
        let samples: Vec<(f64, f64)> = (0..=200)
            .map(|k| (f64::from(k), 4.0 * f64::from(k)))
            .collect();
        assert_eq!(fastest(&samples, 600.0).map(|(s, e, _)| e - s), Some(150.0));
    }

    #[test]
    fn a_stop_inside_counts() {
        // 400 m at 4 m/s with a 20 s stop in the middle: 120 s.
        let a = run(&[(50, 4.0), (20, 0.0), (50, 4.0)]);
        let athlete = Athlete::default();
        let best = Run::new(&a, &athlete).best_efforts().to_vec();
        assert_eq!(best.len(), 1);
        assert_eq!(best[0].time_s, 120.0);
    }
}
