//! Feature gates for handlers: who a flag is evaluated for, and the 503 a
//! switched-off feature answers.

use axum::http::HeaderMap;

use super::session::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::flags::{self, Subject};
use crate::state::AppState;

/// Who flags are evaluated for: the signed-in user, else a well-formed
/// `X-Device-Id`, else nobody in particular.
pub fn subject<'a>(user: Option<&CurrentUser>, headers: &'a HeaderMap) -> Subject<'a> {
    if let Some(user) = user {
        return Subject::User(user.id);
    }
    match headers.get("x-device-id").and_then(|v| v.to_str().ok()) {
        Some(id) if flags::valid_device_id(id) => Subject::Device(id),
        _ => Subject::Anonymous,
    }
}

/// Fails with 503 `feature_unavailable` when `flag` is off for this caller.
pub fn require(
    state: &AppState,
    flag: &str,
    feature: &'static str,
    subject: Subject<'_>,
) -> ApiResult<()> {
    if state.flags.is_enabled(flag, subject) {
        Ok(())
    } else {
        Err(ApiError::FeatureUnavailable { feature })
    }
}
