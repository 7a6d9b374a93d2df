//! Figures of parts of a run (splits, laps), computed from the records in one O(n) pass.
//!
//! A part is a window `[lo, hi)` of a coordinate that grows along the run: the distance for
//! splits, the time for laps. Each stretch a record holds (see `metrics::run::holds`) is cut at
//! window edges in proportion to the coordinate, so a split's time is interpolated to the metre
//! and the parts add up to the whole.

use serde::{Deserialize, Serialize};

use crate::metrics::Run;
use crate::metrics::elevation::{ASCENT_BAND_M, Hysteresis};
use crate::metrics::run::holds;

/// What Stride computed from the records for one part of a run (a split or a lap).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// Distance, metres.
    pub distance_m: f64,
    /// Wall-clock duration, seconds.
    pub elapsed_s: f64,
    /// Timer time (pauses excluded), seconds.
    pub timer_s: f64,
    /// Distance over timer time, m/s.
    pub avg_speed_mps: Option<f64>,
    /// Time-weighted average heart rate over timer time, bpm.
    pub avg_hr: Option<f64>,
    /// Highest heart rate in timer time, bpm.
    pub max_hr: Option<f64>,
    /// Time-weighted average cadence over timer time (steps/min on foot), zeros included.
    pub avg_cadence_spm: Option<f64>,
    /// Elevation gain, metres (the run's hysteresis, attributed where it happens).
    pub ascent_m: Option<f64>,
    /// Elevation loss, metres.
    pub descent_m: Option<f64>,
}

/// Running sums for one window.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    distance: f64,
    elapsed: f64,
    timer: f64,
    hr: (f64, f64),
    cadence: (f64, f64),
    max_hr: Option<f64>,
    ascent: f64,
    descent: f64,
}

impl Sums {
    fn add_value(pair: &mut (f64, f64), v: Option<f32>, w: f64, skip_zero: bool) {
        if let Some(v) = v
            && v.is_finite()
            && w > 0.0
            && !(skip_zero && v == 0.0)
        {
            pair.0 += f64::from(v) * w;
            pair.1 += w;
        }
    }

    fn mean(pair: (f64, f64)) -> Option<f64> {
        (pair.1 > 0.0).then(|| pair.0 / pair.1)
    }
}

/// Finds windows (sorted, disjoint) for coordinates that mostly grow, remembering where the
/// last one was: O(1) per lookup along a run, a binary search when the coordinate jumps.
struct Finder<'w> {
    windows: &'w [(f64, f64)],
    hint: usize,
}

impl<'w> Finder<'w> {
    fn new(windows: &'w [(f64, f64)]) -> Self {
        Self { windows, hint: 0 }
    }

    /// The index of the first window ending after `c` (`windows.len()` if none).
    fn first_ending_after(&mut self, c: f64) -> usize {
        let w = self.windows;
        let fits = |k: usize| (k == 0 || w[k - 1].1 <= c) && (k == w.len() || w[k].1 > c);
        if !fits(self.hint) {
            self.hint = if self.hint < w.len() && fits(self.hint + 1) {
                self.hint + 1
            } else {
                w.partition_point(|win| win.1 <= c)
            };
        }
        self.hint
    }

    /// The index of the window containing `c`.
    fn window_of(&mut self, c: f64) -> Option<usize> {
        let k = self.first_ending_after(c);
        self.windows.get(k).filter(|w| w.0 <= c).map(|_| k)
    }
}

/// Which coordinate the windows are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Axis {
    /// Metres from the run's start ([`Run::distance_series`]).
    Distance,
    /// UTC seconds.
    Time,
}

