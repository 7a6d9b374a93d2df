//! Time in heart-rate and pace zones, over timer time.

use serde::{Deserialize, Serialize};

use crate::metrics::{HrAnchors, Run};

/// One zone: its bounds and the timer time spent in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Zone {
    /// 1 for the easiest zone.
    pub index: usize,
    /// Lower bound (bpm, or m/s for pace zones); 0 for zone 1.
    pub low: f64,
    /// Upper bound; `None` for an open top zone. Samples above the top zone's bound count in it.
    pub high: Option<f64>,
    /// Timer seconds spent in the zone.
    pub seconds: f64,
}

/// A set of zones and the time in each.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Zones {
    /// How the bounds were set, for the "how is this computed?" note.
    pub scheme: String,
    /// The zones, easiest first.
    pub zones: Vec<Zone>,
}

/// Default heart-rate zone tops as fractions of maximum heart rate: 60, 70, 80, 90 and 100 %.
/// These are Edwards' five zones (Edwards 1993, "The Heart Rate Monitor Book"; 50–60 … 90–100 %
/// HRmax, the zones of Edwards TRIMP in ALGORITHMS.md) and Garmin's default; time under 50 %
/// counts in zone 1.
pub const HR_ZONE_TOPS_OF_MAX: [f64; 5] = [0.6, 0.7, 0.8, 0.9, 1.0];

/// Default pace zones from threshold pace, after Joe Friel's running pace zones ("Quick Guide to
/// Setting Zones", 2009), as percentages of functional threshold pace: zone 1 slower than 129 %,
/// zone 2 114–129 %, zone 3 106–113 %, zone 4 99–105 %, zone 5 faster than 99 % (Friel's 5a–5c
/// together). Stored as the pace ratios at the top (fast end) of zones 1–4; the speed bound is
/// threshold speed / ratio.
pub const FRIEL_PACE_RATIOS: [f64; 4] = [1.29, 1.14, 1.06, 0.99];

/// Zones whose upper bounds are `tops` (ascending; the last open when `open_top`), with the
/// timer seconds of each `(value, seconds)` sample added to its zone.
fn tally(
    scheme: String,
    tops: &[f64],
    open_top: bool,
    samples: impl Iterator<Item = (f64, f64)>,
) -> Zones {
    let n = tops.len() + usize::from(open_top);
    let mut seconds = vec![0.0; n];
    for (v, w) in samples {
        let k = tops.partition_point(|&top| top <= v).min(n - 1);
        seconds[k] += w;
    }
    let zones = seconds
        .into_iter()
        .enumerate()
        .map(|(k, s)| Zone {
            index: k + 1,
            low: if k == 0 { 0.0 } else { tops[k - 1] },
            high: tops.get(k).copied(),
            seconds: s,
        })
        .collect();
    Zones { scheme, zones }
}

/// Heart-rate zones: the athlete's ([`Athlete::hr_zones`](crate::Athlete::hr_zones)), else
/// [`HR_ZONE_TOPS_OF_MAX`] of the maximum heart rate from [`HrAnchors::of`]. `None` without
/// heart rate.
pub fn hr_zones(run: &Run<'_>) -> Option<Zones> {
    let hr = run.column(&run.activity.records.heart_rate)?;
    if !hr.iter().any(|v| v.is_finite() && *v > 0.0) {
        return None;
    }
    let (scheme, tops) = match run.athlete.hr_zones.as_ref().filter(|z| valid(z)) {
        Some(z) => ("the athlete's heart-rate zones".to_owned(), z.clone()),
        None => {
            let max = HrAnchors::of(run).max;
            (
                format!("% of maximum heart rate ({max:.0} bpm): 60/70/80/90/100 % (Edwards 1993)"),
                HR_ZONE_TOPS_OF_MAX.iter().map(|f| f * max).collect(),
            )
        }
    };
    let samples = run.held_f32(hr).filter(|&(v, _)| v > 0.0);
    Some(tally(scheme, &tops, false, samples))
}

/// Pace zones over the smoothed speed ([`Run::smoothed_speed`]): the athlete's
/// ([`Athlete::pace_zones`](crate::Athlete::pace_zones)), else Friel's from the threshold speed
/// ([`FRIEL_PACE_RATIOS`]). `None` without either, or without distance.
pub fn pace_zones(run: &Run<'_>) -> Option<Zones> {
    let (scheme, tops, open) = match run.athlete.pace_zones.as_ref().filter(|z| valid(z)) {
        Some(z) => ("the athlete's pace zones".to_owned(), z.clone(), false),
        None => {
            let threshold = run.athlete.threshold_speed.filter(|v| *v > 0.0)?;
            (
                format!(
                    "% of threshold pace ({:.0} s/km): slower than 129 %, 114–129, 106–113, \
                     99–105, faster than 99 % (Friel 2009)",
                    1000.0 / threshold
                ),
                FRIEL_PACE_RATIOS.iter().map(|r| threshold / r).collect(),
                true,
            )
        }
    };
    let speed = run.smoothed_speed()?;
    Some(tally(scheme, &tops, open, run.held_f64(speed)))
}

