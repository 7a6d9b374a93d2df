//! Importing one file: read its bytes, analyse them in the worker, keep the run and its
//! original in the library. A file already in the library (same SHA-256) is not stored again.

use web_sys::File;

use super::{Analyzer, file, library};
use crate::models::LocalRun;

/// What became of one imported file.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A new run in the library.
    Added(Box<LocalRun>),
    /// The library already had this file.
    Known,
    /// The file could not be read or analysed, and why.
    Failed(String),
}

/// Imports one file with `analyzer`.
pub async fn import_file(analyzer: &Analyzer, file: &File) -> Outcome {
    match try_import(analyzer, file).await {
        Ok(outcome) => outcome,
        Err(reason) => Outcome::Failed(reason),
    }
}

async fn try_import(analyzer: &Analyzer, file: &File) -> Result<Outcome, String> {
    let original = file::read(file).await?;
    // The worker gets a copy (transferred, so not copied again); the original goes to the library.
    let copy = original.slice(0);
    let analysed = analyzer.summarise(copy).await?;
    if library::contains(&analysed.sha256)
        .await
        .map_err(|e| e.to_string())?
    {
        return Ok(Outcome::Known);
    }
    let summary = analysed.summary?;
    let run = LocalRun {
        id: analysed.sha256,
        name: file.name(),
        size: f64::from(original.byte_length()),
        summary,
    };
    library::save(&run, &original)
        .await
        .map_err(|e| e.to_string())?;
    Ok(Outcome::Added(Box::new(run)))
}

/// Imports bytes made on this device (a recording of the Watch page) under `name`, the way
/// [`import_file`] imports a picked file: analysed in the worker, kept with its original.
pub async fn import_bytes(
    analyzer: &Analyzer,
    name: String,
    original: js_sys::ArrayBuffer,
) -> Outcome {
    let imported = async {
        let analysed = analyzer.summarise(original.slice(0)).await?;
        if library::contains(&analysed.sha256)
            .await
            .map_err(|e| e.to_string())?
        {
            return Ok(Outcome::Known);
        }
        let run = LocalRun {
            id: analysed.sha256,
            name,
            size: f64::from(original.byte_length()),
            summary: analysed.summary?,
        };
        library::save(&run, &original)
            .await
            .map_err(|e| e.to_string())?;
        Ok(Outcome::Added(Box::new(run)))
    };
    imported.await.unwrap_or_else(Outcome::Failed)
}
