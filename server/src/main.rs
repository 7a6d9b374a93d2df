//! `stride`: serves the app (the default) and holds the subcommands for admins and scripts.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use tracing_subscriber::EnvFilter;

/// mimalloc instead of glibc's malloc: the server allocates per request on many threads
/// (tokio's workers and sqlx's SQLite workers), where glibc's arenas contended.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod accounts;
mod analyze;
mod api;
mod predict;
mod routes;
mod serve;

/// Stride: a training portal for runners.
#[derive(Debug, Parser)]
#[command(name = "stride", version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// With no subcommand, `stride` serves with these options.
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the app (the default).
    Serve(ServeArgs),
    /// Create the database if needed, apply pending migrations, and exit.
    Migrate(StorageArgs),
    /// Decode and analyse FIT, GPX and TCX files; print a table or JSON.
    Analyze(analyze::AnalyzeArgs),
    /// Predict a race time from race results or from a folder of activities.
    Predict(predict::PredictArgs),
    /// Manage accounts.
    #[command(subcommand)]
    User(accounts::UserCommand),
    /// Manage personal access tokens for the upload API.
    #[command(subcommand)]
    Token(accounts::TokenCommand),
}

/// Where Stride keeps its data.
#[derive(Debug, Clone, Args)]
struct StorageArgs {
    /// Folder holding the database (stride.db) and stored files; created on first run.
    #[arg(long, value_name = "DIR", env = "STRIDE_DATA", default_value = "data")]
    data: PathBuf,
    /// A PostgreSQL database to use instead of stride.db (postgres://USER:PASS@HOST/DB).
    #[arg(long, value_name = "URL", env = "DATABASE_URL")]
    database_url: Option<String>,
    /// Where originals are kept: a folder (default DIR/originals) or s3://BUCKET (credentials,
    /// region and endpoint from the AWS_* variables).
    #[arg(long, value_name = "DIR_OR_URL", env = "STRIDE_ORIGINALS")]
    originals: Option<String>,
}

#[derive(Debug, Clone, Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(
        long,
        value_name = "HOST:PORT",
        env = "STRIDE_ADDR",
        default_value = "127.0.0.1:3000"
    )]
    addr: SocketAddr,
    #[command(flatten)]
    storage: StorageArgs,
    /// The largest upload accepted, in megabytes (10^6 bytes).
    #[arg(
        long,
        value_name = "MB",
        env = "STRIDE_MAX_UPLOAD_MB",
        default_value_t = 50
    )]
    max_upload_mb: usize,
    /// Uploads received and analysed at once (each may hold up to the largest upload in
    /// memory); more are answered 503 with Retry-After.
    #[arg(
        long,
        value_name = "N",
        env = "STRIDE_MAX_CONCURRENT_UPLOADS",
        default_value_t = app::server::state::DEFAULT_CONCURRENT_UPLOADS
    )]
    max_concurrent_uploads: usize,
    /// The longest an upload's body may take to arrive, in seconds (one that sends nothing for
    /// 30 seconds is dropped sooner); 408 after it.
    #[arg(
        long = "upload-timeout",
        value_name = "SECONDS",
        env = "STRIDE_UPLOAD_TIMEOUT",
        default_value_t = 300
    )]
    upload_timeout_s: u64,
    /// The address browsers reach Stride at, when it is not the listening one (behind a
    /// reverse proxy): https://stride.example.org. With https, cookies are Secure and
    /// `__Host-` prefixed; state-changing requests must come from this origin.
    #[arg(long, value_name = "URL", env = "STRIDE_PUBLIC_URL", value_parser = app::server::network::public_origin)]
    public_url: Option<String>,
    /// A reverse proxy (address or block, e.g. 10.0.0.0/8; repeat or separate by commas) whose
    /// `Forwarded` / `X-Forwarded-For` names the client, for the sign-in and sign-up limits.
    /// Without it those headers are ignored and the TCP peer is the client.
    #[arg(
        long = "trusted-proxy",
        value_name = "CIDR",
        env = "STRIDE_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    trusted_proxies: Vec<app::server::network::Cidr>,
    /// The run map's background: a raster tile address with {z}, {x} and {y}, or "none" to
    /// draw routes without tiles (then no runner's browser asks a third party for tiles).
    #[arg(
        long,
        value_name = "URL",
        env = "STRIDE_MAP_TILES",
        default_value = app::models::MapTiles::OPENSTREETMAP_URL
    )]
    map_tiles: String,
    /// The attribution the tile source's licence asks for (HTML; OpenStreetMap's by default).
    #[arg(long, value_name = "HTML", env = "STRIDE_MAP_ATTRIBUTION")]
    map_attribution: Option<String>,
    /// The deepest zoom level the tile source serves.
    #[arg(
        long,
        value_name = "LEVEL",
        env = "STRIDE_MAP_MAX_ZOOM",
        default_value_t = 19
    )]
    map_max_zoom: u8,
    /// Folder of the built site (`cargo leptos build --release` writes target/site).
    #[arg(
        long,
        value_name = "DIR",
        env = "LEPTOS_SITE_ROOT",
        default_value = "target/site"
    )]
    site_root: PathBuf,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Analysis and prediction need neither logs on the terminal nor an async runtime.
    let command = match cli.command {
        Some(Command::Analyze(args)) => {
            return match analyze::run(&args) {
                Ok(()) => ExitCode::SUCCESS,
                // `stride analyze … | head` closes the pipe early: not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("stride: cannot write the output: {e}");
                    ExitCode::FAILURE
                }
            };
        }
        Some(Command::Predict(args)) => {
            return match predict::run(&args) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("stride: {e}");
                    ExitCode::FAILURE
                }
            };
        }
        other => other,
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        // Standard output is for results only (`stride token create` prints the token there).
        .with_writer(std::io::stderr)
        .init();

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            tracing::error!("cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match command {
            None => serve::run(cli.serve).await,
            Some(Command::Serve(args)) => serve::run(args).await,
            Some(Command::Migrate(storage)) => serve::migrate_only(&storage).await,
            Some(Command::User(command)) => accounts::user(command).await,
            Some(Command::Token(command)) => accounts::token(command).await,
            // Ran above, before the runtime.
            Some(Command::Analyze(_) | Command::Predict(_)) => Ok(()),
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("stride: {e}");
            ExitCode::FAILURE
        }
    }
}
