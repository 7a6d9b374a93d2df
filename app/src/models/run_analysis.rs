//! What the run page shows of a file, as it crosses from the analysis worker to the page.
//!
//! The worker turns a file into a [`RunAnalysis`] and sends it as JSON text; the page reads it
//! back. JSON has no NaN: a non-finite number is written as `null`, which a plain `f64` field
//! then refuses. So a missing value is an `Option` (a `None` is `null` both ways), and what the
//! page does not draw stays in the worker (the GPS assessment's per-record track). The corpus
//! test (`app/tests/run_page_corpus.rs`) checks every file of the shared corpus both ways.

use analysis::{Athlete, ChartData, RunReport};
use serde::{Deserialize, Serialize};

/// What the run page shows of a file: the full report and the charts' data, both computed for
/// the runner's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunAnalysis {
    /// Every metric, splits, laps, zones, best efforts, data quality.
    pub report: RunReport,
    /// The charts and the map; `None` for a run without timed records.
    pub chart: Option<ChartData>,
}

impl RunAnalysis {
    /// Decodes and analyses `bytes` for `athlete`; the analysis core's error text when the file
    /// cannot be read.
    pub fn of(bytes: &[u8], athlete: &Athlete) -> Result<Self, String> {
        analysis::decode(bytes)
            .map(|activity| {
                let (report, chart) =
                    analysis::report::analyze_with_chart(&activity, athlete, true);
                Self { report, chart }
            })
            .map_err(|e| e.to_string())
    }

    /// The JSON text the worker sends: `{"Ok": …}` or `{"Err": "why"}`.
    pub fn to_json(result: &Result<Self, String>) -> String {
        serde_json::to_string(result).unwrap_or_else(|e| {
            serde_json::to_string(&Result::<(), _>::Err(format!(
                "the analysis could not be written for the page ({e})"
            )))
            .unwrap_or_default()
        })
    }

    /// Reads the worker's JSON text back. A reply that does not read is said in words: it is a
    /// fault of Stride's, not of the file.
    pub fn from_json(text: &str) -> Result<Self, String> {
        match serde_json::from_str::<Result<Self, String>>(text) {
            Ok(result) => result,
            Err(e) => Err(format!(
                "Stride read the file but could not show its analysis (a fault of Stride's, \
                 not of the file: {e})"
            )),
        }
    }
}
