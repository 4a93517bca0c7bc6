//! Conversations on inquiry threads: the two sides, the inbox filters and the
//! `Idempotency-Key` of a message sent.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::FieldError;

/// Characters of a message shown as the excerpt of a thread's last message.
pub const EXCERPT_CHARS: usize = 140;
/// Longest `Idempotency-Key` accepted (a UUID is 36).
pub const MAX_IDEMPOTENCY_KEY: usize = 255;

/// The two parties of a thread: the adopter who asked, and the organisation's
/// staff, who share one read mark (an inbox a team works through together). As a
/// message's `author_role`, who wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Adopter,
    Staff,
}

impl Side {
    /// `author_role` of the messages this side writes.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Adopter => "adopter",
            Side::Staff => "staff",
        }
    }

    pub fn parse(value: &str) -> Option<Side> {
        [Side::Adopter, Side::Staff]
            .into_iter()
            .find(|s| s.as_str() == value)
    }

    pub fn other(self) -> Side {
        match self {
            Side::Adopter => Side::Staff,
            Side::Staff => Side::Adopter,
        }
    }
}

/// The status of a thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ThreadStatus {
    Open,
    Answered,
    Closed,
}

impl ThreadStatus {
    pub const ALL: [ThreadStatus; 3] = [
        ThreadStatus::Open,
        ThreadStatus::Answered,
        ThreadStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ThreadStatus::Open => "open",
            ThreadStatus::Answered => "answered",
            ThreadStatus::Closed => "closed",
        }
    }

    pub fn parse(value: &str) -> Option<ThreadStatus> {
        ThreadStatus::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

/// How the adopter would like to be answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContactPreference {
    Email,
    Phone,
    App,
}

impl ContactPreference {
    pub fn as_str(self) -> &'static str {
        match self {
            ContactPreference::Email => "email",
            ContactPreference::Phone => "phone",
            ContactPreference::App => "app",
        }
    }

    pub fn parse(value: &str) -> Option<ContactPreference> {
        [
            ContactPreference::Email,
            ContactPreference::Phone,
            ContactPreference::App,
        ]
        .into_iter()
        .find(|c| c.as_str() == value)
    }
}

/// `status` of the inbox: a comma-separated list; empty means every status.
pub fn parse_statuses(raw: &str) -> Result<Vec<ThreadStatus>, FieldError> {
    let mut statuses = Vec::new();
    for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match ThreadStatus::parse(part) {
            Some(s) if !statuses.contains(&s) => statuses.push(s),
            Some(_) => {}
            None => {
                return Err(FieldError::new(
                    "status",
                    format!("'{part}' is not one of: open, answered, closed"),
                ))
            }
        }
    }
    Ok(statuses)
}

/// `assignee` of the inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssigneeFilter {
    /// Threads assigned to this user (`me`, or their id).
    User(Uuid),
    /// Threads assigned to nobody (`none`).
    Unassigned,
}

impl AssigneeFilter {
    pub fn parse(raw: &str, me: Uuid) -> Result<AssigneeFilter, FieldError> {
        match raw.trim() {
            "me" => Ok(AssigneeFilter::User(me)),
            "none" => Ok(AssigneeFilter::Unassigned),
            other => Uuid::parse_str(other)
                .map(AssigneeFilter::User)
                .map_err(|_| FieldError::new("assignee", "must be `me`, `none` or a user id")),
        }
    }
}

/// The first `EXCERPT_CHARS` characters of a message, with `…` when cut.
pub fn excerpt(message: &str) -> String {
    match message.char_indices().nth(EXCERPT_CHARS) {
        None => message.to_string(),
        Some((end, _)) => format!("{}…", message[..end].trim_end()),
    }
}

/// An `Idempotency-Key`: 1 to 255 visible ASCII characters (a UUID is usual).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub fn parse(raw: &[u8]) -> Result<IdempotencyKey, FieldError> {
        let ok = !raw.is_empty()
            && raw.len() <= MAX_IDEMPOTENCY_KEY
            && raw.iter().all(|b| (0x21..=0x7e).contains(b));
        if !ok {
            return Err(FieldError::new(
                "Idempotency-Key",
                format!(
                    "must be 1 to {MAX_IDEMPOTENCY_KEY} visible ASCII characters (a UUID, say)"
                ),
            ));
        }
        // Visible ASCII is valid UTF-8.
        Ok(IdempotencyKey(String::from_utf8_lossy(raw).into_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_a_comma_list_of_known_values() {
        assert_eq!(
            parse_statuses("open, closed,open").unwrap(),
            vec![ThreadStatus::Open, ThreadStatus::Closed]
        );
        assert!(parse_statuses("").unwrap().is_empty());
        assert_eq!(parse_statuses("open,pending").unwrap_err().field, "status");
    }

    #[test]
    fn assignee_is_me_none_or_an_id() {
        let me = Uuid::now_v7();
        assert_eq!(
            AssigneeFilter::parse("me", me).unwrap(),
            AssigneeFilter::User(me)
        );
        assert_eq!(
            AssigneeFilter::parse("none", me).unwrap(),
            AssigneeFilter::Unassigned
        );
        let other = Uuid::now_v7();
        assert_eq!(
            AssigneeFilter::parse(&other.to_string(), me).unwrap(),
            AssigneeFilter::User(other)
        );
        assert!(AssigneeFilter::parse("someone", me).is_err());
    }

    #[test]
    fn excerpts_cut_on_characters() {
        assert_eq!(excerpt("short"), "short");
        let long = "é".repeat(EXCERPT_CHARS + 10);
        let cut = excerpt(&long);
        assert_eq!(cut.chars().count(), EXCERPT_CHARS + 1);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn idempotency_keys_are_visible_ascii() {
        assert!(IdempotencyKey::parse(b"0190a0a0-0000-7000-8000-000000000000").is_ok());
        assert!(IdempotencyKey::parse(b"").is_err());
        assert!(IdempotencyKey::parse(b"has space").is_err());
        assert!(IdempotencyKey::parse("é".as_bytes()).is_err());
        assert!(IdempotencyKey::parse(&[b'a'; 256]).is_err());
    }
}
