//! Which part of the recording the timer was running for, from the FIT timer events.
//!
//! Per-run averages and the two halves of aerobic decoupling are taken over timer time, so a
//! pause (the runner pressed stop, or auto-pause stopped the timer) weighs nothing even when the
//! device kept writing records through it.

use crate::Event;

/// The seconds of running timer each record closes: the part of the interval since the previous
/// record during which the timer ran. The first record, a record without a timestamp, and a
/// record whose time goes backwards close nothing (0).
///
/// Before the first timer event the timer counts as running, unless that event is a start.
/// Without timer events at all (GPX, some FIT writers) every interval counts.
///
/// ```
/// use analysis::{Event, series::timer::timer_durations};
/// let timer = |time, event_type| Event {
///     time: Some(time),
///     event: Some(0),
///     event_type: Some(event_type),
///     data: None,
/// };
/// let time = [0.0, 1.0, 2.0, 10.0, 11.0];
/// let events = [timer(0.0, 0), timer(2.0, 1), timer(10.0, 0)]; // start, stop, start
/// assert_eq!(timer_durations(&time, &events), vec![0.0, 1.0, 1.0, 0.0, 1.0]);
/// assert_eq!(timer_durations(&time, &[]), vec![0.0, 1.0, 1.0, 8.0, 1.0]);
/// ```
pub fn timer_durations(time: &[f64], events: &[Event]) -> Vec<f64> {
    let switches = timer_switches(events);
    let mut running = switches.first().is_none_or(|&(_, start)| !start);
    let mut next = 0usize;
    let mut last = f64::NAN;
    let mut out = Vec::with_capacity(time.len());
    for &t in time {
        if !t.is_finite() {
            out.push(0.0);
            continue;
        }
        let mut ran = 0.0;
        // False for the first record (`last` is NaN): it closes no interval.
        if t > last {
            // Walk the switches inside (last, t), adding the running stretches.
            let mut cursor = last;
            while next < switches.len() && switches[next].0 < t {
                let at = switches[next].0.max(cursor);
                if running {
                    ran += at - cursor;
                }
                cursor = at;
                running = switches[next].1;
                next += 1;
            }
            if running {
                ran += t - cursor;
            }
        }
        while next < switches.len() && switches[next].0 <= t {
            running = switches[next].1;
            next += 1;
        }
        out.push(if ran.is_finite() { ran } else { 0.0 });
        if last.is_nan() || t > last {
            last = t;
        }
    }
    out
}

/// The timer starts and stops among `events` as `(time, is_start)`, in time order; a stable sort
/// keeps events of the same second in file order. Other events and events without a time are
/// left out.
pub fn timer_switches(events: &[Event]) -> Vec<(f64, bool)> {
    let mut switches: Vec<(f64, bool)> = events
        .iter()
        .filter_map(|e| {
            let t = e.time.filter(|t| t.is_finite())?;
            if e.is_timer_start() {
                Some((t, true))
            } else if e.is_timer_stop() {
                Some((t, false))
            } else {
                None
            }
        })
        .collect();
    switches.sort_by(|a, b| a.0.total_cmp(&b.0));
    switches
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timer(time: f64, event_type: u8) -> Event {
        Event {
            time: Some(time),
            event: Some(0),
            event_type: Some(event_type),
            data: None,
        }
    }

    #[test]
    fn a_pause_between_two_records_is_cut_out() {
        // Stop at 1.5 and start at 1.8, both between the records at 1 and 2.
        let d = timer_durations(&[0.0, 1.0, 2.0], &[timer(1.5, 4), timer(1.8, 0)]);
        assert!((d[2] - 0.7).abs() < 1e-12, "{d:?}");
    }

    #[test]
    fn records_before_the_first_start_do_not_count() {
        let d = timer_durations(&[0.0, 1.0, 5.0, 6.0], &[timer(5.0, 0)]);
        assert_eq!(d, vec![0.0, 0.0, 0.0, 1.0]);
    }

    #[test]
    fn missing_and_backward_times_close_nothing() {
        let d = timer_durations(&[0.0, f64::NAN, 2.0, 1.0, 3.0], &[]);
        assert_eq!(d, vec![0.0, 0.0, 2.0, 0.0, 1.0]);
    }
}
