//! Bluetooth GATT payloads from heart-rate straps, watches in broadcast mode and foot pods, as
//! the characteristics carry them (little-endian, per the Bluetooth SIG's GATT Specification
//! Supplement), into SI values.
//!
//! - [`heart_rate::parse`]: Heart Rate Measurement (0x2A37) of the Heart Rate service (0x180D).
//! - [`rsc::parse`]: RSC Measurement (0x2A53) of the Running Speed and Cadence service (0x1814).
//! - [`battery_level`]: Battery Level (0x2A19) of the Battery service (0x180F).
//! - [`device_string`]: the text characteristics of Device Information (0x180A).
//!
//! A payload that is too short or contradicts itself is an [`AnalysisError::Gatt`] naming the
//! characteristic and the problem, never a panic.

use crate::AnalysisError;

/// Heart Rate Measurement: beats per minute, sensor contact, energy, RR intervals.
pub mod heart_rate;
pub use heart_rate::HeartRateMeasurement;

/// RSC Measurement: speed, cadence, stride length, total distance, walking or running.
pub mod rsc;
pub use rsc::RscMeasurement;

/// 16-bit UUIDs of the services and characteristics Stride reads.
pub mod uuid {
    /// Heart Rate service.
    pub const HEART_RATE_SERVICE: u16 = 0x180D;
    /// Running Speed and Cadence service.
    pub const RSC_SERVICE: u16 = 0x1814;
    /// Battery service.
    pub const BATTERY_SERVICE: u16 = 0x180F;
    /// Device Information service.
    pub const DEVICE_INFORMATION_SERVICE: u16 = 0x180A;
    /// Heart Rate Measurement (notify).
    pub const HEART_RATE_MEASUREMENT: u16 = 0x2A37;
    /// RSC Measurement (notify).
    pub const RSC_MEASUREMENT: u16 = 0x2A53;
    /// Battery Level (read, optionally notify).
    pub const BATTERY_LEVEL: u16 = 0x2A19;
    /// Manufacturer Name String.
    pub const MANUFACTURER_NAME: u16 = 0x2A29;
    /// Model Number String.
    pub const MODEL_NUMBER: u16 = 0x2A24;
    /// Serial Number String.
    pub const SERIAL_NUMBER: u16 = 0x2A25;
    /// Hardware Revision String.
    pub const HARDWARE_REVISION: u16 = 0x2A27;
    /// Firmware Revision String.
    pub const FIRMWARE_REVISION: u16 = 0x2A26;
    /// Software Revision String.
    pub const SOFTWARE_REVISION: u16 = 0x2A28;

    /// The full 128-bit form of a 16-bit SIG UUID, lower case, as Web Bluetooth names it.
    ///
    /// ```
    /// use analysis::gatt::uuid::{full, HEART_RATE_SERVICE};
    /// assert_eq!(full(HEART_RATE_SERVICE), "0000180d-0000-1000-8000-00805f9b34fb");
    /// ```
    pub fn full(short: u16) -> String {
        format!("0000{short:04x}-0000-1000-8000-00805f9b34fb")
    }
}

/// The error for `characteristic`'s payload.
pub(crate) fn error(characteristic: &'static str, reason: impl Into<String>) -> AnalysisError {
    AnalysisError::Gatt {
        characteristic,
        reason: reason.into(),
    }
}

/// A little-endian reader over a payload that reports what it was reading when bytes ran out.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    characteristic: &'static str,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(characteristic: &'static str, bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            at: 0,
            characteristic,
        }
    }

    fn take<const N: usize>(&mut self, what: &str) -> Result<[u8; N], AnalysisError> {
        let end = self.at + N;
        let slice = self.bytes.get(self.at..end).ok_or_else(|| {
            error(
                self.characteristic,
                format!(
                    "{} bytes is too short: {what} needs bytes {} to {}",
                    self.bytes.len(),
                    self.at,
                    end - 1
                ),
            )
        })?;
        self.at = end;
        let mut out = [0u8; N];
        out.copy_from_slice(slice);
        Ok(out)
    }

    pub(crate) fn u8(&mut self, what: &str) -> Result<u8, AnalysisError> {
        Ok(self.take::<1>(what)?[0])
    }

    pub(crate) fn u16(&mut self, what: &str) -> Result<u16, AnalysisError> {
        Ok(u16::from_le_bytes(self.take::<2>(what)?))
    }

    pub(crate) fn u32(&mut self, what: &str) -> Result<u32, AnalysisError> {
        Ok(u32::from_le_bytes(self.take::<4>(what)?))
    }

    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len() - self.at
    }
}

/// Battery Level (0x2A19): the charge in percent, 0 to 100.
///
/// # Errors
/// [`AnalysisError::Gatt`] for an empty payload or a level above 100.
///
/// ```
/// assert_eq!(analysis::gatt::battery_level(&[87]).unwrap(), 87);
/// assert!(analysis::gatt::battery_level(&[101]).is_err());
/// ```
pub fn battery_level(bytes: &[u8]) -> Result<u8, AnalysisError> {
    let level = Reader::new("battery level", bytes).u8("the level")?;
    if level > 100 {
        return Err(error(
            "battery level",
            format!("{level} % is more than 100 %"),
        ));
    }
    Ok(level)
}

/// A Device Information string (manufacturer, model, serial, hardware, firmware, software
/// revision): UTF-8, with the trailing NULs and spaces some devices pad it with removed.
///
/// # Errors
/// [`AnalysisError::Gatt`] when the bytes are not UTF-8.
///
/// ```
/// assert_eq!(analysis::gatt::device_string(b"Polar\0\0").unwrap(), "Polar");
/// ```
pub fn device_string(bytes: &[u8]) -> Result<String, AnalysisError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| error("device information", format!("not UTF-8 text: {e}")))?;
    Ok(text
        .trim_end_matches(|c: char| c == '\0' || c.is_whitespace())
        .to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn battery_levels() {
        assert_eq!(battery_level(&[0]).unwrap(), 0);
        assert_eq!(battery_level(&[100]).unwrap(), 100);
        // Extra bytes are ignored (a later revision may add fields).
        assert_eq!(battery_level(&[42, 7]).unwrap(), 42);
        assert_eq!(
            battery_level(&[]).unwrap_err().to_string(),
            "GATT battery level: 0 bytes is too short: the level needs bytes 0 to 0"
        );
        assert_eq!(
            battery_level(&[200]).unwrap_err().to_string(),
            "GATT battery level: 200 % is more than 100 %"
        );
    }

    #[test]
    fn device_strings() {
        assert_eq!(device_string(b"Garmin").unwrap(), "Garmin");
        assert_eq!(device_string(b"HRM-Pro \0").unwrap(), "HRM-Pro");
        assert_eq!(device_string("Suunto Ä".as_bytes()).unwrap(), "Suunto Ä");
        assert_eq!(device_string(b"").unwrap(), "");
        assert!(
            device_string(&[0x66, 0xff, 0x66])
                .unwrap_err()
                .to_string()
                .starts_with("GATT device information: not UTF-8 text")
        );
    }
}
