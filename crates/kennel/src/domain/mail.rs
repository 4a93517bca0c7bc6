//! Account email as the domain sees it: which messages exist, what the tokens
//! they carry are for and how long those last, and when a failed delivery is
//! tried again.

use std::time::Duration;

/// A message the outbox can hold; each has its own template (`mail::templates`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MailKind {
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
}

impl MailKind {
    pub const ALL: [MailKind; 6] = [
        MailKind::VerifyEmail,
        MailKind::PasswordReset,
        MailKind::RegistrationAttempt,
        MailKind::ConfirmEmailChange,
        MailKind::EmailChangeAttempt,
        MailKind::ConversationReply,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MailKind::VerifyEmail => "verify_email",
            MailKind::PasswordReset => "password_reset",
            MailKind::RegistrationAttempt => "registration_attempt",
            MailKind::ConfirmEmailChange => "confirm_email_change",
            MailKind::EmailChangeAttempt => "email_change_attempt",
            MailKind::ConversationReply => "conversation_reply",
        }
    }

    pub fn parse(value: &str) -> Option<MailKind> {
        MailKind::ALL.into_iter().find(|k| k.as_str() == value)
    }

    /// The token the message carries, if any.
    pub fn token(self) -> Option<TokenPurpose> {
        match self {
            MailKind::VerifyEmail => Some(TokenPurpose::VerifyEmail),
            MailKind::PasswordReset => Some(TokenPurpose::PasswordReset),
            MailKind::ConfirmEmailChange => Some(TokenPurpose::EmailChange),
            MailKind::RegistrationAttempt
            | MailKind::EmailChangeAttempt
            | MailKind::ConversationReply => None,
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
        for kind in MailKind::ALL {
            assert_eq!(MailKind::parse(kind.as_str()), Some(kind));
        }
        for status in OutboxStatus::ALL {
            assert_eq!(OutboxStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(MailKind::parse("spam"), None);
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
