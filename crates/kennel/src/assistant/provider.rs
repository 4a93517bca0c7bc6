//! The HTTP client for an OpenAI-compatible Chat Completions endpoint.
//!
//! One call makes at most two requests. The second is made only when the first
//! could not connect, was rate limited (429) or hit a server error (5xx), after
//! `Retry-After` seconds when the provider sends them, otherwise after a
//! jittered 200–400 ms so many instances do not retry in lockstep. When the
//! wait does not fit before the deadline the call gives up at once instead of
//! sleeping into a timeout. Any other status and any reply that is not a
//! usable completion fail without a retry: asking again would give the same
//! answer. The caller wraps the whole call, waits included, in the deadline.
//!
//! Redirects are not followed (the bearer key must only go to the configured
//! host) and reply bodies are read up to a fixed size.

use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, CONTENT_TYPE, RETRY_AFTER};
use reqwest::{redirect, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use tokio::time::Instant;
use url::Url;

use super::{AssistantConfig, Unavailable};

/// Sampling temperature: low, so answers about facts stay close to them.
pub(crate) const TEMPERATURE: f32 = 0.3;
/// Largest reply body read; a completion of a few hundred tokens is a few KiB.
const MAX_REPLY_BYTES: usize = 256 * 1024;
/// Range of the wait before the retry when the provider names none.
const BACKOFF_MIN_MS: u64 = 200;
const BACKOFF_SPREAD_MS: u64 = 200;

/// One message as the provider receives it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct WireMessage {
    pub role: &'static str,
    pub content: String,
}

#[derive(Serialize)]
struct ChatRequest<'a> {
    model: &'a str,
    messages: &'a [WireMessage],
    max_tokens: u32,
    temperature: f32,
}

#[derive(Deserialize)]
struct ChatResponse {
    choices: Vec<Choice>,
    #[serde(default)]
    usage: Option<Usage>,
}

#[derive(Deserialize)]
struct Choice {
    message: ChoiceMessage,
}

#[derive(Deserialize)]
struct ChoiceMessage {
    content: String,
}

#[derive(Deserialize)]
struct Usage {
    #[serde(default)]
    prompt_tokens: u32,
    #[serde(default)]
    completion_tokens: u32,
}

/// The provider's raw answer, before trimming and capping.
#[derive(Debug)]
pub(crate) struct Completion {
    pub content: String,
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
}

/// A failed request and whether (and when) it may be retried.
struct Failure {
    error: Unavailable,
    retry: Retry,
}

enum Retry {
    No,
    AfterBackoff,
    After(Duration),
}

impl Failure {
    fn fatal(error: Unavailable) -> Self {
        Failure {
            error,
            retry: Retry::No,
        }
    }
}

pub(crate) struct Provider {
    client: reqwest::Client,
    endpoint: Url,
    api_key: SecretString,
    model: String,
    max_tokens: u32,
}

impl Provider {
    pub(crate) fn new(config: &AssistantConfig) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .redirect(redirect::Policy::none())
            .user_agent(concat!("kennel/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Provider {
            client,
            endpoint: endpoint(&config.base_url),
            api_key: config.api_key.clone(),
            model: config.model.clone(),
            max_tokens: config.max_output_tokens,
        })
    }

    /// Sends the conversation, retrying once when that can help and fits
    /// before `deadline`. `attempts` counts the requests made, for the logs.
    pub(crate) async fn complete(
        &self,
        messages: &[WireMessage],
        deadline: Instant,
        attempts: &mut u32,
    ) -> Result<Completion, Unavailable> {
        let body = serde_json::to_vec(&ChatRequest {
            model: &self.model,
            messages,
            max_tokens: self.max_tokens,
            temperature: TEMPERATURE,
        })
        .map(Bytes::from)
        .map_err(|_| Unavailable::Malformed)?;

        *attempts = 1;
        let failure = match self.attempt(body.clone()).await {
            Ok(completion) => return Ok(completion),
            Err(failure) => failure,
        };
        let wait = match failure.retry {
            Retry::No => return Err(failure.error),
            Retry::AfterBackoff => backoff(),
            Retry::After(wait) => wait,
        };
        if Instant::now() + wait >= deadline {
            tracing::debug!(
                wait_ms = wait.as_millis() as u64,
                "assistant retry does not fit the budget"
            );
            return Err(failure.error);
        }
        tokio::time::sleep(wait).await;
        *attempts = 2;
        self.attempt(body).await.map_err(|f| f.error)
    }

    async fn attempt(&self, body: Bytes) -> Result<Completion, Failure> {
        let response = self
            .client
            .post(self.endpoint.clone())
            .bearer_auth(self.api_key.expose_secret())
            .header(CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .map_err(|e| {
                if e.is_connect() {
                    Failure {
                        error: Unavailable::Connect,
                        retry: Retry::AfterBackoff,
                    }
                } else if e.is_timeout() {
                    Failure::fatal(Unavailable::Timeout)
                } else {
                    // The connection broke after the request went out: asking
                    // again could be billed twice.
                    Failure::fatal(Unavailable::Connect)
                }
            })?;

        let status = response.status();
        tracing::debug!(status = status.as_u16(), "assistant provider replied");
        if !status.is_success() {
            let retry = match retry_after(response.headers()) {
                Some(wait) => Retry::After(wait),
                None => Retry::AfterBackoff,
            };
            return Err(if status == StatusCode::TOO_MANY_REQUESTS {
                Failure {
                    error: Unavailable::RateLimited,
                    retry,
                }
            } else if status.is_server_error() {
                Failure {
                    error: Unavailable::Status(status.as_u16()),
                    retry,
                }
            } else {
                Failure::fatal(Unavailable::Status(status.as_u16()))
            });
        }

        let bytes = read_capped(response).await.map_err(Failure::fatal)?;
        parse(&bytes).map_err(Failure::fatal)
    }
}

