//! Gzip answers joined from pieces deflated once, ahead of time.
//!
//! A run's JSON in the upload API never changes after it is kept, so it is deflated once, when it
//! is stored, into a *piece*: raw DEFLATE (RFC 1951) that starts with an empty dictionary and
//! ends on a byte boundary with a block that is not the last (a sync flush). Pieces laid end to
//! end are one valid DEFLATE stream, since no piece refers back past its own start; text around
//! them goes in as stored blocks. [`GzipJoin`] writes the gzip member (RFC 1952) around them: its
//! header, the pieces and texts in order, an empty last block, and the CRC-32 and length of the
//! whole text, combined from each piece's own. An answer of twenty runs then costs a few
//! memcpys instead of deflating 40 kB for every request.
//!
//! A piece is stored as `crc32 · text length · deflate length · shift · deflate bytes` (the
//! first four u32 LE): it says where it ends, so pieces laid end to end (as a database
//! concatenates them) are read back one by one with [`piece_len`]; and it carries what the CRC
//! of the text before it is multiplied by when it follows ([`crc::shift`] of its length), so
//! joining a piece costs one multiplication rather than working that out per request.

use miniz_oxide::DataFormat;
use miniz_oxide::deflate::core::{CompressorOxide, TDEFLFlush, TDEFLStatus, compress_to_output};

/// A piece's header: CRC-32, text length, deflate length, shift.
pub const PIECE_HEADER: usize = 16;

/// The piece of `text`, deflated at level 6.
pub fn piece(text: &[u8]) -> Vec<u8> {
    let length = u32::try_from(text.len()).expect("a piece's text is under 4 GiB");
    let mut out = Vec::with_capacity(PIECE_HEADER + text.len() / 2);
    out.extend_from_slice(&crc32fast::hash(text).to_le_bytes());
    out.extend_from_slice(&length.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&crc::shift(text.len() as u64).to_le_bytes());
    let mut compressor = CompressorOxide::new(0);
    compressor.set_format_and_level(DataFormat::Raw, 6);
    let (status, read) = compress_to_output(&mut compressor, text, TDEFLFlush::Sync, |chunk| {
        out.extend_from_slice(chunk);
        true
    });
    // Writing to a Vec cannot fail, so the compressor always takes the whole input.
    assert!(
        status == TDEFLStatus::Okay && read == text.len(),
        "deflate into memory failed: {status:?}"
    );
    let deflated = u32::try_from(out.len() - PIECE_HEADER).expect("under 4 GiB deflated");
    out[8..12].copy_from_slice(&deflated.to_le_bytes());
    out
}

/// The header word at `at` of a piece at the start of `bytes`.
fn word(bytes: &[u8], at: usize) -> Option<u32> {
    let word = bytes.get(at..at + 4)?;
    Some(u32::from_le_bytes(word.try_into().ok()?))
}

/// How long the piece at the start of `bytes` is, header and all, as its header says; `None`
/// when `bytes` is too short to hold its header or its deflate bytes.
pub fn piece_len(bytes: &[u8]) -> Option<usize> {
    let length = PIECE_HEADER.checked_add(usize::try_from(word(bytes, 8)?).ok()?)?;
    (length <= bytes.len()).then_some(length)
}

/// A stored piece whose length is not what its header says.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a gzip piece of {0} bytes does not match its header")]
pub struct BadPiece(pub usize);

/// CRC-32 arithmetic (as zlib's `crc32_combine` does it): polynomials over GF(2) modulo the
/// CRC-32 polynomial, bit-reflected as the CRC is, so x^0 is the top bit. The CRC of `a` then
/// `b` is `crc(a)·x^(8·len b) + crc(b)`.
pub mod crc {
    /// The CRC-32 polynomial, reflected.
    const POLY: u32 = 0xedb8_8320;
    /// x^0.
    const ONE: u32 = 1 << 31;

    /// `a·b` modulo the polynomial.
    pub fn multiply(a: u32, mut b: u32) -> u32 {
        let mut product = 0;
        let mut bit = ONE;
        while bit != 0 && a & (bit | (bit - 1)) != 0 {
            if a & bit != 0 {
                product ^= b;
            }
            bit >>= 1;
            b = if b & 1 == 1 { (b >> 1) ^ POLY } else { b >> 1 };
        }
        product
    }

    /// x^(8·bytes): what the CRC of a text is multiplied by when `bytes` more follow it.
    pub fn shift(mut bytes: u64) -> u32 {
        let mut power = 1 << 23; // x^8
        let mut result = ONE;
        while bytes != 0 {
            if bytes & 1 == 1 {
                result = multiply(result, power);
            }
            power = multiply(power, power);
            bytes >>= 1;
        }
        result
    }

