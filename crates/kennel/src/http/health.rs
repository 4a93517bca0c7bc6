//! Liveness and readiness for Cloud Run's probes and load balancers.

use std::time::Duration;

use crate::http::json::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult, Problem};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    pub status: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    pub status: String,
    pub database: String,
    pub schema: String,
}

const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

/// The process is alive (it does not look at dependencies).
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "operations",
    responses((status = 200, description = "Alive", body = Health))
)]
pub async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
    })
}

fn not_ready(detail: String) -> ApiError {
    ApiError::Unavailable {
        code: "not_ready",
        detail,
        retry_after: 1,
    }
}

/// Ready to serve: the database answers and its schema is the one this release needs.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "operations",
    responses(
        (status = 200, description = "Ready", body = Readiness),
        (status = 503, description = "Not ready; `detail` says why", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn readyz(State(state): State<AppState>) -> ApiResult<Json<Readiness>> {
    let status = match tokio::time::timeout(CHECK_TIMEOUT, state.store.schema_status()).await {
        Err(_) => {
            state.schema.mark_unreachable();
            return Err(not_ready("database did not answer within 2 s".into()));
        }
        Ok(Err(error)) => {
            tracing::warn!(error = %error, "readiness: database unreachable");
            state.schema.mark_unreachable();
            return Err(not_ready("database is unreachable".into()));
        }
        Ok(Ok(status)) => status,
    };
    state.schema.set(status.clone());
    if !status.is_servable() {
        return Err(not_ready(status.describe()));
    }
    Ok(Json(Readiness {
        status: "ready".into(),
        database: "ok".into(),
        schema: status.describe(),
    }))
}
