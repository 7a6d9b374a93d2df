//! Chart-ready series of one run, with no DOM: at most [`MAX_POINTS`] points along the run, each
//! with its timer time and distance (the two x axes), the mean of each channel over the records
//! it stands for, and its place on the route in metres (for a map drawn without tiles).
//!
//! A point stands for a run of consecutive records taken while the timer ran; paused records
//! are left out, so a chart by time has no flat stretch for a pause. Time, distance and position
//! are those of the point's last record; channel values are means over its records, which is
//! what a chart of a long run needs (a 10-hour run has 36 000 records and a chart 1 000 pixels).

use serde::{Deserialize, Serialize};

use crate::metrics::Run;
use crate::metrics::run::MOVING_SPEED_MPS;
use crate::series::{GradeAdjustment, LocalFrame, Minetti};

/// The most points a chart gets.
pub const MAX_POINTS: usize = 1_200;

/// The most rejected GPS fixes listed for the map.
pub const MAX_REJECTED: usize = 500;

/// A channel of the charts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChartSeries {
    /// Stable id: `speed_mps`, `gap_speed_mps`, `heart_rate`, `altitude_m`, `cadence_spm`,
    /// `power_w`.
    pub id: String,
    /// What a reader calls it.
    pub label: String,
    /// The SI unit of the values.
    pub unit: String,
    /// One value per point; `None` where the channel has no sample.
    pub values: Vec<Option<f64>>,
}

impl ChartSeries {
    /// The values between the `lo` and `hi` quantiles (0..=1) of the known values, so that a
    /// few stopped or spiking samples do not squash the chart; `None` without values.
    ///
    /// ```
    /// use analysis::chart::ChartSeries;
    /// let values = (0..=100).map(|v| Some(f64::from(v))).collect();
    /// let s = ChartSeries { id: "x".into(), label: "x".into(), unit: "".into(), values };
    /// assert_eq!(s.extent(0.05, 0.95), Some((5.0, 95.0)));
    /// assert_eq!(s.extent(0.0, 1.0), Some((0.0, 100.0)));
    /// ```
    pub fn extent(&self, lo: f64, hi: f64) -> Option<(f64, f64)> {
        let mut known: Vec<f64> = self.values.iter().flatten().copied().collect();
        if known.is_empty() {
            return None;
        }
        known.sort_by(f64::total_cmp);
        let at = |q: f64| known[((known.len() - 1) as f64 * q.clamp(0.0, 1.0)).round() as usize];
        Some((at(lo), at(hi)))
    }

    /// The series smoothed over `window_s` seconds of timer time: each point becomes the
    /// time-weighted mean of the known values within half the window either side (each point
    /// weighs the timer time it stands for). A point without a value stays without one, so a
    /// gap in the line stays a gap. `time_s` gives each point's timer time, ascending.
    ///
    /// ```
    /// use analysis::chart::ChartSeries;
    /// let values = vec![Some(3.0), Some(5.0), Some(3.0), None, Some(3.0)];
    /// let s = ChartSeries { id: "speed_mps".into(), label: "".into(), unit: "".into(), values };
    /// let smooth = s.smoothed(&[0.0, 10.0, 20.0, 30.0, 40.0], 20.0);
    /// // The spike at 10 s spreads over its neighbours; the gap stays a gap.
    /// assert_eq!(smooth.values, vec![Some(4.0), Some(11.0 / 3.0), Some(4.0), None, Some(3.0)]);
    /// ```
    pub fn smoothed(&self, time_s: &[f64], window_s: f64) -> ChartSeries {
        let n = self.values.len().min(time_s.len());
        let half = window_s.max(0.0) / 2.0;
        let weight = |j: usize| {
            let dt = if j == 0 {
                time_s.get(1).map_or(1.0, |t1| t1 - time_s[0])
            } else {
                time_s[j] - time_s[j - 1]
            };
            if dt.is_finite() && dt > 0.0 { dt } else { 1.0 }
        };
        let (mut lo, mut hi) = (0, 0);
        let (mut sum_w, mut sum_wv) = (0.0, 0.0);
        let mut values = Vec::with_capacity(n);
        for i in 0..n {
            while hi < n && time_s[hi] <= time_s[i] + half {
                if let Some(v) = self.values[hi] {
                    sum_w += weight(hi);
                    sum_wv += weight(hi) * v;
                }
                hi += 1;
            }
            while lo < n && time_s[lo] < time_s[i] - half {
                if let Some(v) = self.values[lo] {
                    sum_w -= weight(lo);
                    sum_wv -= weight(lo) * v;
                }
                lo += 1;
            }
            values.push(match self.values[i] {
                Some(_) if sum_w > 0.0 => Some(sum_wv / sum_w),
                other => other,
            });
        }
        ChartSeries {
            values,
            ..self.clone()
        }
    }
}

