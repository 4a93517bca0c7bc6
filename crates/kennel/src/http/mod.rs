//! The HTTP API: one module per area, plus the request-level middleware.

pub mod account_email;
pub mod accounts;
pub mod admin;
pub mod admin_outbox;
pub mod assistant;
pub mod browse_query;
pub mod catalog;
pub mod conditional;
pub mod favorites;
pub mod feature_gate;
pub mod flags;
pub mod health;
pub mod idempotency;
pub mod inquiries;
pub mod json;
pub mod listings;
pub mod metrics_endpoint;
pub mod observability;
pub mod openapi;
pub mod paging;
pub mod photo_uploads;
pub mod photos;
pub mod problem;
pub mod protection;
pub mod puppies;
pub mod push_tokens;
pub mod saved_searches;
pub mod schema_gate;
pub mod session;
pub mod staff;
pub mod unsubscribe;
pub mod views;

use serde::{Deserialize, Deserializer};
use uuid::Uuid;

use crate::error::ApiError;

/// Why a text is refused that holds U+0000: Postgres cannot store it in text,
/// so it is turned away as invalid input instead of failing in the database.
pub use crate::domain::text::NO_NUL;

/// Largest request body accepted by routes that take none or small JSON.
pub const DEFAULT_BODY_LIMIT: usize = 64 * 1024;

/// Parses an id from a path segment into a field error when malformed.
pub fn parse_id(field: &str, raw: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| ApiError::field(field, "is not a valid id (a UUID)"))
}

/// An optional JSON integer field. A number with a zero fraction (`1500.0`) is
/// accepted too: JSON Schema counts it as an integer, so the document allows it.
pub fn whole_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let Some(number) = Option::<serde_json::Number>::deserialize(d)? else {
        return Ok(None);
    };
    if let Some(n) = number.as_i64() {
        return Ok(Some(n));
    }
    match number.as_f64() {
        // Within ±2^53 every whole f64 is exact; beyond that it is out of range anyway.
        Some(f) if f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0 => Ok(Some(f as i64)),
        _ => Err(serde::de::Error::custom(format!(
            "invalid value: {number}, expected a whole number"
        ))),
    }
}
