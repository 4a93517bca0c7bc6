//! Account email: messages rendered from templates (`templates`), delivered
//! from the outbox (`outbox`) through SMTP with TLS, or into a folder locally.
//!
//! Nothing is sent inside the request that causes a message: the request writes
//! an outbox row in its own transaction, and a drainer delivers it, either this
//! server's own loop (`OUTBOX_DRAIN_SECONDS`, local and tests) or
//! `kennel outbox drain` run on a schedule (Cloud Run Job + Cloud Scheduler),
//! which needs no CPU between requests.

pub mod outbox;
pub mod requests;
pub mod templates;
pub mod unsubscribe;

use std::time::Duration;

use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncFileTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{MailSettings, Transport};
use crate::store::outbox::ConversationMail;

/// When conversation emails go out, from `CONVERSATION_EMAIL_*`.
pub fn conversation_mail(settings: &MailSettings) -> ConversationMail {
    let duration = |d: Duration| chrono::Duration::from_std(d).unwrap_or(chrono::Duration::zero());
    ConversationMail {
        delay: duration(settings.conversation_delay),
        window: duration(settings.conversation_window),
    }
}

/// How long one SMTP conversation may take.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// A rendered message, ready to address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The one-click unsubscribe URL, sent as `List-Unsubscribe` with
    /// `List-Unsubscribe-Post` (RFC 8058).
    pub unsubscribe: Option<String>,
}

/// Headers lettre has no type for, by name.
macro_rules! custom_header {
    ($type:ident, $name:literal) => {
        #[derive(Clone)]
        struct $type(String);

        impl Header for $type {
            fn name() -> HeaderName {
                HeaderName::new_from_ascii_str($name)
            }

            fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
                Ok($type(s.to_string()))
            }

            fn display(&self) -> HeaderValue {
                HeaderValue::new(Self::name(), self.0.clone())
            }
        }
    };
}

custom_header!(ListUnsubscribe, "List-Unsubscribe");
custom_header!(ListUnsubscribePost, "List-Unsubscribe-Post");

/// Why a message was not delivered.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The server refused the message for good (a 5xx reply, a bad address):
    /// trying again cannot help.
    #[error("refused: {0}")]
    Permanent(String),
    /// The server could not be reached, timed out, or asked to try later.
    #[error("{0}")]
    Transient(String),
}

#[derive(Clone)]
enum Sender {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Folder(AsyncFileTransport<Tokio1Executor>),
}

/// Sends rendered messages through the configured transport.
#[derive(Clone)]
pub struct Mailer {
    sender: Sender,
    from: Mailbox,
    reply_to: Option<Mailbox>,
}

impl Mailer {
    /// The mailer of `settings`, or `None` when no transport is configured.
    pub fn new(settings: &MailSettings) -> anyhow::Result<Option<Mailer>> {
        let sender = match &settings.transport {
            None => return Ok(None),
            Some(Transport::Smtp(url)) => Sender::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
                    .map_err(|e| anyhow::anyhow!("SMTP_URL: {e}"))?
                    .timeout(Some(SMTP_TIMEOUT))
                    .build(),
            ),
            Some(Transport::Folder(folder)) => {
                std::fs::create_dir_all(folder)
                    .map_err(|e| anyhow::anyhow!("SMTP_URL: cannot create {folder}: {e}"))?;
                Sender::Folder(AsyncFileTransport::<Tokio1Executor>::new(folder))
            }
        };
        let from = settings
            .from
            .parse()
            .map_err(|e| anyhow::anyhow!("MAIL_FROM: {e}"))?;
        let reply_to = match &settings.reply_to {
            Some(r) => Some(
                r.parse()
                    .map_err(|e| anyhow::anyhow!("MAIL_REPLY_TO: {e}"))?,
            ),
            None => None,
        };
        Ok(Some(Mailer {
            sender,
            from,
            reply_to,
        }))
    }

    pub async fn send(&self, to: &str, message: Rendered) -> Result<(), SendError> {
        let to: Mailbox = to
            .parse()
            .map_err(|e| SendError::Permanent(format!("recipient: {e}")))?;
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(message.subject);
        if let Some(reply_to) = &self.reply_to {
            builder = builder.reply_to(reply_to.clone());
        }
        if let Some(url) = message.unsubscribe {
            builder = builder
                .header(ListUnsubscribe(format!("<{url}>")))
                .header(ListUnsubscribePost("List-Unsubscribe=One-Click".into()));
        }
        let email = builder
            .multipart(MultiPart::alternative_plain_html(
                message.text,
                message.html,
            ))
            .map_err(|e| SendError::Permanent(format!("message: {e}")))?;
        match &self.sender {
            Sender::Smtp(smtp) => smtp.send(email).await.map(|_| ()).map_err(|e| {
                if e.is_permanent() {
                    SendError::Permanent(e.to_string())
                } else {
                    SendError::Transient(e.to_string())
                }
            }),
            Sender::Folder(folder) => folder
                .send(email)
                .await
                .map(|_| ())
                .map_err(|e| SendError::Transient(e.to_string())),
        }
    }
}
