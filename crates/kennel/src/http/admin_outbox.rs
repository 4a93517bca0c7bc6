//! Administration of account email: what waits in the outbox, the messages
//! that ended dead (kept failing, or were refused by the mail server) and
//! making them due again. Admins only; the same as `kennel outbox status` and
//! `kennel outbox retry` for operators without a shell.

use crate::http::json::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::parse_id;
use super::session::CurrentUser;
use crate::domain::mail::OutboxStatus;
use crate::error::{ApiError, ApiResult, Problem};
use crate::state::AppState;
use crate::store::admin::AuditEntry;

/// How many dead messages the summary lists (newest first).
const DEAD_LISTED: i64 = 100;

/// The outbox at a glance.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxSummary {
    /// Messages waiting to be delivered (due now or retrying later).
    pub pending: i64,
    /// Messages that will not be tried again unless retried.
    pub dead: i64,
    /// How long the oldest pending message has waited, in seconds.
    pub oldest_pending_seconds: Option<i64>,
    /// The newest dead messages (at most 100).
    pub dead_messages: Vec<DeadMail>,
}

/// A message that ended dead.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeadMail {
    pub id: Uuid,
    /// What the message is (`verify_email`, `password_reset`, `conversation_reply`, …).
    pub kind: String,
    pub recipient: String,
    pub attempts: i32,
    /// The mail server's last answer (addresses removed).
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Pending and dead counts, and the newest dead messages.
#[utoipa::path(
    get,
    path = "/v1/admin/outbox",
    operation_id = "outbox_status",
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The outbox", body = OutboxSummary),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn outbox(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<Json<OutboxSummary>> {
    user.require_admin()?;
    let counts = state.store.outbox_counts().await?;
    let dead = state
        .store
        .list_mail(OutboxStatus::Dead, DEAD_LISTED)
        .await?;
    let now = Utc::now();
    Ok(Json(OutboxSummary {
        pending: counts.pending,
        dead: counts.dead,
        oldest_pending_seconds: counts
            .oldest_pending
            .map(|t| (now - t).num_seconds().max(0)),
        dead_messages: dead
            .into_iter()
            .map(|m| DeadMail {
                id: m.id,
                kind: m.kind.as_str().to_string(),
                recipient: m.recipient,
                attempts: m.attempts,
                last_error: m.last_error,
                created_at: m.created_at,
            })
            .collect(),
    }))
}

/// Makes a dead message due again, with a fresh set of attempts (audited).
#[utoipa::path(
    post,
    path = "/v1/admin/outbox/{id}/retry",
    operation_id = "retry_mail",
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The dead message's id")),
    responses(
        (status = 204, description = "Due again"),
        (status = 400, description = "Invalid id", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No dead message with this id", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn retry(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    user.require_admin()?;
    let id = parse_id("id", &id)?;
    let audit = AuditEntry {
        actor_id: Some(user.id),
        channel: "api",
        action: "outbox.retried",
        target_type: "outbox",
        target_id: id.to_string(),
        details: serde_json::json!({}),
    };
    if state
        .store
        .revive_mail_audited(id, &audit, Utc::now())
        .await?
    {
        state.outbox.nudge();
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound {
            what: "dead message",
        })
    }
}
