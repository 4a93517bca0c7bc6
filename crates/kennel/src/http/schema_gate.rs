//! Keeps API traffic off an instance whose database schema is older than the code.
//!
//! The last known schema status is refreshed in the background and by every
//! readiness probe; while it says "outdated", `/v1` answers 503 `schema_outdated`
//! (the probes and `/healthz` keep answering so operators can see why).

use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::state::AppState;
use crate::store::{SchemaStatus, Store};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Known {
    /// Not checked yet, or the database did not answer: let requests through, they
    /// fail (503) on their own if the database is really down.
    Unknown,
    Status(SchemaStatus),
}

#[derive(Debug, Clone)]
pub struct SchemaGate {
    known: Arc<RwLock<Known>>,
}

impl Default for SchemaGate {
    fn default() -> Self {
        SchemaGate {
            known: Arc::new(RwLock::new(Known::Unknown)),
        }
    }
}

impl SchemaGate {
    pub fn set(&self, status: SchemaStatus) {
        if let Ok(mut known) = self.known.write() {
            *known = Known::Status(status);
        }
    }

    pub fn mark_unreachable(&self) {
        if let Ok(mut known) = self.known.write() {
            *known = Known::Unknown;
        }
    }

    /// Why API traffic is refused, if it is.
    pub fn refusal(&self) -> Option<String> {
        match self.known.read().ok()?.clone() {
            Known::Status(status) if !status.is_servable() => Some(status.describe()),
            _ => None,
        }
    }

    /// Re-checks the schema every `period` until the process ends.
    pub fn spawn_refresh(&self, store: Store, period: Duration) -> tokio::task::JoinHandle<()> {
        let gate = self.clone();
        tokio::spawn(async move {
            let mut interval = tokio::time::interval(period);
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                interval.tick().await;
                match tokio::time::timeout(Duration::from_secs(2), store.schema_status()).await {
                    Ok(Ok(status)) => {
                        if gate.refusal().is_none() && !status.is_servable() {
                            tracing::warn!(schema = %status.describe(), "refusing API traffic");
                        }
                        gate.set(status);
                    }
                    _ => gate.mark_unreachable(),
                }
            }
        })
    }
}

pub async fn schema_gate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if let Some(reason) = state.schema.refusal() {
        return ApiError::Unavailable {
            code: "schema_outdated",
            detail: format!("This instance cannot serve yet: {reason}."),
            retry_after: 5,
        }
        .into_response();
    }
    next.run(request).await
}
