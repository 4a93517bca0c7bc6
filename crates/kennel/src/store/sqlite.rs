//! SQLite specifics: file creation, WAL, foreign keys, and FTS5 text search.

use std::path::Path;
use std::str::FromStr;

use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use super::PoolSettings;

pub static MIGRATOR: Migrator = sqlx::migrate!("../../migrations/sqlite");

pub async fn connect(url: &str, settings: &PoolSettings) -> anyhow::Result<SqlitePool> {
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // NORMAL is durable in WAL mode except for the last transactions on power
        // loss; a process crash loses nothing.
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(settings.acquire_timeout);
    let file = options.get_filename();
    if file != Path::new(":memory:") {
        if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| {
                anyhow::anyhow!("cannot create database folder {}: {e}", parent.display())
            })?;
        }
    }
    let pool = SqlitePoolOptions::new()
        .max_connections(settings.max_connections)
        .acquire_timeout(settings.acquire_timeout)
        .connect_with(options)
        .await?;
    Ok(pool)
}

/// An FTS5 query matching every term as a word prefix. Terms are alphanumeric
/// (see `SearchText`), and quoted anyway so no term can be read as an operator.
pub fn fts_query(terms: &[String]) -> String {
    terms
        .iter()
        .map(|t| format!("\"{}\"*", t.replace('"', "")))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// A `LIKE` pattern for `' ' || search_text` that holds when a word starts with
/// `term`. Terms are alphanumeric (see `SearchText`), so they hold no `LIKE`
/// wildcards; any that slipped in are dropped rather than matched as wildcards.
pub fn word_prefix_pattern(term: &str) -> String {
    let term: String = term
        .chars()
        .filter(|c| !matches!(c, '%' | '_' | '\\'))
        .collect();
    format!("% {term}%")
}
