//! Postgres specifics: pool settings, statement timeout and tsquery text search.

use std::str::FromStr;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;

use super::PoolSettings;

pub static MIGRATOR: Migrator = sqlx::migrate!("../../migrations/postgres");

pub fn connect(url: &str, settings: &PoolSettings) -> anyhow::Result<PgPool> {
    let timeout_ms = settings.statement_timeout.as_millis().to_string();
    let options = PgConnectOptions::from_str(url)?
        .application_name("kennel")
        .options([("statement_timeout", timeout_ms.as_str())]);
    let pool = PgPoolOptions::new()
        .max_connections(settings.max_connections)
        .acquire_timeout(settings.acquire_timeout)
        // Connections are checked before use, so a restarted database is noticed
        // on the next request instead of failing it.
        .test_before_acquire(true)
        .connect_lazy_with(options);
    Ok(pool)
}

/// A tsquery matching every term as a word prefix (`simple` configuration, no
/// stemming, so it behaves like SQLite's FTS5 with the unicode61 tokenizer).
pub fn tsquery(terms: &[String]) -> String {
    terms
        .iter()
        .map(|t| {
            format!(
                "{}:*",
                t.replace(['\'', '\\', ':', '&', '|', '!', '(', ')'], "")
            )
        })
        .collect::<Vec<_>>()
        .join(" & ")
}
