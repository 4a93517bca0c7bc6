//! The signed-in user of a request, from `Authorization: Bearer <token>` (the
//! native app, scripts) or the `kennel_session` cookie (the web app, which
//! never sees its token): the extractor handlers take to require (or accept)
//! a session, and the cookie that carries a web session.

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::auth::{token_hash, TOKEN_PREFIX};
use crate::domain::account::{AlertChannel, Role};
use crate::error::ApiError;
use crate::state::AppState;

/// The cookie of a web session: `HttpOnly` (scripts cannot read it), `Secure`,
/// `SameSite=Strict` (other sites' pages do not send it).
pub const SESSION_COOKIE: &str = "kennel_session";

/// The header a web client sends with every request it signs in by cookie. A
/// cookie-authenticated change without it is refused: a page of another origin
/// can only add a custom header after a CORS preflight, which only the allowed
/// origins pass, so a forged form or script cannot act as the user.
pub const CLIENT_HEADER: HeaderName = HeaderName::from_static("x-kennel-client");

/// The `Set-Cookie` value that starts a web session of `token`.
pub fn session_cookie(token: &str, max_age_seconds: i64) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Max-Age={max_age_seconds}; Path=/; HttpOnly; Secure; SameSite=Strict"
    ))
    .expect("session tokens are visible ASCII")
}

/// The `Set-Cookie` value that ends a web session in the browser.
pub fn cleared_session_cookie() -> HeaderValue {
    HeaderValue::from_static(
        "kennel_session=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict",
    )
}

/// The web session token of a request's `Cookie` headers, if it carries one.
pub fn cookie_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim())
        .filter(|value| !value.is_empty())
}

/// Whether the request carries a session at all (a bearer token or the
/// session cookie), valid or not.
pub fn carries_session(headers: &HeaderMap) -> bool {
    headers.contains_key(AUTHORIZATION) || cookie_token(headers).is_some()
}

/// The signed-in user of a request, from its bearer token or session cookie.
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
    pub new_match_alerts: AlertChannel,
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

    /// Only accounts whose address is confirmed may write to others (a new
    /// inquiry, a reply): an address nobody confirmed cannot be answered by
    /// email, and throwaway accounts cannot message shelters.
    pub fn require_verified_email(&self) -> Result<(), ApiError> {
        if self.email_verified {
            return Ok(());
        }
        Err(ApiError::Refused {
            code: "email_unverified",
            detail: "Confirm your email address before sending messages: follow the link we \
                     emailed you, or ask for a new one with POST /v1/me/verification-email."
                .into(),
        })
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
    /// The user of the request's bearer token (or, without one, its session
    /// cookie), from the sessions table.
    pub async fn resolve(parts: &Parts, state: &AppState) -> Result<CurrentUser, ApiError> {
        let token = match parts.headers.get(AUTHORIZATION) {
            Some(header) => header
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::trim)
                .filter(|t| well_formed(t))
                .ok_or_else(|| {
                    unauthorized("The Authorization header must be `Bearer <token>`.")
                })?,
            None => {
                let token = cookie_token(&parts.headers).ok_or_else(|| {
                    unauthorized("Sign in first: send `Authorization: Bearer <token>`.")
                })?;
                if !well_formed(token) {
                    return Err(unauthorized("The session cookie is not a Kennel session."));
                }
                require_client_header(parts)?;
                token
            }
        };
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
            new_match_alerts: user.new_match_alerts,
        })
    }
}

fn well_formed(token: &str) -> bool {
    token.starts_with(TOKEN_PREFIX) && token.len() < 200
}

/// A change signed in by cookie must say it comes from the web client (see
/// [`CLIENT_HEADER`]); reads need not, since they change nothing.
fn require_client_header(parts: &Parts) -> Result<(), ApiError> {
    let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || parts.headers.contains_key(CLIENT_HEADER) {
        return Ok(());
    }
    Err(ApiError::Refused {
        code: "csrf_header_missing",
        detail: "A change signed in by the session cookie must carry `X-Kennel-Client: web`."
            .into(),
    })
}

/// `Option<CurrentUser>`: `None` without a bearer token or session cookie. A
/// bearer token that does not name a live session is still a 401, so a client
/// never silently loses its identity; a session cookie that does not (signed
/// out, expired) counts as anonymous, since the web client cannot remove it by
/// itself and asks `GET /v1/me` whether it is signed in.
impl OptionalFromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, ApiError> {
        if parts.headers.contains_key(AUTHORIZATION) {
            return <CurrentUser as FromRequestParts<AppState>>::from_request_parts(parts, state)
                .await
                .map(Some);
        }
        if cookie_token(&parts.headers).is_none() {
            return Ok(None);
        }
        match <CurrentUser as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(user) => Ok(Some(user)),
            Err(ApiError::Unauthorized { .. }) => Ok(None),
            Err(other) => Err(other),
        }
    }
}
