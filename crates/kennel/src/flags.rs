//! Feature flags: each is a kill switch (`enabled`), a percentage rollout with
//! sticky bucketing, and a description. They live in the database so every
//! instance agrees; each instance keeps a snapshot and re-reads it every
//! `FLAG_REFRESH`, so a change reaches all instances within that time without a
//! redeploy (and immediately on the instance that made it).
//!
//! Bucketing works like Unleash's flexible rollout: MurmurHash3 (x86, 32-bit,
//! seed 0) of `"<flag>:<subject>"` modulo 100 gives a bucket 0–99 that never
//! changes for that subject, and the flag is on when the bucket is below the
//! percentage. The subject is the user id when signed in, else the app's
//! `X-Device-Id`; a caller with neither only sees flags rolled out to 100%.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use uuid::Uuid;

use crate::domain::text::NO_NUL;
use crate::error::FieldError;
use crate::store::flags::{FlagChange, FlagRecord};
use crate::store::Store;

/// How often each instance re-reads the flags.
pub const FLAG_REFRESH: Duration = Duration::from_secs(5);

pub const ASSISTANT: &str = "assistant";
pub const INQUIRIES: &str = "inquiries";
pub const PHOTO_UPLOADS: &str = "photo_uploads";
/// Push notifications of new matches (off: alerts go by email).
pub const PUSH_NOTIFICATIONS: &str = "push_notifications";
/// The flags the API and the app know about, as listed in `GET /v1/config`.
pub const KNOWN: [&str; 4] = [ASSISTANT, INQUIRIES, PHOTO_UPLOADS, PUSH_NOTIFICATIONS];

/// Who a flag is evaluated for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject<'a> {
    User(Uuid),
    Device(&'a str),
    Anonymous,
}

impl Subject<'_> {
    fn key(&self) -> Option<String> {
        match self {
            Subject::User(id) => Some(id.to_string()),
            Subject::Device(id) => Some((*id).to_string()),
            Subject::Anonymous => None,
        }
    }
}

/// A device id as the app sends it: 8–64 letters, digits, `-` or `_`.
pub fn valid_device_id(raw: &str) -> bool {
    (8..=64).contains(&raw.len())
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// MurmurHash3, x86 32-bit variant (the `murmur3` crate; the tests below pin
/// the values Unleash's SDKs compute, so buckets match theirs).
pub fn murmur3_32(data: &[u8], seed: u32) -> u32 {
    // Reading from a slice cannot fail.
    murmur3::murmur3_32(&mut std::io::Cursor::new(data), seed).unwrap_or_default()
}

/// The sticky bucket (0–99) of `subject` for `flag`.
pub fn bucket(flag: &str, subject: &str) -> u32 {
    murmur3_32(format!("{flag}:{subject}").as_bytes(), 0) % 100
}

/// This instance's snapshot of the flags.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    snapshot: Arc<RwLock<HashMap<String, FlagRecord>>>,
}

impl Flags {
    pub fn replace(&self, flags: Vec<FlagRecord>) {
        let map = flags.into_iter().map(|f| (f.key.clone(), f)).collect();
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = map;
    }

    /// Every flag, by key.
    pub fn all(&self) -> Vec<FlagRecord> {
        let snapshot = self.snapshot.read().unwrap_or_else(|e| e.into_inner());
        let mut flags: Vec<FlagRecord> = snapshot.values().cloned().collect();
        flags.sort_by(|a, b| a.key.cmp(&b.key));
        flags
    }

    /// Whether `flag` is on for `subject`. Unknown flags (or none loaded yet,
    /// when the database was down at start-up) are off.
    pub fn is_enabled(&self, flag: &str, subject: Subject<'_>) -> bool {
        let snapshot = self.snapshot.read().unwrap_or_else(|e| e.into_inner());
        let Some(record) = snapshot.get(flag) else {
            return false;
        };
        let on = evaluate(record, subject);
        metrics::counter!("flag_evaluations_total", "flag" => flag.to_string(), "result" => if on { "on" } else { "off" }).increment(1);
        on
    }

    /// Reads the flags from the database; on failure the old snapshot stays.
    pub async fn refresh(&self, store: &Store) -> Result<(), sqlx::Error> {
        let flags = store.flags().await?;
        self.replace(flags);
        Ok(())
    }

    /// Re-reads the flags every `every` until aborted.
    pub fn spawn_refresh(&self, store: Store, every: Duration) -> tokio::task::JoinHandle<()> {
        let flags = self.clone();
        tokio::spawn(async move {
            let mut ticker = tokio::time::interval(every);
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticker.tick().await;
                if let Err(error) = flags.refresh(&store).await {
                    tracing::warn!(error = %error, "could not refresh feature flags; keeping the last ones");
                }
            }
        })
    }
}

