//! Steady stretches of a run: even grade-adjusted pace with a settled heart rate, the input of the
//! VO2max estimate from the heart-rate/speed relation ([`crate::models::vo2max::from_segments`]).
//!
//! The run's timer time is cut into blocks of [`BLOCK_S`] seconds (records weighted by the timer
//! seconds they close), each with its mean grade-adjusted speed and heart rate. A stretch grows
//! block by block while each new block's speed stays within [`SPEED_TOLERANCE`] of the stretch's
//! mean and its heart rate within [`HR_TOLERANCE_BPM`] of the stretch's mean; it closes at the
//! first block that does not, or at [`MAX_SEGMENT_S`] (long steady runs give several segments, so
//! a drifting heart rate shows). Heart rate lags a change of pace by a minute or two, so the first
//! [`SETTLE_S`] of each stretch are dropped (except when a stretch continues one closed at the
//! maximum length); what remains counts if it lasts at least [`MIN_SEGMENT_S`].
//!
//! Nothing here depends on the runner's settings: the 65–95 % of HRmax filter is applied when the
//! estimate is made, so stored segments serve any maximum heart rate.

use super::Run;
use crate::models::vo2max::SteadySegment;

/// Block length, timer seconds.
pub const BLOCK_S: f64 = 30.0;
/// A block's speed may differ from its stretch's mean by this fraction.
pub const SPEED_TOLERANCE: f64 = 0.05;
/// A block's heart rate may differ from its stretch's mean by this many bpm.
pub const HR_TOLERANCE_BPM: f64 = 6.0;
/// Heart-rate settling time dropped at the start of a stretch, s.
pub const SETTLE_S: f64 = 60.0;
/// The shortest segment kept, s.
pub const MIN_SEGMENT_S: f64 = 120.0;
/// The longest segment, s.
pub const MAX_SEGMENT_S: f64 = 600.0;

#[derive(Debug, Clone, Copy, Default)]
struct Block {
    speed_s: f64,
    hr_s: f64,
    seconds: f64,
}

impl Block {
    fn speed(&self) -> f64 {
        self.speed_s / self.seconds
    }
    fn hr(&self) -> f64 {
        self.hr_s / self.seconds
    }
    fn add(&mut self, other: &Block) {
        self.speed_s += other.speed_s;
        self.hr_s += other.hr_s;
        self.seconds += other.seconds;
    }
}

