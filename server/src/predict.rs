//! `stride predict`: race-time predictions from given race results (`--race DIST_M:TIME`) or
//! from all activity files in a folder (`--history DIR`: the best efforts inside the runs of the
//! last weeks, and the current form), with the analysis core's predictors.

use std::path::PathBuf;

use analysis::models::{self, Effort, LoadKind, Method, RacePredictor, RunPoint, Stride};
use analysis::{Athlete, RunSummary};
use clap::Args;

/// What `stride predict` takes.
#[derive(Debug, Clone, Args)]
pub struct PredictArgs {
    /// A race result as DISTANCE_M:TIME, TIME as h:mm:ss or m:ss (repeat for several).
    #[arg(long = "race", value_name = "DIST_M:TIME", value_parser = parse_race)]
    races: Vec<Effort>,
    /// Predict from the runs in these files or folders instead (FIT, GPX, TCX, recursively).
    #[arg(long, value_name = "DIR", conflicts_with = "races")]
    history: Option<PathBuf>,
    /// With --history: the day to predict for, YYYY-MM-DD (default: the day of the last run).
    #[arg(long, value_name = "DATE", requires = "history", value_parser = parse_date)]
    today: Option<i32>,
    /// The distance to predict, metres (e.g. 42195).
    #[arg(long, value_name = "DIST_M", required_unless_present = "dashboard")]
    target: Option<f64>,
    /// With --history: print what the dashboard page shows for that day instead (fitness,
    /// fatigue and form, weekly volume and load, readiness, 5K to marathon predictions), as JSON
    /// with --json.
    #[arg(long, requires = "history", conflicts_with_all = ["target", "method"])]
    dashboard: bool,
    /// auto, riegel, vdot, cameron, cs or stride.
    #[arg(long, default_value = "auto")]
    method: Method,
    /// Print {"target_m", "seconds", "low_s", "high_s", "method"} as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs the subcommand; `Err` carries the message for a prediction that cannot be made.
pub fn run(args: &PredictArgs) -> Result<(), String> {
    if args.history.is_none() && args.races.is_empty() {
        return Err("give at least one --race DIST_M:TIME, or --history DIR".into());
    }
    let (efforts, stride, runs) = match &args.history {
        Some(dir) => {
            let runs = history(dir);
            let last = runs.iter().map(|r| r.day).max().ok_or_else(|| {
                format!("no running activity with a distance in {}", dir.display())
            })?;
            let today = args.today.unwrap_or(last);
            if args.dashboard {
                return print_dashboard(&runs, today, args.json);
            }
            let (stride, efforts) = Stride::from_history(&runs, LoadKind::Trimp, today);
            (efforts, stride, runs.len())
        }
        None => (args.races.clone(), Stride::default(), 0),
    };
    let target = args.target.ok_or("give --target DIST_M")?;
    let prediction = match args.method.resolve() {
        Method::Stride => stride.predict(&efforts, target),
        method => models::predict(method, &efforts, target),
    }
    .ok_or_else(|| {
        format!(
            "cannot predict {} m with {} from {} effort(s): the predictors take targets from \
             800 m to 200 km and need an effort they accept",
            target,
            args.method.id(),
            efforts.len()
        )
    })?;
    if args.json {
        let json = serde_json::to_string(&prediction.summary()).map_err(|e| e.to_string())?;
        println!("{json}");
        return Ok(());
    }
    println!(
        "{} m: {} ({} to {}), by {}",
        target,
        models::race::format_time(prediction.seconds),
        models::race::format_time(prediction.low_s),
        models::race::format_time(prediction.high_s),
        prediction.method.id()
    );
    if runs > 0 {
        println!("from {} runs, {} efforts", runs, efforts.len());
    }
    println!("{}", prediction.explanation);
    println!("\nside by side:");
    for p in models::predict_all(&efforts, target) {
        println!(
            "  {:<8} {}",
            p.method.id(),
            models::race::format_time(p.seconds)
        );
    }
    Ok(())
}

/// `--dashboard`: the dashboard of the runs on `today`, as JSON or as a few lines.
fn print_dashboard(runs: &[RunPoint], today: i32, json: bool) -> Result<(), String> {
    let d = models::dashboard::dashboard(runs, today, LoadKind::Trimp);
    if json {
        println!("{}", serde_json::to_string(&d).map_err(|e| e.to_string())?);
        return Ok(());
    }
    if let Some(p) = d.current {
        println!(
            "fitness (CTL) {:.1}, fatigue (ATL) {:.1}, form (TSB) {:.1}, from {} runs",
            p.ctl, p.atl, p.tsb, d.runs
        );
    }
    println!(
        "readiness: {:?}: {}",
        d.readiness.verdict, d.readiness.summary
    );
    for race in &d.predictions {
        let time = race.stride.as_ref().or(race.others.first());
        let text = time.map_or("–".into(), |p| models::race::format_time(p.seconds));
        println!("{:<14} {text}", race.label);
    }
    Ok(())
}

/// The running activities among the files under `dir`, as the models take them.
fn history(dir: &std::path::Path) -> Vec<RunPoint> {
    let mut files = Vec::new();
    crate::analyze::collect(dir, &mut files);
    let athlete = Athlete::default();
    files
        .iter()
        .filter_map(|path| {
            let bytes = std::fs::read(path).ok()?;
            let summary: RunSummary = analysis::summary::analyze_bytes(&bytes, &athlete).ok()?;
            RunPoint::from_summary(&summary)
        })
        .collect()
}

/// `DIST_M:TIME`, e.g. `21097.5:1:45:00` or `5000:20:00`.
fn parse_race(text: &str) -> Result<Effort, String> {
    let (distance, time) = text
        .split_once(':')
        .ok_or_else(|| format!("{text:?} is not DIST_M:TIME"))?;
    let distance: f64 = distance
        .parse()
        .map_err(|_| format!("{distance:?} is not a distance in metres"))?;
    let seconds = models::race::parse_time(time)
        .ok_or_else(|| format!("{time:?} is not a time as h:mm:ss or m:ss"))?;
    if !(distance > 0.0 && seconds > 0.0) {
        return Err(format!("{text:?}: distance and time must be positive"));
    }
    Ok(Effort::race(distance, seconds))
}

/// `YYYY-MM-DD` as days since 1970-01-01.
fn parse_date(text: &str) -> Result<i32, String> {
    let bad = || format!("{text:?} is not a date as YYYY-MM-DD");
    let mut parts = text.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    let (y, m, d): (i64, u32, u32) = (
        y.parse().map_err(|_| bad())?,
        m.parse().map_err(|_| bad())?,
        d.parse().map_err(|_| bad())?,
    );
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(bad());
    }
    i32::try_from(models::days_from_civil(y, m, d)).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn races_and_dates() {
        let e = parse_race("21097.5:1:45:00").unwrap();
        assert_eq!((e.distance_m, e.seconds), (21_097.5, 6_300.0));
        assert_eq!(parse_race("5000:20:00").unwrap().seconds, 1_200.0);
        assert!(parse_race("5000").is_err());
        assert!(parse_race("-5:20:00").is_err());
        assert_eq!(parse_date("1970-01-02"), Ok(1));
        assert!(parse_date("2024-13-01").is_err());
    }
}
