//! A fake OpenAI-compatible Chat Completions provider: a real HTTP server on a
//! loopback port, so the assistant is tested through its real client (timeouts,
//! retries, refused connections) rather than a mock.
//!
//! The behaviour is switchable while the server runs: `set` changes what every
//! request gets, `then` queues one-off behaviours that are used first, in
//! order (for "fail once, then answer"). Every request is counted and its JSON
//! body and `Authorization` header are kept, so tests can check what actually
//! left Kennel. `stop` closes the port (connections are refused) and `start`
//! listens again on the same port.
//!
//! Every reply carries `Connection: close`, so no client keeps a pooled
//! connection that would outlive `stop`.
//!
//! Usage numbers are deterministic: `prompt_tokens` is the number of words in
//! all request messages, `completion_tokens` the number of words in the answer.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::{AUTHORIZATION, CONNECTION, CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// What the answer is when a behaviour does not say.
pub const DEFAULT_ANSWER: &str = "Pixel is a friendly puppy who loves a game of fetch.";

/// How the fake answers a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Behaviour {
    /// 200 with a well-formed completion carrying this text.
    Answer(String),
    /// Waits this long, then answers [`DEFAULT_ANSWER`].
    Slow(Duration),
    /// This status with a small JSON error body.
    Status(u16),
    /// 429 with `Retry-After: <retry_after>`.
    RateLimited { retry_after: u64 },
    /// 200 with a body that is not JSON.
    Garbage,
    /// Exactly this status and body (as `application/json`), for odd replies
    /// such as valid JSON without `choices`.
    Raw { status: u16, body: String },
}

/// One request as the fake received it.
#[derive(Debug, Clone)]
pub struct Received {
    /// The `Authorization` header, if any.
    pub authorization: Option<String>,
    /// The body as JSON, or a JSON string holding the raw text if it was not JSON.
    pub body: Value,
}

struct Shared {
    behaviour: Mutex<Behaviour>,
    queue: Mutex<VecDeque<Behaviour>>,
    requests: AtomicUsize,
    received: Mutex<Vec<Received>>,
}

impl Shared {
    fn next(&self) -> Behaviour {
        if let Some(one_off) = self.queue.lock().unwrap().pop_front() {
            return one_off;
        }
        self.behaviour.lock().unwrap().clone()
    }
}

/// The fake provider. Dropping it closes the port.
pub struct FakeLlm {
    addr: SocketAddr,
    shared: Arc<Shared>,
    server: Mutex<Option<JoinHandle<()>>>,
}

impl FakeLlm {
    /// Starts the fake on a free loopback port, answering [`DEFAULT_ANSWER`].
    pub async fn spawn() -> FakeLlm {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let fake = FakeLlm {
            addr,
            shared: Arc::new(Shared {
                behaviour: Mutex::new(Behaviour::Answer(DEFAULT_ANSWER.to_string())),
                queue: Mutex::new(VecDeque::new()),
                requests: AtomicUsize::new(0),
                received: Mutex::new(Vec::new()),
            }),
            server: Mutex::new(None),
        };
        fake.serve(listener);
        fake
    }

    fn serve(&self, listener: TcpListener) {
        let app = Router::new()
            .route("/chat/completions", post(chat))
            .with_state(self.shared.clone());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        *self.server.lock().unwrap() = Some(task);
    }

    /// `http://127.0.0.1:<port>`: the base URL to configure; requests go to
    /// `{base_url}/chat/completions`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// What every request gets from now on (after any queued one-offs).
    pub fn set(&self, behaviour: Behaviour) {
        *self.shared.behaviour.lock().unwrap() = behaviour;
    }

    /// Queues a behaviour for the next request only; queued ones go first, in order.
    pub fn then(&self, behaviour: Behaviour) {
        self.shared.queue.lock().unwrap().push_back(behaviour);
    }

    /// Requests received since the start (or the last `clear`).
    pub fn requests(&self) -> usize {
        self.shared.requests.load(Ordering::SeqCst)
    }

    /// Every request received, oldest first.
    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().unwrap().clone()
    }

    /// The latest request received.
    pub fn last(&self) -> Option<Received> {
        self.shared.received.lock().unwrap().last().cloned()
    }

    /// Forgets the requests received so far.
    pub fn clear(&self) {
        self.shared.received.lock().unwrap().clear();
        self.shared.requests.store(0, Ordering::SeqCst);
    }

    /// Stops listening: new connections are refused until `start`. Requests
    /// already being answered finish on their own.
    pub async fn stop(&self) {
        let task = self.server.lock().unwrap().take();
        if let Some(task) = task {
            task.abort();
            // Once the aborted task is gone, its listener is closed.
            let _ = task.await;
        }
    }

    /// Listens again on the same port after `stop`.
    pub async fn start(&self) {
        if self.server.lock().unwrap().is_some() {
            return;
        }
        let mut tries = 0;
        let listener = loop {
            match TcpListener::bind(self.addr).await {
                Ok(listener) => break listener,
                // The old socket may linger for a moment after `stop`.
                Err(_) if tries < 50 => {
                    tries += 1;
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                Err(e) => panic!("cannot listen again on {}: {e}", self.addr),
            }
        };
        self.serve(listener);
    }
}