/// A flag's value for one subject.
pub fn evaluate(record: &FlagRecord, subject: Subject<'_>) -> bool {
    if !record.enabled {
        return false;
    }
    let percent = record.rollout_percent.clamp(0, 100) as u32;
    if percent == 100 {
        return true;
    }
    match subject.key() {
        Some(key) => bucket(&record.key, &key) < percent,
        None => false,
    }
}

/// Checks a requested change: shared by the API and the CLI.
pub fn change(
    enabled: Option<bool>,
    rollout_percent: Option<i64>,
    description: Option<String>,
) -> Result<FlagChange, Vec<FieldError>> {
    let mut errors = Vec::new();
    let rollout_percent = match rollout_percent {
        None => None,
        Some(p) if (0..=100).contains(&p) => Some(p as u8),
        Some(_) => {
            errors.push(FieldError::new("rollout_percent", "must be 0 to 100"));
            None
        }
    };
    let description = match description {
        None => None,
        Some(d) if d.contains('\0') => {
            errors.push(FieldError::new("description", NO_NUL));
            None
        }
        Some(d) if !d.trim().is_empty() && d.chars().count() <= 200 => Some(d.trim().to_string()),
        Some(_) => {
            errors.push(FieldError::new(
                "description",
                "must be 1 to 200 characters",
            ));
            None
        }
    };
    if enabled.is_none() && rollout_percent.is_none() && description.is_none() && errors.is_empty()
    {
        errors.push(FieldError::new(
            "enabled",
            "send at least one of enabled, rollout_percent, description",
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(FlagChange {
        enabled,
        rollout_percent,
        description,
    })
}

/// The audit details of a change.
pub fn describe_change(change: &FlagChange) -> serde_json::Value {
    serde_json::json!({
        "enabled": change.enabled,
        "rollout_percent": change.rollout_percent,
        "description": change.description,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn murmur3_matches_the_reference_vectors() {
        assert_eq!(murmur3_32(b"", 0), 0);
        assert_eq!(murmur3_32(b"", 1), 0x514e_28b7);
        assert_eq!(murmur3_32(b"hello", 0), 0x248b_fa47);
        assert_eq!(murmur3_32(b"Hello, world!", 1234), 0xfaf6_cdb3);
        assert_eq!(
            murmur3_32(b"The quick brown fox jumps over the lazy dog", 0),
            0x2e4f_f723
        );
    }

    fn flag(enabled: bool, percent: i32) -> FlagRecord {
        FlagRecord {
            key: "assistant".into(),
            description: String::new(),
            enabled,
            rollout_percent: percent,
            updated_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn rollout_is_sticky_and_close_to_the_percentage() {
        for percent in [0, 10, 25, 50, 90] {
            let record = flag(true, percent);
            let ids: Vec<Uuid> = (0..10_000).map(|_| Uuid::new_v4()).collect();
            let on = ids
                .iter()
                .filter(|id| evaluate(&record, Subject::User(**id)))
                .count();
            let share = on as f64 / 100.0;
            assert!(
                (share - f64::from(percent)).abs() <= 2.0,
                "{percent}%: {share}%"
            );
            for id in &ids[..100] {
                let first = evaluate(&record, Subject::User(*id));
                assert_eq!(first, evaluate(&record, Subject::User(*id)));
            }
        }
    }

    #[test]
    fn a_wider_rollout_keeps_everyone_who_had_it() {
        let ids: Vec<Uuid> = (0..2_000).map(|_| Uuid::new_v4()).collect();
        for id in ids {
            if evaluate(&flag(true, 20), Subject::User(id)) {
                assert!(evaluate(&flag(true, 60), Subject::User(id)));
            }
        }
    }

    #[test]
    fn the_kill_switch_wins_and_anonymous_callers_need_100_percent() {
        assert!(!evaluate(&flag(false, 100), Subject::Device("device-123")));
        assert!(evaluate(&flag(true, 100), Subject::Anonymous));
        assert!(!evaluate(&flag(true, 99), Subject::Anonymous));
    }

    #[test]
    fn device_ids_are_checked() {
        assert!(valid_device_id("3f1c9a7e-2b4d-4e8f-9a6b-1c2d3e4f5a6b"));
        assert!(!valid_device_id("short"));
        assert!(!valid_device_id("has spaces in it"));
        assert!(!valid_device_id(&"x".repeat(65)));
    }
}