/// Zone bounds are usable: at least one, finite, positive and ascending.
fn valid(tops: &[f64]) -> bool {
    !tops.is_empty()
        && tops.iter().all(|v| v.is_finite() && *v > 0.0)
        && tops.windows(2).all(|w| w[0] < w[1])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Activity, Athlete, Records};

    /// 1 Hz: `secs` seconds at each (heart rate, speed).
    fn run(parts: &[(u32, f32, f64)]) -> Activity {
        let (mut time, mut hr, mut distance) = (vec![], vec![], vec![]);
        let (mut t, mut d) = (0.0, 0.0);
        for &(secs, h, v) in parts {
            for _ in 0..secs {
                time.push(t);
                hr.push(h);
                distance.push(d);
                t += 1.0;
                d += v;
            }
        }
        time.push(t);
        hr.push(f32::NAN);
        distance.push(d);
        Activity {
            records: Records {
                time,
                heart_rate: Some(hr),
                distance: Some(distance),
                ..Records::default()
            },
            ..Activity::default()
        }
    }

    fn seconds(z: &Zones) -> Vec<f64> {
        z.zones.iter().map(|z| z.seconds.round()).collect()
    }

    #[test]
    fn default_hr_zones_from_max() {
        // Max 200: zone tops 120/140/160/180/200 bpm.
        let a = run(&[
            (600, 110.0, 3.0),
            (600, 150.0, 3.0),
            (300, 185.0, 3.0),
            (60, 205.0, 3.0),
        ]);
        let athlete = Athlete {
            max_hr: Some(200.0),
            ..Athlete::default()
        };
        let z = hr_zones(&Run::new(&a, &athlete)).unwrap();
        assert_eq!(seconds(&z), vec![600.0, 0.0, 600.0, 0.0, 360.0]);
        assert_eq!(z.zones[2].low, 140.0);
        assert_eq!(z.zones[2].high, Some(160.0));
        assert!(z.scheme.contains("Edwards"));
    }

    #[test]
    fn athlete_hr_zones() {
        let a = run(&[(100, 130.0, 3.0), (100, 150.0, 3.0)]);
        let athlete = Athlete {
            hr_zones: Some(vec![140.0, 170.0]),
            ..Athlete::default()
        };
        let z = hr_zones(&Run::new(&a, &athlete)).unwrap();
        assert_eq!(seconds(&z), vec![100.0, 100.0]);
        // No heart rate, no zones.
        let mut b = a.clone();
        b.records.heart_rate = None;
        assert!(hr_zones(&Run::new(&b, &athlete)).is_none());
    }

    #[test]
    fn friel_pace_zones_from_threshold() {
        // Threshold 4:00/km (4.1667 m/s). 10 min easy at 6:00/km (150 %: zone 1), 10 min at
        // 4:10/km (104 %: zone 4), 2 min at 3:30/km (88 %: zone 5).
        let threshold = 1000.0 / 240.0;
        let a = run(&[
            (600, 140.0, 1000.0 / 360.0),
            (600, 165.0, 1000.0 / 250.0),
            (120, 180.0, 1000.0 / 210.0),
        ]);
        let athlete = Athlete {
            threshold_speed: Some(threshold),
            ..Athlete::default()
        };
        let z = pace_zones(&Run::new(&a, &athlete)).unwrap();
        // The 5-s smoothing blurs each change of pace by a few seconds.
        let s = seconds(&z);
        assert_eq!(s.len(), 5);
        assert!((s[0] - 600.0).abs() <= 3.0, "{s:?}");
        assert!((s[3] - 600.0).abs() <= 3.0, "{s:?}");
        assert!((s[4] - 120.0).abs() <= 3.0, "{s:?}");
        assert_eq!(s.iter().sum::<f64>(), 1320.0);
        assert_eq!(z.zones[4].high, None);
        assert!((z.zones[3].high.unwrap() - threshold / 0.99).abs() < 1e-12);
        // Without a threshold or zones: none.
        assert!(pace_zones(&Run::new(&a, &Athlete::default())).is_none());
    }
}
