//! One entry point for every file Stride reads: the format is recognised from the bytes, not from
//! the file name (a `.fit` renamed `.gpx` still decodes).

use crate::{Activity, AnalysisError, FileFormat, fit, gpx, tcx};

/// How many leading bytes are searched for an XML root element.
const XML_SNIFF_BYTES: usize = 4_096;

/// The format of `bytes`, recognised from their content; `None` when Stride cannot read them.
///
/// ```
/// use analysis::{FileFormat, decode::detect};
/// assert_eq!(detect(b"\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<gpx version=\"1.1\">"), Some(FileFormat::Gpx));
/// assert_eq!(detect(b"<TrainingCenterDatabase>"), Some(FileFormat::Tcx));
/// assert_eq!(detect(b"PK\x03\x04"), None);
/// ```
pub fn detect(bytes: &[u8]) -> Option<FileFormat> {
    if fit::is_fit(bytes) {
        return Some(FileFormat::Fit);
    }
    let head = &bytes[..bytes.len().min(XML_SNIFF_BYTES)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let first = head.iter().position(|b| !b.is_ascii_whitespace())?;
    if head[first] != b'<' {
        return None;
    }
    if contains(head, b"<gpx") || contains(head, b":gpx") {
        Some(FileFormat::Gpx)
    } else if contains(head, b"TrainingCenterDatabase") {
        Some(FileFormat::Tcx)
    } else {
        None
    }
}

/// Decodes a FIT, GPX or TCX file, whichever `bytes` hold.
///
/// ```
/// let gpx = br#"<gpx version="1.1"><trk><trkseg><trkpt lat="45" lon="7"/></trkseg></trk></gpx>"#;
/// let activity = analysis::decode(gpx)?;
/// assert_eq!(activity.format, analysis::FileFormat::Gpx);
/// assert_eq!(activity.records.len(), 1);
/// # Ok::<(), analysis::AnalysisError>(())
/// ```
pub fn decode(bytes: &[u8]) -> Result<Activity, AnalysisError> {
    if bytes.is_empty() {
        return Err(AnalysisError::Empty);
    }
    match detect(bytes) {
        Some(FileFormat::Fit) => fit::decode(bytes),
        Some(FileFormat::Gpx) => gpx::decode(bytes),
        Some(FileFormat::Tcx) => tcx::decode(bytes),
        None => Err(AnalysisError::UnknownFormat(
            describe_unknown(bytes).to_string(),
        )),
    }
}

/// A short, useful reason for bytes Stride cannot read.
fn describe_unknown(bytes: &[u8]) -> &'static str {
    match bytes {
        [0x1F, 0x8B, ..] => "the file is gzip-compressed; decompress it first",
        [b'P', b'K', 0x03, 0x04, ..] => "the file is a zip archive; import the files inside it",
        _ if bytes.len() < 12 => "the file is too short to be an activity",
        _ => "the content is neither FIT (no \".FIT\" header) nor GPX or TCX XML",
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_unknown_inputs_say_what_they_are() {
        assert_eq!(decode(b""), Err(AnalysisError::Empty));
        let gz = decode(&[0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0]).unwrap_err();
        assert!(gz.to_string().contains("gzip"), "{gz}");
        let zip = decode(b"PK\x03\x04\x14\x00\x00\x00\x08\x00\x00\x00").unwrap_err();
        assert!(zip.to_string().contains("zip"), "{zip}");
        let text = decode(b"hello, this is not a run at all").unwrap_err();
        assert!(text.to_string().contains("neither FIT"), "{text}");
        assert_eq!(detect(b"<html><body>gpx</body></html>"), None);
    }

    #[test]
    fn xml_formats_dispatch_to_their_decoders() {
        let gpx = decode(b"<gpx version=\"1.1\"><metadata/></gpx>").unwrap();
        assert_eq!(gpx.format, FileFormat::Gpx);
        let tcx = decode(b"<TrainingCenterDatabase><Activities/></TrainingCenterDatabase>");
        assert_eq!(tcx.unwrap().format, FileFormat::Tcx);
        // Detected as TCX, but broken before anything usable: a TCX error, not "unknown".
        let broken = decode(b"<TrainingCenterDatabase><Activities></Lap>").unwrap_err();
        assert!(
            matches!(
                broken,
                AnalysisError::Xml {
                    format: FileFormat::Tcx,
                    ..
                }
            ),
            "{broken:?}"
        );
    }
}
