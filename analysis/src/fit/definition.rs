//! FIT base types and definition messages.
//!
//! A definition message tells how the data messages of one local message type (0–15) are laid
//! out: the global message number, the byte order, and each field's number, size and base type.
//! The decoder keeps the 16 current definitions in a fixed table and walks data messages by them.

/// Reads one `$t` of `$n` bytes from the start of `$bytes` in the given byte order, or returns
/// `None` from the enclosing function when there are fewer bytes.
macro_rules! read {
    ($bytes:expr, $be:expr, $t:ty, $n:literal) => {{
        let b: [u8; $n] = match $bytes.get(..$n) {
            Some(s) => match s.try_into() {
                Ok(b) => b,
                Err(_) => return None,
            },
            None => return None,
        };
        if $be {
            <$t>::from_be_bytes(b)
        } else {
            <$t>::from_le_bytes(b)
        }
    }};
}

/// A FIT base type (the low five bits of a base type byte).
///
/// The high bit of a base type byte only says "multi-byte, endian-sensitive"; writers disagree on
/// it (Garmin's own JavaScript SDK writes developer fields as 0x04 for `uint16`), so the number
/// alone decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseType {
    /// 0x00, invalid 0xFF.
    Enum,
    /// 0x01, invalid 0x7F.
    Sint8,
    /// 0x02, invalid 0xFF.
    Uint8,
    /// 0x83, invalid 0x7FFF.
    Sint16,
    /// 0x84, invalid 0xFFFF.
    Uint16,
    /// 0x85, invalid 0x7FFF_FFFF.
    Sint32,
    /// 0x86, invalid 0xFFFF_FFFF.
    Uint32,
    /// 0x07, NUL-terminated UTF-8.
    String,
    /// 0x88, invalid 0xFFFF_FFFF.
    Float32,
    /// 0x89, invalid all ones.
    Float64,
    /// 0x0A, invalid 0x00.
    Uint8z,
    /// 0x8B, invalid 0x0000.
    Uint16z,
    /// 0x8C, invalid 0x0000_0000.
    Uint32z,
    /// 0x0D, an array of bytes; a byte 0xFF reads as invalid.
    Byte,
    /// 0x8E, invalid 0x7FFF_FFFF_FFFF_FFFF.
    Sint64,
    /// 0x8F, invalid all ones.
    Uint64,
    /// 0x90, invalid 0.
    Uint64z,
}

impl BaseType {
    /// The base type of a FIT base type byte, `None` for numbers FIT does not define.
    ///
    /// ```
    /// use analysis::fit::BaseType;
    /// assert_eq!(BaseType::from_byte(0x84), Some(BaseType::Uint16));
    /// assert_eq!(BaseType::from_byte(0x04), Some(BaseType::Uint16));
    /// assert_eq!(BaseType::from_byte(0x1F), None);
    /// ```
    pub fn from_byte(byte: u8) -> Option<Self> {
        Some(match byte & 0x1F {
            0 => Self::Enum,
            1 => Self::Sint8,
            2 => Self::Uint8,
            3 => Self::Sint16,
            4 => Self::Uint16,
            5 => Self::Sint32,
            6 => Self::Uint32,
            7 => Self::String,
            8 => Self::Float32,
            9 => Self::Float64,
            10 => Self::Uint8z,
            11 => Self::Uint16z,
            12 => Self::Uint32z,
            13 => Self::Byte,
            14 => Self::Sint64,
            15 => Self::Uint64,
            16 => Self::Uint64z,
            _ => return None,
        })
    }

    /// The FIT base type number (0–16).
    pub fn number(self) -> u8 {
        self as u8
    }

    /// The size of one value in bytes.
    pub fn size(self) -> usize {
        match self {
            Self::Enum | Self::Sint8 | Self::Uint8 | Self::String | Self::Uint8z | Self::Byte => 1,
            Self::Sint16 | Self::Uint16 | Self::Uint16z => 2,
            Self::Sint32 | Self::Uint32 | Self::Float32 | Self::Uint32z => 4,
            Self::Float64 | Self::Sint64 | Self::Uint64 | Self::Uint64z => 8,
        }
    }

    /// The base type byte a definition message carries: the number, with the high
    /// "endian-sensitive" bit set for multi-byte types (0x84 for `uint16`, 0x02 for `uint8`).
    ///
    /// ```
    /// use analysis::fit::BaseType;
    /// assert_eq!(BaseType::Uint16.byte(), 0x84);
    /// assert_eq!(BaseType::Uint8.byte(), 0x02);
    /// assert_eq!(BaseType::from_byte(BaseType::Float32.byte()), Some(BaseType::Float32));
    /// ```
    pub fn byte(self) -> u8 {
        if self.size() > 1 {
            self.number() | 0x80
        } else {
            self.number()
        }
    }

