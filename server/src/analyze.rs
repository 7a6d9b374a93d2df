//! `stride analyze FILE... [--json]`: decodes and analyses activity files with the same analysis
//! core the browser runs, and prints a table or, with `--json`, one JSON object per file.
//!
//! One bad file never stops the others: it gets `{"file", "error"}` (or an error line in the
//! table). The exit code is non-zero only for usage errors, which clap reports.

use std::io::Write;
use std::path::{Path, PathBuf};

use analysis::time::clock;
use analysis::{Athlete, RunSummary};
use clap::Args;
use serde::Serialize;

/// What `stride analyze` takes.
#[derive(Debug, Clone, Args)]
pub struct AnalyzeArgs {
    /// FIT, GPX or TCX files, or folders to search for them (recursively).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Print a JSON array with one object per file instead of a table.
    #[arg(long)]
    json: bool,
    /// The runner's settings.
    #[command(flatten)]
    athlete: AthleteArgs,
}

/// The runner's settings on the command line, as the browser's /settings page has them.
#[derive(Debug, Clone, Default, Args)]
pub struct AthleteArgs {
    /// The runner's maximum heart rate, bpm (for zones and load).
    #[arg(long, value_name = "BPM")]
    max_hr: Option<f64>,
    /// The runner's resting heart rate, bpm.
    #[arg(long, value_name = "BPM")]
    rest_hr: Option<f64>,
    /// The runner's lactate-threshold heart rate, bpm.
    #[arg(long, value_name = "BPM")]
    threshold_hr: Option<f64>,
    /// The runner's threshold pace per kilometre, as m:ss (enables rTSS and pace zones).
    #[arg(long, value_name = "M:SS", value_parser = parse_pace)]
    threshold_pace: Option<f64>,
    /// Use the women's constants of Banister's TRIMP (0.86, 1.67).
    #[arg(long)]
    female: bool,
}

impl AthleteArgs {
    /// The settings as the analysis core takes them.
    pub fn athlete(&self) -> Athlete {
        Athlete {
            max_hr: self.max_hr,
            rest_hr: self.rest_hr,
            threshold_hr: self.threshold_hr,
            threshold_speed: self.threshold_pace,
            sex: if self.female {
                analysis::Sex::Female
            } else {
                analysis::Sex::Male
            },
            ..Athlete::default()
        }
    }
}

/// One file's line of output.
#[derive(Serialize)]
#[serde(untagged)]
enum Outcome {
    Ok {
        file: String,
        #[serde(flatten)]
        summary: Box<RunSummary>,
    },
    Failed {
        file: String,
        error: String,
    },
}

/// Runs the subcommand; the exit code is success unless output cannot be written.
pub fn run(args: &AnalyzeArgs) -> std::io::Result<()> {
    let athlete = args.athlete.athlete();
    let mut files = Vec::new();
    for path in &args.files {
        collect(path, &mut files);
    }
    let outcomes = files.iter().map(|path| analyze_one(path, &athlete));
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        let all: Vec<Outcome> = outcomes.collect();
        serde_json::to_writer_pretty(&mut out, &all)?;
        writeln!(out)
    } else {
        print_table(&mut out, outcomes)
    }
}

/// The files named, and the activity files inside the folders named, sorted within a folder.
pub(crate) fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if !path.is_dir() {
        out.push(path.to_owned());
        return;
    }
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
        Ok(dir) => dir.filter_map(|e| Some(e.ok()?.path())).collect(),
        Err(_) => {
            out.push(path.to_owned());
            return;
        }
    };
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            collect(&entry, out);
        } else if is_activity_file(&entry) {
            out.push(entry);
        }
    }
}

fn is_activity_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "fit" | "gpx" | "tcx"))
}

fn analyze_one(path: &Path, athlete: &Athlete) -> Outcome {
    let file = path.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            return Outcome::Failed {
                file,
                error: format!("cannot read the file: {e}"),
            };
        }
    };
    match analysis::summary::analyze_bytes(&bytes, athlete) {
        Ok(summary) => Outcome::Ok {
            file,
            summary: Box::new(summary),
        },
        Err(e) => Outcome::Failed {
            file,
            error: e.to_string(),
        },
    }
}

fn print_table(
    out: &mut impl Write,
    outcomes: impl Iterator<Item = Outcome>,
) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<40} {:<10} {:<20} {:>9} {:>9} {:>8} {:>7} {:>7} {:>6}",
        "file", "sport", "start (UTC)", "km", "time", "/km", "avg hr", "ascent", "trimp"
    )?;
    for outcome in outcomes {
        match outcome {
            Outcome::Ok { file, summary: s } => writeln!(
                out,
                "{:<40} {:<10} {:<20} {:>9} {:>9} {:>8} {:>7} {:>7} {:>6}",
                shorten(&file, 40),
                shorten(&s.sport, 10),
                s.start_time.as_deref().unwrap_or("-"),
                s.distance_m
                    .map_or("-".into(), |d| format!("{:.2}", d / 1_000.0)),
                s.timer_s.map_or("-".into(), clock),
                s.metrics
                    .get("avg_pace_s_per_m")
                    .map_or("-".into(), |p| clock(p * 1_000.0)),
                s.avg_hr.map_or("-".into(), |v| format!("{v:.0}")),
                s.ascent_m.map_or("-".into(), |v| format!("{v:.0}")),
                s.load.trimp.map_or("-".into(), |v| format!("{v:.0}")),
            )?,
            Outcome::Failed { file, error } => {
                writeln!(out, "{:<40} error: {error}", shorten(&file, 40))?
            }
        }
    }
    Ok(())
}

/// The last `width` characters of `text`, with an ellipsis when cut.
fn shorten(text: &str, width: usize) -> String {
    let count = text.chars().count();
    if count <= width {
        return text.to_owned();
    }
    let tail: String = text.chars().skip(count - (width - 1)).collect();
    format!("…{tail}")
}

/// A pace per kilometre as m:ss into a speed in m/s.
fn parse_pace(text: &str) -> Result<f64, String> {
    if !text.contains(':') {
        return Err(format!("{text:?} is not a pace as m:ss"));
    }
    match analysis::time::parse_clock(text) {
        Some(total) if (60.0..=1_800.0).contains(&total) => Ok(1_000.0 / total),
        Some(_) => Err(format!("{text} is not a plausible pace per km")),
        None => Err(format!("{text:?} is not a pace as m:ss")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paces_and_clocks() {
        assert_eq!(parse_pace("4:00"), Ok(1_000.0 / 240.0));
        assert!(parse_pace("4").is_err());
        assert!(parse_pace("0:10").is_err());
        assert_eq!(clock(3_725.4), "1:02:05");
        assert_eq!(clock(245.0), "4:05");
        assert_eq!(shorten("abcdef", 4), "…def");
    }
}
