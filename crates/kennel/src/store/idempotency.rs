//! `Idempotency-Key` records: one row per user and key, claimed before the
//! request runs and completed with its response, so a retry replays it.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::{on_pool, Store};

/// How long a key is remembered.
pub const KEY_LIFETIME: Duration = Duration::hours(24);
/// A claim older than this that never completed belongs to a request that died
/// (its instance stopped): a retry may take it over. Longer than any request
/// may run.
pub const ABANDONED_AFTER: Duration = Duration::seconds(120);
/// Expired rows deleted by each claim: as many as a claim can add, and more,
/// so the table stays at about a day of keys without a separate job.
const PRUNE_BATCH: i64 = 100;

/// What a claim found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is ours: run the request, then `complete` or `release`.
    Claimed,
    /// Another request with this key and the same fingerprint is still running.
    InProgress,
    /// The key was used for a different request.
    Mismatch,
    /// The request ran before: its status and JSON body.
    Done { status: u16, body: String },
}

impl Store {
    /// Claims `key` for `user`'s request with `fingerprint`, first pruning some
    /// expired keys (of anyone).
    pub async fn claim_idempotency_key(
        &self,
        user: Uuid,
        key: &str,
        fingerprint: &str,
        now: DateTime<Utc>,
    ) -> Result<Claim, sqlx::Error> {
        let prune = "DELETE FROM idempotency_keys WHERE (user_id, key) IN \
                     (SELECT user_id, key FROM idempotency_keys WHERE expires_at <= $1 \
                      ORDER BY expires_at LIMIT $2)";
        // Inserts, or takes over an expired key or an abandoned claim.
        let claim = "INSERT INTO idempotency_keys \
                     (user_id, key, fingerprint, status_code, response, created_at, expires_at) \
                     VALUES ($1, $2, $3, NULL, NULL, $4, $5) \
                     ON CONFLICT (user_id, key) DO UPDATE SET fingerprint = excluded.fingerprint, \
                     status_code = NULL, response = NULL, created_at = excluded.created_at, \
                     expires_at = excluded.expires_at \
                     WHERE idempotency_keys.expires_at <= $4 \
                     OR (idempotency_keys.status_code IS NULL AND idempotency_keys.created_at < $6)";
        let existing = "SELECT fingerprint, status_code, response FROM idempotency_keys \
                        WHERE user_id = $1 AND key = $2";
        on_pool!(self, pool => {
            sqlx::query(prune).bind(now).bind(PRUNE_BATCH).execute(pool).await?;
            // A row deleted between the insert and the read is claimed again.
            for _ in 0..3 {
                let claimed = sqlx::query(claim)
                    .bind(user)
                    .bind(key)
                    .bind(fingerprint)
                    .bind(now)
                    .bind(now + KEY_LIFETIME)
                    .bind(now - ABANDONED_AFTER)
                    .execute(pool)
                    .await?
                    .rows_affected();
                if claimed == 1 {
                    return Ok(Claim::Claimed);
                }
                let row: Option<(String, Option<i32>, Option<String>)> = sqlx::query_as(existing)
                    .bind(user)
                    .bind(key)
                    .fetch_optional(pool)
                    .await?;
                if let Some((stored, status, body)) = row {
                    return Ok(if stored != fingerprint {
                        Claim::Mismatch
                    } else {
                        match (status, body) {
                            (Some(status), Some(body)) => Claim::Done {
                                status: u16::try_from(status).unwrap_or(200),
                                body,
                            },
                            _ => Claim::InProgress,
                        }
                    });
                }
            }
            Ok(Claim::InProgress)
        })
    }

    /// Keeps the response of a claimed request for replays.
    pub async fn complete_idempotency_key(
        &self,
        user: Uuid,
        key: &str,
        status: u16,
        body: &str,
    ) -> Result<(), sqlx::Error> {
        let sql = "UPDATE idempotency_keys SET status_code = $1, response = $2 \
                   WHERE user_id = $3 AND key = $4";
        on_pool!(self, pool => {
            sqlx::query(sql)
                .bind(i32::from(status))
                .bind(body)
                .bind(user)
                .bind(key)
                .execute(pool)
                .await
                .map(|_| ())
        })
    }

    /// Gives up a claim whose request failed, so the key can be used again.
    pub async fn release_idempotency_key(&self, user: Uuid, key: &str) -> Result<(), sqlx::Error> {
        let sql = "DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 \
                   AND status_code IS NULL";
        on_pool!(self, pool => {
            sqlx::query(sql).bind(user).bind(key).execute(pool).await.map(|_| ())
        })
    }
}
