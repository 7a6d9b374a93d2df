//! `stride predict`: race-time predictions from given race results (`--race DIST_M:TIME`) or
//! from all activity files in a folder (`--history DIR`: the best efforts inside the runs of the
//! last weeks, and the current form), with the analysis core's predictors.

use std::path::PathBuf;

use analysis::models::dashboard::DashboardSettings;
use analysis::models::{self, Effort, History, LoadKind, Method, RacePredictor, Stride};
use analysis::{Athlete, RunSummary};
use clap::Args;

use crate::analyze::AthleteArgs;

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
    /// With --dashboard: the load the fitness model adds up: trimp, hrtss or rtss.
    #[arg(long, value_name = "KIND", default_value = "trimp", value_parser = parse_load)]
    load: LoadKind,
    /// With --dashboard: the fitness (CTL) time constant, days.
    #[arg(long, value_name = "DAYS", default_value_t = 42.0)]
    ctl_days: f64,
    /// With --dashboard: the fatigue (ATL) time constant, days.
    #[arg(long, value_name = "DAYS", default_value_t = 7.0)]
    atl_days: f64,
    /// The runner's settings (loads, VO2max).
    #[command(flatten)]
    athlete: AthleteArgs,
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
            let athlete = args.athlete.athlete();
            let history = history(dir, &athlete);
            let last = history.runs.iter().map(|r| r.day).max().ok_or_else(|| {
                format!("no running activity with a distance in {}", dir.display())
            })?;
            let today = args.today.unwrap_or(last);
            if args.dashboard {
                let settings = DashboardSettings {
                    load: args.load,
                    ctl_days: args.ctl_days,
                    atl_days: args.atl_days,
                };
                if let Some(problem) = settings.problem() {
                    return Err(problem);
                }
                return print_dashboard(&history, today, &settings, &athlete, args.json);
            }
            let (stride, efforts) = Stride::from_history(&history.runs, LoadKind::Trimp, today);
            (efforts, stride, history.runs.len())
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
fn print_dashboard(
    history: &History,
    today: i32,
    settings: &DashboardSettings,
    athlete: &Athlete,
    json: bool,
) -> Result<(), String> {
    let d = models::dashboard::dashboard(history, today, settings, athlete);
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
    if let Some(a) = d.acwr.point.and_then(|p| p.ratio) {
        println!("ACWR {a:.2} (for reference only: {})", d.acwr.critique);
    }
    if let Some(fit) = &d.banister.fit {
        println!("Banister model: {}", fit.note);
    }
    println!(
        "readiness: {:?}: {}",
        d.readiness.verdict, d.readiness.summary
    );
    println!("VO2max: {}", d.vo2max.explanation);
    println!("HRV: {}", d.hrv.explanation);
    println!("resting heart rate: {}", d.resting_hr.explanation);
    for race in &d.predictions {
        let time = race.stride.as_ref().or(race.others.first());
        let text = time.map_or("–".into(), |p| models::race::format_time(p.seconds));
        println!("{:<14} {text}", race.label);
    }
    Ok(())
}

/// The running activities and wellness records among the files under `dir`, as the models take
/// them: summarised with the defaults, then the loads recomputed for `athlete`, exactly as the
/// browser's library does.
fn history(dir: &std::path::Path, athlete: &Athlete) -> History {
    let mut files = Vec::new();
    crate::analyze::collect(dir, &mut files);
    let summaries: Vec<RunSummary> = files
        .iter()
        .filter_map(|path| {
            let bytes = std::fs::read(path).ok()?;
            analysis::summary::analyze_bytes(&bytes, &Athlete::default()).ok()
        })
        .collect();
    History::from_summaries(&summaries, athlete)
}

/// `trimp`, `hrtss` or `rtss`.
fn parse_load(text: &str) -> Result<LoadKind, String> {
    LoadKind::from_id(text).ok_or_else(|| format!("{text:?} is not trimp, hrtss or rtss"))
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
    analysis::time::parse_date(text)
        .and_then(|d| i32::try_from(d).ok())
        .ok_or_else(|| format!("{text:?} is not a date as YYYY-MM-DD"))
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
        assert!(parse_date("2023-02-31").is_err());
    }
}
