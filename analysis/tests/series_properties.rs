//! Properties of the series algorithms, the quality checks and the metrics on generated
//! columns: finite input gives finite output, results stay in range, and nothing panics on
//! arbitrary data (NaN, infinities, times out of order, columns of different lengths).

#![cfg(not(target_arch = "wasm32"))]

use analysis::metrics::{self, Run};
use analysis::quality::{gps, heart_rate};
use analysis::series::{ConstantVelocity, exponential, grade, moving_average, rolling_mean};
use analysis::{Activity, Athlete, Event, Records, Sport};
use proptest::prelude::*;

/// Non-decreasing, finite times: cumulative steps of 0 to 30 s.
fn times(len: std::ops::Range<usize>) -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(0.0f64..30.0, len).prop_map(|steps| {
        let mut t = 1.6e9;
        steps
            .into_iter()
            .map(|s| {
                t += s;
                t
            })
            .collect()
    })
}

/// Any f64 at all, with the awkward ones often.
fn any_value() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>(),
        -200.0f64..200.0,
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(0.0),
    ]
}

fn any_column(len: usize) -> impl Strategy<Value = Option<Vec<f64>>> {
    prop::option::of(prop::collection::vec(any_value(), 0..len))
}

fn narrow(c: Option<Vec<f64>>) -> Option<Vec<f32>> {
    c.map(|v| v.into_iter().map(|x| x as f32).collect())
}

/// An activity with arbitrary columns (of arbitrary lengths) and a few timer events.
fn arbitrary_activity() -> impl Strategy<Value = Activity> {
    (
        prop_oneof![prop::collection::vec(any_value(), 0..150), times(0..150)],
        (any_column(150), any_column(150), any_column(150)),
        (
            any_column(150),
            any_column(150),
            any_column(150),
            any_column(150),
        ),
        prop::collection::vec((any_value(), 0u8..5), 0..4),
        prop_oneof![
            Just(Sport::Running),
            Just(Sport::Cycling),
            Just(Sport::Multisport)
        ],
    )
        .prop_map(
            |(time, (lat, lon, distance), (speed, alt, hr, cadence), events, sport)| Activity {
                sport,
                records: Records {
                    time,
                    latitude: lat,
                    longitude: lon,
                    distance,
                    speed: narrow(speed),
                    altitude: narrow(alt),
                    heart_rate: narrow(hr),
                    cadence: narrow(cadence),
                    ..Records::default()
                },
                events: events
                    .into_iter()
                    .map(|(t, e)| Event {
                        time: Some(t),
                        event: Some(0),
                        event_type: Some(e),
                        data: None,
                    })
                    .collect(),
                ..Activity::default()
            },
        )
}

/// A plausible track: a random walk near Zürich at running speed, with some garbage mixed in.
fn messy_track() -> impl Strategy<Value = Activity> {
    (
        times(2..300),
        prop::collection::vec((-6.0f64..6.0, -6.0f64..6.0), 300),
        prop::collection::vec(0u8..20, 300),
    )
        .prop_map(|(time, steps, garbage)| {
            let n = time.len();
            let (mut lat, mut lon) = (Vec::with_capacity(n), Vec::with_capacity(n));
            let (mut y, mut x) = (47.37, 8.54);
            for k in 0..n {
                y += steps[k].1 / 111_195.0;
                x += steps[k].0 / 75_000.0;
                let (la, lo) = match garbage[k] {
                    0 => (f64::NAN, f64::NAN),
                    1 => (0.0, 0.0),
                    2 => (y + 0.01, x),
                    3 => (y, x - 0.02),
                    _ => (y, x),
                };
                lat.push(la);
                lon.push(lo);
            }
            Activity {
                sport: Sport::Running,
                records: Records {
                    time,
                    latitude: Some(lat),
                    longitude: Some(lon),
                    ..Records::default()
                },
                ..Activity::default()
            }
        })
}

