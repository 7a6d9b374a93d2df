//! Heart Rate Measurement (0x2A37): a flags byte, then the heart rate (8 or 16 bits), the
//! energy expended (16 bits, kJ) when flagged, and any number of RR intervals (16 bits each, in
//! 1/1024 s) when flagged.
//!
//! Flags: bit 0 the heart rate is 16 bits; bits 1–2 sensor contact (bit 2: the sensor reports
//! contact, bit 1: contact detected); bit 3 energy expended present; bit 4 RR intervals
//! present; bits 5–7 reserved (ignored).

use serde::{Deserialize, Serialize};

use super::{Reader, error};
use crate::AnalysisError;

const NAME: &str = "heart rate measurement";

/// RR intervals are sent in units of 1/1024 s.
pub const RR_UNITS_PER_SECOND: f64 = 1024.0;

/// One Heart Rate Measurement notification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeartRateMeasurement {
    /// Beats per minute.
    pub bpm: u16,
    /// Skin contact: `None` when the sensor does not report it, else whether it has contact.
    pub contact: Option<bool>,
    /// Energy expended since the last reset, kilojoules, when sent.
    pub energy_kj: Option<u16>,
    /// RR intervals in this notification, oldest first, milliseconds.
    pub rr_ms: Vec<f64>,
}

impl HeartRateMeasurement {
    /// The RR intervals in seconds.
    pub fn rr_s(&self) -> impl Iterator<Item = f64> + '_ {
        self.rr_ms.iter().map(|ms| ms / 1_000.0)
    }
}

/// Parses a Heart Rate Measurement payload.
///
/// # Errors
/// [`AnalysisError::Gatt`] when the payload ends before a field its flags announce, or the RR
/// part has an odd number of bytes.
///
/// ```
/// use analysis::gatt::heart_rate::parse;
/// // Flags 0x16: 8-bit value, contact detected, RR present; 150 bpm; RR 410/1024 s.
/// let m = parse(&[0x16, 150, 0x9a, 0x01]).unwrap();
/// assert_eq!(m.bpm, 150);
/// assert_eq!(m.contact, Some(true));
/// assert_eq!(m.rr_ms, [400.390625]);
/// ```
pub fn parse(bytes: &[u8]) -> Result<HeartRateMeasurement, AnalysisError> {
    let mut r = Reader::new(NAME, bytes);
    let flags = r.u8("the flags")?;
    let bpm = if flags & 0x01 != 0 {
        r.u16("the 16-bit heart rate")?
    } else {
        u16::from(r.u8("the 8-bit heart rate")?)
    };
    let contact = (flags & 0x04 != 0).then_some(flags & 0x02 != 0);
    let energy_kj = if flags & 0x08 != 0 {
        Some(r.u16("the energy expended")?)
    } else {
        None
    };
    let mut rr_ms = Vec::new();
    if flags & 0x10 != 0 {
        if !r.remaining().is_multiple_of(2) {
            return Err(error(
                NAME,
                format!(
                    "the RR intervals take {} bytes, not a whole number of 16-bit values",
                    r.remaining()
                ),
            ));
        }
        while r.remaining() > 0 {
            let units = r.u16("an RR interval")?;
            rr_ms.push(f64::from(units) * 1_000.0 / RR_UNITS_PER_SECOND);
        }
    }
    Ok(HeartRateMeasurement {
        bpm,
        contact,
        energy_kj,
        rr_ms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(bpm: u16, contact: Option<bool>, energy: Option<u16>, rr: &[f64]) -> HeartRateMeasurement {
        HeartRateMeasurement {
            bpm,
            contact,
            energy_kj: energy,
            rr_ms: rr.to_vec(),
        }
    }

    // Layouts from the Heart Rate Service specification (HRS 1.0, section 3.1) and the GATT
    // Specification Supplement's Heart Rate Measurement characteristic.
    #[test]
    fn every_flag_combination() {
        // 8-bit value, no contact feature.
        assert_eq!(parse(&[0x00, 72]).unwrap(), m(72, None, None, &[]));
        // 16-bit value: 0x012C = 300 bpm.
        assert_eq!(parse(&[0x01, 0x2c, 0x01]).unwrap(), m(300, None, None, &[]));
        // Contact detected bit alone (feature not supported) means nothing.
        assert_eq!(parse(&[0x02, 60]).unwrap(), m(60, None, None, &[]));
        // Contact supported, not detected / detected.
        assert_eq!(parse(&[0x04, 60]).unwrap(), m(60, Some(false), None, &[]));
        assert_eq!(parse(&[0x06, 60]).unwrap(), m(60, Some(true), None, &[]));
        // Energy expended 0x2710 = 10 000 kJ.
        assert_eq!(
            parse(&[0x08, 75, 0x10, 0x27]).unwrap(),
            m(75, None, Some(10_000), &[])
        );
        // RR intervals: 1024/1024 s = 1000 ms, 512/1024 s = 500 ms, 819/1024 s = 799.8046875 ms.
        assert_eq!(
            parse(&[0x10, 75, 0x00, 0x04, 0x00, 0x02, 0x33, 0x03]).unwrap(),
            m(75, None, None, &[1000.0, 500.0, 799.8046875])
        );
        // Everything at once: 16-bit 0x008C = 140 bpm, contact, 0x0102 = 258 kJ, two RRs.
        assert_eq!(
            parse(&[0x1f, 0x8c, 0x00, 0x02, 0x01, 0x9a, 0x01, 0xcd, 0x01]).unwrap(),
            m(140, Some(true), Some(258), &[400.390625, 450.1953125])
        );
        // Reserved bits are ignored.
        assert_eq!(parse(&[0xe0, 50]).unwrap(), m(50, None, None, &[]));
        // RR flag with no intervals in this notification.
        assert_eq!(parse(&[0x10, 50]).unwrap(), m(50, None, None, &[]));
        // 16-bit value with energy and RR.
        assert_eq!(
            parse(&[0x19, 0xb4, 0x00, 0x00, 0x00, 0x55, 0x01]).unwrap(),
            m(180, None, Some(0), &[333.0078125])
        );
        let rr: Vec<f64> = parse(&[0x10, 60, 0x00, 0x04]).unwrap().rr_s().collect();
        assert_eq!(rr, [1.0]);
    }

    #[test]
    fn short_or_malformed_payloads() {
        let e = |b: &[u8]| parse(b).unwrap_err().to_string();
        assert_eq!(
            e(&[]),
            "GATT heart rate measurement: 0 bytes is too short: the flags needs bytes 0 to 0"
        );
        assert_eq!(
            e(&[0x00]),
            "GATT heart rate measurement: 1 bytes is too short: the 8-bit heart rate needs bytes 1 to 1"
        );
        assert_eq!(
            e(&[0x01, 0x48]),
            "GATT heart rate measurement: 2 bytes is too short: the 16-bit heart rate needs bytes 1 to 2"
        );
        assert_eq!(
            e(&[0x08, 72, 0x01]),
            "GATT heart rate measurement: 3 bytes is too short: the energy expended needs bytes 2 to 3"
        );
        assert_eq!(
            e(&[0x10, 72, 0x00, 0x04, 0x01]),
            "GATT heart rate measurement: the RR intervals take 3 bytes, not a whole number of 16-bit values"
        );
    }
}
