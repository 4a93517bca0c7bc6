//! A fake Expo push service: a real HTTP server on a loopback port that
//! answers `POST /--/api/v2/push/send` and `POST /--/api/v2/push/getReceipts`
//! in the documented shapes, so push is tested through Kennel's real client.
//!
//! Every message received is kept. `set_status` makes every request fail with
//! that status (the service down or overloaded) until `set_status(200)`;
//! `set_delay` makes every send wait before answering (a slow service);
//! `gone` marks tokens whose tickets are `DeviceNotRegistered` errors;
//! `receipts_gone` makes every receipt a `DeviceNotRegistered` error.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU16, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

#[derive(Default)]
struct Shared {
    status: AtomicU16,
    delay_ms: AtomicU64,
    requests: AtomicUsize,
    messages: Mutex<Vec<Value>>,
    authorization: Mutex<Vec<Option<String>>>,
    gone: Mutex<HashSet<String>>,
    receipts_gone: Mutex<bool>,
    receipt_requests: Mutex<Vec<Vec<String>>>,
}

pub struct FakeExpo {
    pub url: String,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl Drop for FakeExpo {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn send(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    shared.requests.fetch_add(1, Ordering::SeqCst);
    let delay = shared.delay_ms.load(Ordering::SeqCst);
    if delay > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
    }
    let status = shared.status.load(Ordering::SeqCst);
    if status != 200 {
        let status = StatusCode::from_u16(status).unwrap();
        let error = json!({"errors": [{"code": "INTERNAL_SERVER_ERROR", "message": "down"}]});
        return (status, Json(error)).into_response();
    }
    shared.authorization.lock().unwrap().push(
        headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
    );
    let Some(messages) = body.as_array() else {
        let error = json!({"errors": [{"code": "VALIDATION_ERROR", "message": "not an array"}]});
        return (StatusCode::BAD_REQUEST, Json(error)).into_response();
    };
    let gone = shared.gone.lock().unwrap().clone();
    let mut tickets = Vec::new();
    for message in messages {
        let to = message["to"].as_str().unwrap_or_default().to_string();
        if gone.contains(&to) {
            tickets.push(json!({
                "status": "error",
                "message": format!("\"{to}\" is not a registered push notification recipient"),
                "details": {"error": "DeviceNotRegistered", "expoPushToken": to},
            }));
        } else {
            let mut messages = shared.messages.lock().unwrap();
            messages.push(message.clone());
            tickets.push(json!({"status": "ok", "id": format!("ticket-{}", messages.len())}));
        }
    }
    Json(json!({ "data": tickets })).into_response()
}

async fn receipts(State(shared): State<Arc<Shared>>, Json(body): Json<Value>) -> Response {
    shared.requests.fetch_add(1, Ordering::SeqCst);
    let ids: Vec<String> = body["ids"]
        .as_array()
        .map(|ids| {
            ids.iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    shared.receipt_requests.lock().unwrap().push(ids.clone());
    let gone = *shared.receipts_gone.lock().unwrap();
    let data: serde_json::Map<String, Value> = ids
        .into_iter()
        .map(|id| {
            let receipt = if gone {
                json!({"status": "error", "message": "gone", "details": {"error": "DeviceNotRegistered"}})
            } else {
                json!({"status": "ok"})
            };
            (id, receipt)
        })
        .collect();
    Json(json!({ "data": data })).into_response()
}

impl FakeExpo {
    pub async fn start() -> FakeExpo {
        let shared = Arc::new(Shared::default());
        shared.status.store(200, Ordering::SeqCst);
        let app = Router::new()
            .route("/--/api/v2/push/send", post(send))
            .route("/--/api/v2/push/getReceipts", post(receipts))
            .with_state(shared.clone());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        FakeExpo { url, shared, task }
    }

    /// Every message delivered (accepted with an `ok` ticket), in order.
    pub fn messages(&self) -> Vec<Value> {
        self.shared.messages.lock().unwrap().clone()
    }

    /// How many requests arrived, answered or refused.
    pub fn requests(&self) -> usize {
        self.shared.requests.load(Ordering::SeqCst)
    }

    pub fn authorizations(&self) -> Vec<Option<String>> {
        self.shared.authorization.lock().unwrap().clone()
    }

    pub fn receipt_requests(&self) -> Vec<Vec<String>> {
        self.shared.receipt_requests.lock().unwrap().clone()
    }

    pub fn set_status(&self, status: u16) {
        self.shared.status.store(status, Ordering::SeqCst);
    }

    /// Every send waits this long before it answers (0: at once).
    pub fn set_delay(&self, delay: std::time::Duration) {
        self.shared
            .delay_ms
            .store(delay.as_millis() as u64, Ordering::SeqCst);
    }

    pub fn gone(&self, token: &str) {
        self.shared.gone.lock().unwrap().insert(token.to_string());
    }

    pub fn receipts_gone(&self) {
        *self.shared.receipts_gone.lock().unwrap() = true;
    }

    /// Waits up to `seconds` for `count` delivered messages.
    pub async fn wait_for_messages(&self, count: usize, seconds: u64) -> Vec<Value> {
        for _ in 0..seconds * 10 {
            let messages = self.messages();
            if messages.len() >= count {
                return messages;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("expected {count} push messages, got {:?}", self.messages());
    }
}
