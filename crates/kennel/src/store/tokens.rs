//! Single-use tokens sent by email. Only their SHA-256 is stored; using one is
//! a single UPDATE that also checks purpose, expiry and earlier use, so two
//! requests with the same token cannot both succeed.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::domain::mail::TokenPurpose;

use super::accounts::AccountError;
use super::{on_pool, Store};

/// What a used token was issued for.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UsedToken {
    pub user_id: Uuid,
    pub email: String,
}

const USE_TOKEN: &str = "UPDATE account_tokens SET used_at = $1 \
    WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1 \
    RETURNING user_id, email";

/// Uses a token in the open transaction `$tx`: what it was issued for, or
/// `None` when it is unknown, used, expired or for another purpose.
macro_rules! use_token {
    ($tx:ident, $hash:expr, $purpose:expr, $now:expr) => {
        sqlx::query_as::<_, UsedToken>(USE_TOKEN)
            .bind($now)
            .bind($hash)
            .bind($purpose)
            .fetch_optional(&mut *$tx)
            .await?
    };
}

impl Store {
    /// The account and address of a usable token, without using it.
    pub async fn peek_account_token(
        &self,
        token_hash: &str,
        purpose: TokenPurpose,
        now: DateTime<Utc>,
    ) -> Result<Option<UsedToken>, sqlx::Error> {
        let sql = "SELECT user_id, email FROM account_tokens \
                   WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3";
        on_pool!(self, pool => {
            sqlx::query_as::<_, UsedToken>(sql)
                .bind(token_hash)
                .bind(purpose.as_str())
                .bind(now)
                .fetch_optional(pool)
                .await
        })
    }

    pub async fn create_account_token(
        &self,
        token_hash: &str,
        user_id: Uuid,
        purpose: TokenPurpose,
        email: &str,
        now: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        let sql = "INSERT INTO account_tokens (token_hash, user_id, purpose, email, created_at, expires_at) \
                   VALUES ($1, $2, $3, $4, $5, $6)";
        on_pool!(self, pool => {
            sqlx::query(sql)
                .bind(token_hash)
                .bind(user_id)
                .bind(purpose.as_str())
                .bind(email)
                .bind(now)
                .bind(now + purpose.lifetime())
                .execute(pool)
                .await
                .map(|_| ())
        })
    }

    /// Confirms the address a `verify_email` token was sent to, if it is still
    /// the account's address. `None` when the token is unknown, used, expired,
    /// or the account has changed its address since.
    pub async fn verify_email(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Uuid>, sqlx::Error> {
        let purpose = TokenPurpose::VerifyEmail.as_str();
        let verify = "UPDATE users SET email_verified_at = COALESCE(email_verified_at, $1) \
                      WHERE id = $2 AND email = $3";
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let Some(used) = use_token!(tx, token_hash, purpose, now) else {
                return Ok(None);
            };
            let changed = sqlx::query(verify)
                .bind(now).bind(used.user_id).bind(&used.email)
                .execute(&mut *tx).await?.rows_affected();
            tx.commit().await?;
            Ok((changed == 1).then_some(used.user_id))
        })
    }

    /// Sets a new password with a `password_reset` token: every other reset
    /// token of the account is spent, every session is revoked, and the address
    /// counts as confirmed (the link reached it). `None` for a bad token.
    pub async fn reset_password(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Uuid>, sqlx::Error> {
        let purpose = TokenPurpose::PasswordReset.as_str();
        let update = "UPDATE users SET password_hash = $1, updated_at = $2, \
                      email_verified_at = COALESCE(email_verified_at, $2) WHERE id = $3 AND email = $4";
        let spend = "UPDATE account_tokens SET used_at = $1 \
                     WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL";
        let revoke =
            "UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL";
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let Some(used) = use_token!(tx, token_hash, purpose, now) else {
                return Ok(None);
            };
            let changed = sqlx::query(update)
                .bind(password_hash).bind(now).bind(used.user_id).bind(&used.email)
                .execute(&mut *tx).await?.rows_affected();
            if changed != 1 {
                // The account moved to another address since the link was sent.
                tx.commit().await?;
                return Ok(None);
            }
            sqlx::query(spend).bind(now).bind(used.user_id).bind(purpose).execute(&mut *tx).await?;
            sqlx::query(revoke).bind(now).bind(used.user_id).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(Some(used.user_id))
        })
    }

    /// Moves an account to the address an `email_change` token was sent to
    /// (now confirmed). `Ok(None)` for a bad token; `EmailTaken` when another
    /// account took the address since.
    pub async fn change_email(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Uuid>, AccountError> {
        let purpose = TokenPurpose::EmailChange.as_str();
        let update =
            "UPDATE users SET email = $1, email_verified_at = $2, updated_at = $2 WHERE id = $3";
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let Some(used) = use_token!(tx, token_hash, purpose, now) else {
                return Ok(None);
            };
            let result = sqlx::query(update)
                .bind(&used.email).bind(now).bind(used.user_id)
                .execute(&mut *tx).await;
            match result {
                Ok(_) => {
                    tx.commit().await?;
                    Ok(Some(used.user_id))
                }
                Err(sqlx::Error::Database(db)) if db.is_unique_violation() => {
                    Err(AccountError::EmailTaken)
                }
                Err(e) => Err(e.into()),
            }
        })
    }
}
