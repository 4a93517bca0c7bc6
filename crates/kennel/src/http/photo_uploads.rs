//! Photo management for organisation staff (and admins): upload, reorder and
//! delete the photos of their own puppies. The upload reads the multipart parts
//! (each capped in size) and hands them to `photos::upload`, which converts and
//! stores them all or nothing.

use crate::http::json::Json;
use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bytes::{Bytes, BytesMut};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::feature_gate;
use super::parse_id;
use super::session::CurrentUser;
use super::staff::{audit, managed_listing};
use super::views::{puppy_detail, Photo};
use crate::error::{ApiError, ApiResult, Problem};
use crate::flags::Subject;
use crate::photos::process::{PhotoError, ACCEPTED_TYPES};
use crate::photos::upload::{
    self, Upload, UploadError, MAX_PHOTOS_PER_PUPPY, MAX_PHOTOS_PER_REQUEST, MAX_PHOTO_BYTES,
    UPLOAD_BODY_LIMIT,
};
use crate::state::AppState;
use crate::store::photos::ReorderOutcome;

/// The multipart part name that carries a photo.
const PART: &str = "photo";

/// A puppy's photos, in display order.
#[derive(Debug, Serialize, ToSchema)]
pub struct PhotoList {
    pub photos: Vec<Photo>,
}

/// The new order of a puppy's photos: each of its photo ids exactly once.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PhotoOrder {
    pub photo_ids: Vec<Uuid>,
}

/// The multipart form of a photo upload: only `photo` parts; any other part is
/// refused (400).
// `Deserialize` is derived only so that `deny_unknown_fields` reaches the
// schema as `additionalProperties: false`; the form is read by hand.
#[derive(ToSchema, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct PhotoUpload {
    #[schema(schema_with = photo_parts)]
    photo: Vec<Vec<u8>>,
}

/// The `photo` parts as the document states them: one to four, each a
/// non-empty file (an empty part is refused with 400).
fn photo_parts() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, KnownFormat, ObjectBuilder, SchemaFormat, Type};
    let part = ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
        .content_media_type("application/octet-stream")
        .min_length(Some(1));
    ArrayBuilder::new()
        .items(part)
        .min_items(Some(1))
        .max_items(Some(4))
        .description(Some(
            "One to four photos (JPEG, PNG or WebP; up to 10 MB each), each a part named `photo`.",
        ))
        .build()
}

fn too_many(existing: i64) -> ApiError {
    ApiError::Conflict {
        code: "photo_limit_reached",
        detail: format!(
            "A puppy can have at most {MAX_PHOTOS_PER_PUPPY} photos and this one has {existing}; \
             delete some before adding more."
        ),
    }
}

fn multipart_error(error: MultipartError) -> ApiError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge {
            detail: format!(
                "An upload can be at most {} MB: up to {MAX_PHOTOS_PER_REQUEST} photos of {} MB each.",
                UPLOAD_BODY_LIMIT / (1024 * 1024),
                MAX_PHOTO_BYTES / (1024 * 1024)
            ),
        }
    } else {
        ApiError::BadRequest {
            code: "malformed_multipart",
            detail: format!(
                "The multipart body could not be read: {}",
                error.body_text()
            ),
        }
    }
}

