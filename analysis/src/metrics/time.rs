//! Durations: elapsed (wall clock), timer (pauses excluded) and moving time.

use super::run::MOVING_SPEED_MPS;
use super::{Metric, MetricInfo, MetricValues, Rollup, Run, Unit};

/// Wall-clock duration, pauses included: from the run's first record to its last. Falls back to
/// the device's `total_elapsed_time` only for a file without timed records.
pub struct ElapsedTime;

static ELAPSED: MetricInfo = MetricInfo {
    id: "elapsed_s",
    label: "Elapsed time",
    description: "From start to finish on the clock, pauses included.",
    unit: Unit::Seconds,
    rollup: Rollup::Sum,
    lower_is_better: false,
    needs: &[],
};

impl Metric for ElapsedTime {
    fn info(&self) -> &'static MetricInfo {
        &ELAPSED
    }

    fn compute(&self, run: &Run<'_>, _: &MetricValues) -> Option<f64> {
        let times = run.times();
        let first = times.iter().copied().find(|t| t.is_finite());
        let last = times.iter().rev().copied().find(|t| t.is_finite());
        match (first, last) {
            (Some(a), Some(b)) => Some(b - a),
            _ => run.summary_sum(|s| s.total_elapsed_time),
        }
    }
}

/// Timer time, pauses excluded: the time between the file's timer start and stop events (auto
/// and manual pauses) within the run's records. A file without timer events is taken to pause at
/// every gap between records longer than [`PAUSE_GAP_S`](super::run::PAUSE_GAP_S) seconds. Falls back to the device's
/// `total_timer_time` only for a file without timed records.
pub struct TimerTime;

static TIMER: MetricInfo = MetricInfo {
    id: "timer_s",
    label: "Timer time",
    description: "The time the timer ran: pauses left out, as the watch counts it.",
    unit: Unit::Seconds,
    rollup: Rollup::Sum,
    lower_is_better: false,
    needs: &[],
};

impl Metric for TimerTime {
    fn info(&self) -> &'static MetricInfo {
        &TIMER
    }

    fn compute(&self, run: &Run<'_>, _: &MetricValues) -> Option<f64> {
        if run.times().iter().any(|t| t.is_finite()) {
            Some(run.timeline().timer_s)
        } else {
            run.summary_sum(|s| s.total_timer_time)
        }
    }
}

/// Moving time: the timer time during which the runner's speed, smoothed over a
/// 2 × [`SPEED_HALF_WINDOW_S`](super::run::SPEED_HALF_WINDOW_S) = 5-second window of the distance, is at least
/// [`MOVING_SPEED_MPS`] (0.5 m/s). Falls back to the device's `total_moving_time` when the run
/// has no distance, speed or position.
pub struct MovingTime;

static MOVING: MetricInfo = MetricInfo {
    id: "moving_s",
    label: "Moving time",
    description: "The time spent moving faster than a slow walk.",
    unit: Unit::Seconds,
    rollup: Rollup::Sum,
    lower_is_better: false,
    needs: &[],
};

impl Metric for MovingTime {
    fn info(&self) -> &'static MetricInfo {
        &MOVING
    }

    fn compute(&self, run: &Run<'_>, _: &MetricValues) -> Option<f64> {
        let Some(speed) = run.smoothed_speed() else {
            return run.summary_sum(|s| s.total_moving_time);
        };
        Some(
            run.held_f64(speed)
                .filter(|&(v, _)| v >= MOVING_SPEED_MPS)
                .map(|(_, w)| w)
                .sum(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::compute_all;
    use crate::{Activity, Athlete, Event, Records, Session, Summary};

    /// A run at 3 m/s, 1 Hz, `seconds` long, standing still from `stop.0` to `stop.1`.
    fn run_with_stop(seconds: u32, stop: (f64, f64)) -> Activity {
        let time: Vec<f64> = (0..=seconds).map(f64::from).collect();
        let mut d = 0.0;
        let distance = time
            .iter()
            .map(|&t| {
                let out = d;
                if !(t >= stop.0 && t < stop.1) {
                    d += 3.0;
                }
                out
            })
            .collect();
        Activity {
            records: Records {
                time,
                distance: Some(distance),
                ..Records::default()
            },
            ..Activity::default()
        }
    }

    fn timer(t: f64, event_type: u8) -> Event {
        Event {
            time: Some(t),
            event: Some(0),
            event_type: Some(event_type),
            data: None,
        }
    }

    #[test]
    fn moving_time_excludes_a_two_minute_stop() {
        // 20 minutes, standing at a crossing from 600 to 720 s, the timer running throughout.
        let a = run_with_stop(1200, (600.0, 720.0));
        let m = compute_all(&Run::new(&a, &Athlete::default()));
        assert_eq!(m.get("elapsed_s"), Some(1200.0));
        assert_eq!(m.get("timer_s"), Some(1200.0));
        let moving = m.get("moving_s").unwrap();
        // The 5-s window blurs each edge of the stop by up to 2.5 s.
        assert!((moving - 1080.0).abs() <= 5.0, "{moving}");
    }

    #[test]
    fn timer_time_excludes_a_pause() {
        // An hour at 3 m/s with the timer stopped (auto-pause) from 1800 to 2100 s.
        let mut a = run_with_stop(3600, (1800.0, 2100.0));
        a.events = vec![
            timer(0.0, 0),
            timer(1800.0, 1),
            timer(2100.0, 0),
            timer(3600.0, 4),
        ];
        let m = compute_all(&Run::new(&a, &Athlete::default()));
        assert_eq!(m.get("elapsed_s"), Some(3600.0));
        assert_eq!(m.get("timer_s"), Some(3300.0));
        assert_eq!(m.get("moving_s"), Some(3300.0));
    }

    #[test]
    fn summary_only_file_uses_the_session() {
        let a = Activity {
            sessions: vec![Session {
                summary: Summary {
                    total_elapsed_time: Some(100.0),
                    total_timer_time: Some(90.0),
                    total_moving_time: Some(80.0),
                    ..Summary::default()
                },
                ..Session::default()
            }],
            ..Activity::default()
        };
        let m = compute_all(&Run::new(&a, &Athlete::default()));
        assert_eq!(m.get("elapsed_s"), Some(100.0));
        assert_eq!(m.get("timer_s"), Some(90.0));
        assert_eq!(m.get("moving_s"), Some(80.0));
    }
}
