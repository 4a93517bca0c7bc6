//! The outbox: outgoing email written in the transaction of the change that
//! causes it, then claimed and delivered by a drainer (`mail::outbox`).
//!
//! Claiming is one statement that marks due rows with the drainer's id and a
//! lease. On Postgres the candidate rows are locked with `FOR UPDATE SKIP
//! LOCKED`, so concurrent drainers take disjoint rows without waiting; SQLite
//! runs one writer at a time, so the same UPDATE is already exclusive there.
//! Every later change to a row names the claiming drainer, so a drainer whose
//! lease ran out cannot overwrite the row another one has since claimed.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::domain::mail::{OutboxKind, OutboxStatus};

use super::admin::{write_audit, AuditEntry};
use super::{on_pool, Store};

/// A message to queue.
#[derive(Debug, Clone)]
pub struct NewMail {
    pub kind: OutboxKind,
    pub recipient: String,
    pub user_id: Option<Uuid>,
    /// What the template needs beyond the recipient, as JSON.
    pub payload: serde_json::Value,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxRecord {
    pub id: Uuid,
    pub kind: OutboxKind,
    pub recipient: String,
    pub user_id: Option<Uuid>,
    pub payload: String,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

const OUTBOX_COLUMNS: &str = "id, kind, recipient, user_id, payload, status, attempts, \
                              next_attempt_at, last_error, created_at, sent_at";

pub(super) const INSERT_MAIL: &str = "INSERT INTO outbox \
    (id, kind, recipient, user_id, payload, status, attempts, next_attempt_at, created_at) \
    VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $6)";

/// Queues `$mail` on `$executor` (a pool or an open transaction), due at `$now`.
macro_rules! insert_mail {
    ($executor:expr, $mail:expr, $now:expr) => {
        sqlx::query($crate::store::outbox::INSERT_MAIL)
            .bind(uuid::Uuid::now_v7())
            .bind($mail.kind)
            .bind($mail.recipient.as_str())
            .bind($mail.user_id)
            .bind($mail.payload.to_string())
            .bind($now)
            .execute($executor)
            .await
    };
}
pub(crate) use insert_mail;

/// How many messages are in each state, and how long the oldest pending one
/// has waited.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct OutboxCounts {
    pub pending: i64,
    pub dead: i64,
    pub oldest_pending: Option<DateTime<Utc>>,
}

impl Store {
    /// Queues a message on its own (when nothing else changes with it).
    pub async fn enqueue_mail(
        &self,
        mail: &NewMail,
        now: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        on_pool!(self, pool => { insert_mail!(pool, mail, now).map(|_| ()) })
    }

    /// Whether a message of `kind` to `recipient` was queued after `since`:
    /// how repeated requests (password resets, registrations) are throttled
    /// per address without telling the client.
    pub async fn mail_queued_since(
        &self,
        kind: OutboxKind,
        recipient: &str,
        since: DateTime<Utc>,
    ) -> Result<bool, sqlx::Error> {
        let sql =
            "SELECT count(*) FROM outbox WHERE recipient = $1 AND kind = $2 AND created_at > $3";
        let count: i64 = on_pool!(self, pool => {
            sqlx::query_scalar(sql).bind(recipient).bind(kind).bind(since).fetch_one(pool).await?
        });
        Ok(count > 0)
    }

    /// Claims up to `limit` due messages (of `kinds`, or any when `None`) for
    /// drainer `worker` until `lease_until`, counting the attempt now (a
    /// drainer that dies mid-send still used it).
    pub async fn claim_mail(
        &self,
        worker: Uuid,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: i64,
        kinds: Option<&[OutboxKind]>,
    ) -> Result<Vec<OutboxRecord>, sqlx::Error> {
        let only = match kinds {
            None => String::new(),
            Some([]) => return Ok(Vec::new()),
            // Fixed names from the code, never user input.
            Some(kinds) => {
                let names: Vec<String> =
                    kinds.iter().map(|k| format!("'{}'", k.as_str())).collect();
                format!(" AND kind IN ({})", names.join(", "))
            }
        };
        let due = format!(
            "status = 'pending' AND next_attempt_at <= $3 \
             AND (claimed_until IS NULL OR claimed_until <= $3){only}"
        );
        let lock = match self {
            Store::Sqlite(_) => "",
            Store::Postgres(_) => " FOR UPDATE SKIP LOCKED",
        };
        // The outer condition repeats the inner one: on Postgres a row another
        // drainer claimed between the subquery and the update is re-checked.
        let sql = format!(
            "UPDATE outbox SET claimed_by = $1, claimed_until = $2, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM outbox WHERE {due} \
                          ORDER BY next_attempt_at, id LIMIT $4{lock}) AND {due} \
             RETURNING {OUTBOX_COLUMNS}"
        );
        let mut rows: Vec<OutboxRecord> = on_pool!(self, pool => {
            sqlx::query_as::<_, OutboxRecord>(&sql)
                .bind(worker)
                .bind(lease_until)
                .bind(now)
                .bind(limit)
                .fetch_all(pool)
                .await?
        });
        rows.sort_by_key(|r| (r.next_attempt_at, r.id));
        Ok(rows)
    }

