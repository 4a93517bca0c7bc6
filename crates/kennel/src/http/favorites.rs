//! The signed-in user's favourite puppies.

use crate::http::json::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use chrono::Utc;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::parse_id;
use super::session::CurrentUser;
use super::views::{summary, PuppyPage};
use crate::domain::browse::{parse_limit, Cursor, CursorKey, Sort, DEFAULT_LIMIT};
use crate::domain::FieldError;
use crate::error::{ApiError, ApiResult, Problem};
use crate::state::AppState;

/// Paging of the favourites list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FavoritesParams {
    /// Page size, 1 to 100 (default 20).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    #[param(value_type = Option<String>)]
    pub cursor: Option<String>,
}

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
    params(FavoritesParams),
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
    let params: FavoritesParams = serde_html_form::from_str(raw.as_deref().unwrap_or(""))
        .map_err(|e| ApiError::from(FieldError::new("query", e.to_string())))?;
    let mut errors = Vec::new();
    let limit = parse_limit(params.limit.as_deref()).unwrap_or_else(|e| {
        errors.push(e);
        DEFAULT_LIMIT
    });
    let after = match params.cursor.as_deref().map(|c| Cursor::decode(c.trim())) {
        None => None,
        Some(Ok(Cursor {
            sort: Sort::Newest,
            key: CursorKey::Time(time),
            id,
        })) => Some((time, id)),
        Some(_) => {
            errors.push(FieldError::new(
                "cursor",
                "is not a cursor returned by this list",
            ));
            None
        }
    };
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let page = state.store.favorites(user.id, after, limit).await?;
    let next_cursor = if page.has_more {
        page.items.last().map(|(puppy, saved)| {
            Cursor {
                sort: Sort::Newest,
                key: CursorKey::Time(*saved),
                id: puppy.id,
            }
            .encode()
        })
    } else {
        None
    };
    let ids: Vec<Uuid> = page.items.iter().map(|(p, _)| p.id).collect();
    let photos = state.store.photos_of(&ids).await?;
    let today = Utc::now().date_naive();
    let items = page
        .items
        .into_iter()
        .map(|(record, _)| {
            let puppy_photos = photos.get(&record.id).map(Vec::as_slice).unwrap_or(&[]);
            summary(record, puppy_photos, &state.photo_urls, today)
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(Json(PuppyPage { items, next_cursor }))
}
