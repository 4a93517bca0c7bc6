//! Storage: one interface over SQLite (local) and Postgres (staging, production).
//!
//! Queries are written once in portable SQL and run on either pool through
//! `on_pool!`; what differs between the databases (connection setup, text search,
//! migrations) lives in `sqlite.rs` and `postgres.rs`.

pub mod accounts;
pub mod admin;
pub mod browse;
pub mod bulk;
pub mod catalog;
pub mod favorites;
pub mod flags;
pub mod idempotency;
pub mod inquiries;
pub mod listings;
pub mod matching;
pub mod nearby;
pub mod outbox;
pub mod photos;
pub mod postgres;
pub mod push_tokens;
pub mod saved_searches;
pub mod schema;
pub mod sqlite;
pub mod tokens;
pub mod vocab;

use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgPool, SqlitePool};
use uuid::Uuid;

use crate::config::DatabaseUrl;

pub use schema::SchemaStatus;

/// Runs the same body against whichever pool the store holds. The body is compiled
/// once per database, so each gets its own statically-typed binding.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store {
            $crate::store::Store::Sqlite($pool) => $body,
            $crate::store::Store::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// Binds a list of `Param`s to a query, in order.
macro_rules! bind_params {
    ($query:expr, $params:expr) => {{
        let mut query = $query;
        for param in $params {
            query = match param {
                $crate::store::Param::Text(v) => query.bind(v),
                $crate::store::Param::Int(v) => query.bind(v),
                $crate::store::Param::Float(v) => query.bind(v),
                $crate::store::Param::Bool(v) => query.bind(v),
                $crate::store::Param::Id(v) => query.bind(v),
                $crate::store::Param::Date(v) => query.bind(v),
                $crate::store::Param::Time(v) => query.bind(v),
                $crate::store::Param::OptText(v) => query.bind(v),
                $crate::store::Param::OptBool(v) => query.bind(v),
                $crate::store::Param::OptId(v) => query.bind(v),
                $crate::store::Param::OptFloat(v) => query.bind(v),
            };
        }
        query
    }};
}
pub(crate) use bind_params;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Debug, Clone)]
pub enum Store {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A value bound to a dynamically built query.
#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Id(Uuid),
    Date(NaiveDate),
    Time(DateTime<Utc>),
    /// Nullable values carry their type so Postgres knows the parameter's type.
    OptText(Option<String>),
    OptBool(Option<bool>),
    OptId(Option<Uuid>),
    OptFloat(Option<f64>),
}

/// Connection settings that do not depend on the database kind.
#[derive(Debug, Clone)]
pub struct PoolSettings {
    pub max_connections: u32,
    /// How long a request waits for a free connection before it is answered 503.
    pub acquire_timeout: Duration,
    /// Upper bound of one statement (Postgres `statement_timeout`).
    pub statement_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        PoolSettings {
            max_connections: 10,
            acquire_timeout: Duration::from_secs(3),
            statement_timeout: Duration::from_secs(5),
        }
    }
}

impl Store {
    /// Opens a pool for `url`. A SQLite file and its
    /// folder are created when missing. Postgres connects lazily, so a database that
    /// is down at start-up shows in readiness instead of crashing the process.
    pub async fn connect(url: &DatabaseUrl, settings: &PoolSettings) -> anyhow::Result<Store> {
        Ok(match url {
            DatabaseUrl::Sqlite(url) => Store::Sqlite(sqlite::connect(url, settings).await?),
            DatabaseUrl::Postgres(url) => {
                Store::Postgres(postgres::connect(url.expose(), settings)?)
            }
        })
    }

    pub fn backend(&self) -> Backend {
        match self {
            Store::Sqlite(_) => Backend::Sqlite,
            Store::Postgres(_) => Backend::Postgres,
        }
    }

    /// Open connections and how many of them are idle, for the metrics.
    pub fn pool_stats(&self) -> (u32, u32) {
        on_pool!(self, pool => (pool.size(), pool.num_idle() as u32))
    }

    /// Applies every embedded migration that the database lacks.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        match self {
            Store::Sqlite(pool) => sqlite::MIGRATOR.run(pool).await?,
            Store::Postgres(pool) => postgres::MIGRATOR.run(pool).await?,
        }
        Ok(())
    }

    /// Whether the database answers at all.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        on_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))
    }

    /// Compares the applied migrations with those embedded in this binary.
    pub async fn schema_status(&self) -> Result<SchemaStatus, sqlx::Error> {
        schema::status(self).await
    }

    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await)
    }
}
