//! The in-process limiter: one keyed `governor` GCRA limiter per bucket.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

use super::{Bucket, Decision, Key};
use crate::config::RateLimits;

/// Forget idle keys every this many checks, so memory follows active clients.
const CLEANUP_EVERY: u64 = 10_000;

type Keyed =
    RateLimiter<Key, DefaultKeyedStateStore<Key>, DefaultClock, StateInformationMiddleware>;

pub struct LocalLimiter {
    /// One per bucket, in the order of `Bucket::ALL`.
    limiters: Vec<Keyed>,
    checks: AtomicU64,
    clock: DefaultClock,
}

impl LocalLimiter {
    pub fn new(limits: &RateLimits) -> LocalLimiter {
        let limiters = Bucket::ALL
            .into_iter()
            .map(|bucket| {
                let per_minute =
                    NonZeroU32::new(bucket.per_minute(limits)).unwrap_or(NonZeroU32::MIN);
                RateLimiter::keyed(Quota::per_minute(per_minute))
                    .with_middleware::<StateInformationMiddleware>()
            })
            .collect();
        LocalLimiter {
            limiters,
            checks: AtomicU64::new(0),
            clock: DefaultClock::default(),
        }
    }

    pub fn check(&self, bucket: Bucket, key: Key, per_minute: u32) -> Decision {
        let Some(limiter) = self.limiters.get(bucket.index()) else {
            return Decision {
                allowed: true,
                limit: per_minute,
                remaining: per_minute,
                reset: Duration::ZERO,
                retry_after: Duration::ZERO,
            };
        };
        if self.checks.fetch_add(1, Ordering::Relaxed) % CLEANUP_EVERY == CLEANUP_EVERY - 1 {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
        let interval = Duration::from_secs(60) / per_minute.max(1);
        match limiter.check_key(&key) {
            Ok(snapshot) => {
                let remaining = snapshot.remaining_burst_capacity();
                Decision {
                    allowed: true,
                    limit: per_minute,
                    remaining,
                    reset: interval * per_minute.saturating_sub(remaining),
                    retry_after: Duration::ZERO,
                }
            }
            Err(not_until) => {
                let wait = not_until.wait_time_from(self.clock.now());
                Decision {
                    allowed: false,
                    limit: per_minute,
                    remaining: 0,
                    reset: interval * per_minute,
                    retry_after: wait,
                }
            }
        }
    }
}
