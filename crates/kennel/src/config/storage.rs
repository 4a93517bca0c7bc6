//! Where photos live and the URLs clients reach the API and the photos by:
//! `STORAGE_URL`, `PUBLIC_BASE_URL`, `PHOTO_BASE_URL`.

use url::Url;

use super::{parse_url, AppEnv, ConfigError, Env};

/// `STORAGE_URL`: `gs://` or `s3://` when deployed; a local folder otherwise.
pub(super) fn storage_url(env: &Env, app_env: AppEnv) -> Result<String, ConfigError> {
    let deployed = app_env.is_deployed();
    let storage_url = match env.get("STORAGE_URL")? {
        Some(url) => url,
        None if deployed => {
            return Err(ConfigError::new(
                "STORAGE_URL",
                format!("is required when APP_ENV={}", app_env.as_str()),
            ))
        }
        None => "file://./data/photos".to_string(),
    };
    match storage_url.split("://").next().unwrap_or_default() {
        "gs" | "s3" => Ok(storage_url),
        "file" if !deployed => Ok(storage_url),
        "file" => Err(ConfigError::new(
            "STORAGE_URL",
            format!(
                "a local folder is for development only; APP_ENV={} needs gs:// or s3://",
                app_env.as_str()
            ),
        )),
        _ => Err(ConfigError::new(
            "STORAGE_URL",
            "must start with file://, gs:// or s3://",
        )),
    }
}

/// `PUBLIC_BASE_URL`: https and required when deployed; this port on localhost
/// otherwise.
pub(super) fn public_base_url(env: &Env, app_env: AppEnv, port: u16) -> Result<Url, ConfigError> {
    let deployed = app_env.is_deployed();
    let url = match env.get("PUBLIC_BASE_URL")? {
        Some(raw) => parse_url("PUBLIC_BASE_URL", &raw)?,
        None if deployed => {
            return Err(ConfigError::new(
                "PUBLIC_BASE_URL",
                format!("is required when APP_ENV={}", app_env.as_str()),
            ))
        }
        None => Url::parse(&format!("http://localhost:{port}"))
            .map_err(|e| ConfigError::new("PORT", e.to_string()))?,
    };
    if deployed && url.scheme() != "https" {
        return Err(ConfigError::new(
            "PUBLIC_BASE_URL",
            format!("must be https:// when APP_ENV={}", app_env.as_str()),
        ));
    }
    Ok(url)
}

/// `PHOTO_BASE_URL`: where a CDN or public bucket serves the photo variants;
/// https when deployed.
pub(super) fn photo_base_url(env: &Env, app_env: AppEnv) -> Result<Option<Url>, ConfigError> {
    let Some(raw) = env.get("PHOTO_BASE_URL")? else {
        return Ok(None);
    };
    let url = parse_url("PHOTO_BASE_URL", &raw)?;
    if app_env.is_deployed() && url.scheme() != "https" {
        return Err(ConfigError::new(
            "PHOTO_BASE_URL",
            format!("must be https:// when APP_ENV={}", app_env.as_str()),
        ));
    }
    Ok(Some(url))
}
