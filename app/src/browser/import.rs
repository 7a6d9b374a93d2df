//! Importing files: find what to import in the files, folders and archives given ([`plan`]), then
//! import each one ([`import_item`]): read its bytes (for a zip entry, only those bytes), analyse
//! (and unpack) them in the worker, keep the run and its original in the library. A file already
//! in the library (same SHA-256 of the unpacked bytes) is not stored again; a file whose activity
//! the library has already (the same run as FIT and TCX) becomes another original of that run
//! ([`same_run`]); a file that holds no activity (a device's settings) is passed over.

use js_sys::{Array, ArrayBuffer};
use web_sys::{Blob, File};

use super::timer::{self, Slicer};
use super::{Analyzer, file, library};
use crate::archive::zip::{self, Entry, Tail};
use crate::archive::{self, Kind, Packing};
use crate::models::LocalRun;
use crate::models::same_run;

/// Where one file to import comes from.
#[derive(Debug, Clone)]
pub enum Source {
    /// A file as it is.
    Plain(File),
    /// A gzipped file.
    Gzip(File),
    /// An entry of a zip archive.
    ZipEntry {
        /// The archive (a picked file, a part of one for a zip stored in a zip, or an inflated
        /// inner zip).
        archive: Blob,
        /// The entry, from its central directory.
        entry: Entry,
    },
}

/// One file to import.
#[derive(Debug, Clone)]
pub struct Item {
    /// Its path, for failures: `Activity/123.fit`, `export.zip/activities/123.fit.gz`.
    pub path: String,
    /// Where its bytes are.
    pub source: Source,
    /// How many bytes are read to import it.
    pub bytes: f64,
}

/// What an import will go through.
#[derive(Debug, Default)]
pub struct Plan {
    /// The files to import, in order.
    pub items: Vec<Item>,
    /// Files passed over: a folder's or an archive's files that are not FIT, GPX or TCX.
    pub skipped: usize,
    /// Archives that could not be read: path and reason.
    pub failures: Vec<(String, String)>,
}

/// What to import from `files` (each with its path). Zip archives are opened and their FIT, GPX
/// and TCX entries (and their `.gz`) listed, and so are those of the zips inside them (a Garmin
/// Connect export keeps its files in `UploadedFiles_*.zip` parts): a stored inner zip is read in
/// place, a deflated one is inflated in the worker. Files picked or dropped one by one are all
/// tried (the analysis core says what is wrong with a file that is not a run); from a folder (a
/// path with a `/`) only those with a run's extension are.
pub async fn plan(analyzer: &Analyzer, files: Vec<(File, String)>) -> Plan {
    let mut plan = Plan::default();
    // Chromium reads a picked file's size from the disk the first time it is asked, blocking the
    // page (150 files: 100–200 ms), and so does handing a `File` to a worker. So the sizes are
    // read here in slices, the first in a task of its own.
    timer::yield_now().await;
    let mut slicer = Slicer::default();
    for (f, path) in files {
        slicer.step().await;
        let only_activities = path.contains('/');
        let bytes = f.size();
        match archive::kind_of(&path) {
            Kind::Zip => {
                let outer: Blob = f.into();
                match add_zip(&mut plan, &outer, &path).await {
                    Ok(inner) => {
                        for (entry, inner_path) in inner {
                            let opened = match nested_zip(analyzer, &outer, &entry).await {
                                Ok(blob) => add_zip(&mut plan, &blob, &inner_path).await,
                                Err(e) => Err(e),
                            };
                            match opened {
                                // One level: zips in an inner zip are not opened.
                                Ok(deeper) => plan.skipped += deeper.len(),
                                Err(reason) => plan.failures.push((inner_path, reason)),
                            }
                        }
                    }
                    Err(reason) => plan.failures.push((path, reason)),
                }
            }
            Kind::GzippedActivity => plan.items.push(Item {
                path,
                bytes,
                source: Source::Gzip(f),
            }),
            Kind::Other if path.to_ascii_lowercase().ends_with(".gz") && !only_activities => {
                plan.items.push(Item {
                    path,
                    bytes,
                    source: Source::Gzip(f),
                })
            }
            Kind::Other if only_activities => plan.skipped += 1,
            Kind::Activity | Kind::Other => plan.items.push(Item {
                path,
                bytes,
                source: Source::Plain(f),
            }),
        }
    }
    plan
}

