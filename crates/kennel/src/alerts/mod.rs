//! New-match alerts: the two outbox jobs behind them and the push receipts.
//!
//! - `listing_available` (queued by the change that made a listing available):
//!   finds the saved searches it matches through the matching index
//!   (`domain::matching`, `store::matching`) and records each new match; a
//!   search with new matches gets one `new_match_alert` job, due at once or
//!   when its alert window since the last alert ends.
//! - `new_match_alert`: tells the search's owner about everything matched and
//!   not yet announced, in one message: a push to each of their devices
//!   (Expo), or an email (the account's choice, or when push is switched off
//!   for them or they have no device left).
//!
//! Both run in the outbox drainer, never in a request: a slow or absent push
//! service delays alerts (retried with the outbox's backoff), never browsing.

pub mod expo;

use std::time::Instant;

use chrono::Utc;
use uuid::Uuid;

use self::expo::{ExpoPush, PushMessage, RECEIPT_CHUNK};
use crate::config::PushSettings;
use crate::domain::account::AlertChannel;
use crate::domain::mail::OutboxKind;
use crate::domain::matching::{has_terms, ListingFacts};
use crate::flags::{self, Flags, Subject};
use crate::mail::SendError;
use crate::store::matching::{AlertBatch, MatchedPuppy};
use crate::store::outbox::NewMail;
use crate::store::Store;

/// How many puppies an alert names (the rest are counted).
const NAMED: i64 = 10;
/// Expo keeps receipts for a day; a ticket with none by then is dropped.
const RECEIPTS_KEPT: chrono::Duration = chrono::Duration::hours(24);

#[derive(Clone)]
pub struct Alerts {
    store: Store,
    push: ExpoPush,
    flags: Flags,
    window: chrono::Duration,
    receipt_delay: chrono::Duration,
}

/// What matching one listing did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MatchReport {
    pub candidates: usize,
    pub matched: usize,
    pub new_matches: u64,
    pub alerts_queued: u64,
}

impl Alerts {
    pub fn new(store: Store, flags: Flags, settings: &PushSettings) -> anyhow::Result<Alerts> {
        Ok(Alerts {
            push: ExpoPush::new(settings)?,
            store,
            flags,
            window: chrono::Duration::from_std(settings.alert_window)?,
            receipt_delay: chrono::Duration::from_std(settings.receipt_delay)?,
        })
    }

    /// Runs one alert job of `kind` with its `payload`.
    pub async fn run(&self, kind: OutboxKind, payload: &str) -> Result<(), SendError> {
        let id = |field: &str| {
            serde_json::from_str::<serde_json::Value>(payload)
                .ok()
                .and_then(|p| p[field].as_str().and_then(|s| Uuid::try_parse(s).ok()))
                .ok_or_else(|| SendError::Permanent(format!("payload has no {field}")))
        };
        match kind {
            OutboxKind::ListingAvailable => self.match_listing(id("puppy_id")?).await.map(|_| ()),
            OutboxKind::NewMatchAlert => self.alert(id("search_id")?).await,
            other => Err(SendError::Permanent(format!(
                "{} is not an alert job",
                other.as_str()
            ))),
        }
    }

    /// Finds and records the saved searches `puppy` matches, if it is still
    /// available.
    pub async fn match_listing(&self, puppy: Uuid) -> Result<MatchReport, SendError> {
        let started = Instant::now();
        let Some(listing) = self.store.listing_facts(puppy).await.map_err(database)? else {
            return Ok(MatchReport::default());
        };
        let (candidates, matched) = self.matching_searches(&listing).await?;
        let recorded = self
            .store
            .record_matches(puppy, &matched, Utc::now())
            .await
            .map_err(database)?;
        let report = MatchReport {
            candidates,
            matched: matched.len(),
            new_matches: recorded.new_matches,
            alerts_queued: recorded.alerts_queued,
        };
        let elapsed = started.elapsed();
        metrics::histogram!("listing_match_seconds").record(elapsed.as_secs_f64());
        metrics::counter!("saved_search_matches_total").increment(recorded.new_matches);
        tracing::info!(
            puppy_id = %puppy,
            candidates = report.candidates,
            matched = report.matched,
            new_matches = report.new_matches,
            alerts_queued = report.alerts_queued,
            elapsed_us = elapsed.as_micros() as u64,
            "listing matched against saved searches"
        );
        Ok(report)
    }

