use super::Pool;

/// A stored session: only the SHA-256 of the cookie's value is kept, so a copy of the database
/// gives no one a way into an account.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SessionRow {
    pub id_hash: String,
    pub user_id: i64,
    /// Unix seconds, UTC.
    pub created_at: i64,
    pub expires_at: i64,
}

/// Stores a new session.
pub async fn create_session(pool: &Pool, session: &SessionRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(&session.id_hash)
    .bind(session.user_id)
    .bind(session.created_at)
    .bind(session.expires_at)
    .execute(pool)
    .await
    .map(|_| ())
}

/// The user of the session with this hash, if it has not expired at `now`.
pub async fn session_user(
    pool: &Pool,
    id_hash: &str,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT user_id FROM sessions WHERE id_hash = $1 AND expires_at > $2")
        .bind(id_hash)
        .bind(now)
        .fetch_optional(pool)
        .await
}

/// Ends one session (sign out).
pub async fn delete_session(pool: &Pool, id_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(pool)
        .await
        .map(|_| ())
}

/// Ends every session of a user but the one with hash `keep` (after a password change); returns
/// how many ended.
pub async fn delete_other_sessions(
    pool: &Pool,
    user_id: i64,
    keep: &str,
) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
        .bind(user_id)
        .bind(keep)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
}

/// Forgets the sessions that expired before `now`; returns how many.
pub async fn delete_expired_sessions(pool: &Pool, now: i64) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::db::testing;

    fn session(hash: &str, user_id: i64, expires_at: i64) -> SessionRow {
        SessionRow {
            id_hash: hash.into(),
            user_id,
            created_at: 1_000,
            expires_at,
        }
    }

    #[tokio::test]
    async fn sessions_expire_end_and_follow_their_user() {
        for (backend, pool) in testing::pools().await {
            let (ada, grace) = testing::two_users(&pool).await;
            for s in [
                session("a1", ada, 2_000),
                session("a2", ada, 3_000),
                session("g1", grace, 3_000),
            ] {
                create_session(&pool, &s).await.unwrap();
            }
            assert_eq!(
                session_user(&pool, "a1", 1_999).await.unwrap(),
                Some(ada),
                "{backend}"
            );
            assert_eq!(
                session_user(&pool, "a1", 2_000).await.unwrap(),
                None,
                "expired, {backend}"
            );
            assert_eq!(session_user(&pool, "nope", 0).await.unwrap(), None);

            assert_eq!(
                delete_other_sessions(&pool, ada, "a2").await.unwrap(),
                1,
                "{backend}"
            );
            assert_eq!(session_user(&pool, "a2", 0).await.unwrap(), Some(ada));
            assert_eq!(
                session_user(&pool, "g1", 0).await.unwrap(),
                Some(grace),
                "others untouched"
            );

            delete_session(&pool, "a2").await.unwrap();
            assert_eq!(
                session_user(&pool, "a2", 0).await.unwrap(),
                None,
                "{backend}"
            );
            assert_eq!(
                delete_expired_sessions(&pool, 3_000).await.unwrap(),
                1,
                "{backend}"
            );
            assert_eq!(session_user(&pool, "g1", 0).await.unwrap(), None);
        }
    }
}