/// The steady segments of `run` (see the module documentation); empty without heart rate and
/// speed, or for a run not on foot.
pub fn steady_segments(run: &Run<'_>) -> Vec<SteadySegment> {
    if !super::gap::on_foot(run) {
        return Vec::new();
    }
    let (Some(speed), Some(hr)) = (run.gap_speed(), run.activity.records.heart_rate.as_deref())
    else {
        return Vec::new();
    };
    // Each record's timer seconds are those it closes, since the record before.
    let timer = run.timer_durations();
    // Blocks of timer time with both channels known; a record without one breaks the block.
    let mut blocks: Vec<Option<Block>> = Vec::new();
    let mut current = Block::default();
    for j in run.records_range() {
        let (Some(&w), Some(&v), Some(&h)) = (timer.get(j), speed.get(j), hr.get(j)) else {
            break;
        };
        if w.is_nan() || w <= 0.0 {
            continue;
        }
        let h = f64::from(h);
        if !(v.is_finite() && v > 0.0 && h.is_finite() && h > 0.0) {
            if current.seconds > 0.0 {
                current = Block::default();
            }
            blocks.push(None);
            continue;
        }
        current.add(&Block {
            speed_s: v * w,
            hr_s: h * w,
            seconds: w,
        });
        if current.seconds >= BLOCK_S {
            blocks.push(Some(current));
            current = Block::default();
        }
    }

    let mut out = Vec::new();
    let mut stretch: Vec<Block> = Vec::new();
    let mut continued = false;
    let close = |stretch: &mut Vec<Block>, continued: bool, out: &mut Vec<SteadySegment>| {
        let mut kept = Block::default();
        let mut skipped = 0.0;
        for b in stretch.iter() {
            if !continued && skipped < SETTLE_S {
                skipped += b.seconds;
                continue;
            }
            kept.add(b);
        }
        if kept.seconds >= MIN_SEGMENT_S {
            out.push(SteadySegment {
                speed_mps: kept.speed(),
                hr_bpm: kept.hr(),
                duration_s: kept.seconds,
            });
        }
        stretch.clear();
    };
    for block in blocks {
        let Some(b) = block else {
            close(&mut stretch, continued, &mut out);
            continued = false;
            continue;
        };
        let mut total = Block::default();
        for s in &stretch {
            total.add(s);
        }
        let fits = stretch.is_empty()
            || ((b.speed() - total.speed()).abs() <= SPEED_TOLERANCE * total.speed()
                && (b.hr() - total.hr()).abs() <= HR_TOLERANCE_BPM);
        if !fits {
            close(&mut stretch, continued, &mut out);
            continued = false;
        } else if total.seconds + b.seconds > MAX_SEGMENT_S + SETTLE_S * f64::from(!continued) {
            close(&mut stretch, continued, &mut out);
            continued = true;
        }
        stretch.push(b);
    }
    close(&mut stretch, continued, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Activity, Athlete, Records, Sport};

    /// 1 Hz records: `(seconds, speed m/s, heart rate)` pieces one after the other.
    fn run_of(pieces: &[(u32, f64, f32)]) -> Activity {
        let (mut time, mut speed, mut hr) = (Vec::new(), Vec::new(), Vec::new());
        let mut t = 0.0;
        for &(n, v, h) in pieces {
            for _ in 0..n {
                time.push(t);
                speed.push(v as f32);
                hr.push(h);
                t += 1.0;
            }
        }
        Activity {
            sport: Sport::Running,
            records: Records {
                time,
                speed: Some(speed),
                heart_rate: Some(hr),
                ..Records::default()
            },
            ..Activity::default()
        }
    }

    #[test]
    fn two_paces_give_two_settled_segments() {
        // 5 min at 3 m/s and 140 bpm, then 5 min at 4 m/s and 165 bpm.
        let a = run_of(&[(301, 3.0, 140.0), (300, 4.0, 165.0)]);
        let athlete = Athlete::default();
        let segs = steady_segments(&Run::new(&a, &athlete));
        assert_eq!(segs.len(), 2, "{segs:?}");
        assert!((segs[0].speed_mps - 3.0).abs() < 1e-6);
        assert!((segs[0].hr_bpm - 140.0).abs() < 1e-4);
        // 300 s less the 60 s of settling.
        assert_eq!(segs[0].duration_s, 240.0);
        assert!((segs[1].speed_mps - 4.0).abs() < 1e-6);
        assert_eq!(segs[1].duration_s, 240.0);
    }

    #[test]
    fn long_steady_runs_split_and_uneven_ones_give_nothing() {
        let athlete = Athlete::default();
        let long = run_of(&[(1_861, 3.2, 150.0)]);
        let segs = steady_segments(&Run::new(&long, &athlete));
        let total: f64 = segs.iter().map(|s| s.duration_s).sum();
        assert_eq!(segs.len(), 3, "{segs:?}");
        assert_eq!(total, 1_800.0);
        // Intervals of 30 s fast, 30 s slow: never steady for two minutes.
        let pieces: Vec<(u32, f64, f32)> = (0..20)
            .map(|i| {
                if i % 2 == 0 {
                    (30, 4.5, 170.0)
                } else {
                    (30, 2.5, 130.0)
                }
            })
            .collect();
        let fartlek = run_of(&pieces);
        assert!(steady_segments(&Run::new(&fartlek, &athlete)).is_empty());
        // Not on foot: nothing.
        let mut ride = long.clone();
        ride.sport = Sport::Cycling;
        assert!(steady_segments(&Run::new(&ride, &athlete)).is_empty());
    }
}