/// The route in a local frame: metres east (`x`) and north (`y`) of the run's first fix.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Route {
    /// Per point: the GPS-repaired position (jumps removed, Kalman + RTS smoothed).
    pub x_m: Vec<Option<f64>>,
    /// See `x_m`.
    pub y_m: Vec<Option<f64>>,
    /// Per point: the device's own fix, as recorded.
    pub raw_x_m: Vec<Option<f64>>,
    /// See `raw_x_m`.
    pub raw_y_m: Vec<Option<f64>>,
    /// Fixes the GPS cleanup rejected as jumps (all of them, up to [`MAX_REJECTED`]), `(x, y)`.
    pub rejected: Vec<(f64, f64)>,
    /// Latitude and longitude (degrees, WGS-84) of the frame's origin, so that a map with tiles
    /// can place the route ([`Route::lat_lon`]); `None` in reports made before it was kept.
    #[serde(default)]
    pub origin_deg: Option<(f64, f64)>,
}

impl Route {
    /// The position in degrees (latitude, longitude) of `x` metres east and `y` north of the
    /// origin; `None` without an origin.
    ///
    /// ```
    /// use analysis::chart::Route;
    /// let route = Route { origin_deg: Some((45.0, 7.0)), ..Route::default() };
    /// let (lat, lon) = route.lat_lon(79.0, 111.0).unwrap();
    /// assert!((lat - 45.001).abs() < 1e-5 && (lon - 7.001).abs() < 1e-5);
    /// assert_eq!(Route::default().lat_lon(0.0, 0.0), None);
    /// ```
    pub fn lat_lon(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let (lat0, lon0) = self.origin_deg?;
        Some(LocalFrame::new(lat0, lon0).to_lat_lon(x, y))
    }

    /// Point `i`'s repaired position in degrees, if it has one.
    pub fn point_deg(&self, i: usize) -> Option<(f64, f64)> {
        self.lat_lon(self.x_m.get(i).copied()??, self.y_m.get(i).copied()??)
    }
}

/// What the charts and the map of one run draw.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChartData {
    /// Per point: timer seconds from the start of the run.
    pub time_s: Vec<f64>,
    /// Per point: metres from the start of the run.
    pub distance_m: Vec<f64>,
    /// The channels the run has, in the order the page shows them.
    pub series: Vec<ChartSeries>,
    /// The route, when the run has positions.
    pub route: Option<Route>,
}

/// The x axis of a chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Axis {
    /// Metres from the start.
    #[default]
    Distance,
    /// Timer seconds from the start.
    Time,
}

/// The figures of a stretch of the run between two points, as a selection on a chart shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RangeStats {
    /// The first point.
    pub start: usize,
    /// The last point.
    pub end: usize,
    /// Metres covered.
    pub distance_m: f64,
    /// Timer seconds.
    pub timer_s: f64,
    /// Distance over timer time, m/s.
    pub avg_speed_mps: Option<f64>,
    /// Time-weighted mean grade-adjusted speed, m/s.
    pub avg_gap_speed_mps: Option<f64>,
    /// Time-weighted mean heart rate, bpm.
    pub avg_hr: Option<f64>,
    /// Time-weighted mean cadence, steps per minute.
    pub avg_cadence_spm: Option<f64>,
    /// Time-weighted mean power, W.
    pub avg_power_w: Option<f64>,
    /// Sum of the rises between points, metres (points are already means, so no threshold).
    pub ascent_m: Option<f64>,
    /// Sum of the drops between points, metres.
    pub descent_m: Option<f64>,
}

impl ChartData {
    /// The channel `id`, if the run has it.
    pub fn series(&self, id: &str) -> Option<&ChartSeries> {
        self.series.iter().find(|s| s.id == id)
    }