    /// The CRC of `a` then `b`, from `a`'s, `b`'s and the [`shift`] of `b`'s length.
    pub fn combine(crc_a: u32, crc_b: u32, shift_b: u32) -> u32 {
        multiply(shift_b, crc_a) ^ crc_b
    }
}

/// One gzip member written from pieces and plain text.
pub struct GzipJoin {
    out: Vec<u8>,
    /// The CRC-32 of the text so far.
    crc: u32,
    /// Bytes of text so far.
    length: u64,
}

/// The gzip header: deflate, no name or time, unknown OS (RFC 1952 §2.3).
const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
/// The last block: fixed Huffman codes, nothing but its end (BFINAL 1, BTYPE 01, code 256).
const LAST_BLOCK: [u8; 2] = [0x03, 0x00];

impl GzipJoin {
    /// A member about `capacity` bytes long.
    pub fn with_capacity(capacity: usize) -> Self {
        let mut out = Vec::with_capacity(capacity + HEADER.len() + LAST_BLOCK.len() + 8);
        out.extend_from_slice(&HEADER);
        Self {
            out,
            crc: 0,
            length: 0,
        }
    }

    /// Appends text as it is, in stored blocks.
    pub fn text(&mut self, text: &[u8]) {
        let mut crc = crc32fast::Hasher::new_with_initial(self.crc);
        crc.update(text);
        self.crc = crc.finalize();
        self.length += text.len() as u64;
        for block in text.chunks(usize::from(u16::MAX)) {
            let length = block.len() as u16;
            // BFINAL 0, BTYPE 00; every piece and block before ends on a byte boundary.
            self.out.push(0);
            self.out.extend_from_slice(&length.to_le_bytes());
            self.out.extend_from_slice(&(!length).to_le_bytes());
            self.out.extend_from_slice(block);
        }
    }

    /// Appends a piece made by [`piece`].
    pub fn piece(&mut self, piece: &[u8]) -> Result<(), BadPiece> {
        let (Some(crc), Some(length), Some(shift)) =
            (word(piece, 0), word(piece, 4), word(piece, 12))
        else {
            return Err(BadPiece(piece.len()));
        };
        if piece_len(piece) != Some(piece.len()) {
            return Err(BadPiece(piece.len()));
        }
        self.crc = crc::combine(self.crc, crc, shift);
        self.length += u64::from(length);
        self.out.extend_from_slice(&piece[PIECE_HEADER..]);
        Ok(())
    }

    /// The whole member: the last block, the CRC-32 and the length of the text (mod 2^32).
    pub fn finish(self) -> Vec<u8> {
        let Self {
            mut out,
            crc,
            length,
        } = self;
        let length = length as u32;
        out.extend_from_slice(&LAST_BLOCK);
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&length.to_le_bytes());
        out
    }
}

