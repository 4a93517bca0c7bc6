//! The protective layers through the real API: rate limits (in process and
//! shared through a real Redis that is stopped mid-test), client-IP trust, load
//! shedding, the request timeout, HTTPS and security headers, and the metrics
//! port (error tracking has its own file).

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::admin::admin_token;
use crate::both_databases;
use crate::fake_llm::{Behaviour, FakeLlm};
use crate::listings::user_with_role;
use crate::support::{assert_problem, free_port, Db, Options, TestApp};

async fn app_with(db: Db, env: &[(&str, String)]) -> TestApp {
    let env = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    TestApp::spawn_with(
        db,
        Options {
            env,
            ..Options::default()
        },
    )
    .await
}

async fn get_as(app: &TestApp, path: &str, forwarded_for: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(app.url(path));
    if let Some(ip) = forwarded_for {
        request = request.header("x-forwarded-for", ip);
    }
    request.send().await.unwrap()
}

async fn limits_apply_per_client_and_per_bucket(db: Db) {
    let app = app_with(
        db,
        &[
            ("RATE_LIMIT_ANONYMOUS_PER_MINUTE", "5".into()),
            ("RATE_LIMIT_AUTH_PER_MINUTE", "3".into()),
            ("TRUSTED_PROXIES", "127.0.0.1".into()),
        ],
    )
    .await;
    for i in 0..5 {
        let r = get_as(&app, "/v1/breeds", Some("198.51.100.1")).await;
        assert_eq!(r.status(), 200, "request {i}");
        assert_eq!(r.headers()["ratelimit-policy"], "\"anonymous\";q=5;w=60");
        assert!(r.headers()["ratelimit"]
            .to_str()
            .unwrap()
            .starts_with(&format!("\"anonymous\";r={}", 4 - i)));
    }
    let r = get_as(&app, "/v1/breeds", Some("198.51.100.1")).await;
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    let problem = assert_problem(r, 429, "rate_limited").await;
    assert!(problem["detail"].as_str().unwrap().contains("5 per minute"));
    // Another client behind the trusted proxy has its own budget; a client that
    // writes its own X-Forwarded-For entry still lands in its real bucket.
    assert_eq!(
        get_as(&app, "/v1/breeds", Some("198.51.100.2"))
            .await
            .status(),
        200
    );
    let spoofed = get_as(&app, "/v1/breeds", Some("203.0.113.77, 198.51.100.1")).await;
    assert_eq!(spoofed.status(), 429);
    // Probes are never limited, nor are the (immutable, cached) photo variants
    // that a page of the browse list loads by the dozen.
    assert_eq!(
        get_as(&app, "/healthz", Some("198.51.100.1"))
            .await
            .status(),
        200
    );
    let page: Value = get_as(&app, "/v1/puppies?limit=1", Some("198.51.100.3"))
        .await
        .json()
        .await
        .unwrap();
    let photo = page["items"][0]["photo"]["variants"][0]["url"]
        .as_str()
        .unwrap();
    let path = photo.trim_start_matches(app.base.as_str()).to_string();
    for _ in 0..3 {
        assert_eq!(
            get_as(&app, &path, Some("198.51.100.1")).await.status(),
            200
        );
    }

    // Signed-in users are counted per user, not per IP.
    let (admin, _) = admin_token(&app, "root@example.com").await;
    let r = app
        .client
        .get(app.url("/v1/me"))
        .bearer_auth(&admin)
        .header("x-forwarded-for", "198.51.100.1")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["ratelimit-policy"], "\"user\";q=600;w=60");

    // Sign-in has its own, stricter bucket.
    let login = || {
        app.client
            .post(app.url("/v1/auth/login"))
            .header("x-forwarded-for", "198.51.100.9")
            .json(&json!({"email": "nobody@example.com", "password": "wrong password!"}))
            .send()
    };
    for _ in 0..3 {
        assert_eq!(login().await.unwrap().status(), 401);
    }
    assert_problem(login().await.unwrap(), 429, "rate_limited").await;
}

async fn untrusted_forwarded_headers_are_ignored(db: Db) {
    let app = app_with(db, &[("RATE_LIMIT_ANONYMOUS_PER_MINUTE", "3".into())]).await;
    for i in 0..3 {
        let r = get_as(&app, "/v1/breeds", Some(&format!("203.0.113.{i}"))).await;
        assert_eq!(r.status(), 200);
    }
    // A fresh, made-up X-Forwarded-For does not buy a fresh budget.
    assert_eq!(
        get_as(&app, "/v1/breeds", Some("203.0.113.200"))
            .await
            .status(),
        429
    );
    // Nor does a made-up bearer token.
    let r = app
        .client
        .get(app.url("/v1/breeds"))
        .bearer_auth("kn_made-up-token")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
}

