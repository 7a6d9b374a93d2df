//! Stride's own FIT decoder (D2): bytes straight into the columnar [`Activity`](crate::Activity),
//! and its encoder, the way back.
//!
//! - [`decode`](crate::fit::decode) reads a whole file: 12- and 14-byte headers, header and file CRCs, chained files
//!   (merged into one activity), both byte orders, normal and compressed-timestamp record
//!   headers, local types redefined mid-file, developer fields, and unknown messages and fields
//!   skipped by size.
//! - The profile is applied for what Stride uses (scale and offset, invalid values as missing,
//!   components and accumulation, semicircles to degrees, FIT time to Unix UTC); see `profile`.
//! - Damage after a good header keeps everything before it, with a warning.
//! - [`encode_activity`](crate::fit::encode_activity) writes an activity as a FIT 2.0 activity
//!   file, and [`ActivityEncoder`](crate::fit::ActivityEncoder) writes one record at a time for
//!   live recordings; decoding what they write gives the activity back to each field's
//!   resolution.
//!
//! `fitparser` is this module's oracle in tests (`tests/fit_corpus.rs`), never a dependency.

/// Messages into the Activity.
mod builder;
/// FIT's CRC-16, slicing-by-8.
pub mod crc;
/// The byte walker and [`decode`].
mod decoder;
/// Base types and definition messages.
pub mod definition;
/// Activities into FIT files: [`encode_activity`] and [`ActivityEncoder`].
mod encoder;
/// The file header.
pub mod header;
/// Message and field numbers, scales and offsets.
pub mod profile;

pub use crc::{crc16, crc16_update};
pub use decoder::decode;
pub use definition::{BaseType, Definition, FieldDefinition};
pub use encoder::{ActivityEncoder, EncoderOptions, RecordSample, encode_activity};
pub use header::{FileHeader, HeaderCrc, is_fit};
pub use profile::{DEGREES_PER_SEMICIRCLE, FIT_EPOCH_OFFSET};
