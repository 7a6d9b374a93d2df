//! Two-factor sign-in: enrolment (a secret shown as a QR code and as text, confirmed by a first
//! code, which hands out ten one-time recovery codes), the second step of a sign-in (a 6-digit
//! code, each good once, or a recovery code) and turning it off (password-confirmed).
//!
//! Between the two steps of a sign-in, the browser holds a short-lived challenge cookie (256
//! random bits; the database keeps its SHA-256) instead of a session. Wrong codes count against
//! the account in the sign-in rate limiter, so that a known password does not buy unlimited
//! guesses at six digits.

use std::time::Instant;

use http::HeaderMap;

use super::accounts::{AccountError, is_password_of};
use super::credentials::{random_secret, sha256_hex};
use super::db::{self, Pool};
use super::network::Network;
use super::rate_limit::{AccountKey, SignInLimiter, too_many_message};
use super::session::{cookie_header, secret_cookie};
use super::totp;

/// The cookie of a sign-in waiting for its second factor.
pub const CHALLENGE_COOKIE: &str = "stride_2fa";
/// How long the second step may take, seconds.
pub const CHALLENGE_SECONDS: i64 = 5 * 60;

/// What the account page shows to set up an authenticator app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    /// The secret in base32, in groups of four, for typing in.
    pub secret: String,
    /// The `otpauth://` URI the QR code holds.
    pub uri: String,
    /// The QR code, an SVG document.
    pub qr_svg: String,
}

/// Starts an enrolment with a new secret (replacing one not yet confirmed).
pub async fn begin_enrolment(
    pool: &Pool,
    user_id: i64,
    account_name: &str,
) -> Result<Enrolment, AccountError> {
    let secret = totp::new_secret();
    if !db::two_factor::begin_enrolment(pool, user_id, &hex::encode(&secret), db::now()).await? {
        return Err(AccountError::Invalid(
            "two-factor sign-in is already on: turn it off first to set up another app".into(),
        ));
    }
    let uri = totp::otpauth_uri(&secret, account_name);
    let qr_svg = totp::qr_svg(&uri).unwrap_or_default();
    Ok(Enrolment {
        secret: totp::secret_for_display(&secret),
        uri,
        qr_svg,
    })
}

/// Confirms an enrolment with the app's current code; returns the recovery codes, which are
/// shown this once and stored only as hashes.
pub async fn confirm_enrolment(
    pool: &Pool,
    user_id: i64,
    code: &str,
    now: i64,
) -> Result<Vec<String>, AccountError> {
    let pending = db::two_factor::totp_of(pool, user_id)
        .await?
        .filter(|row| row.confirmed_at.is_none())
        .ok_or_else(|| {
            AccountError::Invalid("start the set-up again: no app is being set up".into())
        })?;
    let secret = hex::decode(&pending.secret_hex).unwrap_or_default();
    let Some(step) = totp::matching_step(&secret, code, now) else {
        return Err(AccountError::Invalid(
            "that code is not right: check the app's clock and type the code it shows now".into(),
        ));
    };
    let codes = totp::new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| recovery_hash(c)).collect();
    if !db::two_factor::confirm(pool, user_id, step, now, &hashes).await? {
        return Err(AccountError::Invalid(
            "start the set-up again: no app is being set up".into(),
        ));
    }
    Ok(codes)
}

/// Turns two-factor sign-in off after checking the password (a counted attempt).
pub async fn disable(
    pool: &Pool,
    limiter: &SignInLimiter,
    user_id: i64,
    password: &str,
    address: &str,
) -> Result<(), AccountError> {
    if !is_password_of(pool, limiter, user_id, password, address).await? {
        return Err(AccountError::Invalid("the password is not right".into()));
    }
    db::two_factor::disable(pool, user_id).await?;
    Ok(())
}

/// Whether a code (6 digits, or a recovery code) is good for the user now, using it up.
pub async fn check_code(
    pool: &Pool,
    user_id: i64,
    code: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    if totp::is_recovery_code(code) {
        return db::two_factor::use_recovery_code(pool, user_id, &recovery_hash(code), now).await;
    }
    let Some(row) = db::two_factor::totp_of(pool, user_id).await? else {
        return Ok(false);
    };
    if row.confirmed_at.is_none() {
        return Ok(false);
    }
    let secret = hex::decode(&row.secret_hex).unwrap_or_default();
    match totp::matching_step(&secret, code, now) {
        Some(step) => db::two_factor::use_step(pool, user_id, step).await,
        None => Ok(false),
    }
}

fn recovery_hash(code: &str) -> String {
    sha256_hex(totp::normalise_recovery_code(code).as_bytes())
}

/// Starts the second step of a sign-in; returns the challenge id for the cookie.
pub async fn start_challenge(pool: &Pool, user_id: i64) -> Result<String, sqlx::Error> {
    let id = random_secret();
    db::two_factor::create_challenge(
        pool,
        &sha256_hex(id.as_bytes()),
        user_id,
        db::now() + CHALLENGE_SECONDS,
    )
    .await?;
    Ok(id)
}

