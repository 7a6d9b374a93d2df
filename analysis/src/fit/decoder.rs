//! The FIT byte walker: file headers, CRCs, chained files, record headers (normal and
//! compressed-timestamp), the table of 16 local definitions, and each data message's fields.
//!
//! Nothing is allocated per message or field: a definition is turned once into a list of
//! [`Op`]s (size, base type, conversion) kept in a fixed table, and a data message is a walk
//! over its ops that writes SI values into a fixed scratch, handed to the [`Builder`] at its end.

use super::builder::{Builder, Scratch, unix_time};
use super::crc::crc16;
use super::definition::{BaseType, Definition};
use super::header::{FileHeader, HeaderCrc};
use super::profile::{
    self, Conv, DEGREES_PER_SEMICIRCLE, Kind, TIMESTAMP_SLOT, compressed_timestamp, rec,
};
use crate::AnalysisError;
use crate::activity::Activity;

/// Decodes a FIT file (or several chained back to back) into one [`Activity`].
///
/// Damage after a good first header is not an error: the records before it are kept and the
/// damage is described in [`Activity::warnings`] (as Garmin's own SDK does).
///
/// # Errors
/// [`AnalysisError::Empty`] for no bytes, [`AnalysisError::NotFit`] when the bytes do not start
/// with a FIT header.
///
/// ```
/// // A 14-byte header, one definition (record: timestamp, heart rate), one record, the CRC.
/// let mut file = vec![14, 0x20, 0x6B, 0x08, 0, 0, 0, 0, b'.', b'F', b'I', b'T', 0, 0];
/// let data = [
///     0x40, 0, 0, 20, 0, 2, 253, 4, 0x86, 3, 1, 0x02, // definition, local 0 = record
///     0x00, 0x00, 0xCA, 0x9A, 0x3B, 150, // record: 1_000_000_000 s after the FIT epoch, 150 bpm
/// ];
/// file[4] = data.len() as u8;
/// file.extend_from_slice(&data);
/// let crc = analysis::fit::crc16(&file);
/// file.extend_from_slice(&crc.to_le_bytes());
///
/// let activity = analysis::fit::decode(&file).unwrap();
/// assert_eq!(activity.records.time, [1_631_065_600.0]);
/// assert_eq!(activity.records.heart_rate, Some(vec![150.0]));
/// assert!(activity.warnings.is_empty());
/// ```
pub fn decode(bytes: &[u8]) -> Result<Activity, AnalysisError> {
    if bytes.is_empty() {
        return Err(AnalysisError::Empty);
    }
    let mut header = FileHeader::parse(bytes)?;
    let mut decoder = Decoder::new(bytes);
    let mut pos = 0;
    while let Some(next) = decoder.file(pos, header) {
        let Some(rest) = bytes.get(next..).filter(|r| !r.is_empty()) else {
            break;
        };
        match FileHeader::parse_at(rest, next) {
            Ok(h) => {
                pos = next;
                header = h;
            }
            Err(e) => {
                // Zero padding after the last file is common and harmless.
                if rest.iter().any(|&b| b != 0) {
                    decoder.builder.warn(format!(
                        "{e}: the {} bytes after the FIT data at byte {next} are ignored",
                        rest.len()
                    ));
                }
                break;
            }
        }
    }
    Ok(decoder.builder.finish())
}

/// One field of a local definition, ready to decode.
#[derive(Debug, Clone, Copy)]
struct Op {
    size: u8,
    base: BaseType,
    conv: Conv,
}

/// The current definition of one local message type.
#[derive(Default)]
struct Local {
    defined: bool,
    kind: Option<Kind>,
    big_endian: bool,
    /// Data message size, header byte excluded.
    size: usize,
    ops: Vec<Op>,
}

struct Decoder<'a> {
    input: &'a [u8],
    locals: [Local; 16],
    /// The last full timestamp (FIT seconds), the base of compressed timestamps.
    last_timestamp: u32,
    scratch: Scratch,
    builder: Builder,
}

