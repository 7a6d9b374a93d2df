use super::Pool;

/// An account as the rest of the app sees it. The password hash is not part of it: it is read only
/// where a password is checked, and it never derives `Serialize`.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub email: String,
    /// Unix seconds, UTC.
    pub created_at: i64,
}

/// What it takes to create an account.
#[derive(Debug)]
pub struct NewUser<'a> {
    pub username: &'a str,
    pub email: &'a str,
    pub password_hash: &'a str,
    pub created_at: i64,
}

/// Creates an account and returns its id. A taken username or email (case-insensitive) fails with
/// a unique violation (see [`super::is_unique_violation`]).
pub async fn create_user(pool: &Pool, user: &NewUser<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO users (username, email, password_hash, created_at) VALUES ($1, $2, $3, $4) \
         RETURNING id",
    )
    .bind(user.username)
    .bind(user.email)
    .bind(user.password_hash)
    .bind(user.created_at)
    .fetch_one(pool)
    .await
}

/// The account with this username, compared case-insensitively.
pub async fn find_user_by_username(
    pool: &Pool,
    username: &str,
) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, username, email, created_at FROM users WHERE lower(username) = lower($1)",
    )
    .bind(username)
    .fetch_optional(pool)
    .await
}

/// The account with this id.
pub async fn find_user(pool: &Pool, id: i64) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, username, email, created_at FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// The id and password hash of the account whose username or email is `login`
/// (case-insensitive), for checking a password.
pub async fn find_password_hash(
    pool: &Pool,
    login: &str,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, password_hash FROM users \
         WHERE lower(username) = lower($1) OR lower(email) = lower($1)",
    )
    .bind(login)
    .fetch_optional(pool)
    .await
}

/// The password hash of an account.
pub async fn password_hash_of(pool: &Pool, id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// Replaces an account's password hash; false when there is no such account.
pub async fn set_password_hash(pool: &Pool, id: i64, hash: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes an account and everything it owns (sessions, tokens, public links, runs), in one
/// transaction, without relying on foreign-key cascades. Returns the SHA-256 of each original
/// that no run of anyone keeps any more, counted in the same transaction: those may be removed
/// from the object store (see `server::uploads::forget_originals` for the race with an upload of
/// the same bytes). `None` when there is no such account.
pub async fn delete_user(pool: &Pool, id: i64) -> Result<Option<Vec<String>>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    // A write first: on SQLite a transaction that reads and then writes can fail at once
    // (SQLITE_BUSY, which no busy timeout waits out) when another connection wrote meanwhile;
    // one that starts by writing holds the write lock from there on.
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let shas: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT sha256 FROM activities WHERE user_id = $1")
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
    for statement in [
        "DELETE FROM sign_in_challenges WHERE user_id = $1",
        "DELETE FROM totp_secrets WHERE user_id = $1",
        "DELETE FROM recovery_codes WHERE user_id = $1",
        "DELETE FROM api_tokens WHERE user_id = $1",
        "DELETE FROM shares WHERE user_id = $1",
        "DELETE FROM activities WHERE user_id = $1",
    ] {
        sqlx::query(statement).bind(id).execute(&mut *tx).await?;
    }
    let deleted = sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if deleted == 0 {
        tx.rollback().await?;
        return Ok(None);
    }
    let mut orphans = Vec::new();
    for sha in shas {
        let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM activities WHERE sha256 = $1")
            .bind(&sha)
            .fetch_one(&mut *tx)
            .await?;
        if kept == 0 {
            orphans.push(sha);
        }
    }
    tx.commit().await?;
    Ok(Some(orphans))
}

/// How many accounts there are.
pub async fn count_users(pool: &Pool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(pool)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::db::{is_unique_violation, testing};

    pub(crate) fn ada() -> NewUser<'static> {
        NewUser {
            username: "Ada",
            email: "ada@example.org",
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
            created_at: 1_763_800_000,
        }
    }

    #[tokio::test]
    async fn create_then_find_case_insensitively() {
        for (backend, pool) in testing::pools().await {
            assert_eq!(count_users(&pool).await.unwrap(), 0, "{backend}");
            let id = create_user(&pool, &ada()).await.unwrap();

            let found = find_user_by_username(&pool, "ADA").await.unwrap().unwrap();
            let expected = UserRow {
                id,
                username: "Ada".into(),
                email: "ada@example.org".into(),
                created_at: 1_763_800_000,
            };
            assert_eq!(found, expected, "{backend}");
            assert_eq!(find_user(&pool, id).await.unwrap(), Some(expected));
            assert_eq!(count_users(&pool).await.unwrap(), 1, "{backend}");
            assert_eq!(find_user_by_username(&pool, "grace").await.unwrap(), None);
            assert_eq!(find_user(&pool, id + 1).await.unwrap(), None);
        }
    }

    #[tokio::test]
    async fn duplicate_username_or_email_is_refused() {
        for (backend, pool) in testing::pools().await {
            create_user(&pool, &ada()).await.unwrap();

            let same_name = NewUser {
                username: "aDa",
                email: "other@example.org",
                ..ada()
            };
            let err = create_user(&pool, &same_name).await.unwrap_err();
            assert!(is_unique_violation(&err), "{backend}: {err}");

            let same_email = NewUser {
                username: "ada2",
                email: "ADA@example.org",
                ..ada()
            };
            let err = create_user(&pool, &same_email).await.unwrap_err();
            assert!(is_unique_violation(&err), "{backend}: {err}");
            assert_eq!(count_users(&pool).await.unwrap(), 1, "{backend}");
        }
    }

    #[tokio::test]
    async fn password_hash_by_username_or_email_and_change() {
        for (backend, pool) in testing::pools().await {
            let id = create_user(&pool, &ada()).await.unwrap();
            let by_name = find_password_hash(&pool, "ada").await.unwrap();
            let by_email = find_password_hash(&pool, "Ada@Example.org").await.unwrap();
            assert_eq!(
                by_name,
                Some((id, ada().password_hash.to_string())),
                "{backend}"
            );
            assert_eq!(by_email, by_name, "{backend}");
            assert_eq!(find_password_hash(&pool, "nobody").await.unwrap(), None);

            assert!(set_password_hash(&pool, id, "new-hash").await.unwrap());
            assert_eq!(
                password_hash_of(&pool, id).await.unwrap().as_deref(),
                Some("new-hash"),
                "{backend}"
            );
            assert!(!set_password_hash(&pool, id + 7, "x").await.unwrap());
        }
    }
}