/// The figures of each window of `axis` over the run. Windows must be sorted and disjoint;
/// records outside every window count nowhere. Empty when the axis is distance and the run has
/// none.
pub(crate) fn segments(run: &Run<'_>, axis: Axis, windows: &[(f64, f64)]) -> Vec<Segment> {
    let times = run.times();
    let distance = run.distance_series();
    let coord: &[f64] = match axis {
        Axis::Distance => match distance {
            Some(d) => d,
            None => return Vec::new(),
        },
        Axis::Time => times,
    };
    let r = &run.activity.records;
    let hr = run.column(&r.heart_rate);
    let cadence = run.column(&r.cadence);
    let altitude = run.column(&r.altitude);
    let timeline = run.timeline();
    let mut sums = vec![Sums::default(); windows.len()];
    let mut finder = Finder::new(windows);

    // The distance the counter already showed at the first record (covered before it) belongs
    // to the part the run starts in.
    if let (Some(d), Some(f)) = (distance, times.iter().position(|t| t.is_finite())) {
        let t0 = times[f];
        let last = (f..times.len())
            .take_while(|&j| times[j] == t0 || !times[j].is_finite())
            .filter(|&j| times[j] == t0)
            .last()
            .unwrap_or(f);
        let c = match axis {
            Axis::Distance => d[last],
            Axis::Time => t0,
        };
        if let Some(k) = finder.window_of(c) {
            sums[k].distance += d[last];
        }
    }

    for h in holds(times) {
        let w = timeline.weight[h.group.first];
        let elapsed = h.to - h.from;
        let dd = distance.map_or(0.0, |d| d[h.next.last] - d[h.group.last]);
        let (c0, c1) = match axis {
            Axis::Distance => (coord[h.group.last], coord[h.next.last]),
            Axis::Time => (h.from, h.to),
        };
        // The last value of each channel in the holding second.
        let last = |c: Option<&[f32]>| {
            let c = c?;
            h.group
                .records(times)
                .rev()
                .map(|j| c[j])
                .find(|v| v.is_finite())
        };
        let (last_hr, last_cadence) = (last(hr), last(cadence));
        let mut add = |k: usize, f: f64| {
            let s = &mut sums[k];
            s.distance += dd * f;
            s.elapsed += elapsed * f;
            s.timer += w * f;
            Sums::add_value(&mut s.hr, last_hr, w * f, true);
            Sums::add_value(&mut s.cadence, last_cadence, w * f, false);
        };
        if c1 > c0 {
            let first = finder.first_ending_after(c0);
            for (k, win) in windows.iter().enumerate().skip(first) {
                if win.0 >= c1 {
                    break;
                }
                let f = (win.1.min(c1) - win.0.max(c0)) / (c1 - c0);
                if f > 0.0 {
                    add(k, f);
                }
            }
        } else if let Some(k) = finder.window_of(c0) {
            add(k, 1.0);
        }
    }

    // Per record: the highest heart rate and the climbs, where they happen.
    let mut hysteresis = Hysteresis::new(ASCENT_BAND_M);
    let mut finder = Finder::new(windows);
    for (j, &keep) in timeline.in_timer.iter().enumerate() {
        if !keep {
            continue;
        }
        let Some(k) = finder.window_of(coord[j]) else {
            if let Some(a) = altitude.map(|a| a[j]) {
                hysteresis.push(f64::from(a));
            }
            continue;
        };
        let s = &mut sums[k];
        if let Some(&v) = hr
            .and_then(|c| c.get(j))
            .filter(|v| v.is_finite() && **v > 0.0)
        {
            s.max_hr = Some(s.max_hr.map_or(f64::from(v), |m| m.max(f64::from(v))));
        }
        if let Some(a) = altitude.map(|a| a[j]) {
            let (up, down) = hysteresis.push(f64::from(a));
            s.ascent += up;
            s.descent += down;
        }
    }

    let has_altitude = altitude.is_some_and(|a| a.iter().any(|v| v.is_finite()));
    sums.into_iter()
        .map(|s| Segment {
            distance_m: s.distance,
            elapsed_s: s.elapsed,
            timer_s: s.timer,
            avg_speed_mps: (s.timer > 0.0 && distance.is_some()).then(|| s.distance / s.timer),
            avg_hr: Sums::mean(s.hr),
            max_hr: s.max_hr,
            avg_cadence_spm: Sums::mean(s.cadence),
            ascent_m: has_altitude.then_some(s.ascent),
            descent_m: has_altitude.then_some(s.descent),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_lookup_in_any_order() {
        let w = [(0.0, 10.0), (10.0, 20.0), (30.0, f64::INFINITY)];
        let mut f = Finder::new(&w);
        assert_eq!(f.window_of(0.0), Some(0));
        assert_eq!(f.window_of(10.0), Some(1));
        assert_eq!(f.window_of(25.0), None);
        assert_eq!(f.window_of(1e9), Some(2));
        assert_eq!(f.window_of(-1.0), None);
        assert_eq!(f.window_of(15.0), Some(1));
        assert_eq!(f.first_ending_after(35.0), 2);
        assert_eq!(Finder::new(&[]).window_of(1.0), None);
    }
}
