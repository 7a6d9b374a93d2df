//! The runs list's logic, without the DOM: sorting by a column, filtering by sport and dates,
//! the month calendar and weekly/monthly distance totals. Dates are the runs' local start dates
//! ([`LocalRun::local_date`]), `YYYY-MM-DD`.

use std::cmp::Ordering;

use analysis::time;

use super::LocalRun;
use crate::format::SpeedStyle;

/// A sortable column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// Start time.
    Date,
    /// Distance.
    Distance,
    /// Timer time.
    Time,
    /// Average pace (faster first when ascending).
    Pace,
    /// Average heart rate.
    HeartRate,
    /// TRIMP.
    Load,
}

impl SortKey {
    /// Every column, in table order.
    pub const ALL: [SortKey; 6] = [
        Self::Date,
        Self::Distance,
        Self::Time,
        Self::Pace,
        Self::HeartRate,
        Self::Load,
    ];

    /// A stable id for tests and attributes: `date`, `distance`, …
    pub fn id(self) -> &'static str {
        match self {
            Self::Date => "date",
            Self::Distance => "distance",
            Self::Time => "time",
            Self::Pace => "pace",
            Self::HeartRate => "hr",
            Self::Load => "load",
        }
    }

    /// The column's heading.
    pub fn label(self) -> &'static str {
        match self {
            Self::Date => "Date",
            Self::Distance => "Distance",
            Self::Time => "Time",
            Self::Pace => "Pace",
            Self::HeartRate => "Avg HR",
            Self::Load => "Load (TRIMP)",
        }
    }

    /// The direction a first click sorts in: newest, longest, slowest-to-fastest reads
    /// oddly, so pace starts with the fastest.
    pub fn first_descending(self) -> bool {
        !matches!(self, Self::Pace)
    }

    fn value(self, run: &LocalRun) -> Option<f64> {
        let s = &run.summary;
        match self {
            Self::Date => None,
            Self::Distance => s.distance_m,
            Self::Time => s.timer_s,
            // Seconds per metre: smaller is faster. Only runs read as a pace: a ride is not a
            // fast run, so rides and swims sort after them.
            Self::Pace => run
                .avg_speed()
                .filter(|v| *v > 0.0 && SpeedStyle::of_sport(&s.sport).is_pace())
                .map(|v| 1.0 / v),
            Self::HeartRate => s.avg_hr,
            Self::Load => s.load.trimp,
        }
    }
}

/// Sorts `runs` by `key`; runs without the value go last either way, ties newest first.
pub fn sort_runs(runs: &mut [LocalRun], key: SortKey, descending: bool) {
    runs.sort_by(|a, b| {
        let primary = if key == SortKey::Date {
            match (&a.summary.start_time, &b.summary.start_time) {
                (Some(x), Some(y)) => directed(x.cmp(y), descending),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            }
        } else {
            match (key.value(a), key.value(b)) {
                (Some(x), Some(y)) => directed(x.total_cmp(&y), descending),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            }
        };
        primary
            .then_with(|| b.summary.start_time.cmp(&a.summary.start_time))
            .then_with(|| a.name.cmp(&b.name))
    });
}

fn directed(o: Ordering, descending: bool) -> Ordering {
    if descending { o.reverse() } else { o }
}

/// Which runs the list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunFilter {
    /// Only this sport (the summary's key, `running`), or every sport.
    pub sport: Option<String>,
    /// From this day on, `YYYY-MM-DD`, inclusive.
    pub from: Option<String>,
    /// Up to this day, inclusive.
    pub to: Option<String>,
}

impl RunFilter {
    /// Whether `run` passes. A run without a date passes only when no date bound is set.
    pub fn matches(&self, run: &LocalRun) -> bool {
        if self.sport.as_ref().is_some_and(|s| *s != run.summary.sport) {
            return false;
        }
        let date = run.local_date();
        let date = date.as_deref();
        fn bound(b: &Option<String>) -> Option<&str> {
            b.as_deref().filter(|b| !b.is_empty())
        }
        match (bound(&self.from), date) {
            (Some(_), None) => return false,
            (Some(from), Some(d)) if d < from => return false,
            _ => {}
        }
        match (bound(&self.to), date) {
            (Some(_), None) => false,
            (Some(to), Some(d)) => d <= to,
            _ => true,
        }
    }
}

impl RunFilter {
    /// What the list shows first: running when the library has runs, every sport otherwise.
    pub fn for_library(runs: &[LocalRun]) -> Self {
        let running = runs.iter().any(|r| r.summary.sport == RUNNING);
        Self {
            sport: running.then(|| RUNNING.to_owned()),
            ..Self::default()
        }
    }
}

/// The sport the list shows by default, and whose figures running records count.
pub const RUNNING: &str = "running";