/// Adds the runs of the zip `blob` (at `path`) to `plan`; gives back its own zip entries, with
/// their paths.
async fn add_zip(plan: &mut Plan, blob: &Blob, path: &str) -> Result<Vec<(Entry, String)>, String> {
    let mut zips = Vec::new();
    for entry in zip_entries(blob).await? {
        let entry_path = format!("{path}/{}", entry.name);
        match entry.kind() {
            Kind::Activity | Kind::GzippedActivity => plan.items.push(Item {
                path: entry_path,
                bytes: entry.compressed_size as f64,
                source: Source::ZipEntry {
                    archive: blob.clone(),
                    entry,
                },
            }),
            Kind::Zip => zips.push((entry, entry_path)),
            Kind::Other if !entry.is_dir() => plan.skipped += 1,
            Kind::Other => {}
        }
    }
    Ok(zips)
}

/// Where an entry's data lies in its archive: `start..end`.
async fn data_range(archive: &Blob, entry: &Entry) -> Result<(u64, u64), String> {
    let at = entry.header_offset;
    let header = file::read_range_vec(archive, at, at + zip::LOCAL_HEADER_LEN).await?;
    let start = zip::data_offset(entry, &header).map_err(|e| e.to_string())?;
    let end = start + entry.compressed_size;
    if end as f64 > archive.size() {
        return Err(archive::ArchiveError::Truncated("the entry's data").to_string());
    }
    Ok((start, end))
}

/// A zip inside a zip, as a blob of its own: a slice of the outer one when stored, else inflated
/// (and checked) in the worker.
async fn nested_zip(analyzer: &Analyzer, outer: &Blob, entry: &Entry) -> Result<Blob, String> {
    let packing = entry.packing().map_err(|e| e.to_string())?;
    let (start, end) = data_range(outer, entry).await?;
    if entry.method == 0 {
        return outer
            .slice_with_f64_and_f64(start as f64, end as f64)
            .map_err(super::worker::describe);
    }
    let packed = file::read_range(outer, start, end).await?;
    let inner = analyzer.unpack(packed, packing).await?;
    Blob::new_with_buffer_source_sequence(&Array::of1(&inner)).map_err(super::worker::describe)
}

/// The entries of a zip archive, read from its end: the tail, the Zip64 record if there is one,
/// and the central directory, never the whole file.
async fn zip_entries(f: &Blob) -> Result<Vec<Entry>, String> {
    let len = f.size() as u64;
    let tail_len = zip::TAIL_LEN.min(len);
    let tail = file::read_range_vec(f, len - tail_len, len).await?;
    let directory = match zip::locate(&tail, len).map_err(|e| e.to_string())? {
        Tail::Directory(d) => d,
        Tail::Zip64 { record_offset } => {
            let record =
                file::read_range_vec(f, record_offset, record_offset + zip::ZIP64_RECORD_LEN)
                    .await?;
            zip::zip64_directory(&record, len).map_err(|e| e.to_string())?
        }
    };
    let bytes =
        file::read_range_vec(f, directory.offset, directory.offset + directory.size).await?;
    zip::entries(&bytes, &directory).map_err(|e| e.to_string())
}

/// What became of one imported file.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A new run in the library.
    Added(Box<LocalRun>),
    /// The library already had this file.
    Known,
    /// Another original of a run the library has (the same activity from another format or
    /// source): the run as it is now, and the id it had before when this file, richer, became
    /// the one analysed.
    SameRun {
        /// The run, with the file among its originals.
        run: Box<LocalRun>,
        /// The run's id before, when it changed.
        replaced: Option<String>,
    },
    /// The file holds no activity and no wellness values (a device's settings file): passed
    /// over.
    NoActivity,
    /// The file could not be read or analysed, and why.
    Failed(String),
}

/// Imports one file with `analyzer`. `library` is the library as it stands (every run, its
/// summaries as stored or for the settings alike), to find the run a file is another original
/// of; the caller keeps it up to date with the outcomes ([`Outcome::apply`]).
pub async fn import_item(analyzer: &Analyzer, item: &Item, library: &[LocalRun]) -> Outcome {
    match try_import(analyzer, item, library).await {
        Ok(outcome) => outcome,
        Err(reason) => Outcome::Failed(reason),
    }
}

