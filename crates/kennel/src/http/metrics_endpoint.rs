//! `GET /metrics` on its own port (`METRICS_PORT`), never on the public one. The
//! gauges that describe the instance (readiness, database pool) are read at scrape
//! time.

use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use tokio::net::TcpListener;

use crate::metrics::handle;
use crate::state::AppState;

async fn render(State(state): State<AppState>) -> impl IntoResponse {
    // Gauges are read at scrape time.
    let ready = matches!(
        tokio::time::timeout(Duration::from_secs(1), state.store.schema_status()).await,
        Ok(Ok(status)) if status.is_servable()
    );
    metrics::gauge!("kennel_ready").set(if ready { 1.0 } else { 0.0 });
    let (size, idle) = state.store.pool_stats();
    metrics::gauge!("db_pool_connections", "state" => "idle").set(f64::from(idle));
    metrics::gauge!("db_pool_connections", "state" => "in_use")
        .set(f64::from(size.saturating_sub(idle)));
    // The outbox's backlog, whichever process drains it.
    if let Ok(Ok(counts)) =
        tokio::time::timeout(Duration::from_secs(1), state.store.outbox_counts()).await
    {
        metrics::gauge!("outbox_messages", "status" => "pending").set(counts.pending as f64);
        metrics::gauge!("outbox_messages", "status" => "dead").set(counts.dead as f64);
        let waited = counts
            .oldest_pending
            .map(|t| (chrono::Utc::now() - t).num_milliseconds().max(0) as f64 / 1000.0)
            .unwrap_or(0.0);
        metrics::gauge!("outbox_oldest_pending_seconds").set(waited);
    }
    let handle = handle();
    handle.run_upkeep();
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle.render(),
    )
}

/// Serves `GET /metrics` on `port` until the task is aborted.
pub async fn serve(port: u16, state: AppState) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    handle();
    let address = SocketAddr::new(state.config.host, port);
    let listener = TcpListener::bind(address)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen for metrics on {address}: {e}"))?;
    tracing::info!(address = %listener.local_addr()?, "metrics listening");
    let app = Router::new()
        .route("/metrics", get(render))
        .with_state(state);
    // Histograms buffer samples until upkeep folds them in; without scrapes that
    // buffer would grow, so fold them in regularly. One task for both, so
    // aborting it stops both.
    let upkeep = async {
        let mut ticker = tokio::time::interval(Duration::from_secs(5));
        loop {
            ticker.tick().await;
            handle().run_upkeep();
        }
    };
    Ok(tokio::spawn(async move {
        tokio::select! {
            result = axum::serve(listener, app) => {
                if let Err(error) = result {
                    tracing::error!(error = %error, "metrics listener stopped");
                }
            }
            () = upkeep => {}
        }
    }))
}