/// The sports in `runs` (summary keys), sorted, each once.
pub fn sports(runs: &[LocalRun]) -> Vec<String> {
    let mut all: Vec<String> = runs.iter().map(|r| r.summary.sport.clone()).collect();
    all.sort();
    all.dedup();
    all
}

/// (year, month, day) of a date that starts `YYYY-MM-DD` (a date, or an RFC 3339 time), if it
/// is one (`analysis::time::parse_date`).
pub fn parse_date(date: &str) -> Option<(i32, u32, u32)> {
    let (y, m, d) = time::civil_from_days(time::parse_date(date.get(..10)?)?);
    Some((i32::try_from(y).ok()?, m, d))
}

fn run_day(run: &LocalRun) -> Option<i64> {
    time::parse_date(&run.local_date()?)
}

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    /// The year.
    pub year: i32,
    /// 1 to 12.
    pub month: u32,
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Month {
    /// The month of a `YYYY-MM-DD` date.
    pub fn of(date: &str) -> Option<Self> {
        parse_date(date).map(|(year, month, _)| Self { year, month })
    }

    /// The month of the newest dated run.
    pub fn latest(runs: &[LocalRun]) -> Option<Self> {
        runs.iter()
            .filter_map(LocalRun::local_date)
            .max()
            .and_then(|d| Self::of(&d))
    }

    /// The month before.
    pub fn prev(self) -> Self {
        if self.month == 1 {
            Self {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Self {
                month: self.month - 1,
                ..self
            }
        }
    }

    /// The month after.
    pub fn next(self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Self {
                month: self.month + 1,
                ..self
            }
        }
    }

    /// `May 2024`.
    pub fn title(self) -> String {
        format!("{} {}", MONTH_NAMES[(self.month - 1) as usize], self.year)
    }

    fn first_day(self) -> i64 {
        time::days_from_civil(i64::from(self.year), self.month, 1)
    }

    /// How many days the month has.
    pub fn len(self) -> u32 {
        (self.next().first_day() - self.first_day()) as u32
    }

    /// Always false: a month has days (for clippy's `len` convention).
    pub fn is_empty(self) -> bool {
        false
    }

    /// The month as weeks from Monday to Sunday; days outside it are `None`.
    pub fn weeks(self) -> Vec<[Option<u32>; 7]> {
        // 1970-01-01 was a Thursday: day 0 → index 3 from Monday.
        let lead = (self.first_day() + 3).rem_euclid(7) as usize;
        let mut weeks = Vec::new();
        let mut week = [None; 7];
        for day in 1..=self.len() {
            let at = (lead + day as usize - 1) % 7;
            week[at] = Some(day);
            if at == 6 {
                weeks.push(week);
                week = [None; 7];
            }
        }
        if week.iter().any(Option::is_some) {
            weeks.push(week);
        }
        weeks
    }

    /// The runs on each day of the month: `counts[day - 1]` runs and their distance.
    pub fn days(self, runs: &[LocalRun]) -> Vec<(u32, f64)> {
        let first = self.first_day();
        let mut days = vec![(0, 0.0); self.len() as usize];
        for run in runs {
            if let Some(d) = run_day(run)
                && let Ok(i) = usize::try_from(d - first)
                && let Some(slot) = days.get_mut(i)
            {
                slot.0 += 1;
                slot.1 += run.summary.distance_m.unwrap_or(0.0);
            }
        }
        days
    }

    /// `YYYY-MM-DD` of a day of the month.
    pub fn date(self, day: u32) -> String {
        format!("{:04}-{:02}-{day:02}", self.year, self.month)
    }
}

/// One bar of the volume chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Volume {
    /// The first day of the week (Monday) or month, `YYYY-MM-DD`.
    pub start: String,
    /// Distance in metres.
    pub meters: f64,
    /// Runs in it.
    pub runs: usize,
}

/// Distance per week (Monday to Sunday), the `count` weeks up to the newest run's.
pub fn weekly_volume(runs: &[LocalRun], count: usize) -> Vec<Volume> {
    let days: Vec<(i64, f64)> = runs
        .iter()
        .filter_map(|r| Some((run_day(r)?, r.summary.distance_m.unwrap_or(0.0))))
        .collect();
    let Some(last) = days.iter().map(|d| d.0).max() else {
        return Vec::new();
    };
    let monday = |d: i64| d - (d + 3).rem_euclid(7);
    let last_week = monday(last);
    let first_week = last_week - 7 * (count as i64 - 1);
    let mut bars: Vec<Volume> = (0..count as i64)
        .map(|i| Volume {
            start: time::date_text(first_week + 7 * i),
            meters: 0.0,
            runs: 0,
        })
        .collect();
    for (day, meters) in days {
        if let Ok(i) = usize::try_from((monday(day) - first_week) / 7)
            && day >= first_week
            && let Some(bar) = bars.get_mut(i)
        {
            bar.meters += meters;
            bar.runs += 1;
        }
    }
    bars
}

