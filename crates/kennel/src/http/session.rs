//! The signed-in user of a request, from `Authorization: Bearer <token>`: the
//! extractor handlers take to require (or accept) a session.

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::auth::{token_hash, TOKEN_PREFIX};
use crate::domain::account::Role;
use crate::error::ApiError;
use crate::state::AppState;

/// The signed-in user of a request, from `Authorization: Bearer <token>`.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: Uuid,
    pub session_id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub organization_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub email_verified: bool,
    pub conversation_email: bool,
}

impl CurrentUser {
    /// Only admins pass.
    pub fn require_admin(&self) -> Result<(), ApiError> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(ApiError::Forbidden {
                detail: "Only administrators may do this.".into(),
            })
        }
    }
}

fn unauthorized(detail: &str) -> ApiError {
    ApiError::Unauthorized {
        detail: detail.to_string(),
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        // Already resolved for this request (by the rate limiter)?
        if let Some(user) = parts.extensions.get::<CurrentUser>() {
            return Ok(user.clone());
        }
        let user = Self::resolve(parts, state).await?;
        parts.extensions.insert(user.clone());
        Ok(user)
    }
}

impl CurrentUser {
    /// The user of the request's bearer token, from the sessions table.
    pub async fn resolve(parts: &Parts, state: &AppState) -> Result<CurrentUser, ApiError> {
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .ok_or_else(|| unauthorized("Sign in first: send `Authorization: Bearer <token>`."))?;
        let token = header
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| t.starts_with(TOKEN_PREFIX) && t.len() < 200)
            .ok_or_else(|| unauthorized("The Authorization header must be `Bearer <token>`."))?;
        let found = state
            .store
            .user_for_session(&token_hash(token), Utc::now())
            .await?;
        let (user, session_id) =
            found.ok_or_else(|| unauthorized("The session has expired or was signed out."))?;
        Ok(CurrentUser {
            id: user.id,
            session_id,
            role: user.role,
            email: user.email,
            display_name: user.display_name,
            organization_id: user.organization_id,
            created_at: user.created_at,
            email_verified: user.email_verified_at.is_some(),
            conversation_email: user.conversation_email,
        })
    }
}

/// `Option<CurrentUser>`: `None` without an `Authorization` header; a header that
/// does not name a live session is still a 401, so a client never silently loses
/// its identity.
impl OptionalFromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, ApiError> {
        if !parts.headers.contains_key(AUTHORIZATION) {
            return Ok(None);
        }
        <CurrentUser as FromRequestParts<AppState>>::from_request_parts(parts, state)
            .await
            .map(Some)
    }
}