impl<'a> Decoder<'a> {
    fn new(input: &'a [u8]) -> Self {
        Self {
            input,
            locals: Default::default(),
            last_timestamp: 0,
            scratch: Scratch::new(),
            builder: Builder::new(),
        }
    }

    /// Decodes the FIT file whose header is at `pos`. Returns where the next chained file
    /// would start, or `None` if this one ended the input (complete or not).
    fn file(&mut self, pos: usize, header: FileHeader) -> Option<usize> {
        let input = self.input;
        let len = input.len();
        let here = input.get(pos..).unwrap_or_default();
        if let HeaderCrc::Invalid { stored, computed } = header.check_crc(here) {
            self.builder.warn(format!(
                "header CRC at byte {pos} is {stored:#06X} but the header computes to \
                 {computed:#06X}; decoded anyway"
            ));
        }
        for local in &mut self.locals {
            local.defined = false;
        }
        self.last_timestamp = 0;
        self.builder.start_file();

        let data_start = pos.saturating_add(usize::from(header.header_size));
        let declared = header.data_size as usize;
        let data_end = data_start.saturating_add(declared);
        let (end, complete) = if declared == 0 && len.saturating_sub(data_start) <= 2 {
            // An empty file: no data, perhaps a CRC.
            (data_start, len.saturating_sub(data_start) == 2)
        } else if declared == 0 {
            self.builder.warn(format!(
                "the header at byte {pos} gives a data size of 0 (the file was never finished); \
                 read to the end of the input"
            ));
            (len, false)
        } else if data_end.saturating_add(2) > len {
            self.builder.warn(format!(
                "truncated: the header at byte {pos} announces {declared} data bytes and a CRC, \
                 but only {} bytes follow it",
                len.saturating_sub(data_start)
            ));
            (data_end.min(len), false)
        } else {
            (data_end, true)
        };

        if complete {
            let stored = input
                .get(end..end + 2)
                .map(|b| u16::from_le_bytes([b[0], b[1]]));
            let computed = input.get(pos..end).map(crc16);
            if let (Some(stored), Some(computed)) = (stored, computed)
                && stored != computed
            {
                self.builder.warn(format!(
                    "file CRC at byte {end} is {stored:#06X} but the data computes to \
                     {computed:#06X}: the file is damaged; values were decoded anyway"
                ));
            }
        }

        let (records, rr) = count(input, data_start, end);
        self.builder.expect(records, rr);
        self.walk(data_start, end, declared == 0);
        // Damage inside a complete file does not hide the files chained after it.
        complete.then_some(end + 2)
    }

    /// Walks the messages in `input[start..end]`, stopping at the first damage.
    fn walk(&mut self, start: usize, end: usize, unfinished: bool) {
        let input = self.input;
        let mut p = start;
        while p < end {
            let Some(&h) = input.get(p) else { return };
            let next = if h & 0x80 != 0 {
                // Compressed timestamp header: local type in bits 5-6, time offset in 0-4.
                let t = compressed_timestamp(self.last_timestamp, h & 0x1F);
                self.last_timestamp = t;
                self.data(usize::from((h >> 5) & 0x03), p, end, Some(t))
            } else if h & 0x40 != 0 {
                self.define(usize::from(h & 0x0F), h & 0x20 != 0, p, end)
            } else {
                self.data(usize::from(h & 0x0F), p, end, None)
            };
            match next {
                Ok(n) => p = n,
                Err(damage) => {
                    // In an unfinished file the last two bytes may be a CRC.
                    if !(unfinished && end.saturating_sub(p) <= 2) {
                        self.builder.warn(damage);
                    }
                    return;
                }
            }
        }
    }

