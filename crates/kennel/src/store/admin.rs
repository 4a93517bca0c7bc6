//! Roles and the audit log. Every change made here writes its audit row in the
//! same transaction, so a change is never without its record.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::accounts::{AccountError, UserRecord};
use super::{on_pool, Store};
use crate::domain::paging::{CursorKey, List, Page, PageRequest};

/// Who did what to which record.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub actor_id: Option<Uuid>,
    /// `api` or `cli`.
    pub channel: &'static str,
    pub action: &'static str,
    pub target_type: &'static str,
    pub target_id: String,
    pub details: serde_json::Value,
}

impl AuditEntry {
    /// An account made outside the API, by the operator: `kennel admin
    /// create`, or the demo accounts of `serve --demo`.
    pub fn account_created(id: Uuid, role: &str, organization: Option<Uuid>) -> AuditEntry {
        AuditEntry {
            actor_id: None,
            channel: "cli",
            action: "user.created",
            target_type: "user",
            target_id: id.to_string(),
            details: serde_json::json!({ "role": role, "organization_id": organization }),
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRecord {
    pub id: Uuid,
    pub actor_id: Option<Uuid>,
    pub channel: String,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub details: String,
    pub created_at: DateTime<Utc>,
}

pub(crate) const AUDIT_INSERT: &str = "INSERT INTO audit_log \
    (id, actor_id, channel, action, target_type, target_id, details, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

/// Writes `$entry` at `$now` with the transaction `$tx` (any database).
macro_rules! write_audit {
    ($tx:expr, $entry:expr, $now:expr) => {
        sqlx::query($crate::store::admin::AUDIT_INSERT)
            .bind(uuid::Uuid::now_v7())
            .bind($entry.actor_id)
            .bind($entry.channel)
            .bind($entry.action)
            .bind($entry.target_type)
            .bind($entry.target_id.clone())
            .bind($entry.details.to_string())
            .bind($now)
            .execute(&mut *$tx)
            .await
    };
}
pub(crate) use write_audit;

impl Store {
    /// Creates an account with a role (the CLI's bootstrap of the first admin,
    /// the demo accounts). Its address counts as confirmed: the operator who
    /// creates it vouches for it, and no link is emailed.
    #[allow(clippy::too_many_arguments)]
    pub async fn create_user_with_role(
        &self,
        id: Uuid,
        email: &str,
        password_hash: &str,
        display_name: &str,
        role: &str,
        organization_id: Option<Uuid>,
        audit: &AuditEntry,
        now: DateTime<Utc>,
    ) -> Result<(), AccountError> {
        let sql =
            "INSERT INTO users (id, email, password_hash, display_name, role, organization_id, \
                   created_at, updated_at, email_verified_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $7)";
        let result: Result<(), sqlx::Error> = on_pool!(self, pool => {
            async {
                let mut tx = pool.begin().await?;
                sqlx::query(sql)
                    .bind(id)
                    .bind(email)
                    .bind(password_hash)
                    .bind(display_name)
                    .bind(role)
                    .bind(organization_id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                write_audit!(tx, audit, now)?;
                tx.commit().await
            }
            .await
        });
        result.map_err(|e| match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => AccountError::EmailTaken,
            _ => AccountError::Database(e),
        })
    }

    /// Sets a user's role and organisation; `false` when there is no such user.
    pub async fn set_role(
        &self,
        id: Uuid,
        role: &str,
        organization_id: Option<Uuid>,
        audit: &AuditEntry,
        now: DateTime<Utc>,
    ) -> Result<bool, sqlx::Error> {
        let sql = "UPDATE users SET role = $1, organization_id = $2, updated_at = $3 WHERE id = $4";
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let updated = sqlx::query(sql)
                .bind(role)
                .bind(organization_id)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if updated == 0 {
                return Ok(false);
            }
            // Only an organisation's staff may be assigned its threads: whoever
            // leaves it (or staff) leaves their threads unassigned.
            sqlx::query(
                "UPDATE inquiries SET assignee_id = NULL, version = version + 1, updated_at = $1 \
                 WHERE assignee_id = $2 AND ($3 <> 'staff' OR organization_id <> $4)",
            )
            .bind(now)
            .bind(id)
            .bind(role)
            .bind(organization_id.unwrap_or(Uuid::nil()))
            .execute(&mut *tx)
            .await?;
            write_audit!(tx, audit, now)?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// A page of users in creation order (ids are time-ordered).
    pub async fn list_users(&self, page: &PageRequest) -> Result<Page<UserRecord>, sqlx::Error> {
        let after = page.after.as_ref().map(|c| c.id);
        let rows = on_pool!(self, pool => {
            match after {
                Some(after) => sqlx::query_as::<_, UserRecord>(
                    "SELECT u.id, u.email, u.password_hash, u.display_name, u.role, \
                     u.organization_id, u.created_at, u.email_verified_at, u.conversation_email, u.new_match_alerts FROM users u WHERE u.id > $1 \
                     ORDER BY u.id LIMIT $2",
                )
                .bind(after)
                .bind(i64::from(page.fetch()))
                .fetch_all(pool)
                .await?,
                None => sqlx::query_as::<_, UserRecord>(
                    "SELECT u.id, u.email, u.password_hash, u.display_name, u.role, \
                     u.organization_id, u.created_at, u.email_verified_at, u.conversation_email, u.new_match_alerts FROM users u ORDER BY u.id LIMIT $1",
                )
                .bind(i64::from(page.fetch()))
                .fetch_all(pool)
                .await?,
            }
        });
        Ok(Page::cut(rows, page.limit, List::Users, |last| {
            (CursorKey::None, last.id)
        }))
    }

    /// A page of audit entries, newest first.
    pub async fn audit_entries(
        &self,
        page: &PageRequest,
    ) -> Result<Page<AuditRecord>, sqlx::Error> {
        let columns = "id, actor_id, channel, action, target_type, target_id, details, created_at";
        let before = page.after.as_ref().map(|c| c.id);
        let rows = on_pool!(self, pool => {
            match before {
                Some(before) => sqlx::query_as::<_, AuditRecord>(&format!(
                    "SELECT {columns} FROM audit_log WHERE id < $1 ORDER BY id DESC LIMIT $2"
                ))
                .bind(before)
                .bind(i64::from(page.fetch()))
                .fetch_all(pool)
                .await?,
                None => sqlx::query_as::<_, AuditRecord>(&format!(
                    "SELECT {columns} FROM audit_log ORDER BY id DESC LIMIT $1"
                ))
                .bind(i64::from(page.fetch()))
                .fetch_all(pool)
                .await?,
            }
        });
        Ok(Page::cut(rows, page.limit, List::AuditLog, |last| {
            (CursorKey::None, last.id)
        }))
    }

    /// Writes one audit entry on its own (an admin reading private records).
    pub async fn record_audit(
        &self,
        audit: &AuditEntry,
        now: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            write_audit!(tx, audit, now)?;
            tx.commit().await
        })
    }

    pub async fn organization_exists(&self, id: Uuid) -> Result<bool, sqlx::Error> {
        self.row_exists("organizations", id).await
    }
}