/// `{base_url}/chat/completions`, keeping the base URL's path (`/v1`) and any
/// query (some gateways want an `api-version`).
fn endpoint(base: &Url) -> Url {
    let mut url = base.clone();
    url.set_fragment(None);
    let path = format!("{}/chat/completions", url.path().trim_end_matches('/'));
    url.set_path(&path);
    url
}

/// `Retry-After` in seconds; the HTTP-date form is rare from APIs and ignored.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// A random wait between 200 and 400 ms.
fn backoff() -> Duration {
    let mut bytes = [0u8; 2];
    let spread = match getrandom::getrandom(&mut bytes) {
        Ok(()) => u64::from(u16::from_le_bytes(bytes)) % (BACKOFF_SPREAD_MS + 1),
        Err(_) => BACKOFF_SPREAD_MS / 2,
    };
    Duration::from_millis(BACKOFF_MIN_MS + spread)
}

async fn read_capped(mut response: reqwest::Response) -> Result<Vec<u8>, Unavailable> {
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > MAX_REPLY_BYTES {
                    return Err(Unavailable::Malformed);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(e) if e.is_timeout() => return Err(Unavailable::Timeout),
            Err(_) => return Err(Unavailable::Connect),
        }
    }
}

/// The first choice's text and the token counts (0 when `usage` is absent).
fn parse(body: &[u8]) -> Result<Completion, Unavailable> {
    let reply: ChatResponse = serde_json::from_slice(body).map_err(|_| Unavailable::Malformed)?;
    let usage = reply.usage.unwrap_or(Usage {
        prompt_tokens: 0,
        completion_tokens: 0,
    });
    let choice = reply
        .choices
        .into_iter()
        .next()
        .ok_or(Unavailable::Malformed)?;
    Ok(Completion {
        content: choice.message.content,
        prompt_tokens: usage.prompt_tokens,
        completion_tokens: usage.completion_tokens,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn endpoint_keeps_the_base_path() {
        let cases = [
            (
                "https://llm.example/v1",
                "https://llm.example/v1/chat/completions",
            ),
            (
                "https://llm.example/v1/",
                "https://llm.example/v1/chat/completions",
            ),
            (
                "http://127.0.0.1:8080",
                "http://127.0.0.1:8080/chat/completions",
            ),
            (
                "https://llm.example/openai/v1?api-version=2",
                "https://llm.example/openai/v1/chat/completions?api-version=2",
            ),
        ];
        for (base, expected) in cases {
            let url = endpoint(&Url::parse(base).unwrap());
            assert_eq!(url.as_str(), expected);
        }
    }

    #[test]
    fn parses_a_completion() {
        let body = br#"{"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"Yes!"},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}"#;
        let completion = parse(body).unwrap();
        assert_eq!(completion.content, "Yes!");
        assert_eq!(completion.prompt_tokens, 12);
        assert_eq!(completion.completion_tokens, 3);
        let no_usage = parse(br#"{"choices":[{"message":{"content":"Hi"}}]}"#).unwrap();
        assert_eq!((no_usage.prompt_tokens, no_usage.completion_tokens), (0, 0));
    }

    #[test]
    fn rejects_garbage() {
        for body in [
            &b"<html>Bad gateway</html>"[..],
            b"",
            b"{}",
            br#"{"choices":[]}"#,
            br#"{"choices":[{"message":{}}]}"#,
            br#"{"choices":[{"message":{"content":null}}]}"#,
            br#"{"choices":[{"message":{"content":42}}]}"#,
            br#"{"choices":"nope"}"#,
            br#"{"choices":[{"message":{"content":"ok"}}],"usage":{"prompt_tokens":"many"}}"#,
        ] {
            assert!(
                matches!(parse(body), Err(Unavailable::Malformed)),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn reads_retry_after_seconds_only() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert(RETRY_AFTER, HeaderValue::from_static(" 3 "));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(3)));
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2026 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn backoff_is_jittered_within_range() {
        let waits: Vec<Duration> = (0..50).map(|_| backoff()).collect();
        assert!(waits
            .iter()
            .all(|w| (Duration::from_millis(200)..=Duration::from_millis(400)).contains(w)));
        assert!(waits.iter().any(|w| *w != waits[0]), "no jitter: {waits:?}");
    }

    #[test]
    fn request_body_has_the_expected_shape() {
        let messages = [
            WireMessage {
                role: "system",
                content: "rules".into(),
            },
            WireMessage {
                role: "user",
                content: "Hi".into(),
            },
        ];
        let json = serde_json::to_value(ChatRequest {
            model: "m",
            messages: &messages,
            max_tokens: 400,
            temperature: TEMPERATURE,
        })
        .unwrap();
        assert_eq!(json["model"], "m");
        assert_eq!(json["max_tokens"], 400);
        assert_eq!(json["messages"][0]["role"], "system");
        assert_eq!(json["messages"][1]["content"], "Hi");
        assert!(json["temperature"].as_f64().unwrap() < 1.0);
    }
}
