//! Personal records: the fastest time over each standard distance in the whole library, running
//! only, from the best efforts each run's summary already has (timed on the timer), with the run
//! that set it and how the record came down over time, as Strava and Garmin Connect show them.

use analysis::metrics::best_efforts::STANDARD_DISTANCES;
use analysis::summary::distance_key;

use super::LocalRun;
use super::run_list::RUNNING;

/// A best effort of one run over one distance.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordEffort {
    /// The run's id.
    pub run_id: String,
    /// The run's start, RFC 3339 UTC.
    pub start_time: String,
    /// Seconds over the distance.
    pub seconds: f64,
}

/// The record over one distance and how it came to be.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The metric id of the distance (`best_5000m_s`).
    pub id: &'static str,
    /// "5 km".
    pub label: &'static str,
    /// Metres.
    pub meters: f64,
    /// Every effort that was a record when it was run, oldest first; the last is the record.
    pub progression: Vec<RecordEffort>,
}

impl Record {
    /// The current record.
    pub fn best(&self) -> Option<&RecordEffort> {
        self.progression.last()
    }
}

/// The records of `runs` (running only; undated runs cannot be placed in a progression and are
/// left out), one per standard distance that some run covers, shortest first.
pub fn records(runs: &[LocalRun]) -> Vec<Record> {
    let mut dated: Vec<&LocalRun> = runs
        .iter()
        .filter(|r| r.summary.sport == RUNNING && r.summary.start_time.is_some())
        .collect();
    dated.sort_by(|a, b| a.summary.start_time.cmp(&b.summary.start_time));
    STANDARD_DISTANCES
        .iter()
        .filter_map(|d| {
            let k = distance_key(d.meters);
            let mut progression: Vec<RecordEffort> = Vec::new();
            for r in &dated {
                let Some(&seconds) = r.summary.best_efforts.get(&k) else {
                    continue;
                };
                if !(seconds.is_finite() && seconds > 0.0) {
                    continue;
                }
                if progression.last().is_none_or(|best| seconds < best.seconds) {
                    progression.push(RecordEffort {
                        run_id: r.id.clone(),
                        start_time: r.summary.start_time.clone().unwrap_or_default(),
                        seconds,
                    });
                }
            }
            (!progression.is_empty()).then_some(Record {
                id: d.id,
                label: d.label,
                meters: d.meters,
                progression,
            })
        })
        .collect()
}

/// The distances over which run `id` set a record when it was run (it may have been beaten
/// since): the labels, shortest first.
pub fn records_set_by<'a>(records: &'a [Record], id: &str) -> Vec<&'a Record> {
    records
        .iter()
        .filter(|r| r.progression.iter().any(|e| e.run_id == id))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use analysis::RunSummary;

    fn run(id: &str, sport: &str, start: &str, efforts: &[(&str, f64)]) -> LocalRun {
        LocalRun {
            id: id.to_owned(),
            name: format!("{id}.fit"),
            summary: RunSummary {
                sport: sport.to_owned(),
                start_time: Some(start.to_owned()),
                best_efforts: efforts.iter().map(|&(k, v)| (k.to_owned(), v)).collect(),
                ..RunSummary::default()
            },
            ..LocalRun::default()
        }
    }

    #[test]
    fn records_come_down_over_time_running_only() {
        let runs = vec![
            run(
                "c",
                "running",
                "2024-03-01T07:00:00Z",
                &[("1000", 230.0), ("5000", 1_300.0)],
            ),
            run(
                "a",
                "running",
                "2024-01-01T07:00:00Z",
                &[("1000", 250.0), ("5000", 1_320.0)],
            ),
            run(
                "b",
                "running",
                "2024-02-01T07:00:00Z",
                &[("1000", 240.0), ("5000", 1_330.0)],
            ),
            // A ride's "best 5 km" is no running record.
            run(
                "r",
                "cycling",
                "2024-02-15T07:00:00Z",
                &[("1000", 80.0), ("5000", 420.0)],
            ),
            run(
                "m",
                "running",
                "2024-04-01T07:00:00Z",
                &[("1609.344", 390.0)],
            ),
        ];
        let rec = records(&runs);
        let labels: Vec<&str> = rec.iter().map(|r| r.label).collect();
        assert_eq!(labels, ["1 km", "1 mile", "5 km"]);
        let km = &rec[0];
        let ids: Vec<&str> = km.progression.iter().map(|e| e.run_id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(km.best().unwrap().seconds, 230.0);
        // b's 5 km (1,330 s) was slower than a's: not a record then, not in the progression.
        let five: Vec<&str> = rec[2]
            .progression
            .iter()
            .map(|e| e.run_id.as_str())
            .collect();
        assert_eq!(five, ["a", "c"]);
        let by_b: Vec<&str> = records_set_by(&rec, "b").iter().map(|r| r.label).collect();
        assert_eq!(by_b, ["1 km"]);
        assert!(records_set_by(&rec, "r").is_empty());
    }
}
