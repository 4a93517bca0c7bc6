//! Draining the outbox: claim due messages, mint the token a message carries,
//! render, send, and record the outcome; failures are retried with backoff
//! until `OUTBOX_MAX_ATTEMPTS`, then the message is dead (kept, counted in
//! `outbox_messages{status="dead"}`, listed by `kennel outbox status`).
//!
//! A claimed row carries this drainer's id and a lease longer than one send
//! (`LEASE`), so two drainers never hold the same row; a drainer that dies
//! mid-send leaves its rows due again when the lease ends (such a message may
//! then arrive twice: delivery is at least once, never dropped).

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::Notify;
use uuid::Uuid;

use super::templates::{self, Context, Conversation};
use super::unsubscribe;
use super::{Mailer, SendError, SMTP_TIMEOUT};
use crate::alerts::Alerts;
use crate::auth;
use crate::config::MailSettings;
use crate::domain::mail::OutboxKind;
use crate::store::accounts::UserRecord;
use crate::store::inquiries::InquiryRecord;
use crate::store::outbox::OutboxRecord;
use crate::store::Store;

/// How long a claim lasts: longer than one send may take.
const LEASE: Duration = Duration::from_secs(2 * SMTP_TIMEOUT.as_secs() + 10);
/// How many messages one claim takes.
const BATCH: i64 = 20;
/// Delivered messages are kept this long (they name an address), then removed.
const KEEP_SENT: chrono::Duration = chrono::Duration::days(7);

/// What one drain did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DrainReport {
    pub sent: u64,
    pub retried: u64,
    pub dead: u64,
}

/// Delivers email through `mailer` and runs the alert jobs through `alerts`;
/// a drainer without one of them leaves those rows for a drainer that has it.
#[derive(Clone)]
pub struct Drainer {
    store: Store,
    mailer: Option<Mailer>,
    alerts: Option<Alerts>,
    settings: Arc<MailSettings>,
    worker: Uuid,
}

impl Drainer {
    pub fn new(
        store: Store,
        mailer: Option<Mailer>,
        alerts: Option<Alerts>,
        settings: MailSettings,
    ) -> Drainer {
        Drainer {
            store,
            mailer,
            alerts,
            settings: Arc::new(settings),
            worker: Uuid::new_v4(),
        }
    }

    /// The kinds this drainer can handle; `None` for all.
    fn kinds(&self) -> Option<Vec<OutboxKind>> {
        match (&self.mailer, &self.alerts) {
            (Some(_), Some(_)) => None,
            (Some(_), None) => Some(
                OutboxKind::ALL
                    .into_iter()
                    .filter(|k| !k.is_job())
                    .collect(),
            ),
            (None, Some(_)) => Some(OutboxKind::JOBS.to_vec()),
            (None, None) => Some(Vec::new()),
        }
    }

    /// Delivers every message due now, batch by batch, and returns what it did.
    pub async fn drain(&self) -> anyhow::Result<DrainReport> {
        let mut report = DrainReport::default();
        // Only what was due when the drain began: a message that fails now is
        // tried again by a later drain, never in a loop within this one.
        let started = Utc::now();
        let lease = chrono::Duration::from_std(LEASE)?;
        let kinds = self.kinds();
        loop {
            let batch = self
                .store
                .claim_mail(
                    self.worker,
                    started,
                    Utc::now() + lease,
                    BATCH,
                    kinds.as_deref(),
                )
                .await?;
            if batch.is_empty() {
                break;
            }
            for record in batch {
                self.deliver(record, &mut report).await?;
            }
        }
        self.store.prune_sent_mail(Utc::now() - KEEP_SENT).await?;
        if let Some(alerts) = &self.alerts {
            if let Err(error) = alerts.read_receipts().await {
                tracing::warn!(error = %error, "push receipts not read");
            }
        }
        Ok(report)
    }

