//! Archives a runner imports: a single gzipped file (`run.fit.gz`) or a `.zip` bulk export
//! (Garmin Connect, Strava: thousands of entries in nested folders, several GB).
//!
//! Pure Rust, no DOM, so it is tested natively. The browser never holds a whole zip: it reads the
//! end of the archive with `File.slice()`, finds the central directory ([`zip::locate`]), reads
//! that ([`zip::entries`]), then each entry's local header and bytes on their own. The bytes go to
//! the analysis worker with their [`Packing`], and [`unpack`] (inflate with `miniz_oxide`, CRC-32
//! checked) runs there, next to the decoder.

use serde::{Deserialize, Serialize};

/// Single-file gzip (RFC 1952).
pub mod gzip;
/// The zip container (PKWARE APPNOTE): end records, central directory, local headers.
pub mod zip;

/// Decompressed files larger than this are refused (a zip bomb, or not a run: the longest run
/// file of the corpus is 3 MB).
pub const MAX_UNPACKED: usize = 256 * 1024 * 1024;

/// Why an archive or one of its entries could not be read. The text names the problem; callers
/// add the file's name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ArchiveError {
    /// The bytes end before a structure they announce.
    #[error("the archive is cut short: {0}")]
    Truncated(&'static str),
    /// No end-of-central-directory record: not a zip, or damaged.
    #[error("not a zip archive (no end-of-central-directory record)")]
    NotZip,
    /// A record's signature is not where the archive says it is.
    #[error("the archive is damaged: {0}")]
    Damaged(String),
    /// Encrypted entries cannot be read.
    #[error("{0} is encrypted")]
    Encrypted(String),
    /// A compression method other than stored (0) or deflate (8).
    #[error("{name} uses compression method {method}; only stored and deflate are supported")]
    UnsupportedMethod {
        /// The entry's name.
        name: String,
        /// The method number of APPNOTE 4.4.5.
        method: u16,
    },
    /// The deflate stream does not inflate.
    #[error("the compressed data is damaged: {0}")]
    Inflate(String),
    /// The inflated bytes are not those the archive recorded.
    #[error("the data does not match its checksum (CRC-32 {found:08x}, expected {expected:08x})")]
    Checksum {
        /// CRC-32 of the bytes inflated.
        found: u32,
        /// CRC-32 recorded in the archive.
        expected: u32,
    },
    /// The inflated size is not the recorded one.
    #[error("the data is {found} bytes, the archive says {expected}")]
    Size {
        /// Bytes inflated.
        found: u64,
        /// Size recorded in the archive.
        expected: u64,
    },
    /// Larger than [`MAX_UNPACKED`].
    #[error("the file unpacks to more than {} MB", MAX_UNPACKED / (1024 * 1024))]
    TooLarge,
    /// Not gzip data.
    #[error("not gzip data")]
    NotGzip,
}

/// How the bytes handed to the worker are packed, and how to get the file out of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Packing {
    /// The file itself.
    Plain,
    /// A whole gzip file.
    Gzip,
    /// The data of a zip entry, stored (method 0) or deflated (8), with the CRC-32 and size the
    /// central directory recorded; `gzip` when the entry is itself a `.gz` file.
    Zip {
        /// `true` for deflate, `false` for stored.
        deflated: bool,
        /// CRC-32 of the entry's uncompressed bytes.
        crc32: u32,
        /// The entry's uncompressed size.
        size: u64,
        /// The entry is a `.gz` file: gunzip after unpacking it.
        gzip: bool,
    },
}

/// The file inside `bytes`.
pub fn unpack(bytes: &[u8], packing: Packing) -> Result<Vec<u8>, ArchiveError> {
    match packing {
        Packing::Plain => Ok(bytes.to_vec()),
        Packing::Gzip => gzip::decompress(bytes),
        Packing::Zip {
            deflated,
            crc32,
            size,
            gzip,
        } => {
            let data = if deflated {
                let limit = usize::try_from(size).map_err(|_| ArchiveError::TooLarge)?;
                if limit > MAX_UNPACKED {
                    return Err(ArchiveError::TooLarge);
                }
                inflate(bytes, limit)?
            } else {
                bytes.to_vec()
            };
            check(&data, crc32, size)?;
            if gzip {
                gzip::decompress(&data)
            } else {
                Ok(data)
            }
        }
    }
}

