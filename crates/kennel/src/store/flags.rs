//! Feature flags and the assistant's daily usage counts.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::admin::AuditEntry;
use super::{on_pool, Store};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FlagRecord {
    pub key: String,
    pub description: String,
    pub enabled: bool,
    pub rollout_percent: i32,
    pub updated_at: DateTime<Utc>,
}

/// A change to one flag; `None` leaves that field alone.
#[derive(Debug, Clone, Default)]
pub struct FlagChange {
    pub enabled: Option<bool>,
    pub rollout_percent: Option<u8>,
    pub description: Option<String>,
}

const FLAG_COLUMNS: &str = "key, description, enabled, rollout_percent, updated_at";

impl Store {
    pub async fn flags(&self) -> Result<Vec<FlagRecord>, sqlx::Error> {
        let sql = format!("SELECT {FLAG_COLUMNS} FROM feature_flags ORDER BY key");
        on_pool!(self, pool => sqlx::query_as::<_, FlagRecord>(&sql).fetch_all(pool).await)
    }

    /// Applies `change` to the flag `key` with its audit row; `None` when no such flag.
    pub async fn update_flag(
        &self,
        key: &str,
        change: &FlagChange,
        audit: &AuditEntry,
        now: DateTime<Utc>,
    ) -> Result<Option<FlagRecord>, sqlx::Error> {
        let update = "UPDATE feature_flags SET enabled = COALESCE($1, enabled), \
            rollout_percent = COALESCE($2, rollout_percent), \
            description = COALESCE($3, description), updated_at = $4 WHERE key = $5";
        let select = format!("SELECT {FLAG_COLUMNS} FROM feature_flags WHERE key = $1");
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let updated = sqlx::query(update)
                .bind(change.enabled)
                .bind(change.rollout_percent.map(i32::from))
                .bind(change.description.clone())
                .bind(now)
                .bind(key)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if updated == 0 {
                return Ok(None);
            }
            let flag = sqlx::query_as::<_, FlagRecord>(&select).bind(key).fetch_one(&mut *tx).await?;
            super::admin::write_audit!(tx, audit, now)?;
            tx.commit().await?;
            Ok(Some(flag))
        })
    }

    /// Counts one assistant request for `user` on `day` and returns the day's total
    /// (including this one), atomically.
    pub async fn count_assistant_request(
        &self,
        user: Uuid,
        day: NaiveDate,
    ) -> Result<i64, sqlx::Error> {
        let sql = "INSERT INTO assistant_usage (user_id, day, requests) VALUES ($1, $2, 1) \
            ON CONFLICT (user_id, day) DO UPDATE SET requests = assistant_usage.requests + 1 \
            RETURNING requests";
        on_pool!(self, pool => {
            let count: i32 = sqlx::query_scalar(sql).bind(user).bind(day).fetch_one(pool).await?;
            Ok(i64::from(count))
        })
    }

    /// Gives back a counted request that the provider could not answer, so an
    /// outage does not use up anyone's quota.
    pub async fn refund_assistant_request(
        &self,
        user: Uuid,
        day: NaiveDate,
    ) -> Result<(), sqlx::Error> {
        let sql = "UPDATE assistant_usage SET requests = requests - 1 \
            WHERE user_id = $1 AND day = $2 AND requests > 0";
        on_pool!(self, pool => sqlx::query(sql).bind(user).bind(day).execute(pool).await.map(|_| ()))
    }
}
