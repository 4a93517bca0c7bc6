//! Slow and idle clients over raw TCP sockets: a request head sent a line at a
//! time, a body dribbled a byte at a time, an idle kept-alive connection, a
//! client that stops reading its responses and a crowd of connections. Each must be cut off by its limit (the connection
//! closed, or a problem document then closed) without starving anyone else.
//!
//! The limits are set to 1 s here; the assertions check that the connection
//! was closed, with a generous upper bound, never an exact duration.

use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::{Db, Options, TestApp};

/// Far beyond any configured limit here: if the connection is still open by
/// then, the limit did not work.
const CLOSED_WITHIN: Duration = Duration::from_secs(15);

async fn app_with(env: &[(&str, &str)]) -> TestApp {
    TestApp::spawn_with(
        Db::Sqlite,
        Options {
            demo: false,
            env: env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Options::default()
        },
    )
    .await
}

async fn connect(app: &TestApp) -> TcpStream {
    TcpStream::connect(app.base.trim_start_matches("http://"))
        .await
        .unwrap()
}

/// Reads until the server closes the connection; returns what it sent.
/// `None` if it was still open after `CLOSED_WITHIN`.
async fn read_until_closed(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut received = Vec::new();
    let read = async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => received.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(CLOSED_WITHIN, read).await.ok()?;
    Some(received)
}

/// A response's status and its JSON body.
fn parse_response(bytes: &[u8]) -> (u16, String, Value) {
    let text = String::from_utf8_lossy(bytes);
    let (head, body) = text.split_once("\r\n\r\n").expect("a complete response");
    let status = head[9..12].parse().unwrap();
    let json = serde_json::from_str(body).unwrap_or(Value::Null);
    (status, head.to_ascii_lowercase(), json)
}

