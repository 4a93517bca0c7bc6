//! Account flows that go through the owner's mailbox: confirming the address,
//! resetting a forgotten password, and moving the account to a new address.
//!
//! Each request that sends mail only queues it (the outbox, `mail::outbox`) and
//! answers the same whether or not an account has the address, so none of
//! these can be used to learn who is registered. Repeats to one address are
//! throttled by the outbox (`mail::requests`), repeats from one client by the
//! `auth` rate-limit bucket.

use crate::http::json::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::session::CurrentUser;
use crate::auth::{self, MAIL_TOKEN_PREFIX};
use crate::domain::account::{Email, Password};
use crate::domain::mail::TokenPurpose;
use crate::error::{ApiError, ApiResult, Problem};
use crate::mail::requests;
use crate::state::AppState;
use crate::store::accounts::AccountError;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    #[schema(format = Email, max_length = 254)]
    pub email: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetConfirmation {
    /// The `token` of the link in the reset message.
    pub token: String,
    /// 10 to 128 characters, not the email address.
    #[schema(min_length = 10, max_length = 128)]
    pub new_password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenConfirmation {
    /// The `token` of the link in the message.
    pub token: String,
}

/// The answer to a request that may send mail: the same whether or not an
/// account has the address.
#[derive(Debug, Serialize, ToSchema)]
pub struct MailQueued {
    pub next: MailNext,
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MailNext {
    /// Look for a message at the address and follow its link.
    CheckEmail,
}

fn accepted() -> (StatusCode, Json<MailQueued>) {
    (
        StatusCode::ACCEPTED,
        Json(MailQueued {
            next: MailNext::CheckEmail,
        }),
    )
}

fn bad_token() -> ApiError {
    ApiError::field(
        "token",
        "is not valid: the link may have expired or been used already; ask for a new one",
    )
}

/// The stored hash of a token from a link, or the bad-token refusal for
/// anything that cannot be one.
fn token_hash(raw: &str) -> ApiResult<String> {
    let raw = raw.trim();
    if !raw.starts_with(MAIL_TOKEN_PREFIX) || raw.len() > 100 {
        return Err(bad_token());
    }
    Ok(auth::token_hash(raw))
}

/// Sends a link to choose a new password, if the address has an account. The
/// answer is 202 either way; at most one message per address every two
/// minutes.
#[utoipa::path(
    post,
    path = "/v1/auth/password-reset",
    tag = "accounts",
    request_body = PasswordResetRequest,
    responses(
        (status = 202, description = "If the address has an account, a reset link is on its way", body = MailQueued),
        (status = 400, description = "Not an email address", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this client", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn request_password_reset(
    State(state): State<AppState>,
    Json(request): Json<PasswordResetRequest>,
) -> ApiResult<(StatusCode, Json<MailQueued>)> {
    let email = Email::parse(&request.email).map_err(|m| ApiError::field("email", m))?;
    requests::password_reset(&state.store, &state.outbox, &email).await?;
    Ok(accepted())
}

/// Sets a new password with the token of a reset link. The token works once
/// and for an hour; using it signs the account out everywhere and confirms
/// its address.
#[utoipa::path(
    post,
    path = "/v1/auth/password-reset/confirm",
    tag = "accounts",
    request_body = PasswordResetConfirmation,
    responses(
        (status = 204, description = "Password changed; every session was signed out"),
        (status = 400, description = "Bad, expired or used token, or an invalid password", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn confirm_password_reset(
    State(state): State<AppState>,
    Json(request): Json<PasswordResetConfirmation>,
) -> ApiResult<StatusCode> {
    let hash = token_hash(&request.token)?;
    let now = Utc::now();
    let token = state
        .store
        .peek_account_token(&hash, TokenPurpose::PasswordReset, now)
        .await?
        .ok_or_else(bad_token)?;
    let email = Email::parse(&token.email).map_err(|m| ApiError::internal(anyhow::anyhow!(m)))?;
    let password = Password::parse(&request.new_password, &email)
        .map_err(|m| ApiError::field("new_password", m))?;
    let secret = password.expose().to_string();
    let password_hash = auth::hash_password_in_background(secret).await?;
    state
        .store
        .reset_password(&hash, &password_hash, Utc::now())
        .await?
        .ok_or_else(bad_token)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Confirms the account's address with the token of a confirmation link.
#[utoipa::path(
    post,
    path = "/v1/auth/verify-email",
    tag = "accounts",
    request_body = TokenConfirmation,
    responses(
        (status = 204, description = "The address is confirmed"),
        (status = 400, description = "Bad, expired or used token", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn verify_email(
    State(state): State<AppState>,
    Json(request): Json<TokenConfirmation>,
) -> ApiResult<StatusCode> {
    let hash = token_hash(&request.token)?;
    state
        .store
        .verify_email(&hash, Utc::now())
        .await?
        .ok_or_else(bad_token)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sends the signed-in account a new confirmation link (at most one every two
/// minutes). Nothing is sent when the address is confirmed already.
#[utoipa::path(
    post,
    path = "/v1/me/verification-email",
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 202, description = "A confirmation link is on its way, unless the address is confirmed", body = MailQueued),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn resend_verification(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<(StatusCode, Json<MailQueued>)> {
    if !user.email_verified {
        requests::verification(&state.store, &state.outbox, user.id, &user.email).await?;
    }
    Ok(accepted())
}

/// Moves the account to the new address a confirmation link was sent to.
#[utoipa::path(
    post,
    path = "/v1/auth/email-change/confirm",
    tag = "accounts",
    request_body = TokenConfirmation,
    responses(
        (status = 204, description = "The account now signs in with the new, confirmed address"),
        (status = 400, description = "Bad, expired or used token", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another account took the address after the link was sent", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn confirm_email_change(
    State(state): State<AppState>,
    Json(request): Json<TokenConfirmation>,
) -> ApiResult<StatusCode> {
    let hash = token_hash(&request.token)?;
    match state.store.change_email(&hash, Utc::now()).await {
        Ok(Some(_)) => Ok(StatusCode::NO_CONTENT),
        Ok(None) => Err(bad_token()),
        Err(AccountError::EmailTaken) => Err(ApiError::Conflict {
            code: "email_taken",
            detail: "Another account uses this address now; sign in with it instead.".into(),
        }),
        Err(AccountError::Database(e)) => Err(e.into()),
    }
}
