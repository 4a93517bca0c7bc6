//! Account email: the SMTP transport (`SMTP_URL`, a secret), the sender
//! (`MAIL_FROM`, `MAIL_REPLY_TO`), where links in messages lead
//! (`APP_BASE_URL`), and how the outbox retries and drains
//! (`OUTBOX_MAX_ATTEMPTS`, `OUTBOX_RETRY_BASE_SECONDS`, `OUTBOX_DRAIN_SECONDS`).

use std::time::Duration;

use url::Url;

use super::{parse_number, parse_seconds, parse_url, AppEnv, ConfigError, Env, Secret};

/// Where messages go.
#[derive(Debug, Clone)]
pub enum Transport {
    /// `smtp://` (STARTTLS with `?tls=required`) or `smtps://` (TLS from the
    /// start), with credentials in the URL, as lettre reads it.
    Smtp(Secret),
    /// `file://<folder>`: each message written as an `.eml` file (local only).
    Folder(String),
}

#[derive(Debug, Clone)]
pub struct MailSettings {
    /// `None`: messages wait in the outbox until a transport is configured.
    pub transport: Option<Transport>,
    pub from: String,
    pub reply_to: Option<String>,
    /// The web app's address: links in messages point to its pages.
    pub app_base_url: Url,
    pub max_attempts: u32,
    pub retry_base: Duration,
    /// How often this server drains the outbox itself; zero leaves it to
    /// `kennel outbox drain` (a scheduled job).
    pub drain_interval: Duration,
    /// The API's public address: the one-click unsubscribe link points here.
    pub api_base_url: Url,
    /// How long after a conversation message its email waits (a quick
    /// exchange is one email, a message read by then none).
    pub conversation_delay: Duration,
    /// At most one conversation email per thread and recipient this often.
    pub conversation_window: Duration,
}

fn transport(env: &Env, app_env: AppEnv) -> Result<Option<Transport>, ConfigError> {
    let Some(raw) = env.get("SMTP_URL")? else {
        return Ok(None);
    };
    let invalid = || {
        ConfigError::new(
            "SMTP_URL",
            "must be smtps://user:password@host:465, smtp://user:password@host:587?tls=required, \
             or file://<folder> locally",
        )
    };
    let url = Url::parse(&raw).map_err(|_| invalid())?;
    match url.scheme() {
        "file" if !app_env.is_deployed() => {
            let folder = raw.trim_start_matches("file://").to_string();
            if folder.is_empty() {
                return Err(invalid());
            }
            Ok(Some(Transport::Folder(folder)))
        }
        "file" => Err(ConfigError::new(
            "SMTP_URL",
            format!(
                "a local folder is for development only; APP_ENV={} needs smtps:// or smtp://…?tls=required",
                app_env.as_str()
            ),
        )),
        "smtps" | "smtp" if url.host_str().is_some() => {
            let tls_required = url
                .query_pairs()
                .any(|(k, v)| k == "tls" && v == "required");
            if app_env.is_deployed() && url.scheme() == "smtp" && !tls_required {
                return Err(ConfigError::new(
                    "SMTP_URL",
                    format!(
                        "APP_ENV={} sends mail only over TLS: use smtps:// or add ?tls=required",
                        app_env.as_str()
                    ),
                ));
            }
            Ok(Some(Transport::Smtp(Secret::new(raw))))
        }
        _ => Err(invalid()),
    }
}

pub(super) fn mail(
    env: &Env,
    app_env: AppEnv,
    public_base_url: &Url,
) -> Result<MailSettings, ConfigError> {
    let transport = transport(env, app_env)?;
    let from = env
        .get("MAIL_FROM")?
        .unwrap_or_else(|| "Kennel <no-reply@localhost>".to_string());
    check_mailbox("MAIL_FROM", &from)?;
    let reply_to = env.get("MAIL_REPLY_TO")?;
    if let Some(reply_to) = &reply_to {
        check_mailbox("MAIL_REPLY_TO", reply_to)?;
    }
    let app_base_url = match env.get("APP_BASE_URL")? {
        Some(raw) => parse_url("APP_BASE_URL", &raw)?,
        None => public_base_url.clone(),
    };
    if app_env.is_deployed() && app_base_url.scheme() != "https" {
        return Err(ConfigError::new(
            "APP_BASE_URL",
            format!("must be https:// when APP_ENV={}", app_env.as_str()),
        ));
    }
    let default_drain = if app_env.is_deployed() { 0 } else { 5 };
    Ok(MailSettings {
        transport,
        from,
        reply_to,
        app_base_url,
        max_attempts: parse_number(env, "OUTBOX_MAX_ATTEMPTS", 8, 1..=50)?,
        retry_base: parse_seconds(env, "OUTBOX_RETRY_BASE_SECONDS", 30, 0..=3600)?,
        drain_interval: parse_seconds(env, "OUTBOX_DRAIN_SECONDS", default_drain, 0..=3600)?,
        api_base_url: public_base_url.clone(),
        conversation_delay: parse_seconds(env, "CONVERSATION_EMAIL_DELAY_SECONDS", 120, 0..=3600)?,
        conversation_window: Duration::from_secs(
            60 * parse_number(env, "CONVERSATION_EMAIL_WINDOW_MINUTES", 15u64, 0..=1440)?,
        ),
    })
}

/// `Name <address>` or a bare address, as lettre parses a mailbox.
fn check_mailbox(name: &str, raw: &str) -> Result<(), ConfigError> {
    raw.parse::<lettre::message::Mailbox>()
        .map(|_| ())
        .map_err(|e| {
            ConfigError::new(
                name,
                format!("'{raw}' is not a mailbox ({e}); use Name <address@example.com>"),
            )
        })
}
