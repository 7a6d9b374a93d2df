//! The zip container, read from its end (PKWARE APPNOTE 6.3.10): the end-of-central-directory
//! record (and its Zip64 form for archives past 4 GB or 65,535 entries), the central directory,
//! and each entry's local header. Every function takes only the bytes it needs, so the caller
//! can read a multi-GB archive piece by piece.

use super::{ArchiveError, Kind, Packing, kind_of};

/// How many bytes from the end of the archive to give [`locate`]: the end record (22 bytes),
/// its longest comment (65,535) and the Zip64 locator before it (20).
pub const TAIL_LEN: u64 = 22 + 65_535 + 20;
/// The length of a Zip64 end-of-central-directory record without its extensible data.
pub const ZIP64_RECORD_LEN: u64 = 56;
/// The fixed part of a local file header; its name and extra field follow.
pub const LOCAL_HEADER_LEN: u64 = 30;

const EOCD: u32 = 0x0605_4b50;
const ZIP64_LOCATOR: u32 = 0x0706_4b50;
const ZIP64_EOCD: u32 = 0x0606_4b50;
const CENTRAL: u32 = 0x0201_4b50;
const LOCAL: u32 = 0x0403_4b50;

/// Where the central directory is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Directory {
    /// Its offset from the start of the archive.
    pub offset: u64,
    /// Its length, bytes.
    pub size: u64,
    /// How many entries it lists.
    pub entries: u64,
}

/// What the end of an archive says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tail {
    /// The central directory.
    Directory(Directory),
    /// A Zip64 archive: read [`ZIP64_RECORD_LEN`] bytes at this offset and pass them to
    /// [`zip64_directory`].
    Zip64 {
        /// The Zip64 end record's offset.
        record_offset: u64,
    },
}

/// One entry of the central directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The path inside the archive, `/`-separated.
    pub name: String,
    /// The compression method (0 stored, 8 deflate).
    pub method: u16,
    /// The general-purpose flags (bit 0: encrypted).
    pub flags: u16,
    /// CRC-32 of the uncompressed bytes.
    pub crc32: u32,
    /// Bytes in the archive.
    pub compressed_size: u64,
    /// Bytes once unpacked.
    pub size: u64,
    /// Offset of the entry's local header.
    pub header_offset: u64,
}

impl Entry {
    /// A folder, not a file.
    pub fn is_dir(&self) -> bool {
        self.name.ends_with('/')
    }

    /// What the entry is by its name (folders are [`Kind::Other`]).
    pub fn kind(&self) -> Kind {
        if self.is_dir() {
            Kind::Other
        } else {
            kind_of(&self.name)
        }
    }

    /// How to unpack the entry's data, or why it cannot be.
    pub fn packing(&self) -> Result<Packing, ArchiveError> {
        if self.flags & 1 != 0 {
            return Err(ArchiveError::Encrypted(self.name.clone()));
        }
        let deflated = match self.method {
            0 => false,
            8 => true,
            method => {
                return Err(ArchiveError::UnsupportedMethod {
                    name: self.name.clone(),
                    method,
                });
            }
        };
        Ok(Packing::Zip {
            deflated,
            crc32: self.crc32,
            size: self.size,
            gzip: self.kind() == Kind::GzippedActivity,
        })
    }
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}
fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}
fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut x = [0; 8];
    x.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(x)
}

/// Finds the central directory from the last bytes of an archive (`tail`, at most [`TAIL_LEN`]
/// of them) of `archive_len` bytes in all.
pub fn locate(tail: &[u8], archive_len: u64) -> Result<Tail, ArchiveError> {
    if (tail.len() as u64) > archive_len {
        return Err(ArchiveError::Damaged(
            "the tail is longer than the archive".into(),
        ));
    }
    if tail.len() < 22 {
        return Err(ArchiveError::NotZip);
    }
    let tail_start = archive_len - tail.len() as u64;
    // The last end record whose comment length reaches exactly the end of the file; else the
    // last signature at all (a few tools pad after the comment).
    let candidates = (0..=tail.len() - 22)
        .rev()
        .filter(|&i| u32_at(tail, i) == EOCD);
    let mut found = None;
    for i in candidates {
        let comment = usize::from(u16_at(tail, i + 20));
        if i + 22 + comment == tail.len() {
            found = Some(i);
            break;
        }
        found.get_or_insert(i);
    }
    let at = found.ok_or(ArchiveError::NotZip)?;
    let record = &tail[at..];
    let entries = u64::from(u16_at(record, 10));
    let size = u64::from(u32_at(record, 12));
    let offset = u64::from(u32_at(record, 16));
    if at >= 20 && u32_at(tail, at - 20) == ZIP64_LOCATOR {
        let record_offset = u64_at(tail, at - 20 + 8);
        if record_offset + ZIP64_RECORD_LEN > archive_len {
            return Err(ArchiveError::Damaged(
                "the Zip64 end record lies past the end of the file".into(),
            ));
        }
        return Ok(Tail::Zip64 { record_offset });
    }
    let eocd_offset = tail_start + at as u64;
    if offset + size > eocd_offset {
        return Err(ArchiveError::Damaged(format!(
            "the central directory ({size} bytes at {offset}) overlaps its end record at {eocd_offset}; is the file complete?"
        )));
    }
    Ok(Tail::Directory(Directory {
        offset,
        size,
        entries,
    }))
}