    /// The little-endian bytes of `raw` as one value of this type (the first
    /// [`BaseType::size`] bytes of the result count; the rest are zero).
    ///
    /// Integer types round `raw` to the nearest integer. FIT's invalid value of the type is
    /// written for `NaN`, for values outside the type's range, and for values that would *be*
    /// the invalid value, so a reader never mistakes a missing sample for a real one or the
    /// other way round. Strings and byte arrays have no single value: a string encodes as an
    /// empty string (one NUL byte), a byte as an integer.
    ///
    /// ```
    /// use analysis::fit::BaseType;
    /// assert_eq!(BaseType::Uint16.encode(4660.4)[..2], [0x34, 0x12]);
    /// assert_eq!(BaseType::Uint16.encode(f64::NAN)[..2], [0xFF, 0xFF]);
    /// assert_eq!(BaseType::Uint8.encode(300.0)[..1], [0xFF]);
    /// assert_eq!(BaseType::Sint8.encode(-3.0)[..1], [0xFD]);
    /// ```
    #[inline]
    pub fn encode(self, raw: f64) -> [u8; 8] {
        let mut out = [0u8; 8];
        // The valid range of each integer type: everything but its invalid value.
        let int = |lo: f64, hi: f64| {
            let r = raw.round();
            (r >= lo && r <= hi).then_some(r)
        };
        match self {
            Self::Enum | Self::Uint8 | Self::Byte => {
                out[0] = int(0.0, 254.0).map_or(0xFF, |r| r as u8);
            }
            Self::Sint8 => {
                out[0] = int(-128.0, 126.0).map_or(0x7F, |r| r as i8 as u8);
            }
            Self::Uint8z => out[0] = int(1.0, 255.0).map_or(0, |r| r as u8),
            Self::Sint16 => {
                let v = int(-32_768.0, 32_766.0).map_or(0x7FFF, |r| r as i16);
                out[..2].copy_from_slice(&v.to_le_bytes());
            }
            Self::Uint16 => {
                let v = int(0.0, 65_534.0).map_or(0xFFFF, |r| r as u16);
                out[..2].copy_from_slice(&v.to_le_bytes());
            }
            Self::Uint16z => {
                let v = int(1.0, 65_535.0).map_or(0, |r| r as u16);
                out[..2].copy_from_slice(&v.to_le_bytes());
            }
            Self::Sint32 => {
                let v = int(-2_147_483_648.0, 2_147_483_646.0).map_or(0x7FFF_FFFF, |r| r as i32);
                out[..4].copy_from_slice(&v.to_le_bytes());
            }
            Self::Uint32 => {
                let v = int(0.0, 4_294_967_294.0).map_or(u32::MAX, |r| r as u32);
                out[..4].copy_from_slice(&v.to_le_bytes());
            }
            Self::Uint32z => {
                let v = int(1.0, 4_294_967_295.0).map_or(0, |r| r as u32);
                out[..4].copy_from_slice(&v.to_le_bytes());
            }
            Self::Float32 => {
                let v = raw as f32;
                let bits = if v.is_finite() { v.to_bits() } else { u32::MAX };
                out[..4].copy_from_slice(&bits.to_le_bytes());
            }
            Self::Float64 => {
                let bits = if raw.is_finite() {
                    raw.to_bits()
                } else {
                    u64::MAX
                };
                out.copy_from_slice(&bits.to_le_bytes());
            }
            // 2^63 is exactly representable; every f64 below it casts without saturating.
            Self::Sint64 => {
                let v = int(
                    -9_223_372_036_854_775_808.0,
                    f64::from_bits(0x43DF_FFFF_FFFF_FFFF),
                )
                .map_or(i64::MAX, |r| r as i64);
                out.copy_from_slice(&v.to_le_bytes());
            }
            Self::Uint64 => {
                let v =
                    int(0.0, f64::from_bits(0x43EF_FFFF_FFFF_FFFF)).map_or(u64::MAX, |r| r as u64);
                out.copy_from_slice(&v.to_le_bytes());
            }
            Self::Uint64z => {
                let v = int(1.0, f64::from_bits(0x43EF_FFFF_FFFF_FFFF)).map_or(0, |r| r as u64);
                out.copy_from_slice(&v.to_le_bytes());
            }
            Self::String => {}
        }
        out
    }

