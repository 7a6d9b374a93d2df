//! Time-based one-time passwords (TOTP, RFC 6238 over HOTP, RFC 4226) as every authenticator app
//! reads them: HMAC-SHA1, 6 digits, 30-second steps, a 160-bit secret in base32 (RFC 4648,
//! without padding) handed over as an `otpauth://` URI in a QR code. Recovery codes for when the
//! phone is lost.

use hmac::{Hmac, Mac};
use qrcode::QrCode;
use qrcode::render::svg;
use sha1::Sha1;

/// Seconds per step.
pub const STEP_SECONDS: i64 = 30;
/// Digits of a code.
pub const DIGITS: u32 = 6;
/// Steps accepted on either side of the current one, for clocks a little off.
pub const WINDOW_STEPS: i64 = 1;
/// Bytes of a secret (160 bits, RFC 4226's recommendation).
pub const SECRET_BYTES: usize = 20;
/// Recovery codes handed out at enrolment.
pub const RECOVERY_CODES: usize = 10;
/// The issuer named in authenticator apps.
pub const ISSUER: &str = "Stride";

/// The HOTP value of `counter` (RFC 4226 §5.3: dynamic truncation), `digits` long.
pub fn hotp(secret: &[u8], counter: u64, digits: u32) -> u32 {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).expect("HMAC takes a key of any length");
    mac.update(&counter.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = usize::from(hash[19] & 0x0f);
    let value = u32::from_be_bytes([
        hash[offset] & 0x7f,
        hash[offset + 1],
        hash[offset + 2],
        hash[offset + 3],
    ]);
    value % 10u32.pow(digits)
}

/// The step a Unix time falls in.
pub fn step_of(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS)
}

/// The 6-digit code of a step, zero-padded.
pub fn code_at_step(secret: &[u8], step: i64) -> String {
    let counter = u64::try_from(step).unwrap_or(0);
    format!(
        "{:0width$}",
        hotp(secret, counter, DIGITS),
        width = DIGITS as usize
    )
}

