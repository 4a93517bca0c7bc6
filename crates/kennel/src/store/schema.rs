//! Is the database's schema the one this binary was built for?
//!
//! Staging and production never migrate on start-up (a job does, before traffic
//! shifts); an instance that finds an older schema reports it in readiness and
//! refuses API traffic until the migration has run.

use std::collections::BTreeSet;

use super::{on_pool, postgres, sqlite, Store};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaStatus {
    /// Every embedded migration is applied.
    Current { version: i64 },
    /// Some embedded migrations are not applied yet.
    Outdated { applied: Option<i64>, expected: i64 },
    /// The database has migrations this binary does not know: a newer release
    /// migrated it. Migrations are additive, so this binary keeps serving.
    Ahead { applied: i64, expected: i64 },
    /// A migration started but did not finish.
    Dirty { version: i64 },
}

impl SchemaStatus {
    pub fn is_servable(&self) -> bool {
        matches!(
            self,
            SchemaStatus::Current { .. } | SchemaStatus::Ahead { .. }
        )
    }

    pub fn describe(&self) -> String {
        match self {
            SchemaStatus::Current { version } => format!("schema is current (version {version})"),
            SchemaStatus::Outdated { applied, expected } => format!(
                "schema is outdated: database is at version {}, this release needs {expected}; run `kennel migrate`",
                applied.map_or("none".to_string(), |v| v.to_string())
            ),
            SchemaStatus::Ahead { applied, expected } => format!(
                "schema is ahead: database is at version {applied}, this release knows {expected}"
            ),
            SchemaStatus::Dirty { version } => format!(
                "migration {version} did not complete; inspect and repair the database, then run `kennel migrate`"
            ),
        }
    }
}

fn is_missing_table(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(db) => {
            db.code().as_deref() == Some("42P01") || db.message().contains("no such table")
        }
        _ => false,
    }
}

pub async fn status(store: &Store) -> Result<SchemaStatus, sqlx::Error> {
    let expected: BTreeSet<i64> = match store {
        Store::Sqlite(_) => sqlite::MIGRATOR.iter().map(|m| m.version).collect(),
        Store::Postgres(_) => postgres::MIGRATOR.iter().map(|m| m.version).collect(),
    };
    let rows: Result<Vec<(i64, bool)>, sqlx::Error> = on_pool!(store, pool => {
        sqlx::query_as("SELECT version, success FROM _sqlx_migrations ORDER BY version")
            .fetch_all(pool)
            .await
    });
    let rows = match rows {
        Ok(rows) => rows,
        Err(e) if is_missing_table(&e) => Vec::new(),
        Err(e) => return Err(e),
    };
    let expected_latest = expected.iter().next_back().copied().unwrap_or(0);
    if let Some((version, _)) = rows.iter().find(|(_, success)| !success) {
        return Ok(SchemaStatus::Dirty { version: *version });
    }
    let applied: BTreeSet<i64> = rows.iter().map(|(v, _)| *v).collect();
    let applied_latest = applied.iter().next_back().copied();
    if !expected.is_subset(&applied) {
        return Ok(SchemaStatus::Outdated {
            applied: applied_latest,
            expected: expected_latest,
        });
    }
    match applied_latest {
        Some(latest) if latest > expected_latest => Ok(SchemaStatus::Ahead {
            applied: latest,
            expected: expected_latest,
        }),
        _ => Ok(SchemaStatus::Current {
            version: expected_latest,
        }),
    }
}