    /// Reads the definition message at `p` into local type `local`; returns the next position
    /// or what was wrong.
    fn define(
        &mut self,
        local: usize,
        has_dev: bool,
        p: usize,
        end: usize,
    ) -> Result<usize, String> {
        let input = self.input;
        let body = input.get(p + 1..end).unwrap_or_default();
        let Some((def, len)) = Definition::parse(body, has_dev) else {
            return Err(format!(
                "truncated: the definition message at byte {p} runs past the end of the data \
                 (byte {end}); decoding stopped there"
            ));
        };
        let kind = Kind::of(def.global);
        let Some(slot) = self.locals.get_mut(local) else {
            return Err(format!(
                "local message type {local} at byte {p} is out of range"
            ));
        };
        slot.ops.clear();
        let mut size = 0usize;
        for f in def.fields() {
            size += usize::from(f.size);
            let (base, conv) = match BaseType::from_byte(f.base_type) {
                Some(b) if usize::from(f.size) >= b.size() => {
                    let conv = match profile::conv(kind, f.number) {
                        // Record channels other than distance are stored as f32.
                        Conv::Value {
                            slot,
                            scale,
                            offset,
                        } if kind == Kind::Record && slot != rec::DISTANCE => Conv::Mul {
                            slot,
                            factor: 1.0 / scale,
                            offset,
                        },
                        conv => conv,
                    };
                    (b, conv)
                }
                // Unknown base type, or a size smaller than one value: skip by size.
                _ => (BaseType::Byte, Conv::Skip),
            };
            slot.ops.push(Op {
                size: f.size,
                base,
                conv,
            });
        }
        for f in def.developer_fields() {
            size += usize::from(f.size);
            let field = if kind == Kind::Record {
                self.builder.developer_field(f.base_type, f.number, p)
            } else {
                None
            };
            let op = match field {
                Some((base, conv)) if usize::from(f.size) >= base.size() => Op {
                    size: f.size,
                    base,
                    conv,
                },
                _ => Op {
                    size: f.size,
                    base: BaseType::Byte,
                    conv: Conv::Skip,
                },
            };
            slot.ops.push(op);
        }
        // Trailing skipped fields need no work: drop them (their size stays in `size`).
        while slot.ops.last().is_some_and(|op| op.conv == Conv::Skip) {
            slot.ops.pop();
        }
        slot.defined = true;
        slot.kind = Some(kind);
        slot.big_endian = def.big_endian;
        slot.size = size;
        Ok(p + 1 + len)
    }

    /// Decodes the data message at `p` of local type `local`; returns the next position or
    /// what was wrong. `compressed` is the time from a compressed-timestamp header.
    #[inline]
    fn data(
        &mut self,
        local: usize,
        p: usize,
        end: usize,
        compressed: Option<u32>,
    ) -> Result<usize, String> {
        let Self {
            input,
            locals,
            last_timestamp,
            scratch,
            builder,
        } = self;
        let input: &[u8] = input;
        let Some(def) = locals.get(local).filter(|l| l.defined) else {
            return Err(format!(
                "a data message at byte {p} uses local message type {local}, which has no \
                 definition: the data is damaged; decoding stopped there"
            ));
        };
        let start = p + 1;
        let stop = start + def.size;
        let Some(message) = input.get(start..stop).filter(|_| stop <= end) else {
            return Err(format!(
                "truncated: the message at byte {p} needs {} bytes but the data ends at byte \
                 {end}; decoding stopped there",
                def.size + 1
            ));
        };
        let kind = def.kind.unwrap_or(Kind::Other);
        let be = def.big_endian;
        scratch.reset();
        if let Some(t) = compressed {
            scratch.set(TIMESTAMP_SLOT, unix_time(i64::from(t)));
        }
        let mut rest = message;
        let mut offset = start;
        for op in &def.ops {
            let Some((field, after)) = rest.split_at_checked(usize::from(op.size)) else {
                break;
            };
            rest = after;
            let field_offset = offset;
            offset += field.len();
            match op.conv {
                Conv::Skip => {}
                Conv::Value {
                    slot,
                    scale,
                    offset,
                } => {
                    if let Some(v) = op.base.read(field, be) {
                        scratch.set(slot, v / scale - offset);
                    }
                }
                Conv::Mul {
                    slot,
                    factor,
                    offset,
                } => {
                    if let Some(v) = op.base.read(field, be) {
                        scratch.set(slot, v * factor - offset);
                    }
                }
                Conv::Semicircles { slot } => {
                    if let Some(v) = op.base.read(field, be) {
                        scratch.set(slot, v * DEGREES_PER_SEMICIRCLE);
                    }
                }
                Conv::Timestamp => {
                    if let Some(t) = op.base.read_int(field, be) {
                        *last_timestamp = t as u32;
                        scratch.set(TIMESTAMP_SLOT, unix_time(t));
                    }
                }
                Conv::DateTime { slot } => {
                    if let Some(t) = op.base.read_int(field, be) {
                        scratch.set(slot, unix_time(t));
                    }
                }
                Conv::Bytes { slot } => scratch.set_bytes(slot, field_offset, field.len()),
                Conv::CompressedSpeedDistance => {
                    if let Some((speed, distance)) = profile::compressed_speed_distance(field) {
                        scratch.set(rec::COMPRESSED_SPEED, f64::from(speed) / 100.0);
                        scratch.set(
                            rec::COMPRESSED_DISTANCE,
                            builder.accumulate_distance(distance),
                        );
                    }
                }
                Conv::HrvTimes => {
                    for one in field.chunks_exact(op.base.size()) {
                        if let Some(ms) = op.base.read(one, be) {
                            builder.rr_interval(ms);
                        }
                    }
                }
                Conv::Developer {
                    info,
                    factor,
                    offset,
                } => {
                    if let Some(v) = op.base.read(field, be) {
                        builder.developer_value(info, v * factor - offset);
                    }
                }
            }
        }
        builder.end_message(kind, scratch, input);
        Ok(stop)
    }
}