    /// A copy with the channels `ids` smoothed over `window_s` seconds of timer time
    /// ([`ChartSeries::smoothed`]); the other channels as they are.
    pub fn smoothed(&self, ids: &[&str], window_s: f64) -> ChartData {
        let mut out = self.clone();
        for s in out
            .series
            .iter_mut()
            .filter(|s| ids.contains(&s.id.as_str()))
        {
            *s = s.smoothed(&self.time_s, window_s);
        }
        out
    }

    /// The points' x values on `axis`.
    pub fn xs(&self, axis: Axis) -> &[f64] {
        match axis {
            Axis::Distance => &self.distance_m,
            Axis::Time => &self.time_s,
        }
    }

    /// The point whose x on `axis` is nearest to `x`; `None` without points.
    ///
    /// ```
    /// use analysis::chart::{Axis, ChartData};
    /// let data = ChartData { distance_m: vec![0.0, 10.0, 20.0], time_s: vec![0.0, 5.0, 9.0], ..ChartData::default() };
    /// assert_eq!(data.nearest(Axis::Distance, 14.0), Some(1));
    /// assert_eq!(data.nearest(Axis::Time, 8.0), Some(2));
    /// assert_eq!(data.nearest(Axis::Time, -3.0), Some(0));
    /// ```
    pub fn nearest(&self, axis: Axis, x: f64) -> Option<usize> {
        let xs = self.xs(axis);
        if xs.is_empty() || !x.is_finite() {
            return None;
        }
        // The x values never decrease: the first point at or past x, or the one before it.
        let after = xs.partition_point(|&v| v < x);
        if after == 0 {
            return Some(0);
        }
        if after == xs.len() {
            return Some(xs.len() - 1);
        }
        Some(if x - xs[after - 1] <= xs[after] - x {
            after - 1
        } else {
            after
        })
    }

    /// The figures of the stretch from point `a` to point `b` (either order); `None` when they
    /// are the same point or out of range.
    pub fn range_stats(&self, a: usize, b: usize) -> Option<RangeStats> {
        let (start, end) = (a.min(b), a.max(b));
        if start == end || end >= self.time_s.len() {
            return None;
        }
        let timer_s = self.time_s[end] - self.time_s[start];
        let distance_m = self.distance_m[end] - self.distance_m[start];
        // Each point after the first stands for the time since the point before it.
        let mean = |id: &str| -> Option<f64> {
            let values = &self.series(id)?.values;
            let (mut sum, mut weight) = (0.0, 0.0);
            let steps = self.time_s[start..=end].windows(2);
            for (v, t) in values[start + 1..=end].iter().zip(steps) {
                if let Some(v) = v {
                    let w = t[1] - t[0];
                    sum += v * w;
                    weight += w;
                }
            }
            (weight > 0.0).then(|| sum / weight)
        };
        let climb = self.series("altitude_m").map(|s| {
            let known: Vec<f64> = s.values[start..=end].iter().flatten().copied().collect();
            known.windows(2).fold((0.0, 0.0), |(up, down), w| {
                let d = w[1] - w[0];
                (up + d.max(0.0), down + (-d).max(0.0))
            })
        });
        Some(RangeStats {
            start,
            end,
            distance_m,
            timer_s,
            avg_speed_mps: (timer_s > 0.0).then(|| distance_m / timer_s),
            avg_gap_speed_mps: mean("gap_speed_mps"),
            avg_hr: mean("heart_rate"),
            avg_cadence_spm: mean("cadence_spm"),
            avg_power_w: mean("power_w"),
            ascent_m: climb.map(|c| c.0),
            descent_m: climb.map(|c| c.1),
        })
    }
}

