//! An original file's content address: the SHA-256 of its bytes as 64 lower-case hex digits.
//! The browser's library, the server's store and every secret's stored hash use this one
//! function, so that an address made on one side is the same on the other.

use sha2::{Digest, Sha256};

/// The SHA-256 of `bytes`, 64 lower-case hex digits.
///
/// ```
/// use app::models::original::sha256_hex;
/// assert_eq!(
///     sha256_hex(b"abc"),
///     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// );
/// ```
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