    async fn deliver(&self, record: OutboxRecord, report: &mut DrainReport) -> anyhow::Result<()> {
        let kind = record.kind.as_str();
        let outcome = match tokio::time::timeout(LEASE / 2, self.send(&record)).await {
            Ok(result) => result,
            Err(_) => Err(SendError::Transient("timed out".into())),
        };
        match outcome {
            Ok(()) => {
                self.store
                    .mark_mail_sent(record.id, self.worker, Utc::now())
                    .await?;
                report.sent += 1;
                metrics::counter!("outbox_deliveries_total", "kind" => kind, "outcome" => "sent")
                    .increment(1);
                if record.kind.is_job() {
                    tracing::debug!(message_id = %record.id, kind, attempt = record.attempts, "outbox job done");
                } else {
                    tracing::info!(message_id = %record.id, kind, attempt = record.attempts, "email delivered");
                }
            }
            Err(error) => {
                let attempts = u32::try_from(record.attempts).unwrap_or(u32::MAX);
                let give_up = matches!(error, SendError::Permanent(_))
                    || attempts >= self.settings.max_attempts;
                let retry_at = if give_up {
                    None
                } else {
                    let delay = crate::domain::mail::retry_delay(
                        attempts,
                        self.settings.retry_base,
                        jitter(),
                    );
                    Some(Utc::now() + chrono::Duration::from_std(delay)?)
                };
                // Kept in the outbox and logged: without the addresses an
                // SMTP reply may quote.
                let detail = redact_addresses(&error.to_string());
                self.store
                    .mark_mail_failed(record.id, self.worker, &detail, retry_at)
                    .await?;
                let outcome = if give_up { "dead" } else { "retry" };
                if give_up {
                    report.dead += 1;
                } else {
                    report.retried += 1;
                }
                metrics::counter!("outbox_deliveries_total", "kind" => kind, "outcome" => outcome)
                    .increment(1);
                tracing::warn!(
                    message_id = %record.id,
                    kind,
                    attempt = record.attempts,
                    outcome,
                    error = %detail,
                    "outbox message not done"
                );
            }
        }
        Ok(())
    }

    async fn send(&self, record: &OutboxRecord) -> Result<(), SendError> {
        if record.kind.is_job() {
            return match &self.alerts {
                Some(alerts) => alerts.run(record.kind, &record.payload).await,
                None => Err(SendError::Transient("alerts are not set up here".into())),
            };
        }
        let Some(mailer) = &self.mailer else {
            return Err(SendError::Transient("no mail transport here".into()));
        };
        let internal = |e: sqlx::Error| SendError::Transient(format!("database: {e}"));
        let user = match record.user_id {
            Some(id) => self.store.user_by_id(id).await.map_err(internal)?,
            None => None,
        };
        // A message about an account that has gone since is not sent.
        if record.user_id.is_some() && user.is_none() {
            return Ok(());
        }
        let token = match (record.kind.token(), &user) {
            (Some(purpose), Some(user)) => {
                let (token, hash) =
                    auth::new_mail_token().map_err(|e| SendError::Transient(e.to_string()))?;
                self.store
                    .create_account_token(&hash, user.id, purpose, &record.recipient, Utc::now())
                    .await
                    .map_err(internal)?;
                Some(token)
            }
            _ => None,
        };
        let thread = match (record.kind, &user) {
            (OutboxKind::ConversationReply, Some(user)) => {
                match self.conversation(record, user).await.map_err(internal)? {
                    Some(thread) => Some(thread),
                    // Read since, switched off, or gone: nothing to send.
                    None => return Ok(()),
                }
            }
            _ => None,
        };
        let conversation = thread
            .as_ref()
            .map(|(inquiry, from, unsubscribe)| Conversation {
                inquiry_id: inquiry.id,
                puppy: &inquiry.puppy_name,
                from,
                unsubscribe: unsubscribe.clone(),
            });
        let new_matches = match record.kind {
            OutboxKind::NewMatches => serde_json::from_str(&record.payload).ok(),
            _ => None,
        };
        let rendered = templates::render(
            record.kind,
            &Context {
                app_base_url: &self.settings.app_base_url,
                name: user.as_ref().map(|u| u.display_name.as_str()),
                token: token.as_deref(),
                conversation,
                new_matches,
            },
        );
        mailer.send(&record.recipient, rendered).await
    }

