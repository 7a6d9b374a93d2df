//! Account rules shared by the web forms and the `stride user` / `stride token` commands:
//! creating an account, checking a sign-in (rate-limited, with the same answer and about the
//! same time whether or not the account exists), changing a password, issuing tokens.

use std::time::Instant;

use super::Originals;
use super::credentials::{self, password_problem};
use super::db::{self, Pool};
use super::rate_limit::{AccountKey, SignInLimiter, too_many_message};
use super::uploads::forget_originals;

/// Why an account operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// Something the user can fix; the message says what.
    #[error("{0}")]
    Invalid(String),
    /// A wrong login or password (never which of the two).
    #[error("the username or password is not right")]
    BadCredentials,
    /// Too many failed attempts; the message says how long to wait.
    #[error("{0}")]
    RateLimited(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// Checks a username: 3 to 32 letters, digits, `.`, `_` or `-`.
pub fn username_problem(username: &str) -> Option<&'static str> {
    let ok_chars = username
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !(3..=32).contains(&username.len()) || !ok_chars {
        Some("the username must be 3 to 32 letters, digits, dots, dashes or underscores")
    } else {
        None
    }
}

/// Checks an email address, loosely (one `@` with something on each side, no spaces).
pub fn email_problem(email: &str) -> Option<&'static str> {
    match email.split_once('@') {
        Some((local, domain))
            if !local.is_empty()
                && domain.contains('.')
                && !domain.contains('@')
                && email.len() <= 254
                && !email.contains(char::is_whitespace) =>
        {
            None
        }
        _ => Some("the email address does not look right"),
    }
}

/// Password hashes computed at once, at most: each holds 19 MiB and a core for tens of
/// milliseconds, so a burst of sign-ins waits its turn rather than filling memory.
fn hashing() -> &'static tokio::sync::Semaphore {
    static HASHING: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    HASHING.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        tokio::sync::Semaphore::new(cores.clamp(2, 8))
    })
}

async fn hash(password: String) -> String {
    let _permit = hashing()
        .acquire()
        .await
        .expect("the semaphore is never closed");
    tokio::task::spawn_blocking(move || credentials::hash_password(&password))
        .await
        .expect("hashing does not panic")
}

async fn verify(password: String, hash: String) -> bool {
    let _permit = hashing()
        .acquire()
        .await
        .expect("the semaphore is never closed");
    tokio::task::spawn_blocking(move || credentials::verify_password(&password, &hash))
        .await
        .unwrap_or(false)
}

/// Verifies `password` against `stored` as an attempt of `account` from `address`: reserved
/// before the check (refused when the account or address has used its attempts), given back
/// when right.
async fn limited_verify(
    limiter: &SignInLimiter,
    account: &AccountKey,
    address: &str,
    password: &str,
    stored: String,
) -> Result<bool, AccountError> {
    let attempt = limiter
        .reserve(account, address, Instant::now())
        .map_err(|wait| AccountError::RateLimited(too_many_message(wait)))?;
    let right = verify(password.to_string(), stored).await;
    if right {
        limiter.succeeded(attempt);
    } else {
        limiter.failed(attempt);
    }
    Ok(right)
}

/// Creates an account after checking the username, email and password; returns its id.
pub async fn create_account(
    pool: &Pool,
    username: &str,
    email: &str,
    password: &str,
) -> Result<i64, AccountError> {
    let username = username.trim();
    let email = email.trim();
    if let Some(problem) = username_problem(username).or_else(|| email_problem(email)) {
        return Err(AccountError::Invalid(problem.into()));
    }
    if let Some(problem) = password_problem(password) {
        return Err(AccountError::Invalid(problem));
    }
    let password_hash = hash(password.to_string()).await;
    let user = db::NewUser {
        username,
        email,
        password_hash: &password_hash,
        created_at: db::now(),
    };
    match db::users::create_user(pool, &user).await {
        Ok(id) => Ok(id),
        // One message for both, so that sign-up does not tell which email has an account.
        Err(e) if db::is_unique_violation(&e) => Err(AccountError::Invalid(
            "this username or email cannot be used: choose others, or sign in".into(),
        )),
        Err(e) => Err(e.into()),
    }
}

