//! Rate limiting with GCRA (the generic cell rate algorithm): each bucket allows
//! `limit` requests per minute with a burst of `limit`, per key (client IP or
//! user id).
//!
//! In-process by default (`governor`). With `REDIS_URL`, the decision is made in
//! Redis by one Lua script, so all instances share the same budget. If Redis
//! fails or is slow, the request is decided by the in-process limiter instead
//! and Redis is left alone for a few seconds: a Redis outage loosens limits to
//! per-instance ones, it never fails requests.
//!
//! Wrong passwords per account are counted differently (`may_try` before the
//! check, `count_failure` after a failed one; `failures.rs`), so that only
//! failures use the budget.

mod failures;
mod local;
mod redis;

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use axum::http::HeaderValue;
use uuid::Uuid;

use crate::config::RateLimits;

pub use self::redis::RedisLimiter;
use failures::LocalFailures;
use local::LocalLimiter;

/// The budgets, by name (also the `bucket` label of `rate_limit_rejections_total`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bucket {
    Anonymous,
    User,
    Auth,
    Assistant,
    /// Password checks of one account (sign-in, `current_password`), from
    /// any address: slows down guessing spread over many addresses.
    Account,
}

impl Bucket {
    pub const ALL: [Bucket; 5] = [
        Bucket::Anonymous,
        Bucket::User,
        Bucket::Auth,
        Bucket::Assistant,
        Bucket::Account,
    ];

    /// The bucket's place in `ALL`.
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn name(self) -> &'static str {
        match self {
            Bucket::Anonymous => "anonymous",
            Bucket::User => "user",
            Bucket::Auth => "auth",
            Bucket::Assistant => "assistant",
            Bucket::Account => "account",
        }
    }

    pub fn per_minute(self, limits: &RateLimits) -> u32 {
        match self {
            Bucket::Anonymous => limits.anonymous,
            Bucket::User => limits.user,
            Bucket::Auth => limits.auth,
            Bucket::Assistant => limits.assistant,
            Bucket::Account => limits.account,
        }
    }
}

/// Whose budget a request is counted against: the signed-in user, or the
/// client's address. Copied, hashed and compared without allocating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    Ip(IpAddr),
    User(Uuid),
    /// An account by its email address, hashed (SHA-256, first 16 bytes): the
    /// address itself is never kept, and an address without an account is
    /// counted the same way, so the limit reveals nothing.
    Account([u8; 16]),
}

impl Key {
    /// The key of the account with this (already normalised) email address.
    pub fn account(email: &str) -> Key {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(format!("kennel-account:{email}").as_bytes());
        let mut key = [0u8; 16];
        key.copy_from_slice(&digest[..16]);
        Key::Account(key)
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Ip(ip) => write!(f, "ip:{ip}"),
            Key::User(id) => write!(f, "user:{id}"),
            Key::Account(hash) => write!(f, "account:{}", hex::encode(hash)),
        }
    }
}

/// The outcome of one check, with what the `RateLimit` headers report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    /// When the budget is full again.
    pub reset: Duration,
    /// When a rejected request may be retried.
    pub retry_after: Duration,
}

/// How long Redis is bypassed after it failed.
const REDIS_BACKOFF: Duration = Duration::from_secs(2);

#[derive(Clone)]
pub struct RateLimiter {
    limits: RateLimits,
    local: std::sync::Arc<LocalLimiter>,
    failures: std::sync::Arc<LocalFailures>,
    redis: Option<RedisLimiter>,
    /// Each bucket's `RateLimit-Policy` header value, in the order of `Bucket::ALL`.
    policies: std::sync::Arc<[HeaderValue]>,
}

impl RateLimiter {
    pub fn new(limits: RateLimits, redis: Option<RedisLimiter>) -> RateLimiter {
        let policies = Bucket::ALL
            .into_iter()
            .map(|bucket| {
                let value = format!(
                    "\"{}\";q={};w=60",
                    bucket.name(),
                    bucket.per_minute(&limits)
                );
                HeaderValue::try_from(value)
                    .expect("bucket names and numbers are valid header text")
            })
            .collect();
        RateLimiter {
            limits,
            local: std::sync::Arc::new(LocalLimiter::new(&limits)),
            failures: std::sync::Arc::default(),
            redis,
            policies,
        }
    }

    /// The `RateLimit-Policy` header value of `bucket`: its name, quota and window
    /// (`"anonymous";q=300;w=60`).
    pub fn policy_header(&self, bucket: Bucket) -> HeaderValue {
        self.policies[bucket.index()].clone()
    }

    pub fn shared(&self) -> bool {
        self.redis.is_some()
    }

    /// Counts one request of `key` against `bucket`.
    pub async fn check(&self, bucket: Bucket, key: Key) -> Decision {
        let per_minute = bucket.per_minute(&self.limits);
        if let Some(redis) = &self.redis {
            // Boxed: the Redis call's future is large, and without Redis it would
            // still enlarge every request's future.
            if let Some(decision) = Box::pin(redis.check(bucket, key, per_minute)).await {
                return decision;
            }
        }
        self.local.check(bucket, key, per_minute)
    }

    /// Whether `key` may make an attempt counted in `bucket` by its failures
    /// (`count_failure`); asking counts nothing.
    pub async fn may_try(&self, bucket: Bucket, key: Key) -> Decision {
        let per_minute = bucket.per_minute(&self.limits);
        if let Some(redis) = &self.redis {
            if let Some(decision) = Box::pin(redis.failures(bucket, key, per_minute, false)).await {
                return decision;
            }
        }
        self.failures.peek(key, per_minute)
    }

    /// Counts one failed attempt of `key` in `bucket`.
    pub async fn count_failure(&self, bucket: Bucket, key: Key) {
        let per_minute = bucket.per_minute(&self.limits);
        if let Some(redis) = &self.redis {
            if Box::pin(redis.failures(bucket, key, per_minute, true))
                .await
                .is_some()
            {
                return;
            }
        }
        self.failures.charge(key, per_minute);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_bucket_indexes_its_place_in_all() {
        for (place, bucket) in Bucket::ALL.into_iter().enumerate() {
            assert_eq!(bucket.index(), place, "{}", bucket.name());
        }
    }
}
