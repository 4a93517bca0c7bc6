//! Configuration: environment variables are the only surface (twelve-factor).
//! Every secret may also come from a file named by `<NAME>_FILE` (mounted secrets),
//! and secret values are wrapped so that `Debug` and logs never show them.

use std::collections::HashMap;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use url::Url;

pub mod database;
pub mod logging;
pub mod mail;
pub mod protection;
pub mod push;
pub mod server;
pub mod storage;

pub use database::DatabaseUrl;
pub use mail::{MailSettings, Transport};
pub use protection::{IpRange, LlmSettings, Protection, RateLimits};
pub use push::PushSettings;

/// Which deployment this process belongs to. Each has its own defaults and rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppEnv {
    Local,
    Staging,
    Production,
}

impl AppEnv {
    pub fn as_str(self) -> &'static str {
        match self {
            AppEnv::Local => "local",
            AppEnv::Staging => "staging",
            AppEnv::Production => "production",
        }
    }

    /// Staging and production run in the cloud and get the strict rules.
    pub fn is_deployed(self) -> bool {
        !matches!(self, AppEnv::Local)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

/// CORS policy: any origin (local development) or an explicit allow-list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorsOrigins {
    Any,
    List(Vec<String>),
}

/// A secret value: never printed, never logged.
#[derive(Clone)]
pub struct Secret(SecretString);

impl Secret {
    pub fn new(value: String) -> Self {
        Secret(SecretString::from(value))
    }
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// The effective configuration of one process.
#[derive(Debug, Clone)]
pub struct Config {
    pub env: AppEnv,
    pub host: IpAddr,
    pub port: u16,
    /// Which database; a Postgres URL is kept secret (it carries a password).
    pub database_url: DatabaseUrl,
    pub db_max_connections: u32,
    pub storage_url: String,
    pub public_base_url: Url,
    /// Where clients fetch photo variants from when a CDN or public bucket fronts
    /// the object store; `None` means the API serves them itself.
    pub photo_base_url: Option<Url>,
    pub log_format: LogFormat,
    pub log_level: String,
    pub cors_origins: CorsOrigins,
    pub shutdown_grace: Duration,
    /// Google Cloud project, used to build trace resource names in Cloud Logging.
    pub gcp_project: Option<String>,
    /// Rate limits, client-IP trust, timeouts, load shedding, HTTPS.
    pub protection: Protection,
    /// The assistant's provider; `None`: the assistant answers 503.
    pub llm: Option<LlmSettings>,
    /// Shared rate-limit state; `None`: limits are per process.
    pub redis_url: Option<Secret>,
    /// Port of the Prometheus `/metrics` listener; `None`: no listener.
    pub metrics_port: Option<u16>,
    /// Error tracking; `None`: off.
    pub sentry_dsn: Option<Secret>,
    /// How long public browse responses are reused; zero: not cached.
    pub browse_cache_ttl: Duration,
    /// `max-age` of public catalogue answers for browsers, the app and a CDN.
    pub http_cache_max_age: Duration,
    /// `stale-while-revalidate` of public catalogue answers; zero: left out.
    pub http_cache_stale_while_revalidate: Duration,
    /// Account email and its outbox.
    pub mail: MailSettings,
    /// `SAVED_SEARCHES_PER_ACCOUNT`: how many searches one account may keep.
    pub saved_searches_per_account: u32,
    pub push: PushSettings,
}

/// A configuration problem, phrased as one line that names the variable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{variable}: {message}")]
pub struct ConfigError {
    pub variable: String,
    pub message: String,
}

impl ConfigError {
    fn new(variable: &str, message: impl Into<String>) -> Self {
        ConfigError {
            variable: variable.to_string(),
            message: message.into(),
        }
    }
}

/// The variables Kennel reads, for `config check` and documentation.
pub const VARIABLES: &[&str] = &[
    "APP_ENV",
    "HOST",
    "PORT",
    "DATABASE_URL",
    "DB_MAX_CONNECTIONS",
    "STORAGE_URL",
    "PUBLIC_BASE_URL",
    "PHOTO_BASE_URL",
    "LOG_FORMAT",
    "LOG_LEVEL",
    "CORS_ORIGINS",
    "SHUTDOWN_GRACE_SECONDS",
    "GOOGLE_CLOUD_PROJECT",
    "BROWSE_CACHE_SECONDS",
    "HTTP_CACHE_MAX_AGE_SECONDS",
    "HTTP_CACHE_STALE_WHILE_REVALIDATE_SECONDS",
    "SMTP_URL",
    "MAIL_FROM",
    "MAIL_REPLY_TO",
    "APP_BASE_URL",
    "OUTBOX_MAX_ATTEMPTS",
    "OUTBOX_RETRY_BASE_SECONDS",
    "OUTBOX_DRAIN_SECONDS",
    "CONVERSATION_EMAIL_DELAY_SECONDS",
    "CONVERSATION_EMAIL_WINDOW_MINUTES",
    "SAVED_SEARCHES_PER_ACCOUNT",
    "EXPO_PUSH_URL",
    "EXPO_ACCESS_TOKEN",
    "NEW_MATCH_ALERT_WINDOW_MINUTES",
    "PUSH_RECEIPT_DELAY_SECONDS",
    "EXPO_PUSH_TIMEOUT_SECONDS",
];

/// Variables that may be given as `<NAME>_FILE` because they hold secrets.
const SECRET_VARIABLES: &[&str] = &[
    "DATABASE_URL",
    "EXPO_ACCESS_TOKEN",
    "LLM_API_KEY",
    "REDIS_URL",
    "SENTRY_DSN",
    "SMTP_URL",
];

/// A source of variables: the process environment, or a map in tests.
///
/// Read by hand rather than through a deserialising crate (envy, figment): what
/// matters here is what they do not give, each refusal as one line naming the
/// variable with its rule ("is required when APP_ENV=production", "must be
/// https://"), rules that depend on the environment, and secrets from
/// `<NAME>_FILE` only for the variables that are secrets.
pub struct Env {
    vars: HashMap<String, String>,
}

impl Env {
    pub fn from_process() -> Self {
        Env {
            vars: std::env::vars().collect(),
        }
    }

