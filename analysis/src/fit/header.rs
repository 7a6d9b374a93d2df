//! The FIT file header: 12 bytes (legacy) or 14 bytes (with its own CRC).

use super::crc::crc16;
use crate::AnalysisError;

/// The signature every FIT header carries at bytes 8..12.
pub const SIGNATURE: &[u8; 4] = b".FIT";

/// A parsed FIT file header.
///
/// Layout (always little-endian): header size (u8), protocol version (u8), profile version
/// (u16), data size (u32), `".FIT"`, and for headers of 14 bytes or more a CRC-16 of the first
/// 12 bytes (0 when the writer did not compute it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileHeader {
    /// The header's length in bytes (12 or 14; larger values are allowed and skipped).
    pub header_size: u8,
    /// The protocol version byte (major in the high nibble).
    pub protocol_version: u8,
    /// The profile version, e.g. 2147 for 21.47.
    pub profile_version: u16,
    /// The number of data bytes between the header and the file CRC. Zero in files whose
    /// writer never finalised the header (streamed or interrupted recordings).
    pub data_size: u32,
    /// The header CRC as stored, for headers of 14 bytes or more.
    pub crc: Option<u16>,
}

/// Whether a header's own CRC holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderCrc {
    /// A 12-byte header has no CRC.
    Absent,
    /// The writer stored 0, meaning "not computed" (allowed by the FIT protocol).
    NotComputed,
    /// The stored CRC matches.
    Valid,
    /// The stored CRC does not match the first 12 bytes.
    Invalid {
        /// The CRC stored in the header.
        stored: u16,
        /// The CRC computed from the header's first 12 bytes.
        computed: u16,
    },
}

impl FileHeader {
    /// Parses the header at the start of `bytes`.
    ///
    /// ```
    /// use analysis::fit::FileHeader;
    /// let bytes = [12, 0x10, 0x64, 0, 0, 0, 0, 0, b'.', b'F', b'I', b'T'];
    /// let header = FileHeader::parse(&bytes).unwrap();
    /// assert_eq!((header.header_size, header.profile_version, header.data_size), (12, 100, 0));
    /// ```
    pub fn parse(bytes: &[u8]) -> Result<Self, AnalysisError> {
        Self::parse_at(bytes, 0)
    }

    /// Parses the header at the start of `bytes`, which sit at `offset` in the whole input
    /// (only used to report where a bad header was).
    pub(crate) fn parse_at(bytes: &[u8], offset: usize) -> Result<Self, AnalysisError> {
        let fail = |reason: String| AnalysisError::NotFit { offset, reason };
        let Some(&header_size) = bytes.first() else {
            return Err(fail("no header: the input ends here".into()));
        };
        let Some(head) = bytes.get(..12) else {
            return Err(fail(format!(
                "a FIT header needs 12 bytes, only {} left",
                bytes.len()
            )));
        };
        if &head[8..12] != SIGNATURE {
            return Err(fail(format!(
                "no \".FIT\" signature at bytes 8..12 (found {:02X?})",
                &head[8..12]
            )));
        }
        if header_size < 12 {
            return Err(fail(format!(
                "header size {header_size} is below the minimum of 12"
            )));
        }
        if bytes.len() < usize::from(header_size) {
            return Err(fail(format!(
                "header size {header_size} but only {} bytes left",
                bytes.len()
            )));
        }
        let crc = if header_size >= 14 {
            bytes.get(12..14).map(|b| u16::from_le_bytes([b[0], b[1]]))
        } else {
            None
        };
        Ok(Self {
            header_size,
            protocol_version: head[1],
            profile_version: u16::from_le_bytes([head[2], head[3]]),
            data_size: u32::from_le_bytes([head[4], head[5], head[6], head[7]]),
            crc,
        })
    }

    /// Checks the header's own CRC against the header bytes `bytes` (at least 12 of them).
    pub fn check_crc(&self, bytes: &[u8]) -> HeaderCrc {
        match (self.crc, bytes.get(..12)) {
            (None, _) | (_, None) => HeaderCrc::Absent,
            (Some(0), _) => HeaderCrc::NotComputed,
            (Some(stored), Some(head)) => {
                let computed = crc16(head);
                if computed == stored {
                    HeaderCrc::Valid
                } else {
                    HeaderCrc::Invalid { stored, computed }
                }
            }
        }
    }
}

/// Whether `bytes` start like a FIT file (a plausible header with the ".FIT" signature).
///
/// ```
/// assert!(!analysis::fit::is_fit(b"<?xml version=\"1.0\"?><gpx/>"));
/// ```
pub fn is_fit(bytes: &[u8]) -> bool {
    FileHeader::parse(bytes).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    // The 14-byte header of the FIT SDK's test/data/Activity.fit.
    const SDK_HEADER: [u8; 14] = [
        0x0E, 0x20, 0x63, 0x08, 0x80, 0x6F, 0x01, 0x00, b'.', b'F', b'I', b'T', 0x9E, 0x43,
    ];

    #[test]
    fn parses_a_14_byte_header() {
        let h = FileHeader::parse(&SDK_HEADER).unwrap();
        assert_eq!(h.header_size, 14);
        assert_eq!(h.protocol_version, 0x20);
        assert_eq!(h.profile_version, 2147);
        assert_eq!(h.data_size, 94_080);
        assert_eq!(h.crc, Some(0x439E));
        assert_eq!(h.check_crc(&SDK_HEADER), HeaderCrc::Valid);
    }

    #[test]
    fn detects_a_bad_or_missing_header_crc() {
        let mut bytes = SDK_HEADER;
        bytes[4] ^= 1;
        let h = FileHeader::parse(&bytes).unwrap();
        assert!(matches!(
            h.check_crc(&bytes),
            HeaderCrc::Invalid { stored: 0x439E, .. }
        ));
        bytes[12] = 0;
        bytes[13] = 0;
        let h = FileHeader::parse(&bytes).unwrap();
        assert_eq!(h.check_crc(&bytes), HeaderCrc::NotComputed);
        let h12 = FileHeader::parse(&SDK_HEADER[..12]).unwrap_err();
        // A header that says 14 bytes but is cut at 12 is rejected with its offset.
        assert_eq!(
            h12,
            AnalysisError::NotFit {
                offset: 0,
                reason: "header size 14 but only 12 bytes left".into()
            }
        );
    }

    #[test]
    fn parses_a_12_byte_header() {
        let mut bytes = SDK_HEADER;
        bytes[0] = 12;
        let h = FileHeader::parse(&bytes[..12]).unwrap();
        assert_eq!(h.crc, None);
        assert_eq!(h.check_crc(&bytes), HeaderCrc::Absent);
    }

    #[test]
    fn rejects_what_is_not_fit() {
        assert!(!is_fit(b""));
        assert!(!is_fit(b"short"));
        assert!(!is_fit(b"<?xml version=\"1.0\"?>"));
        let mut bytes = SDK_HEADER;
        bytes[0] = 8;
        assert!(matches!(
            FileHeader::parse_at(&bytes, 771),
            Err(AnalysisError::NotFit { offset: 771, .. })
        ));
        assert!(is_fit(&SDK_HEADER));
    }
}
