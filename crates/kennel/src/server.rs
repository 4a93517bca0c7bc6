//! Serving with a graceful shutdown: on SIGTERM/SIGINT the listener closes,
//! in-flight requests finish, and the process exits within the grace period
//! (8 s by default, inside Cloud Run's 10 s).

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::Notify;

/// Serves `app` on `listener` until `shutdown` completes, then waits at most
/// `grace` for in-flight requests before giving up on them.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
    grace: Duration,
) -> anyhow::Result<()> {
    let stopping = Arc::new(Notify::new());
    let notify = stopping.clone();
    let server = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown.await;
        notify.notify_one();
    });
    let mut task = tokio::spawn(async move { server.await });
    tokio::select! {
        result = &mut task => result??,
        _ = stopping.notified() => {
            tracing::info!(grace_seconds = grace.as_secs_f64(), "shutting down: finishing in-flight requests");
            match tokio::time::timeout(grace, &mut task).await {
                Ok(result) => result??,
                Err(_) => {
                    tracing::warn!("grace period over: abandoning requests still in flight");
                    task.abort();
                }
            }
        }
    }
    tracing::info!("stopped");
    Ok(())
}

/// Completes on SIGTERM (Cloud Run, Kubernetes, systemd) or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
