//! Serves photo variants from the object store. Variants are immutable, so they
//! are cached by browsers and CDNs for a year and revalidated by ETag.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::{conditional, parse_id};
use crate::error::{ApiError, ApiResult, Problem};
use crate::photos::{PhotoStore, VARIANT_CONTENT_TYPE};
use crate::state::AppState;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// One size variant of a photo, as JPEG.
#[utoipa::path(
    get,
    path = "/v1/photos/{id}/{variant}",
    tag = "browse",
    params(
        ("id" = Uuid, Path, description = "Photo id"),
        ("variant" = String, Path, description = "Variant file, `<width>.jpg`", example = "640.jpg", pattern = r"^[0-9]{1,9}\.jpg$"),
    ),
    responses(
        (status = 200, description = "The image", content_type = "image/jpeg", body = Vec<u8>),
        (status = 304, description = "Not modified (matching If-None-Match)"),
        (status = 404, description = "No such photo or variant", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_photo_variant(
    State(state): State<AppState>,
    Path((id, variant)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let id = parse_id("id", &id)?;
    let width: u32 = variant
        .strip_suffix(".jpg")
        .and_then(|w| w.parse().ok())
        .ok_or_else(|| ApiError::field("variant", "expected '<width>.jpg', e.g. '640.jpg'"))?;
    let photo = state
        .store
        .visible_photo(id)
        .await?
        .ok_or(ApiError::NotFound { what: "photo" })?;
    if !photo.variant_widths().contains(&width) {
        return Err(ApiError::NotFound {
            what: "photo variant",
        });
    }
    let etag = format!("\"{}-{width}\"", photo.id.simple());
    let etag_value = HeaderValue::from_str(&etag).map_err(anyhow::Error::from)?;
    if conditional::none_match(&headers, &etag_value) {
        return Ok((
            StatusCode::NOT_MODIFIED,
            [
                (header::ETAG, etag_value),
                (header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE)),
            ],
        )
            .into_response());
    }
    let key = PhotoStore::variant_key(&photo.storage_key, width);
    let bytes = state
        .photos
        .get(&key)
        .await
        .map_err(|e| anyhow::Error::from(e).context(format!("reading photo object {key}")))?
        .ok_or_else(|| {
            // The row exists but the object does not: an operator problem, not a client one.
            tracing::error!(photo_id = %photo.id, key, "photo object missing from storage");
            ApiError::NotFound {
                what: "photo variant",
            }
        })?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(VARIANT_CONTENT_TYPE),
            ),
            (header::ETAG, etag_value),
            (header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE)),
        ],
        Body::from(bytes),
    )
        .into_response())
}