/// Reads the photo parts, each capped at `MAX_PHOTO_BYTES`.
async fn read_uploads(multipart: &mut Multipart) -> ApiResult<Vec<Upload>> {
    let mut uploads: Vec<Upload> = Vec::new();
    while let Some(mut field) = multipart.next_field().await.map_err(multipart_error)? {
        if field.name() != Some(PART) {
            let name = field.name().unwrap_or("(unnamed part)").to_string();
            return Err(ApiError::field(
                &name,
                format!("is not expected; send each photo as a part named '{PART}'"),
            ));
        }
        if uploads.len() == MAX_PHOTOS_PER_REQUEST {
            return Err(ApiError::field(
                PART,
                format!("at most {MAX_PHOTOS_PER_REQUEST} photos per request"),
            ));
        }
        let mut upload = Upload {
            name: field.file_name().map(str::to_string),
            bytes: Bytes::new(),
        };
        // The body is already in memory: keep the parser's chunks (views of
        // its buffer) instead of copying them, and join them only if needed.
        let mut chunks: Vec<Bytes> = Vec::new();
        let mut size = 0;
        while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
            size += chunk.len();
            if size > MAX_PHOTO_BYTES {
                return Err(ApiError::PayloadTooLarge {
                    detail: format!(
                        "{} is larger than {} MB.",
                        upload.label(uploads.len()),
                        MAX_PHOTO_BYTES / (1024 * 1024)
                    ),
                });
            }
            chunks.push(chunk);
        }
        if size == 0 {
            return Err(ApiError::field(
                PART,
                format!("{} is empty", upload.label(uploads.len())),
            ));
        }
        upload.bytes = match chunks.len() {
            1 => chunks.remove(0),
            _ => {
                let mut joined = BytesMut::with_capacity(size);
                for chunk in chunks {
                    joined.extend_from_slice(&chunk);
                }
                joined.freeze()
            }
        };
        uploads.push(upload);
    }
    if uploads.is_empty() {
        return Err(ApiError::field(
            PART,
            format!("send 1 to {MAX_PHOTOS_PER_REQUEST} photos as multipart parts named '{PART}'"),
        ));
    }
    Ok(uploads)
}

fn photo_error(label: String, error: PhotoError) -> ApiError {
    let detail = format!("{label} {error}.");
    match error {
        PhotoError::Heif | PhotoError::Unsupported => ApiError::UnsupportedMediaType { detail },
        PhotoError::Damaged { .. } => ApiError::Unprocessable {
            code: "invalid_image",
            detail,
        },
        PhotoError::TooLarge { .. } => ApiError::Unprocessable {
            code: "image_too_large",
            detail,
        },
        PhotoError::TooMuchMemory { .. } => ApiError::Unprocessable {
            code: "image_too_large",
            detail,
        },
        PhotoError::TooSmall { .. } => ApiError::Unprocessable {
            code: "image_too_small",
            detail,
        },
    }
}

fn upload_error(error: UploadError) -> ApiError {
    match error {
        UploadError::Photo { label, error } => photo_error(label, error),
        UploadError::LimitReached { existing } => too_many(existing),
        UploadError::NotFound => ApiError::NotFound { what: "puppy" },
        UploadError::Storage(error) => {
            tracing::error!(error = %error, "photo storage write failed");
            ApiError::Unavailable {
                code: "storage_unavailable",
                detail: "Photo storage is unavailable; nothing was saved. Please retry shortly."
                    .into(),
                retry_after: 5,
            }
        }
        UploadError::Database(error) => error.into(),
        UploadError::Internal(error) => ApiError::internal(error),
    }
}

async fn photo_list(state: &AppState, id: Uuid) -> ApiResult<PhotoList> {
    let (detail, _) = puppy_detail(state, id).await?;
    Ok(PhotoList {
        photos: detail.photos,
    })
}

