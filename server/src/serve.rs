//! `stride serve` and `stride migrate`.

use std::path::Path;

use app::server::{AppState, db};
use leptos::config::Env;
use leptos::prelude::LeptosOptions;
use sqlx::SqlitePool;

use crate::{ServeArgs, StorageArgs};

/// The name cargo-leptos gives the built files: `/pkg/stride.js`, `.wasm`, `.css`.
const OUTPUT_NAME: &str = "stride";

/// Opens the database in the data folder and applies pending migrations.
async fn open_database(storage: &StorageArgs) -> Result<SqlitePool, String> {
    let path = storage.data.join(db::DATABASE_FILE);
    let pool = db::open(&storage.data)
        .await
        .map_err(|e| format!("cannot open the database {}: {e}", path.display()))?;
    let applied = db::migrate(&pool)
        .await
        .map_err(|e| format!("cannot migrate the database {}: {e}", path.display()))?;
    tracing::info!(database = %path.display(), applied, "database ready");
    Ok(pool)
}

pub async fn migrate_only(storage: &StorageArgs) -> Result<(), String> {
    let pool = open_database(storage).await?;
    pool.close().await;
    Ok(())
}

pub async fn run(args: ServeArgs) -> Result<(), String> {
    let pool = open_database(&args.storage).await?;
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
    let state = AppState {
        leptos_options,
        pool: pool.clone(),
    };
    let router = crate::routes::router(state);

    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.addr))?;
    tracing::info!(
        "Stride {} listening on http://{}",
        env!("CARGO_PKG_VERSION"),
        args.addr
    );
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| format!("server error: {e}"))?;
    pool.close().await;
    tracing::info!("stopped");
    Ok(())
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
