//! Passwords, tokens and session ids: Argon2id hashes for passwords (slow on purpose), SHA-256
//! for the random secrets (tokens and session ids have 256 bits of entropy, so a fast hash is
//! enough to make a stolen database useless).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// The longest, so that hashing a request cannot be made arbitrarily slow.
pub const MAX_PASSWORD_CHARS: usize = 256;

/// The prefix of personal access tokens, so that they are recognisable in logs and by scanners.
pub const TOKEN_PREFIX: &str = "stride_pat_";

static COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

/// Why a new password is refused, or `None` when it is acceptable.
pub fn password_problem(password: &str) -> Option<String> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Some(format!(
            "the password must have at least {MIN_PASSWORD_CHARS} characters"
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Some(format!(
            "the password must have at most {MAX_PASSWORD_CHARS} characters"
        ));
    }
    if is_common(password) {
        return Some("this password is among the most common ones: choose another".into());
    }
    None
}

/// Whether the password (case-insensitively) is in the list of common passwords.
pub fn is_common(password: &str) -> bool {
    let lower = password.to_lowercase();
    COMMON_PASSWORDS
        .lines()
        .filter(|l| !l.starts_with('#'))
        .any(|l| l == lower)
}

fn argon2() -> Argon2<'static> {
    // OWASP's first recommended Argon2id setting: 19 MiB, 2 passes, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The Argon2id hash of a password, in PHC string form (`$argon2id$v=19$…`).
pub fn hash_password(password: &str) -> String {
    let salt =
        SaltString::encode_b64(&rand::random::<[u8; 16]>()).expect("16 bytes is a valid salt");
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .expect("Argon2 hashes any password up to its length limit")
        .to_string()
}

/// Whether the password matches the PHC hash; a malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash of a real password to verify against when an account does not exist, so that a wrong
/// username takes as long as a wrong password.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("no account has this password"))
}

/// 32 random bytes as 64 hex digits.
pub fn random_secret() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

/// A new personal access token: the prefix and 64 hex digits.
pub fn new_token() -> String {
    format!("{TOKEN_PREFIX}{}", random_secret())
}

pub use crate::models::original::sha256_hex;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_rules() {
        assert_eq!(
            password_problem("short").as_deref(),
            Some("the password must have at least 10 characters")
        );
        // 10 characters exactly, and in the list (rank 1 of the long ones).
        assert!(is_common("qwertyuiop"));
        assert!(is_common("PassWord123"), "case-insensitive");
        assert!(
            password_problem("1234567890")
                .unwrap()
                .contains("most common")
        );
        assert!(
            !is_common("# Common passwords"),
            "the header is not an entry"
        );
        assert_eq!(password_problem("correct horse battery staple"), None);
        assert!(password_problem(&"x".repeat(257)).is_some());
        // Characters, not bytes: ten accented letters are ten characters.
        assert_eq!(password_problem("éééééèèèèè"), None);
    }

    #[test]
    fn argon2id_hashes_verify_and_differ_by_salt() {
        let a = hash_password("correct horse battery staple");
        let b = hash_password("correct horse battery staple");
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert_ne!(a, b, "a fresh salt each time");
        assert!(verify_password("correct horse battery staple", &a));
        assert!(!verify_password("correct horse battery stapler", &a));
        assert!(!verify_password("anything", "not a hash"));
        assert!(!verify_password("anything", dummy_hash()));
    }

    #[test]
    fn secrets_and_hashes() {
        let t = new_token();
        assert!(t.starts_with(TOKEN_PREFIX) && t.len() == TOKEN_PREFIX.len() + 64);
        assert_ne!(new_token(), t);
        // FIPS 180-2 test vector.
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
