use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

use super::db::Pool;
use super::network::Network;
use super::originals::Originals;
use super::rate_limit::{SignInLimiter, SignUpLimiter};
use super::token_cache::TokenCache;
use super::uploads::DEFAULT_MAX_UPLOAD_BYTES;
use crate::models::MapTiles;

/// What every request handler and server function can reach.
#[derive(Clone, Debug, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: Pool,
    pub originals: Originals,
    pub limits: Limits,
    /// Permits for uploads under way ([`Limits::concurrent_uploads`]).
    pub uploads: Arc<tokio::sync::Semaphore>,
    pub sign_in_limiter: Arc<SignInLimiter>,
    pub sign_up_limiter: Arc<SignUpLimiter>,
    /// Which peers are proxies whose forwarding headers name the client.
    pub network: Arc<Network>,
    pub token_cache: Arc<TokenCache>,
    /// The run map's background; `None` draws routes without tiles.
    pub map_tiles: Option<MapTiles>,
}

/// Limits set by the self-hoster.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The largest upload accepted, bytes.
    pub max_upload_bytes: usize,
    /// Uploads received and analysed at once; more answer 503 with `Retry-After`. Each may
    /// hold `max_upload_bytes` in memory.
    pub concurrent_uploads: usize,
    /// The longest an upload's body may take to arrive.
    pub upload_timeout: Duration,
    /// The longest an upload's body may send nothing.
    pub upload_idle: Duration,
}

/// Uploads at once, by default.
pub const DEFAULT_CONCURRENT_UPLOADS: usize = 8;

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_upload_bytes: DEFAULT_MAX_UPLOAD_BYTES,
            concurrent_uploads: DEFAULT_CONCURRENT_UPLOADS,
            upload_timeout: Duration::from_secs(300),
            upload_idle: Duration::from_secs(30),
        }
    }
}

impl AppState {
    /// The state with other limits (and as many upload permits as they allow).
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.uploads = Arc::new(tokio::sync::Semaphore::new(
            limits.concurrent_uploads.max(1),
        ));
        self.limits = limits;
        self
    }

    /// A state with the default limits.
    pub fn new(leptos_options: LeptosOptions, pool: Pool, originals: Originals) -> Self {
        Self {
            leptos_options,
            pool,
            originals,
            limits: Limits::default(),
            uploads: Arc::new(tokio::sync::Semaphore::new(DEFAULT_CONCURRENT_UPLOADS)),
            sign_in_limiter: Arc::new(SignInLimiter::default()),
            sign_up_limiter: Arc::new(SignUpLimiter::default()),
            network: Arc::new(Network::default()),
            token_cache: Arc::new(TokenCache::default()),
            map_tiles: Some(MapTiles::openstreetmap()),
        }
    }
}
