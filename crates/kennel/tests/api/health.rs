//! Liveness, readiness, and the schema gate.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::both_databases;
use crate::support::{self, assert_problem, Db, Options, TestApp};

async fn probes_report_alive_and_ready(db: Db) {
    let app = TestApp::spawn_empty(db).await;
    let (status, body) = app.get_json("/healthz").await;
    assert_eq!(
        (status.as_u16(), body["status"].as_str()),
        (200, Some("ok"))
    );
    let (status, body) = app.get_json("/readyz").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "ready");
    assert!(body["schema"].as_str().unwrap().contains("current"));
}

/// A database without the schema: not ready, API refused with a reason, probes up.
async fn outdated_schema_keeps_the_instance_unready(db: Db) {
    let app = TestApp::spawn_with(
        db,
        Options {
            migrate: false,
            demo: false,
            ..Options::default()
        },
    )
    .await;
    let response = app.get("/readyz").await;
    let body = assert_problem(response, 503, "not_ready").await;
    assert!(
        body["detail"].as_str().unwrap().contains("kennel migrate"),
        "{body}"
    );
    let response = app.get("/v1/puppies").await;
    assert_problem(response, 503, "schema_outdated").await;
    assert_eq!(app.get("/healthz").await.status(), 200);

    // Once migrated (as the deploy job does), the same instance becomes ready.
    app.store.migrate().await.unwrap();
    let (status, _) = app.get_json("/readyz").await;
    assert_eq!(status, 200);
    assert_eq!(app.get("/v1/puppies").await.status(), 200);
}

both_databases!(
    probes_report_alive_and_ready,
    outdated_schema_keeps_the_instance_unready
);

/// A TCP relay to Postgres that the test can cut, so the database really becomes
/// unreachable (connections reset, new ones refused) and then comes back.
struct Relay {
    port: u16,
    tasks: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Relay {
    async fn start(port: u16, upstream: String) -> Relay {
        let listener = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let tasks: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let inner = tasks.clone();
        let accept = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let conn = tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                inner.lock().unwrap().push(conn);
            }
        });
        tasks.lock().unwrap().push(accept);
        Relay { port, tasks }
    }

    fn cut(&self) {
        for task in self.tasks.lock().unwrap().drain(..) {
            task.abort();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_fails_while_postgres_is_unreachable_and_recovers() {
    if !support::postgres_available().await {
        return;
    }
    let (name, url) = support::fresh_postgres(true).await;
    let parsed = url::Url::parse(&url).unwrap();
    let upstream = format!(
        "{}:{}",
        parsed.host_str().unwrap(),
        parsed.port().unwrap_or(5432)
    );
    let relay = Relay::start(0, upstream.clone()).await;
    let mut via_relay = parsed.clone();
    via_relay.set_host(Some("127.0.0.1")).unwrap();
    via_relay.set_port(Some(relay.port)).unwrap();
    let app = TestApp::spawn_with(
        Db::Postgres,
        Options {
            demo: false,
            database_url: Some(via_relay.to_string()),
            ..Options::default()
        },
    )
    .await;
    assert_eq!(app.get("/readyz").await.status(), 200);

    relay.cut();
    // Give the OS a moment to tear the relayed connections down.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = std::time::Instant::now();
    let response = app.get("/readyz").await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "readiness must not hang"
    );
    let body = assert_problem(response, 503, "not_ready").await;
    assert!(
        !body["detail"].as_str().unwrap().contains(&upstream),
        "no internals leak"
    );
    let started = std::time::Instant::now();
    let response = app.get("/v1/breeds").await;
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "requests must not hang"
    );
    assert_problem(response, 503, "database_unavailable").await;

    let _relay = Relay::start(relay.port, upstream).await;
    let mut recovered = false;
    for _ in 0..50 {
        if app.get("/readyz").await.status() == 200 {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(recovered, "readiness recovers when the database is back");
    assert_eq!(app.get("/v1/breeds").await.status(), 200);
    drop(app);
    support::drop_postgres(name);
}

/// Postgres stopping (a restart, a failover) ends the queries in flight with
/// "terminating connection due to administrator command" (SQLSTATE 57P01).
/// That is the database going away, not a bug: the request gets the same 503
/// `database_unavailable` as when the database cannot be reached, and the next
/// request is served on a fresh connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_query_cut_off_by_a_postgres_shutdown_is_answered_503() {
    if !support::postgres_available().await {
        return;
    }
    let app = TestApp::spawn_empty(Db::Postgres).await;
    let kennel::store::Store::Postgres(pool) = &app.store else {
        unreachable!("a Postgres app has a Postgres store");
    };
    // Hold a lock so the request's query waits, in flight, on its own backend.
    let mut locker = pool.begin().await.unwrap();
    sqlx::query("LOCK TABLE breeds IN ACCESS EXCLUSIVE MODE")
        .execute(&mut *locker)
        .await
        .unwrap();
    let request = tokio::spawn({
        let client = app.client.clone();
        let url = app.url("/v1/breeds");
        async move { client.get(url).send().await.unwrap() }
    });
    let mut waiting = None;
    for _ in 0..100 {
        waiting = sqlx::query_scalar::<_, i32>(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() \
             AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()",
        )
        .fetch_optional(pool)
        .await
        .unwrap();
        if waiting.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let pid = waiting.expect("the request's query waits on the lock");
    // What a shutting-down server does to each backend.
    let terminated: bool = sqlx::query_scalar("SELECT pg_terminate_backend($1)")
        .bind(pid)
        .fetch_one(pool)
        .await
        .unwrap();
    assert!(terminated);
    let response = request.await.unwrap();
    let body = assert_problem(response, 503, "database_unavailable").await;
    assert!(
        !body["detail"].as_str().unwrap().contains("administrator"),
        "no internals leak: {body}"
    );
    locker.rollback().await.unwrap();
    assert_eq!(app.get("/v1/breeds").await.status(), 200);
}
