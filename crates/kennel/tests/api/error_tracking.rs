//! Error tracking against a loopback stand-in for Sentry's ingestion endpoint:
//! what a 500 reports (the error itself, grouped by cause), what it never
//! carries (personal data), and that a panic is one report and a proper answer.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::routing::{get, post};
use axum::Router;
use serde_json::Value;

use crate::admin::admin_token;
use crate::support::{Db, Options, TestApp};

/// A fake Sentry keeping every envelope it receives; returns its DSN.
async fn fake_sentry() -> (String, Arc<Mutex<Vec<String>>>) {
    let envelopes: Arc<Mutex<Vec<String>>> = Arc::default();
    let kept = envelopes.clone();
    let sentry = Router::new().route(
        "/api/42/envelope/",
        post(move |body: Bytes| {
            let kept = kept.clone();
            async move {
                kept.lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&body).to_string());
                "{}"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, sentry).await.unwrap() });
    (format!("http://publickey@127.0.0.1:{port}/42"), envelopes)
}

async fn app_reporting_to(dsn: String) -> TestApp {
    let options = Options {
        demo: false,
        env: vec![("SENTRY_DSN".into(), dsn)],
        ..Options::default()
    };
    TestApp::spawn_with(Db::Sqlite, options).await
}

/// The event in an envelope (its JSON line with an `exception`).
fn event_of(envelope: &str) -> Value {
    envelope
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .find(|item| item.get("exception").is_some())
        .unwrap_or_else(|| panic!("no event in {envelope}"))
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {value}"))
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_error_is_reported_as_its_cause_with_the_request_id_and_no_personal_data() {
    let (dsn, envelopes) = fake_sentry().await;
    let app = app_reporting_to(dsn).await;
    let guard = kennel::error_tracking::init(&app.state.config).expect("a DSN is configured");
    let (admin, _) = admin_token(&app, "root@example.com").await;

    let breeds = |app: &TestApp| {
        app.client
            .get(app.url("/v1/breeds?email=ada@example.com"))
            .bearer_auth(&admin)
            .header("x-forwarded-for", "198.51.100.23")
            .send()
    };
    // Cause one, twice: a value the code cannot read.
    crate::fixtures::breed(&app.store, "beagle", "Beagle").await;
    crate::fixtures::execute(
        &app.store,
        "UPDATE breeds SET temperament = 'not json'",
        vec![],
    )
    .await;
    for _ in 0..2 {
        assert_eq!(breeds(&app).await.unwrap().status(), 500);
    }
    // Cause two, on the same route: the database refuses the query.
    crate::fixtures::execute(&app.store, "DROP TABLE breeds", vec![]).await;
    let r = breeds(&app).await.unwrap();
    assert_eq!(r.status(), 500);
    let request_id = r.headers()["x-request-id"].to_str().unwrap().to_string();
    // A 4xx is not reported.
    assert_eq!(app.get("/v1/puppies/nope").await.status(), 400);
    drop(guard); // flushes

    let envelopes = envelopes.lock().unwrap().clone();
    assert_eq!(envelopes.len(), 3, "{envelopes:?}");
    let events: Vec<Value> = envelopes.iter().map(|e| event_of(e)).collect();

    // The same cause is one issue; another cause behind the same route is another.
    let fingerprints: Vec<Vec<String>> =
        events.iter().map(|e| strings(&e["fingerprint"])).collect();
    assert_eq!(fingerprints[0], fingerprints[1]);
    assert_ne!(fingerprints[0], fingerprints[2]);
    assert_eq!(
        fingerprints[2],
        [
            "internal_error",
            "SqliteError",
            "crates/kennel/src/http/catalog.rs"
        ],
        "{:#}",
        events[2]
    );
    assert_eq!(fingerprints[0][1], "Error", "{:#}", events[0]);
    assert!(
        fingerprints[0][2].starts_with("kennel::http::catalog::"),
        "{:?}",
        fingerprints[0]
    );

    // The error itself: each cause with its type and message, root cause first,
    // and the stack where it happened on the outermost.
    let event = &events[2];
    let exceptions = event["exception"]["values"].as_array().unwrap();
    let chain: Vec<(&str, &str)> = exceptions
        .iter()
        .map(|e| (e["type"].as_str().unwrap(), e["value"].as_str().unwrap()))
        .collect();
    assert_eq!(
        chain,
        [
            ("SqliteError", "(code: 1) no such table: breeds"),
            (
                "sqlx::Error::Database",
                "error returned from database: (code: 1) no such table: breeds"
            ),
            ("Context", "database query failed"),
        ],
        "{event:#}"
    );
    let frames = exceptions[2]["stacktrace"]["frames"].as_array().unwrap();
    let innermost = frames.last().unwrap();
    assert!(
        innermost["abs_path"]
            .as_str()
            .unwrap()
            .ends_with("crates/kennel/src/http/catalog.rs"),
        "{innermost:#}"
    );
    assert_eq!(innermost["in_app"], true, "{innermost:#}");
    assert!(
        frames.iter().any(|f| f["in_app"] == false),
        "the framework's frames are not Kennel's: {frames:#?}"
    );
    // With the route, the release, the environment and the request id.
    assert_eq!(event["transaction"], "GET /v1/breeds");
    assert_eq!(event["tags"]["route"], "/v1/breeds");
    assert_eq!(event["tags"]["request_id"], request_id.as_str());
    assert_eq!(event["environment"], "local");
    assert_eq!(event["release"], kennel::error_tracking::RELEASE);

    for envelope in &envelopes {
        for secret in [
            "ada@example.com",
            "root@example.com",
            &admin,
            "198.51.100.23",
            "127.0.0.1\"",
        ] {
            assert!(!envelope.contains(secret), "{secret} leaked: {envelope}");
        }
    }
}

async fn boom() -> &'static str {
    panic!("the handler broke")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panic_is_one_report_and_a_problem_with_the_security_headers() {
    let (dsn, envelopes) = fake_sentry().await;
    let app = app_reporting_to(dsn).await;
    let guard = kennel::error_tracking::init(&app.state.config).expect("a DSN is configured");
    let router =
        kennel::app::with_layers(Router::new().route("/boom", get(boom)), app.state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });

    let r = app.client.get(format!("{base}/boom")).send().await.unwrap();
    assert_eq!(r.status(), 500);
    for header in [
        "x-content-type-options",
        "content-security-policy",
        "x-request-id",
    ] {
        assert!(r.headers().contains_key(header), "{header} missing: {r:?}");
    }
    assert_eq!(
        r.headers()["content-type"],
        "application/problem+json",
        "{r:?}"
    );
    let request_id = r.headers()["x-request-id"].to_str().unwrap().to_string();
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "internal_error");
    assert!(!body.to_string().contains("the handler broke"), "{body}");
    // The server keeps serving.
    assert_eq!(app.get("/healthz").await.status(), 200);
    drop(guard);

    let envelopes = envelopes.lock().unwrap().clone();
    assert_eq!(envelopes.len(), 1, "one panic, one report: {envelopes:?}");
    let event = event_of(&envelopes[0]);
    let exception = &event["exception"]["values"][0];
    assert_eq!(exception["type"], "panic", "{event:#}");
    assert_eq!(exception["value"], "the handler broke", "{event:#}");
    assert_eq!(
        event["tags"]["request_id"],
        request_id.as_str(),
        "{event:#}"
    );
}
