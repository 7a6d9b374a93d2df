use super::Pool;

/// A run kept on the server for one user. `summary` is the JSON of the server's own
/// `analysis::RunSummary`; the original is in the object store under `sha256`.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ActivityRow {
    pub id: String,
    pub user_id: i64,
    pub sha256: String,
    pub size_bytes: i64,
    pub format: String,
    /// RFC 3339 UTC, when the file says.
    pub start_time: Option<String>,
    pub summary: String,
    /// Unix seconds, UTC.
    pub created_at: i64,
    /// The file's name, when a browser synced it (the upload API does not say).
    pub name: Option<String>,
}

/// What it takes to keep a run.
#[derive(Debug, Clone)]
pub struct NewActivity<'a> {
    pub id: &'a str,
    pub user_id: i64,
    pub sha256: &'a str,
    pub size_bytes: i64,
    pub format: &'a str,
    pub start_time: Option<&'a str>,
    pub summary: &'a str,
    pub created_at: i64,
    pub name: Option<&'a str>,
}

/// `SELECT <every column> FROM activities <rest>`, as one static string.
macro_rules! select {
    ($rest:literal) => {
        concat!(
            "SELECT id, user_id, sha256, size_bytes, format, start_time, summary, created_at, \
             name FROM activities ",
            $rest
        )
    };
}

/// Keeps a run unless the user already has one with the same bytes. Returns the row that is
/// now there and whether it is new. One statement, so a crash leaves the row whole or absent.
pub async fn insert_activity(
    pool: &Pool,
    new: &NewActivity<'_>,
) -> Result<(ActivityRow, bool), sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT INTO activities (id, user_id, sha256, size_bytes, format, start_time, summary, \
         created_at, name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (user_id, sha256) DO NOTHING",
    )
    .bind(new.id)
    .bind(new.user_id)
    .bind(new.sha256)
    .bind(new.size_bytes)
    .bind(new.format)
    .bind(new.start_time)
    .bind(new.summary)
    .bind(new.created_at)
    .bind(new.name)
    .execute(pool)
    .await?
    .rows_affected()
        == 1;
    let row = sqlx::query_as(select!("WHERE user_id = $1 AND sha256 = $2"))
        .bind(new.user_id)
        .bind(new.sha256)
        .fetch_one(pool)
        .await?;
    Ok((row, inserted))
}