/// Checks a sign-in by username or email; returns the account's id. Rate-limited per account
/// (by id, whichever of its names was typed) and per address (`address`), the attempt reserved
/// before the password is checked; an unknown account costs a hash check too.
pub async fn check_sign_in(
    pool: &Pool,
    limiter: &SignInLimiter,
    login: &str,
    password: &str,
    address: &str,
) -> Result<i64, AccountError> {
    let login = login.trim();
    let found = db::users::find_password_hash(pool, login).await?;
    let (account, stored) = match &found {
        Some((id, hash)) => (AccountKey::Id(*id), hash.clone()),
        None => (
            AccountKey::Unknown(login.to_owned()),
            credentials::dummy_hash().to_string(),
        ),
    };
    let right = limited_verify(limiter, &account, address, password, stored).await?;
    match found {
        Some((id, _)) if right => Ok(id),
        _ => Err(AccountError::BadCredentials),
    }
}

/// Whether `password` is the user's (false for an unknown user); counted as a sign-in attempt
/// of the account, so that a stolen session cannot guess the password through the forms that
/// ask for it.
pub async fn is_password_of(
    pool: &Pool,
    limiter: &SignInLimiter,
    user_id: i64,
    password: &str,
    address: &str,
) -> Result<bool, AccountError> {
    let Some(stored) = db::users::password_hash_of(pool, user_id).await? else {
        return Ok(false);
    };
    limited_verify(limiter, &AccountKey::Id(user_id), address, password, stored).await
}

/// Changes a password after checking the current one (a counted attempt).
pub async fn change_password(
    pool: &Pool,
    limiter: &SignInLimiter,
    user_id: i64,
    current: &str,
    new: &str,
    address: &str,
) -> Result<(), AccountError> {
    if !is_password_of(pool, limiter, user_id, current, address).await? {
        return Err(AccountError::Invalid(
            "the current password is not right".into(),
        ));
    }
    if let Some(problem) = password_problem(new) {
        return Err(AccountError::Invalid(problem));
    }
    let new_hash = hash(new.to_string()).await;
    db::users::set_password_hash(pool, user_id, &new_hash).await?;
    Ok(())
}

/// Deletes an account after checking its password: sessions, tokens, public links, runs and
/// the originals that no other account's run keeps (an original with the same bytes as another
/// user's run stays for that user). Rows go in one transaction; the originals after it (see
/// `uploads::forget_originals`). A failure to remove an original is logged: the account is gone
/// by then, and the file only takes space.
pub async fn delete_account(
    pool: &Pool,
    originals: &Originals,
    limiter: &SignInLimiter,
    user_id: i64,
    password: &str,
    address: &str,
) -> Result<(), AccountError> {
    if !is_password_of(pool, limiter, user_id, password, address).await? {
        return Err(AccountError::Invalid("the password is not right".into()));
    }
    let Some(orphans) = db::users::delete_user(pool, user_id).await? else {
        return Err(AccountError::BadCredentials);
    };
    if let Err(e) = forget_originals(pool, originals, &orphans).await {
        tracing::error!(
            user_id,
            "account deleted, but not all of its originals: {e}"
        );
    }
    tracing::info!(user_id, originals = orphans.len(), "account deleted");
    Ok(())
}

