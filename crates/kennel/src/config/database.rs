//! `DATABASE_URL` and `DB_MAX_CONNECTIONS`: which database, read once into a typed
//! value that the store, the CLI and backups take as it is.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use super::{parse_number, AppEnv, ConfigError, Env, Secret};

/// The local default: a SQLite file beside the working directory.
const LOCAL_DEFAULT: &str = "sqlite://./data/kennel.db";

/// A database URL whose scheme is known. A Postgres URL carries a password, so
/// it is kept as a secret.
#[derive(Clone)]
pub enum DatabaseUrl {
    /// `sqlite://path` or `sqlite:path`, with optional `?options`.
    Sqlite(String),
    /// `postgres://…` or `postgresql://…`.
    Postgres(Secret),
}

impl DatabaseUrl {
    /// The URL as given (for the driver; a Postgres URL holds its password).
    pub fn expose(&self) -> &str {
        match self {
            DatabaseUrl::Sqlite(url) => url,
            DatabaseUrl::Postgres(url) => url.expose(),
        }
    }

    /// The SQLite file this URL names: what backup and restore work on.
    pub fn sqlite_file(&self) -> anyhow::Result<PathBuf> {
        let DatabaseUrl::Sqlite(url) = self else {
            anyhow::bail!(
                "backup and restore work on the embedded SQLite database; Postgres is backed up \
                 by Cloud SQL (automated backups, point-in-time recovery) or pgBackRest"
            );
        };
        let rest = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        let path = rest.split('?').next().unwrap_or(rest);
        if path.is_empty() || path == ":memory:" {
            anyhow::bail!("DATABASE_URL names no database file");
        }
        Ok(PathBuf::from(path))
    }
}

impl FromStr for DatabaseUrl {
    type Err = String;

    fn from_str(raw: &str) -> Result<DatabaseUrl, String> {
        match raw.split(':').next().unwrap_or_default() {
            "sqlite" => Ok(DatabaseUrl::Sqlite(raw.to_string())),
            "postgres" | "postgresql" => Ok(DatabaseUrl::Postgres(Secret::new(raw.to_string()))),
            _ => Err("must start with sqlite:// or postgres://".into()),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&super::redact_url(self.expose()))
    }
}

/// `DATABASE_URL`: required when deployed, where SQLite is refused.
pub(super) fn database_url(env: &Env, app_env: AppEnv) -> Result<DatabaseUrl, ConfigError> {
    let deployed = app_env.is_deployed();
    let raw = match env.get("DATABASE_URL")? {
        Some(raw) => raw,
        None if deployed => {
            return Err(ConfigError::new(
                "DATABASE_URL",
                format!("is required when APP_ENV={}", app_env.as_str()),
            ))
        }
        None => LOCAL_DEFAULT.to_string(),
    };
    let url: DatabaseUrl = raw
        .parse()
        .map_err(|message: String| ConfigError::new("DATABASE_URL", message))?;
    if deployed && matches!(url, DatabaseUrl::Sqlite(_)) {
        return Err(ConfigError::new(
            "DATABASE_URL",
            format!(
                "SQLite is for local development only; APP_ENV={} needs a postgres:// URL",
                app_env.as_str()
            ),
        ));
    }
    Ok(url)
}

/// `DB_MAX_CONNECTIONS`: the pool's size.
pub(super) fn max_connections(env: &Env) -> Result<u32, ConfigError> {
    parse_number(env, "DB_MAX_CONNECTIONS", 10u32, 1..=200)
}
