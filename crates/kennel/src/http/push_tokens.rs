//! The app's Expo push tokens: registered when the user allows notifications
//! on a device, removed at sign-out (and by the server when Expo reports the
//! device gone). New matches for saved searches are pushed to them.

use crate::http::json::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::feature_gate;
use super::session::CurrentUser;
use crate::error::{ApiError, ApiResult, FieldError, Problem};
use crate::flags::{self, Subject};
use crate::state::AppState;
use crate::store::push_tokens::PushTokenRecord;

/// One device that receives push notifications.
#[derive(Debug, Serialize, ToSchema)]
pub struct PushToken {
    /// The Expo push token, `ExponentPushToken[…]`.
    pub token: String,
    /// `ios` or `android`.
    pub platform: String,
    pub created_at: DateTime<Utc>,
}

impl From<PushTokenRecord> for PushToken {
    fn from(r: PushTokenRecord) -> Self {
        PushToken {
            token: r.token,
            platform: r.platform,
            created_at: r.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PushTokenList {
    pub items: Vec<PushToken>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPushToken {
    /// The token from `getExpoPushTokenAsync`: `ExponentPushToken[…]` or
    /// `ExpoPushToken[…]`.
    #[schema(
        max_length = 200,
        pattern = r"^Expo(nent)?PushToken\[[A-Za-z0-9_-]{1,180}\]$",
        example = "ExponentPushToken[xxxxxxxxxxxxxxxxxxxxxx]"
    )]
    pub token: String,
    /// `ios` or `android`.
    #[schema(pattern = "^(ios|android)$", example = "ios")]
    pub platform: String,
}

/// Whether `raw` has the shape of an Expo push token.
pub fn valid_token(raw: &str) -> bool {
    let inner = ["ExponentPushToken[", "ExpoPushToken["]
        .iter()
        .find_map(|prefix| raw.strip_prefix(prefix))
        .and_then(|rest| rest.strip_suffix(']'));
    inner.is_some_and(|inner| {
        (1..=180).contains(&inner.len())
            && inner
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

/// Registers this device's push token for the signed-in user (moving it from
/// whoever used the device before).
#[utoipa::path(
    post,
    path = "/v1/me/push-tokens",
    tag = "notifications",
    security(("bearer" = [])),
    request_body = NewPushToken,
    responses(
        (status = 200, description = "Known already; now this account's", body = PushToken),
        (status = 201, description = "Registered", body = PushToken),
        (status = 400, description = "Not an Expo push token, or an unknown platform", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Push notifications are switched off (`feature_unavailable`)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn register_push_token(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(input): Json<NewPushToken>,
) -> ApiResult<(StatusCode, Json<PushToken>)> {
    feature_gate::require(
        &state,
        flags::PUSH_NOTIFICATIONS,
        "push notifications",
        Subject::User(user.id),
    )?;
    let mut errors = Vec::new();
    let token = input.token.trim();
    if !valid_token(token) {
        errors.push(FieldError::new(
            "token",
            "must be an Expo push token such as ExponentPushToken[…]",
        ));
    }
    if !matches!(input.platform.as_str(), "ios" | "android") {
        errors.push(FieldError::new("platform", "must be ios or android"));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let now = Utc::now().trunc_subsecs(6);
    let (record, created) = state
        .store
        .register_push_token(token, user.id, &input.platform, now)
        .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(record.into())))
}

/// The devices that receive the user's push notifications.
#[utoipa::path(
    get,
    path = "/v1/me/push-tokens",
    tag = "notifications",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The devices", body = PushTokenList),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_push_tokens(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<Json<PushTokenList>> {
    let items = state.store.push_tokens(user.id).await?;
    Ok(Json(PushTokenList {
        items: items.into_iter().map(PushToken::from).collect(),
    }))
}

/// Stops pushing to one device (the app calls this at sign-out).
#[utoipa::path(
    delete,
    path = "/v1/me/push-tokens/{token}",
    tag = "notifications",
    security(("bearer" = [])),
    params(("token" = String, Path, description = "The push token, URL-encoded")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not one of this account's devices", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delete_push_token(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(token): Path<String>,
) -> ApiResult<StatusCode> {
    if valid_token(&token) && state.store.delete_push_token(&token, user.id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound { what: "push token" })
    }
}

#[cfg(test)]
mod tests {
    use super::valid_token;

    #[test]
    fn only_expo_tokens_pass() {
        assert!(valid_token("ExponentPushToken[abcDEF123-_x]"));
        assert!(valid_token("ExpoPushToken[abc]"));
        assert!(!valid_token("ExponentPushToken[]"));
        assert!(!valid_token("ExponentPushToken[a b]"));
        assert!(!valid_token("ExponentPushToken[abc"));
        assert!(!valid_token("fcm:abc"));
        assert!(!valid_token(&format!(
            "ExponentPushToken[{}]",
            "a".repeat(181)
        )));
    }
}
