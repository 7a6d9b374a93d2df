//! The series every per-run metric shares, derived once per [`Run`] on first use: which records
//! the run covers, when the timer ran, the cumulative distance and a smoothed speed.
//!
//! All of them are one allocation per run and one O(n) pass (O(n log k) for the timer, k being
//! the number of timer intervals), never per sample.

use std::ops::Range;

use super::Run;
use crate::activity::summary_span;
use crate::{Activity, Athlete, FileFormat, Sport, Summary};

/// A gap between two records longer than this, in seconds, is a pause when the file has no timer
/// start/stop events. Garmin's "smart recording" writes a record only when something changes,
/// which leaves gaps of up to about a minute while the timer runs (52 s in the corpus), so the
/// threshold sits just above that.
pub const PAUSE_GAP_S: f64 = 60.0;

/// Below this speed, in m/s (1.8 km/h, well under walking pace), the runner is standing still
/// (moving time).
pub const MOVING_SPEED_MPS: f64 = 0.5;

/// Half-width, in seconds, of the centred window over which distance is differentiated into the
/// smoothed speed (a 5-second window, so a single GPS jitter does not count as moving).
pub const SPEED_HALF_WINDOW_S: f64 = 2.5;

/// When the timer ran during a run, and how much timer time each record stands for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Timeline {
    /// Timer intervals `(start, end)` in UTC seconds, sorted, clipped to the run's records.
    pub intervals: Vec<(f64, f64)>,
    /// Whether the intervals come from the file's timer events (else from gaps between records).
    pub from_events: bool,
    /// Per record of the run: the timer seconds from it to the next later record, in which it is
    /// the latest sample ("sample and hold"); records of the same second share it; 0 outside
    /// timer time and for the last record. The sum over distinct seconds is [`Timeline::timer_s`].
    pub weight: Vec<f64>,
    /// Per record of the run: whether it was taken while the timer ran.
    pub in_timer: Vec<bool>,
    /// The total timer time, seconds.
    pub timer_s: f64,
    /// Whether no two records share a second (the usual case, where a record's weight is its
    /// own and channels need no per-second merging).
    pub one_record_per_second: bool,
}

impl Timeline {
    /// The timeline of `times` (one run's record times, UTC seconds, `NaN` when unknown), with
    /// the timer intervals given by `events` (`true` for a start, `false` for a stop, in time
    /// order) or, when there are none, by [`PAUSE_GAP_S`].
    pub fn new(times: &[f64], events: &[(f64, bool)]) -> Self {
        let first = times.iter().copied().find(|t| t.is_finite());
        let last = times.iter().rev().copied().find(|t| t.is_finite());
        let (Some(first), Some(last)) = (first, last) else {
            return Self {
                weight: vec![0.0; times.len()],
                in_timer: vec![false; times.len()],
                one_record_per_second: true,
                ..Self::default()
            };
        };
        let from_events = !events.is_empty();
        let mut intervals = if from_events {
            let mut iv = intervals_from_events(events);
            // Devices write the timer start with the first record. Records from well before the
            // first timer event mean the file lost its earlier events (the corpus's fenix 2
            // multisport file keeps only the last leg's): there, pauses are told by gaps.
            let (t0, starts) = events[0];
            if starts && t0 - first > PAUSE_GAP_S {
                let before = times.iter().copied().filter(|&t| t < t0);
                let before = before.chain(std::iter::once(t0));
                let mut head = intervals_from_gaps(before);
                head.append(&mut iv);
                iv = head;
            }
            iv
        } else {
            intervals_from_gaps(times.iter().copied())
        };
        let clip = |intervals: &mut Vec<(f64, f64)>| {
            intervals.retain_mut(|iv| {
                iv.0 = iv.0.max(first);
                iv.1 = iv.1.min(last);
                iv.1 > iv.0
            })
        };
        clip(&mut intervals);
        // Timer events that miss the records altogether (a session outside them, or wrong
        // event times) say nothing about this run: fall back to gaps.
        let from_events = from_events && !intervals.is_empty();
        if !from_events && first < last {
            intervals = intervals_from_gaps(times.iter().copied());
            clip(&mut intervals);
        }
        let mut weight = vec![0.0; times.len()];
        let mut in_timer = vec![false; times.len()];
        let mut timer_s = 0.0;
        let mut one_record_per_second = true;
        for h in holds(times) {
            let w = overlap(&intervals, h.from, h.to);
            timer_s += w;
            one_record_per_second &= h.group.first == h.group.last;
            for j in h.group.records(times) {
                weight[j] = w;
            }
        }
        for (i, &t) in times.iter().enumerate() {
            in_timer[i] = t.is_finite() && inside(&intervals, t);
        }
        Self {
            intervals,
            from_events,
            weight,
            in_timer,
            timer_s,
            one_record_per_second,
        }
    }
}

