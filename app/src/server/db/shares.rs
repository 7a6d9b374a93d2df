use super::Pool;

/// A run made public by a link.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ShareRow {
    pub activity_id: String,
    pub user_id: i64,
    /// The link's secret part: `/shared/<token>`.
    pub token: String,
    /// Metres hidden at each end of the route.
    pub hide_m: i64,
    /// Unix seconds, UTC.
    pub created_at: i64,
}

/// Makes the user's run public under `token` hiding `hide_m` metres at each end, or, when it is
/// public already, changes only how much is hidden (the link stays the same). `None` when the
/// user has no such run.
pub async fn share_activity(
    pool: &Pool,
    user_id: i64,
    activity_id: &str,
    token: &str,
    hide_m: i64,
    now: i64,
) -> Result<Option<ShareRow>, sqlx::Error> {
    // The run must be the user's: the INSERT selects it with the owner in the WHERE clause.
    sqlx::query(
        "INSERT INTO shares (activity_id, user_id, token, hide_m, created_at) \
         SELECT id, user_id, $3, $4, $5 FROM activities WHERE user_id = $1 AND id = $2 \
         ON CONFLICT (activity_id) DO UPDATE SET hide_m = excluded.hide_m, \
         route = CASE WHEN shares.hide_m = excluded.hide_m THEN shares.route ELSE NULL END",
    )
    .bind(user_id)
    .bind(activity_id)
    .bind(token)
    .bind(hide_m)
    .bind(now)
    .execute(pool)
    .await?;
    share_of(pool, user_id, activity_id).await
}

/// The public link of the user's run, if it has one.
pub async fn share_of(
    pool: &Pool,
    user_id: i64,
    activity_id: &str,
) -> Result<Option<ShareRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT activity_id, user_id, token, hide_m, created_at FROM shares \
         WHERE user_id = $1 AND activity_id = $2",
    )
    .bind(user_id)
    .bind(activity_id)
    .fetch_optional(pool)
    .await
}

/// Every public link of the user.
pub async fn shares_of_user(pool: &Pool, user_id: i64) -> Result<Vec<ShareRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT activity_id, user_id, token, hide_m, created_at FROM shares \
         WHERE user_id = $1 ORDER BY created_at, activity_id",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await
}

/// The route kept for the link of the run `activity_id` while it hides `hide_m` metres (JSON),
/// `None` when none is kept yet (or the link has changed since).
pub async fn route_of(
    pool: &Pool,
    activity_id: &str,
    hide_m: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar::<_, Option<String>>(
        "SELECT route FROM shares WHERE activity_id = $1 AND hide_m = $2",
    )
    .bind(activity_id)
    .bind(hide_m)
    .fetch_optional(pool)
    .await
    .map(Option::flatten)
}

/// Keeps the cut route of the link of the run `activity_id`, made for `hide_m` metres hidden;
/// a link whose hidden length changed meanwhile keeps none (its own is made for it).
pub async fn set_route(
    pool: &Pool,
    activity_id: &str,
    hide_m: i64,
    route: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE shares SET route = $3 WHERE activity_id = $1 AND hide_m = $2")
        .bind(activity_id)
        .bind(hide_m)
        .bind(route)
        .execute(pool)
        .await
        .map(|_| ())
}

/// The link with this token.
pub async fn share_by_token(pool: &Pool, token: &str) -> Result<Option<ShareRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT activity_id, user_id, token, hide_m, created_at FROM shares WHERE token = $1",
    )
    .bind(token)
    .fetch_optional(pool)
    .await
}

/// Revokes the public link of the user's run; false when it had none (or is not the user's).
pub async fn unshare_activity(
    pool: &Pool,
    user_id: i64,
    activity_id: &str,
) -> Result<bool, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM shares WHERE user_id = $1 AND activity_id = $2")
            .bind(user_id)
            .bind(activity_id)
            .execute(pool)
            .await?
            .rows_affected()
            == 1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::db::activities::{NewActivity, delete_activity, insert_activity};
    use crate::server::db::testing;

    #[tokio::test]
    async fn only_the_owner_shares_and_revokes() {
        for (backend, pool) in testing::pools().await {
            let (ada, grace) = testing::two_users(&pool).await;
            insert_activity(
                &pool,
                &NewActivity {
                    id: "r1",
                    user_id: ada,
                    sha256: "aa",
                    size_bytes: 1,
                    format: "fit",
                    start_time: None,
                    summary: "{}",
                    created_at: 1,
                    name: Some("run.fit"),
                },
            )
            .await
            .unwrap();
            assert_eq!(
                share_activity(&pool, grace, "r1", "t-grace", 0, 5)
                    .await
                    .unwrap(),
                None,
                "not grace's run, {backend}"
            );
            assert_eq!(share_by_token(&pool, "t-grace").await.unwrap(), None);
            let shared = share_activity(&pool, ada, "r1", "t1", 200, 5)
                .await
                .unwrap()
                .unwrap();
            assert_eq!((shared.token.as_str(), shared.hide_m), ("t1", 200));
            // Sharing again changes what is hidden, not the link.
            let again = share_activity(&pool, ada, "r1", "t2", 500, 6)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(
                (again.token.as_str(), again.hide_m),
                ("t1", 500),
                "{backend}"
            );
            assert_eq!(share_by_token(&pool, "t2").await.unwrap(), None);
            assert_eq!(
                share_by_token(&pool, "t1")
                    .await
                    .unwrap()
                    .unwrap()
                    .activity_id,
                "r1"
            );
            assert_eq!(shares_of_user(&pool, ada).await.unwrap().len(), 1);
            assert!(!unshare_activity(&pool, grace, "r1").await.unwrap());
            assert!(unshare_activity(&pool, ada, "r1").await.unwrap());
            assert_eq!(
                share_by_token(&pool, "t1").await.unwrap(),
                None,
                "{backend}"
            );

            // Deleting the run takes its link with it.
            share_activity(&pool, ada, "r1", "t3", 0, 7).await.unwrap();
            assert_eq!(
                delete_activity(&pool, ada, "r1").await.unwrap(),
                Some(("aa".to_string(), false))
            );
            assert_eq!(
                share_by_token(&pool, "t3").await.unwrap(),
                None,
                "{backend}"
            );
        }
    }
}