struct Redis(Child, u16);

impl Redis {
    fn start() -> Redis {
        let port = free_port();
        let child = Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--save",
                "",
                "--appendonly",
                "no",
                "--bind",
                "127.0.0.1",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server must be installed for the shared rate-limit tests");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "redis-server did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Redis(child, port)
    }

    fn stop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
        // The fault really happened: the port refuses connections.
        assert!(std::net::TcpStream::connect(("127.0.0.1", self.1)).is_err());
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn two_instances_share_limits_through_redis_and_survive_its_loss(db: Db) {
    let mut redis = Redis::start();
    let env = [
        ("REDIS_URL", format!("redis://127.0.0.1:{}", redis.1)),
        ("RATE_LIMIT_ANONYMOUS_PER_MINUTE", "6".into()),
        ("RATE_LIMIT_ACCOUNT_PER_MINUTE", "3".into()),
        ("RATE_LIMIT_AUTH_PER_MINUTE", "100".into()),
    ];
    let first = app_with(db, &env).await;
    let url = first.state.config.database_url.expose().to_string();
    let mut env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    env.push(("DATABASE_URL".into(), url.clone()));
    let second = TestApp::spawn_with(
        Db::Sqlite,
        Options {
            env,
            database_url: Some(url),
            ..Options::default()
        },
    )
    .await;
    assert!(first.state.limiter.shared() && second.state.limiter.shared());

    // Six requests spread over both instances use up one shared budget.
    for i in 0..6 {
        let app = if i % 2 == 0 { &first } else { &second };
        assert_eq!(app.get("/v1/breeds").await.status(), 200, "request {i}");
    }
    assert_problem(first.get("/v1/breeds").await, 429, "rate_limited").await;
    assert_problem(second.get("/v1/breeds").await, 429, "rate_limited").await;

    // Wrong passwords for one account are counted once for both instances;
    // the owner's own sign-ins are not counted at all.
    let login = |app: &TestApp, password: &'static str| {
        let request = app
            .client
            .post(app.url("/v1/auth/login"))
            .json(&json!({"email": "ada@example.com", "password": password}));
        async move { request.send().await.unwrap().status() }
    };
    let r = first
        .client
        .post(first.url("/v1/auth/register"))
        .json(&json!({"email": "ada@example.com", "password": "correct horse battery", "display_name": "Ada"}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    for app in [&first, &second, &first, &second] {
        assert_eq!(login(app, "correct horse battery").await, 200);
    }
    for (i, app) in [&first, &second, &first].into_iter().enumerate() {
        assert_eq!(login(app, "wrong guess 123").await, 401, "guess {i}");
    }
    assert_eq!(login(&second, "wrong guess 123").await, 429);
    assert_eq!(login(&first, "correct horse battery").await, 429);

    // Redis goes away: requests are still served (per-instance limits), quickly.
    redis.stop();
    for app in [&first, &second] {
        let started = Instant::now();
        let r = app.get("/v1/breeds").await;
        assert_eq!(r.status(), 200);
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
    }
}

async fn overload_is_shed_and_slow_requests_time_out(db: Db) {
    let fake = FakeLlm::spawn().await;
    fake.set(Behaviour::Slow(Duration::from_secs(3)));
    let app = app_with(
        db,
        &[
            ("LLM_BASE_URL", fake.base_url()),
            ("LLM_API_KEY", "sk-test".into()),
            ("LLM_MODEL", "m".into()),
            ("LLM_TIMEOUT_SECONDS", "5".into()),
            ("MAX_CONCURRENT_REQUESTS", "2".into()),
            ("REQUEST_TIMEOUT_SECONDS", "1".into()),
        ],
    )
    .await;
    let (admin, _) = admin_token(&app, "root@example.com").await;
    let user = user_with_role(&app, &admin, "ada@example.com", None).await;
    let slow = || {
        let client = app.client.clone();
        let url = app.url("/v1/assistant/messages");
        let user = user.clone();
        tokio::spawn(async move {
            let body =
                json!({"messages": [{"role": "user", "content": "Is Pixel good with cats?"}]});
            let started = Instant::now();
            let r = client
                .post(url)
                .bearer_auth(user)
                .json(&body)
                .send()
                .await
                .unwrap();
            (
                r.status().as_u16(),
                r.json::<Value>().await.unwrap(),
                started.elapsed(),
            )
        })
    };
    // Two slow requests fill the instance; a third is shed at once.
    let (a, b) = (slow(), slow());
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    let shed = app.get("/v1/breeds").await;
    assert!(started.elapsed() < Duration::from_millis(500));
    assert_eq!(shed.headers()["retry-after"], "1");
    assert_problem(shed, 503, "overloaded").await;
    assert_eq!(
        app.get("/healthz").await.status(),
        200,
        "probes are never shed"
    );
    // The slow ones are cut at the 1 s request budget.
    for task in [a, b] {
        let (status, body, took) = task.await.unwrap();
        assert_eq!(
            (status, body["code"].as_str()),
            (503, Some("timeout")),
            "{body}"
        );
        assert!(took < Duration::from_millis(2_000), "{took:?}");
    }
    assert_eq!(app.get("/v1/breeds").await.status(), 200);
}

both_databases!(
    limits_apply_per_client_and_per_bucket,
    untrusted_forwarded_headers_are_ignored,
    two_instances_share_limits_through_redis_and_survive_its_loss,
    overload_is_shed_and_slow_requests_time_out,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_is_enforced_and_security_headers_are_sent() {
    let app = app_with(
        Db::Sqlite,
        &[
            ("HTTPS_ONLY", "true".into()),
            ("PUBLIC_BASE_URL", "https://api.example.com".into()),
        ],
    )
    .await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = client
        .get(app.url("/v1/breeds?x=1"))
        .header("x-forwarded-proto", "http")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 308);
    assert_eq!(
        r.headers()["location"],
        "https://api.example.com/v1/breeds?x=1"
    );
    let r = client
        .post(app.url("/v1/auth/login"))
        .header("x-forwarded-proto", "http")
        .json(&json!({"email": "a@example.com", "password": "whatever123"}))
        .send()
        .await
        .unwrap();
    assert_problem(r, 403, "https_required").await;
    let r = client
        .get(app.url("/v1/breeds"))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let headers = r.headers();
    assert_eq!(
        headers["strict-transport-security"],
        "max-age=63072000; includeSubDomains"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert!(headers["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("default-src 'none'"));
    // Problems carry them too.
    let r = client
        .get(app.url("/v1/puppies/nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_are_served_on_their_own_port() {
    let port = free_port();
    let app = app_with(
        Db::Sqlite,
        &[
            ("METRICS_PORT", port.to_string()),
            ("RATE_LIMIT_ANONYMOUS_PER_MINUTE", "5".into()),
        ],
    )
    .await;
    // Not reachable through the public port.
    assert_eq!(app.get("/metrics").await.status(), 404);
    for _ in 0..2 {
        assert_eq!(app.get("/v1/puppies?limit=2").await.status(), 200);
    }
    assert_eq!(app.get("/v1/puppies/not-a-uuid").await.status(), 400);
    assert_eq!(app.get("/v1/config").await.status(), 200);
    assert_eq!(app.get("/v1/breeds").await.status(), 429);
    let text = app
        .client
        .get(format!("http://127.0.0.1:{port}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for expected in [
        "http_requests_total{method=\"GET\",route=\"/v1/puppies\",status_class=\"2xx\"} 2",
        "http_requests_total{method=\"GET\",route=\"/v1/puppies/{id}\",status_class=\"4xx\"} 1",
        "http_request_duration_seconds_bucket{method=\"GET\",route=\"/v1/puppies\",le=\"0.005\"}",
        "rate_limit_rejections_total{bucket=\"anonymous\"} 1",
        "kennel_ready 1",
        "db_pool_connections{state=\"idle\"}",
        "flag_evaluations_total{flag=\"assistant\",result=\"on\"}",
    ] {
        assert!(text.contains(expected), "missing {expected}:\n{text}");
    }
}

/// The availability alerts subtract designed degradation from the 5xx count:
/// an assistant without a provider answers 503 `feature_unavailable`, counted
/// both as a 5xx and as degraded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn designed_degradation_is_counted_apart_from_other_server_errors() {
    let port = free_port();
    let app = app_with(Db::Sqlite, &[("METRICS_PORT", port.to_string())]).await;
    let (admin, _) = admin_token(&app, "root@example.com").await;
    let user = user_with_role(&app, &admin, "ada@example.com", None).await;
    let answer = app
        .client
        .post(app.url("/v1/assistant/messages"))
        .bearer_auth(&user)
        .json(&json!({"messages": [{"role": "user", "content": "Is Pixel good with cats?"}]}))
        .send()
        .await
        .unwrap();
    assert_problem(answer, 503, "feature_unavailable").await;
    let text = app
        .client
        .get(format!("http://127.0.0.1:{port}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for expected in [
        "http_requests_total{method=\"POST\",route=\"/v1/assistant/messages\",status_class=\"5xx\"} 1",
        "http_requests_degraded_total{route=\"/v1/assistant/messages\",code=\"feature_unavailable\"} 1",
    ] {
        assert!(text.contains(expected), "missing {expected}:\n{text}");
    }
    // Only designed degradation is counted: no other route appears.
    assert_eq!(
        text.lines()
            .filter(|l| l.starts_with("http_requests_degraded_total{"))
            .count(),
        1,
        "{text}"
    );
}
