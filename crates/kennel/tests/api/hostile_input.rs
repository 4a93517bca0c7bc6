//! Hostile requests over raw sockets: what the HTTP parser refuses before any
//! routing (a 100 KB query, 200 headers, a broken request line) is still a
//! problem document with the security headers and a request id.

use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::{Db, Options, TestApp};

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
