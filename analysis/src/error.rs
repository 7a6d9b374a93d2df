use thiserror::Error;

use crate::FileFormat;

/// Everything that can go wrong while reading, writing or analysing an activity.
///
/// Missing data is not an error: a metric that cannot be computed is `None`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum AnalysisError {
    /// The input holds no bytes at all.
    #[error("the file is empty")]
    Empty,
    /// The input is not in a format Stride reads.
    #[error("not a FIT, GPX or TCX file: {0}")]
    UnknownFormat(String),
    /// The bytes do not start with a usable FIT file header.
    ///
    /// Damage *after* a good header is not an error: the decoder keeps what it read before the
    /// damage and reports the damage in `Activity::warnings`.
    #[error("not a FIT file: {reason} (at byte {offset})")]
    NotFit {
        /// The byte offset of the header that was rejected.
        offset: usize,
        /// What was wrong with it.
        reason: String,
    },
    /// A GPX or TCX file whose XML is broken before anything usable was read, or that is not
    /// the document it claims to be (another root element).
    ///
    /// Damage *after* some track points is not an error: the decoder keeps the points read
    /// before it and reports the damage in `Activity::warnings`.
    #[error("{format:?} file: {reason} (line {line}, column {column}, byte {offset})")]
    Xml {
        /// The format being read (`Gpx` or `Tcx`).
        format: FileFormat,
        /// 1-based line of the damage.
        line: usize,
        /// 1-based column (in bytes) of the damage.
        column: usize,
        /// Byte offset of the damage in the file.
        offset: usize,
        /// What was wrong.
        reason: String,
    },
    /// An activity cannot be written as FIT: what could not be encoded, and where (for example
    /// "record 17: time NaN is not a number").
    #[error("cannot encode as FIT: {0}")]
    Encode(String),
    /// A Bluetooth GATT payload that is too short or malformed.
    #[error("GATT {characteristic}: {reason}")]
    Gatt {
        /// The characteristic whose payload it was ("heart rate measurement").
        characteristic: &'static str,
        /// What was wrong with it.
        reason: String,
    },
    /// A recording whose markers come in an impossible order or at an impossible time (a lap
    /// before the start, a sample after the stop).
    #[error("recording: {0}")]
    Recording(String),
}
