//! The owners of recently used personal access tokens, kept in memory for a few seconds so
//! that a busy client (a phone syncing, a tool listing pages) costs no token query per request.
//! Only tokens found valid are kept, by their SHA-256. Revoking a token or deleting an account
//! in this process forgets its entries at once; a revocation in another process (the `stride
//! token revoke` command, another server on the same PostgreSQL) takes effect within
//! [`TOKEN_CACHE_SECONDS`].

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a token's owner is trusted without asking the database.
pub const TOKEN_CACHE_SECONDS: u64 = 10;
/// Entries kept at most; when full, the cache starts again empty.
const MAX_ENTRIES: usize = 10_000;

/// Token hash → (owner, when it was looked up).
#[derive(Debug, Default)]
pub struct TokenCache {
    entries: Mutex<HashMap<String, (i64, Instant)>>,
}

impl TokenCache {
    /// The owner of the token with this hash, if it was found valid less than
    /// [`TOKEN_CACHE_SECONDS`] before `now`.
    pub fn get(&self, token_hash: &str, now: Instant) -> Option<i64> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(token_hash)
            .filter(|(_, at)| now.duration_since(*at) < Duration::from_secs(TOKEN_CACHE_SECONDS))
            .map(|(user, _)| *user)
    }

    /// Remembers a token found valid at `now`.
    pub fn put(&self, token_hash: &str, user_id: i64, now: Instant) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(token_hash.to_string(), (user_id, now));
    }

    /// Forgets every token of a user (a token revoked, the account deleted).
    pub fn forget_user(&self, user_id: i64) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.retain(|_, (user, _)| *user != user_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_are_forgotten_per_user() {
        let cache = TokenCache::default();
        let t0 = Instant::now();
        assert_eq!(cache.get("a", t0), None);
        cache.put("a", 1, t0);
        cache.put("b", 2, t0);
        cache.put("c", 1, t0);
        assert_eq!(cache.get("a", t0 + Duration::from_secs(9)), Some(1));
        assert_eq!(
            cache.get("a", t0 + Duration::from_secs(10)),
            None,
            "expired"
        );
        cache.forget_user(1);
        assert_eq!(cache.get("a", t0), None);
        assert_eq!(cache.get("c", t0), None);
        assert_eq!(cache.get("b", t0), Some(2));
        for i in 0..MAX_ENTRIES + 1 {
            cache.put(&i.to_string(), 3, t0);
        }
        assert!(cache.entries.lock().unwrap().len() <= MAX_ENTRIES);
    }
}
