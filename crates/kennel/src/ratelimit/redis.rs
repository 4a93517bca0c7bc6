//! The shared limiter: GCRA in one Lua script, so the read-modify-write is
//! atomic and every instance uses the same clock (Redis's `TIME`).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, Client, Script};
use sha2::{Digest, Sha256};
use tokio::sync::Mutex;

use super::{Bucket, Decision, Key, REDIS_BACKOFF};

/// KEYS[1]: the key. ARGV[1]: emission interval (ms). ARGV[2]: burst.
/// Returns {allowed, remaining, retry_after_ms, reset_ms}.
const GCRA: &str = r#"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local new_tat = tat + interval
local allow_at = new_tat - burst * interval
if now < allow_at then
  return {0, 0, allow_at - now, tat - now}
end
redis.call('SET', KEYS[1], new_tat, 'PX', new_tat - now)
return {1, math.floor((now - allow_at) / interval), 0, new_tat - now}
"#;

/// Failures of a key, GCRA capped at a full burst ahead (see `failures.rs`).
/// KEYS[1]: the key. ARGV[1]: interval (ms). ARGV[2]: burst. ARGV[3]: 1 to
/// count a failure, 0 to only ask. Returns how far (ms) the key's theoretical
/// arrival time is past now, after the count.
const FAILURES: &str = r#"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
if ARGV[3] == '1' then
  tat = math.min(tat + interval, now + burst * interval)
  redis.call('SET', KEYS[1], tat, 'PX', math.max(tat - now, 1))
end
return tat - now
"#;

/// A Redis call slower than this counts as a failure.
const TIMEOUT: Duration = Duration::from_millis(250);

#[derive(Clone)]
pub struct RedisLimiter {
    client: Client,
    connection: Arc<Mutex<Option<MultiplexedConnection>>>,
    script: Arc<Script>,
    failures: Arc<Script>,
    /// Unix millis until which Redis is bypassed after a failure.
    down_until: Arc<AtomicU64>,
    /// Whether the last call worked, to log outages and recoveries once.
    healthy: Arc<AtomicBool>,
}

fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

impl RedisLimiter {
    /// Parses the URL; the connection is made on first use (and re-made after
    /// failures), so a Redis that is down at start-up does not stop the API.
    pub fn new(url: &str) -> anyhow::Result<RedisLimiter> {
        Ok(RedisLimiter {
            client: Client::open(url)?,
            connection: Arc::new(Mutex::new(None)),
            script: Arc::new(Script::new(GCRA)),
            failures: Arc::new(Script::new(FAILURES)),
            down_until: Arc::new(AtomicU64::new(0)),
            healthy: Arc::new(AtomicBool::new(true)),
        })
    }

    async fn connection(&self) -> redis::RedisResult<MultiplexedConnection> {
        let mut slot = self.connection.lock().await;
        if let Some(connection) = slot.as_ref() {
            return Ok(connection.clone());
        }
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(TIMEOUT))
            .set_response_timeout(Some(TIMEOUT));
        let connection = self
            .client
            .get_multiplexed_async_connection_with_config(&config)
            .await?;
        *slot = Some(connection.clone());
        Ok(connection)
    }

    /// The shared decision, or `None` when Redis cannot give one now.
    pub async fn check(&self, bucket: Bucket, key: Key, per_minute: u32) -> Option<Decision> {
        let interval_ms = (60_000 / u64::from(per_minute.max(1))).max(1);
        let (allowed, remaining, retry_ms, reset_ms) = self
            .run::<(i64, i64, i64, i64)>(
                &self.script,
                bucket,
                key,
                &[interval_ms, per_minute.into()],
            )
            .await?;
        Some(Decision {
            allowed: allowed == 1,
            limit: per_minute,
            remaining: remaining.clamp(0, i64::from(per_minute)) as u32,
            reset: Duration::from_millis(reset_ms.max(0) as u64),
            retry_after: Duration::from_millis(retry_ms.max(0) as u64),
        })
    }

    /// Asks whether `key` may try now (`charge` false) or counts one failure
    /// (`charge` true); `None` when Redis cannot answer now.
    pub async fn failures(
        &self,
        bucket: Bucket,
        key: Key,
        per_minute: u32,
        charge: bool,
    ) -> Option<Decision> {
        let interval = super::failures::interval(per_minute);
        let interval_ms = (interval.as_millis() as u64).max(1);
        let ahead_ms = self
            .run::<i64>(
                &self.failures,
                bucket,
                key,
                &[interval_ms, per_minute.into(), u64::from(charge)],
            )
            .await?;
        Some(super::failures::decide(
            Duration::from_millis(ahead_ms.max(0) as u64),
            per_minute,
        ))
    }

    /// Runs `script` on the key of `bucket` and `key`, with a deadline; after
    /// a failure Redis is left alone for `REDIS_BACKOFF`.
    async fn run<T: redis::FromRedisValue>(
        &self,
        script: &Script,
        bucket: Bucket,
        key: Key,
        args: &[u64],
    ) -> Option<T> {
        if now_millis() < self.down_until.load(Ordering::Relaxed) {
            return None;
        }
        // Hashed: Redis never holds an IP address or a user id.
        let digest = hex::encode(&Sha256::digest(key.to_string().as_bytes())[..12]);
        let redis_key = format!("kennel:rl:{}:{digest}", bucket.name());
        let call = async {
            let mut connection = self.connection().await?;
            let mut invocation = script.key(&redis_key);
            for arg in args {
                invocation.arg(*arg);
            }
            invocation.invoke_async::<T>(&mut connection).await
        };
        let result = match tokio::time::timeout(TIMEOUT * 2, call).await {
            Ok(result) => result,
            Err(_) => Err(redis::RedisError::from((redis::ErrorKind::Io, "timed out"))),
        };
        match result {
            Ok(value) => {
                if !self.healthy.swap(true, Ordering::Relaxed) {
                    tracing::info!("Redis rate limiting recovered; limits are shared again");
                }
                Some(value)
            }
            Err(error) => {
                self.down_until.store(
                    now_millis() + REDIS_BACKOFF.as_millis() as u64,
                    Ordering::Relaxed,
                );
                *self.connection.lock().await = None;
                if self.healthy.swap(false, Ordering::Relaxed) {
                    tracing::warn!(error = %error, "Redis rate limiting failed; using per-instance limits");
                } else {
                    tracing::debug!(error = %error, "Redis rate limiting still failing");
                }
                metrics::counter!("rate_limit_redis_failures_total").increment(1);
                None
            }
        }
    }
}