/// The challenge id of the request's cookie.
pub fn challenge_id(net: &Network, headers: &HeaderMap) -> Option<String> {
    secret_cookie(headers, &net.cookie_name(CHALLENGE_COOKIE))
}

/// The `Set-Cookie` value of a challenge (or, with `None`, removing it).
pub fn challenge_cookie(net: &Network, id: Option<&str>) -> String {
    let name = net.cookie_name(CHALLENGE_COOKIE);
    match id {
        Some(id) => cookie_header(&name, id, CHALLENGE_SECONDS, net.secure()),
        None => cookie_header(&name, "", 0, net.secure()),
    }
}

/// Why the second step failed.
pub const EXPIRED: &str = "this sign-in has expired: sign in with your password again";

/// The second step: the challenge's user when the code is right (the challenge then ends).
/// A wrong code counts as a failed sign-in of the account.
pub async fn finish_challenge(
    pool: &Pool,
    limiter: &SignInLimiter,
    challenge_id: Option<&str>,
    code: &str,
    address: &str,
) -> Result<i64, AccountError> {
    let now = db::now();
    let Some(id_hash) = challenge_id.map(|id| sha256_hex(id.as_bytes())) else {
        return Err(AccountError::Invalid(EXPIRED.into()));
    };
    let Some(user_id) = db::two_factor::challenge_user(pool, &id_hash, now).await? else {
        return Err(AccountError::Invalid(EXPIRED.into()));
    };
    // Reserved before the code is checked: codes sent at once cannot all be tried.
    let attempt = match limiter.reserve(&AccountKey::Id(user_id), address, Instant::now()) {
        Ok(attempt) => attempt,
        Err(wait) => {
            db::two_factor::delete_challenge(pool, &id_hash, now).await?;
            return Err(AccountError::RateLimited(too_many_message(wait)));
        }
    };
    if !check_code(pool, user_id, code, now).await? {
        limiter.failed(attempt);
        return Err(AccountError::Invalid(
            "that code is not right (each code works once; a recovery code works too)".into(),
        ));
    }
    limiter.succeeded(attempt);
    db::two_factor::delete_challenge(pool, &id_hash, now).await?;
    Ok(user_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::accounts::create_account;

    #[tokio::test]
    async fn enrol_sign_in_with_codes_and_turn_off() {
        for (backend, pool) in db::testing::pools().await {
            let limiter = SignInLimiter::default();
            let user = create_account(&pool, "grace", "grace@example.org", "compiler pioneer")
                .await
                .unwrap();
            assert!(!db::two_factor::is_enabled(&pool, user).await.unwrap());

            let enrolment = begin_enrolment(&pool, user, "grace").await.unwrap();
            assert!(
                enrolment
                    .uri
                    .starts_with("otpauth://totp/Stride:grace?secret=")
            );
            assert!(enrolment.qr_svg.contains("<svg"));
            let secret = data_encoding::BASE32_NOPAD
                .decode(enrolment.secret.replace(' ', "").as_bytes())
                .unwrap();
            assert_eq!(secret.len(), 20);
            // Not on until confirmed: a code does nothing yet.
            let now = db::now();
            let code_now = totp::code_at_step(&secret, totp::step_of(now));
            assert!(!check_code(&pool, user, &code_now, now).await.unwrap());
            let wrong = confirm_enrolment(&pool, user, "000000", now).await;
            let wrong_is_right = totp::matching_step(&secret, "000000", now).is_some();
            assert!(wrong.is_err() || wrong_is_right, "{backend}");

            // Confirmed with the code of the previous step (a phone a little behind).
            let earlier = totp::code_at_step(&secret, totp::step_of(now) - 1);
            let recovery = confirm_enrolment(&pool, user, &earlier, now).await.unwrap();
            assert_eq!(recovery.len(), 10);
            assert!(db::two_factor::is_enabled(&pool, user).await.unwrap());
            assert_eq!(
                db::two_factor::recovery_codes_left(&pool, user)
                    .await
                    .unwrap(),
                10
            );
            // A second enrolment cannot replace a confirmed secret.
            assert!(begin_enrolment(&pool, user, "grace").await.is_err());

            // The second step of a sign-in.
            let challenge = start_challenge(&pool, user).await.unwrap();
            let bad = finish_challenge(&pool, &limiter, Some(&challenge), "12345", "a").await;
            assert!(matches!(bad, Err(AccountError::Invalid(_))), "{bad:?}");
            // The confirming code was used: it (and its step) cannot sign in.
            let replay = finish_challenge(&pool, &limiter, Some(&challenge), &earlier, "a").await;
            assert!(replay.is_err(), "a code works once, {backend}");
            let ok = finish_challenge(&pool, &limiter, Some(&challenge), &code_now, "a").await;
            assert_eq!(ok.unwrap(), user, "{backend}");
            // The challenge is over.
            let again = finish_challenge(&pool, &limiter, Some(&challenge), &code_now, "a").await;
            assert_eq!(again.unwrap_err().to_string(), EXPIRED);
            assert_eq!(
                finish_challenge(&pool, &limiter, None, &code_now, "a")
                    .await
                    .unwrap_err()
                    .to_string(),
                EXPIRED
            );

            // A recovery code, typed in capitals with spaces, works once.
            let challenge = start_challenge(&pool, user).await.unwrap();
            let typed = recovery[3].to_uppercase().replace('-', " ");
            let ok = finish_challenge(&pool, &limiter, Some(&challenge), &typed, "a").await;
            assert_eq!(ok.unwrap(), user);
            assert_eq!(
                db::two_factor::recovery_codes_left(&pool, user)
                    .await
                    .unwrap(),
                9
            );
            let challenge = start_challenge(&pool, user).await.unwrap();
            let reused =
                finish_challenge(&pool, &limiter, Some(&challenge), &recovery[3], "a").await;
            assert!(reused.is_err());

            // Wrong codes are rate-limited per account: five, then even a right one waits.
            for _ in 0..4 {
                let _ = finish_challenge(&pool, &limiter, Some(&challenge), "999999x", "b").await;
            }
            let locked =
                finish_challenge(&pool, &limiter, Some(&challenge), &recovery[0], "c").await;
            assert!(
                matches!(locked, Err(AccountError::RateLimited(_))),
                "{locked:?}"
            );

            // Off, with the password; everything goes.
            // (The account's attempts are used up above: a later quarter of an hour.)
            let later = SignInLimiter::default();
            assert!(
                disable(&pool, &later, user, "wrong password", "d")
                    .await
                    .is_err()
            );
            disable(&pool, &later, user, "compiler pioneer", "d")
                .await
                .unwrap();
            assert!(!db::two_factor::is_enabled(&pool, user).await.unwrap());
            assert_eq!(
                db::two_factor::recovery_codes_left(&pool, user)
                    .await
                    .unwrap(),
                0
            );
            assert!(
                db::two_factor::totp_of(&pool, user)
                    .await
                    .unwrap()
                    .is_none()
            );
        }
    }

    #[test]
    fn challenge_cookies() {
        let id = "cd".repeat(32);
        let tls = Network {
            public_origin: Some("https://stride.example.org".into()),
            ..Network::default()
        };
        let plain = Network::default();
        let set = challenge_cookie(&tls, Some(&id));
        assert_eq!(
            set,
            format!("__Host-stride_2fa={id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=300; Secure")
        );
        assert_eq!(
            challenge_cookie(&plain, None),
            "stride_2fa=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
        );
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::COOKIE,
            format!("stride_session={}; stride_2fa={id}", "ab".repeat(32))
                .parse()
                .unwrap(),
        );
        assert_eq!(challenge_id(&plain, &headers), Some(id));
        assert_eq!(challenge_id(&tls, &headers), None);
    }

    #[tokio::test]
    async fn codes_sent_at_once_are_tried_only_up_to_the_limit() {
        for (backend, pool) in db::testing::pools().await {
            let user = create_account(&pool, "hedy", "hedy@example.org", "frequency hopping")
                .await
                .unwrap();
            let enrolment = begin_enrolment(&pool, user, "hedy").await.unwrap();
            let secret = data_encoding::BASE32_NOPAD
                .decode(enrolment.secret.replace(' ', "").as_bytes())
                .unwrap();
            let now = db::now();
            let code = totp::code_at_step(&secret, totp::step_of(now));
            confirm_enrolment(&pool, user, &code, now).await.unwrap();
            let challenge = start_challenge(&pool, user).await.unwrap();
            let limiter = std::sync::Arc::new(SignInLimiter::default());
            // 50 wrong codes at once: each is either checked ("not right") or refused, and no
            // more than the account's limit are checked.
            let tries: Vec<_> = (0..50)
                .map(|i| {
                    let (pool, limiter, challenge) =
                        (pool.clone(), limiter.clone(), challenge.clone());
                    tokio::spawn(async move {
                        finish_challenge(
                            &pool,
                            &limiter,
                            Some(&challenge),
                            "000000x",
                            &format!("a{i}"),
                        )
                        .await
                    })
                })
                .collect();
            let mut checked = 0;
            for t in tries {
                match t.await.unwrap() {
                    Err(AccountError::Invalid(m)) if m.starts_with("that code is not right") => {
                        checked += 1
                    }
                    Err(AccountError::RateLimited(_)) => {}
                    // Once refused, the challenge is over: the rest are told to sign in again.
                    Err(AccountError::Invalid(m)) if m == EXPIRED => {}
                    other => panic!("{backend}: {other:?}"),
                }
            }
            assert!(
                checked <= crate::server::rate_limit::PER_ACCOUNT,
                "{backend}: {checked} codes checked"
            );
        }
    }
}
