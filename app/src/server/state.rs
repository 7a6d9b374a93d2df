use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

use super::db::Pool;
use super::originals::Originals;
use super::rate_limit::SignInLimiter;
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
    pub sign_in_limiter: Arc<SignInLimiter>,
    pub token_cache: Arc<TokenCache>,
    /// The run map's background; `None` draws routes without tiles.
    pub map_tiles: Option<MapTiles>,
}

/// Limits set by the self-hoster.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The largest upload accepted, bytes.
    pub max_upload_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_upload_bytes: DEFAULT_MAX_UPLOAD_BYTES,
        }
    }
}

impl AppState {
    /// A state with the default limits.
    pub fn new(leptos_options: LeptosOptions, pool: Pool, originals: Originals) -> Self {
        Self {
            leptos_options,
            pool,
            originals,
            limits: Limits::default(),
            sign_in_limiter: Arc::new(SignInLimiter::default()),
            token_cache: Arc::new(TokenCache::default()),
            map_tiles: Some(MapTiles::openstreetmap()),
        }
    }
}
