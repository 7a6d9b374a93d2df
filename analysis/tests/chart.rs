//! Chart data of real runs against the same runs' report: the charts and a whole-run selection
//! must tell the same story as the summary tiles.

use analysis::chart::{self, Axis, ChartData};
use analysis::metrics::Run;
use analysis::{Athlete, RunReport, analyze};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/fixtures");

fn load(path: &str) -> (ChartData, RunReport) {
    let bytes = std::fs::read(format!("{FIXTURES}/{path}")).expect("fixture present");
    let activity = analysis::decode(&bytes).expect("decodes");
    let athlete = Athlete::default();
    let data = chart::chart_data(&Run::new(&activity, &athlete)).expect("chart data");
    (data, analyze(&activity, &athlete))
}

fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance
}

/// Garmin Forerunner 955 with a Stryd pod (GoldenCheetah's test files, read in place, not
/// copied): 1:52 of running, 6 743 records with GPS, heart rate, cadence, altitude and Stryd
/// power (a developer field).
#[test]
fn fr955_charts_agree_with_the_report() {
    let (data, report) = load("goldencheetah/14211916346_ACTIVITY.fit");
    let m = |id: &str| report.metrics.get(id).unwrap_or_else(|| panic!("{id}"));
    let n = data.time_s.len();
    assert_eq!(n, chart::MAX_POINTS);
    assert_eq!(data.distance_m.len(), n);
    assert!(data.time_s.windows(2).all(|w| w[0] <= w[1]));
    assert!(data.distance_m.windows(2).all(|w| w[0] <= w[1]));
    let ids: Vec<&str> = data.series.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "speed_mps",
            "gap_speed_mps",
            "heart_rate",
            "altitude_m",
            "cadence_spm",
            "power_w"
        ]
    );
    assert!(data.series.iter().all(|s| s.values.len() == n));

    // The last point is the end of the run: the report's distance and timer time.
    assert!(close(data.distance_m[n - 1], m("distance_m"), 1.0));
    assert!(
        close(data.time_s[n - 1], m("timer_s"), 2.0),
        "{}",
        data.time_s[n - 1]
    );

    // Selecting the whole run gives the summary's averages.
    let all = data.range_stats(0, n - 1).expect("stats");
    assert!(
        close(all.avg_hr.unwrap(), m("avg_hr"), 1.0),
        "{:?}",
        all.avg_hr
    );
    assert!(close(
        all.avg_cadence_spm.unwrap(),
        m("avg_cadence_spm"),
        1.5
    ));
    assert!(close(
        all.avg_power_w.unwrap(),
        m("avg_power_w"),
        m("avg_power_w") * 0.02
    ));
    assert!(close(all.avg_speed_mps.unwrap(), m("avg_speed_mps"), 0.02));

    // The first kilometre, selected by distance, is the first split.
    let a = data.nearest(Axis::Distance, 0.0).unwrap();
    let b = data.nearest(Axis::Distance, 1000.0).unwrap();
    let first = data.range_stats(a, b).unwrap();
    let split = &report.splits_km[0].stats;
    // Points are about 18 m apart (21.6 km in 1 200 points), so the selection ends near 1 km
    // and its pace is the split's.
    assert!(
        close(first.distance_m, 1000.0, 40.0),
        "{}",
        first.distance_m
    );
    let pace = first.timer_s / first.distance_m * 1000.0;
    assert!(
        close(pace, split.timer_s, split.timer_s * 0.01),
        "{pace} vs {}",
        split.timer_s
    );

    // The route starts at the origin of its frame and spans the run.
    let route = data.route.as_ref().expect("route");
    assert_eq!(route.x_m.len(), n);
    assert_eq!(route.raw_x_m.len(), n);
    let (x0, y0) = (route.x_m[0].unwrap(), route.y_m[0].unwrap());
    assert!(x0.hypot(y0) < 30.0, "{x0}, {y0}");
    let rejected = report.gps.as_ref().unwrap().rejected_points;
    assert_eq!(route.rejected.len(), rejected.min(chart::MAX_REJECTED));
}

/// Ten hours at 1 Hz (generated with Garmin's SDK): 36 001 records become 1 200 points, every
/// channel with a value at each.
#[test]
fn ten_hour_run_is_thinned_to_the_chart_width() {
    let (data, report) = load("synthetic/synthetic-10h-run-full.fit");
    assert_eq!(data.time_s.len(), chart::MAX_POINTS);
    assert!(close(
        *data.time_s.last().unwrap(),
        report.metrics.get("timer_s").unwrap(),
        2.0
    ));
    let hr = data.series("heart_rate").expect("heart rate");
    assert!(hr.values.iter().all(Option::is_some));
    let (lo, hi) = hr.extent(0.0, 1.0).unwrap();
    assert!(lo >= report.metrics.get("avg_hr").unwrap() - 60.0);
    assert!(hi <= report.metrics.get("max_hr").unwrap());
}

/// A file with no records gives no chart rather than an empty one.
#[test]
fn no_records_no_chart() {
    let activity = analysis::Activity::default();
    let athlete = Athlete::default();
    assert!(chart::chart_data(&Run::new(&activity, &athlete)).is_none());
}
