use thiserror::Error;

/// Everything that can go wrong while reading or analysing an activity.
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
}