proptest! {
    #[test]
    fn smoothing_finite_input_gives_finite_output_within_its_range(
        (t, y) in (1usize..200).prop_flat_map(|n| {
            (times(n..n + 1), prop::collection::vec(-1e6f64..1e6, n..n + 1))
        }),
        width in 0.0f64..120.0,
    ) {
        let (lo, hi) = y.iter().fold((f64::MAX, f64::MIN), |(a, b), &v| (a.min(v), b.max(v)));
        let tolerance = 1e-9 * (hi - lo).abs().max(1.0);
        let durations = analysis::series::timer_durations(&t, &[]);
        let results = [
            moving_average(&t, &y, width),
            exponential(&t, &y, width),
            rolling_mean(&y, &durations, width),
        ];
        for s in results {
            prop_assert_eq!(s.len(), y.len());
            for v in s {
                prop_assert!(v.is_finite());
                let inside = v >= lo - tolerance && v <= hi + tolerance;
                prop_assert!(inside, "{} not in [{}, {}]", v, lo, hi);
            }
        }
    }

    #[test]
    fn the_kalman_smoother_keeps_finite_fixes_finite(
        (t, xy) in (2usize..200).prop_flat_map(|n| (
            times(n..n + 1).prop_map(|t| t.iter().map(|v| v - 1.6e9).collect::<Vec<f64>>()),
            prop::collection::vec((-1e4f64..1e4, -1e4f64..1e4), n..n + 1),
        )),
    ) {
        let (x, y): (Vec<f64>, Vec<f64>) = xy.into_iter().unzip();
        let track = ConstantVelocity::default().smooth(&t, &x, &y);
        // Steps are at most 30 s, within one segment: every sample is smoothed.
        for k in 0..t.len() {
            prop_assert!(track.x[k].is_finite() && track.y[k].is_finite());
            prop_assert!(track.vx[k].is_finite() && track.vy[k].is_finite());
        }
    }

    #[test]
    fn grade_is_nan_or_within_the_clamp(
        (d, alt) in (1usize..200).prop_flat_map(|n| (
            prop::collection::vec(0.0f64..20.0, n..n + 1).prop_map(|steps| {
                steps.iter().scan(0.0, |a, v| { *a += v; Some(*a) }).collect::<Vec<f64>>()
            }),
            prop::collection::vec(prop_oneof![-500.0f32..3000.0, Just(f32::NAN)], n..n + 1),
        )),
    ) {
        for g in grade(&d, &alt, 50.0) {
            prop_assert!(g.is_nan() || g.abs() <= 0.45);
        }
    }

    #[test]
    fn gps_assessment_of_a_messy_track_is_sane(activity in messy_track()) {
        if let Some(q) = gps::assess(&activity) {
            prop_assert!(q.distance_m.is_finite() && q.distance_m >= 0.0);
            prop_assert!(q.raw_distance_m.is_finite() && q.raw_distance_m >= 0.0);
            prop_assert!((0.0..=100.0).contains(&q.score));
            prop_assert_eq!(q.latitude.len(), activity.records.len());
            prop_assert_eq!(q.rejected.iter().filter(|r| **r).count(), q.rejected_points);
            prop_assert!(q.rejected_points <= q.fixes);
        }
    }

    #[test]
    fn quality_checks_and_metrics_never_panic_on_arbitrary_columns(
        activity in arbitrary_activity(),
    ) {
        if let Some(q) = gps::assess(&activity) {
            prop_assert!(q.distance_m.is_finite() && q.distance_m >= 0.0);
            prop_assert!((0.0..=100.0).contains(&q.score));
        }
        if let Some(q) = heart_rate::assess(&activity) {
            prop_assert!(q.valid_samples > 0);
            prop_assert!(q.flags.iter().all(|f| f.start_index <= f.end_index));
        }
        let athlete = Athlete { threshold_speed: Some(4.0), ..Athlete::default() };
        let values = metrics::compute_all(&Run::new(&activity, &athlete));
        prop_assert!(values.iter().all(|(_, v)| v.is_finite()));
    }
}