/// Creates a personal access token; returns its id and the token, which is never stored.
pub async fn issue_token(
    pool: &Pool,
    user_id: i64,
    name: &str,
) -> Result<(i64, String), AccountError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 64 {
        return Err(AccountError::Invalid(
            "a token needs a name of 1 to 64 characters".into(),
        ));
    }
    let token = credentials::new_token();
    let hash = credentials::sha256_hex(token.as_bytes());
    let id = db::tokens::create_token(pool, user_id, name, &hash, db::now()).await?;
    Ok((id, token))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn sign_up_sign_in_and_change_password() {
        for (backend, pool) in db::testing::pools().await {
            let limiter = SignInLimiter::new(3, 10, Duration::from_secs(600));
            let refused = create_account(&pool, "ada", "ada@example.org", "qwertyuiop").await;
            assert!(
                matches!(&refused, Err(AccountError::Invalid(m)) if m.contains("most common")),
                "{refused:?}"
            );
            let short = create_account(&pool, "ada", "ada@example.org", "2short").await;
            assert!(matches!(short, Err(AccountError::Invalid(_))));
            let bad_name = create_account(&pool, "a d", "ada@example.org", "long enough pw").await;
            assert!(matches!(bad_name, Err(AccountError::Invalid(_))));

            let id = create_account(&pool, "ada", "ada@example.org", "analytical engine")
                .await
                .unwrap();
            let taken =
                create_account(&pool, "other", "ADA@example.org", "analytical engine").await;
            assert_eq!(
                taken.unwrap_err().to_string(),
                "this username or email cannot be used: choose others, or sign in",
                "{backend}"
            );

            let ok = check_sign_in(
                &pool,
                &limiter,
                "ada@example.org",
                "analytical engine",
                "a1",
            );
            assert_eq!(ok.await.unwrap(), id, "by email, {backend}");
            let ok = check_sign_in(&pool, &limiter, "ADA", "analytical engine", "a1").await;
            assert_eq!(ok.unwrap(), id, "by username");
            // A wrong password and an unknown account give the same answer.
            let wrong = check_sign_in(&pool, &limiter, "ada", "difference engine", "a1").await;
            let unknown = check_sign_in(&pool, &limiter, "nobody", "difference engine", "a1").await;
            assert_eq!(
                wrong.unwrap_err().to_string(),
                unknown.unwrap_err().to_string()
            );

            // Third failure for ada: locked, even with the right password.
            let _ = check_sign_in(&pool, &limiter, "ada", "nope nope nope", "a2").await;
            let _ = check_sign_in(&pool, &limiter, "ada", "nope nope nope", "a3").await;
            let locked = check_sign_in(&pool, &limiter, "ada", "analytical engine", "a4").await;
            assert!(
                matches!(&locked, Err(AccountError::RateLimited(m)) if m.starts_with("Too many failed sign-ins")),
                "{locked:?}"
            );

            let fresh = SignInLimiter::default();
            let wrong_current =
                change_password(&pool, &fresh, id, "nope", "a brand new secret", "b").await;
            assert_eq!(
                wrong_current.unwrap_err().to_string(),
                "the current password is not right"
            );
            change_password(
                &pool,
                &fresh,
                id,
                "analytical engine",
                "a brand new secret",
                "b",
            )
            .await
            .unwrap();
            assert!(
                check_sign_in(&pool, &fresh, "ada", "a brand new secret", "b")
                    .await
                    .is_ok()
            );
            assert!(
                check_sign_in(&pool, &fresh, "ada", "analytical engine", "b")
                    .await
                    .is_err()
            );

            let (token_id, token) = issue_token(&pool, id, "phone").await.unwrap();
            let hash = credentials::sha256_hex(token.as_bytes());
            let owner = db::tokens::token_user(&pool, &hash).await.unwrap();
            assert_eq!(owner, Some(id), "{backend}");
            assert!(db::tokens::revoke_token(&pool, id, token_id).await.unwrap());
            assert!(issue_token(&pool, id, "  ").await.is_err());
        }
    }

    #[test]
    fn usernames_and_emails() {
        assert_eq!(username_problem("ada.l-ovelace_1"), None);
        assert!(username_problem("ab").is_some());
        assert!(username_problem("ada/../x").is_some());
        assert_eq!(email_problem("ada@example.org"), None);
        assert!(email_problem("ada@localhost").is_some());
        assert!(email_problem("ada example@x.org").is_some());
        assert!(email_problem("@x.org").is_some());
    }
}