impl Drop for FakeLlm {
    fn drop(&mut self) {
        if let Some(task) = self.server.lock().unwrap().take() {
            task.abort();
        }
    }
}

fn words(text: &str) -> usize {
    text.split_whitespace().count()
}

fn completion(request: &Value, text: &str) -> Response {
    let prompt_tokens: usize = request["messages"]
        .as_array()
        .map(|messages| {
            messages
                .iter()
                .filter_map(|m| m["content"].as_str())
                .map(words)
                .sum()
        })
        .unwrap_or(0);
    let completion_tokens = words(text);
    Json(json!({
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "model": request["model"],
        "choices": [{
            "index": 0,
            "message": { "role": "assistant", "content": text },
            "finish_reason": "stop"
        }],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens
        }
    }))
    .into_response()
}

async fn chat(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    shared.requests.fetch_add(1, Ordering::SeqCst);
    let request: Value = serde_json::from_slice(&body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into_owned()));
    shared.received.lock().unwrap().push(Received {
        authorization: headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        body: request.clone(),
    });

    let mut response = match shared.next() {
        Behaviour::Answer(text) => completion(&request, &text),
        Behaviour::Slow(delay) => {
            tokio::time::sleep(delay).await;
            completion(&request, DEFAULT_ANSWER)
        }
        Behaviour::Status(code) => {
            let status = StatusCode::from_u16(code).expect("a valid status code");
            (
                status,
                Json(json!({ "error": { "message": "fake failure", "code": code } })),
            )
                .into_response()
        }
        Behaviour::RateLimited { retry_after } => (
            StatusCode::TOO_MANY_REQUESTS,
            [(RETRY_AFTER, retry_after.to_string())],
            Json(json!({ "error": { "message": "slow down" } })),
        )
            .into_response(),
        Behaviour::Garbage => (
            StatusCode::OK,
            [(CONTENT_TYPE, "text/html")],
            "<html><body>502 Bad Gateway</body></html>",
        )
            .into_response(),
        Behaviour::Raw { status, body } => (
            StatusCode::from_u16(status).expect("a valid status code"),
            [(CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response(),
    };
    response
        .headers_mut()
        .insert(CONNECTION, HeaderValue::from_static("close"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn post_json(fake: &FakeLlm, body: Value) -> reqwest::Result<reqwest::Response> {
        reqwest::Client::new()
            .post(format!("{}/chat/completions", fake.base_url()))
            .bearer_auth("test-key")
            .json(&body)
            .send()
            .await
    }

    #[tokio::test]
    async fn answers_records_and_follows_its_queue() {
        let fake = FakeLlm::spawn().await;
        fake.set(Behaviour::Answer("Woof woof".into()));
        fake.then(Behaviour::Status(503));
        fake.then(Behaviour::RateLimited { retry_after: 7 });
        let request =
            json!({"model": "m", "messages": [{"role": "user", "content": "one two three"}]});

        let first = post_json(&fake, request.clone()).await.unwrap();
        assert_eq!(first.status(), 503);
        let second = post_json(&fake, request.clone()).await.unwrap();
        assert_eq!(second.status(), 429);
        assert_eq!(second.headers()[RETRY_AFTER.as_str()], "7");
        let third = post_json(&fake, request.clone()).await.unwrap();
        assert_eq!(third.status(), 200);
        assert_eq!(third.headers()[CONNECTION.as_str()], "close");
        let reply: Value = third.json().await.unwrap();
        assert_eq!(reply["choices"][0]["message"]["content"], "Woof woof");
        assert_eq!(reply["usage"]["prompt_tokens"], 3);
        assert_eq!(reply["usage"]["completion_tokens"], 2);

        assert_eq!(fake.requests(), 3);
        let received = fake.received();
        assert_eq!(received.len(), 3);
        assert_eq!(
            received[0].authorization.as_deref(),
            Some("Bearer test-key")
        );
        assert_eq!(fake.last().unwrap().body, request);
        fake.clear();
        assert_eq!(fake.requests(), 0);
        assert!(fake.received().is_empty());
    }

    #[tokio::test]
    async fn garbage_and_raw_replies() {
        let fake = FakeLlm::spawn().await;
        fake.set(Behaviour::Garbage);
        let garbage = post_json(&fake, json!({})).await.unwrap();
        assert_eq!(garbage.status(), 200);
        assert!(serde_json::from_str::<Value>(&garbage.text().await.unwrap()).is_err());
        fake.set(Behaviour::Raw {
            status: 200,
            body: r#"{"choices":[]}"#.into(),
        });
        let raw = post_json(&fake, json!({})).await.unwrap();
        assert_eq!(raw.text().await.unwrap(), r#"{"choices":[]}"#);
    }

    #[tokio::test]
    async fn stop_refuses_connections_and_start_reuses_the_port() {
        let fake = FakeLlm::spawn().await;
        let url = fake.base_url();
        assert!(post_json(&fake, json!({})).await.is_ok());
        fake.stop().await;
        let refused = post_json(&fake, json!({})).await.unwrap_err();
        assert!(refused.is_connect(), "{refused:?}");
        fake.start().await;
        assert_eq!(fake.base_url(), url);
        assert_eq!(
            post_json(&fake, json!({})).await.unwrap().status(),
            StatusCode::OK
        );
        assert_eq!(fake.requests(), 2);
    }
}
