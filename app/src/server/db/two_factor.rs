use super::Pool;

/// A user's TOTP secret: confirmed (two-factor sign-in on) or an enrolment in progress.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TotpRow {
    pub user_id: i64,
    pub secret_hex: String,
    pub created_at: i64,
    pub confirmed_at: Option<i64>,
    /// The newest step whose code was accepted.
    pub last_step: i64,
}

/// Starts (or restarts) an enrolment with a new secret; refused (false) when two-factor sign-in
/// is already on, so that an enrolment never replaces a confirmed secret. Writes only (no read
/// first), so that SQLite never has to turn a read transaction into a write one.
pub async fn begin_enrolment(
    pool: &Pool,
    user_id: i64,
    secret_hex: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM totp_secrets WHERE user_id = $1 AND confirmed_at IS NULL")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    let inserted = sqlx::query(
        "INSERT INTO totp_secrets (user_id, secret_hex, created_at, confirmed_at, last_step) \
         VALUES ($1, $2, $3, NULL, 0) ON CONFLICT (user_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(secret_hex)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(inserted == 1)
}

/// The user's secret, confirmed or not.
pub async fn totp_of(pool: &Pool, user_id: i64) -> Result<Option<TotpRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT user_id, secret_hex, created_at, confirmed_at, last_step FROM totp_secrets \
         WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await
}

/// Whether two-factor sign-in is on for the user.
pub async fn is_enabled(pool: &Pool, user_id: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM totp_secrets WHERE user_id = $1 AND confirmed_at IS NOT NULL",
    )
    .bind(user_id)
    .fetch_one(pool)
    .await?;
    Ok(n > 0)
}

/// Records that the code of `step` was used, if no code of this or a later step was: the
/// compare-and-set that makes a code good once, even for two requests at the same moment.
pub async fn use_step(pool: &Pool, user_id: i64, step: i64) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE totp_secrets SET last_step = $1 WHERE user_id = $2 AND last_step < $1")
            .bind(step)
            .bind(user_id)
            .execute(pool)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Confirms an enrolment (its first code was right, at `step`) and replaces the recovery codes
/// with these hashes, in one transaction. False when there was no enrolment in progress.
pub async fn confirm(
    pool: &Pool,
    user_id: i64,
    step: i64,
    now: i64,
    recovery_hashes: &[String],
) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let done = sqlx::query(
        "UPDATE totp_secrets SET confirmed_at = $1, last_step = $2 \
         WHERE user_id = $3 AND confirmed_at IS NULL",
    )
    .bind(now)
    .bind(step)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        tx.rollback().await?;
        return Ok(false);
    }
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    for hash in recovery_hashes {
        sqlx::query(
            "INSERT INTO recovery_codes (user_id, code_hash, used_at) VALUES ($1, $2, NULL)",
        )
        .bind(user_id)
        .bind(hash)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Uses a recovery code (by its hash) if it is the user's and unused.
pub async fn use_recovery_code(
    pool: &Pool,
    user_id: i64,
    code_hash: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE recovery_codes SET used_at = $1 \
         WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .bind(code_hash)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// How many of the user's recovery codes are still unused.
pub async fn recovery_codes_left(pool: &Pool, user_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
        .bind(user_id)
        .fetch_one(pool)
        .await
}

/// Turns two-factor sign-in off: the secret, the recovery codes and pending sign-ins go.
/// Returns whether it was on.
pub async fn disable(pool: &Pool, user_id: i64) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let was_on =
        sqlx::query("DELETE FROM totp_secrets WHERE user_id = $1 AND confirmed_at IS NOT NULL")
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
    for statement in [
        "DELETE FROM totp_secrets WHERE user_id = $1",
        "DELETE FROM recovery_codes WHERE user_id = $1",
        "DELETE FROM sign_in_challenges WHERE user_id = $1",
    ] {
        sqlx::query(statement)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(was_on)
}

/// Stores a sign-in waiting for its second factor.
pub async fn create_challenge(
    pool: &Pool,
    id_hash: &str,
    user_id: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO sign_in_challenges (id_hash, user_id, expires_at) VALUES ($1, $2, $3)")
        .bind(id_hash)
        .bind(user_id)
        .bind(expires_at)
        .execute(pool)
        .await
        .map(|_| ())
}

/// The user of a pending sign-in that has not expired at `now`.
pub async fn challenge_user(
    pool: &Pool,
    id_hash: &str,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT user_id FROM sign_in_challenges WHERE id_hash = $1 AND expires_at > $2",
    )
    .bind(id_hash)
    .bind(now)
    .fetch_optional(pool)
    .await
}

/// Ends a pending sign-in (done, or given up), and any expired ones.
pub async fn delete_challenge(pool: &Pool, id_hash: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sign_in_challenges WHERE id_hash = $1 OR expires_at <= $2")
        .bind(id_hash)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
}
