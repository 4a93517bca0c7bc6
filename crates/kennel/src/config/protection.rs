//! The settings of the protective layers and optional integrations: rate
//! limits, client-IP trust, timeouts and load shedding, the LLM provider, Redis,
//! metrics and error tracking. Read by `Config::from_env`.

use std::net::IpAddr;
use std::time::Duration;

use url::Url;

use super::{parse_number, parse_seconds, parse_url, ConfigError, Env, Secret};

/// A CIDR range of proxy addresses whose `X-Forwarded-For` entries are trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    network: IpAddr,
    prefix: u8,
}

impl IpRange {
    pub fn parse(raw: &str) -> Option<IpRange> {
        let (address, prefix) = match raw.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (raw, None),
        };
        let network: IpAddr = address.trim().parse().ok()?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p.trim().parse::<u8>().ok().filter(|p| *p <= max)?,
            None => max,
        };
        Some(IpRange { network, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
            v4 => v4,
        };
        match (self.network, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl std::fmt::Display for IpRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

/// Requests per minute for each rate-limit bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    /// Anonymous callers, per client IP.
    pub anonymous: u32,
    /// Signed-in callers, per user.
    pub user: u32,
    /// Login and registration, per client IP (password guessing).
    pub auth: u32,
    /// The assistant, per user (or IP): each call costs money.
    pub assistant: u32,
    /// Password checks per account, from any address (guessing from many).
    pub account: u32,
}

#[derive(Debug, Clone)]
pub struct Protection {
    pub rate_limits: RateLimits,
    /// Proxies whose `X-Forwarded-For` is believed; empty: the socket peer is the client.
    pub trusted_proxies: Vec<IpRange>,
    /// Whole-request budget; longer requests get 503.
    pub request_timeout: Duration,
    /// Requests served at once; more are shed with 503 + `Retry-After`.
    pub max_concurrent_requests: usize,
    /// Refuse plain-HTTP requests and send HSTS (outside `local`).
    pub https_only: bool,
    /// The request line and headers must arrive within this; also how long an
    /// idle kept-alive connection stays open.
    pub header_read_timeout: Duration,
    /// An ordinary request's body must arrive within this.
    pub body_read_timeout: Duration,
    /// A photo upload's body must arrive within this.
    pub upload_read_timeout: Duration,
    /// A response write that makes no progress for this long (the client
    /// stopped reading) closes the connection.
    pub write_stall_timeout: Duration,
    /// Open connections at most; `None`: derived from the descriptor limit.
    pub max_connections: Option<usize>,
    /// Photo uploads read and converted at once (each up to 40 MB buffered).
    pub max_concurrent_uploads: usize,
}

/// An OpenAI-compatible Chat Completions provider.
#[derive(Debug, Clone)]
pub struct LlmSettings {
    pub base_url: Url,
    pub api_key: Secret,
    pub model: String,
    /// Assistant questions one user may ask per day.
    pub daily_quota: u32,
    /// The whole budget of one answer, including a retry.
    pub timeout: Duration,
    /// How long the circuit breaker stays open before probing the provider again.
    pub breaker_cool_down: Duration,
}

pub(super) fn protection(env: &Env, deployed: bool) -> Result<Protection, ConfigError> {
    let rate_limits = RateLimits {
        anonymous: parse_number(env, "RATE_LIMIT_ANONYMOUS_PER_MINUTE", 300, 1..=100_000_000)?,
        user: parse_number(env, "RATE_LIMIT_USER_PER_MINUTE", 600, 1..=100_000_000)?,
        auth: parse_number(env, "RATE_LIMIT_AUTH_PER_MINUTE", 10, 1..=100_000_000)?,
        assistant: parse_number(env, "RATE_LIMIT_ASSISTANT_PER_MINUTE", 6, 1..=100_000_000)?,
        account: parse_number(env, "RATE_LIMIT_ACCOUNT_PER_MINUTE", 10, 1..=100_000_000)?,
    };
    let mut trusted_proxies = Vec::new();
    if let Some(raw) = env.get("TRUSTED_PROXIES")? {
        for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            trusted_proxies.push(IpRange::parse(part).ok_or_else(|| {
                ConfigError::new(
                    "TRUSTED_PROXIES",
                    format!("'{part}' is not an IP address or CIDR range"),
                )
            })?);
        }
    }
    Ok(Protection {
        rate_limits,
        trusted_proxies,
        request_timeout: parse_seconds(env, "REQUEST_TIMEOUT_SECONDS", 25, 1..=300)?,
        max_concurrent_requests: parse_number(env, "MAX_CONCURRENT_REQUESTS", 80usize, 1..=10_000)?,
        header_read_timeout: parse_seconds(env, "HEADER_READ_TIMEOUT_SECONDS", 10, 1..=300)?,
        body_read_timeout: parse_seconds(env, "BODY_READ_TIMEOUT_SECONDS", 10, 1..=300)?,
        upload_read_timeout: parse_seconds(env, "UPLOAD_READ_TIMEOUT_SECONDS", 20, 1..=300)?,
        write_stall_timeout: parse_seconds(env, "WRITE_STALL_TIMEOUT_SECONDS", 15, 1..=300)?,
        max_connections: match env.get("MAX_CONNECTIONS")? {
            None => None,
            Some(_) => Some(parse_number(
                env,
                "MAX_CONNECTIONS",
                1024usize,
                16..=1_000_000,
            )?),
        },
        max_concurrent_uploads: parse_number(env, "MAX_CONCURRENT_UPLOADS", 2usize, 1..=64)?,
        https_only: match env.get("HTTPS_ONLY")?.as_deref() {
            None => deployed,
            Some("true") => true,
            Some("false") if deployed => {
                return Err(ConfigError::new(
                    "HTTPS_ONLY",
                    "cannot be false outside APP_ENV=local",
                ))
            }
            Some("false") => false,
            Some(other) => {
                return Err(ConfigError::new(
                    "HTTPS_ONLY",
                    format!("'{other}' is not true or false"),
                ))
            }
        },
    })
}

