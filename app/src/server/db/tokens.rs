use super::Pool;

/// A personal access token as its owner sees it in a list: never the token itself, which is
/// shown once at creation and stored only as its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    /// Unix seconds, UTC.
    pub created_at: i64,
}

/// Stores a token's hash for a user; returns the token's id.
pub async fn create_token(
    pool: &Pool,
    user_id: i64,
    name: &str,
    token_hash: &str,
    created_at: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) \
         RETURNING id",
    )
    .bind(user_id)
    .bind(name)
    .bind(token_hash)
    .bind(created_at)
    .fetch_one(pool)
    .await
}

/// The owner of the token with this hash.
pub async fn token_user(pool: &Pool, token_hash: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT user_id FROM api_tokens WHERE token_hash = $1")
        .bind(token_hash)
        .fetch_optional(pool)
        .await
}

/// A user's tokens, oldest first.
pub async fn list_tokens(pool: &Pool, user_id: i64) -> Result<Vec<TokenRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, created_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at, id",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await
}

/// Revokes (deletes) one of the user's tokens; false when the user has no token with this id.
pub async fn revoke_token(pool: &Pool, user_id: i64, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM api_tokens WHERE user_id = $1 AND id = $2")
        .bind(user_id)
        .bind(id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::db::testing;

    #[tokio::test]
    async fn tokens_are_found_by_hash_listed_and_revoked_by_their_owner_only() {
        for (backend, pool) in testing::pools().await {
            let (ada, grace) = testing::two_users(&pool).await;
            let phone = create_token(&pool, ada, "phone", "hash-1", 10)
                .await
                .unwrap();
            let laptop = create_token(&pool, ada, "laptop", "hash-2", 20)
                .await
                .unwrap();

            assert_eq!(
                token_user(&pool, "hash-2").await.unwrap(),
                Some(ada),
                "{backend}"
            );
            assert_eq!(
                token_user(&pool, "hash-3").await.unwrap(),
                None,
                "{backend}"
            );
            assert_eq!(
                list_tokens(&pool, ada).await.unwrap(),
                vec![
                    TokenRow {
                        id: phone,
                        name: "phone".into(),
                        created_at: 10
                    },
                    TokenRow {
                        id: laptop,
                        name: "laptop".into(),
                        created_at: 20
                    },
                ],
                "{backend}"
            );
            assert!(list_tokens(&pool, grace).await.unwrap().is_empty());

            assert!(
                !revoke_token(&pool, grace, phone).await.unwrap(),
                "not grace's, {backend}"
            );
            assert!(revoke_token(&pool, ada, phone).await.unwrap(), "{backend}");
            assert!(
                !revoke_token(&pool, ada, phone).await.unwrap(),
                "already gone"
            );
            assert_eq!(
                token_user(&pool, "hash-1").await.unwrap(),
                None,
                "{backend}"
            );
            assert_eq!(list_tokens(&pool, ada).await.unwrap().len(), 1);
        }
    }
}