/// The user's run with this id; another user's run is `None`, as a missing one is.
pub async fn find_activity(
    pool: &Pool,
    user_id: i64,
    id: &str,
) -> Result<Option<ActivityRow>, sqlx::Error> {
    sqlx::query_as(select!("WHERE user_id = $1 AND id = $2"))
        .bind(user_id)
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// The user's run with these bytes.
pub async fn find_by_sha256(
    pool: &Pool,
    user_id: i64,
    sha256: &str,
) -> Result<Option<ActivityRow>, sqlx::Error> {
    sqlx::query_as(select!("WHERE user_id = $1 AND sha256 = $2"))
        .bind(user_id)
        .bind(sha256)
        .fetch_optional(pool)
        .await
}

/// A page of the user's runs, newest start first (runs with no start time last), then newest
/// upload first.
pub async fn list_activities(
    pool: &Pool,
    user_id: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<ActivityRow>, sqlx::Error> {
    sqlx::query_as(select!(
        "WHERE user_id = $1 \
         ORDER BY COALESCE(start_time, '') DESC, created_at DESC, id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(user_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await
}

/// A page of the user's runs as the upload API lists them, in the order of
/// [`list_activities`]: the JSON array's items (`{"id", "sha256", "size_bytes", "uploaded_at",
/// "summary"}`, comma-separated, without the brackets) and how many runs the user keeps, from
/// one statement that answers one row. The stored summaries go out as they were written by the
/// server (never parsed again): this is the hot path of the API, where each row fetched on its
/// own and each summary re-read cost about 60 µs.
pub async fn list_page_json(
    pool: &Pool,
    user_id: i64,
    limit: i64,
    offset: i64,
) -> Result<(String, i64), sqlx::Error> {
    // The page's ids are sorted and cut first, so that only its own rows' JSON is built.
    const SQLITE: &str = "SELECT (SELECT COUNT(*) FROM activities WHERE user_id = $1), \
         (SELECT COALESCE(group_concat(printf('{\"id\":%s,\"sha256\":%s,\"size_bytes\":%d,\
         \"uploaded_at\":%d,\"summary\":%s}', json_quote(a.id), json_quote(a.sha256), \
         a.size_bytes, a.created_at, a.summary), ',' ORDER BY k1 DESC, k2 DESC, k3 DESC), '') \
         FROM activities AS a JOIN ( \
           SELECT id AS page_id, COALESCE(start_time, '') AS k1, created_at AS k2, id AS k3 \
           FROM activities WHERE user_id = $1 \
           ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT $2 OFFSET $3) AS page ON a.id = page.page_id)";
    const POSTGRES: &str = "SELECT (SELECT COUNT(*) FROM activities WHERE user_id = $1), \
         (SELECT COALESCE(string_agg(format('{\"id\":%s,\"sha256\":%s,\"size_bytes\":%s,\
         \"uploaded_at\":%s,\"summary\":%s}', to_json(a.id)::text, to_json(a.sha256)::text, \
         a.size_bytes, a.created_at, a.summary), ',' ORDER BY k1 DESC, k2 DESC, k3 DESC), '') \
         FROM activities AS a JOIN ( \
           SELECT id AS page_id, COALESCE(start_time, '') AS k1, created_at AS k2, id AS k3 \
           FROM activities WHERE user_id = $1 \
           ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT $2 OFFSET $3) AS page ON a.id = page.page_id)";
    let sql = match super::Backend::of(pool) {
        super::Backend::Sqlite => SQLITE,
        super::Backend::Postgres => POSTGRES,
    };
    let (total, items): (i64, String) = sqlx::query_as(sql)
        .bind(user_id)
        .bind(limit)
        .bind(offset)
        .fetch_one(pool)
        .await?;
    Ok((items, total))
}

/// How many runs the user keeps.
pub async fn count_activities(pool: &Pool, user_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM activities WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(pool)
        .await
}

/// Deletes the user's run and its public link, in one transaction; returns its SHA-256 and
/// whether any run (of anyone) still keeps that original, or `None` when the user has no such
/// run. The reference count is read in the same transaction as the delete.
pub async fn delete_activity(
    pool: &Pool,
    user_id: i64,
    id: &str,
) -> Result<Option<(String, bool)>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM shares WHERE user_id = $1 AND activity_id = $2")
        .bind(user_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let sha256: Option<String> = sqlx::query_scalar(
        "DELETE FROM activities WHERE user_id = $1 AND id = $2 RETURNING sha256",
    )
    .bind(user_id)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(sha256) = sha256 else {
        tx.rollback().await?;
        return Ok(None);
    };
    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM activities WHERE sha256 = $1")
        .bind(&sha256)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Some((sha256, kept > 0)))
}

/// Every run of the user, oldest upload first (for export and sync).
pub async fn all_activities(pool: &Pool, user_id: i64) -> Result<Vec<ActivityRow>, sqlx::Error> {
    sqlx::query_as(select!("WHERE user_id = $1 ORDER BY created_at, id"))
        .bind(user_id)
        .fetch_all(pool)
        .await
}

/// How many runs, of any user, keep the original with this SHA-256.
pub async fn count_by_sha256(pool: &Pool, sha256: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM activities WHERE sha256 = $1")
        .bind(sha256)
        .fetch_one(pool)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::db::testing;

    fn run<'a>(id: &'a str, user_id: i64, sha: &'a str, start: Option<&'a str>) -> NewActivity<'a> {
        NewActivity {
            id,
            user_id,
            sha256: sha,
            size_bytes: 1234,
            format: "fit",
            start_time: start,
            summary: "{\"format\":\"fit\"}",
            created_at: 100,
            name: None,
        }
    }

    #[tokio::test]
    async fn same_bytes_twice_is_one_row_per_user() {
        for (backend, pool) in testing::pools().await {
            let (ada, grace) = testing::two_users(&pool).await;

            let (first, new) =
                insert_activity(&pool, &run("r1", ada, "aa", Some("2024-05-01T07:00:00Z")))
                    .await
                    .unwrap();
            assert!(new, "{backend}");
            assert_eq!(first.id, "r1");
            assert_eq!(first.start_time.as_deref(), Some("2024-05-01T07:00:00Z"));
            assert_eq!(first.size_bytes, 1234);
            let (again, new) = insert_activity(&pool, &run("r2", ada, "aa", None))
                .await
                .unwrap();
            assert!(!new, "{backend}");
            assert_eq!(again, first, "the first row stays, {backend}");
            // Another user with the same file gets their own row (one object in the store).
            let (theirs, new) = insert_activity(&pool, &run("g1", grace, "aa", None))
                .await
                .unwrap();
            assert!(new && theirs.id == "g1", "{backend}");
            assert_eq!(count_by_sha256(&pool, "aa").await.unwrap(), 2, "{backend}");
            assert_eq!(count_activities(&pool, ada).await.unwrap(), 1, "{backend}");
            assert_eq!(
                find_by_sha256(&pool, ada, "aa").await.unwrap().unwrap().id,
                "r1"
            );
            assert_eq!(
                find_by_sha256(&pool, ada, "bb").await.unwrap(),
                None,
                "{backend}"
            );
        }
    }

    #[tokio::test]
    async fn listed_newest_first_found_and_deleted_by_owner_only() {
        for (backend, pool) in testing::pools().await {
            let (ada, grace) = testing::two_users(&pool).await;
            for (id, sha, start) in [
                ("old", "s1", Some("2023-01-01T00:00:00Z")),
                ("none", "s2", None),
                ("new", "s3", Some("2024-06-01T00:00:00Z")),
                ("mid", "s4", Some("2023-06-01T00:00:00Z")),
            ] {
                insert_activity(&pool, &run(id, ada, sha, start))
                    .await
                    .unwrap();
            }
            let ids = |rows: Vec<ActivityRow>| rows.into_iter().map(|r| r.id).collect::<Vec<_>>();
            assert_eq!(
                ids(list_activities(&pool, ada, 10, 0).await.unwrap()),
                ["new", "mid", "old", "none"],
                "{backend}"
            );
            assert_eq!(
                ids(list_activities(&pool, ada, 2, 1).await.unwrap()),
                ["mid", "old"],
                "{backend}"
            );
            assert!(
                list_activities(&pool, grace, 10, 0)
                    .await
                    .unwrap()
                    .is_empty()
            );
            // The API's page in one row: the same order, the rows' own values, the total.
            for (limit, offset) in [(10, 0), (2, 1), (3, 3), (5, 9)] {
                let (items, total) = list_page_json(&pool, ada, limit, offset).await.unwrap();
                assert_eq!(total, 4, "{backend}");
                let page: serde_json::Value = serde_json::from_str(&format!("[{items}]"))
                    .unwrap_or_else(|e| {
                        panic!("{backend}: not JSON ({e}): {items}");
                    });
                let rows = list_activities(&pool, ada, limit, offset).await.unwrap();
                let expected: Vec<serde_json::Value> = rows
                    .iter()
                    .map(|r| {
                        serde_json::json!({
                            "id": r.id,
                            "sha256": r.sha256,
                            "size_bytes": r.size_bytes,
                            "uploaded_at": r.created_at,
                            "summary": serde_json::from_str::<serde_json::Value>(&r.summary).unwrap(),
                        })
                    })
                    .collect();
                assert_eq!(
                    page,
                    serde_json::Value::Array(expected),
                    "{backend} {limit} {offset}"
                );
            }
            assert_eq!(
                list_page_json(&pool, grace, 10, 0).await.unwrap(),
                (String::new(), 0)
            );

            assert_eq!(
                find_activity(&pool, grace, "new").await.unwrap(),
                None,
                "{backend}"
            );
            assert_eq!(
                find_activity(&pool, ada, "new")
                    .await
                    .unwrap()
                    .unwrap()
                    .sha256,
                "s3"
            );
            assert_eq!(
                delete_activity(&pool, grace, "new").await.unwrap(),
                None,
                "{backend}"
            );
            assert_eq!(
                delete_activity(&pool, ada, "new").await.unwrap(),
                Some(("s3".to_string(), false))
            );
            assert_eq!(
                find_activity(&pool, ada, "new").await.unwrap(),
                None,
                "{backend}"
            );
            assert_eq!(count_activities(&pool, ada).await.unwrap(), 3, "{backend}");
        }
    }
}
