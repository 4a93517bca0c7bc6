//! Expo push tokens (one per device, owned by whoever signed in on it last)
//! and the push tickets waiting for their receipts.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{on_pool, Store};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct PushTokenRecord {
    pub token: String,
    pub platform: String,
    pub created_at: DateTime<Utc>,
}

impl Store {
    /// Registers `token` for `user`, moving it from any other account (the
    /// device changed hands). True when the token was new.
    pub async fn register_push_token(
        &self,
        token: &str,
        user: Uuid,
        platform: &str,
        now: DateTime<Utc>,
    ) -> Result<(PushTokenRecord, bool), sqlx::Error> {
        let existing = "SELECT created_at FROM push_tokens WHERE token = $1";
        let upsert =
            "INSERT INTO push_tokens (token, user_id, platform, created_at, last_seen_at) \
                      VALUES ($1, $2, $3, $4, $4) ON CONFLICT (token) DO UPDATE SET \
                      user_id = excluded.user_id, platform = excluded.platform, \
                      last_seen_at = excluded.last_seen_at";
        let before: Option<DateTime<Utc>> = on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let before = sqlx::query_scalar(existing).bind(token).fetch_optional(&mut *tx).await?;
            sqlx::query(upsert)
                .bind(token)
                .bind(user)
                .bind(platform)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            before
        });
        let record = PushTokenRecord {
            token: token.to_string(),
            platform: platform.to_string(),
            created_at: before.unwrap_or(now),
        };
        Ok((record, before.is_none()))
    }

    /// The user's devices, newest first.
    pub async fn push_tokens(&self, user: Uuid) -> Result<Vec<PushTokenRecord>, sqlx::Error> {
        let sql = "SELECT token, platform, created_at FROM push_tokens WHERE user_id = $1 \
                   ORDER BY created_at DESC, token";
        on_pool!(self, pool => {
            sqlx::query_as::<_, PushTokenRecord>(sql).bind(user).fetch_all(pool).await
        })
    }

    /// Removes one of the user's tokens; false when the user has no such token.
    pub async fn delete_push_token(&self, token: &str, user: Uuid) -> Result<bool, sqlx::Error> {
        let sql = "DELETE FROM push_tokens WHERE token = $1 AND user_id = $2";
        on_pool!(self, pool => {
            sqlx::query(sql).bind(token).bind(user).execute(pool).await.map(|r| r.rows_affected() > 0)
        })
    }

    /// Removes tokens the push service no longer delivers to.
    pub async fn forget_push_tokens(&self, tokens: &[String]) -> Result<u64, sqlx::Error> {
        let sql = "DELETE FROM push_tokens WHERE token = $1";
        let mut removed = 0;
        for token in tokens {
            removed += on_pool!(self, pool => {
                sqlx::query(sql).bind(token).execute(pool).await?.rows_affected()
            });
        }
        Ok(removed)
    }

    /// Keeps the tickets of a send until their receipts are read.
    pub async fn record_push_tickets(
        &self,
        tickets: &[(String, String)],
        now: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        let sql = "INSERT INTO push_tickets (ticket_id, token, created_at) VALUES ($1, $2, $3) \
                   ON CONFLICT (ticket_id) DO NOTHING";
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for (ticket, token) in tickets {
                sqlx::query(sql).bind(ticket).bind(token).bind(now).execute(&mut *tx).await?;
            }
            tx.commit().await
        })
    }

    /// Tickets sent before `before` (their receipts are ready), oldest first:
    /// (ticket id, token).
    pub async fn due_push_tickets(
        &self,
        before: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<(String, String)>, sqlx::Error> {
        let sql = "SELECT ticket_id, token FROM push_tickets WHERE created_at <= $1 \
                   ORDER BY created_at, ticket_id LIMIT $2";
        on_pool!(self, pool => {
            sqlx::query_as(sql).bind(before).bind(limit).fetch_all(pool).await
        })
    }

    pub async fn delete_push_tickets(&self, tickets: &[String]) -> Result<(), sqlx::Error> {
        let sql = "DELETE FROM push_tickets WHERE ticket_id = $1";
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for ticket in tickets {
                sqlx::query(sql).bind(ticket).execute(&mut *tx).await?;
            }
            tx.commit().await
        })
    }
}
