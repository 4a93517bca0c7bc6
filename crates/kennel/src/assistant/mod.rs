//! The "Ask about this puppy" assistant: answers questions about one puppy, its
//! breed, adoption and general puppy care by calling an OpenAI-compatible Chat
//! Completions endpoint.
//!
//! One call to [`Assistant::answer`] goes through fixed steps, each its own module:
//!
//! 1. `safety`: the conversation is checked against the caps (1–20 messages,
//!    1–1,000 characters each, the last one from the user), then email
//!    addresses and phone numbers are redacted from every message, then the
//!    latest user message goes through a small keyword classifier. Medication
//!    dosing, harm to animals, off-topic asks and prompt injection get the fixed
//!    [`REFUSAL`] without any network call.
//! 2. `breaker`: a circuit breaker that answers at once while the provider is
//!    known to be failing, and lets a single probe through after a cool-down.
//! 3. `prompt`: a system prompt that keeps the model on topic and carries the
//!    puppy's facts as a data block; the user's messages follow as their own
//!    user/assistant messages, never pasted into the system prompt.
//! 4. `provider`: the HTTP call, with a connect timeout, at most one retry (on
//!    429, 5xx or a refused connection) and the whole call, retry included,
//!    inside `total_timeout`.
//! 5. The answer is trimmed and capped to [`MAX_ANSWER_CHARS`]; an empty answer
//!    counts as a malformed reply.
//!
//! Every failure the caller can do nothing about is an [`Unavailable`]: the HTTP
//! layer turns it into a 503 and the page hides the assistant. Logs carry the
//! outcome, latency and token counts of each call, never the messages or the key.

mod breaker;
mod prompt;
mod provider;
mod safety;

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use url::Url;
use utoipa::ToSchema;

pub use breaker::BreakerState;
pub use safety::{RefusalReason, MAX_ANSWER_CHARS, MAX_MESSAGES, MAX_MESSAGE_CHARS, REFUSAL};

use breaker::Breaker;
use provider::{Provider, WireMessage};

/// How the assistant reaches its provider and how hard it tries.
///
/// `Debug` is safe to print: the API key shows as redacted.
#[derive(Debug, Clone)]
pub struct AssistantConfig {
    /// Base URL of the OpenAI-compatible API; requests go to
    /// `{base_url}/chat/completions`.
    pub base_url: Url,
    /// Sent as a bearer token; never logged.
    pub api_key: SecretString,
    /// Model name sent with every request.
    pub model: String,
    /// Time allowed to open a TCP/TLS connection (default 2 s).
    pub connect_timeout: Duration,
    /// The whole budget of one answer, including the retry and its wait
    /// (default 8 s).
    pub total_timeout: Duration,
    /// `max_tokens` sent to the provider (default 400).
    pub max_output_tokens: u32,
    /// Consecutive provider failures that open the circuit breaker (default 5).
    pub breaker_failures: u32,
    /// How long the breaker stays open before one probe is let through
    /// (default 30 s).
    pub breaker_cool_down: Duration,
}

impl AssistantConfig {
    /// A configuration with the production defaults for everything but the
    /// provider's address, key and model.
    pub fn new(base_url: Url, api_key: SecretString, model: impl Into<String>) -> Self {
        AssistantConfig {
            base_url,
            api_key,
            model: model.into(),
            connect_timeout: Duration::from_secs(2),
            total_timeout: Duration::from_secs(8),
            max_output_tokens: 400,
            breaker_failures: 5,
            breaker_cool_down: Duration::from_secs(30),
        }
    }
}

/// The assistant engine. Cheap to clone: clones share one HTTP client and one
/// circuit breaker.
#[derive(Clone)]
pub struct Assistant {
    inner: Arc<Inner>,
}

struct Inner {
    provider: Provider,
    breaker: Breaker,
    total_timeout: Duration,
}

impl fmt::Debug for Assistant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Assistant")
            .field("breaker", &self.breaker_state())
            .finish_non_exhaustive()
    }
}

/// One question: the conversation so far and, when asked from a puppy's page,
/// that puppy's facts.
#[derive(Clone)]
pub struct Question {
    /// The puppy the question is about; `None` for general questions.
    pub puppy: Option<PuppyFacts>,
    /// The conversation, oldest first; the last message is the user's question.
    pub messages: Vec<Message>,
}