/// The chart data of a run ([`Run::new`] or [`Run::session`]): `None` when it has no records
/// taken while the timer ran.
///
/// ```
/// use analysis::{Activity, Athlete, Records, chart, metrics::Run};
/// // Twenty minutes at 4:00/km with the heart rate rising from 130 to 150.
/// let time: Vec<f64> = (0..=1200).map(f64::from).collect();
/// let distance = Some(time.iter().map(|t| t * 1000.0 / 240.0).collect());
/// let heart_rate = Some(time.iter().map(|t| 130.0 + (t / 60.0) as f32).collect());
/// let activity = Activity {
///     records: Records { time, distance, heart_rate, ..Records::default() },
///     ..Activity::default()
/// };
/// let athlete = Athlete::default();
/// let data = chart::chart_data(&Run::new(&activity, &athlete)).unwrap();
/// assert!(data.time_s.len() <= chart::MAX_POINTS);
/// assert_eq!(*data.time_s.last().unwrap(), 1200.0);
/// assert_eq!(data.distance_m.last().unwrap().round(), 5000.0);
/// let last = data.time_s.len() - 1;
/// let stats = data.range_stats(0, last).unwrap();
/// assert!((stats.avg_speed_mps.unwrap() - 1000.0 / 240.0).abs() < 0.01);
/// assert!((stats.avg_hr.unwrap() - 140.0).abs() < 0.6);
/// ```
pub fn chart_data(run: &Run<'_>) -> Option<ChartData> {
    let range = run.records_range();
    let offset = range.start;
    let timeline = run.timeline();
    let kept: Vec<usize> = (0..range.len())
        .filter(|&j| timeline.in_timer.get(j).copied().unwrap_or(false))
        .collect();
    if kept.is_empty() {
        return None;
    }
    // Timer seconds up to each record of the run.
    let durations = run.timer_durations();
    let mut timer = Vec::with_capacity(range.len());
    let mut acc = 0.0;
    for j in 0..range.len() {
        if j > 0 {
            acc += durations.get(offset + j).copied().unwrap_or(0.0);
        }
        timer.push(acc);
    }
    let distance = run.distance_series();
    let buckets = buckets(kept.len(), MAX_POINTS);
    let last_of = |b: &std::ops::Range<usize>| kept[b.end - 1];

    let time_s: Vec<f64> = buckets.iter().map(|b| timer[last_of(b)]).collect();
    let distance_m: Vec<f64> = buckets
        .iter()
        .map(|b| distance.map_or(0.0, |d| d[last_of(b)]))
        .collect();

    let mean_of = |values: &dyn Fn(usize) -> f64| -> Vec<Option<f64>> {
        buckets
            .iter()
            .map(|b| {
                let (sum, n) = kept[b.clone()]
                    .iter()
                    .map(|&j| values(j))
                    .filter(|v| v.is_finite())
                    .fold((0.0, 0u32), |(s, n), v| (s + v, n + 1));
                (n > 0).then(|| sum / f64::from(n))
            })
            .collect()
    };
    let records = &run.activity.records;
    let mut series = Vec::new();
    let mut push = |id: &str, label: &str, unit: &str, values: Vec<Option<f64>>| {
        if values.iter().any(Option::is_some) {
            series.push(ChartSeries {
                id: id.to_owned(),
                label: label.to_owned(),
                unit: unit.to_owned(),
                values,
            });
        }
    };
    if let Some(speed) = run.smoothed_speed() {
        // A standing runner has no pace worth drawing.
        let moving = |v: f64| if v >= MOVING_SPEED_MPS { v } else { f64::NAN };
        push("speed_mps", "Pace", "m/s", mean_of(&|j| moving(speed[j])));
        if let Some(grade) = run.grade() {
            let gap = |j: usize| moving(Minetti.gap_speed(speed[j], grade[offset + j]));
            push("gap_speed_mps", "Grade-adjusted pace", "m/s", mean_of(&gap));
        }
    }
    let column = |c: &Option<Vec<f32>>, skip_zero: bool| -> Option<Vec<Option<f64>>> {
        let c = run.column(c)?;
        Some(mean_of(&|j| {
            let v = f64::from(c[j]);
            if skip_zero && v == 0.0 { f64::NAN } else { v }
        }))
    };
    if let Some(v) = column(&records.heart_rate, true) {
        push("heart_rate", "Heart rate", "bpm", v);
    }
    if let Some(v) = column(&records.altitude, false) {
        push("altitude_m", "Elevation", "m", v);
    }
    if let Some(v) = column(&records.cadence, true) {
        push("cadence_spm", "Cadence", "spm", v);
    }
    if let Some(p) = crate::metrics::power::power(run) {
        push("power_w", "Power", "W", mean_of(&|j| f64::from(p[j])));
    }
    let route = route(run, &kept, &buckets);
    Some(ChartData {
        time_s,
        distance_m,
        series,
        route,
    })
}