/// Adds photos to a puppy (after its existing ones).
///
/// Each photo is checked from its content (JPEG, PNG or WebP), turned upright
/// from its EXIF orientation, stripped of all metadata (including GPS) and
/// stored as JPEG variants 320, 640 and 1280 pixels wide (never wider than the
/// original).
#[utoipa::path(
    post,
    path = "/v1/puppies/{id}/photos",
    tag = "listings",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Puppy id")),
    request_body(content = PhotoUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Added; every photo of the puppy, in order", body = PhotoList),
        (status = 400, description = "No photo, more than 4, or an unexpected part", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not this organisation's staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such puppy", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The puppy would have more than 12 photos (`photo_limit_reached`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "A photo over 10 MB, or the body over 40 MB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not multipart, or a photo that is not JPEG, PNG or WebP (HEIC included)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A damaged image (`invalid_image`), one over 12,000 px a side or 40 megapixels (`image_too_large`), or under 200 px (`image_too_small`)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Photo uploads are switched off (`feature_unavailable`), or photo storage or the database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn upload_photos(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<Response> {
    feature_gate::require(
        &state,
        crate::flags::PHOTO_UPLOADS,
        "photo upload",
        Subject::User(user.id),
    )?;
    let (id, _) = managed_listing(&state, &user, &id).await?;
    let existing = state.store.photo_count(id).await?;
    if existing >= MAX_PHOTOS_PER_PUPPY {
        return Err(too_many(existing));
    }
    let mut multipart = multipart.map_err(|_| ApiError::UnsupportedMediaType {
        detail: format!(
            "Send the photos as multipart/form-data, each a part named '{PART}' \
             holding a {ACCEPTED_TYPES} image."
        ),
    })?;
    let uploads = read_uploads(&mut multipart).await?;
    if existing + uploads.len() as i64 > MAX_PHOTOS_PER_PUPPY {
        return Err(too_many(existing));
    }
    let processed = upload::convert_all(&state.photo_budget, uploads)
        .await
        .map_err(upload_error)?;
    let stored = upload::store_all(&state.store, &state.photos, id, processed, |ids| {
        audit(
            &user,
            "puppy.photos_added",
            id,
            serde_json::json!({ "photo_ids": ids }),
        )
    })
    .await;
    state.browse_cache.invalidate();
    stored.map_err(upload_error)?;
    Ok((StatusCode::CREATED, Json(photo_list(&state, id).await?)).into_response())
}

/// Puts a puppy's photos in a new order; the first is the cover photo.
#[utoipa::path(
    put,
    path = "/v1/puppies/{id}/photos/order",
    tag = "listings",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Puppy id")),
    request_body = PhotoOrder,
    responses(
        (status = 200, description = "Every photo of the puppy, in the new order", body = PhotoList),
        (status = 400, description = "The ids are not exactly the puppy's photos", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not this organisation's staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such puppy", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn reorder_photos(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(order): Json<PhotoOrder>,
) -> ApiResult<Json<PhotoList>> {
    let (id, _) = managed_listing(&state, &user, &id).await?;
    let entry = audit(
        &user,
        "puppy.photos_reordered",
        id,
        serde_json::json!({ "photo_ids": order.photo_ids }),
    );
    let outcome = state
        .store
        .reorder_photos(id, &order.photo_ids, &entry, Utc::now())
        .await?;
    state.browse_cache.invalidate();
    match outcome {
        ReorderOutcome::Reordered => Ok(Json(photo_list(&state, id).await?)),
        ReorderOutcome::Mismatch => Err(ApiError::field(
            "photo_ids",
            "must list each of the puppy's photos exactly once",
        )),
        ReorderOutcome::NotFound => Err(ApiError::NotFound { what: "puppy" }),
    }
}

/// Deletes one photo of a puppy and its stored variants.
#[utoipa::path(
    delete,
    path = "/v1/puppies/{id}/photos/{photo_id}",
    tag = "listings",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Puppy id"),
        ("photo_id" = Uuid, Path, description = "Photo id"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not this organisation's staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such puppy, or no such photo of it", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delete_photo(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, photo_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let (id, _) = managed_listing(&state, &user, &id).await?;
    let photo_id = parse_id("photo_id", &photo_id)?;
    let entry = audit(
        &user,
        "puppy.photo_deleted",
        id,
        serde_json::json!({ "photo_id": photo_id }),
    );
    let deleted = state
        .store
        .delete_photo(id, photo_id, &entry, Utc::now())
        .await?
        .ok_or(ApiError::NotFound { what: "photo" })?;
    state.browse_cache.invalidate();
    // The rows are committed; objects go last, so a failure here only wastes space.
    if deleted.objects_unreferenced {
        state
            .photos
            .delete_variants(&deleted.photo.storage_key, &deleted.photo.variant_widths())
            .await;
    }
    Ok(StatusCode::NO_CONTENT)
}