impl fmt::Debug for Question {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Question")
            .field("puppy", &self.puppy.as_ref().map(|p| &p.name))
            .field("messages", &self.messages)
            .finish()
    }
}

/// What the model is told about the puppy. Filled from the listing; the prompt
/// treats it as data, not instructions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PuppyFacts {
    pub name: String,
    pub breed: String,
    pub secondary_breed: Option<String>,
    pub mixed: bool,
    pub sex: String,
    pub age_months: u32,
    pub size: String,
    pub coat: String,
    pub colour: String,
    pub good_with_kids: Option<bool>,
    pub good_with_dogs: Option<bool>,
    pub good_with_cats: Option<bool>,
    pub house_trained: bool,
    pub vaccinated: bool,
    pub neutered: bool,
    pub description: String,
    pub organization: String,
    pub status: String,
}

/// One message of the conversation, as the client sends it.
///
/// `Debug` shows the role and length only, so a stray `{:?}` never logs what a
/// user wrote.
#[derive(Clone, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
pub struct Message {
    /// Who wrote it.
    pub role: MessageRole,
    /// The text, 1 to 1,000 characters.
    pub content: String,
}

impl Message {
    /// A message from the person asking.
    pub fn user(content: impl Into<String>) -> Self {
        Message {
            role: MessageRole::User,
            content: content.into(),
        }
    }

    /// An earlier answer of the assistant, sent back as context.
    pub fn assistant(content: impl Into<String>) -> Self {
        Message {
            role: MessageRole::Assistant,
            content: content.into(),
        }
    }
}

impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Message {{ role: {:?}, content: <{} chars> }}",
            self.role,
            self.content.chars().count()
        )
    }
}

/// Who wrote a message. Clients may only send these two; the system prompt is
/// always Kennel's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum MessageRole {
    User,
    Assistant,
}

impl MessageRole {
    /// The role name of the Chat Completions API.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageRole::User => "user",
            MessageRole::Assistant => "assistant",
        }
    }
}

/// The assistant's reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The text to show, trimmed and at most [`MAX_ANSWER_CHARS`] characters.
    pub content: String,
    /// True when the question was declined with [`REFUSAL`] (no provider call).
    pub refused: bool,
    /// Tokens the provider counted in the request (0 when refused).
    pub prompt_tokens: u32,
    /// Tokens the provider generated (0 when refused).
    pub completion_tokens: u32,
    /// Time spent answering, for metrics.
    pub latency: Duration,
}

impl Answer {
    /// Metric label of a successful call: `"ok"` or `"refused"`.
    pub fn outcome(&self) -> &'static str {
        if self.refused {
            "refused"
        } else {
            "ok"
        }
    }
}

/// Why a question got no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssistantError {
    /// The question itself is bad (client error -> 400): which field and why.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// The provider cannot answer now (-> 503 feature_unavailable).
    #[error("assistant unavailable: {0}")]
    Unavailable(Unavailable),
}

impl AssistantError {
    /// Metric label: `"invalid"` or the [`Unavailable::outcome`] label.
    pub fn outcome(&self) -> &'static str {
        match self {
            AssistantError::Invalid { .. } => "invalid",
            AssistantError::Unavailable(u) => u.outcome(),
        }
    }

    fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        AssistantError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl From<Unavailable> for AssistantError {
    fn from(u: Unavailable) -> Self {
        AssistantError::Unavailable(u)
    }
}

/// Why the provider gave no usable answer. All of these except `BreakerOpen`
/// count as failures for the circuit breaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Unavailable {
    /// The breaker is open: recent calls failed, so this one was not attempted.
    #[error("circuit breaker open")]
    BreakerOpen,
    /// The provider did not answer within `total_timeout`.
    #[error("timed out")]
    Timeout,
    /// No connection could be made (refused, DNS, TLS, connect timeout).
    #[error("could not connect")]
    Connect,
    /// The provider answered with this non-success status.
    #[error("provider answered HTTP {0}")]
    Status(u16),
    /// The provider answered 429 and there was no time left to wait.
    #[error("rate limited by the provider")]
    RateLimited,
    /// The reply was not a usable Chat Completions response.
    #[error("malformed reply")]
    Malformed,
}

