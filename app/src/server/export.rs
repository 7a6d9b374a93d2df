//! "Export all my data": one `.zip` with every original the account keeps
//! (`originals/<sha256>.<format>`, the exact bytes) and `stride-export.json` with everything else:
//! the account, each run with the server's summary and its public link, and the personal access
//! tokens' names and dates (never a secret: tokens and passwords are stored only as hashes, and
//! those stay out too).
//!
//! The archive is streamed: each original is read, deflated and sent before the next is read,
//! so the server holds one original at a time whatever the account's size. Entries are written
//! whole (their CRC-32 and sizes known before their header), and the archive turns Zip64 where
//! an offset, a size or the count passes what a plain zip holds (4 GiB, 65,535 entries).

use serde::Serialize;

use super::Originals;
use super::db::{self, Pool};

/// The name of the JSON file inside the archive.
pub const JSON_NAME: &str = "stride-export.json";

/// Why an export could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("no such account")]
    NoAccount,
    #[error("the original {0} is missing from the store")]
    MissingOriginal(String),
    #[error("an entry's name is longer than a zip holds")]
    NameTooLong,
    #[error("the export stopped: {0}")]
    Stopped(String),
    #[error("cannot read an original: {0}")]
    Storage(#[from] object_store::Error),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// The JSON half of an export.
#[derive(Debug, Serialize)]
pub struct ExportJson {
    /// `stride-export/1`: the layout of this file.
    pub format: &'static str,
    /// When the export was made, Unix seconds (UTC).
    pub exported_at: i64,
    pub account: ExportAccount,
    pub runs: Vec<ExportRun>,
    pub tokens: Vec<ExportToken>,
}

#[derive(Debug, Serialize)]
pub struct ExportAccount {
    pub username: String,
    pub email: String,
    pub created_at: i64,
}

#[derive(Debug, Serialize)]
pub struct ExportRun {
    pub id: String,
    pub sha256: String,
    /// The original's path inside the archive.
    pub original: String,
    pub name: Option<String>,
    pub format: String,
    pub size_bytes: i64,
    pub start_time: Option<String>,
    pub uploaded_at: i64,
    /// The server's own summary (the fields of `stride analyze --json`).
    pub summary: serde_json::Value,
    /// The public link, when the run has one.
    pub sharing: Option<ExportShare>,
}

#[derive(Debug, Serialize)]
pub struct ExportShare {
    /// `/shared/<token>`.
    pub path: String,
    pub hide_m: i64,
    pub created_at: i64,
}

#[derive(Debug, Serialize)]
pub struct ExportToken {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
}

/// How many parts of an export may wait to be sent: the server holds at most this many
/// deflated originals (plus the one being read) of an export at a time.
const PARTS_IN_FLIGHT: usize = 2;

/// The archive of everything the account keeps, as parts to send in order. What can fail
/// before the first byte (no account, an original missing from the store, the database) fails
/// here, with its reason; a failure later (the store failing midway) ends the parts with it.
pub async fn export_parts(
    pool: &Pool,
    originals: &Originals,
    user_id: i64,
) -> Result<tokio::sync::mpsc::Receiver<Result<bytes::Bytes, ExportError>>, ExportError> {
    let user = db::users::find_user(pool, user_id)
        .await?
        .ok_or(ExportError::NoAccount)?;
    let rows = db::activities::all_activities(pool, user_id).await?;
    let shares = db::shares::shares_of_user(pool, user_id).await?;
    let tokens = db::tokens::list_tokens(pool, user_id).await?;

    let mut files = Vec::with_capacity(rows.len());
    let mut runs = Vec::with_capacity(rows.len());
    for row in rows {
        if !originals.contains(&row.sha256).await? {
            return Err(ExportError::MissingOriginal(row.sha256));
        }
        let original = format!("originals/{}.{}", row.sha256, row.format);
        files.push((original.clone(), row.sha256.clone()));
        let summary = serde_json::from_str(&row.summary).unwrap_or(serde_json::Value::Null);
        let sharing = shares
            .iter()
            .find(|s| s.activity_id == row.id)
            .map(|s| ExportShare {
                path: format!("/shared/{}", s.token),
                hide_m: s.hide_m,
                created_at: s.created_at,
            });
        runs.push(ExportRun {
            id: row.id,
            sha256: row.sha256,
            original,
            name: row.name,
            format: row.format,
            size_bytes: row.size_bytes,
            start_time: row.start_time,
            uploaded_at: row.created_at,
            summary,
            sharing,
        });
    }
    let json = ExportJson {
        format: "stride-export/1",
        exported_at: db::now(),
        account: ExportAccount {
            username: user.username,
            email: user.email,
            created_at: user.created_at,
        },
        runs,
        tokens: tokens
            .into_iter()
            .map(|t| ExportToken {
                id: t.id,
                name: t.name,
                created_at: t.created_at,
            })
            .collect(),
    };
    let text = serde_json::to_vec_pretty(&json).expect("the export JSON always serialises");

    let (send, parts) = tokio::sync::mpsc::channel(PARTS_IN_FLIGHT);
    let originals = originals.clone();
    tokio::spawn(async move {
        let mut zip = ZipWriter::default();
        for (name, sha256) in files {
            let part = match originals.get(&sha256).await {
                Ok(Some(bytes)) => add_off_thread(zip, name, bytes.to_vec()).await,
                Ok(None) => Err(ExportError::MissingOriginal(sha256)),
                Err(e) => Err(e.into()),
            };
            match part {
                Ok((writer, part)) => {
                    zip = writer;
                    if send.send(Ok(part.into())).await.is_err() {
                        return; // the download was given up
                    }
                }
                Err(e) => {
                    tracing::error!(user_id, "export stopped: {e}");
                    let _ = send.send(Err(e)).await;
                    return;
                }
            }
        }
        let end = add_off_thread(zip, JSON_NAME.to_string(), text)
            .await
            .map(|(zip, part)| [part, zip.finish()].concat());
        let _ = send.send(end.map(Into::into)).await;
    });
    Ok(parts)
}

/// Deflating is CPU work: off the async threads.
async fn add_off_thread(
    mut zip: ZipWriter,
    name: String,
    data: Vec<u8>,
) -> Result<(ZipWriter, Vec<u8>), ExportError> {
    tokio::task::spawn_blocking(move || {
        let part = zip.add(&name, &data)?;
        Ok((zip, part))
    })
    .await
    .map_err(|e| ExportError::Stopped(e.to_string()))?
}

/// Where a 32-bit field of a zip stops: at this value or above, it says 0xFFFFFFFF and the
/// Zip64 extra field holds the number.
const ZIP32_LIMIT: u64 = 0xFFFF_FFFF;

/// A zip archive written entry by entry: each [`ZipWriter::add`] gives the entry's bytes (local
/// header and data) to send, [`ZipWriter::finish`] the central directory and end records.
#[derive(Debug)]
pub struct ZipWriter {
    /// Bytes given out so far: the next entry's offset.
    offset: u64,
    central: Vec<u8>,
    entries: u64,
    /// Values from which a field is written as Zip64 ([`ZIP32_LIMIT`]; lower in tests).
    zip64_from: u64,
}

impl Default for ZipWriter {
    fn default() -> Self {
        Self {
            offset: 0,
            central: Vec::new(),
            entries: 0,
            zip64_from: ZIP32_LIMIT,
        }
    }
}

impl ZipWriter {
    /// A writer that turns to Zip64 from `limit` on rather than 4 GiB, to test the Zip64 path
    /// without gigabytes.
    pub fn with_zip64_from(limit: u64) -> Self {
        Self {
            zip64_from: limit.min(ZIP32_LIMIT),
            ..Self::default()
        }
    }

    /// The bytes of one entry: a file, deflated, or stored when deflating does not make it
    /// smaller.
    pub fn add(&mut self, name: &str, data: &[u8]) -> Result<Vec<u8>, ExportError> {
        let crc = crc32fast::hash(data);
        let deflated = miniz_oxide::deflate::compress_to_vec(data, 6);
        let (method, body): (u16, &[u8]) = if deflated.len() < data.len() {
            (8, &deflated)
        } else {
            (0, data)
        };
        let name = name.as_bytes();
        let name_len = u16::try_from(name.len()).map_err(|_| ExportError::NameTooLong)?;
        let (size, packed, offset) = (data.len() as u64, body.len() as u64, self.offset);
        let big = |v: u64| v >= self.zip64_from;
        let field = |v: u64| if big(v) { u32::MAX } else { v as u32 };

        // Local header: the sizes go to a Zip64 extra field when either is too big for 32 bits.
        let local_zip64 = big(size) || big(packed);
        let mut local_extra = Vec::new();
        if local_zip64 {
            local_extra.extend_from_slice(&1u16.to_le_bytes());
            local_extra.extend_from_slice(&16u16.to_le_bytes());
            local_extra.extend_from_slice(&size.to_le_bytes());
            local_extra.extend_from_slice(&packed.to_le_bytes());
        }
        // The central header's extra field holds, in order, whichever of the three is too big.
        let mut central_extra = Vec::new();
        let overflowing: Vec<u64> = [size, packed, offset]
            .into_iter()
            .filter(|&v| big(v))
            .collect();
        if !overflowing.is_empty() {
            central_extra.extend_from_slice(&1u16.to_le_bytes());
            central_extra.extend_from_slice(&(8 * overflowing.len() as u16).to_le_bytes());
            for v in overflowing {
                central_extra.extend_from_slice(&v.to_le_bytes());
            }
        }
        let version: u16 = if central_extra.is_empty() { 20 } else { 45 };
        // Version, bit 11 (the name is UTF-8), method, no time stamp (1980-01-01), CRC, sizes,
        // name length, extra length.
        let common = |v: &mut Vec<u8>, extra_len: usize| {
            v.extend_from_slice(&version.to_le_bytes());
            v.extend_from_slice(&0x0800u16.to_le_bytes());
            v.extend_from_slice(&method.to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes());
            v.extend_from_slice(&0x0021u16.to_le_bytes());
            v.extend_from_slice(&crc.to_le_bytes());
            v.extend_from_slice(&field(packed).to_le_bytes());
            v.extend_from_slice(&field(size).to_le_bytes());
            v.extend_from_slice(&name_len.to_le_bytes());
            v.extend_from_slice(&(extra_len as u16).to_le_bytes());
        };
        let mut part = Vec::with_capacity(30 + name.len() + local_extra.len() + body.len());
        part.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common(&mut part, local_extra.len());
        part.extend_from_slice(name);
        part.extend_from_slice(&local_extra);
        part.extend_from_slice(body);

        self.central
            .extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        self.central.extend_from_slice(&version.to_le_bytes());
        common(&mut self.central, central_extra.len());
        // Comment length, disk number, internal and external attributes, then the offset.
        self.central.extend_from_slice(&[0; 6]);
        self.central.extend_from_slice(&0u32.to_le_bytes());
        self.central.extend_from_slice(&field(offset).to_le_bytes());
        self.central.extend_from_slice(name);
        self.central.extend_from_slice(&central_extra);

        self.entries += 1;
        self.offset += part.len() as u64;
        Ok(part)
    }

    /// The central directory and the end records (Zip64 ones first when needed).
    pub fn finish(self) -> Vec<u8> {
        let (offset, size) = (self.offset, self.central.len() as u64);
        let zip64 = offset >= self.zip64_from
            || size >= self.zip64_from
            || self.entries >= 0xFFFF.min(self.zip64_from);
        let mut out = self.central;
        if zip64 {
            let record_offset = offset + size;
            out.extend_from_slice(&0x0606_4b50u32.to_le_bytes());
            out.extend_from_slice(&44u64.to_le_bytes());
            out.extend_from_slice(&45u16.to_le_bytes());
            out.extend_from_slice(&45u16.to_le_bytes());
            out.extend_from_slice(&[0; 8]);
            out.extend_from_slice(&self.entries.to_le_bytes());
            out.extend_from_slice(&self.entries.to_le_bytes());
            out.extend_from_slice(&size.to_le_bytes());
            out.extend_from_slice(&offset.to_le_bytes());
            out.extend_from_slice(&0x0706_4b50u32.to_le_bytes());
            out.extend_from_slice(&0u32.to_le_bytes());
            out.extend_from_slice(&record_offset.to_le_bytes());
            out.extend_from_slice(&1u32.to_le_bytes());
        }
        let entries = if zip64 { 0xFFFF } else { self.entries as u16 };
        let field = |v: u64| if zip64 { u32::MAX } else { v as u32 };
        out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&entries.to_le_bytes());
        out.extend_from_slice(&entries.to_le_bytes());
        out.extend_from_slice(&field(size).to_le_bytes());
        out.extend_from_slice(&field(offset).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::unpack;
    use crate::archive::zip::{self, Tail, ZIP64_RECORD_LEN};

    /// Reads an archive back with the import's own zip reader (plain or Zip64).
    pub(crate) fn read_back(archive: &[u8]) -> Vec<(String, Vec<u8>)> {
        let len = archive.len() as u64;
        let tail = &archive[archive.len().saturating_sub(zip::TAIL_LEN as usize)..];
        let d = match zip::locate(tail, len).unwrap() {
            Tail::Directory(d) => d,
            Tail::Zip64 { record_offset } => {
                let at = record_offset as usize;
                zip::zip64_directory(&archive[at..at + ZIP64_RECORD_LEN as usize], len).unwrap()
            }
        };
        let dir = &archive[d.offset as usize..(d.offset + d.size) as usize];
        zip::entries(dir, &d)
            .unwrap()
            .into_iter()
            .map(|e| {
                let at = e.header_offset as usize;
                let start = zip::data_offset(&e, &archive[at..at + 30]).unwrap() as usize;
                let data = &archive[start..start + e.compressed_size as usize];
                let bytes = unpack(data, e.packing().unwrap()).unwrap();
                assert_eq!(crc32fast::hash(&bytes), e.crc32);
                (e.name, bytes)
            })
            .collect()
    }

    fn write(mut w: ZipWriter, files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        for (name, data) in files {
            out.extend(w.add(name, data).unwrap());
        }
        out.extend(w.finish());
        out
    }

    #[test]
    fn a_written_zip_reads_back_byte_for_byte() {
        let text = b"hello hello hello hello hello hello".to_vec();
        let noise: Vec<u8> = (0..5000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let files: [(&str, &[u8]); 3] =
            [("a/text.txt", &text), ("noise.bin", &noise), ("empty", b"")];
        let expected: Vec<(String, Vec<u8>)> = files
            .iter()
            .map(|(n, d)| (n.to_string(), d.to_vec()))
            .collect();
        let plain = write(ZipWriter::default(), &files);
        assert_eq!(read_back(&plain), expected);
        assert!(
            !plain.windows(4).any(|w| w == 0x0606_4b50u32.to_le_bytes()),
            "no Zip64"
        );

        // Zip64 from 100 bytes on: the second entry's offset, the noise's sizes, the directory's
        // offset all go to Zip64 fields, and the import's reader reads it the same.
        let zip64 = write(ZipWriter::with_zip64_from(100), &files);
        assert!(
            zip64.windows(4).any(|w| w == 0x0606_4b50u32.to_le_bytes()),
            "a Zip64 record"
        );
        assert!(
            zip64.windows(4).any(|w| w == 0x0706_4b50u32.to_le_bytes()),
            "and its locator"
        );
        assert_eq!(read_back(&zip64), expected);
    }
}