/// Distance per calendar month, the `count` months up to the newest run's.
pub fn monthly_volume(runs: &[LocalRun], count: usize) -> Vec<Volume> {
    let Some(last) = Month::latest(runs) else {
        return Vec::new();
    };
    let mut months = vec![last];
    while months.len() < count {
        let before = months[months.len() - 1].prev();
        months.push(before);
    }
    months.reverse();
    let mut bars: Vec<Volume> = months
        .iter()
        .map(|m| Volume {
            start: m.date(1),
            meters: 0.0,
            runs: 0,
        })
        .collect();
    for run in runs {
        let Some(m) = run.local_date().as_deref().and_then(Month::of) else {
            continue;
        };
        if let Some(i) = months.iter().position(|x| *x == m) {
            bars[i].meters += run.summary.distance_m.unwrap_or(0.0);
            bars[i].runs += 1;
        }
    }
    bars
}

#[cfg(test)]
mod tests {
    use super::*;
    use analysis::RunSummary;

    fn run(
        name: &str,
        start: Option<&str>,
        sport: &str,
        km: Option<f64>,
        timer: f64,
        hr: Option<f64>,
    ) -> LocalRun {
        let mut summary = RunSummary {
            start_time: start.map(str::to_owned),
            sport: sport.to_owned(),
            distance_m: km.map(|k| k * 1000.0),
            timer_s: Some(timer),
            avg_hr: hr,
            ..RunSummary::default()
        };
        summary.load.trimp = hr.map(|h| h / 2.0);
        LocalRun {
            id: name.to_owned(),
            name: name.to_owned(),
            size: 0.0,
            summary,
            ..LocalRun::default()
        }
    }

    fn library() -> Vec<LocalRun> {
        vec![
            run(
                "a",
                Some("2024-05-01T06:30:00Z"),
                "running",
                Some(10.0),
                3000.0,
                Some(150.0),
            ),
            run(
                "b",
                Some("2024-05-06T07:00:00Z"),
                "cycling",
                Some(40.0),
                5400.0,
                Some(130.0),
            ),
            run(
                "c",
                Some("2024-04-30T18:00:00Z"),
                "running",
                Some(5.0),
                1200.0,
                None,
            ),
            run("d", None, "running", None, 600.0, Some(170.0)),
        ]
    }

    fn names(runs: &[LocalRun]) -> Vec<&str> {
        runs.iter().map(|r| r.name.as_str()).collect()
    }

    #[test]
    fn sorting_by_each_column() {
        let mut runs = library();
        sort_runs(&mut runs, SortKey::Date, true);
        assert_eq!(names(&runs), ["b", "a", "c", "d"]);
        sort_runs(&mut runs, SortKey::Date, false);
        assert_eq!(names(&runs), ["c", "a", "b", "d"]);
        sort_runs(&mut runs, SortKey::Distance, true);
        assert_eq!(names(&runs), ["b", "a", "c", "d"]);
        sort_runs(&mut runs, SortKey::Time, false);
        assert_eq!(names(&runs), ["d", "c", "a", "b"]);
        // Pace: c 4:00/km, a 5:00/km; b is a ride (2:15/km as a pace, but no run), d has no
        // distance: both after the runs.
        sort_runs(&mut runs, SortKey::Pace, false);
        assert_eq!(names(&runs), ["c", "a", "b", "d"]);
        sort_runs(&mut runs, SortKey::HeartRate, true);
        assert_eq!(names(&runs), ["d", "a", "b", "c"]);
        sort_runs(&mut runs, SortKey::Load, false);
        assert_eq!(names(&runs), ["b", "a", "d", "c"]);
    }

    #[test]
    fn filtering_by_sport_and_dates() {
        let runs = library();
        let pass = |f: &RunFilter| {
            names(
                &runs
                    .iter()
                    .filter(|r| f.matches(r))
                    .cloned()
                    .collect::<Vec<_>>(),
            )
            .join("")
        };
        assert_eq!(pass(&RunFilter::default()), "abcd");
        let running = RunFilter {
            sport: Some("running".into()),
            ..Default::default()
        };
        assert_eq!(pass(&running), "acd");
        let may = RunFilter {
            from: Some("2024-05-01".into()),
            to: Some("2024-05-05".into()),
            sport: None,
        };
        assert_eq!(pass(&may), "a");
        let empty_bounds = RunFilter {
            from: Some(String::new()),
            to: Some(String::new()),
            sport: None,
        };
        assert_eq!(pass(&empty_bounds), "abcd");
        let until = RunFilter {
            to: Some("2024-04-30".into()),
            ..Default::default()
        };
        assert_eq!(pass(&until), "c");
        assert_eq!(sports(&runs), ["cycling", "running"]);
        // Running first when there are runs; every sport for a library of rides.
        assert_eq!(RunFilter::for_library(&runs), running);
        let rides: Vec<LocalRun> = runs
            .iter()
            .filter(|r| r.summary.sport == "cycling")
            .cloned()
            .collect();
        assert_eq!(RunFilter::for_library(&rides), RunFilter::default());
    }