/// Consecutive records of the same second (`first..=last`; records without a time in between
/// belong to none).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Group {
    pub first: usize,
    pub last: usize,
    pub time: f64,
}

impl Group {
    /// The indices of the group's records.
    pub fn records(self, times: &[f64]) -> impl DoubleEndedIterator<Item = usize> + '_ {
        (self.first..=self.last).filter(move |&j| times[j] == self.time)
    }
}

/// One stretch of time during which a group of records is the latest sample: from `from` to
/// `to` (> `from`), when group `next` takes over.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Hold {
    pub group: Group,
    pub next: Group,
    pub from: f64,
    pub to: f64,
}

/// The holds of a run's records, in order: each group of same-second records holds until the
/// next later one. Time already covered is not counted twice: records that go back in time (as
/// in damaged or doubly chained files) hold nothing until time passes what was covered.
pub(crate) fn holds(times: &[f64]) -> impl Iterator<Item = Hold> + '_ {
    let mut groups = groups(times);
    let mut current = groups.next();
    let mut covered = f64::NEG_INFINITY;
    std::iter::from_fn(move || {
        loop {
            let group = current?;
            let next = groups.next()?;
            current = Some(next);
            let from = group.time.max(covered);
            if next.time > from {
                covered = next.time;
                return Some(Hold {
                    group,
                    next,
                    from,
                    to: next.time,
                });
            }
        }
    })
}

/// The groups of same-second records, in file order.
fn groups(times: &[f64]) -> impl Iterator<Item = Group> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < times.len() && !times[i].is_finite() {
            i += 1;
        }
        let first = *times.get(i)?;
        let start = i;
        let mut last = i;
        i += 1;
        while i < times.len() && (times[i] == first || !times[i].is_finite()) {
            if times[i] == first {
                last = i;
            }
            i += 1;
        }
        Some(Group {
            first: start,
            last,
            time: first,
        })
    })
}

/// Timer intervals from start/stop events. A stop before any start means the timer ran from the
/// beginning; a start without a stop runs to the end; repeated starts or stops are ignored.
fn intervals_from_events(events: &[(f64, bool)]) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    let mut running_since: Option<f64> = None;
    for (k, &(t, start)) in events.iter().enumerate() {
        match (start, running_since) {
            (true, None) => running_since = Some(t),
            (false, Some(since)) => {
                out.push((since, t));
                running_since = None;
            }
            (false, None) if k == 0 => out.push((f64::NEG_INFINITY, t)),
            _ => {}
        }
    }
    if let Some(since) = running_since {
        out.push((since, f64::INFINITY));
    }
    out
}

/// Timer intervals when a file has no timer events: the records' span, cut at every gap longer
/// than [`PAUSE_GAP_S`].
fn intervals_from_gaps(times: impl Iterator<Item = f64>) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    let mut start = f64::NAN;
    let mut prev = f64::NAN;
    for t in times.filter(|t| t.is_finite()) {
        if start.is_nan() {
            start = t;
        } else if t - prev > PAUSE_GAP_S {
            out.push((start, prev));
            start = t;
        } else if t < prev {
            continue;
        }
        prev = t;
    }
    if start.is_finite() {
        out.push((start, prev));
    }
    out
}

