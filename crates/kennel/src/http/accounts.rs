//! Accounts: register, sign in and out, and the signed-in user's own profile.

use crate::http::json::Json;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::session::{cleared_session_cookie, cookie_token, session_cookie, CurrentUser};
use super::views::Me;
use crate::auth::{self, SESSION_TTL};
use crate::domain::account::{AlertChannel, DisplayName, Email, Password};
use crate::error::{ApiError, ApiResult, FieldError, Problem};
use crate::mail::requests;
use crate::ratelimit::{Bucket, Key};
use crate::state::AppState;
use crate::store::accounts::{AccountError, UserChanges, UserRecord};

#[derive(Debug, Serialize, ToSchema)]
pub struct Session {
    /// Send as `Authorization: Bearer <token>`. Shown once; keep it secret.
    /// Absent when the session was started as a cookie (`cookie: true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    pub expires_at: DateTime<Utc>,
    pub user: Me,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    /// 10 to 128 characters, not the email address.
    #[schema(min_length = 10, max_length = 128)]
    pub password: String,
    /// 1 to 80 characters (surrounding spaces are dropped), no control characters or
    /// bidirectional overrides/isolates, not only invisible ones; stored in Unicode NFC.
    #[schema(
        max_length = 80,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*[^\s\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u2060-\u2064\u2800\u3164\uFE00-\uFE0F\uFEFF\uFFA0][^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub display_name: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
    /// `true` for the web app: the session is set as the cookie
    /// `kennel_session` (`HttpOnly`, `Secure`, `SameSite=Strict`), so scripts
    /// on the page never see it, and the answer carries no `token`. Changes
    /// signed in by the cookie must send `X-Kennel-Client: web`.
    #[serde(default)]
    pub cookie: bool,
}

/// Changes to the own account. Changing the email or password needs the current
/// password; a new password signs out every other session. A new email is not
/// used at once: a confirmation link goes to the new address (or, when it has
/// an account already, a notice instead; the answer is the same), and the
/// account moves to it when the link is followed
/// (`POST /v1/auth/email-change/confirm`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMeRequest {
    /// 1 to 80 characters (surrounding spaces are dropped), no control characters or
    /// bidirectional overrides/isolates, not only invisible ones; stored in Unicode NFC.
    #[schema(
        max_length = 80,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*[^\s\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u2060-\u2064\u2800\u3164\uFE00-\uFE0F\uFEFF\uFFA0][^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub display_name: Option<String>,
    #[schema(format = Email, max_length = 254)]
    pub email: Option<String>,
    /// 10 to 128 characters, not the email address.
    #[schema(min_length = 10, max_length = 128)]
    pub new_password: Option<String>,
    /// Required with `email` or `new_password`.
    pub current_password: Option<String>,
    /// Email me when someone writes in one of my conversations.
    pub conversation_email: Option<bool>,
    /// How new matches for my saved searches are told.
    pub new_match_alerts: Option<AlertChannel>,
}

fn me_from_current(user: CurrentUser) -> Me {
    Me {
        id: user.id,
        email: user.email,
        display_name: user.display_name,
        role: user.role,
        organization_id: user.organization_id,
        created_at: user.created_at,
        email_verified: user.email_verified,
        conversation_email: user.conversation_email,
        new_match_alerts: user.new_match_alerts,
    }
}

async fn start_session(state: &AppState, user: UserRecord, cookie: bool) -> ApiResult<Response> {
    let (token, hash) = auth::new_token()?;
    let now = Utc::now();
    let expires_at = now + SESSION_TTL;
    state
        .store
        .create_session(Uuid::now_v7(), user.id, &hash, now, expires_at)
        .await?;
    let session = Session {
        token: (!cookie).then(|| token.clone()),
        expires_at,
        user: Me::from(user),
    };
    let mut response = Json(session).into_response();
    if cookie {
        response.headers_mut().insert(
            SET_COOKIE,
            session_cookie(&token, SESSION_TTL.num_seconds()),
        );
    }
    Ok(response)
}

/// The answer to a registration, the same whether or not the address already
/// had an account, so registering cannot be used to learn who has one.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationAccepted {
    /// The address as it will be used to sign in (trimmed, lower-case).
    pub email: String,
    /// What to do next: sign in with the address and password just sent.
    pub next: RegistrationNext,
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationNext {
    SignIn,
}

/// Creates an adopter account and sends a link confirming its address. The
/// answer is 202 whether the address is new or already has an account (in
/// which case nothing changes and its owner is told by mail), so it does not
/// tell anyone which addresses are registered; the client then signs in with
/// the same address and password. Both paths hash the password, so they also
/// take the same time.
#[utoipa::path(
    post,
    path = "/v1/auth/register",
    tag = "accounts",
    request_body = RegisterRequest,
    responses(
        (status = 202, description = "Accepted: an account for this address exists now (it may have existed before, with another password); sign in next", body = RegistrationAccepted),
        (status = 400, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn register(
    State(state): State<AppState>,
    Json(request): Json<RegisterRequest>,
) -> ApiResult<(StatusCode, Json<RegistrationAccepted>)> {
    let mut errors = Vec::new();
    let email = Email::parse(&request.email)
        .map_err(|m| errors.push(FieldError::new("email", m)))
        .ok();
    let password = email.as_ref().and_then(|email| {
        Password::parse(&request.password, email)
            .map_err(|m| errors.push(FieldError::new("password", m)))
            .ok()
    });
    let name = DisplayName::parse(&request.display_name)
        .map_err(|m| errors.push(FieldError::new("display_name", m)))
        .ok();
    let (Some(email), Some(password), Some(name)) = (email, password, name) else {
        return Err(ApiError::Validation(errors));
    };
    let secret = password.expose().to_string();
    let hash = auth::hash_password_in_background(secret).await?;
    match state
        .store
        .create_user(
            Uuid::now_v7(),
            email.as_str(),
            &hash,
            name.as_str(),
            Utc::now(),
        )
        .await
    {
        // The confirmation message was queued with the account.
        Ok(()) => state.outbox.nudge(),
        // The owner of the address is told by mail; the answer stays the same.
        Err(AccountError::EmailTaken) => {
            tracing::info!("registration for an address that already has an account");
            requests::registration_attempt(&state.store, &state.outbox, &email).await?;
        }
        Err(AccountError::Database(e)) => return Err(e.into()),
    }
    Ok((
        StatusCode::ACCEPTED,
        Json(RegistrationAccepted {
            email: email.as_str().to_string(),
            next: RegistrationNext::SignIn,
        }),
    ))
}

/// Refuses a password check of this account while its failures are over the
/// budget (`RATE_LIMIT_ACCOUNT_PER_MINUTE`), from whatever address it comes:
/// 429 with `Retry-After` until one failure is forgiven (one every 60/limit
/// seconds), never a lock. Only failed checks count (`count_failed_check`),
/// so the owner signing in uses none of it. Addresses without an account are
/// counted the same way, so the answer does not tell whether an account exists.
async fn may_check_password(state: &AppState, email: &str) -> ApiResult<()> {
    let decision = state
        .limiter
        .may_try(Bucket::Account, Key::account(&email.to_lowercase()))
        .await;
    if decision.allowed {
        return Ok(());
    }
    metrics::counter!("rate_limit_rejections_total", "bucket" => Bucket::Account.name())
        .increment(1);
    let retry_after = decision.retry_after.as_secs_f64().ceil().max(1.0) as u64;
    Err(ApiError::TooManyRequests {
        detail: format!("Too many wrong passwords for this account; retry in {retry_after} s."),
        retry_after,
    })
}

/// Counts a wrong password against the account's budget.
async fn count_failed_check(state: &AppState, email: &str) {
    state
        .limiter
        .count_failure(Bucket::Account, Key::account(&email.to_lowercase()))
        .await;
}

/// Signs in. Wrong passwords and unknown emails get the same answer.
#[utoipa::path(
    post,
    path = "/v1/auth/login",
    tag = "accounts",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = Session, headers(
            ("Set-Cookie" = String, description = "With `cookie: true`: the web session `kennel_session` (`HttpOnly; Secure; SameSite=Strict`)"),
        )),
        (status = 401, description = "Wrong email or password", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn login(
    State(state): State<AppState>,
    Json(request): Json<LoginRequest>,
) -> ApiResult<Response> {
    let user = match Email::parse(&request.email) {
        Ok(email) => {
            may_check_password(&state, email.as_str()).await?;
            Some((state.store.user_by_email(email.as_str()).await?, email))
        }
        Err(_) => None,
    };
    let stored = user
        .as_ref()
        .and_then(|(user, _)| user.as_ref())
        .map(|u| u.password_hash.clone());
    let password = request.password;
    let ok = auth::verify_password_in_background(password, stored).await?;
    match (ok, user) {
        (true, Some((Some(user), _))) => start_session(&state, user, request.cookie).await,
        (_, found) => {
            if let Some((_, email)) = found {
                count_failed_check(&state, email.as_str()).await;
            }
            Err(ApiError::Unauthorized {
                detail: "Wrong email or password.".into(),
            })
        }
    }
}

/// Signs out this session. A web session's cookie is cleared too, also when
/// its session had ended already (the page cannot remove an `HttpOnly` cookie
/// by itself).
#[utoipa::path(
    post,
    path = "/v1/auth/logout",
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out", headers(
            ("Set-Cookie" = String, description = "Clears `kennel_session` when the request carried it"),
        )),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Signed in by cookie without `X-Kennel-Client` (`csrf_header_missing`)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn logout(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let by_cookie = cookie_token(&headers).is_some();
    match user {
        Some(user) => {
            state
                .store
                .revoke_session(user.session_id, Utc::now())
                .await?
        }
        None if by_cookie => {}
        None => {
            return Err(ApiError::Unauthorized {
                detail: "Sign in first: send `Authorization: Bearer <token>`.".into(),
            })
        }
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    if by_cookie {
        response
            .headers_mut()
            .insert(SET_COOKIE, cleared_session_cookie());
    }
    Ok(response)
}

/// The signed-in user.
#[utoipa::path(
    get,
    path = "/v1/me",
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account", body = Me),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_me(user: CurrentUser) -> Json<Me> {
    Json(me_from_current(user))
}

/// Updates the own account.
#[utoipa::path(
    patch,
    path = "/v1/me",
    tag = "accounts",
    security(("bearer" = [])),
    request_body = UpdateMeRequest,
    responses(
        (status = 200, description = "The updated account", body = Me),
        (status = 400, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_me(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(request): Json<UpdateMeRequest>,
) -> ApiResult<Json<Me>> {
    let mut errors = Vec::new();
    let display_name = request.display_name.as_deref().and_then(|raw| {
        DisplayName::parse(raw)
            .map_err(|m| errors.push(FieldError::new("display_name", m)))
            .ok()
    });
    let email = request.email.as_deref().and_then(|raw| {
        Email::parse(raw)
            .map_err(|m| errors.push(FieldError::new("email", m)))
            .ok()
    });
    let effective_email = match &email {
        Some(e) => e.clone(),
        None => Email::parse(&user.email).map_err(|m| ApiError::internal(anyhow::anyhow!(m)))?,
    };
    let new_password = request.new_password.as_deref().and_then(|raw| {
        Password::parse(raw, &effective_email)
            .map_err(|m| errors.push(FieldError::new("new_password", m)))
            .ok()
    });
    let sensitive = email.is_some() || new_password.is_some();
    if sensitive && request.current_password.is_none() {
        errors.push(FieldError::new(
            "current_password",
            "is required to change the email or password",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    if sensitive {
        may_check_password(&state, &user.email).await?;
        let stored = state
            .store
            .user_by_id(user.id)
            .await?
            .map(|u| u.password_hash);
        let current = request.current_password.unwrap_or_default();
        let ok = auth::verify_password_in_background(current, stored).await?;
        if !ok {
            count_failed_check(&state, &user.email).await;
            return Err(ApiError::field(
                "current_password",
                "is not your current password",
            ));
        }
    }
    let password_hash = match new_password {
        Some(p) => {
            let secret = p.expose().to_string();
            Some(auth::hash_password_in_background(secret).await?)
        }
        None => None,
    };
    let changed_password = password_hash.is_some();
    let now = Utc::now();
    let changes = UserChanges {
        conversation_email: request.conversation_email,
        new_match_alerts: request.new_match_alerts,
        display_name: display_name.map(|n| n.as_str().to_string()),
        password_hash,
    };
    state.store.update_user(user.id, changes, now).await?;
    if let Some(email) = &email {
        requests::email_change(&state.store, &state.outbox, user.id, &user.email, email).await?;
    }
    if changed_password {
        state
            .store
            .revoke_other_sessions(user.id, user.session_id, now)
            .await?;
    }
    let updated = state
        .store
        .user_by_id(user.id)
        .await?
        .ok_or(ApiError::NotFound { what: "account" })?;
    Ok(Json(Me::from(updated)))
}

/// Deletes the own account and its personal data; every session ends.
#[utoipa::path(
    delete,
    path = "/v1/me",
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delete_me(State(state): State<AppState>, user: CurrentUser) -> ApiResult<StatusCode> {
    state.store.delete_user(user.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
