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
    let api_gzip = gzip_join::piece(
        api_json(
            new.id,
            new.sha256,
            new.size_bytes,
            new.created_at,
            new.summary,
        )
        .as_bytes(),
    );
    let inserted = sqlx::query(
        "INSERT INTO activities (id, user_id, sha256, size_bytes, format, start_time, summary, \
         created_at, name, api_gzip) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
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
    .bind(api_gzip)
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

/// A run of the upload API's answers, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiItem {
    /// Its [`api_json`] as a [`gzip_join::piece`].
    Gzip(Vec<u8>),
    /// Its [`api_json`].
    Json(String),
}

/// The columns [`api_item`] reads: the piece when gzip is wanted (`$gzip` is "1") and stored,
/// the summary when it is not; written into the statement, so each choice is its own statement.
macro_rules! api_columns {
    ($gzip:literal) => {
        concat!(
            "id, sha256, size_bytes, created_at, \
             CASE WHEN ",
            $gzip,
            " = 0 OR api_gzip IS NULL THEN summary END, \
             CASE WHEN ",
            $gzip,
            " = 1 THEN api_gzip END"
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

fn api_item(
    (id, sha256, size_bytes, created_at, summary, piece): ApiColumns,
    gzip: bool,
) -> ApiItem {
    match piece {
        Some(piece) if gzip => ApiItem::Gzip(piece),
        _ => {
            let json = api_json(
                &id,
                &sha256,
                size_bytes,
                created_at,
                summary.as_deref().unwrap_or(""),
            );
            // A run kept before its piece was stored (see [`fill_api_gzip`]) is deflated now.
            if gzip {
                ApiItem::Gzip(gzip_join::piece(json.as_bytes()))
            } else {
                ApiItem::Json(json)
            }
        }
    }
}

/// A page of runs of the upload API, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiPage {
    /// Each run on its own.
    Items(Vec<ApiItem>),
    /// The runs' pieces laid end to end by the database, commas between, and each piece's
    /// CRC-32 and text length (see [`gzip_join::GzipJoin::joined`]).
    Joined {
        deflate: Vec<u8>,
        texts: Vec<(u32, u32)>,
    },
}

/// A page of the user's runs as the upload API lists them, newest first ([`newest_first!`]),
/// and how many runs the user keeps. The page's rows are read from the order's index, not
/// sorted. With `gzip` the database joins the page's pieces into one value, so a page is one
/// row (each row through sqlx costs a few microseconds); a page holding a run without its
/// piece yet is read run by run.
pub async fn api_page(
    pool: &Pool,
    user_id: i64,
    limit: i64,
    offset: i64,
    gzip: bool,
) -> Result<(ApiPage, i64), sqlx::Error> {
    if gzip && let Some(joined) = api_page_joined(pool, user_id, limit, offset).await? {
        return Ok(joined);
    }
    macro_rules! page {
        ($gzip:literal) => {
            concat!(
                "SELECT (SELECT COUNT(*) FROM activities WHERE user_id = $1), ",
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
    let items = rows
        .into_iter()
        .map(|(_, id, sha256, size, created, summary, piece)| {
            api_item((id, sha256, size, created, summary, piece), gzip)
        })
        .collect();
    Ok((ApiPage::Items(items), total))
}

/// [`api_page`] with gzip as one row: the user's count, the page's count, how many of its runs
/// have no piece, the pieces' deflate bytes joined with [`gzip_join::COMMA`], and their
/// headers (CRC-32 and length) in hex. `None` when a run has no piece.
///
/// On SQLite the aggregates carry no `ORDER BY`: one there sorts the page's pieces through a
/// temporary b-tree, a sixth of the server's time under load. They take the rows in the order
/// the page's co-routine yields them, which SQLite does not promise, so the page also joins each
/// run's place in the order (`row_number()`, read from the same index, no sort) and is used only
/// when those read `offset + 1, offset + 2, …`; otherwise it is read run by run.
async fn api_page_joined(
    pool: &Pool,
    user_id: i64,
    limit: i64,
    offset: i64,
) -> Result<Option<(ApiPage, i64)>, sqlx::Error> {
    const SQLITE: &str = concat!(
        "SELECT (SELECT COUNT(*) FROM activities WHERE user_id = $1), COUNT(*), \
         COALESCE(SUM(CASE WHEN api_gzip IS NULL THEN 1 ELSE 0 END), 0), \
         CAST(group_concat(substr(api_gzip, 9), X'000100FEFF2C') AS BLOB), \
         group_concat(hex(substr(api_gzip, 1, 8)), ''), group_concat(place, ',') \
         FROM (SELECT api_gzip, row_number() OVER (",
        newest_first!(),
        ") AS place FROM activities WHERE user_id = $1 ",
        newest_first!(),
        page_limit!(),
        ") AS page"
    );
    const POSTGRES: &str = concat!(
        "SELECT (SELECT COUNT(*) FROM activities WHERE user_id = $1), COUNT(*), \
         COUNT(*) FILTER (WHERE api_gzip IS NULL), \
         string_agg(substring(api_gzip from 9), decode('000100feff2c', 'hex') ORDER BY \
         start_time DESC NULLS LAST, created_at DESC, id DESC), \
         string_agg(encode(substring(api_gzip from 1 for 8), 'hex'), '' ORDER BY start_time \
         DESC NULLS LAST, created_at DESC, id DESC), NULL::text \
         FROM (SELECT api_gzip, start_time, created_at, id FROM activities WHERE user_id = $1 ",
        newest_first!(),
        page_limit!(),
        ") AS page"
    );
    let sql = match super::Backend::of(pool) {
        super::Backend::Sqlite => SQLITE,
        super::Backend::Postgres => POSTGRES,
    };
    type Joined = (
        i64,
        i64,
        i64,
        Option<Vec<u8>>,
        Option<String>,
        Option<String>,
    );
    let (total, runs, missing, deflate, headers, places): Joined = sqlx::query_as(sql)
        .bind(user_id)
        .bind(limit)
        .bind(offset)
        .fetch_one(pool)
        .await?;
    if missing > 0 {
        return Ok(None);
    }
    if let Some(places) = places
        && !in_order(&places, offset)
    {
        tracing::warn!(user_id, "the database joined a page out of order");
        return Ok(None);
    }
    let texts = parse_headers(headers.as_deref().unwrap_or(""));
    if texts.as_ref().map(Vec::len) != Some(usize::try_from(runs).unwrap_or(usize::MAX)) {
        tracing::error!(user_id, "a stored gzip piece has a broken header");
        return Ok(None);
    }
    Ok(Some((
        ApiPage::Joined {
            deflate: deflate.unwrap_or_default(),
            texts: texts.unwrap_or_default(),
        },
        total,
    )))
}

/// Whether `places` (comma-separated) reads `offset + 1, offset + 2, …`.
fn in_order(places: &str, offset: i64) -> bool {
    places
        .split(',')
        .zip(offset.saturating_add(1)..)
        .all(|(place, want)| place.parse::<i64>() == Ok(want))
}

/// Pieces' headers in hex, 16 digits each (CRC-32 and length, little-endian).
fn parse_headers(hex: &str) -> Option<Vec<(u32, u32)>> {
    if !hex.len().is_multiple_of(16) {
        return None;
    }
    (0..hex.len())
        .step_by(16)
        .map(|at| {
            let word = |from: usize| -> Option<u32> {
                let digits = hex.get(at + from..at + from + 8)?;
                u32::from_str_radix(digits, 16).ok().map(u32::swap_bytes)
            };
            Some((word(0)?, word(8)?))
        })
        .collect()
}

/// The user's run with this id as the upload API shows it ([`api_page`]'s items).
pub async fn api_view(
    pool: &Pool,
    user_id: i64,
    id: &str,
    gzip: bool,
) -> Result<Option<ApiItem>, sqlx::Error> {
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
    Ok(row.map(|row| api_item(row, gzip)))
}

/// Stores the piece of every run kept before pieces were (migration 0005), a few hundred rows
/// at a time; returns how many. `stride serve` calls it at start.
pub async fn fill_api_gzip(pool: &Pool) -> Result<u64, sqlx::Error> {
    let mut filled = 0;
    loop {
        let rows: Vec<(String, String, i64, i64, String)> = sqlx::query_as(
            "SELECT id, sha256, size_bytes, created_at, summary FROM activities \
             WHERE api_gzip IS NULL LIMIT 200",
        )
        .fetch_all(pool)
        .await?;
        if rows.is_empty() {
            return Ok(filled);
        }
        for (id, sha256, size_bytes, created_at, summary) in rows {
            let piece = gzip_join::piece(
                api_json(&id, &sha256, size_bytes, created_at, &summary).as_bytes(),
            );
            filled += sqlx::query(
                "UPDATE activities SET api_gzip = $1 WHERE id = $2 AND api_gzip IS NULL",
            )
            .bind(piece)
            .bind(&id)
            .execute(pool)
            .await?
            .rows_affected();
        }
    }
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

    /// The page as one gzip answer of a JSON array, read back.
    fn gunzip_array(page: &ApiPage) -> Vec<serde_json::Value> {
        use std::io::Read;
        let mut join = crate::server::gzip_join::GzipJoin::with_capacity(1024);
        join.text(b"[");
        match page {
            ApiPage::Joined { deflate, texts } => join.joined(deflate, texts),
            ApiPage::Items(items) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        join.text(b",");
                    }
                    let ApiItem::Gzip(piece) = item else {
                        panic!("JSON when gzip was asked for");
                    };
                    join.piece(piece).unwrap();
                }
            }
        }
        join.text(b"]");
        let mut text = String::new();
        flate2::read::GzDecoder::new(&join.finish()[..])
            .read_to_string(&mut text)
            .unwrap();
        serde_json::from_str(&text).unwrap()
    }

    #[test]
    fn piece_headers_read_from_hex_of_either_case() {
        let header = |crc: u32, len: u32| {
            let mut bytes = crc.to_le_bytes().to_vec();
            bytes.extend_from_slice(&len.to_le_bytes());
            hex::encode(bytes)
        };
        let hex = header(0xdead_beef, 1234) + &header(7, 0).to_uppercase();
        assert_eq!(parse_headers(&hex), Some(vec![(0xdead_beef, 1234), (7, 0)]));
        assert_eq!(parse_headers(""), Some(vec![]));
        assert_eq!(parse_headers("00"), None);
        assert_eq!(parse_headers("zz00000000000000"), None);
    }

    #[test]
    fn places_in_order_start_after_the_offset() {
        assert!(in_order("1,2,3", 0));
        assert!(in_order("41,42", 40));
        assert!(!in_order("1,3,2", 0));
        assert!(!in_order("1,2", 1));
        assert!(!in_order("1,x", 0));
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
            let ids = |page: &ApiPage| -> Vec<String> {
                gunzip_array(page)
                    .iter()
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
                let (joined, total) = api_page(&pool, ada, limit, offset, true).await.unwrap();
                assert!(matches!(joined, ApiPage::Joined { .. }), "{backend}");
                assert_eq!(total, 13, "{backend}");
                let (plain, _) = api_page(&pool, ada, limit, offset, false).await.unwrap();
                let ApiPage::Items(plain) = plain else {
                    panic!("{backend}: plain pages are run by run");
                };
                let plain: Vec<String> = plain
                    .iter()
                    .map(|item| match item {
                        ApiItem::Json(json) => serde_json::from_str::<serde_json::Value>(json)
                            .unwrap()["id"]
                            .as_str()
                            .unwrap()
                            .to_string(),
                        ApiItem::Gzip(_) => panic!("{backend}: gzip when JSON was asked for"),
                    })
                    .collect();
                let listed: Vec<String> = list_activities(&pool, ada, limit, offset)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|row| row.id)
                    .collect();
                assert_eq!(ids(&joined), plain, "{backend} {limit} {offset}");
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
                        "SELECT api_gzip FROM activities WHERE id = $1",
                    )
                    .bind(id)
                    .fetch_one(&pool)
                    .await
                    .unwrap()
                }
            };
            let piece = stored("a").await.expect("a piece at insert");
            sqlx::query("UPDATE activities SET api_gzip = NULL")
                .execute(&pool)
                .await
                .unwrap();
            // Without its piece a run still goes out, deflated now, run by run.
            let (page, _) = api_page(&pool, ada, 10, 0, true).await.unwrap();
            assert!(matches!(page, ApiPage::Items(_)), "{backend}");
            assert_eq!(gunzip_array(&page).len(), 2, "{backend}");
            assert_eq!(fill_api_gzip(&pool).await.unwrap(), 2, "{backend}");
            let (page, _) = api_page(&pool, ada, 10, 0, true).await.unwrap();
            assert!(matches!(page, ApiPage::Joined { .. }), "{backend}");
            assert_eq!(gunzip_array(&page).len(), 2, "{backend}");
            assert_eq!(fill_api_gzip(&pool).await.unwrap(), 0, "{backend}");
            assert_eq!(stored("a").await, Some(piece), "{backend}");
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
                let ApiPage::Items(items) = page else {
                    panic!("{backend}: pieces when JSON was asked for");
                };
                let page = items
                    .iter()
                    .map(|item| match item {
                        ApiItem::Json(json) => serde_json::from_str(json).unwrap(),
                        ApiItem::Gzip(_) => panic!("{backend}: a piece when JSON was asked for"),
                    })
                    .collect::<Vec<serde_json::Value>>();
                assert_eq!(page, expected, "{backend} {limit} {offset}");

                let (page, total) = api_page(&pool, ada, limit, offset, true).await.unwrap();
                assert_eq!(total, 4, "{backend}");
                assert!(matches!(page, ApiPage::Joined { .. }), "{backend}");
                assert_eq!(gunzip_array(&page), expected, "{backend} {limit} {offset}");
            }
            let (page, total) = api_page(&pool, grace, 10, 0, true).await.unwrap();
            assert_eq!((gunzip_array(&page), total), (vec![], 0), "{backend}");

            // One run: the same JSON and piece; another user's is not there.
            let expected = api_json("mid", "s4", 1234, 100, "{\"format\":\"fit\"}");
            assert_eq!(
                api_view(&pool, ada, "mid", false).await.unwrap(),
                Some(ApiItem::Json(expected.clone())),
                "{backend}"
            );
            let Some(piece) = api_view(&pool, ada, "mid", true).await.unwrap() else {
                panic!("{backend}: no run");
            };
            assert_eq!(
                gunzip_array(&ApiPage::Items(vec![piece])),
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