impl Unavailable {
    /// Metric label of this outcome.
    pub fn outcome(&self) -> &'static str {
        match self {
            Unavailable::BreakerOpen => "breaker_open",
            Unavailable::Timeout => "timeout",
            Unavailable::Connect => "connect_error",
            Unavailable::Status(_) => "http_error",
            Unavailable::RateLimited => "rate_limited",
            Unavailable::Malformed => "malformed",
        }
    }
}

/// Checks a conversation against the caps without answering it, so a caller
/// can refuse bad input before spending anything (quota, a provider call).
pub fn validate(messages: &[Message]) -> Result<(), AssistantError> {
    safety::validate(messages)
}

impl Assistant {
    /// Builds the engine; fails on a configuration that cannot work (a base URL
    /// that is not http(s), an empty model, zero timeouts or threshold).
    pub fn new(config: AssistantConfig) -> anyhow::Result<Assistant> {
        if !matches!(config.base_url.scheme(), "http" | "https") {
            bail!("the assistant base URL must be http or https");
        }
        if config.model.trim().is_empty() {
            bail!("the assistant model must not be empty");
        }
        if config.connect_timeout.is_zero() || config.total_timeout.is_zero() {
            bail!("the assistant timeouts must be positive");
        }
        if config.max_output_tokens == 0 {
            bail!("the assistant max_output_tokens must be positive");
        }
        if config.breaker_failures == 0 {
            bail!("the assistant breaker_failures must be at least 1");
        }
        let provider = Provider::new(&config).context("building the assistant HTTP client")?;
        Ok(Assistant {
            inner: Arc::new(Inner {
                provider,
                breaker: Breaker::new(config.breaker_failures, config.breaker_cool_down),
                total_timeout: config.total_timeout,
            }),
        })
    }

    /// Answers the latest user message of `question`.
    ///
    /// Invalid questions fail with [`AssistantError::Invalid`]; unsafe or
    /// off-topic ones get [`REFUSAL`] with `refused: true` and no provider
    /// call; provider trouble of any kind is [`AssistantError::Unavailable`].
    pub async fn answer(&self, question: Question) -> Result<Answer, AssistantError> {
        let started = Instant::now();
        if let Err(e) = safety::validate(&question.messages) {
            if let AssistantError::Invalid { field, .. } = &e {
                tracing::info!(outcome = e.outcome(), field = %field, "assistant question rejected");
            }
            return Err(e);
        }
        let messages: Vec<Message> = question
            .messages
            .iter()
            .map(|m| Message {
                role: m.role,
                content: safety::redact(&m.content),
            })
            .collect();
        // validate() guarantees the last message exists and is the user's.
        let latest = &messages[messages.len() - 1].content;
        if let Some(reason) = safety::classify(latest) {
            let latency = started.elapsed();
            tracing::info!(
                outcome = "refused",
                reason = reason.label(),
                latency_ms = latency.as_millis() as u64,
                "assistant question refused"
            );
            return Ok(Answer {
                content: REFUSAL.to_string(),
                refused: true,
                prompt_tokens: 0,
                completion_tokens: 0,
                latency,
            });
        }

        let Some(permit) = self.inner.breaker.acquire() else {
            tracing::warn!(
                outcome = Unavailable::BreakerOpen.outcome(),
                "assistant call skipped: circuit breaker open"
            );
            return Err(Unavailable::BreakerOpen.into());
        };

        let mut wire = Vec::with_capacity(messages.len() + 1);
        wire.push(WireMessage {
            role: "system",
            content: prompt::system_prompt(question.puppy.as_ref()),
        });
        wire.extend(messages.into_iter().map(|m| WireMessage {
            role: m.role.as_str(),
            content: m.content,
        }));

        let budget = self.inner.total_timeout;
        let deadline = tokio::time::Instant::now() + budget;
        let mut attempts = 0u32;
        let call = self.inner.provider.complete(&wire, deadline, &mut attempts);
        let result = match tokio::time::timeout_at(deadline, call).await {
            Ok(result) => result,
            Err(_) => Err(Unavailable::Timeout),
        }
        .and_then(|completion| {
            let content = safety::cap_answer(&completion.content).ok_or(Unavailable::Malformed)?;
            Ok(Answer {
                content,
                refused: false,
                prompt_tokens: completion.prompt_tokens,
                completion_tokens: completion.completion_tokens,
                latency: started.elapsed(),
            })
        });

        let latency_ms = started.elapsed().as_millis() as u64;
        match &result {
            Ok(answer) => {
                permit.succeeded();
                tracing::info!(
                    outcome = answer.outcome(),
                    latency_ms,
                    attempts,
                    prompt_tokens = answer.prompt_tokens,
                    completion_tokens = answer.completion_tokens,
                    "assistant answered"
                );
            }
            Err(u) => {
                permit.failed();
                tracing::warn!(
                    outcome = u.outcome(),
                    error = %u,
                    latency_ms,
                    attempts,
                    breaker = self.inner.breaker.state().as_str(),
                    "assistant call failed"
                );
            }
        }
        result.map_err(AssistantError::from)
    }

