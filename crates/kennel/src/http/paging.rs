//! Paging of lists whose cursor is the last id of the previous page (ids are
//! UUIDv7, so id order is creation order).

use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::domain::browse::{parse_limit, DEFAULT_LIMIT};
use crate::domain::FieldError;
use crate::error::{ApiError, ApiResult};

/// `limit` and `cursor` of an id-paged list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page size, 1 to 100 (default 20).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    #[param(value_type = Option<String>, format = Uuid)]
    pub cursor: Option<String>,
}

pub fn page_params(raw: Option<String>) -> ApiResult<(u32, Option<Uuid>)> {
    let params: PageParams = serde_html_form::from_str(raw.as_deref().unwrap_or(""))
        .map_err(|e| ApiError::from(FieldError::new("query", e.to_string())))?;
    let mut errors = Vec::new();
    let limit = parse_limit(params.limit.as_deref()).unwrap_or_else(|e| {
        errors.push(e);
        DEFAULT_LIMIT
    });
    let cursor = params.cursor.as_deref().and_then(|c| {
        Uuid::parse_str(c.trim())
            .map_err(|_| {
                errors.push(FieldError::new(
                    "cursor",
                    "is not a cursor returned by this list",
                ))
            })
            .ok()
    });
    if !errors.is_empty() {
        return Err(errors.into());
    }
    Ok((limit, cursor))
}

/// One page of rows the store was asked for with one row to spare (`limit + 1`):
/// the spare row, dropped here, says that another page follows, whose cursor
/// `cursor` makes from the page's last row.
pub fn split_page<T>(
    mut rows: Vec<T>,
    limit: u32,
    cursor: impl FnOnce(&T) -> String,
) -> (Vec<T>, Option<String>) {
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next_cursor = if more { rows.last().map(cursor) } else { None };
    (rows, next_cursor)
}
