//! Graceful shutdown: in-flight requests finish, new ones are refused, and the
//! grace period bounds the wait.

use std::time::{Duration, Instant};

use axum::routing::get;
use tokio::net::TcpListener;

use crate::support::{Db, TestApp};

async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_millis(1500)).await;
    "done"
}

async fn very_slow() -> &'static str {
    tokio::time::sleep(Duration::from_secs(10)).await;
    "done"
}

async fn start(
    grace: Duration,
) -> (
    String,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<anyhow::Result<()>>,
    TestApp,
) {
    let app = TestApp::spawn_empty(Db::Sqlite).await;
    let router = kennel::app::router(app.state.clone())
        .route("/slow", get(slow))
        .route("/very-slow", get(very_slow));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(kennel::server::serve(
        listener,
        router,
        async move {
            let _ = rx.await;
        },
        grace,
    ));
    (base, tx, server, app)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_finishes_a_slow_in_flight_request_and_refuses_new_ones() {
    let (base, stop, server, _app) = start(Duration::from_secs(5)).await;
    let client = reqwest::Client::new();
    let in_flight = tokio::spawn({
        let client = client.clone();
        let url = format!("{base}/slow");
        async move { client.get(url).send().await }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let stopped_at = Instant::now();
    stop.send(()).unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    // The listener is closed: a new connection is refused.
    let fresh = reqwest::Client::new()
        .get(format!("{base}/healthz"))
        .send()
        .await;
    assert!(
        fresh.is_err(),
        "new connections must be refused while draining"
    );
    let response = in_flight
        .await
        .unwrap()
        .expect("in-flight request completes");
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "done");
    server.await.unwrap().unwrap();
    assert!(stopped_at.elapsed() < Duration::from_secs(3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_gives_up_on_requests_that_outlast_the_grace_period() {
    let (base, stop, server, _app) = start(Duration::from_millis(300)).await;
    let _in_flight = tokio::spawn(async move { reqwest::get(format!("{base}/very-slow")).await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let stopped_at = Instant::now();
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
    let waited = stopped_at.elapsed();
    // `serve` returns once the grace period is over, long before the request would
    // finish; in the binary, returning ends the process and with it the request.
    assert!(
        waited >= Duration::from_millis(250) && waited < Duration::from_secs(5),
        "{waited:?}"
    );
}
