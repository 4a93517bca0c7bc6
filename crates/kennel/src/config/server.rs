//! What the HTTP server answers to: `CORS_ORIGINS` (browser origins allowed to
//! call the API).

use super::{parse_url, AppEnv, ConfigError, CorsOrigins, Env};

/// `CORS_ORIGINS`: a comma-separated list of origins, required (and https only,
/// never `*`) when deployed; any origin locally by default.
pub(super) fn cors_origins(env: &Env, app_env: AppEnv) -> Result<CorsOrigins, ConfigError> {
    let deployed = app_env.is_deployed();
    Ok(match env.get("CORS_ORIGINS")? {
        None if deployed => {
            return Err(ConfigError::new(
                "CORS_ORIGINS",
                format!(
                    "is required when APP_ENV={} (a comma-separated list of https origins)",
                    app_env.as_str()
                ),
            ))
        }
        None => CorsOrigins::Any,
        Some(raw) if raw == "*" => {
            if deployed {
                return Err(ConfigError::new(
                    "CORS_ORIGINS",
                    format!("'*' is not allowed when APP_ENV={}", app_env.as_str()),
                ));
            }
            CorsOrigins::Any
        }
        Some(raw) => {
            let mut origins = Vec::new();
            for origin in raw.split(',').map(str::trim).filter(|o| !o.is_empty()) {
                let url = parse_url("CORS_ORIGINS", origin)?;
                if deployed && url.scheme() != "https" {
                    return Err(ConfigError::new(
                        "CORS_ORIGINS",
                        format!(
                            "'{origin}' must be https:// when APP_ENV={}",
                            app_env.as_str()
                        ),
                    ));
                }
                origins.push(url.origin().ascii_serialization());
            }
            CorsOrigins::List(origins)
        }
    })
}