/// Inflates a raw deflate stream into at most `limit` bytes.
fn inflate(bytes: &[u8], limit: usize) -> Result<Vec<u8>, ArchiveError> {
    use miniz_oxide::inflate::{TINFLStatus, decompress_to_vec_with_limit};
    decompress_to_vec_with_limit(bytes, limit).map_err(|e| match e.status {
        TINFLStatus::HasMoreOutput => ArchiveError::Size {
            found: limit as u64 + 1,
            expected: limit as u64,
        },
        TINFLStatus::FailedCannotMakeProgress => {
            ArchiveError::Truncated("the deflate stream ends early")
        }
        status => ArchiveError::Inflate(format!("{status:?}")),
    })
}

fn check(data: &[u8], crc32: u32, size: u64) -> Result<(), ArchiveError> {
    if data.len() as u64 != size {
        return Err(ArchiveError::Size {
            found: data.len() as u64,
            expected: size,
        });
    }
    let found = crc32fast::hash(data);
    if found != crc32 {
        return Err(ArchiveError::Checksum {
            found,
            expected: crc32,
        });
    }
    Ok(())
}

/// What a file or entry is, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `.fit`, `.gpx` or `.tcx`.
    Activity,
    /// One of those gzipped: `.fit.gz`, `.gpx.gz`, `.tcx.gz`.
    GzippedActivity,
    /// A `.zip` archive.
    Zip,
    /// Anything else (a folder's photos, an export's JSON).
    Other,
}

/// The kind of file `name` (a path or a bare name) is, by its extension, ignoring case.
pub fn kind_of(name: &str) -> Kind {
    let lower = name.to_ascii_lowercase();
    let is_activity = |n: &str| [".fit", ".gpx", ".tcx"].iter().any(|e| n.ends_with(e));
    if is_activity(&lower) {
        Kind::Activity
    } else if let Some(inner) = lower.strip_suffix(".gz") {
        if is_activity(inner) {
            Kind::GzippedActivity
        } else {
            Kind::Other
        }
    } else if lower.ends_with(".zip") {
        Kind::Zip
    } else {
        Kind::Other
    }
}

/// `name` without the folders before it and without a `.gz` suffix: `a/b/run.fit.gz` → `run.fit`.
pub fn file_name(name: &str) -> &str {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match base.len().checked_sub(3) {
        Some(cut) if base.is_char_boundary(cut) && base[cut..].eq_ignore_ascii_case(".gz") => {
            &base[..cut]
        }
        _ => base,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_extension() {
        assert_eq!(kind_of("Run.FIT"), Kind::Activity);
        assert_eq!(kind_of("a/b/ride.gpx"), Kind::Activity);
        assert_eq!(kind_of("x.tcx.gz"), Kind::GzippedActivity);
        assert_eq!(kind_of("export.ZIP"), Kind::Zip);
        assert_eq!(kind_of("photo.jpg.gz"), Kind::Other);
        assert_eq!(kind_of("profile.json"), Kind::Other);
        assert_eq!(kind_of("fit"), Kind::Other);
    }

    #[test]
    fn file_names() {
        assert_eq!(file_name("export/activities/123.fit.gz"), "123.fit");
        assert_eq!(file_name("run.tcx"), "run.tcx");
        assert_eq!(file_name("dir\\x.GZ"), "x");
        assert_eq!(file_name("é.gz"), "é");
    }

    #[test]
    fn stored_entries_are_checked() {
        let data = b"hello";
        let crc = crc32fast::hash(data);
        let packing = |crc32, size| Packing::Zip {
            deflated: false,
            crc32,
            size,
            gzip: false,
        };
        assert_eq!(unpack(data, packing(crc, 5)).unwrap(), data);
        assert_eq!(
            unpack(data, packing(crc ^ 1, 5)),
            Err(ArchiveError::Checksum {
                found: crc,
                expected: crc ^ 1
            })
        );
        assert!(matches!(
            unpack(data, packing(crc, 6)),
            Err(ArchiveError::Size {
                found: 5,
                expected: 6
            })
        ));
    }

    #[test]
    fn deflate_that_grows_past_its_size_is_refused() {
        let data = vec![7u8; 10_000];
        let packed = miniz_oxide::deflate::compress_to_vec(&data, 6);
        let crc = crc32fast::hash(&data);
        let zip = |size| Packing::Zip {
            deflated: true,
            crc32: crc,
            size,
            gzip: false,
        };
        assert_eq!(unpack(&packed, zip(10_000)).unwrap(), data);
        assert!(matches!(
            unpack(&packed, zip(100)),
            Err(ArchiveError::Size { .. })
        ));
        assert!(matches!(
            unpack(&packed[..packed.len() / 2], zip(10_000)),
            Err(ArchiveError::Truncated(_))
        ));
        assert!(matches!(
            unpack(b"\xff\xff\xff", zip(10)),
            Err(ArchiveError::Inflate(_))
        ));
    }
}