    #[test]
    fn day_numbers() {
        assert_eq!(parse_date("2024-05-01T06:30:00Z"), Some((2024, 5, 1)));
        assert_eq!(parse_date("2024-02-30"), None);
        assert_eq!(parse_date("2024-13-01"), None);
        assert_eq!(parse_date("–"), None);
    }

    #[test]
    fn a_month_as_weeks() {
        // May 2024 began on a Wednesday and has 31 days; February 2024 had 29.
        let may = Month {
            year: 2024,
            month: 5,
        };
        assert_eq!(may.title(), "May 2024");
        assert_eq!(may.len(), 31);
        assert_eq!(
            Month {
                year: 2024,
                month: 2
            }
            .len(),
            29
        );
        assert_eq!(
            Month {
                year: 2023,
                month: 2
            }
            .len(),
            28
        );
        let weeks = may.weeks();
        assert_eq!(weeks.len(), 5);
        assert_eq!(
            weeks[0],
            [None, None, Some(1), Some(2), Some(3), Some(4), Some(5)]
        );
        assert_eq!(
            weeks[4],
            [Some(27), Some(28), Some(29), Some(30), Some(31), None, None]
        );
        assert_eq!(
            may.prev(),
            Month {
                year: 2024,
                month: 4
            }
        );
        assert_eq!(
            Month {
                year: 2024,
                month: 12
            }
            .next(),
            Month {
                year: 2025,
                month: 1
            }
        );
        assert_eq!(
            Month {
                year: 2024,
                month: 1
            }
            .prev(),
            Month {
                year: 2023,
                month: 12
            }
        );

        let runs = library();
        assert_eq!(Month::latest(&runs), Some(may));
        let days = may.days(&runs);
        assert_eq!(days[0], (1, 10_000.0));
        assert_eq!(days[5], (1, 40_000.0));
        assert_eq!(days.iter().map(|d| d.0).sum::<u32>(), 2);
        assert_eq!(may.date(6), "2024-05-06");
    }

    #[test]
    fn weekly_and_monthly_distance() {
        let runs = library();
        // 2024-05-06 is a Monday; the week before began on 2024-04-29 (c on the 30th, a on 1 May).
        let weeks = weekly_volume(&runs, 3);
        assert_eq!(
            weeks,
            [
                Volume {
                    start: "2024-04-22".into(),
                    meters: 0.0,
                    runs: 0
                },
                Volume {
                    start: "2024-04-29".into(),
                    meters: 15_000.0,
                    runs: 2
                },
                Volume {
                    start: "2024-05-06".into(),
                    meters: 40_000.0,
                    runs: 1
                },
            ]
        );
        let months = monthly_volume(&runs, 2);
        assert_eq!(
            months,
            [
                Volume {
                    start: "2024-04-01".into(),
                    meters: 5_000.0,
                    runs: 1
                },
                Volume {
                    start: "2024-05-01".into(),
                    meters: 50_000.0,
                    runs: 2
                },
            ]
        );
        assert!(weekly_volume(&[], 12).is_empty());
        assert_eq!(monthly_volume(&runs, 14).len(), 14);
    }

    #[test]
    fn runs_count_on_their_local_day() {
        // 23:30 UTC on a Sunday, 30 April, is 01:30 on Monday 1 May in Berlin's summer: the
        // list shows 1 May, so the filter, the calendar, the weeks and the months count it there.
        let mut late = run(
            "late",
            Some("2023-04-30T23:30:00Z"),
            "running",
            Some(10.0),
            3000.0,
            None,
        );
        late.summary.utc_offset_s = Some(7_200.0);
        let runs = vec![late.clone()];
        assert_eq!(late.local_date().as_deref(), Some("2023-05-01"));
        let may = RunFilter {
            from: Some("2023-05-01".into()),
            ..RunFilter::default()
        };
        let april = RunFilter {
            to: Some("2023-04-30".into()),
            ..RunFilter::default()
        };
        assert!(may.matches(&late) && !april.matches(&late));
        let month = Month::latest(&runs).unwrap();
        assert_eq!((month.year, month.month), (2023, 5));
        assert_eq!(month.days(&runs)[0], (1, 10_000.0));
        let weeks = weekly_volume(&runs, 1);
        assert_eq!((weeks[0].start.as_str(), weeks[0].runs), ("2023-05-01", 1));
        let months = monthly_volume(&runs, 1);
        assert_eq!(
            (months[0].start.as_str(), months[0].runs),
            ("2023-05-01", 1)
        );
    }
}