/// The central directory named by a Zip64 end record (`record`: [`ZIP64_RECORD_LEN`] bytes).
pub fn zip64_directory(record: &[u8], archive_len: u64) -> Result<Directory, ArchiveError> {
    if (record.len() as u64) < ZIP64_RECORD_LEN {
        return Err(ArchiveError::Truncated("the Zip64 end record"));
    }
    if u32_at(record, 0) != ZIP64_EOCD {
        return Err(ArchiveError::Damaged(
            "no Zip64 end record where its locator points".into(),
        ));
    }
    let directory = Directory {
        entries: u64_at(record, 32),
        size: u64_at(record, 40),
        offset: u64_at(record, 48),
    };
    if directory.offset.saturating_add(directory.size) > archive_len {
        return Err(ArchiveError::Damaged(
            "the central directory lies past the end of the file; is the file complete?".into(),
        ));
    }
    Ok(directory)
}

/// The entries of a central directory (`bytes`: all of it), folders included.
pub fn entries(bytes: &[u8], directory: &Directory) -> Result<Vec<Entry>, ArchiveError> {
    let mut out = Vec::with_capacity(directory.entries.min(1 << 20) as usize);
    let mut at = 0usize;
    while at < bytes.len() {
        let fixed = bytes
            .get(at..at + 46)
            .ok_or(ArchiveError::Truncated("a central directory entry"))?;
        if u32_at(fixed, 0) != CENTRAL {
            return Err(ArchiveError::Damaged(format!(
                "central directory entry {} has no signature",
                out.len() + 1
            )));
        }
        let flags = u16_at(fixed, 8);
        let method = u16_at(fixed, 10);
        let crc32 = u32_at(fixed, 16);
        let mut compressed_size = u64::from(u32_at(fixed, 20));
        let mut size = u64::from(u32_at(fixed, 24));
        let name_len = usize::from(u16_at(fixed, 28));
        let extra_len = usize::from(u16_at(fixed, 30));
        let comment_len = usize::from(u16_at(fixed, 32));
        let mut header_offset = u64::from(u32_at(fixed, 42));
        let var = bytes
            .get(at + 46..at + 46 + name_len + extra_len + comment_len)
            .ok_or(ArchiveError::Truncated("a central directory entry's name"))?;
        let raw_name = &var[..name_len];
        // Bit 11: UTF-8. Others are CP437 in principle; ASCII in practice, shown as UTF-8.
        let name = String::from_utf8_lossy(raw_name).replace('\\', "/");
        // The Zip64 extra field carries, in order, whichever values are 0xFFFFFFFF.
        let mut extra = &var[name_len..name_len + extra_len];
        while extra.len() >= 4 {
            let id = u16_at(extra, 0);
            let len = usize::from(u16_at(extra, 2));
            let data = extra.get(4..4 + len).ok_or_else(|| {
                ArchiveError::Damaged(format!("the extra field of {name} is cut short"))
            })?;
            if id == 0x0001 {
                let mut fields = data.chunks_exact(8).map(|c| u64_at(c, 0));
                let mut take = |v: &mut u64| -> Result<(), ArchiveError> {
                    if *v == 0xFFFF_FFFF {
                        *v = fields.next().ok_or_else(|| {
                            ArchiveError::Damaged(format!("the Zip64 field of {name} is cut short"))
                        })?;
                    }
                    Ok(())
                };
                take(&mut size)?;
                take(&mut compressed_size)?;
                take(&mut header_offset)?;
            }
            extra = &extra[4 + len..];
        }
        out.push(Entry {
            name,
            method,
            flags,
            crc32,
            compressed_size,
            size,
            header_offset,
        });
        at += 46 + name_len + extra_len + comment_len;
    }
    // The count in the end record is 16 bits (it wraps past 65,535 without Zip64): trust the
    // directory's bytes, but flag a directory that lists fewer.
    if (out.len() as u64) < directory.entries.min(0xFFFF) {
        return Err(ArchiveError::Truncated(
            "the central directory lists fewer entries than its end record",
        ));
    }
    Ok(out)
}

/// Where an entry's data starts, from its local header (`header`: at least
/// [`LOCAL_HEADER_LEN`] bytes read at `entry.header_offset`).
pub fn data_offset(entry: &Entry, header: &[u8]) -> Result<u64, ArchiveError> {
    if (header.len() as u64) < LOCAL_HEADER_LEN {
        return Err(ArchiveError::Truncated("a local file header"));
    }
    if u32_at(header, 0) != LOCAL {
        return Err(ArchiveError::Damaged(format!(
            "no local header for {} at offset {}",
            entry.name, entry.header_offset
        )));
    }
    let name_len = u64::from(u16_at(header, 26));
    let extra_len = u64::from(u16_at(header, 28));
    Ok(entry.header_offset + LOCAL_HEADER_LEN + name_len + extra_len)
}
