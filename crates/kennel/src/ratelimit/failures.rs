//! The in-process count of failures per key (failed password checks of an
//! account), for when Redis is not configured or not answering.
//!
//! Unlike the request buckets, which count every request, this one is asked
//! first ("may this key try now?", which costs nothing) and charged only when
//! the attempt fails, so the owner's successful sign-ins never use the budget.
//! It is GCRA with one theoretical arrival time per key, capped at a full
//! burst ahead of now: however many failures arrive at once, the key is free
//! again one interval after the last of them, never locked for longer.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::{Decision, Key};

/// Forget keys whose budget is full again once the map holds this many.
const PRUNE_AT: usize = 10_000;

#[derive(Default)]
pub struct LocalFailures {
    /// When each key's budget is full again (its theoretical arrival time).
    full_at: Mutex<HashMap<Key, Instant>>,
}

/// The GCRA arithmetic shared with the Redis script: `ahead` is how far the
/// key's theoretical arrival time is past now.
pub(super) fn decide(ahead: Duration, per_minute: u32) -> Decision {
    let interval = interval(per_minute);
    let burst = per_minute.max(1);
    let tolerance = interval * (burst - 1);
    if ahead > tolerance {
        return Decision {
            allowed: false,
            limit: burst,
            remaining: 0,
            reset: ahead,
            retry_after: ahead - tolerance,
        };
    }
    let used = ahead.as_nanos().div_ceil(interval.as_nanos().max(1));
    Decision {
        allowed: true,
        limit: burst,
        remaining: burst.saturating_sub(u32::try_from(used).unwrap_or(u32::MAX)),
        reset: ahead,
        retry_after: Duration::ZERO,
    }
}

/// The time one failure takes to be forgiven.
pub(super) fn interval(per_minute: u32) -> Duration {
    Duration::from_secs(60) / per_minute.max(1)
}

impl LocalFailures {
    /// Whether `key` may make an attempt now; counts nothing.
    pub fn peek(&self, key: Key, per_minute: u32) -> Decision {
        let now = Instant::now();
        let full_at = self.full_at.lock().unwrap_or_else(|e| e.into_inner());
        let ahead = full_at
            .get(&key)
            .map(|at| at.saturating_duration_since(now))
            .unwrap_or_default();
        decide(ahead, per_minute)
    }

    /// Counts one failed attempt of `key`.
    pub fn charge(&self, key: Key, per_minute: u32) {
        let now = Instant::now();
        let interval = interval(per_minute);
        let cap = now + interval * per_minute.max(1);
        let mut full_at = self.full_at.lock().unwrap_or_else(|e| e.into_inner());
        if full_at.len() >= PRUNE_AT {
            full_at.retain(|_, at| *at > now);
        }
        let at = full_at.entry(key).or_insert(now);
        *at = ((*at).max(now) + interval).min(cap);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_of_failures_then_one_per_interval_and_never_a_lock() {
        let failures = LocalFailures::default();
        let key = Key::account("ada@example.com");
        for attempt in 0..10 {
            let decision = failures.peek(key, 10);
            assert!(decision.allowed, "attempt {attempt}");
            assert_eq!(decision.remaining, 10 - attempt);
            failures.charge(key, 10);
        }
        let refused = failures.peek(key, 10);
        assert!(!refused.allowed);
        // One failure is forgiven every 6 s.
        assert!(refused.retry_after <= Duration::from_secs(6));
        assert!(refused.retry_after > Duration::from_secs(5));
        // A flood of failures at once (attempts that were let in together)
        // cannot push the key further than one interval of waiting.
        for _ in 0..1_000 {
            failures.charge(key, 10);
        }
        assert!(failures.peek(key, 10).retry_after <= Duration::from_secs(6));
        // Other keys are not affected.
        assert!(failures.peek(Key::account("bob@example.com"), 10).allowed);
    }
}
