//! Saved searches: an adopter keeps browse filters under a name, lists,
//! renames, pauses and deletes them, and opens one to browse with its filters
//! and see what was listed since the last visit.

use crate::http::json::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::session::CurrentUser;
use super::{browse_query, parse_id};
use crate::domain::saved_search::{stored_query, SearchName};
use crate::error::{ApiError, ApiResult, FieldError, Problem};
use crate::state::AppState;
use crate::store::saved_searches::{SavedSearchError, SavedSearchRecord};

/// Browse filters kept under a name.
#[derive(Debug, Serialize, ToSchema)]
pub struct SavedSearch {
    pub id: Uuid,
    pub name: String,
    /// The browse query string (`GET /v1/puppies?<query>`), without `cursor`
    /// and `limit`.
    pub query: String,
    /// A paused search is kept but sends no notifications.
    pub paused: bool,
    pub created_at: DateTime<Utc>,
    /// The last time it was opened (`null`: never).
    pub last_opened_at: Option<DateTime<Utc>>,
}

impl From<SavedSearchRecord> for SavedSearch {
    fn from(r: SavedSearchRecord) -> Self {
        SavedSearch {
            id: r.id,
            name: r.name,
            query: r.query,
            paused: r.paused,
            created_at: r.created_at,
            last_opened_at: r.last_opened_at,
        }
    }
}

/// The user's saved searches, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct SavedSearchList {
    pub items: Vec<SavedSearch>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSavedSearch {
    /// 1 to 80 characters on one line; unique among the user's searches.
    #[schema(max_length = 80)]
    pub name: String,
    /// A browse query string as sent to `GET /v1/puppies` (checked by the same
    /// rules); `cursor` and `limit` are dropped.
    #[schema(max_length = 2000)]
    pub query: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SavedSearchChanges {
    #[schema(max_length = 80)]
    pub name: Option<String>,
    pub paused: Option<bool>,
}

/// A saved search just opened, and since when its listings are new.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpenedSearch {
    pub search: SavedSearch,
    /// The visit before this one (its creation, the first time): puppies with
    /// a later `listed_at` are new to the user.
    pub new_since: DateTime<Utc>,
}

/// Now, to the microsecond both databases keep, so an answer shows the time
/// exactly as a later read of it will.
fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

fn parse_name(raw: &str) -> Result<SearchName, ApiError> {
    SearchName::parse(raw).map_err(|m| ApiError::Validation(vec![FieldError::new("name", m)]))
}

fn refused(error: SavedSearchError, limit: u32) -> ApiError {
    match error {
        SavedSearchError::LimitReached => ApiError::Conflict {
            code: "saved_search_limit",
            detail: format!(
                "An account keeps at most {limit} saved searches; delete one to save another."
            ),
        },
        SavedSearchError::NameTaken => ApiError::Conflict {
            code: "saved_search_name_taken",
            detail: "You have a saved search with this name already; choose another.".into(),
        },
        SavedSearchError::Database(e) => e.into(),
    }
}

/// The user's saved searches, newest first.
#[utoipa::path(
    get,
    path = "/v1/me/saved-searches",
    tag = "saved searches",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The saved searches", body = SavedSearchList),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_saved_searches(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<Json<SavedSearchList>> {
    let items = state.store.saved_searches(user.id).await?;
    Ok(Json(SavedSearchList {
        items: items.into_iter().map(SavedSearch::from).collect(),
    }))
}

/// Saves browse filters under a name (at most `SAVED_SEARCHES_PER_ACCOUNT`,
/// 20 by default). The query must be one browse would accept.
#[utoipa::path(
    post,
    path = "/v1/me/saved-searches",
    tag = "saved searches",
    security(("bearer" = [])),
    request_body = NewSavedSearch,
    responses(
        (status = 201, description = "Saved", body = SavedSearch),
        (status = 400, description = "Invalid name or query (each fault of the query is reported on `query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "At the limit (`saved_search_limit`) or the name is used (`saved_search_name_taken`)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_saved_search(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(input): Json<NewSavedSearch>,
) -> ApiResult<(StatusCode, Json<SavedSearch>)> {
    let mut errors = Vec::new();
    let name = SearchName::parse(&input.name)
        .map_err(|m| errors.push(FieldError::new("name", m)))
        .ok();
    let query = match stored_query(&input.query) {
        Ok(query) => match browse_query::parse(&state, &query).await {
            Ok(_) => Some(query),
            Err(ApiError::Validation(faults)) => {
                errors.extend(
                    faults
                        .into_iter()
                        .map(|f| FieldError::new("query", format!("{}: {}", f.field, f.message))),
                );
                None
            }
            Err(other) => return Err(other),
        },
        Err(message) => {
            errors.push(FieldError::new("query", message));
            None
        }
    };
    let (Some(name), Some(query)) = (name, query) else {
        return Err(ApiError::Validation(errors));
    };
    let limit = state.config.saved_searches_per_account;
    let saved = state
        .store
        .create_saved_search(
            Uuid::now_v7(),
            user.id,
            name.as_str(),
            &query,
            i64::from(limit),
            now(),
        )
        .await
        .map_err(|e| refused(e, limit))?;
    Ok((StatusCode::CREATED, Json(saved.into())))
}

/// Renames, pauses or resumes one of the user's searches.
#[utoipa::path(
    patch,
    path = "/v1/me/saved-searches/{id}",
    tag = "saved searches",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Saved search id")),
    request_body = SavedSearchChanges,
    responses(
        (status = 200, description = "Changed", body = SavedSearch),
        (status = 400, description = "Invalid name", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such saved search of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The name is used (`saved_search_name_taken`)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_saved_search(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(input): Json<SavedSearchChanges>,
) -> ApiResult<Json<SavedSearch>> {
    let id = parse_id("id", &id)?;
    let name = input.name.as_deref().map(parse_name).transpose()?;
    let limit = state.config.saved_searches_per_account;
    state
        .store
        .update_saved_search(
            id,
            user.id,
            name.as_ref().map(SearchName::as_str),
            input.paused,
            now(),
        )
        .await
        .map_err(|e| refused(e, limit))?
        .map(|search| Json(search.into()))
        .ok_or(ApiError::NotFound {
            what: "saved search",
        })
}

/// Deletes one of the user's searches.
#[utoipa::path(
    delete,
    path = "/v1/me/saved-searches/{id}",
    tag = "saved searches",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Saved search id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Invalid id", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such saved search of yours", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delete_saved_search(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = parse_id("id", &id)?;
    if state.store.delete_saved_search(id, user.id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound {
            what: "saved search",
        })
    }
}

/// Opens a saved search: records the visit and says since when listings are
/// new to the user. The client then browses with `search.query`.
#[utoipa::path(
    post,
    path = "/v1/me/saved-searches/{id}/open",
    tag = "saved searches",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Saved search id")),
    responses(
        (status = 200, description = "Opened", body = OpenedSearch),
        (status = 400, description = "Invalid id", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such saved search of yours", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn open_saved_search(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<OpenedSearch>> {
    let id = parse_id("id", &id)?;
    let (search, new_since) = state
        .store
        .open_saved_search(id, user.id, now())
        .await?
        .ok_or(ApiError::NotFound {
            what: "saved search",
        })?;
    Ok(Json(OpenedSearch {
        search: search.into(),
        new_since,
    }))
}
