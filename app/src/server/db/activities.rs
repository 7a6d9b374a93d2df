use std::ops::Range;

use super::Pool;
use crate::server::gzip_join;

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
    let api_piece = stored_piece(
        new.id,
        new.sha256,
        new.size_bytes,
        new.created_at,
        new.start_time,
        new.summary,
    );
    let inserted = sqlx::query(
        "INSERT INTO activities (id, user_id, sha256, size_bytes, format, start_time, summary, \
         created_at, name, api_piece) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
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
    .bind(api_piece)
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

/// The account that keeps the run `id`, if there is one (for `access::authorize_run`).
pub async fn owner_of(pool: &Pool, id: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT user_id FROM activities WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
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

/// The order of a user's runs: newest start first (runs with no start time last), then newest
/// upload first; the index `activities_user_order` is in this order, so a page is read
/// without sorting.
macro_rules! newest_first {
    () => {
        "ORDER BY start_time DESC NULLS LAST, created_at DESC, id DESC"
    };
}

/// `LIMIT $2 OFFSET $3` that SQLite prepares once. A bare parameter in LIMIT lets its planner
/// read the bound value, and then it prepares the statement again at every run (each binding
/// may change the plan): a parse per request, seen in the profile under load. A cast hides the
/// value from the planner; PostgreSQL reads it the same.
macro_rules! page_limit {
    () => {
        " LIMIT CAST($2 AS BIGINT) OFFSET CAST($3 AS BIGINT)"
    };
}

/// A page of the user's runs, newest first ([`newest_first!`]).
pub async fn list_activities(
    pool: &Pool,
    user_id: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<ActivityRow>, sqlx::Error> {
    sqlx::query_as(concat!(
        select!("WHERE user_id = $1 "),
        newest_first!(),
        page_limit!()
    ))
    .bind(user_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await
}

/// A run as the upload API shows it: `{"id", "sha256", "size_bytes", "uploaded_at",
/// "summary"}`. The summary goes out as the server wrote it (checked to be JSON, not parsed
/// into values and written again); one that is not JSON, which only a damaged database holds,
/// is `null`.
pub fn api_json(id: &str, sha256: &str, size_bytes: i64, created_at: i64, summary: &str) -> String {
    let summary = if serde_json::from_str::<serde::de::IgnoredAny>(summary).is_ok() {
        summary
    } else {
        tracing::error!(%id, "stored summary is not JSON");
        "null"
    };
    format!(
        r#"{{"id":{},"sha256":{},"size_bytes":{size_bytes},"uploaded_at":{created_at},"summary":{summary}}}"#,
        serde_json::Value::from(id),
        serde_json::Value::from(sha256),
    )
}

/// Runs of the upload API's answers, in order, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiRuns {
    /// Each run's [`api_json`] as a [`gzip_join::piece`], at `bytes[range]`.
    Gzip {
        bytes: Vec<u8>,
        pieces: Vec<Range<usize>>,
    },
    /// Each run's [`api_json`].
    Json(Vec<String>),
}

/// What the `api_piece` column holds: the run's place in [`newest_first!`] (a `u16` LE length,
/// then [`place`]), then the [`gzip_join::piece`] of its [`api_json`]. Both are written when the
/// run is kept and never change, as the row does not. A page is these values laid end to end
/// by the database, read back with [`split_stored`].
fn stored_piece(
    id: &str,
    sha256: &str,
    size_bytes: i64,
    created_at: i64,
    start_time: Option<&str>,
    summary: &str,
) -> Vec<u8> {
    let place = place(start_time, created_at, id);
    let piece = gzip_join::piece(api_json(id, sha256, size_bytes, created_at, summary).as_bytes());
    let mut stored = Vec::with_capacity(2 + place.len() + piece.len());
    let length = u16::try_from(place.len()).expect("a place is a few dozen bytes");
    stored.extend_from_slice(&length.to_le_bytes());
    stored.extend_from_slice(&place);
    stored.extend_from_slice(&piece);
    stored
}

/// A run's place in [`newest_first!`] as bytes that compare (byte by byte, shorter first) as
/// SQLite compares the order's columns: no start (0) below a start (1, its text, a 0 byte that
/// no text holds), then the upload time (big-endian with the sign bit flipped), then the id.
/// Newest first is then strictly falling.
fn place(start_time: Option<&str>, created_at: i64, id: &str) -> Vec<u8> {
    let mut place = Vec::with_capacity(start_time.map_or(0, str::len) + id.len() + 10);
    if let Some(start) = start_time {
        place.push(1);
        place.extend_from_slice(start.as_bytes());
    }
    place.push(0);
    place.extend_from_slice(&((created_at as u64) ^ (1 << 63)).to_be_bytes());
    place.extend_from_slice(id.as_bytes());
    place
}

/// Stored values ([`stored_piece`]) laid end to end: where each one's piece is, and whether
/// their places fall strictly (newest first). `None` when they do not read as stored values.
fn split_stored(bytes: &[u8]) -> Option<(Vec<Range<usize>>, bool)> {
    let mut pieces = Vec::new();
    let mut falling = true;
    let mut previous: Option<&[u8]> = None;
    let mut at = 0;
    while at < bytes.len() {
        let length = bytes.get(at..at + 2)?;
        let place_end = at + 2 + usize::from(u16::from_le_bytes([length[0], length[1]]));
        let place = bytes.get(at + 2..place_end)?;
        let end = place_end + gzip_join::piece_len(bytes.get(place_end..)?)?;
        falling &= previous.is_none_or(|previous| place < previous);
        previous = Some(place);
        pieces.push(place_end..end);
        at = end;
    }
    Some((pieces, falling))
}

/// The columns [`api_runs`] reads: the stored piece when gzip is wanted (`$gzip` is "1"), and
/// the summary when it is not or when the run has no piece yet; written into the statement,
/// so each choice is its own statement.
macro_rules! api_columns {
    ($gzip:literal) => {
        concat!(
            "id, sha256, size_bytes, created_at, \
             CASE WHEN ",
            $gzip,
            " = 0 OR api_piece IS NULL THEN summary END, \
             CASE WHEN ",
            $gzip,
            " = 1 THEN api_piece END"
        )
    };
}

type ApiColumns = (String, String, i64, i64, Option<String>, Option<Vec<u8>>);
/// The user's run count, then [`ApiColumns`].
type PageColumns = (
    i64,
    String,
    String,
    i64,
    i64,
    Option<String>,
    Option<Vec<u8>>,
);

/// The runs of [`ApiColumns`] rows. A run kept before its piece was (see [`fill_api_pieces`])
/// is deflated now.
fn api_runs(rows: Vec<ApiColumns>, gzip: bool) -> Result<ApiRuns, sqlx::Error> {
    let json = |(id, sha256, size_bytes, created_at, summary, _): &ApiColumns| {
        api_json(
            id,
            sha256,
            *size_bytes,
            *created_at,
            summary.as_deref().unwrap_or(""),
        )
    };
    if !gzip {
        return Ok(ApiRuns::Json(rows.iter().map(json).collect()));
    }
    let mut bytes = Vec::new();
    let mut pieces = Vec::with_capacity(rows.len());
    for row in &rows {
        let start = bytes.len();
        match &row.5 {
            Some(stored) => match split_stored(stored).as_ref().map(|(p, _)| &p[..]) {
                Some([piece]) => bytes.extend_from_slice(&stored[piece.clone()]),
                // Logged where the error is answered (500).
                _ => {
                    return Err(sqlx::Error::Decode(
                        format!("the stored gzip piece of run {} is broken", row.0).into(),
                    ));
                }
            },
            None => bytes.extend_from_slice(&gzip_join::piece(json(row).as_bytes())),
        }
        pieces.push(start..bytes.len());
    }
    Ok(ApiRuns::Gzip { bytes, pieces })
}

/// A page of the user's runs as the upload API lists them, newest first ([`newest_first!`]),
/// and how many runs the user keeps. The page's rows are read from the order's index, not
/// sorted. With `gzip` the database lays the page's stored pieces end to end in one value, so
/// a page is one row (each row through sqlx costs a few microseconds); a page holding a run
/// without its piece yet is read run by run.
pub async fn api_page(
    pool: &Pool,
    user_id: i64,
    limit: i64,
    offset: i64,
    gzip: bool,
) -> Result<(ApiRuns, i64), sqlx::Error> {
    if gzip && let Some(joined) = api_page_joined(pool, user_id, limit, offset).await? {
        return Ok(joined);
    }
    macro_rules! page {
        ($gzip:literal) => {
            concat!(
                "SELECT COALESCE((SELECT run_count FROM users WHERE id = $1), 0), ",
                api_columns!($gzip),
                " FROM activities WHERE user_id = $1 ",
                newest_first!(),
                page_limit!()
            )
        };
    }
    let sql = if gzip { page!("1") } else { page!("0") };
    let rows: Vec<PageColumns> = sqlx::query_as(sql)
        .bind(user_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await?;
    let total = match rows.first() {
        Some(row) => row.0,
        // Past the end there is no row to carry the count.
        None => count_activities(pool, user_id).await?,
    };
    let rows = rows
        .into_iter()
        .map(|(_, id, sha256, size, created, summary, piece)| {
            (id, sha256, size, created, summary, piece)
        })
        .collect();
    Ok((api_runs(rows, gzip)?, total))
}

/// [`api_page`] with gzip as one row: the user's count, the page's count, how many of its runs
/// have a piece, and their stored values laid end to end. `None` when a run has no piece.
///
/// On SQLite the aggregate carries no `ORDER BY`: one there sorts the page's pieces through a
/// temporary b-tree, a sixth of the server's time under load. It takes the rows in the order
/// the page's co-routine yields them, which SQLite does not promise, so each stored value
/// starts with its run's place in the order and the page is used only when those fall
/// strictly; otherwise it is read run by run. (Asking SQLite for each run's `row_number()`
/// instead cost more than the rest of the query.) PostgreSQL promises the order of
/// `string_agg(… ORDER BY …)`, and compares text by its collation rather than byte by byte.
async fn api_page_joined(
    pool: &Pool,
    user_id: i64,
    limit: i64,
    offset: i64,
) -> Result<Option<(ApiRuns, i64)>, sqlx::Error> {
    const SQLITE: &str = concat!(
        "SELECT COALESCE((SELECT run_count FROM users WHERE id = $1), 0), COUNT(*), \
         COUNT(api_piece), CAST(group_concat(api_piece, '') AS BLOB) \
         FROM (SELECT api_piece FROM activities WHERE user_id = $1 ",
        newest_first!(),
        page_limit!(),
        ") AS page"
    );
    const POSTGRES: &str = concat!(
        "SELECT COALESCE((SELECT run_count FROM users WHERE id = $1), 0), COUNT(*), \
         COUNT(api_piece), string_agg(api_piece, ''::bytea ",
        newest_first!(),
        ") FROM (SELECT api_piece, start_time, created_at, id FROM activities \
         WHERE user_id = $1 ",
        newest_first!(),
        page_limit!(),
        ") AS page"
    );
    let backend = super::Backend::of(pool);
    let sql = match backend {
        super::Backend::Sqlite => SQLITE,
        super::Backend::Postgres => POSTGRES,
    };
    let (total, runs, stored, bytes): (i64, i64, i64, Option<Vec<u8>>) = sqlx::query_as(sql)
        .bind(user_id)
        .bind(limit)
        .bind(offset)
        .fetch_one(pool)
        .await?;
    if stored < runs {
        return Ok(None);
    }
    let bytes = bytes.unwrap_or_default();
    let split = split_stored(&bytes).filter(|(pieces, _)| i64::try_from(pieces.len()) == Ok(runs));
    let Some((pieces, falling)) = split else {
        tracing::error!(user_id, "a stored gzip piece is broken");
        return Ok(None);
    };
    if !falling && backend == super::Backend::Sqlite {
        tracing::warn!(user_id, "the database joined a page out of order");
        return Ok(None);
    }
    Ok(Some((ApiRuns::Gzip { bytes, pieces }, total)))
}

/// The user's run with this id as the upload API shows it ([`api_page`]'s runs).
pub async fn api_view(
    pool: &Pool,
    user_id: i64,
    id: &str,
    gzip: bool,
) -> Result<Option<ApiRuns>, sqlx::Error> {
    macro_rules! view {
        ($gzip:literal) => {
            concat!(
                "SELECT ",
                api_columns!($gzip),
                " FROM activities WHERE user_id = $1 AND id = $2"
            )
        };
    }
    let sql = if gzip { view!("1") } else { view!("0") };
    let row: Option<ApiColumns> = sqlx::query_as(sql)
        .bind(user_id)
        .bind(id)
        .fetch_optional(pool)
        .await?;
    row.map(|row| api_runs(vec![row], gzip)).transpose()
}

/// Stores the piece of every run kept before pieces were, or before they took their present
/// form (migration 0006), a few hundred rows at a time; returns how many. `stride serve`
/// calls it at start.
pub async fn fill_api_pieces(pool: &Pool) -> Result<u64, sqlx::Error> {
    let mut filled = 0;
    loop {
        let rows: Vec<(String, String, i64, i64, Option<String>, String)> = sqlx::query_as(
            "SELECT id, sha256, size_bytes, created_at, start_time, summary FROM activities \
             WHERE api_piece IS NULL LIMIT 200",
        )
        .fetch_all(pool)
        .await?;
        if rows.is_empty() {
            return Ok(filled);
        }
        for (id, sha256, size_bytes, created_at, start_time, summary) in rows {
            let piece = stored_piece(
                &id,
                &sha256,
                size_bytes,
                created_at,
                start_time.as_deref(),
                &summary,
            );
            filled += sqlx::query(
                "UPDATE activities SET api_piece = $1 WHERE id = $2 AND api_piece IS NULL",
            )
            .bind(piece)
            .bind(&id)
            .execute(pool)
            .await?
            .rows_affected();
        }
    }
}

/// How many runs the user keeps (`users.run_count`, kept by triggers on `activities`).
pub async fn count_activities(pool: &Pool, user_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COALESCE((SELECT run_count FROM users WHERE id = $1), 0)")
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
    async fn run_counts_follow_inserts_and_deletes() {
        for (backend, pool) in testing::pools().await {
            let (ada, grace) = testing::two_users(&pool).await;
            let counted = |user: i64| {
                let pool = pool.clone();
                async move {
                    let kept = count_activities(&pool, user).await.unwrap();
                    let rows: i64 =
                        sqlx::query_scalar("SELECT COUNT(*) FROM activities WHERE user_id = $1")
                            .bind(user)
                            .fetch_one(&pool)
                            .await
                            .unwrap();
                    assert_eq!(kept, rows, "run_count against the rows");
                    kept
                }
            };
            for (id, user, sha) in [("a", ada, "s1"), ("b", ada, "s2"), ("c", ada, "s1")] {
                insert_activity(&pool, &run(id, user, sha, None))
                    .await
                    .unwrap();
            }
            insert_activity(&pool, &run("g", grace, "s1", None))
                .await
                .unwrap();
            assert_eq!(
                (counted(ada).await, counted(grace).await),
                (2, 1),
                "{backend}"
            );
            delete_activity(&pool, ada, "a").await.unwrap();
            delete_activity(&pool, ada, "nothing").await.unwrap();
            assert_eq!(counted(ada).await, 1, "{backend}");
            assert_eq!(
                api_page(&pool, ada, 5, 0, true).await.unwrap().1,
                1,
                "{backend}"
            );
            assert_eq!(
                api_page(&pool, ada, 5, 9, false).await.unwrap().1,
                1,
                "{backend}"
            );
            // Deleting an account takes its runs with it; the triggers do not stand in the way.
            sqlx::query("DELETE FROM users WHERE id = $1")
                .bind(grace)
                .execute(&pool)
                .await
                .unwrap();
            assert_eq!(counted(grace).await, 0, "{backend}");
            assert_eq!(counted(ada).await, 1, "{backend}");
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

    /// The runs as one gzip answer of a JSON array, read back.
    fn gunzip_array(runs: &ApiRuns) -> Vec<serde_json::Value> {
        use std::io::Read;
        let ApiRuns::Gzip { bytes, pieces } = runs else {
            panic!("JSON when gzip was asked for");
        };
        let mut join = crate::server::gzip_join::GzipJoin::with_capacity(1024);
        join.text(b"[");
        for (i, piece) in pieces.iter().enumerate() {
            if i > 0 {
                join.text(b",");
            }
            join.piece(&bytes[piece.clone()]).unwrap();
        }
        join.text(b"]");
        let mut text = String::new();
        flate2::read::GzDecoder::new(&join.finish()[..])
            .read_to_string(&mut text)
            .unwrap();
        serde_json::from_str(&text).unwrap()
    }

    /// The runs as JSON, read back.
    fn json_array(runs: &ApiRuns) -> Vec<serde_json::Value> {
        let ApiRuns::Json(runs) = runs else {
            panic!("gzip when JSON was asked for");
        };
        runs.iter()
            .map(|r| serde_json::from_str(r).unwrap())
            .collect()
    }

    #[test]
    fn places_compare_as_the_order_does() {
        // Newest first, as `newest_first!` orders them: each place below the one before.
        let runs = [
            (Some("2024-05-02T07:00:00Z"), 5, "a"),
            (Some("2024-05-02T07:00:00"), 9, "z"),
            (Some("2024-05-01T07:00:00Z"), 100, "b"),
            (Some("2024-05-01T07:00:00Z"), 100, "a"),
            (Some("2024-05-01T07:00:00Z"), -1, "z"),
            (Some(""), 7, "c"),
            (None, i64::MAX, "a"),
            (None, 200, "ab"),
            (None, 200, "a"),
            (None, 0, "b"),
            (None, i64::MIN, "c"),
        ];
        for pair in runs.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            assert!(
                place(a.0, a.1, a.2) > place(b.0, b.1, b.2),
                "{a:?} before {b:?}"
            );
        }
        // Stored values laid end to end split back into their pieces, in order or not.
        let stored = |run: (Option<&str>, i64, &str)| {
            stored_piece(run.2, "sha", 1, run.1, run.0, "{\"n\":1}")
        };
        let laid: Vec<u8> = runs.iter().copied().flat_map(stored).collect();
        let (pieces, falling) = split_stored(&laid).unwrap();
        assert!(falling);
        assert_eq!(pieces.len(), runs.len());
        let runs_back = gunzip_array(&ApiRuns::Gzip {
            bytes: laid.clone(),
            pieces,
        });
        let ids: Vec<&str> = runs_back
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, runs.map(|r| r.2));
        let swapped: Vec<u8> = [runs[3], runs[2]].into_iter().flat_map(stored).collect();
        assert_eq!(
            split_stored(&swapped).map(|(p, f)| (p.len(), f)),
            Some((2, false))
        );
        let same: Vec<u8> = [runs[2], runs[2]].into_iter().flat_map(stored).collect();
        assert_eq!(
            split_stored(&same).map(|(_, f)| f),
            Some(false),
            "not strictly"
        );
        assert_eq!(split_stored(&[]), Some((vec![], true)));
        assert_eq!(split_stored(&laid[..laid.len() - 1]), None, "cut short");
        assert_eq!(split_stored(&[9]), None);
    }

    #[tokio::test]
    async fn joined_pages_keep_the_order_of_the_plain_pages() {
        for (backend, pool) in testing::pools().await {
            let (ada, _) = testing::two_users(&pool).await;
            // Ties on the start (and runs without one) fall back on upload time, then id.
            let starts = [
                Some("2024-05-02T07:00:00Z"),
                None,
                Some("2024-05-01T07:00:00Z"),
            ];
            for i in 0..13 {
                let (id, sha) = (format!("r{i:02}"), format!("s{i}"));
                let summary = format!("{{\"n\":{i}}}");
                let mut new = run(&id, ada, &sha, starts[i % 3]);
                new.summary = &summary;
                new.created_at = 100 + (i as i64 % 2);
                insert_activity(&pool, &new).await.unwrap();
            }
            let ids = |runs: Vec<serde_json::Value>| -> Vec<String> {
                runs.iter()
                    .map(|run| run["id"].as_str().unwrap().to_string())
                    .collect()
            };
            // Newest first: by start (none last), then upload time, then id, all descending.
            let mut order: Vec<(Option<&str>, i64, String)> = (0..13)
                .map(|i| (starts[i % 3], 100 + (i as i64 % 2), format!("r{i:02}")))
                .collect();
            order.sort_by(|a, b| {
                (b.0.is_some(), b.0, b.1, &b.2).cmp(&(a.0.is_some(), a.0, a.1, &a.2))
            });
            let order: Vec<String> = order.into_iter().map(|(_, _, id)| id).collect();
            for (limit, offset) in [(20, 0), (5, 0), (5, 5), (5, 10), (4, 11), (3, 13)] {
                let want = &order[offset.min(13) as usize..(offset + limit).min(13) as usize];
                let Some((joined, total)) =
                    api_page_joined(&pool, ada, limit, offset).await.unwrap()
                else {
                    panic!("{backend}: the page is joined by the database");
                };
                assert_eq!(total, 13, "{backend}");
                let (gzip, _) = api_page(&pool, ada, limit, offset, true).await.unwrap();
                assert_eq!(gzip, joined, "{backend}: api_page takes the joined page");
                let (plain, _) = api_page(&pool, ada, limit, offset, false).await.unwrap();
                let plain = ids(json_array(&plain));
                let listed: Vec<String> = list_activities(&pool, ada, limit, offset)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|row| row.id)
                    .collect();
                assert_eq!(
                    ids(gunzip_array(&joined)),
                    plain,
                    "{backend} {limit} {offset}"
                );
                assert_eq!(plain, listed, "{backend} {limit} {offset}");
                assert_eq!(plain, want, "{backend} {limit} {offset}");
            }
        }
    }

    #[tokio::test]
    async fn runs_kept_before_pieces_are_deflated_on_the_fly_and_filled() {
        for (backend, pool) in testing::pools().await {
            let (ada, _) = testing::two_users(&pool).await;
            for (id, sha) in [("a", "s1"), ("b", "s2")] {
                insert_activity(&pool, &run(id, ada, sha, None))
                    .await
                    .unwrap();
            }
            let stored = |id: &'static str| {
                let pool = pool.clone();
                async move {
                    sqlx::query_scalar::<_, Option<Vec<u8>>>(
                        "SELECT api_piece FROM activities WHERE id = $1",
                    )
                    .bind(id)
                    .fetch_one(&pool)
                    .await
                    .unwrap()
                }
            };
            let piece = stored("a").await.expect("a piece at insert");
            sqlx::query("UPDATE activities SET api_piece = NULL")
                .execute(&pool)
                .await
                .unwrap();
            // Without its piece a run still goes out, deflated now, run by run.
            assert_eq!(api_page_joined(&pool, ada, 10, 0).await.unwrap(), None);
            let (page, _) = api_page(&pool, ada, 10, 0, true).await.unwrap();
            assert_eq!(gunzip_array(&page).len(), 2, "{backend}");
            assert_eq!(fill_api_pieces(&pool).await.unwrap(), 2, "{backend}");
            let Some((joined, _)) = api_page_joined(&pool, ada, 10, 0).await.unwrap() else {
                panic!("{backend}: every run has its piece");
            };
            assert_eq!(gunzip_array(&joined), gunzip_array(&page), "{backend}");
            assert_eq!(fill_api_pieces(&pool).await.unwrap(), 0, "{backend}");
            assert_eq!(stored("a").await, Some(piece), "{backend}");

            // A piece whose place disagrees with its row's (a damaged database): SQLite's page,
            // taken in the order the database yields it, is not trusted and is read run by
            // run; PostgreSQL sorts in the aggregate.
            let (want, _) = api_page(&pool, ada, 10, 0, false).await.unwrap();
            sqlx::query("UPDATE activities SET api_piece = $1 WHERE id = 'b'")
                .bind(stored_piece("b", "s2", 1234, i64::MIN, None, "{}"))
                .execute(&pool)
                .await
                .unwrap();
            let joined = api_page_joined(&pool, ada, 10, 0).await.unwrap();
            assert_eq!(joined.is_some(), backend == super::super::Backend::Postgres);
            let (page, _) = api_page(&pool, ada, 10, 0, true).await.unwrap();
            let ids = |runs: Vec<serde_json::Value>| -> Vec<serde_json::Value> {
                runs.iter().map(|r| r["id"].clone()).collect()
            };
            assert_eq!(
                ids(gunzip_array(&page)),
                ids(json_array(&want)),
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
            // The API's page: the same order, the rows' own values, the total; as JSON and as
            // stored pieces that join into one gzip answer.
            for (limit, offset) in [(10, 0), (2, 1), (3, 3), (5, 9)] {
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
                let (page, total) = api_page(&pool, ada, limit, offset, false).await.unwrap();
                assert_eq!(total, 4, "{backend}");
                assert_eq!(json_array(&page), expected, "{backend} {limit} {offset}");

                let (page, total) = api_page(&pool, ada, limit, offset, true).await.unwrap();
                assert_eq!(total, 4, "{backend}");
                let joined = api_page_joined(&pool, ada, limit, offset).await.unwrap();
                assert_eq!(joined, Some((page.clone(), total)), "{backend}");
                assert_eq!(gunzip_array(&page), expected, "{backend} {limit} {offset}");
            }
            let (page, total) = api_page(&pool, grace, 10, 0, true).await.unwrap();
            assert_eq!((gunzip_array(&page), total), (vec![], 0), "{backend}");

            // One run: the same JSON and piece; another user's is not there.
            let expected = api_json("mid", "s4", 1234, 100, "{\"format\":\"fit\"}");
            assert_eq!(
                api_view(&pool, ada, "mid", false).await.unwrap(),
                Some(ApiRuns::Json(vec![expected.clone()])),
                "{backend}"
            );
            let Some(piece) = api_view(&pool, ada, "mid", true).await.unwrap() else {
                panic!("{backend}: no run");
            };
            assert_eq!(
                gunzip_array(&piece),
                [serde_json::from_str::<serde_json::Value>(&expected).unwrap()]
            );
            assert_eq!(api_view(&pool, grace, "mid", true).await.unwrap(), None);

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
