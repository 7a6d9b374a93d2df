//! Fresh, migrated databases for tests: always a private in-memory SQLite, and a new database in
//! the PostgreSQL cluster that `STRIDE_TEST_POSTGRES_URL` names (scripts/test starts a throwaway
//! one). Without that variable the PostgreSQL half is skipped, loudly, unless
//! `STRIDE_REQUIRE_POSTGRES=1` says it must run, in which case the test fails.

use std::sync::atomic::{AtomicUsize, Ordering};

use sqlx::Executor;

use super::{Backend, POSTGRES_MIGRATOR, Pool, connect, open_in_memory};

/// The variable naming an administrative URL of a PostgreSQL cluster for tests.
pub const POSTGRES_URL_VAR: &str = "STRIDE_TEST_POSTGRES_URL";

/// A user named `name` (email `name@example.org`, no usable password), for tests that need a
/// row to hang sessions, tokens or runs on; answers its id.
pub async fn user(pool: &Pool, name: &str) -> i64 {
    let user = super::NewUser {
        username: name,
        email: &format!("{name}@example.org"),
        password_hash: "unused",
        created_at: 1,
    };
    super::users::create_user(pool, &user)
        .await
        .expect("a test user is created")
}

/// One fresh database per backend available: SQLite always, PostgreSQL when configured.
pub async fn pools() -> Vec<(Backend, Pool)> {
    let mut pools = vec![(
        Backend::Sqlite,
        open_in_memory().await.expect("in-memory SQLite opens"),
    )];
    if let Some(url) = postgres_url().await {
        sqlx::any::install_default_drivers();
        let pool = sqlx::any::AnyPoolOptions::new()
            .max_connections(4)
            .connect(&url)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to {url}: {e}"));
        POSTGRES_MIGRATOR
            .run(&pool)
            .await
            .unwrap_or_else(|e| panic!("cannot migrate {url}: {e}"));
        pools.push((Backend::Postgres, pool));
    }
    pools
}

/// The URL of a new, empty (unmigrated) PostgreSQL database, or `None` (with a loud warning)
/// when no cluster is configured.
pub async fn postgres_url() -> Option<String> {
    match std::env::var(POSTGRES_URL_VAR) {
        Ok(url) if !url.is_empty() => Some(fresh_postgres(&url).await),
        _ => {
            assert!(
                std::env::var("STRIDE_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "STRIDE_REQUIRE_POSTGRES=1 but {POSTGRES_URL_VAR} is not set"
            );
            eprintln!(
                "WARNING: {POSTGRES_URL_VAR} is not set: the PostgreSQL half of this test is \
                 SKIPPED (scripts/test starts a cluster and runs it)"
            );
            None
        }
    }
}

/// Creates a new, empty database in the cluster; returns its URL.
async fn fresh_postgres(admin_url: &str) -> String {
    static SEQ: AtomicUsize = AtomicUsize::new(0);
    let name = format!(
        "stride_test_{}_{}_{}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed),
        hex::encode(rand::random::<[u8; 4]>())
    );
    let admin = connect(admin_url)
        .await
        .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {admin_url}: {e}"));
    admin
        .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .unwrap_or_else(|e| panic!("cannot create database {name}: {e}"));
    admin.close().await;
    let mut url = admin_url
        .parse::<sqlx::any::AnyConnectOptions>()
        .unwrap_or_else(|e| panic!("{POSTGRES_URL_VAR} is not a database URL: {e}"))
        .database_url;
    url.set_path(&name);
    url.to_string()
}

/// Two accounts, "ada" and "grace", for tests of who sees what; their ids.
pub async fn two_users(pool: &Pool) -> (i64, i64) {
    use super::users::{NewUser, create_user};
    let user = NewUser {
        username: "ada",
        email: "a@x.org",
        password_hash: "h",
        created_at: 1,
    };
    let ada = create_user(pool, &user).await.expect("ada");
    let grace = create_user(
        pool,
        &NewUser {
            username: "grace",
            email: "g@x.org",
            ..user
        },
    )
    .await
    .expect("grace");
    (ada, grace)
}