/// Whether `t` lies in one of the sorted, disjoint `intervals` (ends included).
fn inside(intervals: &[(f64, f64)], t: f64) -> bool {
    let k = intervals.partition_point(|iv| iv.1 < t);
    intervals.get(k).is_some_and(|iv| iv.0 <= t)
}

/// How long `[a, b)` overlaps the sorted, disjoint `intervals`.
pub(crate) fn overlap(intervals: &[(f64, f64)], a: f64, b: f64) -> f64 {
    let k = intervals.partition_point(|iv| iv.1 <= a);
    intervals[k..]
        .iter()
        .take_while(|iv| iv.0 < b)
        .map(|iv| iv.1.min(b) - iv.0.max(a))
        .sum()
}

/// The timer events of an activity as `(time, is_start)`, sorted by time.
fn timer_events(activity: &Activity) -> Vec<(f64, bool)> {
    crate::series::timer::timer_switches(&activity.events)
}

/// A record more than this many seconds after the one before it, at the end of a file, has a
/// damaged timestamp (the corpus has one dated 64 years after its run).
pub const IMPLAUSIBLE_GAP_S: f64 = 86_400.0;

/// All records, but for trailing ones whose times jump more than [`IMPLAUSIBLE_GAP_S`] ahead.
pub(crate) fn plausible_records(times: &[f64]) -> Range<usize> {
    let mut end = times.len();
    loop {
        let mut finite = times[..end]
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, t)| t.is_finite());
        match (finite.next(), finite.next()) {
            (Some((i, &t)), Some((_, &before))) if t - before > IMPLAUSIBLE_GAP_S => end = i,
            _ => return 0..end,
        }
    }
}

/// The records (indices) whose time lies in `[start, end]`, as one range from the first to the
/// last of them.
pub(crate) fn records_in(times: &[f64], start: f64, end: f64) -> Range<usize> {
    let within = |t: &f64| *t >= start && *t <= end;
    match times.iter().position(within) {
        Some(first) => {
            let last = times.iter().rposition(within).unwrap_or(first);
            first..last + 1
        }
        None => 0..0,
    }
}

impl<'a> Run<'a> {
    /// The run over one session of the activity (e.g. the running leg of a triathlon): the
    /// records within the session's time span. `None` when there is no such session or its span
    /// is unknown.
    ///
    /// ```
    /// use analysis::{Activity, Athlete, metrics::Run};
    /// let activity = Activity::default();
    /// assert!(Run::session(&activity, &Athlete::default(), 0).is_none());
    /// ```
    pub fn session(activity: &'a Activity, athlete: &'a Athlete, index: usize) -> Option<Self> {
        let (start, end) = summary_span(&activity.sessions.get(index)?.summary)?;
        let mut run = Self::new(activity, athlete);
        run.range = records_in(&activity.records.time, start, end);
        run.session = Some(index);
        Some(run)
    }

    /// The records this run covers, as indices into the activity's [`Records`](crate::Records)
    /// columns: all of them for [`Run::new`], one session's for [`Run::session`].
    pub fn records_range(&self) -> Range<usize> {
        self.range.clone()
    }

    /// The index of the session this run is limited to, if it is.
    pub fn session_index(&self) -> Option<usize> {
        self.session
    }

    /// The sport of this run: its session's, else the activity's.
    pub fn sport(&self) -> Sport {
        self.session
            .and_then(|i| self.activity.sessions[i].summary.sport)
            .unwrap_or(self.activity.sport)
    }