/// The step within the window around `now` whose code `code` is (spaces and dashes ignored),
/// newest first, or `None`. The caller refuses a step already used.
pub fn matching_step(secret: &[u8], code: &str, unix_seconds: i64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = step_of(unix_seconds);
    (now - WINDOW_STEPS..=now + WINDOW_STEPS)
        .rev()
        .find(|&step| {
            step >= 0 && constant_time_eq(code_at_step(secret, step).as_bytes(), code.as_bytes())
        })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A new random secret.
pub fn new_secret() -> Vec<u8> {
    rand::random::<[u8; SECRET_BYTES]>().to_vec()
}

/// A secret as people type it into an app: base32, no padding, in groups of four.
pub fn secret_for_display(secret: &[u8]) -> String {
    let plain = data_encoding::BASE32_NOPAD.encode(secret);
    plain
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `otpauth://totp/…` URI authenticator apps read from the QR code (Google Authenticator's
/// key-URI format: issuer in the label and as a parameter).
pub fn otpauth_uri(secret: &[u8], account: &str) -> String {
    let secret = data_encoding::BASE32_NOPAD.encode(secret);
    format!(
        "otpauth://totp/{issuer}:{account}?secret={secret}&issuer={issuer}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        issuer = ISSUER,
        account = percent_encode(account),
    )
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The QR code of a URI as an `<svg>` element to put in a page (black modules on white, quiet
/// zone included; no XML declaration).
pub fn qr_svg(uri: &str) -> Option<String> {
    let code = QrCode::new(uri.as_bytes()).ok()?;
    let document = code
        .render::<svg::Color<'_>>()
        .min_dimensions(200, 200)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    let start = document.find("<svg")?;
    Some(document[start..].to_string())
}

/// New recovery codes: ten of ten characters (`xxxxx-xxxxx`, lowercase letters and digits
/// without look-alikes), about 50 bits each.
pub fn new_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    (0..RECOVERY_CODES)
        .map(|_| {
            let chars: Vec<char> = (0..10)
                .map(|_| char::from(ALPHABET[rand::random_range(0..ALPHABET.len())]))
                .collect();
            format!(
                "{}-{}",
                chars[..5].iter().collect::<String>(),
                chars[5..].iter().collect::<String>()
            )
        })
        .collect()
}

/// A recovery code as typed, made comparable: lowercase, without spaces or dashes.
pub fn normalise_recovery_code(code: &str) -> String {
    code.chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether what was typed looks like a recovery code rather than a 6-digit code.
pub fn is_recovery_code(code: &str) -> bool {
    let n = normalise_recovery_code(code);
    n.len() == 10 && n.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B's SHA-1 key.
    const RFC_KEY: &[u8] = b"12345678901234567890";

    #[test]
    fn rfc_4226_hotp_values() {
        // RFC 4226 appendix D, counters 0..9.
        let expected = [
            755_224, 287_082, 359_152, 969_429, 338_314, 254_676, 287_922, 162_583, 399_871,
            520_489,
        ];
        for (counter, value) in expected.iter().enumerate() {
            assert_eq!(
                hotp(RFC_KEY, counter as u64, 6),
                *value,
                "counter {counter}"
            );
        }
    }

    #[test]
    fn rfc_6238_totp_values() {
        // RFC 6238 appendix B, SHA-1 column (8 digits).
        for (time, value) in [
            (59_i64, 94_287_082_u32),
            (1_111_111_109, 7_081_804),
            (1_111_111_111, 14_050_471),
            (1_234_567_890, 89_005_924),
            (2_000_000_000, 69_279_037),
            (20_000_000_000, 65_353_130),
        ] {
            let counter = u64::try_from(step_of(time)).unwrap();
            assert_eq!(hotp(RFC_KEY, counter, 8), value, "t = {time}");
            // The 6-digit code is the last six digits.
            assert_eq!(
                code_at_step(RFC_KEY, step_of(time)),
                format!("{:06}", value % 1_000_000)
            );
        }
    }

    #[test]
    fn codes_match_within_one_step_either_side() {
        let t = 1_234_567_890;
        let now = step_of(t);
        let code = code_at_step(RFC_KEY, now);
        assert_eq!(code, "005924", "zero-padded");
        assert_eq!(matching_step(RFC_KEY, &code, t), Some(now));
        assert_eq!(matching_step(RFC_KEY, "005 924", t), Some(now), "spaces");
        assert_eq!(
            matching_step(RFC_KEY, &code, t + 30),
            Some(now),
            "a step late"
        );
        assert_eq!(
            matching_step(RFC_KEY, &code, t - 30),
            Some(now),
            "a step early"
        );
        assert_eq!(
            matching_step(RFC_KEY, &code, t + 60),
            None,
            "two steps late"
        );
        assert_eq!(matching_step(RFC_KEY, "00592", t), None);
        assert_eq!(matching_step(RFC_KEY, "0059245", t), None);
        assert_eq!(matching_step(RFC_KEY, "abcdef", t), None);
    }

    #[test]
    fn secrets_in_base32_and_the_uri() {
        // RFC 4648 §10 vectors, without padding.
        assert_eq!(secret_for_display(b"foobar"), "MZXW 6YTB OI");
        assert_eq!(data_encoding::BASE32_NOPAD.encode(b"fooba"), "MZXW6YTB");
        assert_eq!(
            data_encoding::BASE32_NOPAD.encode(RFC_KEY),
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        );
        assert_eq!(
            otpauth_uri(RFC_KEY, "ada lovelace"),
            "otpauth://totp/Stride:ada%20lovelace?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
             &issuer=Stride&algorithm=SHA1&digits=6&period=30"
        );
        assert_eq!(new_secret().len(), 20);
        assert_ne!(new_secret(), new_secret());
    }

    #[test]
    fn the_qr_code_reads_back_as_the_uri() {
        let uri = otpauth_uri(RFC_KEY, "ada");
        let code = QrCode::new(uri.as_bytes()).unwrap();
        let width = code.width();
        let colors = code.to_colors();
        // Four modules of quiet zone, three pixels per module.
        let scale = 3;
        let size = (width + 8) * scale;
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(size, size, |x, y| {
            let (mx, my) = ((x / scale).checked_sub(4), (y / scale).checked_sub(4));
            let dark = match (mx, my) {
                (Some(mx), Some(my)) if mx < width && my < width => {
                    colors[my * width + mx] == qrcode::Color::Dark
                }
                _ => false,
            };
            if dark { 0 } else { 255 }
        });
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1);
        let (_, content) = grids[0].decode().unwrap();
        assert_eq!(content, uri);
        let svg = qr_svg(&uri).unwrap();
        assert!(
            svg.starts_with("<svg") && svg.ends_with("</svg>"),
            "{svg:.80}"
        );
    }

    #[test]
    fn recovery_codes() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        for c in &codes {
            assert_eq!(c.len(), 11, "{c}");
            assert_eq!(&c[5..6], "-");
            assert!(is_recovery_code(c));
            assert!(!c.contains(['0', '1', 'o', 'l', 'i']), "{c}");
        }
        let unique: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), 10);
        assert_eq!(normalise_recovery_code(" ABCDE-fghjk "), "abcdefghjk");
        assert!(!is_recovery_code("123456"));
    }
}