/// Whether an `Accept-Encoding` header value takes gzip (RFC 9110 §12.5.3): `gzip`, `x-gzip` or
/// `*`, with a weight that is not zero.
pub fn accepts_gzip(accept_encoding: &str) -> bool {
    accept_encoding.split(',').any(|item| {
        let mut parts = item.split(';');
        let coding = parts.next().unwrap_or("").trim();
        let weighted_zero = parts.any(|p| {
            p.trim()
                .strip_prefix("q=")
                .and_then(|q| q.trim().parse::<f32>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        ["gzip", "x-gzip", "*"]
            .iter()
            .any(|c| coding.eq_ignore_ascii_case(c))
            && !weighted_zero
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn gunzip(member: &[u8]) -> Vec<u8> {
        let mut text = Vec::new();
        flate2::read::GzDecoder::new(member)
            .read_to_end(&mut text)
            .expect("a valid gzip member with the right CRC and length");
        text
    }

    #[test]
    fn pieces_and_text_join_into_one_member() {
        let run = |i: usize| {
            format!(
                "{{\"id\":\"run{i}\",\"summary\":{{\"distance_m\":{}}}}}",
                i * 1000
            )
        };
        let mut join = GzipJoin::with_capacity(1024);
        join.text(b"{\"activities\":[");
        let mut expected = String::from("{\"activities\":[");
        for i in 0..20 {
            if i > 0 {
                join.text(b",");
                expected.push(',');
            }
            join.piece(&piece(run(i).as_bytes())).unwrap();
            expected.push_str(&run(i));
        }
        join.text(b"],\"total\":20}");
        expected.push_str("],\"total\":20}");
        let member = join.finish();
        assert_eq!(gunzip(&member), expected.as_bytes());
    }

    #[test]
    fn a_piece_is_smaller_than_its_text_and_holds_its_crc_and_length() {
        let text = "{\"metrics\":[1.5,2.5,3.5],\"warnings\":[]}".repeat(50);
        let p = piece(text.as_bytes());
        assert_eq!(p[..4], crc32fast::hash(text.as_bytes()).to_le_bytes());
        assert_eq!(p[4..8], (text.len() as u32).to_le_bytes());
        assert_eq!(p[8..12], (p.len() as u32 - 16).to_le_bytes());
        assert_eq!(p[12..16], crc::shift(text.len() as u64).to_le_bytes());
        assert!(p.len() < text.len() / 10, "{} of {}", p.len(), text.len());
        // Alone, a piece is a whole answer too.
        let mut join = GzipJoin::with_capacity(p.len());
        join.piece(&p).unwrap();
        assert_eq!(gunzip(&join.finish()), text.as_bytes());
    }

    #[test]
    fn pieces_laid_end_to_end_are_read_back_one_by_one() {
        let runs = ["{\"id\":1}", "{\"id\":22}", "{\"id\":333}"];
        let laid: Vec<u8> = runs.iter().flat_map(|r| piece(r.as_bytes())).collect();
        let mut join = GzipJoin::with_capacity(laid.len());
        join.text(b"[");
        let mut rest = &laid[..];
        let mut first = true;
        while !rest.is_empty() {
            let length = piece_len(rest).expect("a whole piece");
            if !first {
                join.text(b",");
            }
            first = false;
            join.piece(&rest[..length]).unwrap();
            rest = &rest[length..];
        }
        join.text(b"]");
        assert_eq!(
            gunzip(&join.finish()),
            format!("[{}]", runs.join(",")).as_bytes()
        );
        // A piece cut short, or a header alone, says so.
        let one = piece(runs[2].as_bytes());
        assert_eq!(piece_len(&one[..one.len() - 1]), None);
        assert_eq!(piece_len(&one[..15]), None);
        assert_eq!(piece_len(&one), Some(one.len()));
    }

    #[test]
    fn crcs_combine_as_the_whole_text_hashes() {
        let text: Vec<u8> = (0..70_000u32).map(|i| (i * 7 + i / 300) as u8).collect();
        for cut in [0, 1, 7, 8, 255, 4096, 65_535, 69_999, 70_000] {
            let (a, b) = text.split_at(cut);
            let shift = crc::shift(b.len() as u64);
            let joined = crc::combine(crc32fast::hash(a), crc32fast::hash(b), shift);
            assert_eq!(joined, crc32fast::hash(&text), "cut at {cut}");
        }
        assert_eq!(crc::shift(0), 1 << 31, "x^0");
        assert_eq!(crc::multiply(1 << 31, 0x1234_5678), 0x1234_5678);
    }

    #[test]
    fn empty_answers_long_texts_and_bad_pieces() {
        assert_eq!(gunzip(&GzipJoin::with_capacity(0).finish()), b"");
        // Text over one stored block's 65,535 bytes, and an empty piece.
        let long = vec![b'x'; 150_000];
        let mut join = GzipJoin::with_capacity(long.len());
        join.text(&long);
        join.piece(&piece(b"")).unwrap();
        join.text(b"end");
        let mut expected = long.clone();
        expected.extend_from_slice(b"end");
        assert_eq!(gunzip(&join.finish()), expected);

        let mut join = GzipJoin::with_capacity(0);
        assert_eq!(join.piece(&[1, 2, 3]), Err(BadPiece(3)));
        let mut longer = piece(b"text");
        longer.push(0);
        assert_eq!(join.piece(&longer), Err(BadPiece(longer.len())));
    }

    #[test]
    fn accept_encoding_is_read_with_its_weights() {
        for yes in [
            "gzip",
            "gzip, deflate, br",
            "br;q=1.0, GZIP;q=0.5",
            "*",
            "x-gzip",
            "identity, *;q=0.1",
        ] {
            assert!(accepts_gzip(yes), "{yes}");
        }
        for no in [
            "",
            "br",
            "deflate, br, zstd",
            "gzip;q=0",
            "gzip; q=0.000",
            "gzipped",
        ] {
            assert!(!accepts_gzip(no), "{no}");
        }
    }
}
