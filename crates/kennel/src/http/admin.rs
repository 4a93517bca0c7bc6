//! Administration: users and roles, and the audit log. Admins only.

use crate::http::json::Json;
use axum::extract::{Path, RawQuery, State};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::paging::{page_params, PageItem, PageParams};
use super::parse_id;
use super::session::CurrentUser;
use super::views::Me;
use crate::domain::account::Role;
use crate::domain::paging::{List, Page};
use crate::error::{ApiError, ApiResult, Problem};
use crate::state::AppState;
use crate::store::admin::AuditEntry;

/// A page of accounts.
pub type AdminUserPage = Page<Me>;

impl PageItem for Me {
    const PAGE_SCHEMA: &'static str = "AdminUserPage";
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditLogEntry {
    pub id: Uuid,
    /// The user who acted (`null` for the command line or a deleted account).
    pub actor_id: Option<Uuid>,
    /// `api` or `cli`.
    pub channel: String,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub details: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

/// A page of the audit log.
pub type AuditLogPage = Page<AuditLogEntry>;

impl PageItem for AuditLogEntry {
    const PAGE_SCHEMA: &'static str = "AuditLogPage";
}

/// Every account, oldest first.
#[utoipa::path(
    get,
    path = "/v1/admin/users",
    tag = "admin",
    security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, description = "A page of users", body = AdminUserPage),
        (status = 400, description = "Invalid parameters", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_users(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<AdminUserPage>> {
    user.require_admin()?;
    let page = page_params(raw, List::Users)?;
    let users = state.store.list_users(&page).await?;
    Ok(Json(users.map(Me::from)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetRoleRequest {
    pub role: Role,
    /// Required for `staff` (their organisation); must be absent otherwise.
    pub organization_id: Option<Uuid>,
}

/// Sets a user's role (and organisation, for staff).
#[utoipa::path(
    put,
    path = "/v1/admin/users/{id}/role",
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "User id")),
    request_body = SetRoleRequest,
    responses(
        (status = 200, description = "The updated user", body = Me),
        (status = 400, description = "Invalid role or organisation", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn set_role(
    State(state): State<AppState>,
    admin: CurrentUser,
    Path(id): Path<String>,
    Json(request): Json<SetRoleRequest>,
) -> ApiResult<Json<Me>> {
    admin.require_admin()?;
    let id = parse_id("id", &id)?;
    match (request.role, request.organization_id) {
        (Role::Staff, None) => {
            return Err(ApiError::field("organization_id", "is required for staff"));
        }
        (Role::Staff, Some(org)) if !state.store.organization_exists(org).await? => {
            return Err(ApiError::field(
                "organization_id",
                "is not an existing organisation",
            ));
        }
        (Role::Adopter | Role::Admin, Some(_)) => {
            return Err(ApiError::field(
                "organization_id",
                "only staff belong to an organisation",
            ));
        }
        _ => {}
    }
    if id == admin.id && request.role != Role::Admin {
        return Err(ApiError::field(
            "role",
            "you cannot remove your own admin role",
        ));
    }
    let audit = AuditEntry {
        actor_id: Some(admin.id),
        channel: "api",
        action: "user.role_set",
        target_type: "user",
        target_id: id.to_string(),
        details: serde_json::json!({
            "role": request.role.as_str(),
            "organization_id": request.organization_id,
        }),
    };
    let found = state
        .store
        .set_role(
            id,
            request.role.as_str(),
            request.organization_id,
            &audit,
            Utc::now(),
        )
        .await?;
    if !found {
        return Err(ApiError::NotFound { what: "user" });
    }
    let user = state
        .store
        .user_by_id(id)
        .await?
        .ok_or(ApiError::NotFound { what: "user" })?;
    Ok(Json(Me::from(user)))
}

/// The audit log, newest first.
#[utoipa::path(
    get,
    path = "/v1/admin/audit-log",
    tag = "admin",
    security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, description = "A page of audit entries", body = AuditLogPage),
        (status = 400, description = "Invalid parameters", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn audit_log(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<AuditLogPage>> {
    user.require_admin()?;
    let page = page_params(raw, List::AuditLog)?;
    let entries = state.store.audit_entries(&page).await?;
    Ok(Json(entries.map(|e| AuditLogEntry {
        details: serde_json::from_str(&e.details).unwrap_or(serde_json::Value::Null),
        id: e.id,
        actor_id: e.actor_id,
        channel: e.channel,
        action: e.action,
        target_type: e.target_type,
        target_id: e.target_id,
        created_at: e.created_at,
    })))
}