    /// Records a delivery. False when the row is no longer this drainer's.
    pub async fn mark_mail_sent(
        &self,
        id: Uuid,
        worker: Uuid,
        now: DateTime<Utc>,
    ) -> Result<bool, sqlx::Error> {
        let sql = "UPDATE outbox SET status = 'sent', sent_at = $1, claimed_by = NULL, \
                   claimed_until = NULL, last_error = NULL WHERE id = $2 AND claimed_by = $3";
        on_pool!(self, pool => {
            sqlx::query(sql).bind(now).bind(id).bind(worker).execute(pool).await
                .map(|r| r.rows_affected() == 1)
        })
    }

    /// Records a failed delivery: due again at `retry_at`, or dead when `None`.
    pub async fn mark_mail_failed(
        &self,
        id: Uuid,
        worker: Uuid,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> Result<bool, sqlx::Error> {
        let sql =
            "UPDATE outbox SET status = $1, next_attempt_at = COALESCE($2, next_attempt_at), \
                   last_error = $3, claimed_by = NULL, claimed_until = NULL \
                   WHERE id = $4 AND claimed_by = $5";
        let status = if retry_at.is_some() {
            OutboxStatus::Pending
        } else {
            OutboxStatus::Dead
        };
        on_pool!(self, pool => {
            sqlx::query(sql)
                .bind(status)
                .bind(retry_at)
                .bind(error)
                .bind(id)
                .bind(worker)
                .execute(pool)
                .await
                .map(|r| r.rows_affected() == 1)
        })
    }

    /// Makes dead messages due again (all, or one), with a fresh set of attempts.
    pub async fn revive_mail(
        &self,
        id: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> Result<u64, sqlx::Error> {
        let sql = "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $1 \
                   WHERE status = 'dead' AND ($2 IS NULL OR id = $2)";
        on_pool!(self, pool => {
            sqlx::query(sql).bind(now).bind(id).execute(pool).await.map(|r| r.rows_affected())
        })
    }

    /// Makes one dead message due again, recording `audit` with it; `false`
    /// when no dead message has this id.
    pub async fn revive_mail_audited(
        &self,
        id: Uuid,
        audit: &AuditEntry,
        now: DateTime<Utc>,
    ) -> Result<bool, sqlx::Error> {
        let sql = "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $1 \
                   WHERE status = 'dead' AND id = $2";
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let revived = sqlx::query(sql).bind(now).bind(id).execute(&mut *tx).await?.rows_affected();
            if revived == 0 {
                return Ok(false);
            }
            write_audit!(tx, audit, now)?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Removes delivered messages sent before `before` (they hold addresses).
    pub async fn prune_sent_mail(&self, before: DateTime<Utc>) -> Result<u64, sqlx::Error> {
        let sql = "DELETE FROM outbox WHERE status = 'sent' AND sent_at < $1";
        on_pool!(self, pool => {
            sqlx::query(sql).bind(before).execute(pool).await.map(|r| r.rows_affected())
        })
    }

    /// Messages in `status`, newest first.
    pub async fn list_mail(
        &self,
        status: OutboxStatus,
        limit: i64,
    ) -> Result<Vec<OutboxRecord>, sqlx::Error> {
        let sql = format!(
            "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE status = $1 \
             ORDER BY created_at DESC, id DESC LIMIT $2"
        );
        on_pool!(self, pool => {
            sqlx::query_as::<_, OutboxRecord>(&sql).bind(status).bind(limit).fetch_all(pool).await
        })
    }

    /// The counts, and how long the oldest pending message has waited since
    /// it was due: a message queued to go later (a conversation email's
    /// delay, a new-match alert's window) is not late before then, while one
    /// that failed keeps counting from when it was first due.
    pub async fn outbox_counts(&self) -> Result<OutboxCounts, sqlx::Error> {
        let sql = "SELECT \
                   (SELECT count(*) FROM outbox WHERE status = 'pending'), \
                   (SELECT count(*) FROM outbox WHERE status = 'dead'), \
                   (SELECT min(CASE WHEN attempts = 0 AND next_attempt_at > created_at \
                                    THEN next_attempt_at ELSE created_at END) FROM outbox \
                    WHERE status = 'pending' AND (attempts > 0 OR next_attempt_at <= $1))";
        let (pending, dead, oldest_pending): (i64, i64, Option<DateTime<Utc>>) = on_pool!(self, pool => {
            sqlx::query_as(sql).bind(Utc::now()).fetch_one(pool).await?
        });
        Ok(OutboxCounts {
            pending,
            dead,
            oldest_pending,
        })
    }
}

/// When conversation messages are emailed: `delay` after the message (so one
/// email covers a quick exchange, and nothing is sent if it was read by then),
/// at most one per thread and recipient per `window`.
#[derive(Debug, Clone, Copy)]
pub struct ConversationMail {
    pub delay: chrono::Duration,
    pub window: chrono::Duration,
}

/// Who is emailed about a new message: the adopter (when staff wrote), or the
/// organisation's staff (when the adopter wrote): the thread's assignee, or
/// every staff member while it has none. Only accounts that want these emails.
pub(super) const ADOPTER_RECIPIENTS: &str = "SELECT u.id, u.email FROM inquiries i \
    JOIN users u ON u.id = i.user_id WHERE i.id = $1 AND u.conversation_email";
pub(super) const STAFF_RECIPIENTS: &str = "SELECT u.id, u.email FROM inquiries i \
    JOIN users u ON u.organization_id = i.organization_id AND u.role = 'staff' \
    WHERE i.id = $1 AND u.conversation_email AND (i.assignee_id IS NULL OR i.assignee_id = u.id)";
/// Queues one conversation email unless the recipient had one about the same
/// thread within the window.
pub(super) const INSERT_CONVERSATION_MAIL: &str = "INSERT INTO outbox \
    (id, kind, recipient, user_id, payload, status, attempts, next_attempt_at, created_at) \
    SELECT $1, 'conversation_reply', $2, $3, $4, 'pending', 0, $5, $6 \
    WHERE NOT EXISTS (SELECT 1 FROM outbox WHERE kind = 'conversation_reply' \
                      AND user_id = $3 AND payload = $4 AND created_at > $7)";

/// In the open transaction `$tx`: queues the emails about a new message in
/// thread `$inquiry` to side `$to` (`Side`), per `$mail` (`ConversationMail`).
macro_rules! queue_conversation_mail {
    ($tx:ident, $inquiry:expr, $to:expr, $mail:expr, $now:expr) => {{
        let recipients_sql = match $to {
            $crate::domain::conversation::Side::Adopter => $crate::store::outbox::ADOPTER_RECIPIENTS,
            $crate::domain::conversation::Side::Staff => $crate::store::outbox::STAFF_RECIPIENTS,
        };
        let recipients: Vec<(uuid::Uuid, String)> = sqlx::query_as(recipients_sql)
            .bind($inquiry)
            .fetch_all(&mut *$tx)
            .await?;
        let payload = serde_json::json!({ "inquiry_id": $inquiry }).to_string();
        for (user_id, email) in recipients {
            sqlx::query($crate::store::outbox::INSERT_CONVERSATION_MAIL)
                .bind(uuid::Uuid::now_v7())
                .bind(email)
                .bind(user_id)
                .bind(&payload)
                .bind($now + $mail.delay)
                .bind($now)
                .bind($now - $mail.window)
                .execute(&mut *$tx)
                .await?;
        }
    }};
}
pub(crate) use queue_conversation_mail;

impl Store {
    /// The secret named `name` that links are signed with, made on first use.
    pub async fn signing_key(
        &self,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<u8>, sqlx::Error> {
        let mut fresh = [0u8; 32];
        getrandom::getrandom(&mut fresh)
            .map_err(|e| sqlx::Error::Protocol(format!("no randomness: {e}")))?;
        let insert = "INSERT INTO signing_keys (name, secret, created_at) VALUES ($1, $2, $3) \
                      ON CONFLICT (name) DO NOTHING";
        let select = "SELECT secret FROM signing_keys WHERE name = $1";
        let secret: String = on_pool!(self, pool => {
            sqlx::query(insert).bind(name).bind(hex::encode(fresh)).bind(now).execute(pool).await?;
            sqlx::query_scalar(select).bind(name).fetch_one(pool).await?
        });
        hex::decode(secret).map_err(|e| sqlx::Error::Decode(Box::new(e)))
    }

    /// Switches conversation emails off (or on) for an account; false when
    /// there is no such account.
    pub async fn set_conversation_email(
        &self,
        user_id: Uuid,
        on: bool,
    ) -> Result<bool, sqlx::Error> {
        let sql = "UPDATE users SET conversation_email = $1 WHERE id = $2";
        on_pool!(self, pool => {
            sqlx::query(sql).bind(on).bind(user_id).execute(pool).await.map(|r| r.rows_affected() == 1)
        })
    }
}
