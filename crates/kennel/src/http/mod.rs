//! The HTTP API: one module per area, plus the request-level middleware.

pub mod accounts;
pub mod admin;
pub mod assistant;
pub mod catalog;
pub mod favorites;
pub mod flags;
pub mod health;
pub mod inquiries;
pub mod listings;
pub mod openapi;
pub mod paging;
pub mod photo_uploads;
pub mod photos;
pub mod problem;
pub mod protection;
pub mod puppies;
pub mod request_id;
pub mod schema_gate;

use uuid::Uuid;

use crate::error::ApiError;

/// Parses an id from a path segment into a field error when malformed.
pub fn parse_id(field: &str, raw: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| ApiError::field(field, "is not a valid id (a UUID)"))
}
