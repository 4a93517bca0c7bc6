//! How logs are written: `LOG_FORMAT` (JSON lines for Cloud Logging when
//! deployed, readable lines locally) and `LOG_LEVEL` (a tracing filter).

use super::{ConfigError, Env, LogFormat};

pub(super) fn log_format(env: &Env, deployed: bool) -> Result<LogFormat, ConfigError> {
    match env.get("LOG_FORMAT")?.as_deref() {
        None if deployed => Ok(LogFormat::Json),
        None => Ok(LogFormat::Pretty),
        Some("json") => Ok(LogFormat::Json),
        Some("pretty") => Ok(LogFormat::Pretty),
        Some(other) => Err(ConfigError::new(
            "LOG_FORMAT",
            format!("unknown format '{other}' (expected json or pretty)"),
        )),
    }
}

pub(super) fn log_level(env: &Env) -> Result<String, ConfigError> {
    let log_level = env.get("LOG_LEVEL")?.unwrap_or_else(|| "info".to_string());
    if tracing_subscriber::EnvFilter::try_new(&log_level).is_err() {
        return Err(ConfigError::new(
            "LOG_LEVEL",
            format!("'{log_level}' is not a valid filter (e.g. info, debug, kennel=debug)"),
        ));
    }
    Ok(log_level)
}
