use analysis::RunSummary;
use serde::{Deserialize, Serialize};

/// One run of the browser's library: what the list shows. The original file is kept next to it
/// under the same id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalRun {
    /// The SHA-256 of the original file's bytes, lower-case hex: the run's address
    /// (`/runs/<id>`) and why importing the same file twice keeps one run.
    pub id: String,
    /// The file's name when it was imported.
    pub name: String,
    /// The original's size, bytes.
    pub size: f64,
    /// The summary computed when the file was imported.
    pub summary: RunSummary,
}

impl LocalRun {
    /// The start date, `YYYY-MM-DD` (UTC), or `–` without a start time.
    pub fn date(&self) -> String {
        self.summary
            .start_time
            .as_deref()
            .and_then(|t| t.get(..10))
            .unwrap_or("–")
            .to_owned()
    }

    /// The sport as words: `running`, `cross country skiing`.
    pub fn sport(&self) -> String {
        self.summary.sport.replace('_', " ")
    }

    /// Average speed over timer time, m/s, when both are known.
    pub fn avg_speed(&self) -> Option<f64> {
        let distance = self.summary.distance_m?;
        let timer = self.summary.timer_s.filter(|t| *t > 0.0)?;
        Some(distance / timer)
    }
}

/// Newest first; runs without a start time last, then by name.
pub fn sort_newest_first(runs: &mut [LocalRun]) {
    runs.sort_by(|a, b| {
        b.summary
            .start_time
            .cmp(&a.summary.start_time)
            .then_with(|| a.name.cmp(&b.name))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(name: &str, start: Option<&str>) -> LocalRun {
        LocalRun {
            id: name.to_owned(),
            name: name.to_owned(),
            size: 0.0,
            summary: RunSummary {
                start_time: start.map(str::to_owned),
                sport: "cross_country_skiing".to_owned(),
                distance_m: Some(10_000.0),
                timer_s: Some(2_500.0),
                ..RunSummary::default()
            },
        }
    }

    #[test]
    fn date_sport_and_speed() {
        let r = run("a", Some("2024-05-01T06:30:00Z"));
        assert_eq!(r.date(), "2024-05-01");
        assert_eq!(r.sport(), "cross country skiing");
        assert_eq!(r.avg_speed(), Some(4.0));
        assert_eq!(run("b", None).date(), "–");
    }

    #[test]
    fn newest_first() {
        let mut runs = vec![
            run("old", Some("2023-01-01T00:00:00Z")),
            run("none", None),
            run("new", Some("2024-01-01T00:00:00Z")),
        ];
        sort_newest_first(&mut runs);
        let names: Vec<_> = runs.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["new", "old", "none"]);
    }
}