impl Outcome {
    /// Brings `runs` (the library as the page lists it) up to date with this outcome.
    pub fn apply(&self, runs: &mut Vec<LocalRun>) {
        match self {
            Self::Added(run) => runs.push((**run).clone()),
            Self::SameRun { run, replaced } => {
                let old = replaced.as_deref().unwrap_or(&run.id);
                runs.retain(|r| r.id != old);
                runs.push((**run).clone());
            }
            Self::Known | Self::NoActivity | Self::Failed(_) => {}
        }
    }
}

/// The bytes of an item as stored (packed) and how they are packed.
async fn packed_bytes(source: &Source) -> Result<(ArrayBuffer, Packing), String> {
    Ok(match source {
        Source::Plain(f) => (file::read(f).await?, Packing::Plain),
        Source::Gzip(f) => (file::read(f).await?, Packing::Gzip),
        Source::ZipEntry { archive, entry } => {
            let packing = entry.packing().map_err(|e| e.to_string())?;
            let (start, end) = data_range(archive, entry).await?;
            (file::read_range(archive, start, end).await?, packing)
        }
    })
}

async fn try_import(
    analyzer: &Analyzer,
    item: &Item,
    library: &[LocalRun],
) -> Result<Outcome, String> {
    let (bytes, packing) = packed_bytes(&item.source).await?;
    let (analysed, original) = if packing == Packing::Plain {
        // The worker gets a copy (transferred, so not copied again); the original goes to the
        // library.
        let copy = bytes.slice(0);
        (analyzer.summarise(copy).await?, Some(bytes))
    } else {
        // The worker unpacks the bytes and hands the file back with its summary.
        analyzer.summarise_packed(bytes, packing).await?
    };
    let summary = analysed.summary?;
    let original = original.ok_or("the analysis worker gave the file back empty")?;
    keep(
        analysed.sha256,
        archive::file_name(&item.path).to_owned(),
        summary,
        &original,
        library,
    )
    .await
}

/// Keeps an analysed file in the library: as a new run, as another original of the run whose
/// activity it is, or not at all (known already, or no activity in it).
async fn keep(
    sha256: String,
    name: String,
    summary: analysis::RunSummary,
    original: &ArrayBuffer,
    library: &[LocalRun],
) -> Result<Outcome, String> {
    if library.iter().any(|r| r.holds(&sha256))
        || library::contains(&sha256)
            .await
            .map_err(|e| e.to_string())?
    {
        return Ok(Outcome::Known);
    }
    if !summary.holds_activity() && !summary.holds_wellness() {
        return Ok(Outcome::NoActivity);
    }
    let size = f64::from(original.byte_length());
    if summary.holds_activity()
        && let Some(same) = same_run::find_same(library, &summary)
    {
        let (run, replaced) = same_run::merge(same, &sha256, &name, size, summary);
        library::save_other(&run, &sha256, original, replaced.as_deref())
            .await
            .map_err(|e| e.to_string())?;
        return Ok(Outcome::SameRun {
            run: Box::new(for_settings(&run)),
            replaced,
        });
    }
    let run = LocalRun {
        id: sha256,
        name,
        size,
        summary,
        ..LocalRun::default()
    };
    library::save(&run, original)
        .await
        .map_err(|e| e.to_string())?;
    Ok(Outcome::Added(Box::new(for_settings(&run))))
}

/// The run as the list shows it: loads for the runner's settings (it is stored with the
/// defaults' and its settings-independent basis).
fn for_settings(run: &LocalRun) -> LocalRun {
    run.for_athlete(&crate::browser::storage::load_athlete().unwrap_or_default())
}

/// Imports bytes made on this device (a recording of the Watch page) under `name`, the way
/// [`import_item`] imports a picked file: analysed in the worker, kept with its original.
pub async fn import_bytes(
    analyzer: &Analyzer,
    name: String,
    original: js_sys::ArrayBuffer,
) -> Outcome {
    let imported = async {
        let analysed = analyzer.summarise(original.slice(0)).await?;
        let library = library::all_runs().await.map_err(|e| e.to_string())?;
        keep(
            analysed.sha256,
            name,
            analysed.summary?,
            &original,
            &library,
        )
        .await
    };
    imported.await.unwrap_or_else(Outcome::Failed)
}
