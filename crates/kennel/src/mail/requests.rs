//! Queueing the messages account requests cause, with their per-address
//! throttle: at most one message of a kind to one address per window, decided
//! by the outbox itself so every instance agrees. The caller answers the same
//! whether a message was queued, throttled, or not needed (no account), so
//! none of this tells a client who is registered.

use chrono::Utc;
use uuid::Uuid;

use super::outbox::Outbox;
use crate::domain::account::Email;
use crate::domain::mail::OutboxKind;
use crate::store::outbox::NewMail;
use crate::store::Store;

/// At most one reset or confirmation message per address in this window.
pub const RESEND_WINDOW: chrono::Duration = chrono::Duration::minutes(2);
/// At most one "someone tried…" notice per address in this window.
pub const NOTICE_WINDOW: chrono::Duration = chrono::Duration::hours(1);

fn mail(kind: OutboxKind, recipient: &str, user_id: Option<Uuid>) -> NewMail {
    NewMail {
        kind,
        recipient: recipient.to_string(),
        user_id,
        payload: serde_json::json!({}),
    }
}

/// Queues `mail` unless one of its kind went to the same address within
/// `window`, and wakes the drainer.
pub async fn queue_throttled(
    store: &Store,
    outbox: &Outbox,
    mail: NewMail,
    window: chrono::Duration,
) -> Result<(), sqlx::Error> {
    let now = Utc::now();
    if store
        .mail_queued_since(mail.kind, &mail.recipient, now - window)
        .await?
    {
        tracing::info!(
            kind = mail.kind.as_str(),
            "message to this address throttled"
        );
        return Ok(());
    }
    store.enqueue_mail(&mail, now).await?;
    outbox.nudge();
    Ok(())
}

/// A message of `kind` to the account with this address, if there is one.
async fn to_account(
    store: &Store,
    outbox: &Outbox,
    kind: OutboxKind,
    email: &Email,
    window: chrono::Duration,
) -> Result<(), sqlx::Error> {
    let Some(user) = store.user_by_email(email.as_str()).await? else {
        return Ok(());
    };
    let message = mail(kind, &user.email, Some(user.id));
    queue_throttled(store, outbox, message, window).await
}

/// A reset link for the account with this address, if there is one.
pub async fn password_reset(
    store: &Store,
    outbox: &Outbox,
    email: &Email,
) -> Result<(), sqlx::Error> {
    to_account(
        store,
        outbox,
        OutboxKind::PasswordReset,
        email,
        RESEND_WINDOW,
    )
    .await
}

/// A new confirmation link for an account whose address is not confirmed.
pub async fn verification(
    store: &Store,
    outbox: &Outbox,
    user_id: Uuid,
    email: &str,
) -> Result<(), sqlx::Error> {
    let message = mail(OutboxKind::VerifyEmail, email, Some(user_id));
    queue_throttled(store, outbox, message, RESEND_WINDOW).await
}

/// Tells the owner of an address that someone tried to register with it
/// (instead of a second account).
pub async fn registration_attempt(
    store: &Store,
    outbox: &Outbox,
    email: &Email,
) -> Result<(), sqlx::Error> {
    to_account(
        store,
        outbox,
        OutboxKind::RegistrationAttempt,
        email,
        NOTICE_WINDOW,
    )
    .await
}

/// The confirmation of a new address for an account: a link to the new
/// address or, when that address has an account already, a notice to it
/// instead. The account keeps its address until the link is followed.
pub async fn email_change(
    store: &Store,
    outbox: &Outbox,
    user_id: Uuid,
    current: &str,
    new_email: &Email,
) -> Result<(), sqlx::Error> {
    if new_email.as_str() == current {
        return Ok(());
    }
    let taken = store.user_by_email(new_email.as_str()).await?.is_some();
    let (message, window) = if taken {
        (
            mail(OutboxKind::EmailChangeAttempt, new_email.as_str(), None),
            NOTICE_WINDOW,
        )
    } else {
        (
            mail(
                OutboxKind::ConfirmEmailChange,
                new_email.as_str(),
                Some(user_id),
            ),
            RESEND_WINDOW,
        )
    };
    queue_throttled(store, outbox, message, window).await
}
