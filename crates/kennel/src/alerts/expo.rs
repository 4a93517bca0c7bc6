//! Expo's push service over HTTP: send messages (answered with one ticket
//! each), then read the receipts of those tickets.
//!
//! Shapes as documented by Expo: `POST <base>/--/api/v2/push/send` with a JSON
//! array of up to 100 messages answers `{"data": [ticket, …]}` in the same
//! order, each `{"status": "ok", "id": …}` or `{"status": "error", "message":
//! …, "details": {"error": "DeviceNotRegistered" | …}}`; `POST
//! <base>/--/api/v2/push/getReceipts` with `{"ids": […]}` (up to 1,000)
//! answers `{"data": {id: receipt}}` for the receipts that are ready. A request
//! the service refuses as a whole answers an HTTP error with `{"errors": […]}`.

use std::collections::HashMap;
use std::time::Duration;

use reqwest::StatusCode;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::config::{PushSettings, Secret};
use crate::mail::SendError;

/// Expo takes at most this many messages per request.
const SEND_CHUNK: usize = 100;
/// And at most this many receipt ids per request.
pub const RECEIPT_CHUNK: usize = 1_000;

/// One push message.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PushMessage {
    pub to: String,
    pub title: String,
    pub body: String,
    pub data: serde_json::Value,
    pub sound: &'static str,
    pub priority: &'static str,
}

/// What the service said about one message (a ticket) or, later, about its
/// delivery (a receipt).
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Outcome {
    pub status: String,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub details: Option<Details>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Details {
    #[serde(default)]
    pub error: Option<String>,
}

impl Outcome {
    pub fn is_ok(&self) -> bool {
        self.status == "ok"
    }

    /// The error code Expo gives (`DeviceNotRegistered`, `MessageRateExceeded`, …).
    pub fn error(&self) -> Option<&str> {
        self.details.as_ref().and_then(|d| d.error.as_deref())
    }

    /// The device is gone: its token must not be used again.
    pub fn device_gone(&self) -> bool {
        self.error() == Some("DeviceNotRegistered")
    }
}

#[derive(Deserialize)]
struct Tickets {
    data: Vec<Outcome>,
}

#[derive(Deserialize)]
struct Receipts {
    data: HashMap<String, Outcome>,
}

#[derive(Clone)]
pub struct ExpoPush {
    client: reqwest::Client,
    send_url: Url,
    receipts_url: Url,
    access_token: Option<Secret>,
}

impl ExpoPush {
    pub fn new(settings: &PushSettings) -> anyhow::Result<ExpoPush> {
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(settings.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("kennel/", env!("CARGO_PKG_VERSION")))
            .build()?;
        let endpoint = |path: &str| -> anyhow::Result<Url> {
            let mut url = settings.expo_push_url.clone();
            url.path_segments_mut()
                .map_err(|_| anyhow::anyhow!("EXPO_PUSH_URL cannot have paths"))?
                .pop_if_empty()
                .extend(["--", "api", "v2", "push", path]);
            Ok(url)
        };
        Ok(ExpoPush {
            client,
            send_url: endpoint("send")?,
            receipts_url: endpoint("getReceipts")?,
            access_token: settings.expo_access_token.clone(),
        })
    }

    /// Sends `messages`, returning one ticket per message, in order.
    pub async fn send(&self, messages: &[PushMessage]) -> Result<Vec<Outcome>, SendError> {
        let mut tickets = Vec::with_capacity(messages.len());
        for chunk in messages.chunks(SEND_CHUNK) {
            let answer: Tickets = self.post(&self.send_url, &chunk).await?;
            if answer.data.len() != chunk.len() {
                return Err(SendError::Transient(format!(
                    "push service answered {} tickets for {} messages",
                    answer.data.len(),
                    chunk.len()
                )));
            }
            tickets.extend(answer.data);
        }
        Ok(tickets)
    }

    /// The receipts that are ready among `ids` (at most `RECEIPT_CHUNK`).
    pub async fn receipts(&self, ids: &[String]) -> Result<HashMap<String, Outcome>, SendError> {
        let body = serde_json::json!({ "ids": ids });
        let answer: Receipts = self.post(&self.receipts_url, &body).await?;
        Ok(answer.data)
    }

    async fn post<B: Serialize + ?Sized, T: for<'de> Deserialize<'de>>(
        &self,
        url: &Url,
        body: &B,
    ) -> Result<T, SendError> {
        let mut request = self
            .client
            .post(url.clone())
            .header("accept", "application/json")
            .json(body);
        if let Some(token) = &self.access_token {
            request = request.bearer_auth(token.expose());
        }
        let response = request
            .send()
            .await
            .map_err(|e| SendError::Transient(format!("push service: {}", without_url(&e))))?;
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|e| SendError::Transient(format!("push service: {}", without_url(&e))))?;
        if !status.is_success() {
            let detail = format!("push service answered {status}: {}", first_line(&text));
            // Too many requests, or the service's own trouble: later may work.
            // Any other refusal (a bad access token, a malformed request) will not.
            return Err(
                if status == StatusCode::TOO_MANY_REQUESTS
                    || status == StatusCode::REQUEST_TIMEOUT
                    || status.is_server_error()
                {
                    SendError::Transient(detail)
                } else {
                    SendError::Permanent(detail)
                },
            );
        }
        serde_json::from_str(&text).map_err(|e| {
            SendError::Transient(format!("push service answered something unexpected: {e}"))
        })
    }
}

/// A reqwest error without the URL it names (kept out of logs for tidiness;
/// it holds no secret, but the message is clearer without it).
fn without_url(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else {
        "request failed"
    };
    kind.to_string()
}

fn first_line(text: &str) -> String {
    text.lines()
        .next()
        .unwrap_or("")
        .chars()
        .take(200)
        .collect()
}