/// Counts the complete record messages in `input[start..end]`, and an upper bound of the RR
/// intervals its hrv messages hold, by walking message headers and definitions only (no field
/// is read). Stops where decoding would stop.
fn count(input: &[u8], start: usize, end: usize) -> (usize, usize) {
    // Per local type: (defined, global, message size, RR slots per message).
    let mut locals = [(false, 0u16, 0usize, 0usize); 16];
    let (mut records, mut rr) = (0usize, 0usize);
    let mut p = start;
    while p < end {
        let Some(&h) = input.get(p) else { break };
        if h & 0xC0 == 0x40 {
            let body = input.get(p + 1..end).unwrap_or_default();
            let Some((def, len)) = Definition::parse(body, h & 0x20 != 0) else {
                break;
            };
            let rr_slots = if def.global == profile::mesg::HRV {
                def.fields()
                    .filter(|f| f.number == 0)
                    .map(|f| usize::from(f.size) / 2)
                    .sum()
            } else {
                0
            };
            if let Some(l) = locals.get_mut(usize::from(h & 0x0F)) {
                *l = (true, def.global, def.message_size(), rr_slots);
            }
            p += 1 + len;
        } else {
            let local = if h & 0x80 != 0 {
                (h >> 5) & 0x03
            } else {
                h & 0x0F
            };
            let Some(&(true, global, size, rr_slots)) = locals.get(usize::from(local)) else {
                break;
            };
            p += 1 + size;
            if p > end {
                break;
            }
            records += usize::from(global == profile::mesg::RECORD);
            rr += rr_slots;
        }
    }
    (records, rr)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a FIT file from data bytes: a 14-byte header with a valid CRC, the data, the CRC.
    fn fit(data: &[u8]) -> Vec<u8> {
        let mut file = vec![14, 0x20, 0x6B, 0x08];
        file.extend_from_slice(&(data.len() as u32).to_le_bytes());
        file.extend_from_slice(b".FIT");
        let crc = crc16(&file);
        file.extend_from_slice(&crc.to_le_bytes());
        file.extend_from_slice(data);
        let crc = crc16(&file);
        file.extend_from_slice(&crc.to_le_bytes());
        file
    }

    /// A record definition for local type `local`: timestamp, lat, lon, altitude, HR, speed.
    fn record_definition(local: u8, big_endian: bool) -> Vec<u8> {
        let mut d = vec![0x40 | local, 0, u8::from(big_endian)];
        d.extend_from_slice(&if big_endian {
            20u16.to_be_bytes()
        } else {
            20u16.to_le_bytes()
        });
        d.push(6);
        d.extend_from_slice(&[
            253, 4, 0x86, 0, 4, 0x85, 1, 4, 0x85, 2, 2, 0x84, 3, 1, 0x02, 6, 2, 0x84,
        ]);
        d
    }

    fn record(
        local: u8,
        big_endian: bool,
        t: u32,
        lat: i32,
        alt: u16,
        hr: u8,
        speed: u16,
    ) -> Vec<u8> {
        let mut r = vec![local];
        if big_endian {
            r.extend_from_slice(&t.to_be_bytes());
            r.extend_from_slice(&lat.to_be_bytes());
            r.extend_from_slice(&(-lat).to_be_bytes());
            r.extend_from_slice(&alt.to_be_bytes());
            r.push(hr);
            r.extend_from_slice(&speed.to_be_bytes());
        } else {
            r.extend_from_slice(&t.to_le_bytes());
            r.extend_from_slice(&lat.to_le_bytes());
            r.extend_from_slice(&(-lat).to_le_bytes());
            r.extend_from_slice(&alt.to_le_bytes());
            r.push(hr);
            r.extend_from_slice(&speed.to_le_bytes());
        }
        r
    }

    const T0: u32 = 1_000_000_000;
    const UNIX_T0: f64 = 1_631_065_600.0;

    #[test]
    fn scale_offset_and_semicircles() {
        let mut data = record_definition(0, false);
        // 2^30 semicircles = 90 degrees; altitude (2500 / 5) - 500 = 0 m; 3.5 m/s.
        data.extend(record(0, false, T0, 1 << 30, 2600, 150, 3500));
        let a = decode(&fit(&data)).unwrap();
        assert!(a.warnings.is_empty(), "{:?}", a.warnings);
        assert_eq!(a.records.time, [UNIX_T0]);
        assert_eq!(a.records.latitude, Some(vec![90.0]));
        assert_eq!(a.records.longitude, Some(vec![-90.0]));
        assert_eq!(a.records.altitude, Some(vec![20.0]));
        assert_eq!(a.records.heart_rate, Some(vec![150.0]));
        assert_eq!(a.records.speed, Some(vec![3.5]));
        assert_eq!(a.records.distance, None);
        assert_eq!(a.records.cadence, None);
    }

    #[test]
    fn both_endians_decode_alike() {
        let mut le = record_definition(3, false);
        le.extend(record(3, false, T0, 123_456_789, 3000, 140, 2750));
        let mut be = record_definition(3, true);
        be.extend(record(3, true, T0, 123_456_789, 3000, 140, 2750));
        let a = decode(&fit(&le)).unwrap();
        let b = decode(&fit(&be)).unwrap();
        assert_eq!(a.records, b.records);
        assert_eq!(b.records.speed, Some(vec![2.75]));
        assert_eq!(b.records.altitude, Some(vec![100.0]));
    }

    #[test]
    fn invalid_values_are_missing_and_columns_start_late() {
        let mut data = record_definition(0, false);
        data.extend(record(0, false, T0, 0x7FFF_FFFF, 0xFFFF, 0xFF, 0xFFFF));
        data.extend(record(0, false, T0 + 1, 0x7FFF_FFFF, 0xFFFF, 120, 0xFFFF));
        let a = decode(&fit(&data)).unwrap();
        assert_eq!(a.records.len(), 2);
        assert_eq!(a.records.latitude, None);
        assert_eq!(a.records.speed, None);
        let hr = a.records.heart_rate.unwrap();
        assert!(hr[0].is_nan());
        assert_eq!(hr[1], 120.0);
    }

    #[test]
    fn compressed_timestamps_follow_the_last_full_one() {
        let mut data = record_definition(0, false);
        // Full timestamp with low five bits 30.
        let t = T0 - (T0 & 0x1F) + 30;
        data.extend(record(0, false, t, 0, 2500, 100, 1000));
        // Local 1: record with only heart rate, sent with compressed headers.
        data.extend_from_slice(&[0x41, 0, 0, 20, 0, 1, 3, 1, 0x02]);
        for (offset, hr) in [(31u8, 101u8), (2, 102), (3, 103)] {
            data.push(0x80 | (1 << 5) | offset);
            data.push(hr);
        }
        let a = decode(&fit(&data)).unwrap();
        let base = f64::from(t) + 631_065_600.0;
        assert_eq!(a.records.time, [base, base + 1.0, base + 4.0, base + 5.0]);
        assert_eq!(a.records.heart_rate, Some(vec![100.0, 101.0, 102.0, 103.0]));
    }

    #[test]
    fn redefinition_mid_file_and_unknown_messages() {
        let mut data = record_definition(0, false);
        data.extend(record(0, false, T0, 0, 2500, 100, 1000));
        // Local 0 becomes an unknown global message 0xFF00 with an unknown base type 0x1F.
        data.extend_from_slice(&[0x40, 0, 0, 0x00, 0xFF, 2, 9, 3, 0x1F, 10, 2, 0x84]);
        data.extend_from_slice(&[0x00, 1, 2, 3, 4, 5]);
        // And back to a record with only heart rate.
        data.extend_from_slice(&[0x40, 0, 0, 20, 0, 1, 3, 1, 0x02, 0x00, 99]);
        let a = decode(&fit(&data)).unwrap();
        assert!(a.warnings.is_empty(), "{:?}", a.warnings);
        assert_eq!(a.records.heart_rate, Some(vec![100.0, 99.0]));
        assert!(a.records.time[1].is_nan());
    }

    #[test]
    fn compressed_speed_distance_accumulates() {
        // Record: timestamp + compressed_speed_distance (byte[3]).
        let mut data = vec![0x40, 0, 0, 20, 0, 2, 253, 4, 0x86, 8, 3, 0x0D];
        let samples = [(300u16, 4000u16), (310, 4090), (320, 10)];
        for (i, (speed, dist)) in samples.iter().enumerate() {
            data.push(0);
            data.extend_from_slice(&(T0 + i as u32).to_le_bytes());
            data.push((speed & 0xFF) as u8);
            data.push(((speed >> 8) as u8 & 0x0F) | (((dist & 0x0F) as u8) << 4));
            data.push((dist >> 4) as u8);
        }
        let a = decode(&fit(&data)).unwrap();
        assert_eq!(a.records.speed, Some(vec![3.0, 3.1, 3.2]));
        // 4000/16, 4090/16, then +16 sixteenths across the 12-bit rollover.
        assert_eq!(a.records.distance, Some(vec![250.0, 255.625, 256.625]));
    }

    #[test]
    fn running_cadence_becomes_steps() {
        // Record: timestamp, cadence 85 strides + fractional 64/128; session: sport running.
        let mut data = vec![0x40, 0, 0, 20, 0, 3, 253, 4, 0x86, 4, 1, 0x02, 53, 1, 0x02];
        data.extend_from_slice(&[0x00, 0, 0xCA, 0x9A, 0x3B, 85, 64]);
        data.extend_from_slice(&[0x41, 0, 0, 18, 0, 2, 5, 1, 0x00, 18, 1, 0x02, 0x01, 1, 86]);
        let a = decode(&fit(&data)).unwrap();
        assert_eq!(a.sport, crate::Sport::Running);
        assert_eq!(a.records.cadence, Some(vec![171.0]));
        assert_eq!(a.sessions[0].summary.avg_cadence, Some(172.0));
    }

    #[test]
    fn developer_fields_with_base_type_0x04() {
        let mut data = Vec::new();
        // field_description: dev index 0, field 1, base type 0x04 (uint16 without the endian
        // bit), name "Power", units "Watts", scale 2.
        data.extend_from_slice(&[
            0x40, 0, 0, 206, 0, 6, 0, 1, 0x02, 1, 1, 0x02, 2, 1, 0x02, 3, 6, 0x07, 8, 6, 0x07, 6,
            1, 0x02,
        ]);
        data.extend_from_slice(&[0x00, 0, 1, 0x04]);
        data.extend_from_slice(b"Power\0Watts\0");
        data.push(2);
        // Record with timestamp and the developer field (flag 0x20).
        data.extend_from_slice(&[0x61, 0, 0, 20, 0, 1, 253, 4, 0x86, 1, 1, 2, 0]);
        data.extend_from_slice(&[0x01, 0, 0xCA, 0x9A, 0x3B, 0x20, 0x03]);
        let a = decode(&fit(&data)).unwrap();
        assert!(a.warnings.is_empty(), "{:?}", a.warnings);
        let col = a.records.developer("power").unwrap();
        assert_eq!(col.units, "Watts");
        assert_eq!(col.values, [400.0]);
        assert_eq!(a.developer_fields[0].base_type, 4);
        assert_eq!(a.developer_fields[0].column, Some(0));
    }

    #[test]
    fn hrv_intervals_in_seconds() {
        let mut data = vec![0x40, 0, 0, 78, 0, 1, 0, 10, 0x84];
        data.push(0);
        for ms in [800u16, 810, 0xFFFF, 0xFFFF, 0xFFFF] {
            data.extend_from_slice(&ms.to_le_bytes());
        }
        let a = decode(&fit(&data)).unwrap();
        assert_eq!(a.hrv_rr, [0.8, 0.81]);
    }

    #[test]
    fn damage_keeps_what_came_before() {
        let mut data = record_definition(0, false);
        for i in 0..5 {
            data.extend(record(0, false, T0 + i, 0, 2500, 100 + i as u8, 1000));
        }
        let file = fit(&data);
        // Truncated in the middle of the fourth record.
        let cut = 14 + record_definition(0, false).len() + 3 * 18 + 5;
        let a = decode(&file[..cut]).unwrap();
        assert_eq!(a.records.heart_rate, Some(vec![100.0, 101.0, 102.0]));
        assert_eq!(a.warnings.len(), 2, "{:?}", a.warnings);
        assert!(a.warnings[0].starts_with("truncated"));
        // A flipped bit: everything decoded, one warning about the CRC.
        let mut bad = file.clone();
        let last = bad.len() - 3;
        bad[last] ^= 0x01;
        let a = decode(&bad).unwrap();
        assert_eq!(a.records.len(), 5);
        assert_eq!(a.warnings.len(), 1);
        assert!(a.warnings[0].contains("file CRC"));
        // A data message for an undefined local type stops decoding there.
        let mut undefined = data.clone();
        undefined.push(0x05);
        let a = decode(&fit(&undefined)).unwrap();
        assert_eq!(a.records.len(), 5);
        assert!(a.warnings[0].contains("local message type 5"));
    }

    #[test]
    fn chained_files_merge() {
        let mut one = record_definition(0, false);
        one.extend(record(0, false, T0, 0, 2500, 100, 1000));
        let mut two = record_definition(0, true);
        two.extend(record(0, true, T0 + 10, 0, 2500, 110, 1000));
        let mut file = fit(&one);
        file.extend(fit(&two));
        file.extend([0, 0, 0]);
        let a = decode(&file).unwrap();
        assert!(a.warnings.is_empty(), "{:?}", a.warnings);
        assert_eq!(a.records.heart_rate, Some(vec![100.0, 110.0]));
        file.extend(b"junk");
        let a = decode(&file).unwrap();
        assert_eq!(a.records.len(), 2);
        assert_eq!(a.warnings.len(), 1);
    }

    #[test]
    fn errors_for_empty_and_non_fit_input() {
        assert_eq!(decode(b""), Err(AnalysisError::Empty));
        assert!(matches!(
            decode(b"<?xml version=\"1.0\"?><gpx></gpx>"),
            Err(AnalysisError::NotFit { offset: 0, .. })
        ));
    }
}