    /// The saved searches `listing` matches: looked up by its keys and
    /// tested in SQL, then by text here. Also how many candidates the index
    /// gave (those with text included).
    pub async fn matching_searches(
        &self,
        listing: &ListingFacts,
    ) -> Result<(usize, Vec<Uuid>), SendError> {
        let bits = listing.bits(Utc::now().date_naive());
        let (plain, worded) = self
            .store
            .match_candidates(listing, bits)
            .await
            .map_err(database)?;
        let candidates = plain.len() + worded.len();
        let mut matched: Vec<Uuid> = plain;
        matched.extend(
            worded
                .into_iter()
                .filter(|(_, terms)| has_terms(&listing.words, terms))
                .map(|(id, _)| id),
        );
        // A search under two of the listing's breeds comes back twice.
        matched.sort_unstable();
        matched.dedup();
        Ok((candidates, matched))
    }

    /// Tells a search's owner about its unannounced matches.
    async fn alert(&self, search: Uuid) -> Result<(), SendError> {
        let Some(batch) = self
            .store
            .alert_batch(search, NAMED)
            .await
            .map_err(database)?
        else {
            return Ok(()); // the search is gone
        };
        let now = Utc::now();
        let quiet = batch.paused || batch.channel == AlertChannel::Off || batch.puppies.is_empty();
        if quiet {
            return self.finish(&batch, "none", false, None).await;
        }
        if batch.channel == AlertChannel::Push
            && self
                .flags
                .is_enabled(flags::PUSH_NOTIFICATIONS, Subject::User(batch.user_id))
        {
            let tokens = self
                .store
                .push_tokens(batch.user_id)
                .await
                .map_err(database)?;
            if !tokens.is_empty() {
                let tokens: Vec<String> = tokens.into_iter().map(|t| t.token).collect();
                if self.push_to(&batch, &tokens, now).await? {
                    return self.finish(&batch, "push", true, None).await;
                }
                // Every device is gone: email instead.
            }
        }
        if !batch.email_verified {
            // No confirmed address to write to: the app shows the matches as new.
            return self.finish(&batch, "none", false, None).await;
        }
        let mail = NewMail {
            kind: OutboxKind::NewMatches,
            recipient: batch.email.clone(),
            user_id: Some(batch.user_id),
            payload: serde_json::json!({
                "search_id": batch.search_id,
                "search_name": batch.search_name,
                "total": batch.available,
                "puppies": batch.puppies,
            }),
        };
        self.finish(&batch, "email", true, Some(&mail)).await
    }

    async fn finish(
        &self,
        batch: &AlertBatch,
        channel: &'static str,
        sent: bool,
        mail: Option<&NewMail>,
    ) -> Result<(), SendError> {
        self.store
            .finish_alert(batch, sent, mail, self.window, Utc::now())
            .await
            .map_err(database)?;
        metrics::counter!("new_match_alerts_total", "channel" => channel).increment(1);
        tracing::info!(
            saved_search_id = %batch.search_id,
            channel,
            matches = batch.pending.len(),
            "new-match alert done"
        );
        Ok(())
    }