    /// The thread a conversation email is about, who wrote, and the
    /// unsubscribe link; `None` when it should not be sent any more: the
    /// recipient switched these emails off or has read the thread since, or
    /// the thread is gone.
    async fn conversation(
        &self,
        record: &OutboxRecord,
        user: &UserRecord,
    ) -> Result<Option<(InquiryRecord, String, String)>, sqlx::Error> {
        if !user.conversation_email {
            return Ok(None);
        }
        let id = serde_json::from_str::<serde_json::Value>(&record.payload)
            .ok()
            .and_then(|p| {
                p["inquiry_id"]
                    .as_str()
                    .and_then(|s| Uuid::try_parse(s).ok())
            });
        let Some(id) = id else { return Ok(None) };
        let Some(inquiry) = self.store.inquiry(id).await? else {
            return Ok(None);
        };
        let adopter = inquiry.user_id == Some(user.id);
        let read = if adopter {
            inquiry.adopter_read_at
        } else {
            inquiry.staff_read_at
        };
        if read.is_some_and(|read| read >= inquiry.last_message_at) {
            return Ok(None);
        }
        let from = if adopter {
            inquiry.organization_name.clone()
        } else {
            inquiry
                .adopter_name
                .clone()
                .unwrap_or_else(|| "An adopter".to_string())
        };
        let key = self
            .store
            .signing_key(unsubscribe::KEY_NAME, Utc::now())
            .await?;
        let mut url = self.settings.api_base_url.clone();
        if let Ok(mut segments) = url.path_segments_mut() {
            segments
                .pop_if_empty()
                .extend(["v1", "email", "unsubscribe"]);
        }
        url.query_pairs_mut()
            .append_pair("token", &unsubscribe::token(&key, user.id));
        Ok(Some((inquiry, from, url.to_string())))
    }
}

/// This server's side of the outbox: wakes the in-process drainer when a
/// request has queued a message, so local delivery does not wait for the timer.
#[derive(Clone, Default)]
pub struct Outbox {
    wake: Arc<Notify>,
}

impl Outbox {
    pub fn nudge(&self) {
        self.wake.notify_one();
    }

    /// Drains every `interval` and whenever nudged, until the task is aborted.
    /// `None` when the interval is zero (a scheduled job drains instead).
    pub fn spawn_drainer(
        &self,
        store: Store,
        settings: &MailSettings,
        alerts: Alerts,
    ) -> anyhow::Result<Option<tokio::task::JoinHandle<()>>> {
        if settings.drain_interval.is_zero() {
            return Ok(None);
        }
        let mailer = Mailer::new(settings)?;
        let drainer = Drainer::new(store, mailer, Some(alerts), settings.clone());
        let (wake, interval) = (self.wake.clone(), settings.drain_interval);
        Ok(Some(tokio::spawn(async move {
            loop {
                if let Err(error) = drainer.drain().await {
                    tracing::error!(error = %error, "outbox drain failed");
                }
                tokio::select! {
                    _ = wake.notified() => {}
                    _ = tokio::time::sleep(interval) => {}
                }
            }
        })))
    }
}

/// A number in 0.0..=1.0 to spread retries.
fn jitter() -> f64 {
    let mut bytes = [0u8; 2];
    match getrandom::getrandom(&mut bytes) {
        Ok(()) => f64::from(u16::from_le_bytes(bytes)) / f64::from(u16::MAX),
        Err(_) => 0.5,
    }
}

/// `text` with every word that holds an `@` (an address, as SMTP replies quote
/// them) replaced by `[address]`.
fn redact_addresses(text: &str) -> String {
    let delimiter = |c: char| c.is_whitespace() || "<>\"'(),;[]".contains(c);
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |out: &mut String, word: &mut String| {
        out.push_str(if word.contains('@') {
            "[address]"
        } else {
            word.as_str()
        });
        word.clear();
    };
    for c in text.chars() {
        if delimiter(c) {
            flush(&mut out, &mut word);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut out, &mut word);
    out
}

#[cfg(test)]
mod tests {
    use super::redact_addresses;

    #[test]
    fn smtp_replies_lose_their_addresses() {
        assert_eq!(
            redact_addresses(
                "permanent error (550): 5.1.1 <ada@example.com>: Recipient address rejected"
            ),
            "permanent error (550): 5.1.1 <[address]>: Recipient address rejected"
        );
        assert_eq!(
            redact_addresses("mailbox full for ada.l@example.org, try later"),
            "mailbox full for [address], try later"
        );
        assert_eq!(redact_addresses("connection refused"), "connection refused");
    }
}
