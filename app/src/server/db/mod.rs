//! The database. SQLite (WAL) in the data folder by default. Each query is one plain async function
//! over a pool, so tests call it directly on a fresh database.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

/// Accounts.
pub mod users;
pub use users::{NewUser, UserRow};

/// The schema, embedded in the binary from `migrations/sqlite`.
pub static MIGRATOR: Migrator = sqlx::migrate!("../migrations/sqlite");

/// The database file inside the data folder.
pub const DATABASE_FILE: &str = "stride.db";

/// Opens (creating if need be) `stride.db` in `data_dir`, which is created too.
pub async fn open(data_dir: &Path) -> Result<SqlitePool, sqlx::Error> {
    std::fs::create_dir_all(data_dir)?;
    let options = SqliteConnectOptions::new()
        .filename(data_dir.join(DATABASE_FILE))
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
}

/// A private in-memory database with the schema applied, for tests. One connection that never
/// closes: each new in-memory connection would be a new, empty database.
pub async fn open_in_memory() -> Result<SqlitePool, sqlx::Error> {
    let options = SqliteConnectOptions::from_str("sqlite::memory:")?.foreign_keys(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .min_connections(1)
        .idle_timeout(None)
        .max_lifetime(None)
        .connect_with(options)
        .await?;
    MIGRATOR.run(&pool).await?;
    Ok(pool)
}

/// Applies the migrations not yet applied; returns how many there were.
pub async fn migrate(pool: &SqlitePool) -> Result<usize, sqlx::migrate::MigrateError> {
    let applied_before = applied_migrations(pool).await.unwrap_or(0);
    MIGRATOR.run(pool).await?;
    let applied_after = applied_migrations(pool).await.unwrap_or(applied_before);
    Ok(applied_after.saturating_sub(applied_before))
}

async fn applied_migrations(pool: &SqlitePool) -> Result<usize, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
        .fetch_one(pool)
        .await?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// A round trip to the database, for health checks.
pub async fn ping(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT 1").execute(pool).await.map(|_| ())
}

/// Whether an error is a UNIQUE constraint refusing a duplicate.
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_unique_violation())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn file_database_uses_wal_and_migrates_once() {
        let dir = std::env::temp_dir().join(format!("stride-db-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let pool = open(&dir.join("nested")).await.unwrap();
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(mode, "wal");
        assert_eq!(migrate(&pool).await.unwrap(), MIGRATOR.iter().count());
        assert_eq!(
            migrate(&pool).await.unwrap(),
            0,
            "a second run applies nothing"
        );
        ping(&pool).await.unwrap();
        pool.close().await;
        assert!(dir.join("nested").join(DATABASE_FILE).is_file());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
