//! Sign-in rate limiting: failed attempts are counted per account and per address over a sliding
//! window, in this process's memory (several processes each keep their own count; the limit is
//! then per process, still bounding guessing).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed sign-ins allowed per account within the window.
pub const PER_ACCOUNT: usize = 5;
/// Failed sign-ins allowed per address within the window.
pub const PER_ADDRESS: usize = 20;
/// The window.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// Counts failed sign-ins.
#[derive(Debug)]
pub struct SignInLimiter {
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
    per_account: usize,
    per_address: usize,
    window: Duration,
}

impl Default for SignInLimiter {
    fn default() -> Self {
        Self::new(PER_ACCOUNT, PER_ADDRESS, WINDOW)
    }
}

impl SignInLimiter {
    pub fn new(per_account: usize, per_address: usize, window: Duration) -> Self {
        Self {
            failures: Mutex::new(HashMap::new()),
            per_account,
            per_address,
            window,
        }
    }

    fn keys(account: &str, address: &str) -> [String; 2] {
        [
            format!("account:{}", account.to_lowercase()),
            format!("address:{address}"),
        ]
    }

    /// `Err(wait)` when the account or the address has used up its attempts: how long until
    /// the next one is allowed.
    pub fn check(&self, account: &str, address: &str, now: Instant) -> Result<(), Duration> {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let [by_account, by_address] = Self::keys(account, address);
        let mut wait = Duration::ZERO;
        for (key, limit) in [
            (by_account, self.per_account),
            (by_address, self.per_address),
        ] {
            if let Some(times) = failures.get_mut(&key) {
                while times
                    .front()
                    .is_some_and(|t| now.duration_since(*t) >= self.window)
                {
                    times.pop_front();
                }
                if times.len() >= limit {
                    let oldest = times[times.len() - limit];
                    wait = wait.max(self.window - now.duration_since(oldest));
                }
            }
        }
        if wait.is_zero() { Ok(()) } else { Err(wait) }
    }

    /// Counts a failed attempt against both the account and the address.
    pub fn record_failure(&self, account: &str, address: &str, now: Instant) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        for key in Self::keys(account, address) {
            failures.entry(key).or_default().push_back(now);
        }
        // Keep memory bounded under a flood of distinct names.
        if failures.len() > 100_000 {
            let window = self.window;
            failures.retain(|_, t| t.back().is_some_and(|t| now.duration_since(*t) < window));
        }
    }

    /// A successful sign-in clears the account's count (not the address's).
    pub fn record_success(&self, account: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        failures.remove(&format!("account:{}", account.to_lowercase()));
    }
}

/// "Too many failed sign-ins: try again in N minutes." for a wait.
pub fn too_many_message(wait: Duration) -> String {
    let minutes = wait.as_secs().div_ceil(60).max(1);
    format!(
        "Too many failed sign-ins: try again in {minutes} minute{}.",
        if minutes == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_account_then_per_address() {
        let limiter = SignInLimiter::new(3, 5, Duration::from_secs(600));
        let t0 = Instant::now();
        for i in 0..3 {
            assert_eq!(limiter.check("Ada", "10.0.0.1", t0), Ok(()), "attempt {i}");
            limiter.record_failure("Ada", "10.0.0.1", t0 + Duration::from_secs(i));
        }
        // The account is locked, whatever the case or the address.
        let later = t0 + Duration::from_secs(60);
        assert_eq!(
            limiter.check("ADA", "10.0.0.2", later),
            Err(Duration::from_secs(540))
        );
        // The window slides: 600 s after the first failure one attempt is free again.
        assert_eq!(
            limiter.check("ada", "10.0.0.2", t0 + Duration::from_secs(600)),
            Ok(())
        );
        // Other accounts from the same address: 2 more failures use up its 5.
        limiter.record_failure("grace", "10.0.0.1", later);
        limiter.record_failure("linus", "10.0.0.1", later);
        assert!(limiter.check("someone", "10.0.0.1", later).is_err());
        assert_eq!(limiter.check("someone", "10.0.0.9", later), Ok(()));
        limiter.record_success("Ada");
        assert_eq!(limiter.check("ada", "10.0.0.3", later), Ok(()));
        assert_eq!(
            too_many_message(Duration::from_secs(540)),
            "Too many failed sign-ins: try again in 9 minutes."
        );
        assert_eq!(
            too_many_message(Duration::from_secs(5)),
            "Too many failed sign-ins: try again in 1 minute."
        );
    }
}
