//! RSC Measurement (0x2A53): a flags byte, the instantaneous speed (16 bits, 1/256 m/s), the
//! instantaneous cadence (8 bits, steps per minute), then the instantaneous stride length (16
//! bits, cm) and the total distance (32 bits, dm) when flagged.
//!
//! Flags: bit 0 stride length present; bit 1 total distance present; bit 2 running (1) or
//! walking (0); bits 3–7 reserved (ignored).

use serde::{Deserialize, Serialize};

use super::Reader;
use crate::AnalysisError;

const NAME: &str = "RSC measurement";

/// One RSC Measurement notification, in SI units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RscMeasurement {
    /// Instantaneous speed, m/s.
    pub speed_mps: f64,
    /// Instantaneous cadence as transmitted, steps per minute.
    pub cadence_spm: u8,
    /// Instantaneous stride length, metres, when sent.
    pub stride_length_m: Option<f64>,
    /// Total distance since the sensor's last reset, metres, when sent.
    pub total_distance_m: Option<f64>,
    /// Whether the sensor says the user is running (else walking).
    pub running: bool,
}

/// Parses an RSC Measurement payload.
///
/// # Errors
/// [`AnalysisError::Gatt`] when the payload ends before a field its flags announce.
///
/// ```
/// use analysis::gatt::rsc::parse;
/// // Flags 0x07: stride length, total distance, running; 3.5 m/s; 170 spm; 1.24 m; 1234.5 m.
/// let m = parse(&[0x07, 0x80, 0x03, 170, 0x7c, 0x00, 0x39, 0x30, 0x00, 0x00]).unwrap();
/// assert_eq!(m.speed_mps, 3.5);
/// assert_eq!(m.stride_length_m, Some(1.24));
/// assert_eq!(m.total_distance_m, Some(1234.5));
/// ```
pub fn parse(bytes: &[u8]) -> Result<RscMeasurement, AnalysisError> {
    let mut r = Reader::new(NAME, bytes);
    let flags = r.u8("the flags")?;
    let speed = r.u16("the speed")?;
    let cadence_spm = r.u8("the cadence")?;
    let stride_length_m = if flags & 0x01 != 0 {
        Some(f64::from(r.u16("the stride length")?) / 100.0)
    } else {
        None
    };
    let total_distance_m = if flags & 0x02 != 0 {
        Some(f64::from(r.u32("the total distance")?) / 10.0)
    } else {
        None
    };
    Ok(RscMeasurement {
        speed_mps: f64::from(speed) / 256.0,
        cadence_spm,
        stride_length_m,
        total_distance_m,
        running: flags & 0x04 != 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(
        speed: f64,
        cadence: u8,
        stride: Option<f64>,
        total: Option<f64>,
        running: bool,
    ) -> RscMeasurement {
        RscMeasurement {
            speed_mps: speed,
            cadence_spm: cadence,
            stride_length_m: stride,
            total_distance_m: total,
            running,
        }
    }

    // Layout from the Running Speed and Cadence Service specification (RSCS 1.0, section 3.1)
    // and the GATT Specification Supplement's RSC Measurement characteristic.
    #[test]
    fn every_flag_combination() {
        // Walking, 0x0180/256 = 1.5 m/s, 110 spm, nothing else.
        assert_eq!(
            parse(&[0x00, 0x80, 0x01, 110]).unwrap(),
            m(1.5, 110, None, None, false)
        );
        // Running, 0x0300/256 = 3 m/s.
        assert_eq!(
            parse(&[0x04, 0x00, 0x03, 168]).unwrap(),
            m(3.0, 168, None, None, true)
        );
        // Stride length 0x0078 = 120 cm.
        assert_eq!(
            parse(&[0x01, 0x40, 0x03, 172, 0x78, 0x00]).unwrap(),
            m(3.25, 172, Some(1.2), None, false)
        );
        // Total distance 0x000186A0 = 100 000 dm = 10 km.
        assert_eq!(
            parse(&[0x06, 0x9a, 0x03, 180, 0xa0, 0x86, 0x01, 0x00]).unwrap(),
            m(922.0 / 256.0, 180, None, Some(10_000.0), true)
        );
        // Everything, and reserved bits set.
        assert_eq!(
            parse(&[0xff, 0xff, 0xff, 255, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]).unwrap(),
            m(
                65_535.0 / 256.0,
                255,
                Some(655.35),
                Some(429_496_729.5),
                true
            )
        );
        // Extra bytes after the announced fields are ignored.
        assert_eq!(
            parse(&[0x00, 0x00, 0x02, 90, 0x01]).unwrap(),
            m(2.0, 90, None, None, false)
        );
    }

    #[test]
    fn short_payloads() {
        let e = |b: &[u8]| parse(b).unwrap_err().to_string();
        assert_eq!(
            e(&[0x00, 0x80]),
            "GATT RSC measurement: 2 bytes is too short: the speed needs bytes 1 to 2"
        );
        assert_eq!(
            e(&[0x00, 0x80, 0x01]),
            "GATT RSC measurement: 3 bytes is too short: the cadence needs bytes 3 to 3"
        );
        assert_eq!(
            e(&[0x01, 0x80, 0x01, 100, 0x78]),
            "GATT RSC measurement: 5 bytes is too short: the stride length needs bytes 4 to 5"
        );
        assert_eq!(
            e(&[0x03, 0x80, 0x01, 100, 0x78, 0x00, 1, 2, 3]),
            "GATT RSC measurement: 9 bytes is too short: the total distance needs bytes 6 to 9"
        );
    }
}
