//! A browse query string read and checked the one way browse and saved
//! searches share: its parameters, their rules, and breed slugs that exist.

use crate::domain::browse::{BrowseParams, BrowseQuery};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::state::AppState;

/// The query `raw` asks for, or a 400 naming each field at fault.
pub async fn parse(state: &AppState, raw: &str) -> ApiResult<BrowseQuery> {
    let params: BrowseParams = serde_html_form::from_str(raw)
        .map_err(|e| ApiError::Validation(vec![FieldError::new("query", e.to_string())]))?;
    let query = params.parse().map_err(ApiError::from)?;
    refuse_unknown_breeds(state, &query.filter.breeds).await?;
    Ok(query)
}

/// A breed filter naming a breed that does not exist is a mistake (a typo, a
/// name instead of a slug), not a search with no results: say so, and where the
/// slugs are.
async fn refuse_unknown_breeds(state: &AppState, slugs: &[String]) -> ApiResult<()> {
    let unknown = state.store.unknown_breed_slugs(slugs).await?;
    if unknown.is_empty() {
        return Ok(());
    }
    Err(ApiError::Validation(
        unknown
            .iter()
            .map(|slug| {
                FieldError::new(
                    "breed",
                    format!(
                        "no breed has the slug `{slug}`; GET /v1/breeds lists every breed \
                         with its slug"
                    ),
                )
            })
            .collect(),
    ))
}