    /// The times of this run's records, UTC seconds.
    pub fn times(&self) -> &'a [f64] {
        &self.activity.records.time[self.range.clone()]
    }

    /// This run's slice of an `f32` column, if the activity has it.
    pub fn column(&self, column: &'a Option<Vec<f32>>) -> Option<&'a [f32]> {
        column.as_deref().and_then(|c| c.get(self.range.clone()))
    }

    /// The device summaries within this run's scope: its session, else every session.
    pub fn summaries(&self) -> impl Iterator<Item = &'a Summary> {
        let sessions = &self.activity.sessions;
        let scope = match self.session {
            Some(i) => &sessions[i..=i],
            None => &sessions[..],
        };
        scope.iter().map(|s| &s.summary)
    }

    /// The sum of a device summary figure over [`Run::summaries`]; `None` when no summary has it.
    pub fn summary_sum(&self, field: impl Fn(&Summary) -> Option<f64>) -> Option<f64> {
        self.summaries()
            .filter_map(field)
            .fold(None, |acc, v| Some(acc.unwrap_or(0.0) + v))
    }

    /// The largest value of a device summary figure over [`Run::summaries`].
    pub fn summary_max(&self, field: impl Fn(&Summary) -> Option<f64>) -> Option<f64> {
        self.summaries().filter_map(field).reduce(f64::max)
    }

    /// A device summary average over [`Run::summaries`], weighted by their timer times (a plain
    /// mean when they have none).
    pub fn summary_mean(&self, field: impl Fn(&Summary) -> Option<f64>) -> Option<f64> {
        let (mut sum, mut weights, mut plain, mut n) = (0.0, 0.0, 0.0, 0.0);
        for s in self.summaries() {
            let Some(v) = field(s) else { continue };
            let w = s.total_timer_time.unwrap_or(0.0);
            sum += v * w;
            weights += w;
            plain += v;
            n += 1.0;
        }
        if weights > 0.0 {
            Some(sum / weights)
        } else {
            (n > 0.0).then(|| plain / n)
        }
    }

    /// When the timer ran: from the activity's timer events, else from gaps between records
    /// longer than [`PAUSE_GAP_S`].
    pub fn timeline(&self) -> &Timeline {
        self.timeline
            .get_or_init(|| Timeline::new(self.times(), &timer_events(self.activity)))
    }

    /// The cumulative distance at each record of the run in metres, from 0 at the run's start,
    /// never decreasing, with gaps filled by the previous value. From the device's distance
    /// column; else the speed integrated over timer time; else the GPS track (haversine) over
    /// timer time. `None` when the run has none of them.
    pub fn distance_series(&self) -> Option<&[f64]> {
        self.distance
            .get_or_init(|| self.derive_distance())
            .as_deref()
    }

    /// For a GPX track, the factor from the raw track's length to the smoothed one's.
    ///
    /// GPX carries no distance: its column is the decoder's sum over the raw positions, which
    /// GPS jitter lengthens (1.1 % on a 1 Hz watch track of the corpus whose FIT twin carries the
    /// watch's distance). The GPS assessment measures the track after jump rejection and the
    /// Kalman + RTS smoother; scaling the column by the ratio of the two lengths gives that
    /// length as the total and keeps the splits consistent with it. `None` for other formats,
    /// session-scoped runs, or a ratio outside 0.8–1.05 (smoothing shortens, it never lengthens
    /// much: beyond that the track is too broken to trust either figure more).
    fn gpx_correction(&self) -> Option<f64> {
        if self.activity.format != FileFormat::Gpx || self.session.is_some() {
            return None;
        }
        let q = self.gps()?;
        let k = q.distance_m / q.raw_distance_m;
        (k.is_finite() && (0.8..=1.05).contains(&k)).then_some(k)
    }

    fn derive_distance(&self) -> Option<Vec<f64>> {
        let r = &self.activity.records;
        let range = self.range.clone();
        if let Some(d) = r.distance.as_deref().filter(|d| d.len() == r.len())
            && d[range.clone()].iter().any(|v| v.is_finite())
        {
            // The counter at the run's first record, or zero for a whole activity or a
            // counter restarting with the run (multisport legs counted from zero).
            let before = d[..range.start]
                .iter()
                .rev()
                .copied()
                .find(|v| v.is_finite());
            let first = d[range.clone()].iter().copied().find(|v| v.is_finite());
            let base = match (before, first) {
                (Some(b), Some(f)) if f >= b * 0.5 => f,
                _ => 0.0,
            };
            let mut series = accumulate_distance(&d[range], self.times(), base);
            if let Some(k) = self.gpx_correction() {
                series.iter_mut().for_each(|v| *v *= k);
            }
            return Some(series);
        }
        let times = self.times();
        let weight = &self.timeline().weight;
        if let Some(speed) = self
            .column(&r.speed)
            .filter(|s| s.iter().any(|v| v.is_finite()))
        {
            // Integrated second by second (the last speed of each second, for the time it holds).
            let mut out = vec![f64::NAN; speed.len()];
            let mut acc = 0.0;
            let mut last_group = None;
            for h in holds(times) {
                for j in h.group.records(times) {
                    out[j] = acc;
                }
                let v = h
                    .group
                    .records(times)
                    .rev()
                    .map(|j| speed[j])
                    .find(|v| v.is_finite());
                if let Some(v) = v.filter(|v| *v > 0.0) {
                    acc += f64::from(v) * weight[h.group.first];
                }
                last_group = Some(h.next);
            }
            if let Some(g) = last_group {
                for j in g.records(times) {
                    out[j] = acc;
                }
            }
            let mut filled = 0.0;
            for o in &mut out {
                if o.is_nan() {
                    *o = filled;
                } else {
                    filled = *o;
                }
            }
            return Some(out);
        }
        let lat = r.latitude.as_deref()?.get(range.clone())?;
        let lon = r.longitude.as_deref()?.get(range)?;
        let mut acc = 0.0;
        let mut prev: Option<(f64, f64, bool)> = None;
        let mut out = Vec::with_capacity(lat.len());
        let mut any = false;
        for i in 0..lat.len() {
            if lat[i].is_finite() && lon[i].is_finite() {
                if let Some((pl, pn, true)) = prev {
                    acc += crate::series::geo::distance(pl, pn, lat[i], lon[i]);
                }
                prev = Some((lat[i], lon[i], weight[i] > 0.0));
                any = true;
            }
            out.push(acc);
        }
        any.then_some(out)
    }

    /// The speed at each record in m/s, smoothed: the distance covered over a centred window of
    /// ±[`SPEED_HALF_WINDOW_S`] around it (at least to the next record when records are sparse),
    /// divided by that window's duration. `NaN` where it cannot be told. Derived from
    /// [`Run::distance_series`].
    pub fn smoothed_speed(&self) -> Option<&[f64]> {
        self.speed
            .get_or_init(|| {
                let d = self.distance_series()?;
                Some(smooth_speed(self.times(), d, SPEED_HALF_WINDOW_S))
            })
            .as_deref()
    }

    /// The timer-time-weighted mean of an `f32` column over the run, skipping `NaN` samples (and,
    /// with `skip_zero`, zeros). `None` when no sample counts.
    pub fn weighted_mean(&self, column: &'a Option<Vec<f32>>, skip_zero: bool) -> Option<f64> {
        let values = self.column(column)?;
        weighted_mean(self.held_f32(values), skip_zero)
    }

    /// The samples of `values` (this run's slice of a column) as `(value, timer seconds held)`,
    /// once per second of timer time; see [`Timeline::weight`].
    pub(crate) fn held_f32<'s>(
        &'s self,
        values: &'s [f32],
    ) -> impl Iterator<Item = (f64, f64)> + 's {
        held(self.times(), self.timeline(), move |j| {
            values.get(j).map_or(f64::NAN, |&v| f64::from(v))
        })
    }

    /// Like [`Run::held_f32`] for a derived `f64` series of the run.
    pub(crate) fn held_f64<'s>(
        &'s self,
        values: &'s [f64],
    ) -> impl Iterator<Item = (f64, f64)> + 's {
        held(self.times(), self.timeline(), move |j| {
            values.get(j).copied().unwrap_or(f64::NAN)
        })
    }

    /// The largest finite value of an `f32` column among the records taken in timer time.
    pub fn timer_max(&self, column: &'a Option<Vec<f32>>) -> Option<f64> {
        let values = self.column(column)?;
        timer_max(values, &self.timeline().in_timer)
    }
}