    /// Whether the type holds integers (so a value can be read with [`BaseType::read_int`]).
    pub fn is_integer(self) -> bool {
        !matches!(self, Self::String | Self::Float32 | Self::Float64)
    }

    /// Reads the first value of a field held in `bytes`, `None` when it is FIT's invalid value
    /// for this type or `bytes` is too short. Strings read as `None`.
    ///
    /// ```
    /// use analysis::fit::BaseType;
    /// assert_eq!(BaseType::Uint16.read(&[0x34, 0x12], false), Some(4660.0));
    /// assert_eq!(BaseType::Uint16.read(&[0x12, 0x34], true), Some(4660.0));
    /// assert_eq!(BaseType::Uint16.read(&[0xFF, 0xFF], false), None);
    /// ```
    #[inline(always)]
    pub fn read(self, bytes: &[u8], big_endian: bool) -> Option<f64> {
        match self {
            Self::Float32 => {
                let v = f32::from_bits(read!(bytes, big_endian, u32, 4));
                v.is_finite().then_some(f64::from(v))
            }
            Self::Float64 => {
                let v = f64::from_bits(read!(bytes, big_endian, u64, 8));
                v.is_finite().then_some(v)
            }
            _ => self.read_int(bytes, big_endian).map(|v| v as f64),
        }
    }

    /// Reads the first value of an integer field, sign-extended, `None` when invalid, too short
    /// or not an integer type.
    #[inline(always)]
    pub fn read_int(self, bytes: &[u8], big_endian: bool) -> Option<i64> {
        let be = big_endian;
        match self {
            Self::Enum | Self::Uint8 | Self::Byte => {
                let v = *bytes.first()?;
                (v != 0xFF).then_some(i64::from(v))
            }
            Self::Sint8 => {
                let v = *bytes.first()? as i8;
                (v != 0x7F).then_some(i64::from(v))
            }
            Self::Uint8z => {
                let v = *bytes.first()?;
                (v != 0).then_some(i64::from(v))
            }
            Self::Sint16 => {
                let v = read!(bytes, be, i16, 2);
                (v != 0x7FFF).then_some(i64::from(v))
            }
            Self::Uint16 => {
                let v = read!(bytes, be, u16, 2);
                (v != 0xFFFF).then_some(i64::from(v))
            }
            Self::Uint16z => {
                let v = read!(bytes, be, u16, 2);
                (v != 0).then_some(i64::from(v))
            }
            Self::Sint32 => {
                let v = read!(bytes, be, i32, 4);
                (v != 0x7FFF_FFFF).then_some(i64::from(v))
            }
            Self::Uint32 => {
                let v = read!(bytes, be, u32, 4);
                (v != 0xFFFF_FFFF).then_some(i64::from(v))
            }
            Self::Uint32z => {
                let v = read!(bytes, be, u32, 4);
                (v != 0).then_some(i64::from(v))
            }
            Self::Sint64 => {
                let v = read!(bytes, be, i64, 8);
                (v != i64::MAX).then_some(v)
            }
            // Values above i64::MAX cannot be represented; FIT has no such profile field.
            Self::Uint64 => i64::try_from(read!(bytes, be, u64, 8)).ok(),
            Self::Uint64z => i64::try_from(read!(bytes, be, u64, 8))
                .ok()
                .filter(|&v| v != 0),
            Self::String | Self::Float32 | Self::Float64 => None,
        }
    }
}

/// One field of a definition message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldDefinition {
    /// The field number in the FIT profile (or the developer's field number).
    pub number: u8,
    /// The field's size in bytes (a multiple of the base type's size for arrays).
    pub size: u8,
    /// The raw base type byte (for developer fields: the developer data index instead).
    pub base_type: u8,
}

/// A parsed definition message, borrowed from the file's bytes.
#[derive(Debug, Clone, Copy)]
pub struct Definition<'a> {
    /// Whether data messages of this type are big-endian.
    pub big_endian: bool,
    /// The global message number (20 record, 18 session, …).
    pub global: u16,
    /// The profile fields, three bytes each (number, size, base type).
    fields: &'a [u8],
    /// The developer fields, three bytes each (number, size, developer data index).
    dev_fields: &'a [u8],
}

