//! Feature flags over HTTP: `GET /v1/config` evaluates them for the caller (the
//! mobile app's start-up call), and administrators list and change them.

use crate::http::json::Json;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::feature_gate;
use super::session::CurrentUser;
use crate::error::{ApiError, ApiResult, Problem};
use crate::flags;
use crate::state::AppState;
use crate::store::admin::AuditEntry;
use crate::store::flags::{FlagChange, FlagRecord};

/// The features as they are for this caller: each is on when its flag is on for
/// them and the feature can work on this instance.
#[derive(Debug, Serialize, ToSchema)]
pub struct FlagValues {
    /// Also false when no assistant provider is configured here (`LLM_BASE_URL`):
    /// the app hides the assistant rather than offer what always fails.
    pub assistant: bool,
    pub inquiries: bool,
    pub photo_uploads: bool,
    /// New matches for saved searches may come as push notifications: the app
    /// may ask for permission and register its push token.
    pub push_notifications: bool,
}

/// What the app needs to know at start-up.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientConfig {
    /// `local`, `staging` or `production`.
    pub environment: String,
    pub flags: FlagValues,
}

/// The feature flags evaluated for the caller (signed-in user, or `X-Device-Id`).
#[utoipa::path(
    get,
    path = "/v1/config",
    tag = "browse",
    security((), ("bearer" = [])),
    params(
        ("X-Device-Id" = Option<String>, Header, description = "A stable random id of the device (8–64 of A-Z a-z 0-9 - _), for sticky rollouts when signed out"),
    ),
    responses(
        (status = 200, description = "Flags for this caller", body = ClientConfig),
        (status = 401, description = "An Authorization header that is not a live session", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn client_config(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    headers: HeaderMap,
) -> Response {
    let subject = feature_gate::subject(user.as_ref(), &headers);
    let on = |flag| state.flags.is_enabled(flag, subject);
    let config = ClientConfig {
        environment: state.config.env.as_str().to_string(),
        flags: FlagValues {
            assistant: on(flags::ASSISTANT) && state.config.llm.is_some(),
            inquiries: on(flags::INQUIRIES),
            photo_uploads: on(flags::PHOTO_UPLOADS),
            push_notifications: on(flags::PUSH_NOTIFICATIONS),
        },
    };
    let mut response = Json(config).into_response();
    // Evaluated per caller, and a kill switch must reach the app quickly.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

/// One feature flag.
#[derive(Debug, Serialize, ToSchema)]
pub struct Flag {
    pub key: String,
    pub description: String,
    /// The kill switch: when false the feature is off for everyone.
    pub enabled: bool,
    /// Share of users (0–100) who get the feature while enabled, by sticky bucket.
    pub rollout_percent: u8,
    pub updated_at: DateTime<Utc>,
}

impl From<FlagRecord> for Flag {
    fn from(record: FlagRecord) -> Flag {
        Flag {
            key: record.key,
            description: record.description,
            enabled: record.enabled,
            rollout_percent: record.rollout_percent.clamp(0, 100) as u8,
            updated_at: record.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FlagList {
    pub items: Vec<Flag>,
}

/// A change to a flag; fields left out stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FlagUpdate {
    pub enabled: Option<bool>,
    #[serde(default, deserialize_with = "super::whole_number")]
    #[schema(minimum = 0, maximum = 100)]
    pub rollout_percent: Option<i64>,
    /// 1 to 200 characters (surrounding spaces are dropped), no NUL.
    #[schema(max_length = 200, pattern = r"^[^\u0000]*[^\s\u0000][^\u0000]*$")]
    pub description: Option<String>,
}

/// Every feature flag as stored (administrators).
#[utoipa::path(
    get,
    path = "/v1/admin/flags",
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The flags", body = FlagList),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_flags(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<Json<FlagList>> {
    user.require_admin()?;
    let items = state
        .store
        .flags()
        .await?
        .into_iter()
        .map(Flag::from)
        .collect();
    Ok(Json(FlagList { items }))
}

/// Turns a flag on or off, changes its rollout or description (administrators).
/// Audited; every instance applies it within 5 seconds.
#[utoipa::path(
    patch,
    path = "/v1/admin/flags/{key}",
    tag = "admin",
    security(("bearer" = [])),
    params(("key" = String, Path, description = "Flag key, e.g. `assistant`")),
    request_body = FlagUpdate,
    responses(
        (status = 200, description = "The flag after the change", body = Flag),
        (status = 400, description = "Invalid change", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such flag", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_flag(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    Json(update): Json<FlagUpdate>,
) -> ApiResult<Json<Flag>> {
    user.require_admin()?;
    // Flag keys are short snake_case names; anything else (a NUL included,
    // which Postgres cannot compare) names no flag.
    let plausible = (1..=64).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !plausible {
        return Err(ApiError::NotFound { what: "flag" });
    }
    let change = checked_change(update)?;
    let audit = AuditEntry {
        actor_id: Some(user.id),
        channel: "api",
        action: "flag.updated",
        target_type: "flag",
        target_id: key.clone(),
        details: flags::describe_change(&change),
    };
    let flag = state
        .store
        .update_flag(&key, &change, &audit, Utc::now())
        .await?
        .ok_or(ApiError::NotFound { what: "flag" })?;
    // This instance applies it at once; the others at their next refresh.
    if let Err(error) = state.flags.refresh(&state.store).await {
        tracing::warn!(error = %error, "could not reload flags after a change");
    }
    Ok(Json(flag.into()))
}

fn checked_change(update: FlagUpdate) -> ApiResult<FlagChange> {
    flags::change(update.enabled, update.rollout_percent, update.description)
        .map_err(ApiError::Validation)
}