    /// The circuit breaker's state, for health checks and metrics.
    pub fn breaker_state(&self) -> BreakerState {
        self.inner.breaker.state()
    }
}

/// The engine for the configured provider, or `None` without one.
pub fn engine(settings: Option<&crate::config::LlmSettings>) -> Option<Assistant> {
    let settings = settings?;
    let mut config = AssistantConfig::new(
        settings.base_url.clone(),
        SecretString::from(settings.api_key.expose().to_string()),
        settings.model.clone(),
    );
    config.total_timeout = settings.timeout;
    config.breaker_cool_down = settings.breaker_cool_down;
    match Assistant::new(config) {
        Ok(assistant) => Some(assistant),
        Err(error) => {
            tracing::error!(error = %error, "assistant configuration unusable; it stays unavailable");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_labels_are_stable() {
        let invalid = AssistantError::invalid("messages", "too many");
        assert_eq!(invalid.outcome(), "invalid");
        let cases = [
            (Unavailable::BreakerOpen, "breaker_open"),
            (Unavailable::Timeout, "timeout"),
            (Unavailable::Connect, "connect_error"),
            (Unavailable::Status(500), "http_error"),
            (Unavailable::RateLimited, "rate_limited"),
            (Unavailable::Malformed, "malformed"),
        ];
        for (u, label) in cases {
            assert_eq!(u.outcome(), label);
            assert_eq!(AssistantError::Unavailable(u).outcome(), label);
        }
        let answer = Answer {
            content: "Yes".into(),
            refused: false,
            prompt_tokens: 1,
            completion_tokens: 1,
            latency: Duration::ZERO,
        };
        assert_eq!(answer.outcome(), "ok");
        assert_eq!(
            Answer {
                refused: true,
                ..answer
            }
            .outcome(),
            "refused"
        );
    }

    #[test]
    fn message_roles_are_lowercase_on_the_wire() {
        let json = serde_json::to_string(&Message::user("Hi")).unwrap();
        assert_eq!(json, r#"{"role":"user","content":"Hi"}"#);
        let back: Message =
            serde_json::from_str(r#"{"role":"assistant","content":"Hello"}"#).unwrap();
        assert_eq!(back, Message::assistant("Hello"));
        assert!(serde_json::from_str::<Message>(r#"{"role":"system","content":"x"}"#).is_err());
    }

    #[test]
    fn debug_output_never_shows_message_text_or_key() {
        let question = Question {
            puppy: None,
            messages: vec![Message::user("my email is jo@example.com")],
        };
        let shown = format!("{question:?}");
        assert!(!shown.contains("jo@example.com"), "{shown}");
        assert!(shown.contains("26 chars"), "{shown}");

        let config = AssistantConfig::new(
            Url::parse("http://127.0.0.1:9/v1").unwrap(),
            SecretString::from("sk-very-secret".to_string()),
            "small-model",
        );
        assert!(!format!("{config:?}").contains("sk-very-secret"));
    }

    #[test]
    fn new_rejects_unusable_configuration() {
        let good = AssistantConfig::new(
            Url::parse("https://llm.example/v1").unwrap(),
            SecretString::from("k".to_string()),
            "m",
        );
        assert!(Assistant::new(good.clone()).is_ok());
        let mut bad = good.clone();
        bad.base_url = Url::parse("ftp://llm.example/").unwrap();
        assert!(Assistant::new(bad).is_err());
        let mut bad = good.clone();
        bad.model = " ".into();
        assert!(Assistant::new(bad).is_err());
        let mut bad = good.clone();
        bad.total_timeout = Duration::ZERO;
        assert!(Assistant::new(bad).is_err());
        let mut bad = good;
        bad.breaker_failures = 0;
        assert!(Assistant::new(bad).is_err());
    }
}
