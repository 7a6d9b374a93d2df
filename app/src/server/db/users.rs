use sqlx::SqlitePool;

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
pub async fn create_user(pool: &SqlitePool, user: &NewUser<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO users (username, email, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id",
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
    pool: &SqlitePool,
    username: &str,
) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, username, email, created_at FROM users WHERE username = ?")
        .bind(username)
        .fetch_optional(pool)
        .await
}

/// How many accounts there are.
pub async fn count_users(pool: &SqlitePool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(pool)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::db::{is_unique_violation, open_in_memory};

    fn ada() -> NewUser<'static> {
        NewUser {
            username: "Ada",
            email: "ada@example.org",
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
            created_at: 1_763_800_000,
        }
    }

    #[tokio::test]
    async fn create_then_find_case_insensitively() {
        let pool = open_in_memory().await.unwrap();
        assert_eq!(count_users(&pool).await.unwrap(), 0);
        let id = create_user(&pool, &ada()).await.unwrap();

        let found = find_user_by_username(&pool, "ADA").await.unwrap().unwrap();
        assert_eq!(
            found,
            UserRow {
                id,
                username: "Ada".into(),
                email: "ada@example.org".into(),
                created_at: 1_763_800_000
            }
        );
        assert_eq!(count_users(&pool).await.unwrap(), 1);
        assert_eq!(find_user_by_username(&pool, "grace").await.unwrap(), None);
    }

    #[tokio::test]
    async fn duplicate_username_or_email_is_refused() {
        let pool = open_in_memory().await.unwrap();
        create_user(&pool, &ada()).await.unwrap();

        let same_name = NewUser {
            email: "other@example.org",
            ..ada()
        };
        let err = create_user(
            &pool,
            &NewUser {
                username: "aDa",
                ..same_name
            },
        )
        .await
        .unwrap_err();
        assert!(is_unique_violation(&err), "{err}");

        let same_email = NewUser {
            username: "ada2",
            email: "ADA@example.org",
            ..ada()
        };
        let err = create_user(&pool, &same_email).await.unwrap_err();
        assert!(is_unique_violation(&err), "{err}");
        assert_eq!(count_users(&pool).await.unwrap(), 1);
    }
}
