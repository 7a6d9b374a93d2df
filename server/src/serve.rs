//! `stride serve` and `stride migrate`.

use std::path::Path;

use app::server::db::Pool;
use app::server::{AppState, Limits, Originals, db};
use axum::serve::ListenerExt;
use leptos::config::Env;
use leptos::prelude::LeptosOptions;

use crate::{ServeArgs, StorageArgs};

/// The name cargo-leptos gives the built files: `/pkg/stride.js`, `.wasm`, `.css`.
const OUTPUT_NAME: &str = "stride";

/// Opens the database (PostgreSQL from `--database-url`, else stride.db in the data folder) and
/// applies pending migrations.
pub async fn open_database(storage: &StorageArgs) -> Result<Pool, String> {
    let (pool, name) = match &storage.database_url {
        Some(url) => {
            let name = redact(url);
            let pool = db::connect(url)
                .await
                .map_err(|e| format!("cannot connect to the database {name}: {e}"))?;
            (pool, name)
        }
        None => {
            let path = storage.data.join(db::DATABASE_FILE);
            let name = path.display().to_string();
            let pool = db::open(&storage.data)
                .await
                .map_err(|e| format!("cannot open the database {name}: {e}"))?;
            (pool, name)
        }
    };
    let applied = db::migrate(&pool)
        .await
        .map_err(|e| format!("cannot migrate the database {name}: {e}"))?;
    tracing::info!(database = %name, applied, "database ready");
    Ok(pool)
}

/// A database URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.split_once("://"), url.rfind('@')) {
        (Some((scheme, rest)), Some(at)) if at > scheme.len() => {
            let user = rest[..at - scheme.len() - 3]
                .split(':')
                .next()
                .unwrap_or("");
            format!("{scheme}://{user}@{}", &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

/// Opens the store of originals that the options name.
pub fn open_originals(storage: &StorageArgs) -> Result<Originals, String> {
    match storage.originals.as_deref() {
        Some(url) if url.starts_with("s3://") => Originals::s3(url),
        Some(dir) => Originals::local(Path::new(dir)),
        None => Originals::local(&storage.data.join("originals")),
    }
}

pub async fn migrate_only(storage: &StorageArgs) -> Result<(), String> {
    let pool = open_database(storage).await?;
    fill_api_pieces(&pool).await?;
    pool.close().await;
    Ok(())
}

/// Deflates the upload API's piece of every run kept before migration 0006 (pieces that say
/// their run's place in the list).
async fn fill_api_pieces(pool: &Pool) -> Result<(), String> {
    let filled = db::activities::fill_api_pieces(pool)
        .await
        .map_err(|e| format!("cannot store the runs' gzip pieces: {e}"))?;
    if filled > 0 {
        tracing::info!(
            runs = filled,
            "stored the gzip pieces of runs kept before them"
        );
    }
    Ok(())
}

/// How often expired sessions are deleted (and once at start).
const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// Deletes expired sessions now and every [`SWEEP_EVERY`], in the background.
fn sweep_sessions(pool: Pool) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(SWEEP_EVERY);
        loop {
            every.tick().await;
            match app::server::session::sweep_expired(&pool).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(sessions = n, "deleted expired sessions"),
                Err(e) => tracing::warn!("cannot delete expired sessions: {e}"),
            }
        }
    })
}