/// The distance covered at each sample of a device's distance counter, from `base` (the
/// counter's value just before the run). The counter should only grow: a small step back (GPS
/// corrections) is held until passed again, while a drop to less than half the previous value
/// is the counter restarting (multisport devices that count each leg from zero), after which the
/// new value counts from zero. Records earlier than one before them (a file chained
/// to a copy of itself) add nothing.
pub(crate) fn accumulate_distance(counter: &[f64], times: &[f64], base: f64) -> Vec<f64> {
    let mut acc = 0.0;
    let mut last = base;
    let mut latest = f64::NEG_INFINITY;
    counter
        .iter()
        .zip(times)
        .map(|(&v, &t)| {
            let later = t >= latest;
            latest = latest.max(t);
            if v.is_finite() && later {
                if v >= last {
                    acc += v - last;
                    last = v;
                } else if v < last * 0.5 {
                    acc += v;
                    last = v;
                }
            }
            acc
        })
        .collect()
}

/// A channel's samples as `(value, timer seconds it holds)`: for each second of the records
/// (see [`holds`]), the channel's last finite value in that second (`value(j)` of record `j`,
/// `NaN` when missing), with that second's timer weight. So records written twice in one second
/// count once, and a channel present on only one of them still counts in full. Seconds without
/// timer time or without a value are skipped.
pub(crate) fn held<'s>(
    times: &'s [f64],
    timeline: &'s Timeline,
    value: impl Fn(usize) -> f64 + 's,
) -> impl Iterator<Item = (f64, f64)> + 's {
    let weight = &timeline.weight;
    let (simple, grouped) = if timeline.one_record_per_second {
        let simple = weight.iter().enumerate().filter_map(move |(j, &w)| {
            let v = if w > 0.0 { value(j) } else { f64::NAN };
            v.is_finite().then_some((v, w))
        });
        (Some(simple), None)
    } else {
        let grouped = holds(times).filter_map(move |h| {
            let w = weight[h.group.first];
            if w <= 0.0 {
                return None;
            }
            let v = h
                .group
                .records(times)
                .rev()
                .map(&value)
                .find(|v| v.is_finite())?;
            Some((v, w))
        });
        (None, Some(grouped))
    };
    simple
        .into_iter()
        .flatten()
        .chain(grouped.into_iter().flatten())
}

