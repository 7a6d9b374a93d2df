//! Rate limits on password checks and sign-ups, over a sliding window, in this process's memory.
//!
//! A password check **reserves** its attempt before the password is verified and keeps it as a
//! failure unless it succeeds: so requests sent at once cannot all be checked before any of them
//! is counted (check-then-verify-then-record let 40 parallel guesses through where the limit was
//! 5). Attempts are counted per account (its id, whatever was typed to name it; a login that
//! names no account counts under that login) and per client address (see `network`).
//!
//! The counts live in each server process: several processes behind one balancer each allow the
//! limit (still bounding guessing, by the number of processes).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed password checks allowed per account within the window.
pub const PER_ACCOUNT: usize = 5;
/// Failed password checks allowed per address within the window.
pub const PER_ADDRESS: usize = 20;
/// The window of both.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Sign-ups allowed per address within [`SIGN_UP_WINDOW`].
pub const SIGN_UPS_PER_ADDRESS: usize = 10;
/// See [`SIGN_UPS_PER_ADDRESS`].
pub const SIGN_UP_WINDOW: Duration = Duration::from_secs(60 * 60);

/// Whom a password check is for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AccountKey {
    /// An existing account, by id: its username and email share one count.
    Id(i64),
    /// A login that names no account (counted so that guessing names costs as much).
    Unknown(String),
}

impl AccountKey {
    fn key(&self) -> String {
        match self {
            Self::Id(id) => format!("account:#{id}"),
            Self::Unknown(login) => format!("login:{}", login.trim().to_lowercase()),
        }
    }
}

/// Timestamps per key, oldest first.
#[derive(Debug, Default)]
struct Window {
    times: HashMap<String, VecDeque<Instant>>,
}

impl Window {
    /// Drops what is older than `window` under `key` and answers how many remain.
    fn live(&mut self, key: &str, now: Instant, window: Duration) -> usize {
        let Some(times) = self.times.get_mut(key) else {
            return 0;
        };
        while times
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= window)
        {
            times.pop_front();
        }
        times.len()
    }

    /// How long until `key` is under `limit` again (zero when it is).
    fn wait(&mut self, key: &str, limit: usize, now: Instant, window: Duration) -> Duration {
        let n = self.live(key, now, window);
        if n < limit {
            return Duration::ZERO;
        }
        let times = &self.times[key];
        let oldest = times[n - limit];
        window.saturating_sub(now.saturating_duration_since(oldest))
    }

    fn push(&mut self, key: String, now: Instant, window: Duration) {
        self.times.entry(key).or_default().push_back(now);
        // Keep memory bounded under a flood of distinct names or addresses.
        if self.times.len() > 100_000 {
            self.times.retain(|_, t| {
                t.back()
                    .is_some_and(|t| now.saturating_duration_since(*t) < window)
            });
        }
    }

    /// Removes one timestamp `at` under `key`.
    fn remove_one(&mut self, key: &str, at: Instant) {
        if let Some(times) = self.times.get_mut(key)
            && let Some(i) = times.iter().position(|t| *t == at)
        {
            times.remove(i);
        }
    }
}

/// Counts password checks (sign-in, its second step, and the checks of change password, delete
/// account and turning two-factor off).
#[derive(Debug)]
pub struct SignInLimiter {
    attempts: Mutex<Window>,
    per_account: usize,
    per_address: usize,
    window: Duration,
}

impl Default for SignInLimiter {
    fn default() -> Self {
        Self::new(PER_ACCOUNT, PER_ADDRESS, WINDOW)
    }
}

/// A reserved attempt: it counts as failed unless [`SignInLimiter::succeeded`] is called.
#[derive(Debug)]
#[must_use = "an attempt counts as failed unless it is given back on success"]
pub struct Attempt {
    account: String,
    address: String,
    at: Instant,
}

impl SignInLimiter {
    pub fn new(per_account: usize, per_address: usize, window: Duration) -> Self {
        Self {
            attempts: Mutex::new(Window::default()),
            per_account,
            per_address,
            window,
        }
    }

    /// Reserves an attempt for `account` from `address`, counting the attempts under way as
    /// failures; `Err(wait)` when either has used up its attempts, with how long until one is
    /// free.
    pub fn reserve(
        &self,
        account: &AccountKey,
        address: &str,
        now: Instant,
    ) -> Result<Attempt, Duration> {
        let mut attempts = self.attempts.lock().unwrap_or_else(|e| e.into_inner());
        let account = account.key();
        let address = format!("address:{address}");
        let wait = attempts
            .wait(&account, self.per_account, now, self.window)
            .max(attempts.wait(&address, self.per_address, now, self.window));
        if !wait.is_zero() {
            return Err(wait);
        }
        attempts.push(account.clone(), now, self.window);
        attempts.push(address.clone(), now, self.window);
        Ok(Attempt {
            account,
            address,
            at: now,
        })
    }

    /// The attempt was right: the account's count clears, and the attempt no longer counts
    /// against the address.
    pub fn succeeded(&self, attempt: Attempt) {
        let mut attempts = self.attempts.lock().unwrap_or_else(|e| e.into_inner());
        attempts.times.remove(&attempt.account);
        attempts.remove_one(&attempt.address, attempt.at);
    }

    /// The attempt was wrong: it stays counted (the same as dropping it; says so where called).
    pub fn failed(&self, attempt: Attempt) {
        drop(attempt);
    }
}