/// `n` items in at most `max` consecutive, nearly equal, non-empty ranges.
fn buckets(n: usize, max: usize) -> Vec<std::ops::Range<usize>> {
    let count = n.min(max.max(1));
    (0..count)
        .map(|k| (k * n / count)..((k + 1) * n / count))
        .collect()
}

fn route(run: &Run<'_>, kept: &[usize], buckets: &[std::ops::Range<usize>]) -> Option<Route> {
    let records = &run.activity.records;
    let offset = run.records_range().start;
    let range = run.records_range();
    let lat = records.latitude.as_deref()?.get(range.clone())?;
    let lon = records.longitude.as_deref()?.get(range)?;
    let valid = |j: usize| crate::series::geo::is_valid_position(lat[j], lon[j]);
    let origin = kept.iter().copied().find(|&j| valid(j))?;
    let frame = LocalFrame::new(lat[origin], lon[origin]);
    let gps = run.gps();
    let repaired = |j: usize| -> Option<(f64, f64)> {
        let q = gps?;
        let (la, lo) = (*q.latitude.get(offset + j)?, *q.longitude.get(offset + j)?);
        (la.is_finite() && lo.is_finite()).then(|| frame.to_xy(la, lo))
    };
    let raw = |j: usize| valid(j).then(|| frame.to_xy(lat[j], lon[j]));
    let mut out = Route {
        origin_deg: Some((lat[origin], lon[origin])),
        ..Route::default()
    };
    for b in buckets {
        // The bucket's last record with a position.
        let pick = |f: &dyn Fn(usize) -> Option<(f64, f64)>| {
            kept[b.clone()].iter().rev().find_map(|&j| f(j))
        };
        let r = pick(&repaired).or_else(|| if gps.is_none() { pick(&raw) } else { None });
        out.x_m.push(r.map(|p| p.0));
        out.y_m.push(r.map(|p| p.1));
        let w = pick(&raw);
        out.raw_x_m.push(w.map(|p| p.0));
        out.raw_y_m.push(w.map(|p| p.1));
    }
    if let Some(q) = gps {
        out.rejected = (0..lat.len())
            .filter(|&j| q.rejected.get(offset + j).copied().unwrap_or(false))
            .filter_map(raw)
            .take(MAX_REJECTED)
            .collect();
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_cover_every_item_once() {
        for (n, max) in [(0, 10), (5, 10), (10, 10), (11, 10), (36_001, 1_200)] {
            let b = buckets(n, max);
            assert!(b.len() <= max);
            assert_eq!(b.iter().map(|r| r.len()).sum::<usize>(), n);
            assert!(b.iter().all(|r| !r.is_empty()));
            assert!(b.windows(2).all(|w| w[0].end == w[1].start));
        }
    }

    #[test]
    fn range_stats_weight_by_time_and_sum_climbs() {
        let data = ChartData {
            time_s: vec![0.0, 10.0, 30.0, 40.0],
            distance_m: vec![0.0, 40.0, 120.0, 160.0],
            series: vec![
                ChartSeries {
                    id: "heart_rate".into(),
                    label: String::new(),
                    unit: String::new(),
                    values: vec![Some(100.0), Some(120.0), Some(150.0), None],
                },
                ChartSeries {
                    id: "altitude_m".into(),
                    label: String::new(),
                    unit: String::new(),
                    values: vec![Some(10.0), Some(14.0), Some(12.0), Some(20.0)],
                },
            ],
            route: None,
        };
        let s = data.range_stats(3, 0).unwrap();
        assert_eq!((s.start, s.end), (0, 3));
        assert_eq!((s.distance_m, s.timer_s), (160.0, 40.0));
        assert_eq!(s.avg_speed_mps, Some(4.0));
        // 120 bpm for 10 s, 150 for 20 s; the last point has none.
        assert_eq!(s.avg_hr, Some(140.0));
        assert_eq!((s.ascent_m, s.descent_m), (Some(12.0), Some(2.0)));
        assert_eq!(s.avg_cadence_spm, None);
        assert!(data.range_stats(2, 2).is_none());
        assert!(data.range_stats(0, 4).is_none());
    }
}