pub(super) fn llm(env: &Env) -> Result<Option<LlmSettings>, ConfigError> {
    let base_url = env.get("LLM_BASE_URL")?;
    let api_key = env.get("LLM_API_KEY")?;
    let model = env.get("LLM_MODEL")?;
    let daily_quota = parse_number(env, "ASSISTANT_DAILY_QUOTA", 50u32, 1..=100_000)?;
    let timeout = parse_seconds(env, "LLM_TIMEOUT_SECONDS", 8, 1..=60)?;
    let breaker_cool_down = parse_seconds(env, "LLM_BREAKER_COOL_DOWN_SECONDS", 30, 1..=600)?;
    match (base_url, api_key, model) {
        (None, None, None) => Ok(None),
        (Some(base_url), Some(api_key), Some(model)) => Ok(Some(LlmSettings {
            base_url: parse_url("LLM_BASE_URL", &base_url)?,
            api_key: Secret::new(api_key),
            model,
            daily_quota,
            timeout,
            breaker_cool_down,
        })),
        (base_url, api_key, _) => {
            let missing = if base_url.is_none() {
                "LLM_BASE_URL"
            } else if api_key.is_none() {
                "LLM_API_KEY"
            } else {
                "LLM_MODEL"
            };
            Err(ConfigError::new(
                missing,
                "the assistant needs LLM_BASE_URL, LLM_API_KEY and LLM_MODEL together (or none)",
            ))
        }
    }
}

pub(super) fn redis_url(env: &Env) -> Result<Option<Secret>, ConfigError> {
    match env.get("REDIS_URL")? {
        None => Ok(None),
        Some(raw) if raw.starts_with("redis://") => Ok(Some(Secret::new(raw))),
        Some(_) => Err(ConfigError::new(
            "REDIS_URL",
            "must be a redis:// URL (redis://:PASSWORD@HOST:6379)",
        )),
    }
}

pub(super) fn sentry_dsn(env: &Env) -> Result<Option<Secret>, ConfigError> {
    match env.get("SENTRY_DSN")? {
        None => Ok(None),
        Some(raw) => {
            let url =
                Url::parse(&raw).map_err(|_| ConfigError::new("SENTRY_DSN", "is not a DSN URL"))?;
            if url.username().is_empty() || url.host_str().is_none() {
                return Err(ConfigError::new(
                    "SENTRY_DSN",
                    "must look like https://PUBLIC_KEY@HOST/PROJECT_ID",
                ));
            }
            Ok(Some(Secret::new(raw)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_match_their_addresses_only() {
        let range = IpRange::parse("10.1.0.0/16").unwrap();
        assert!(range.contains("10.1.200.3".parse().unwrap()));
        assert!(!range.contains("10.2.0.1".parse().unwrap()));
        assert!(range.contains("::ffff:10.1.0.9".parse().unwrap()));
        let one = IpRange::parse("127.0.0.1").unwrap();
        assert!(one.contains("127.0.0.1".parse().unwrap()));
        assert!(!one.contains("127.0.0.2".parse().unwrap()));
        let v6 = IpRange::parse("fd00::/8").unwrap();
        assert!(v6.contains("fd12::1".parse().unwrap()));
        assert!(IpRange::parse("10.0.0.0/33").is_none());
        assert!(IpRange::parse("example.com").is_none());
        assert!(IpRange::parse("0.0.0.0/0")
            .unwrap()
            .contains("8.8.8.8".parse().unwrap()));
    }
}
