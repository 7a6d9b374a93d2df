//! "Export all my data": one `.zip` with every original the account keeps
//! (`originals/<sha256>.<format>`, the exact bytes) and `stride-export.json` with everything else:
//! the account, each run with the server's summary and its public link, and the personal access
//! tokens' names and dates (never a secret: tokens and passwords are stored only as hashes, and
//! those stay out too).
//!
//! The archive is written in memory (deflated, CRC-32 checked by any unzip). It is a plain zip,
//! without Zip64: an account whose originals pass 4 GiB is refused with a clear reason.

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
    #[error("the export would pass 4 GiB, more than a plain zip holds")]
    TooLarge,
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

/// The archive of everything the account keeps.
pub async fn export_zip(
    pool: &Pool,
    originals: &Originals,
    user_id: i64,
) -> Result<Vec<u8>, ExportError> {
    let user = db::users::find_user(pool, user_id)
        .await?
        .ok_or(ExportError::NoAccount)?;
    let rows = db::activities::all_activities(pool, user_id).await?;
    let shares = db::shares::shares_of_user(pool, user_id).await?;
    let tokens = db::tokens::list_tokens(pool, user_id).await?;

    let mut files = Vec::with_capacity(rows.len() + 1);
    let mut runs = Vec::with_capacity(rows.len());
    for row in rows {
        let bytes = originals
            .get(&row.sha256)
            .await?
            .ok_or_else(|| ExportError::MissingOriginal(row.sha256.clone()))?;
        let original = format!("originals/{}.{}", row.sha256, row.format);
        files.push((original.clone(), bytes.to_vec()));
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
    files.push((JSON_NAME.to_string(), text));
    // Deflating is CPU work: off the async threads.
    tokio::task::spawn_blocking(move || {
        let mut zip = ZipWriter::default();
        for (name, bytes) in &files {
            zip.add(name, bytes)?;
        }
        zip.finish()
    })
    .await
    .map_err(|e| ExportError::Stopped(e.to_string()))?
}

/// A zip archive written in memory: deflated entries, then the central directory.
#[derive(Debug, Default)]
pub struct ZipWriter {
    out: Vec<u8>,
    central: Vec<u8>,
    entries: u16,
}

impl ZipWriter {
    /// Adds a file (deflated, or stored when deflating does not make it smaller).
    pub fn add(&mut self, name: &str, data: &[u8]) -> Result<(), ExportError> {
        let crc = crc32fast::hash(data);
        let deflated = miniz_oxide::deflate::compress_to_vec(data, 6);
        let (method, body): (u16, &[u8]) = if deflated.len() < data.len() {
            (8, &deflated)
        } else {
            (0, data)
        };
        let offset = u32::try_from(self.out.len()).map_err(|_| ExportError::TooLarge)?;
        let size = u32::try_from(data.len()).map_err(|_| ExportError::TooLarge)?;
        let packed = u32::try_from(body.len()).map_err(|_| ExportError::TooLarge)?;
        self.entries = self.entries.checked_add(1).ok_or(ExportError::TooLarge)?;
        let name = name.as_bytes();
        let name_len = u16::try_from(name.len()).map_err(|_| ExportError::TooLarge)?;
        // Version 2.0, bit 11: the name is UTF-8. No time stamp (1980-01-01).
        let common = |v: &mut Vec<u8>| {
            v.extend_from_slice(&20u16.to_le_bytes());
            v.extend_from_slice(&0x0800u16.to_le_bytes());
            v.extend_from_slice(&method.to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes());
            v.extend_from_slice(&0x0021u16.to_le_bytes());
            v.extend_from_slice(&crc.to_le_bytes());
            v.extend_from_slice(&packed.to_le_bytes());
            v.extend_from_slice(&size.to_le_bytes());
            v.extend_from_slice(&name_len.to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes());
        };
        self.out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common(&mut self.out);
        self.out.extend_from_slice(name);
        self.out.extend_from_slice(body);
        u32::try_from(self.out.len()).map_err(|_| ExportError::TooLarge)?;

        self.central
            .extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        self.central.extend_from_slice(&20u16.to_le_bytes());
        common(&mut self.central);
        // Comment length, disk number, internal and external attributes, then the offset.
        self.central.extend_from_slice(&[0; 6]);
        self.central.extend_from_slice(&0u32.to_le_bytes());
        self.central.extend_from_slice(&offset.to_le_bytes());
        self.central.extend_from_slice(name);
        Ok(())
    }

    /// The archive.
    pub fn finish(mut self) -> Result<Vec<u8>, ExportError> {
        let offset = u32::try_from(self.out.len()).map_err(|_| ExportError::TooLarge)?;
        let size = u32::try_from(self.central.len()).map_err(|_| ExportError::TooLarge)?;
        offset.checked_add(size).ok_or(ExportError::TooLarge)?;
        self.out.append(&mut self.central);
        self.out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        self.out.extend_from_slice(&[0; 4]);
        self.out.extend_from_slice(&self.entries.to_le_bytes());
        self.out.extend_from_slice(&self.entries.to_le_bytes());
        self.out.extend_from_slice(&size.to_le_bytes());
        self.out.extend_from_slice(&offset.to_le_bytes());
        self.out.extend_from_slice(&0u16.to_le_bytes());
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::unpack;
    use crate::archive::zip::{self, Tail};

    /// Reads an archive back with the import's own zip reader.
    pub(crate) fn read_back(archive: &[u8]) -> Vec<(String, Vec<u8>)> {
        let len = archive.len() as u64;
        let tail = &archive[archive.len().saturating_sub(zip::TAIL_LEN as usize)..];
        let Tail::Directory(d) = zip::locate(tail, len).unwrap() else {
            panic!("no Zip64 here")
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

    #[test]
    fn a_written_zip_reads_back_byte_for_byte() {
        let text = b"hello hello hello hello hello hello".to_vec();
        let noise: Vec<u8> = (0..5000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let mut w = ZipWriter::default();
        w.add("a/text.txt", &text).unwrap();
        w.add("noise.bin", &noise).unwrap();
        w.add("empty", b"").unwrap();
        let archive = w.finish().unwrap();
        assert_eq!(
            read_back(&archive),
            [
                ("a/text.txt".to_string(), text),
                ("noise.bin".to_string(), noise),
                ("empty".to_string(), Vec::new()),
            ]
        );
    }
}
