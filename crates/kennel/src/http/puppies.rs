//! Browse handlers: the puppy list and one puppy.

use std::future::Future;

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::Utc;

use super::views::{encoded, puppy_detail, summaries, PuppyDetail, PuppyPage};
use super::{browse_query, parse_id};
use crate::browse_cache::Cached;
use crate::domain::browse::BrowseParams;
use crate::error::{ApiResult, Problem};
use crate::state::AppState;

/// Lists puppies, filtered and sorted, a page at a time.
#[utoipa::path(
    get,
    path = "/v1/puppies",
    tag = "browse",
    params(BrowseParams, ("If-None-Match" = Option<String>, Header, nullable = false, description = "`ETag`s of copies the client holds, or `*`: 304 when one is current")),
    responses(
        (status = 200, description = "A page of puppies", body = PuppyPage, headers(
            ("ETag" = String, description = "Weak tag of this page's bytes, for `If-None-Match`"),
            ("Cache-Control" = String, description = "`public, max-age=…, stale-while-revalidate=…` when anonymous; `private, no-cache` with `Authorization`"),
            ("Vary" = String, description = "`accept-encoding` (and `authorization, cookie` when signed in)"),
        )),
        (status = 304, description = "Not modified: `If-None-Match` names the current page; no body", headers(
            ("ETag" = String, description = "The current tag"),
            ("Cache-Control" = String, description = "As for 200"),
            ("Vary" = String, description = "As for 200"),
        )),
        (status = 400, description = "Invalid parameters; each bad field is listed", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_puppies(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let raw = raw.unwrap_or_default();
    // The page is the same for every caller: reuse it for a moment.
    let cached = from_browse_cache(&state, format!("list?{raw}"), async {
        let page = build_page(&state, &raw).await?;
        encoded(&page, None)
    })
    .await?;
    Ok(state
        .cache_policy
        .respond(&headers, cached.body, cached.etag))
}

/// The cached response for `key`, or the one `build` makes, kept for next time.
/// `build` runs only after the cache generation is read, so a change that races
/// with it is never hidden behind the cache.
async fn from_browse_cache(
    state: &AppState,
    key: String,
    build: impl Future<Output = ApiResult<Cached>>,
) -> ApiResult<Cached> {
    if let Some(cached) = state.browse_cache.get(&key) {
        return Ok(cached);
    }
    let generation = state.browse_cache.generation();
    let cached = build.await?;
    state.browse_cache.put(&key, generation, cached.clone());
    Ok(cached)
}

async fn build_page(state: &AppState, raw: &str) -> ApiResult<PuppyPage> {
    let query = browse_query::parse(state, raw).await?;
    let today = Utc::now().date_naive();
    let page = state.store.browse(&query, today).await?;
    summaries(state, page, today).await
}

/// One puppy with its organisation and all photos in order.
#[utoipa::path(
    get,
    path = "/v1/puppies/{id}",
    tag = "browse",
    params(
        ("id" = Uuid, Path, description = "Puppy id"),
        ("If-None-Match" = Option<String>, Header, nullable = false, description = "`ETag`s of copies the client holds, or `*`: 304 when one is current"),
    ),
    responses(
        (status = 200, description = "The puppy; `ETag` holds its version (for `If-Match`) and a hash of the body (for `If-None-Match`)", body = PuppyDetail, headers(
            ("ETag" = String, description = "`W/\"<version>-<hash>\"`"),
            ("Cache-Control" = String, description = "`public, max-age=…, stale-while-revalidate=…` when anonymous; `private, no-cache` with `Authorization`"),
            ("Vary" = String, description = "`accept-encoding` (and `authorization, cookie` when signed in)"),
        )),
        (status = 304, description = "Not modified: `If-None-Match` names the current detail; no body", headers(
            ("ETag" = String, description = "The current tag"),
            ("Cache-Control" = String, description = "As for 200"),
            ("Vary" = String, description = "As for 200"),
        )),
        (status = 400, description = "Malformed id", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such puppy", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_puppy(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let id = parse_id("id", &id)?;
    let cached = from_browse_cache(&state, format!("puppy/{id}"), async {
        let (detail, version) = puppy_detail(&state, id).await?;
        encoded(&detail, Some(version))
    })
    .await?;
    Ok(state
        .cache_policy
        .respond(&headers, cached.body, cached.etag))
}