    pub fn from_pairs<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Env {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    /// A variable's value; empty counts as unset. Secrets may come from `<NAME>_FILE`.
    fn get(&self, name: &str) -> Result<Option<String>, ConfigError> {
        let direct = self.vars.get(name).filter(|v| !v.trim().is_empty());
        let file_var = format!("{name}_FILE");
        let file = self.vars.get(&file_var).filter(|v| !v.trim().is_empty());
        match (direct, file) {
            (Some(_), Some(_)) => Err(ConfigError::new(
                name,
                format!("set either {name} or {file_var}, not both"),
            )),
            (Some(v), None) => Ok(Some(v.trim().to_string())),
            (None, Some(path)) => {
                if !SECRET_VARIABLES.contains(&name) {
                    return Err(ConfigError::new(
                        &file_var,
                        format!("{name} is not a secret; set it directly"),
                    ));
                }
                let content = std::fs::read_to_string(path)
                    .map_err(|e| ConfigError::new(&file_var, format!("cannot read {path}: {e}")))?;
                let value = content.trim().to_string();
                if value.is_empty() {
                    return Err(ConfigError::new(&file_var, format!("{path} is empty")));
                }
                Ok(Some(value))
            }
            (None, None) => Ok(None),
        }
    }
}

/// A whole number of seconds within `range` (in seconds), as a `Duration`.
fn parse_seconds(
    env: &Env,
    name: &str,
    default: u64,
    range: std::ops::RangeInclusive<u64>,
) -> Result<Duration, ConfigError> {
    parse_number(env, name, default, range).map(Duration::from_secs)
}

fn parse_number<T>(
    env: &Env,
    name: &str,
    default: T,
    range: std::ops::RangeInclusive<T>,
) -> Result<T, ConfigError>
where
    T: std::str::FromStr + PartialOrd + fmt::Display + Copy,
{
    match env.get(name)? {
        None => Ok(default),
        Some(raw) => {
            let value: T = raw
                .parse()
                .map_err(|_| ConfigError::new(name, format!("'{raw}' is not a whole number")))?;
            if !range.contains(&value) {
                return Err(ConfigError::new(
                    name,
                    format!(
                        "{value} is out of range ({}..={})",
                        range.start(),
                        range.end()
                    ),
                ));
            }
            Ok(value)
        }
    }
}

fn parse_url(name: &str, raw: &str) -> Result<Url, ConfigError> {
    let url = Url::parse(raw).map_err(|e| ConfigError::new(name, format!("not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(ConfigError::new(name, "must be an http(s) URL with a host"));
    }
    Ok(url)
}

impl Config {
    /// Reads and checks the configuration. In staging and production, anything missing
    /// or insecure is refused with an error naming the variable.
    pub fn from_env(env: &Env) -> Result<Config, ConfigError> {
        let app_env = match env.get("APP_ENV")?.as_deref() {
            None | Some("local") => AppEnv::Local,
            Some("staging") => AppEnv::Staging,
            Some("production") => AppEnv::Production,
            Some(other) => {
                return Err(ConfigError::new(
                    "APP_ENV",
                    format!(
                        "unknown environment '{other}' (expected local, staging or production)"
                    ),
                ))
            }
        };
        let deployed = app_env.is_deployed();

        let host = match env.get("HOST")? {
            None => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            Some(raw) => raw
                .parse()
                .map_err(|_| ConfigError::new("HOST", format!("'{raw}' is not an IP address")))?,
        };
        let port = parse_number(env, "PORT", if deployed { 8080 } else { 3000 }, 0..=65535)?;

        let database_url = database::database_url(env, app_env)?;
        let db_max_connections = database::max_connections(env)?;

        let storage_url = storage::storage_url(env, app_env)?;
        let public_base_url = storage::public_base_url(env, app_env, port)?;
        let photo_base_url = storage::photo_base_url(env, app_env)?;
        let mail = mail::mail(env, app_env, &public_base_url)?;
        let push = push::push(env, app_env)?;

        let log_format = logging::log_format(env, deployed)?;
        let log_level = logging::log_level(env)?;

        let cors_origins = server::cors_origins(env, app_env)?;

        let grace_secs = parse_number(env, "SHUTDOWN_GRACE_SECONDS", 8u64, 0..=60)?;
        let gcp_project = env.get("GOOGLE_CLOUD_PROJECT")?;
        let metrics_port = match env.get("METRICS_PORT")? {
            None => None,
            Some(_) => Some(parse_number(env, "METRICS_PORT", 9090u16, 1..=65535)?),
        };
        if metrics_port.is_some() && metrics_port == Some(port) {
            return Err(ConfigError::new("METRICS_PORT", "must differ from PORT"));
        }

        Ok(Config {
            env: app_env,
            host,
            port,
            database_url,
            db_max_connections,
            storage_url,
            public_base_url,
            photo_base_url,
            log_format,
            log_level,
            cors_origins,
            shutdown_grace: Duration::from_secs(grace_secs),
            gcp_project,
            protection: protection::protection(env, deployed)?,
            llm: protection::llm(env)?,
            redis_url: protection::redis_url(env)?,
            metrics_port,
            sentry_dsn: protection::sentry_dsn(env)?,
            browse_cache_ttl: parse_seconds(env, "BROWSE_CACHE_SECONDS", 2, 0..=60)?,
            http_cache_max_age: parse_seconds(env, "HTTP_CACHE_MAX_AGE_SECONDS", 30, 0..=86_400)?,
            http_cache_stale_while_revalidate: parse_seconds(
                env,
                "HTTP_CACHE_STALE_WHILE_REVALIDATE_SECONDS",
                60,
                0..=86_400,
            )?,
            mail,
            saved_searches_per_account: parse_number(
                env,
                "SAVED_SEARCHES_PER_ACCOUNT",
                20,
                1..=200,
            )?,
            push,
        })
    }

    pub fn listen_addr(&self) -> SocketAddr {
        SocketAddr::new(self.host, self.port)
    }

    /// The effective configuration as `NAME=value` lines, secrets redacted.
    pub fn describe(&self) -> Vec<(String, String)> {
        let cors = match &self.cors_origins {
            CorsOrigins::Any => "*".to_string(),
            CorsOrigins::List(list) => list.join(","),
        };
        let mut lines: Vec<(String, String)> = vec![
            ("APP_ENV".into(), self.env.as_str().into()),
            ("HOST".into(), self.host.to_string()),
            ("PORT".into(), self.port.to_string()),
            (
                "DATABASE_URL".into(),
                redact_url(self.database_url.expose()),
            ),
            (
                "DB_MAX_CONNECTIONS".into(),
                self.db_max_connections.to_string(),
            ),
            ("STORAGE_URL".into(), self.storage_url.clone()),
            ("PUBLIC_BASE_URL".into(), self.public_base_url.to_string()),
            (
                "PHOTO_BASE_URL".into(),
                self.photo_base_url
                    .as_ref()
                    .map(|u| u.to_string())
                    .unwrap_or_else(|| "(served by the API)".into()),
            ),
            (
                "LOG_FORMAT".into(),
                match self.log_format {
                    LogFormat::Json => "json".into(),
                    LogFormat::Pretty => "pretty".into(),
                },
            ),
            ("LOG_LEVEL".into(), self.log_level.clone()),
            ("CORS_ORIGINS".into(), cors),
            (
                "SHUTDOWN_GRACE_SECONDS".into(),
                self.shutdown_grace.as_secs().to_string(),
            ),
            (
                "GOOGLE_CLOUD_PROJECT".into(),
                self.gcp_project.clone().unwrap_or_else(|| "(unset)".into()),
            ),
        ];
        let limits = &self.protection.rate_limits;
        let unset = || "(unset)".to_string();
        lines.extend([
            (
                "RATE_LIMIT_ANONYMOUS_PER_MINUTE".into(),
                limits.anonymous.to_string(),
            ),
            ("RATE_LIMIT_USER_PER_MINUTE".into(), limits.user.to_string()),
            ("RATE_LIMIT_AUTH_PER_MINUTE".into(), limits.auth.to_string()),
            (
                "RATE_LIMIT_ASSISTANT_PER_MINUTE".into(),
                limits.assistant.to_string(),
            ),
            (
                "RATE_LIMIT_ACCOUNT_PER_MINUTE".into(),
                limits.account.to_string(),
            ),
            (
                "TRUSTED_PROXIES".into(),
                if self.protection.trusted_proxies.is_empty() {
                    "(none: the socket peer is the client)".into()
                } else {
                    let ranges: Vec<String> = self
                        .protection
                        .trusted_proxies
                        .iter()
                        .map(|r| r.to_string())
                        .collect();
                    ranges.join(",")
                },
            ),
            (
                "REQUEST_TIMEOUT_SECONDS".into(),
                self.protection.request_timeout.as_secs().to_string(),
            ),
            ("HTTPS_ONLY".into(), self.protection.https_only.to_string()),
            (
                "MAX_CONCURRENT_REQUESTS".into(),
                self.protection.max_concurrent_requests.to_string(),
            ),
            (
                "HEADER_READ_TIMEOUT_SECONDS".into(),
                self.protection.header_read_timeout.as_secs().to_string(),
            ),
            (
                "BODY_READ_TIMEOUT_SECONDS".into(),
                self.protection.body_read_timeout.as_secs().to_string(),
            ),
            (
                "UPLOAD_READ_TIMEOUT_SECONDS".into(),
                self.protection.upload_read_timeout.as_secs().to_string(),
            ),
            (
                "WRITE_STALL_TIMEOUT_SECONDS".into(),
                self.protection.write_stall_timeout.as_secs().to_string(),
            ),
            (
                "MAX_CONNECTIONS".into(),
                self.protection
                    .max_connections
                    .map(|n| n.to_string())
                    .unwrap_or_else(|| "(from the descriptor limit)".into()),
            ),
            (
                "MAX_CONCURRENT_UPLOADS".into(),
                self.protection.max_concurrent_uploads.to_string(),
            ),
            (
                "LLM_BASE_URL".into(),
                self.llm
                    .as_ref()
                    .map(|l| l.base_url.to_string())
                    .unwrap_or_else(unset),
            ),
            (
                "LLM_MODEL".into(),
                self.llm
                    .as_ref()
                    .map(|l| l.model.clone())
                    .unwrap_or_else(unset),
            ),
            (
                "LLM_API_KEY".into(),
                self.llm
                    .as_ref()
                    .map(|_| "[redacted]".to_string())
                    .unwrap_or_else(unset),
            ),
            (
                "ASSISTANT_DAILY_QUOTA".into(),
                self.llm
                    .as_ref()
                    .map(|l| l.daily_quota.to_string())
                    .unwrap_or_else(unset),
            ),
            (
                "REDIS_URL".into(),
                self.redis_url
                    .as_ref()
                    .map(|u| redact_url(u.expose()))
                    .unwrap_or_else(unset),
            ),
            (
                "METRICS_PORT".into(),
                self.metrics_port
                    .map(|p| p.to_string())
                    .unwrap_or_else(unset),
            ),
            (
                "BROWSE_CACHE_SECONDS".into(),
                self.browse_cache_ttl.as_secs().to_string(),
            ),
            (
                "SAVED_SEARCHES_PER_ACCOUNT".into(),
                self.saved_searches_per_account.to_string(),
            ),
            (
                "HTTP_CACHE_MAX_AGE_SECONDS".into(),
                self.http_cache_max_age.as_secs().to_string(),
            ),
            (
                "HTTP_CACHE_STALE_WHILE_REVALIDATE_SECONDS".into(),
                self.http_cache_stale_while_revalidate.as_secs().to_string(),
            ),
            (
                "SENTRY_DSN".into(),
                self.sentry_dsn
                    .as_ref()
                    .map(|_| "[redacted]".to_string())
                    .unwrap_or_else(unset),
            ),
            (
                "SMTP_URL".into(),
                match &self.mail.transport {
                    Some(Transport::Smtp(url)) => redact_url(url.expose()),
                    Some(Transport::Folder(folder)) => format!("file://{folder}"),
                    None => "(unset: account email waits in the outbox)".into(),
                },
            ),
            ("MAIL_FROM".into(), self.mail.from.clone()),
            (
                "MAIL_REPLY_TO".into(),
                self.mail.reply_to.clone().unwrap_or_else(unset),
            ),
            ("APP_BASE_URL".into(), self.mail.app_base_url.to_string()),
            (
                "OUTBOX_MAX_ATTEMPTS".into(),
                self.mail.max_attempts.to_string(),
            ),
            (
                "OUTBOX_RETRY_BASE_SECONDS".into(),
                self.mail.retry_base.as_secs().to_string(),
            ),
            (
                "OUTBOX_DRAIN_SECONDS".into(),
                self.mail.drain_interval.as_secs().to_string(),
            ),
            (
                "CONVERSATION_EMAIL_DELAY_SECONDS".into(),
                self.mail.conversation_delay.as_secs().to_string(),
            ),
            (
                "CONVERSATION_EMAIL_WINDOW_MINUTES".into(),
                (self.mail.conversation_window.as_secs() / 60).to_string(),
            ),
            ("EXPO_PUSH_URL".into(), self.push.expo_push_url.to_string()),
            (
                "EXPO_ACCESS_TOKEN".into(),
                self.push
                    .expo_access_token
                    .as_ref()
                    .map(|_| "[redacted]".to_string())
                    .unwrap_or_else(unset),
            ),
            (
                "NEW_MATCH_ALERT_WINDOW_MINUTES".into(),
                (self.push.alert_window.as_secs() / 60).to_string(),
            ),
            (
                "PUSH_RECEIPT_DELAY_SECONDS".into(),
                self.push.receipt_delay.as_secs().to_string(),
            ),
            (
                "EXPO_PUSH_TIMEOUT_SECONDS".into(),
                self.push.timeout.as_secs().to_string(),
            ),
        ]);
        lines
    }
}

/// Hides the password (and any query string, which may hold credentials) of a URL.
pub fn redact_url(raw: &str) -> String {
    match Url::parse(raw) {
        Ok(mut url) => {
            if url.password().is_some() {
                let _ = url.set_password(Some("[redacted]"));
            }
            if url.query().is_some() {
                url.set_query(Some("[redacted]"));
            }
            // The URL encoder escapes the brackets; show them as written.
            url.to_string().replace("%5Bredacted%5D", "[redacted]")
        }
        // Not parseable as a URL: show only the scheme, which is never secret.
        Err(_) => format!("{}:[redacted]", raw.split(':').next().unwrap_or("")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prod(extra: &[(&str, &str)]) -> Env {
        let mut pairs: Vec<(String, String)> = vec![
            ("APP_ENV".into(), "production".into()),
            (
                "DATABASE_URL".into(),
                "postgres://kennel:hunter2-pw@10.0.0.3/kennel".into(),
            ),
            ("STORAGE_URL".into(), "gs://kennel-photos".into()),
            ("PUBLIC_BASE_URL".into(), "https://api.example.com".into()),
            ("CORS_ORIGINS".into(), "https://app.example.com".into()),
        ];
        for (k, v) in extra {
            pairs.retain(|(name, _)| name != k);
            pairs.push((k.to_string(), v.to_string()));
        }
        Env::from_pairs(pairs)
    }

    #[test]
    fn local_defaults_need_no_variables() {
        let config = Config::from_env(&Env::from_pairs(Vec::<(String, String)>::new())).unwrap();
        assert_eq!(config.env, AppEnv::Local);
        assert_eq!(config.port, 3000);
        assert_eq!(config.database_url.expose(), "sqlite://./data/kennel.db");
        assert_eq!(config.storage_url, "file://./data/photos");
        assert_eq!(config.public_base_url.as_str(), "http://localhost:3000/");
        assert_eq!(config.log_format, LogFormat::Pretty);
        assert_eq!(config.cors_origins, CorsOrigins::Any);
        assert_eq!(config.shutdown_grace, Duration::from_secs(8));
    }

    #[test]
    fn production_accepts_a_complete_secure_configuration() {
        let config = Config::from_env(&prod(&[])).unwrap();
        assert_eq!(config.port, 8080);
        assert_eq!(config.log_format, LogFormat::Json);
    }

    #[test]
    fn production_refuses_sqlite() {
        let err = Config::from_env(&prod(&[("DATABASE_URL", "sqlite://./x.db")])).unwrap_err();
        assert_eq!(err.variable, "DATABASE_URL");
        assert!(err.message.contains("postgres"), "{err}");
    }

    #[test]
    fn production_refuses_missing_database_url() {
        let mut env = prod(&[]);
        env.vars.remove("DATABASE_URL");
        let err = Config::from_env(&env).unwrap_err();
        assert_eq!(
            err.to_string(),
            "DATABASE_URL: is required when APP_ENV=production"
        );
    }

    #[test]
    fn production_refuses_plain_http_public_url() {
        let err =
            Config::from_env(&prod(&[("PUBLIC_BASE_URL", "http://api.example.com")])).unwrap_err();
        assert_eq!(err.variable, "PUBLIC_BASE_URL");
    }

    #[test]
    fn production_refuses_local_photo_folder_and_wildcard_cors() {
        let err = Config::from_env(&prod(&[("STORAGE_URL", "file://./photos")])).unwrap_err();
        assert_eq!(err.variable, "STORAGE_URL");
        let err = Config::from_env(&prod(&[("CORS_ORIGINS", "*")])).unwrap_err();
        assert_eq!(err.variable, "CORS_ORIGINS");
    }

    #[test]
    fn unknown_environment_and_bad_numbers_are_clear_errors() {
        let err = Config::from_env(&Env::from_pairs([("APP_ENV", "prod")])).unwrap_err();
        assert_eq!(err.variable, "APP_ENV");
        assert!(err.message.contains("'prod'"));
        let err = Config::from_env(&Env::from_pairs([("PORT", "eighty")])).unwrap_err();
        assert_eq!(err.to_string(), "PORT: 'eighty' is not a whole number");
        let err = Config::from_env(&Env::from_pairs([("PORT", "70000")])).unwrap_err();
        assert_eq!(err.variable, "PORT");
    }

    #[test]
    fn secrets_can_come_from_files_and_are_redacted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        std::fs::write(&path, "postgres://kennel:s3cret-pw@db/kennel\n").unwrap();
        let mut env = prod(&[]);
        env.vars.remove("DATABASE_URL");
        env.vars
            .insert("DATABASE_URL_FILE".into(), path.display().to_string());
        let config = Config::from_env(&env).unwrap();
        assert_eq!(
            config.database_url.expose(),
            "postgres://kennel:s3cret-pw@db/kennel"
        );
        let debug = format!("{config:?}");
        assert!(!debug.contains("s3cret-pw"), "{debug}");
        let described = config.describe();
        let shown = &described
            .iter()
            .find(|(k, _)| k == "DATABASE_URL")
            .unwrap()
            .1;
        assert_eq!(shown, "postgres://kennel:[redacted]@db/kennel");
    }

    #[test]
    fn a_secret_file_that_is_missing_is_named() {
        let err = Config::from_env(&Env::from_pairs([("DATABASE_URL_FILE", "/nonexistent/db")]))
            .unwrap_err();
        assert_eq!(err.variable, "DATABASE_URL_FILE");
    }

    #[test]
    fn integration_secrets_are_redacted_and_incomplete_llm_settings_refused() {
        let config = Config::from_env(&prod(&[
            ("LLM_BASE_URL", "https://llm.example.com/v1"),
            ("LLM_MODEL", "small"),
            ("LLM_API_KEY", "sk-live-secret-key-123"),
            ("REDIS_URL", "redis://:redis-pass-456@10.0.0.9:6379"),
            ("SENTRY_DSN", "https://dsnkey789@o1.ingest.example.com/42"),
            ("TRUSTED_PROXIES", "169.254.0.0/16"),
        ]))
        .unwrap();
        assert!(config.protection.https_only);
        let text = format!("{:?} {:?}", config.describe(), config);
        for secret in ["sk-live-secret-key-123", "redis-pass-456", "dsnkey789"] {
            assert!(!text.contains(secret), "{secret} leaked");
        }
        let error =
            Config::from_env(&prod(&[("LLM_BASE_URL", "https://llm.example.com/v1")])).unwrap_err();
        assert_eq!(error.variable, "LLM_API_KEY");
        let error = Config::from_env(&prod(&[("HTTPS_ONLY", "false")])).unwrap_err();
        assert_eq!(error.variable, "HTTPS_ONLY");
        let error = Config::from_env(&prod(&[("TRUSTED_PROXIES", "not-an-ip")])).unwrap_err();
        assert_eq!(error.variable, "TRUSTED_PROXIES");
    }
}