impl<'a> Definition<'a> {
    /// Parses the body of a definition message (after its one-byte record header) from the
    /// start of `bytes`. Returns the definition and the body's length, or `None` if `bytes`
    /// end first. `has_dev` is the record header's developer-data flag.
    pub fn parse(bytes: &'a [u8], has_dev: bool) -> Option<(Self, usize)> {
        let fixed = bytes.get(..5)?;
        let big_endian = fixed[1] == 1;
        let global = if big_endian {
            u16::from_be_bytes([fixed[2], fixed[3]])
        } else {
            u16::from_le_bytes([fixed[2], fixed[3]])
        };
        let n = usize::from(fixed[4]) * 3;
        let fields = bytes.get(5..5 + n)?;
        let mut len = 5 + n;
        let dev_fields = if has_dev {
            let m = usize::from(*bytes.get(len)?) * 3;
            let dev = bytes.get(len + 1..len + 1 + m)?;
            len += 1 + m;
            dev
        } else {
            &[]
        };
        Some((
            Self {
                big_endian,
                global,
                fields,
                dev_fields,
            },
            len,
        ))
    }

    /// The profile fields, in message order.
    pub fn fields(&self) -> impl Iterator<Item = FieldDefinition> + 'a {
        triples(self.fields)
    }

    /// The developer fields, in message order (after all profile fields).
    /// `base_type` holds the developer data index.
    pub fn developer_fields(&self) -> impl Iterator<Item = FieldDefinition> + 'a {
        triples(self.dev_fields)
    }

    /// The size in bytes of one data message of this type, header byte excluded.
    pub fn message_size(&self) -> usize {
        self.fields()
            .chain(self.developer_fields())
            .map(|f| usize::from(f.size))
            .sum()
    }
}

