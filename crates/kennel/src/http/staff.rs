//! What staff may do to listings: staff manage their own organisation's puppies,
//! admins any; and the audit entry each change records.

use uuid::Uuid;

use super::parse_id;
use super::session::CurrentUser;
use crate::domain::account::Role;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store::admin::AuditEntry;
use crate::store::listings::Listing;

/// 403 for someone who may not manage this puppy.
pub fn forbidden() -> ApiError {
    ApiError::Forbidden {
        detail: "Only staff of the puppy's organisation (or an admin) may change it.".into(),
    }
}

/// The organisation this user may manage listings for: staff their own; admins any.
pub fn may_manage(user: &CurrentUser, organization: Uuid) -> ApiResult<()> {
    match user.role {
        Role::Admin => Ok(()),
        Role::Staff if user.organization_id == Some(organization) => Ok(()),
        _ => Err(forbidden()),
    }
}

/// The listing named by the path segment `id`, if this user may manage it:
/// 400 for a malformed id, 404 for no such (or a deleted) puppy, 403 otherwise.
pub async fn managed_listing(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> ApiResult<(Uuid, Listing)> {
    let id = parse_id("id", id)?;
    let listing = state
        .store
        .listing(id)
        .await?
        .ok_or(ApiError::NotFound { what: "puppy" })?;
    may_manage(user, listing.organization_id)?;
    Ok((id, listing))
}

/// The audit entry of a change to puppy `id`.
pub fn audit(
    user: &CurrentUser,
    action: &'static str,
    id: Uuid,
    details: serde_json::Value,
) -> AuditEntry {
    AuditEntry {
        actor_id: Some(user.id),
        channel: "api",
        action,
        target_type: "puppy",
        target_id: id.to_string(),
        details,
    }
}