    /// Pushes the alert to each of `tokens`; true when at least one device
    /// took it. Devices the service reports gone are forgotten.
    async fn push_to(
        &self,
        batch: &AlertBatch,
        tokens: &[String],
        now: chrono::DateTime<Utc>,
    ) -> Result<bool, SendError> {
        let (title, body) = summary(&batch.search_name, &batch.puppies, batch.available);
        let messages: Vec<PushMessage> = tokens
            .iter()
            .map(|token| PushMessage {
                to: token.clone(),
                title: title.clone(),
                body: body.clone(),
                data: serde_json::json!({
                    "type": "new_matches",
                    "saved_search_id": batch.search_id,
                }),
                sound: "default",
                priority: "default",
            })
            .collect();
        let tickets = self.push.send(&messages).await?;
        let mut accepted = Vec::new();
        let mut gone = Vec::new();
        let mut refused = Vec::new();
        for (token, ticket) in tokens.iter().zip(&tickets) {
            match (&ticket.id, ticket.is_ok()) {
                (Some(id), true) => accepted.push((id.clone(), token.clone())),
                _ if ticket.device_gone() => gone.push(token.clone()),
                _ => refused.push(ticket.error().unwrap_or("unknown").to_string()),
            }
        }
        if !gone.is_empty() {
            self.store
                .forget_push_tokens(&gone)
                .await
                .map_err(database)?;
            metrics::counter!("push_tokens_removed_total").increment(gone.len() as u64);
        }
        if !accepted.is_empty() {
            self.store
                .record_push_tickets(&accepted, now)
                .await
                .map_err(database)?;
            return Ok(true);
        }
        if refused.is_empty() {
            return Ok(false);
        }
        let detail = format!("push refused: {}", refused.join(", "));
        Err(if refused.iter().any(|e| e == "MessageRateExceeded") {
            SendError::Transient(detail)
        } else {
            SendError::Permanent(detail)
        })
    }

    /// Reads the receipts of tickets sent at least the receipt delay ago and
    /// forgets the devices they report gone. Returns how many tokens it removed.
    pub async fn read_receipts(&self) -> anyhow::Result<u64> {
        let now = Utc::now();
        let due = self
            .store
            .due_push_tickets(now - self.receipt_delay, RECEIPT_CHUNK as i64)
            .await?;
        if due.is_empty() {
            return Ok(0);
        }
        let ids: Vec<String> = due.iter().map(|(id, _)| id.clone()).collect();
        let receipts = self.push.receipts(&ids).await?;
        let mut done = Vec::new();
        let mut gone = Vec::new();
        for (id, token) in &due {
            // A receipt that is not ready yet is asked for again next time.
            let Some(receipt) = receipts.get(id) else {
                continue;
            };
            if receipt.device_gone() {
                gone.push(token.clone());
            } else if !receipt.is_ok() {
                tracing::warn!(
                    error = receipt.error().unwrap_or("unknown"),
                    "push not delivered"
                );
            }
            done.push(id.clone());
        }
        // Expo keeps receipts for a day: one not ready by then never will be.
        let stale = self
            .store
            .due_push_tickets(now - RECEIPTS_KEPT, RECEIPT_CHUNK as i64)
            .await?;
        done.extend(stale.into_iter().map(|(id, _)| id));
        done.sort();
        done.dedup();
        self.store.delete_push_tickets(&done).await?;
        let removed = self.store.forget_push_tokens(&gone).await?;
        if removed > 0 {
            metrics::counter!("push_tokens_removed_total").increment(removed);
            tracing::info!(removed, "push tokens of unregistered devices removed");
        }
        Ok(removed)
    }
}

/// The push title and body of an alert: the search, the newest puppy, and
/// how many more.
pub fn summary(search: &str, puppies: &[MatchedPuppy], total: usize) -> (String, String) {
    let total = total.max(puppies.len());
    let title = if total == 1 {
        format!("New match for “{search}”")
    } else {
        format!("{total} new matches for “{search}”")
    };
    let body = match puppies.first() {
        None => "Open Kennel to see them.".to_string(),
        Some(first) if total == 1 => format!("{}, {} in {}", first.name, first.breed, first.city),
        Some(first) => format!(
            "{} ({}, {}) and {} more",
            first.name,
            first.breed,
            first.city,
            total - 1
        ),
    };
    (title, body)
}

fn database(error: sqlx::Error) -> SendError {
    SendError::Transient(format!("database: {error}"))
}
