//! New-match alerts and Expo's push service.

use std::time::Duration;

use url::Url;

use super::{parse_number, parse_seconds, parse_url, AppEnv, ConfigError, Env, Secret};

/// Expo's push service; `EXPO_PUSH_URL` points elsewhere (a test server).
pub const EXPO_PUSH_DEFAULT: &str = "https://exp.host";

#[derive(Debug, Clone)]
pub struct PushSettings {
    /// `EXPO_PUSH_URL`: the push service's base; requests go to
    /// `<base>/--/api/v2/push/send` and `…/getReceipts`.
    pub expo_push_url: Url,
    /// `EXPO_ACCESS_TOKEN` (or `_FILE`): sent as a bearer token when the Expo
    /// project requires one ("enhanced security for push notifications").
    pub expo_access_token: Option<Secret>,
    /// `NEW_MATCH_ALERT_WINDOW_MINUTES`: at most one alert per saved search
    /// this often; matches in between make one summary.
    pub alert_window: Duration,
    /// `PUSH_RECEIPT_DELAY_SECONDS`: how long after a send its receipts are
    /// read (Expo suggests about 15 minutes).
    pub receipt_delay: Duration,
    /// `EXPO_PUSH_TIMEOUT_SECONDS`: how long one request to the push service
    /// may take before it counts as failed (and is retried later).
    pub timeout: Duration,
}

pub(super) fn push(env: &Env, app_env: AppEnv) -> Result<PushSettings, ConfigError> {
    let expo_push_url = match env.get("EXPO_PUSH_URL")? {
        Some(raw) => parse_url("EXPO_PUSH_URL", &raw)?,
        None => parse_url("EXPO_PUSH_URL", EXPO_PUSH_DEFAULT)?,
    };
    if app_env.is_deployed() && expo_push_url.scheme() != "https" {
        return Err(ConfigError::new(
            "EXPO_PUSH_URL",
            format!("must be https:// when APP_ENV={}", app_env.as_str()),
        ));
    }
    Ok(PushSettings {
        expo_push_url,
        expo_access_token: env.get("EXPO_ACCESS_TOKEN")?.map(Secret::new),
        alert_window: Duration::from_secs(
            60 * parse_number(env, "NEW_MATCH_ALERT_WINDOW_MINUTES", 60u64, 0..=1440)?,
        ),
        receipt_delay: parse_seconds(env, "PUSH_RECEIPT_DELAY_SECONDS", 900, 0..=86_400)?,
        timeout: parse_seconds(env, "EXPO_PUSH_TIMEOUT_SECONDS", 10, 1..=60)?,
    })
}