/// The mean of `(value, weight)` pairs, skipping zeros with `skip_zero`.
pub(crate) fn weighted_mean(
    pairs: impl Iterator<Item = (f64, f64)>,
    skip_zero: bool,
) -> Option<f64> {
    let (mut sum, mut total) = (0.0, 0.0);
    for (v, w) in pairs {
        if !(skip_zero && v == 0.0) {
            sum += v * w;
            total += w;
        }
    }
    (total > 0.0).then(|| sum / total)
}

/// The largest finite value among the samples flagged in `keep`.
pub(crate) fn timer_max(values: &[f32], keep: &[bool]) -> Option<f64> {
    values
        .iter()
        .zip(keep)
        .filter(|&(v, &k)| k && v.is_finite())
        .map(|(&v, _)| f64::from(v))
        .reduce(f64::max)
}

/// The centred-window speed of [`Run::smoothed_speed`], two pointers, O(n). Times must be
/// non-decreasing for a meaningful result (anything else gives `NaN`s, never a panic).
pub(crate) fn smooth_speed(times: &[f64], distance: &[f64], half: f64) -> Vec<f64> {
    let n = times.len().min(distance.len());
    let mut out = vec![f64::NAN; n];
    let (mut lo, mut hi) = (0, 0);
    for i in 0..n {
        let t = times[i];
        if !t.is_finite() {
            continue;
        }
        lo = lo.min(i);
        while lo < i && (times[lo] < t - half || times[lo].is_nan()) {
            lo += 1;
        }
        hi = hi.max(i);
        while hi + 1 < n && times[hi + 1] <= t + half {
            hi += 1;
        }
        // Sparse records: at least the interval to the next record (from the previous one
        // for the last record).
        let end = if hi == i { (i + 1).min(n - 1) } else { hi };
        let start = if lo == end { lo.saturating_sub(1) } else { lo };
        let dt = times[end] - times[start];
        if dt > 0.0 {
            out[i] = (distance[end] - distance[start]) / dt;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(t: f64, start: bool) -> (f64, bool) {
        (t, start)
    }

    #[test]
    fn timer_excludes_a_paused_stretch() {
        // 1 Hz records for 0..=600 s; the timer stops at 200 and restarts at 300.
        let times: Vec<f64> = (0..=600).map(f64::from).collect();
        let events = [
            ev(0.0, true),
            ev(200.0, false),
            ev(300.0, true),
            ev(600.0, false),
        ];
        let t = Timeline::new(&times, &events);
        assert_eq!(t.timer_s, 500.0);
        assert_eq!(t.intervals, vec![(0.0, 200.0), (300.0, 600.0)]);
        assert!(t.in_timer[200] && !t.in_timer[250] && t.in_timer[300]);
        assert_eq!(t.weight[199], 1.0);
        assert_eq!(t.weight[200], 0.0);
        assert_eq!(t.weight[600], 0.0);
    }

    #[test]
    fn without_events_long_gaps_are_pauses() {
        // Records every 5 s, then nothing for 10 minutes, then 5 s again.
        let mut times: Vec<f64> = (0..=60).map(|i| f64::from(i) * 5.0).collect();
        times.extend((0..=60).map(|i| 900.0 + f64::from(i) * 5.0));
        let t = Timeline::new(&times, &[]);
        assert!(!t.from_events);
        assert_eq!(t.timer_s, 600.0);
        // A gap of PAUSE_GAP_S or less is timer time.
        let sparse = [0.0, PAUSE_GAP_S, 2.0 * PAUSE_GAP_S];
        assert_eq!(Timeline::new(&sparse, &[]).timer_s, 2.0 * PAUSE_GAP_S);
    }

    #[test]
    fn odd_event_sequences() {
        let times: Vec<f64> = (0..=100).map(f64::from).collect();
        // A stop without a start: the timer ran from the beginning; a dangling start runs on.
        let events = [ev(40.0, false), ev(60.0, true), ev(60.0, true)];
        let t = Timeline::new(&times, &events);
        assert_eq!(t.intervals, vec![(0.0, 40.0), (60.0, 100.0)]);
        assert_eq!(t.timer_s, 80.0);
        // No finite time at all.
        let t = Timeline::new(&[f64::NAN, f64::NAN], &events);
        assert_eq!(t.timer_s, 0.0);
        assert_eq!(t.weight.len(), 2);
    }

    #[test]
    fn records_going_back_in_time_count_once() {
        // The same 13 s written twice (a file chained to a copy of itself).
        let mut times: Vec<f64> = (0..=13).map(f64::from).collect();
        times.extend((0..=13).map(f64::from));
        let t = Timeline::new(&times, &[ev(0.0, true), ev(13.0, false)]);
        assert_eq!(t.timer_s, 13.0);
    }

    #[test]
    fn records_of_the_same_second_share_its_time() {
        let times = [0.0, 0.0, 1.0, 1.0, f64::NAN, 2.0];
        let t = Timeline::new(&times, &[]);
        assert_eq!(t.weight, vec![1.0, 1.0, 1.0, 1.0, 0.0, 0.0]);
        assert_eq!(t.timer_s, 2.0);
    }

    #[test]
    fn events_that_miss_the_records_are_ignored() {
        let times: Vec<f64> = (100..=200).map(f64::from).collect();
        let t = Timeline::new(&times, &[ev(0.0, true), ev(50.0, false)]);
        assert!(!t.from_events);
        assert_eq!(t.timer_s, 100.0);
    }

    #[test]
    fn a_second_written_twice_counts_once() {
        // Position and heart rate on one record, distance on another, every second (as some
        // phone apps write), with the heart rate also repeated on both records at 2 s.
        let times = [0.0, 0.0, 1.0, 1.0, 2.0, 2.0, 3.0];
        let hr = [120.0, f32::NAN, 130.0, f32::NAN, 140.0, 150.0, 160.0];
        let t = Timeline::new(&times, &[]);
        let pairs: Vec<(f64, f64)> = held(&times, &t, |j| f64::from(hr[j])).collect();
        // One sample per second; at 2 s the later of the two values.
        assert_eq!(pairs, vec![(120.0, 1.0), (130.0, 1.0), (150.0, 1.0)]);
        assert_eq!(weighted_mean(pairs.into_iter(), false), Some(400.0 / 3.0));
    }

    #[test]
    fn records_long_before_the_first_event_are_timed_by_gaps() {
        // Events only for the last 100 s of 1000 s of records (earlier legs' events lost).
        let times: Vec<f64> = (0..=1000).map(f64::from).collect();
        let t = Timeline::new(&times, &[ev(900.0, true), ev(1000.0, false)]);
        assert_eq!(t.timer_s, 1000.0);
        // A start a few seconds after the first record is just a late start.
        let t = Timeline::new(&times, &[ev(10.0, true), ev(1000.0, false)]);
        assert_eq!(t.timer_s, 990.0);
    }

    #[test]
    fn distance_counters_that_restart_or_step_back() {
        // A leg counted from zero after 224 m of the one before; a 0.5 m GPS step back.
        let d = [0.2, 10.0, 9.5, 12.0, f64::NAN, 20.0];
        let t = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(
            accumulate_distance(&d, &t, 224.0),
            vec![0.2, 10.0, 10.0, 12.0, 12.0, 20.0]
        );
        // Continuing a counter: from the value before the run.
        let two = accumulate_distance(&[230.0, 240.0], &[0.0, 1.0], 224.0);
        assert_eq!(two, vec![6.0, 16.0]);
        // The same records again, back in time: nothing more.
        let twice = accumulate_distance(&[0.0, 5.0, 0.0, 5.0], &[0.0, 1.0, 0.0, 1.0], 0.0);
        assert_eq!(twice, vec![0.0, 5.0, 5.0, 5.0]);
    }

    #[test]
    fn a_damaged_last_timestamp_is_dropped() {
        let times = [0.0, 1.0, 2.0, 2.0e9, f64::NAN];
        assert_eq!(plausible_records(&times), 0..3);
        assert_eq!(plausible_records(&[]), 0..0);
        assert_eq!(plausible_records(&[5.0]), 0..1);
    }

    #[test]
    fn smoothed_speed_ignores_one_sample_jitter() {
        let times: Vec<f64> = (0..20).map(f64::from).collect();
        let mut d = vec![0.0; 20];
        // A single 1.5 m GPS jump at 10 s, standing otherwise.
        for v in &mut d[10..] {
            *v = 1.5;
        }
        let v = smooth_speed(&times, &d, SPEED_HALF_WINDOW_S);
        assert!(v.iter().all(|s| *s < MOVING_SPEED_MPS), "{v:?}");
        // Sparse records: the speed of the next interval.
        let v = smooth_speed(&[0.0, 30.0, 60.0], &[0.0, 90.0, 180.0], SPEED_HALF_WINDOW_S);
        assert_eq!(v, vec![3.0, 3.0, 3.0]);
    }
}
