//! Single-member gzip files (RFC 1952): a header, a deflate stream, then CRC-32 and size.

use super::{ArchiveError, MAX_UNPACKED, inflate};

const FHCRC: u8 = 0x02;
const FEXTRA: u8 = 0x04;
const FNAME: u8 = 0x08;
const FCOMMENT: u8 = 0x10;

/// The file inside a gzip file, its CRC-32 and size checked against the trailer.
pub fn decompress(bytes: &[u8]) -> Result<Vec<u8>, ArchiveError> {
    if bytes.len() < 2 || bytes[..2] != [0x1F, 0x8B] {
        return Err(ArchiveError::NotGzip);
    }
    if bytes.len() < 18 {
        return Err(ArchiveError::Truncated("the gzip header"));
    }
    if bytes[2] != 8 {
        return Err(ArchiveError::Damaged(format!(
            "gzip compression method {} (only deflate, 8, exists)",
            bytes[2]
        )));
    }
    let flags = bytes[3];
    let mut at = 10;
    if flags & FEXTRA != 0 {
        let len = bytes
            .get(at..at + 2)
            .map(|b| usize::from(u16::from_le_bytes([b[0], b[1]])))
            .ok_or(ArchiveError::Truncated("the gzip extra field"))?;
        at += 2 + len;
    }
    for (flag, what) in [
        (FNAME, "the gzip file name"),
        (FCOMMENT, "the gzip comment"),
    ] {
        if flags & flag != 0 {
            let end = bytes
                .get(at..)
                .and_then(|rest| rest.iter().position(|&b| b == 0))
                .ok_or(ArchiveError::Truncated(what))?;
            at += end + 1;
        }
    }
    if flags & FHCRC != 0 {
        at += 2;
    }
    let body_end = bytes.len() - 8;
    if at > body_end {
        return Err(ArchiveError::Truncated("the gzip header"));
    }
    let trailer = &bytes[body_end..];
    let crc32 = u32::from_le_bytes([trailer[0], trailer[1], trailer[2], trailer[3]]);
    let size_mod = u32::from_le_bytes([trailer[4], trailer[5], trailer[6], trailer[7]]);
    let data = inflate(&bytes[at..body_end], MAX_UNPACKED).map_err(|e| match e {
        ArchiveError::Size { .. } => ArchiveError::TooLarge,
        other => other,
    })?;
    if data.len() as u32 != size_mod {
        return Err(ArchiveError::Size {
            found: data.len() as u64,
            expected: u64::from(size_mod),
        });
    }
    let found = crc32fast::hash(&data);
    if found != crc32 {
        return Err(ArchiveError::Checksum {
            found,
            expected: crc32,
        });
    }
    Ok(data)
}
