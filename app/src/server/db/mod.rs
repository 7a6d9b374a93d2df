//! The database: SQLite (WAL) in the data folder by default, or PostgreSQL from a
//! `postgres://` URL, through the same code. Each query is one plain async function over a
//! [`Pool`], so tests call it directly on a fresh database of each kind.
//!
//! Both databases go through sqlx's `Any` driver: one pool type, one text per query. The SQL is
//! written in the part both dialects share (`$1` placeholders, which SQLite accepts too,
//! `RETURNING`, `lower()`), and values are only integers, text and bytes, which is all `Any`
//! carries. Each database has its own migrations folder with the same tables.

use std::path::Path;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{AnyPool, ConnectOptions, Connection, Executor};

/// Accounts.
pub mod users;
pub use users::{NewUser, UserRow};

/// Server-side sessions of signed-in browsers.
pub mod sessions;
pub use sessions::SessionRow;

/// Personal access tokens for the upload API.
pub mod tokens;
pub use tokens::TokenRow;

/// Runs kept on the server.
pub mod activities;
pub use activities::{ActivityRow, NewActivity};

/// Public links to runs.
pub mod shares;
pub use shares::ShareRow;

/// Two-factor sign-in: TOTP secrets, recovery codes, sign-ins waiting for their second factor.
pub mod two_factor;
pub use two_factor::TotpRow;

/// Fresh databases of both kinds for tests (this crate's, and the server's through the
/// `testing` feature); not in a production build.
#[cfg(any(test, feature = "testing"))]
pub mod testing;

/// The pool every query takes: SQLite or PostgreSQL behind sqlx's `Any` driver.
pub type Pool = AnyPool;

/// The schema for SQLite, embedded in the binary from `migrations/sqlite`.
pub static SQLITE_MIGRATOR: Migrator = sqlx::migrate!("../migrations/sqlite");
/// The same schema for PostgreSQL, from `migrations/postgres`.
pub static POSTGRES_MIGRATOR: Migrator = sqlx::migrate!("../migrations/postgres");

/// The database file inside the data folder.
pub const DATABASE_FILE: &str = "stride.db";

/// Which database a pool talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend of a pool, from its URL.
    pub fn of(pool: &Pool) -> Self {
        if pool
            .connect_options()
            .database_url
            .scheme()
            .starts_with("postgres")
        {
            Self::Postgres
        } else {
            Self::Sqlite
        }
    }

    /// The migrations of this backend.
    pub fn migrator(self) -> &'static Migrator {
        match self {
            Self::Sqlite => &SQLITE_MIGRATOR,
            Self::Postgres => &POSTGRES_MIGRATOR,
        }
    }
}

impl std::fmt::Display for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Sqlite => "SQLite",
            Self::Postgres => "PostgreSQL",
        })
    }
}

/// Opens (creating if need be) `stride.db` in `data_dir`, which is created too, in WAL mode.
pub async fn open(data_dir: &Path) -> Result<Pool, sqlx::Error> {
    std::fs::create_dir_all(data_dir)?;
    let path = std::path::absolute(data_dir.join(DATABASE_FILE))?;
    // WAL is a property of the file: set it once with SQLite's own options, which the `Any`
    // driver's URL cannot carry.
    let native = SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal);
    native.connect().await?.close().await?;

    let url = format!("sqlite://{}", path.display());
    sqlx::any::install_default_drivers();
    let options: AnyConnectOptions = url.parse()?;
    AnyPoolOptions::new()
        // Each connection is a thread. On 2 cores under the load test, 4 served the list
        // 4 % faster than 8 (three interleaved rounds, two stops running); 2 were slower.
        // SQLite writes one at a time whatever the count.
        .max_connections(4)
        .acquire_timeout(Duration::from_secs(10))
        // A file's connection cannot drop like a network's, and the check before each use was
        // a round trip to the connection's thread per request (5 % of the server under load).
        .test_before_acquire(false)
        .after_connect(|conn, _| {
            Box::pin(async move { conn.execute(SQLITE_PRAGMAS).await.map(|_| ()) })
        })
        .connect_with(options)
        .await
}

/// Connects to a database URL: `postgres://…` for PostgreSQL (or `sqlite://PATH`).
pub async fn connect(url: &str) -> Result<Pool, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let options: AnyConnectOptions = url.parse()?;
    let sqlite = !options.database_url.scheme().starts_with("postgres");
    AnyPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(10))
        .test_before_acquire(!sqlite)
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if sqlite {
                    conn.execute(SQLITE_PRAGMAS).await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await
}

/// Set on every SQLite connection: foreign keys are off by default in SQLite, per connection.
const SQLITE_PRAGMAS: &str = "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON";

/// A private in-memory SQLite database with the schema applied, for tests. One connection that
/// never closes: each new in-memory connection would be a new, empty database.
pub async fn open_in_memory() -> Result<Pool, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let options: AnyConnectOptions = "sqlite::memory:".parse()?;
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .min_connections(1)
        .idle_timeout(None)
        .max_lifetime(None)
        .after_connect(|conn, _| {
            Box::pin(async move { conn.execute(SQLITE_PRAGMAS).await.map(|_| ()) })
        })
        .connect_with(options)
        .await?;
    SQLITE_MIGRATOR.run(&pool).await?;
    Ok(pool)
}

/// Applies the migrations not yet applied; returns how many there were.
pub async fn migrate(pool: &Pool) -> Result<usize, sqlx::migrate::MigrateError> {
    let applied_before = applied_migrations(pool).await.unwrap_or(0);
    Backend::of(pool).migrator().run(pool).await?;
    let applied_after = applied_migrations(pool).await.unwrap_or(applied_before);
    Ok(applied_after.saturating_sub(applied_before))
}

async fn applied_migrations(pool: &Pool) -> Result<usize, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
        .fetch_one(pool)
        .await?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// A round trip to the database, for health checks.
pub async fn ping(pool: &Pool) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT 1").execute(pool).await.map(|_| ())
}

/// Whether an error is a UNIQUE constraint refusing a duplicate.
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_unique_violation())
}

/// The current time in Unix seconds.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn file_database_uses_wal_and_migrates_once() {
        let dir = std::env::temp_dir().join(format!("stride-db-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let pool = open(&dir.join("nested")).await.unwrap();
        assert_eq!(Backend::of(&pool), Backend::Sqlite);
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(fk, 1);
        assert_eq!(
            migrate(&pool).await.unwrap(),
            SQLITE_MIGRATOR.iter().count()
        );
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

    #[tokio::test]
    async fn both_backends_have_the_same_migrations() {
        let names = |m: &Migrator| {
            m.iter()
                .map(|m| (m.version, m.description.to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&SQLITE_MIGRATOR), names(&POSTGRES_MIGRATOR));
        for (backend, pool) in testing::pools().await {
            ping(&pool).await.unwrap();
            let tables: i64 = sqlx::query_scalar(match backend {
                Backend::Sqlite => {
                    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' \
                     AND name IN ('users', 'sessions', 'api_tokens', 'activities', 'shares', 'totp_secrets', 'recovery_codes', 'sign_in_challenges')"
                }
                Backend::Postgres => {
                    "SELECT COUNT(*) FROM information_schema.tables WHERE table_name \
                     IN ('users', 'sessions', 'api_tokens', 'activities', 'shares', 'totp_secrets', 'recovery_codes', 'sign_in_challenges')"
                }
            })
            .fetch_one(&pool)
            .await
            .unwrap();
            assert_eq!(tables, 8, "{backend}");
        }
    }
}