fn triples(bytes: &[u8]) -> impl Iterator<Item = FieldDefinition> + '_ {
    bytes.chunks_exact(3).map(|c| FieldDefinition {
        number: c[0],
        size: c[1],
        base_type: c[2],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_values_per_base_type() {
        // FIT SDK, "Base Types" table: the invalid value of each type reads as None.
        let cases: &[(u8, &[u8])] = &[
            (0x00, &[0xFF]),
            (0x01, &[0x7F]),
            (0x02, &[0xFF]),
            (0x83, &[0xFF, 0x7F]),
            (0x84, &[0xFF, 0xFF]),
            (0x85, &[0xFF, 0xFF, 0xFF, 0x7F]),
            (0x86, &[0xFF, 0xFF, 0xFF, 0xFF]),
            (0x88, &[0xFF, 0xFF, 0xFF, 0xFF]),
            (0x89, &[0xFF; 8]),
            (0x0A, &[0x00]),
            (0x8B, &[0x00, 0x00]),
            (0x8C, &[0, 0, 0, 0]),
            (0x0D, &[0xFF]),
            (0x8E, &[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]),
            (0x8F, &[0xFF; 8]),
            (0x90, &[0; 8]),
        ];
        for &(byte, bytes) in cases {
            let t = BaseType::from_byte(byte).unwrap();
            assert_eq!(t.size(), bytes.len(), "{t:?}");
            assert_eq!(t.read(bytes, false), None, "{t:?}");
        }
    }

    #[test]
    fn encode_round_trips_and_writes_invalid_values() {
        let all = (0..=16).filter_map(BaseType::from_byte);
        for t in all.filter(|t| *t != BaseType::String) {
            // NaN and infinities are FIT's invalid value, which reads back as missing.
            let out_of_range: &[f64] = if t == BaseType::Float64 {
                &[]
            } else {
                &[1e300, -1e300]
            };
            for &bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY]
                .iter()
                .chain(out_of_range)
            {
                let bytes = t.encode(bad);
                assert_eq!(t.read(&bytes[..t.size()], false), None, "{t:?} {bad}");
            }
            assert_eq!(BaseType::from_byte(t.byte()), Some(t));
            // An ordinary value reads back as itself.
            let bytes = t.encode(100.0);
            assert_eq!(t.read(&bytes[..t.size()], false), Some(100.0), "{t:?}");
        }
        // The edges: the largest valid value is kept, the invalid value itself is not.
        assert_eq!(BaseType::Uint8.encode(254.0)[0], 254);
        assert_eq!(BaseType::Uint8.encode(255.0)[0], 0xFF);
        assert_eq!(BaseType::Uint8.encode(-0.4)[0], 0);
        assert_eq!(BaseType::Uint8.encode(-0.6)[0], 0xFF);
        assert_eq!(BaseType::Sint8.encode(127.0)[0], 0x7F);
        assert_eq!(BaseType::Sint8.encode(-128.0)[0], 0x80);
        assert_eq!(BaseType::Uint8z.encode(0.0)[0], 0);
        assert_eq!(BaseType::Uint8z.encode(255.0)[0], 255);
        assert_eq!(BaseType::Sint16.encode(-2.0)[..2], [0xFE, 0xFF]);
        assert_eq!(
            BaseType::Sint32.encode(-2_147_483_648.0)[..4],
            i32::MIN.to_le_bytes()
        );
        assert_eq!(
            BaseType::Sint32.encode(2_147_483_647.0)[..4],
            [0xFF, 0xFF, 0xFF, 0x7F]
        );
        assert_eq!(
            BaseType::Uint32.encode(4_294_967_294.0)[..4],
            [0xFE, 0xFF, 0xFF, 0xFF]
        );
        assert_eq!(BaseType::Uint32.encode(4_294_967_295.0)[..4], [0xFF; 4]);
        assert_eq!(BaseType::Float32.encode(1.5)[..4], 1.5f32.to_le_bytes());
        assert_eq!(BaseType::Float32.encode(1e39)[..4], [0xFF; 4]);
        assert_eq!(BaseType::Float64.encode(-2.25), (-2.25f64).to_le_bytes());
        assert_eq!(BaseType::Sint64.encode(-5.0), (-5i64).to_le_bytes());
        assert_eq!(BaseType::Sint64.encode(9.3e18), i64::MAX.to_le_bytes());
        assert_eq!(BaseType::Uint64z.encode(0.0), [0; 8]);
        assert_eq!(BaseType::String.encode(1.0), [0; 8]);
    }

    #[test]
    fn signed_values_and_endianness() {
        assert_eq!(BaseType::Sint8.read(&[0x80], false), Some(-128.0));
        assert_eq!(BaseType::Sint16.read(&[0xFE, 0xFF], false), Some(-2.0));
        assert_eq!(BaseType::Sint16.read(&[0xFF, 0xFE], true), Some(-2.0));
        // 45.5 degrees in semicircles, both byte orders.
        let semis: i32 = 542_836_736;
        assert_eq!(
            BaseType::Sint32.read(&semis.to_le_bytes(), false),
            Some(f64::from(semis))
        );
        assert_eq!(
            BaseType::Sint32.read(&semis.to_be_bytes(), true),
            Some(f64::from(semis))
        );
        assert_eq!(
            BaseType::Uint32.read(&0xDEAD_BEEFu32.to_be_bytes(), true),
            Some(3_735_928_559.0)
        );
        assert_eq!(
            BaseType::Float32.read(&1.5f32.to_be_bytes(), true),
            Some(1.5)
        );
        assert_eq!(
            BaseType::Float64.read(&(-2.25f64).to_le_bytes(), false),
            Some(-2.25)
        );
        assert_eq!(BaseType::Uint16z.read(&[1, 0], false), Some(1.0));
        // Too short: no value rather than a panic.
        assert_eq!(BaseType::Uint32.read(&[1, 2, 3], false), None);
        assert_eq!(BaseType::String.read(b"abc", false), None);
    }

    #[test]
    fn parses_a_definition_with_developer_fields() {
        // reserved, big-endian, global 20, 2 fields (253 uint32, 3 uint8), 1 dev field.
        let bytes = [0, 1, 0, 20, 2, 253, 4, 0x86, 3, 1, 0x02, 1, 0, 2, 0, 99];
        let (def, len) = Definition::parse(&bytes, true).unwrap();
        assert_eq!(len, 15);
        assert!(def.big_endian);
        assert_eq!(def.global, 20);
        let fields: Vec<_> = def.fields().collect();
        assert_eq!(
            fields[0],
            FieldDefinition {
                number: 253,
                size: 4,
                base_type: 0x86
            }
        );
        assert_eq!(fields[1].number, 3);
        let dev: Vec<_> = def.developer_fields().collect();
        assert_eq!(
            dev,
            [FieldDefinition {
                number: 0,
                size: 2,
                base_type: 0
            }]
        );
        assert_eq!(def.message_size(), 7);
        // Cut anywhere, it is refused instead of read past the end.
        for cut in 0..len {
            assert!(
                Definition::parse(&bytes[..cut], true).is_none(),
                "cut {cut}"
            );
        }
        // Little-endian global number.
        let (def, _) = Definition::parse(&[0, 0, 0x72, 0x01, 0], false).unwrap();
        assert_eq!(def.global, 370);
    }
}
