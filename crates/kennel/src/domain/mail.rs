//! Account email as the domain sees it: which messages exist, what the tokens
//! they carry are for and how long those last, and when a failed delivery is
//! tried again.

use std::time::Duration;

/// What an outbox row is: an email (each with its own template in
/// `mail::templates`), or one of the jobs that new-match alerts run through the
/// outbox (`is_job`), retried the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutboxKind {
    /// "Confirm your address", with a link carrying a `verify_email` token.
    VerifyEmail,
    /// "Choose a new password", with a link carrying a `password_reset` token.
    PasswordReset,
    /// "Someone tried to register with your address": sent instead of a second
    /// account, so registration answers the same whether or not it is taken.
    RegistrationAttempt,
    /// "Confirm your new address", sent to the new address, with an
    /// `email_change` token.
    ConfirmEmailChange,
    /// "Someone tried to move an account to your address": sent to an address
    /// that already has an account instead of a confirmation.
    EmailChangeAttempt,
    /// "New message in your conversation about <puppy>": at most one per
    /// thread and recipient per window, sent only if still unread, with a
    /// one-click unsubscribe link. The payload names the thread.
    ConversationReply,
    /// "New puppies match your saved search": the summary of an alert sent by
    /// email. The payload names the search and the puppies.
    NewMatches,
    /// Job: find the saved searches a listing that became available matches.
    /// The payload names the puppy.
    ListingAvailable,
    /// Job: tell a saved search's owner about its new matches, by push or
    /// email. The payload names the search.
    NewMatchAlert,
}

impl OutboxKind {
    pub const ALL: [OutboxKind; 9] = [
        OutboxKind::VerifyEmail,
        OutboxKind::PasswordReset,
        OutboxKind::RegistrationAttempt,
        OutboxKind::ConfirmEmailChange,
        OutboxKind::EmailChangeAttempt,
        OutboxKind::ConversationReply,
        OutboxKind::NewMatches,
        OutboxKind::ListingAvailable,
        OutboxKind::NewMatchAlert,
    ];

    /// The kinds that are jobs, not email: they need no mail transport.
    pub const JOBS: [OutboxKind; 2] = [OutboxKind::ListingAvailable, OutboxKind::NewMatchAlert];

    pub fn is_job(self) -> bool {
        OutboxKind::JOBS.contains(&self)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            OutboxKind::VerifyEmail => "verify_email",
            OutboxKind::PasswordReset => "password_reset",
            OutboxKind::RegistrationAttempt => "registration_attempt",
            OutboxKind::ConfirmEmailChange => "confirm_email_change",
            OutboxKind::EmailChangeAttempt => "email_change_attempt",
            OutboxKind::ConversationReply => "conversation_reply",
            OutboxKind::NewMatches => "new_matches",
            OutboxKind::ListingAvailable => "listing_available",
            OutboxKind::NewMatchAlert => "new_match_alert",
        }
    }

    pub fn parse(value: &str) -> Option<OutboxKind> {
        OutboxKind::ALL.into_iter().find(|k| k.as_str() == value)
    }

    /// The token the message carries, if any.
    pub fn token(self) -> Option<TokenPurpose> {
        match self {
            OutboxKind::VerifyEmail => Some(TokenPurpose::VerifyEmail),
            OutboxKind::PasswordReset => Some(TokenPurpose::PasswordReset),
            OutboxKind::ConfirmEmailChange => Some(TokenPurpose::EmailChange),
            OutboxKind::RegistrationAttempt
            | OutboxKind::EmailChangeAttempt
            | OutboxKind::ConversationReply
            | OutboxKind::NewMatches
            | OutboxKind::ListingAvailable
            | OutboxKind::NewMatchAlert => None,
        }
    }
}

/// What an emailed token allows, once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    VerifyEmail,
    PasswordReset,
    EmailChange,
}

impl TokenPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::VerifyEmail => "verify_email",
            TokenPurpose::PasswordReset => "password_reset",
            TokenPurpose::EmailChange => "email_change",
        }
    }

    /// How long a token stays usable after it was sent. A reset link is short
    /// lived (whoever reads the mailbox later cannot use it); confirming an
    /// address may wait for the next time the user reads their mail.
    pub fn lifetime(self) -> chrono::Duration {
        match self {
            TokenPurpose::PasswordReset => chrono::Duration::hours(1),
            TokenPurpose::VerifyEmail | TokenPurpose::EmailChange => chrono::Duration::days(2),
        }
    }
}

/// A message's state in the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxStatus {
    Pending,
    Sent,
    /// Failed as many times as it may; kept for an operator to look at.
    Dead,
}

impl OutboxStatus {
    pub const ALL: [OutboxStatus; 3] = [
        OutboxStatus::Pending,
        OutboxStatus::Sent,
        OutboxStatus::Dead,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OutboxStatus::Pending => "pending",
            OutboxStatus::Sent => "sent",
            OutboxStatus::Dead => "dead",
        }
    }

    pub fn parse(value: &str) -> Option<OutboxStatus> {
        OutboxStatus::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

/// When to try again after the `attempt`-th failed delivery (1-based):
/// `base`, doubling each time, at most an hour, with up to a quarter more
/// drawn from `jitter` (0.0..1.0) so messages that failed together do not
/// retry together.
pub fn retry_delay(attempt: u32, base: Duration, jitter: f64) -> Duration {
    let doubling = 2u32.saturating_pow(attempt.saturating_sub(1).min(20));
    let delay = base.saturating_mul(doubling).min(Duration::from_secs(3600));
    delay.mul_f64(1.0 + 0.25 * jitter.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kind in OutboxKind::ALL {
            assert_eq!(OutboxKind::parse(kind.as_str()), Some(kind));
        }
        for status in OutboxStatus::ALL {
            assert_eq!(OutboxStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(OutboxKind::parse("spam"), None);
    }

    #[test]
    fn retries_back_off_exponentially_up_to_an_hour() {
        let base = Duration::from_secs(30);
        assert_eq!(retry_delay(1, base, 0.0), Duration::from_secs(30));
        assert_eq!(retry_delay(2, base, 0.0), Duration::from_secs(60));
        assert_eq!(retry_delay(5, base, 0.0), Duration::from_secs(480));
        assert_eq!(retry_delay(40, base, 0.0), Duration::from_secs(3600));
        assert_eq!(retry_delay(1, base, 1.0), Duration::from_millis(37_500));
        assert_eq!(retry_delay(1, Duration::ZERO, 0.5), Duration::ZERO);
    }
}