/// Counts sign-ups per address: each costs a password hash (19 MiB, tens of milliseconds).
#[derive(Debug)]
pub struct SignUpLimiter {
    sign_ups: Mutex<Window>,
    per_address: usize,
    window: Duration,
}

impl Default for SignUpLimiter {
    fn default() -> Self {
        Self::new(SIGN_UPS_PER_ADDRESS, SIGN_UP_WINDOW)
    }
}

impl SignUpLimiter {
    pub fn new(per_address: usize, window: Duration) -> Self {
        Self {
            sign_ups: Mutex::new(Window::default()),
            per_address,
            window,
        }
    }

    /// Counts a sign-up from `address`; `Err(wait)` when the address has used up its sign-ups.
    pub fn reserve(&self, address: &str, now: Instant) -> Result<(), Duration> {
        let mut sign_ups = self.sign_ups.lock().unwrap_or_else(|e| e.into_inner());
        let key = format!("address:{address}");
        let wait = sign_ups.wait(&key, self.per_address, now, self.window);
        if !wait.is_zero() {
            return Err(wait);
        }
        sign_ups.push(key, now, self.window);
        Ok(())
    }
}

/// "Too many failed sign-ins: try again in N minutes." for a wait.
pub fn too_many_message(wait: Duration) -> String {
    let minutes = minutes(wait);
    format!(
        "Too many failed sign-ins: try again in {minutes} minute{}.",
        if minutes == 1 { "" } else { "s" }
    )
}

/// "Too many new accounts from this address: try again in N minutes." for a wait.
pub fn too_many_sign_ups_message(wait: Duration) -> String {
    let minutes = minutes(wait);
    format!(
        "Too many new accounts from this address: try again in {minutes} minute{}.",
        if minutes == 1 { "" } else { "s" }
    )
}

fn minutes(wait: Duration) -> u64 {
    wait.as_secs().div_ceil(60).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_account_then_per_address() {
        let limiter = SignInLimiter::new(3, 5, Duration::from_secs(600));
        let t0 = Instant::now();
        let ada = AccountKey::Id(1);
        for i in 0..3 {
            let attempt = limiter.reserve(&ada, "10.0.0.1", t0 + Duration::from_secs(i));
            limiter.failed(attempt.expect("under the limit"));
        }
        // The account is locked, from any address.
        let later = t0 + Duration::from_secs(60);
        assert_eq!(
            limiter.reserve(&ada, "10.0.0.2", later).unwrap_err(),
            Duration::from_secs(540)
        );
        // The window slides: 600 s after the first failure one attempt is free again.
        assert!(
            limiter
                .reserve(&ada, "10.0.0.2", t0 + Duration::from_secs(600))
                .is_ok()
        );
        // Other accounts from the same address: 2 more failures use up its 5.
        for name in ["grace", "linus"] {
            let key = AccountKey::Unknown(name.into());
            limiter.failed(limiter.reserve(&key, "10.0.0.1", later).unwrap());
        }
        let someone = AccountKey::Unknown("Someone".into());
        assert!(limiter.reserve(&someone, "10.0.0.1", later).is_err());
        let elsewhere = limiter.reserve(&someone, "10.0.0.9", later).unwrap();
        // A right password clears the account and gives the address its attempt back.
        limiter.succeeded(elsewhere);
        let bob = AccountKey::Id(2);
        for _ in 0..3 {
            limiter.failed(limiter.reserve(&bob, "10.0.0.9", later).unwrap());
        }
        let right = limiter
            .reserve(&AccountKey::Id(3), "10.0.0.9", later)
            .unwrap();
        limiter.succeeded(right);
        assert!(
            limiter
                .reserve(&AccountKey::Id(4), "10.0.0.9", later)
                .is_ok()
        );
        assert_eq!(
            too_many_message(Duration::from_secs(540)),
            "Too many failed sign-ins: try again in 9 minutes."
        );
        assert_eq!(
            too_many_message(Duration::from_secs(5)),
            "Too many failed sign-ins: try again in 1 minute."
        );
    }

    #[test]
    fn attempts_under_way_count_before_they_are_checked() {
        // 50 attempts reserved at once (none yet verified): only the limit gets through.
        let limiter = SignInLimiter::default();
        let now = Instant::now();
        let reserved: Vec<_> = (0..50)
            .filter_map(|_| limiter.reserve(&AccountKey::Id(7), "192.0.2.1", now).ok())
            .collect();
        assert_eq!(reserved.len(), PER_ACCOUNT);
    }

    #[test]
    fn unknown_logins_are_counted_case_blind() {
        let limiter = SignInLimiter::new(1, 100, WINDOW);
        let now = Instant::now();
        let a = limiter.reserve(&AccountKey::Unknown(" Nobody".into()), "a", now);
        limiter.failed(a.unwrap());
        assert!(
            limiter
                .reserve(&AccountKey::Unknown("nobody".into()), "b", now)
                .is_err()
        );
    }

    #[test]
    fn sign_ups_per_address() {
        let limiter = SignUpLimiter::new(2, Duration::from_secs(3600));
        let now = Instant::now();
        assert!(limiter.reserve("198.51.100.1", now).is_ok());
        assert!(limiter.reserve("198.51.100.1", now).is_ok());
        assert_eq!(
            limiter.reserve("198.51.100.1", now),
            Err(Duration::from_secs(3600))
        );
        assert!(limiter.reserve("198.51.100.2", now).is_ok());
        assert!(
            limiter
                .reserve("198.51.100.1", now + Duration::from_secs(3600))
                .is_ok()
        );
    }
}