pub async fn run(args: ServeArgs) -> Result<(), String> {
    let map_tiles = app::models::MapTiles::configure(
        &args.map_tiles,
        args.map_attribution.as_deref(),
        args.map_max_zoom,
    )
    .map_err(|e| e.to_string())?;
    let pool = open_database(&args.storage).await?;
    fill_api_pieces(&pool).await?;
    let originals = open_originals(&args.storage)?;
    warn_if_site_missing(&args.site_root);

    let leptos_options = LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(args.site_root.to_string_lossy().as_ref())
        .site_pkg_dir("pkg")
        .site_addr(args.addr)
        .env(if cfg!(debug_assertions) {
            Env::DEV
        } else {
            Env::PROD
        })
        .build();
    let mut state = AppState::new(leptos_options, pool.clone(), originals);
    state.map_tiles = map_tiles;
    state.network = std::sync::Arc::new(app::server::Network {
        trusted_proxies: args.trusted_proxies.clone(),
        public_origin: args.public_url.clone(),
    });
    let state = state.with_limits(Limits {
        max_upload_bytes: args.max_upload_mb.saturating_mul(1_000_000),
        concurrent_uploads: args.max_concurrent_uploads.max(1),
        upload_timeout: std::time::Duration::from_secs(args.upload_timeout_s.max(1)),
        ..Limits::default()
    });
    sweep_sessions(pool.clone());
    let router = crate::routes::router(state);

    let listener = listen(args.addr)
        .map_err(|e| format!("cannot listen on {}: {e}", args.addr))?
        // An answer goes out whole at once, not held back waiting for the last one's ACK.
        .tap_io(|tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::debug!("cannot set TCP_NODELAY: {e}");
            }
        });
    tracing::info!(
        "Stride {} listening on http://{}",
        env!("CARGO_PKG_VERSION"),
        args.addr
    );
    // The peer address is what sign-in rate limiting counts per address.
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| format!("server error: {e}"))?;
    pool.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Listens on `addr` with room for 1,024 connections not yet accepted. The usual 128 (what
/// `TcpListener::bind` asks for) overflowed when 200 clients connected at once: the kernel
/// drops the SYNs it has no room for, and each of those clients waits a second to try again.
fn listen(addr: std::net::SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(1024)
}

/// A self-hoster who forgot the build sees why the pages are unstyled and inert.
fn warn_if_site_missing(site_root: &Path) {
    let wasm = site_root.join("pkg").join(format!("{OUTPUT_NAME}.wasm"));
    if !wasm.is_file() {
        tracing::warn!(
            "{} is missing: pages will render but not hydrate. Build the site with \
             `cargo leptos build --release` (or use scripts/run), or pass --site-root",
            wasm.display()
        );
    }
}

/// Resolves on Ctrl-C or SIGTERM; in-flight requests then finish before the server stops.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!("cannot listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::error!("cannot listen for SIGTERM: {e}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn two_hundred_clients_connect_at_once_without_waiting_for_a_retry() {
        let listener = listen("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = listener.local_addr().unwrap();
        // Nothing accepts: every connection waits in the listen queue. A dropped SYN would
        // be sent again only after a second, past the timeout.
        let clients = tokio::task::spawn_blocking(move || {
            (0..200)
                .map(|i| {
                    std::net::TcpStream::connect_timeout(
                        &addr,
                        std::time::Duration::from_millis(500),
                    )
                    .map_err(|e| format!("client {i}: {e}"))
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .await
        .unwrap();
        assert_eq!(clients.map(|c| c.len()), Ok(200));
        drop(listener);
    }

    #[tokio::test]
    async fn the_server_deletes_expired_sessions_when_it_starts() {
        for (backend, pool) in db::testing::pools().await {
            let ada = db::testing::user(&pool, "ada").await;
            let old = db::SessionRow {
                id_hash: "0".repeat(64),
                user_id: ada,
                created_at: 1,
                expires_at: 2,
            };
            db::sessions::create_session(&pool, &old).await.unwrap();
            // Asked as of a moment before it expired, the row answers while it is there.
            let there = || db::sessions::session_user(&pool, &old.id_hash, 1);
            assert_eq!(there().await.unwrap(), Some(ada), "{backend}");
            let sweeper = sweep_sessions(pool.clone());
            let mut found = Some(ada);
            for _ in 0..100 {
                found = there().await.unwrap();
                if found.is_none() {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            sweeper.abort();
            assert_eq!(found, None, "{backend}");
        }
    }

    #[test]
    fn database_urls_lose_their_password_in_messages() {
        assert_eq!(
            redact("postgres://stride:s3cret@db.example:5432/stride"),
            "postgres://stride@db.example:5432/stride"
        );
        assert_eq!(
            redact("postgres://db.example/stride"),
            "postgres://db.example/stride"
        );
    }
}
