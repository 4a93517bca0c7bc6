//! Users and sessions.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::domain::account::{AlertChannel, Role};
use crate::domain::mail::OutboxKind;

use super::outbox::{insert_mail, NewMail};

use super::{on_pool, Store};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRecord {
    pub id: Uuid,
    pub email: String,
    pub password_hash: String,
    pub display_name: String,
    pub role: Role,
    pub organization_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub email_verified_at: Option<DateTime<Utc>>,
    /// Whether new messages in the account's conversations are emailed.
    pub conversation_email: bool,
    /// How the account hears of new matches for its saved searches.
    pub new_match_alerts: AlertChannel,
}

/// The email is already used by another account.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("email already registered")]
    EmailTaken,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

fn map_unique(error: sqlx::Error) -> AccountError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => AccountError::EmailTaken,
        _ => AccountError::Database(error),
    }
}

const USER_COLUMNS: &str =
    "u.id, u.email, u.password_hash, u.display_name, u.role, u.organization_id, u.created_at, \
     u.email_verified_at, u.conversation_email, u.new_match_alerts";

/// Changes to a user; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub struct UserChanges {
    pub conversation_email: Option<bool>,
    pub new_match_alerts: Option<AlertChannel>,
    pub display_name: Option<String>,
    pub password_hash: Option<String>,
}

impl Store {
    /// Creates an adopter account and queues the message that confirms its
    /// address, in one transaction.
    pub async fn create_user(
        &self,
        id: Uuid,
        email: &str,
        password_hash: &str,
        display_name: &str,
        now: DateTime<Utc>,
    ) -> Result<(), AccountError> {
        let sql = "INSERT INTO users (id, email, password_hash, display_name, role, created_at, updated_at) \
                   VALUES ($1, $2, $3, $4, 'adopter', $5, $5)";
        let verification = NewMail {
            kind: OutboxKind::VerifyEmail,
            recipient: email.to_string(),
            user_id: Some(id),
            payload: serde_json::json!({}),
        };
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(sql)
                .bind(id)
                .bind(email)
                .bind(password_hash)
                .bind(display_name)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(map_unique)?;
            insert_mail!(&mut *tx, verification, now)?;
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<UserRecord>, sqlx::Error> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.email = $1");
        on_pool!(self, pool => {
            sqlx::query_as::<_, UserRecord>(&sql).bind(email).fetch_optional(pool).await
        })
    }

    pub async fn user_by_id(&self, id: Uuid) -> Result<Option<UserRecord>, sqlx::Error> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1");
        on_pool!(self, pool => {
            sqlx::query_as::<_, UserRecord>(&sql).bind(id).fetch_optional(pool).await
        })
    }

    pub async fn create_session(
        &self,
        id: Uuid,
        user_id: Uuid,
        token_hash: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        let sql = "INSERT INTO sessions (id, user_id, token_hash, created_at, expires_at) \
                   VALUES ($1, $2, $3, $4, $5)";
        on_pool!(self, pool => {
            sqlx::query(sql)
                .bind(id)
                .bind(user_id)
                .bind(token_hash)
                .bind(now)
                .bind(expires_at)
                .execute(pool)
                .await
                .map(|_| ())
        })
    }

    /// The user of a live session (not expired, not revoked), and the session id.
    pub async fn user_for_session(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(UserRecord, Uuid)>, sqlx::Error> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            user: UserRecord,
            session_id: Uuid,
        }
        let sql = format!(
            "SELECT {USER_COLUMNS}, s.id AS session_id FROM sessions s \
             JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2"
        );
        let row: Option<Row> = on_pool!(self, pool => {
            sqlx::query_as::<_, Row>(&sql).bind(token_hash).bind(now).fetch_optional(pool).await?
        });
        Ok(row.map(|r| (r.user, r.session_id)))
    }

    pub async fn revoke_session(
        &self,
        session_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        let sql = "UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL";
        on_pool!(self, pool => {
            sqlx::query(sql).bind(now).bind(session_id).execute(pool).await.map(|_| ())
        })
    }

    /// Signs the user out everywhere but `keep`.
    pub async fn revoke_other_sessions(
        &self,
        user_id: Uuid,
        keep: Uuid,
        now: DateTime<Utc>,
    ) -> Result<u64, sqlx::Error> {
        let sql = "UPDATE sessions SET revoked_at = $1 \
                   WHERE user_id = $2 AND id <> $3 AND revoked_at IS NULL";
        on_pool!(self, pool => {
            sqlx::query(sql)
                .bind(now)
                .bind(user_id)
                .bind(keep)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })
    }

    pub async fn update_user(
        &self,
        id: Uuid,
        changes: UserChanges,
        now: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        let sql = "UPDATE users SET display_name = COALESCE($1, display_name), \
                   password_hash = COALESCE($2, password_hash), updated_at = $3, \
                   conversation_email = COALESCE($5, conversation_email), \
                   new_match_alerts = COALESCE($6, new_match_alerts) WHERE id = $4";
        on_pool!(self, pool => {
            sqlx::query(sql)
                .bind(changes.display_name)
                .bind(changes.password_hash)
                .bind(now)
                .bind(id)
                .bind(changes.conversation_email)
                .bind(changes.new_match_alerts)
                .execute(pool)
                .await
                .map(|_| ())
        })
    }

    /// Deletes the account and, by cascade, its sessions.
    pub async fn delete_user(&self, id: Uuid) -> Result<(), sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query("DELETE FROM users WHERE id = $1").bind(id).execute(pool).await.map(|_| ())
        })
    }
}
