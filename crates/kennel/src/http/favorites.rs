//! The signed-in user's favourite puppies.

use crate::http::json::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use chrono::Utc;

use super::paging::{page_params, PageParams};
use super::parse_id;
use super::session::CurrentUser;
use super::views::{summaries, PuppyPage};
use crate::domain::paging::List;
use crate::error::{ApiError, ApiResult, Problem};
use crate::state::AppState;

/// Saves a puppy (doing it again changes nothing).
#[utoipa::path(
    put,
    path = "/v1/me/favorites/{puppy_id}",
    tag = "accounts",
    security(("bearer" = [])),
    params(("puppy_id" = Uuid, Path, description = "Puppy id")),
    responses(
        (status = 204, description = "Saved"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such puppy", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn add_favorite(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(puppy_id): Path<String>,
) -> ApiResult<StatusCode> {
    let puppy = parse_id("puppy_id", &puppy_id)?;
    if !state.store.add_favorite(user.id, puppy, Utc::now()).await? {
        return Err(ApiError::NotFound { what: "puppy" });
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Removes a puppy from the favourites (removing it again changes nothing).
#[utoipa::path(
    delete,
    path = "/v1/me/favorites/{puppy_id}",
    tag = "accounts",
    security(("bearer" = [])),
    params(("puppy_id" = Uuid, Path, description = "Puppy id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn remove_favorite(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(puppy_id): Path<String>,
) -> ApiResult<StatusCode> {
    let puppy = parse_id("puppy_id", &puppy_id)?;
    state.store.remove_favorite(user.id, puppy).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The saved puppies, most recently saved first, each with its current status.
#[utoipa::path(
    get,
    path = "/v1/me/favorites",
    tag = "accounts",
    security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, description = "A page of favourites", body = PuppyPage),
        (status = 400, description = "Invalid parameters", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_favorites(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<PuppyPage>> {
    let page = page_params(raw, List::Favorites)?;
    let page = state.store.favorites(user.id, &page).await?;
    let today = Utc::now().date_naive();
    Ok(Json(summaries(&state, page, today).await?))
}