/// Writes `bytes` one at a time, `pause` apart, until done or the server
/// closes; in the background.
fn dribble(
    mut writer: tokio::net::tcp::OwnedWriteHalf,
    bytes: Vec<u8>,
    pause: Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        for byte in bytes {
            if writer.write_all(&[byte]).await.is_err() {
                return;
            }
            tokio::time::sleep(pause).await;
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_head_sent_slowly_is_cut_off() {
    let app = app_with(&[("HEADER_READ_TIMEOUT_SECONDS", "1")]).await;
    let stream = connect(&app).await;
    let (mut reader, mut writer) = stream.into_split();
    writer
        .write_all(b"GET /v1/breeds HTTP/1.1\r\nHost: kennel\r\n")
        .await
        .unwrap();
    // Slowloris: a header byte every 100 ms, for far longer than the limit
    // (600 bytes: a minute) and never the blank line that ends the head.
    let headers = "X-Filler: a\r\n".repeat(50).into_bytes();
    let sender = dribble(writer, headers, Duration::from_millis(100));
    let closed = tokio::time::timeout(CLOSED_WITHIN, async {
        let mut buf = [0u8; 1024];
        loop {
            match reader.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await;
    assert!(closed.is_ok(), "a slow request head must be cut off");
    assert!(
        !sender.is_finished(),
        "closed by the server, not because the client stopped"
    );
    sender.abort();
    // Everyone else is served.
    assert_eq!(app.get("/healthz").await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_kept_alive_connection_is_closed() {
    let app = app_with(&[("HEADER_READ_TIMEOUT_SECONDS", "1")]).await;
    let mut stream = connect(&app).await;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: kennel\r\n\r\n")
        .await
        .unwrap();
    // The response arrives, the connection stays open for a next request, and
    // is closed once nothing comes.
    let received = read_until_closed(&mut stream)
        .await
        .expect("an idle kept-alive connection must be closed");
    let (status, head, _) = parse_response(&received);
    assert_eq!(status, 200);
    assert!(!head.contains("connection: close"), "{head}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_stops_reading_its_responses_is_cut_off() {
    let app = app_with(&[("WRITE_STALL_TIMEOUT_SECONDS", "1")]).await;
    // A small receive window, and 100 pipelined requests for the API document
    // (about 140 KB each, 14 MB in all: far more than the socket buffers
    // hold), then nothing read for a while.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let address = app.base.trim_start_matches("http://").parse().unwrap();
    let mut stream = socket.connect(address).await.unwrap();
    const REQUESTS: usize = 100;
    stream
        .write_all(&b"GET /openapi.json HTTP/1.1\r\nHost: kennel\r\n\r\n".repeat(REQUESTS))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_secs(4)).await;
    // The server gave up on the stalled connection: what it had written
    // arrives, then the end, long before all 100 answers.
    let received = read_until_closed(&mut stream)
        .await
        .expect("a connection whose client stopped reading must be closed");
    let answers = received
        .windows(b"HTTP/1.1 200".len())
        .filter(|w| *w == b"HTTP/1.1 200")
        .count();
    assert!(
        (1..REQUESTS).contains(&answers),
        "{answers} of {REQUESTS} answers arrived"
    );
    assert_eq!(app.get("/healthz").await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_sent_slowly_is_answered_408_and_closed() {
    let app = app_with(&[("BODY_READ_TIMEOUT_SECONDS", "1")]).await;
    let stream = connect(&app).await;
    let (mut reader, mut writer) = stream.into_split();
    let body = r#"{"email":"ada@example.com","password":"correct horse battery staple"}"#;
    writer
        .write_all(
            format!(
                "POST /v1/auth/login HTTP/1.1\r\nHost: kennel\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                body.len()
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    // A byte every 250 ms: the body would take 17 s.
    let sender = dribble(writer, body.as_bytes().to_vec(), Duration::from_millis(250));
    let mut received = Vec::new();
    let closed = tokio::time::timeout(CLOSED_WITHIN, async {
        let mut buf = [0u8; 4096];
        loop {
            match reader.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => received.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    assert!(closed.is_ok(), "a slow body must be cut off");
    assert!(!sender.is_finished());
    sender.abort();
    let (status, head, problem) = parse_response(&received);
    assert_eq!(status, 408, "{head}");
    assert!(head.contains("content-type: application/problem+json"));
    assert!(head.contains("x-content-type-options: nosniff"));
    assert!(head.contains("connection: close"));
    assert_eq!(problem["code"], "body_timeout");
    assert!(head.contains(&format!(
        "x-request-id: {}",
        problem["request_id"].as_str().unwrap()
    )));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_bodies_do_not_take_the_request_slots() {
    // Two request slots, and five times as many clients dribbling bodies: none
    // of them holds a slot while it dribbles, so everyone else is served.
    let app = app_with(&[
        ("MAX_CONCURRENT_REQUESTS", "2"),
        ("BODY_READ_TIMEOUT_SECONDS", "20"),
    ])
    .await;
    let mut dribblers = Vec::new();
    for _ in 0..10 {
        let (_reader, mut writer) = connect(&app).await.into_split();
        writer
            .write_all(
                b"POST /v1/auth/login HTTP/1.1\r\nHost: kennel\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{",
            )
            .await
            .unwrap();
        dribblers.push((
            _reader,
            dribble(writer, vec![b' '; 300], Duration::from_millis(100)),
        ));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    for _ in 0..3 {
        let r = app.get("/v1/breeds").await;
        assert_eq!(r.status(), 200, "served while bodies dribble");
        let r = app
            .client
            .post(app.url("/v1/auth/login"))
            .json(
                &serde_json::json!({"email": "nobody@example.com", "password": "wrong password 1"}),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401, "a whole body is served at once");
    }
    assert!(
        dribblers.iter().all(|(_, task)| !task.is_finished()),
        "the slow clients were still sending"
    );
    for (_, task) in dribblers {
        task.abort();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_connections_are_bounded() {
    let app = app_with(&[
        ("MAX_CONNECTIONS", "16"),
        ("HEADER_READ_TIMEOUT_SECONDS", "60"),
    ])
    .await;
    // Sixteen connections that send nothing take every slot...
    let mut idle = Vec::new();
    for _ in 0..16 {
        idle.push(connect(&app).await);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    // ...so the next connection waits in the backlog, unanswered.
    let mut waiting = connect(&app).await;
    waiting
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: kennel\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 1024];
    let early = tokio::time::timeout(Duration::from_millis(700), waiting.read(&mut buf)).await;
    assert!(
        early.is_err(),
        "no answer while every connection slot is taken"
    );
    // One slot frees: the waiting connection is accepted and answered.
    drop(idle.pop());
    let received = read_until_closed(&mut waiting)
        .await
        .expect("answered once a slot is free");
    assert_eq!(parse_response(&received).0, 200);
}
