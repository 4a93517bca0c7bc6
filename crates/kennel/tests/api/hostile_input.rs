//! Hostile requests: what the HTTP parser refuses before any routing (a 100 KB
//! query, 200 headers, a broken request line), sent over raw sockets, is still a
//! problem document with the security headers and a request id; password
//! guessing spread over many source addresses is slowed per account; text
//! fields refuse invisible and direction-changing characters and are stored
//! in NFC.

use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::admin::admin_token;
use crate::both_databases;
use crate::listings::user_with_role;
use crate::support::{assert_problem, sign_up, Db, Options, TestApp, PASSWORD};

async fn app() -> TestApp {
    TestApp::spawn_with(
        Db::Sqlite,
        Options {
            demo: false,
            ..Options::default()
        },
    )
    .await
}

/// Sends `request` on a fresh connection and reads the answer to the end.
async fn exchange(app: &TestApp, request: &[u8]) -> (u16, String, Value) {
    let mut stream = TcpStream::connect(app.base.trim_start_matches("http://"))
        .await
        .unwrap();
    // The server may answer (and close) before it has read everything.
    let _ = stream.write_all(request).await;
    let mut received = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(15), async {
        let mut buf = [0u8; 8192];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    assert!(read.is_ok(), "the server must answer and close");
    let text = String::from_utf8_lossy(&received).to_string();
    let (head, body) = text.split_once("\r\n\r\n").expect("a whole response");
    let status = head[9..12].parse().unwrap();
    (
        status,
        head.to_ascii_lowercase(),
        serde_json::from_str(body).unwrap_or(Value::Null),
    )
}

fn assert_problem_head(head: &str, problem: &Value, status: u16, code: &str) {
    assert_eq!(problem["status"], status, "{head}\n{problem}");
    assert_eq!(problem["code"], code, "{problem}");
    assert!(
        head.contains("content-type: application/problem+json"),
        "{head}"
    );
    for header in [
        "x-content-type-options: nosniff",
        "x-frame-options: deny",
        "referrer-policy: no-referrer",
        "content-security-policy: default-src 'none'",
    ] {
        assert!(head.contains(header), "{header} missing in {head}");
    }
    let id = problem["request_id"].as_str().expect("a request id");
    assert!(!id.is_empty());
    assert!(head.contains(&format!("x-request-id: {id}")), "{head}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_100_kb_query_is_a_414_problem() {
    let app = app().await;
    let request = format!(
        "GET /v1/puppies?q={} HTTP/1.1\r\nHost: kennel\r\n\r\n",
        "a".repeat(100_000)
    );
    let (status, head, problem) = exchange(&app, request.as_bytes()).await;
    assert_eq!(status, 414, "{head}");
    assert_problem_head(&head, &problem, 414, "uri_too_long");
    assert_eq!(app.get("/healthz").await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_headers_are_a_431_problem() {
    let app = app().await;
    let mut request = String::from("GET /v1/breeds HTTP/1.1\r\nHost: kennel\r\n");
    for i in 0..200 {
        request.push_str(&format!("X-Header-{i}: {i}\r\n"));
    }
    request.push_str("\r\n");
    let (status, head, problem) = exchange(&app, request.as_bytes()).await;
    assert_eq!(status, 431, "{head}");
    assert_problem_head(&head, &problem, 431, "headers_too_large");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_head_past_16_kib_is_refused_before_routing() {
    let app = app().await;
    // 30 headers of 2 KB: under the 100-header limit, but a 60 KB head that
    // a connection's read buffer does not grow to hold.
    let mut request = String::from("GET /v1/breeds HTTP/1.1\r\nHost: kennel\r\n");
    for i in 0..30 {
        request.push_str(&format!("X-Header-{i}: {}\r\n", "h".repeat(2_000)));
    }
    request.push_str("\r\n");
    let (status, head, problem) = exchange(&app, request.as_bytes()).await;
    assert_eq!(status, 431, "{head}");
    assert_problem_head(&head, &problem, 431, "headers_too_large");
    // A 30 KB URL overflows the buffer before its line ends: 414, as hyper
    // answers for ones past 64 KiB.
    let request = format!(
        "GET /v1/puppies?q={} HTTP/1.1\r\nHost: kennel\r\n\r\n",
        "a".repeat(30_000)
    );
    let (status, head, problem) = exchange(&app, request.as_bytes()).await;
    assert_eq!(status, 414, "{head}");
    assert_problem_head(&head, &problem, 414, "uri_too_long");
    // A head just under the limit is served.
    let mut request =
        String::from("GET /v1/breeds HTTP/1.1\r\nHost: kennel\r\nConnection: close\r\n");
    for i in 0..6 {
        request.push_str(&format!("X-Header-{i}: {}\r\n", "h".repeat(2_000)));
    }
    request.push_str("\r\n");
    let (status, head, _) = exchange(&app, request.as_bytes()).await;
    assert_eq!(status, 200, "{head}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_request_line_is_a_400_problem() {
    let app = app().await;
    let (status, head, problem) = exchange(&app, b"GET /v1 breeds HTTP/1.1\r\n\r\n").await;
    assert_eq!(status, 400, "{head}");
    assert_problem_head(&head, &problem, 400, "malformed_request");
    let (status, head, problem) =
        exchange(&app, b"GET /v1/breeds HTTP/1.1\r\nBad Header\r\n\r\n").await;
    assert_eq!(status, 400, "{head}");
    assert_problem_head(&head, &problem, 400, "malformed_request");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_badly_framed_body_is_a_400_problem() {
    let app = app().await;
    // Chunked encoding with a chunk size that is not hexadecimal.
    let (status, head, problem) = exchange(
        &app,
        b"POST /v1/auth/login HTTP/1.1\r\nHost: kennel\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
    )
    .await;
    assert_eq!(status, 400, "{head}");
    assert_problem_head(&head, &problem, 400, "malformed_body");
}

// ------------------------------------------------------------ account attacks

/// A client whose connections come from `ip` (any address of 127.0.0.0/8 is
/// this machine's): with `TRUSTED_PROXIES` unset, the socket peer is the client.
fn client_from(ip: [u8; 4]) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(std::net::IpAddr::from(ip))
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

async fn register(app: &TestApp, email: &str, display_name: &str) -> reqwest::Response {
    app.client
        .post(app.url("/v1/auth/register"))
        .json(&json!({"email": email, "password": PASSWORD, "display_name": display_name}))
        .send()
        .await
        .unwrap()
}

async fn login_from(app: &TestApp, ip: [u8; 4], email: &str, password: &str) -> reqwest::Response {
    client_from(ip)
        .post(app.url("/v1/auth/login"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
}

fn retry_after(response: &reqwest::Response) -> u64 {
    response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

async fn password_guessing_from_many_addresses_is_slowed_per_account(db: Db) {
    let app = TestApp::spawn_with(
        db,
        Options {
            demo: false,
            env: vec![
                ("RATE_LIMIT_ACCOUNT_PER_MINUTE".into(), "10".into()),
                ("RATE_LIMIT_AUTH_PER_MINUTE".into(), "3".into()),
            ],
            ..Options::default()
        },
    )
    .await;
    assert_eq!(register(&app, "ada@example.com", "Ada").await.status(), 202);
    assert_eq!(register(&app, "bob@example.com", "Bob").await.status(), 202);
    // One wrong password from each of many addresses: each address is far
    // inside its own limit (3 a minute), but the account's budget (a burst of
    // 10, then one every 6 s) runs out, whichever address asks next.
    let mut throttled = None;
    for i in 0..40u8 {
        let r = login_from(
            &app,
            [127, 0, 1, 10 + i],
            "Ada@Example.com",
            "wrong guess 123",
        )
        .await;
        if r.status() == 429 {
            throttled = Some((i, r));
            break;
        }
        assert_eq!(r.status(), 401, "guess {i}");
    }
    let (guesses, r) = throttled.expect("guessing from many addresses must be slowed down");
    assert!(
        guesses >= 10,
        "the first 10 guesses are answered ({guesses})"
    );
    let throttled_at = std::time::Instant::now();
    let wait = retry_after(&r);
    assert!((1..=60).contains(&wait), "{wait}");
    let problem = assert_problem(r, 429, "rate_limited").await;
    assert!(problem["detail"].as_str().unwrap().contains("this account"));
    // So is the right password right now (nothing is tried while throttled)...
    let r = login_from(&app, [127, 0, 1, 201], "ada@example.com", PASSWORD).await;
    if throttled_at.elapsed() < Duration::from_secs(wait) {
        assert_eq!(r.status(), 429);
    }
    // ...but another account is not affected,
    let r = login_from(&app, [127, 0, 1, 202], "bob@example.com", PASSWORD).await;
    assert_eq!(r.status(), 200);
    // and the account is not locked: waiting Retry-After, the owner gets in.
    let mut signed_in = false;
    for attempt in 0..8u8 {
        let r = login_from(
            &app,
            [127, 0, 1, 203 + attempt],
            "ada@example.com",
            PASSWORD,
        )
        .await;
        if r.status() == 200 {
            signed_in = true;
            break;
        }
        assert_eq!(r.status(), 429);
        tokio::time::sleep(Duration::from_secs(retry_after(&r))).await;
    }
    assert!(signed_in, "not a permanent lock");
}

async fn current_password_guessing_is_throttled_per_account(db: Db) {
    let app = TestApp::spawn_with(
        db,
        Options {
            demo: false,
            env: vec![("RATE_LIMIT_ACCOUNT_PER_MINUTE".into(), "5".into())],
            ..Options::default()
        },
    )
    .await;
    let session = sign_up(&app, "eve@example.com", "Eve").await;
    let token = session["token"].as_str().unwrap().to_string();
    let change = |current: &'static str| {
        let (app, token) = (&app, &token);
        async move {
            app.client
                .patch(app.url("/v1/me"))
                .bearer_auth(token)
                .json(&json!({"email": "mallory@example.com", "current_password": current}))
                .send()
                .await
                .unwrap()
        }
    };
    for i in 0..5 {
        let r = change("not my password").await;
        let problem = assert_problem(r, 400, "validation_failed").await;
        assert_eq!(
            problem["errors"][0]["field"], "current_password",
            "attempt {i}"
        );
    }
    let r = change("not my password").await;
    assert!(retry_after(&r) >= 1);
    assert_problem(r, 429, "rate_limited").await;
    // The same budget covers sign-in to that account from anywhere.
    let r = login_from(&app, [127, 0, 2, 1], "eve@example.com", PASSWORD).await;
    assert_eq!(r.status(), 429);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_wrong_passwords_use_the_account_budget() {
    let app = TestApp::spawn_with(
        Db::Sqlite,
        Options {
            demo: false,
            env: vec![
                ("RATE_LIMIT_ACCOUNT_PER_MINUTE".into(), "3".into()),
                ("RATE_LIMIT_AUTH_PER_MINUTE".into(), "100".into()),
            ],
            ..Options::default()
        },
    )
    .await;
    assert_eq!(register(&app, "ada@example.com", "Ada").await.status(), 202);
    // The owner signing in on several devices, more often than the budget.
    for i in 0..8 {
        let r = login_from(&app, [127, 0, 3, 1], "ada@example.com", PASSWORD).await;
        assert_eq!(r.status(), 200, "sign-in {i}");
    }
    for i in 0..3 {
        let r = login_from(&app, [127, 0, 3, 2], "ada@example.com", "wrong guess 123").await;
        assert_eq!(r.status(), 401, "guess {i}");
    }
    let r = login_from(&app, [127, 0, 3, 3], "ada@example.com", "wrong guess 123").await;
    assert!(retry_after(&r) >= 1);
    assert_problem(r, 429, "rate_limited").await;
}

both_databases!(
    password_guessing_from_many_addresses_is_slowed_per_account,
    current_password_guessing_is_throttled_per_account,
);

// ------------------------------------------------------------------ text

async fn text_fields_refuse_invisible_and_direction_changing_characters(db: Db) {
    let app = TestApp::spawn(db).await;
    for (i, name) in [
        "Ada\u{202E}gnp.exe",
        "\u{2066}Ada\u{2069}",
        "\u{200B}\u{200B}\u{200B}",
        "\u{200D}\u{FEFF}",
        "Ada\u{7}",
    ]
    .into_iter()
    .enumerate()
    {
        let r = register(&app, &format!("t{i}@example.com"), name).await;
        let problem = assert_problem(r, 400, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], "display_name", "{name:?}");
    }
    // Stored in NFC: "e" + combining acute becomes "é".
    let session = sign_up(&app, "renee@example.com", "Rene\u{301}e").await;
    assert_eq!(session["user"]["display_name"], "Ren\u{e9}e");
    let token = session["token"].as_str().unwrap();
    let me: Value = app
        .client
        .get(app.url("/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["display_name"], "Ren\u{e9}e");
    let r = app
        .client
        .patch(app.url("/v1/me"))
        .bearer_auth(token)
        .json(&json!({"display_name": "\u{202D}Ren\u{e9}e"}))
        .send()
        .await
        .unwrap();
    assert_problem(r, 400, "validation_failed").await;

    // Puppy text, as staff.
    let (admin, _) = admin_token(&app, "root@example.com").await;
    let puppies = app.get_all("/v1/puppies?limit=100").await;
    let org = puppies[0]["organization"]["id"].as_str().unwrap();
    let staff = user_with_role(&app, &admin, "staff@example.com", Some(("staff", org))).await;
    let create = |name: &'static str, colour: &'static str, description: &'static str| {
        let (app, staff) = (&app, &staff);
        async move {
            app.client
                .post(app.url("/v1/puppies"))
                .bearer_auth(staff)
                .json(&json!({
                    "name": name, "breed": "beagle", "sex": "female",
                    "birth_date": "2025-08-01", "colour": colour,
                    "adoption_fee_cents": 10000, "description": description
                }))
                .send()
                .await
                .unwrap()
        }
    };
    for (name, colour, description, field) in [
        ("Pix\u{202E}el", "tan", "", "name"),
        ("\u{200B}", "tan", "", "name"),
        ("Pixel", "tan\u{2067}", "", "colour"),
        ("Pixel", "tan\nwhite", "", "colour"),
        ("Pixel", "tan", "Sweet\u{202E} dog", "description"),
        ("Pixel", "tan", "\u{200B}\u{2060}", "description"),
        ("Pixel", "tan", "Sweet\u{1b}[31m dog", "description"),
    ] {
        let problem = assert_problem(
            create(name, colour, description).await,
            400,
            "validation_failed",
        )
        .await;
        assert_eq!(
            problem["errors"][0]["field"], field,
            "{name:?} {colour:?} {description:?}"
        );
    }
    let r = create("Zo\u{308}e", "tan", "Loves walks.\r\nGood with cats.").await;
    assert_eq!(r.status(), 201);
    let puppy: Value = r.json().await.unwrap();
    assert_eq!(puppy["name"], "Z\u{f6}e");
    assert_eq!(puppy["description"], "Loves walks.\nGood with cats.");
}

both_databases!(text_fields_refuse_invisible_and_direction_changing_characters);
