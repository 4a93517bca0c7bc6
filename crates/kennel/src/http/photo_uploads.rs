//! Photo management for organisation staff (and admins): upload, reorder and
//! delete the photos of their own puppies.
//!
//! An upload is all or nothing. The parts are read with a size cap each, every
//! photo is checked and converted on the blocking pool (a few at a time, since
//! it is CPU-heavy), the variants are written to the object store, and only then
//! are the rows inserted in one transaction. Any failure along the way removes
//! the objects already written, so a failed upload leaves neither rows nor
//! objects behind.

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

use super::listings::{audit, managed_listing};
use super::parse_id;
use super::puppies::{puppy_detail, Photo};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, Problem};
use crate::flags::Subject;
use crate::photos::process::{self, PhotoError, Processed, ACCEPTED_TYPES};
use crate::store::photos::{AddOutcome, NewPhoto, ReorderOutcome};

pub const MAX_PHOTOS_PER_REQUEST: usize = 4;
pub const MAX_PHOTO_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_PHOTOS_PER_PUPPY: i64 = 12;
/// The largest upload body: four full-size photos plus their part headers.
pub const UPLOAD_BODY_LIMIT: usize = MAX_PHOTOS_PER_REQUEST * MAX_PHOTO_BYTES + 64 * 1024;
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

struct Upload {
    name: Option<String>,
    bytes: Bytes,
}

impl Upload {
    /// "Photo 2 ("beach.png")": how a client is told which file is at fault.
    fn label(&self, index: usize) -> String {
        match &self.name {
            Some(name) if !name.is_empty() => format!("Photo {} ({name:?})", index + 1),
            _ => format!("Photo {}", index + 1),
        }
    }
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

/// Checks and converts every upload on the blocking pool; the first bad one
/// fails the whole request. Every header is checked before anything is
/// decoded; each conversion then reserves its memory estimate from the
/// process's conversion budget (waiting while others use it) and takes one of
/// the per-core slots, both held until the conversion itself ends.
async fn process_all(state: &AppState, uploads: Vec<Upload>) -> ApiResult<Vec<Processed>> {
    let mut estimates = Vec::with_capacity(uploads.len());
    for (i, upload) in uploads.iter().enumerate() {
        let inspected =
            process::inspect(&upload.bytes).map_err(|e| photo_error(upload.label(i), e))?;
        estimates.push(inspected.memory);
    }
    let mut processed = Vec::with_capacity(uploads.len());
    for ((i, upload), memory) in uploads.into_iter().enumerate().zip(estimates) {
        let memory = state
            .photo_memory
            .clone()
            .acquire_many_owned(memory_permits(memory))
            .await
            .map_err(anyhow::Error::from)?;
        let cpu = state
            .photo_processing
            .clone()
            .acquire_owned()
            .await
            .map_err(anyhow::Error::from)?;
        let label = upload.label(i);
        // The reservations go with the conversion, not with this request: when the
        // request's time budget stops it, the conversion still runs to the end on
        // the blocking pool, and its memory stays counted until then.
        let result = tokio::task::spawn_blocking(move || {
            let _held = (memory, cpu);
            process::process(&upload.bytes)
        })
        .await
        .map_err(|e| anyhow::anyhow!("photo processing task failed: {e}"))?;
        processed.push(result.map_err(|e| photo_error(label, e))?);
    }
    Ok(processed)
}

/// The conversion budget is counted in KiB (a semaphore's permits are `u32`).
pub fn memory_permits(bytes: u64) -> u32 {
    u32::try_from(bytes.div_ceil(1024)).unwrap_or(u32::MAX)
}

async fn remove_objects(state: &AppState, photos: &[NewPhoto]) {
    for photo in photos {
        state
            .photos
            .delete_variants(&photo.storage_key, &photo.widths)
            .await;
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
    super::flags::require(
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
    let processed = process_all(&state, uploads).await?;

    let mut stored: Vec<NewPhoto> = Vec::with_capacity(processed.len());
    for photo in processed {
        let photo_id = Uuid::now_v7();
        let new = NewPhoto {
            id: photo_id,
            storage_key: format!("puppies/{id}/{}", photo_id.simple()),
            width: photo.size().0,
            height: photo.size().1,
            widths: photo.widths(),
        };
        let variants = photo
            .variants
            .into_iter()
            .map(|v| (v.width, Bytes::from(v.jpeg)))
            .collect();
        if let Err(error) = state.photos.put_variants(&new.storage_key, variants).await {
            remove_objects(&state, &stored).await;
            tracing::error!(error = %error, "photo storage write failed");
            return Err(ApiError::Unavailable {
                code: "storage_unavailable",
                detail: "Photo storage is unavailable; nothing was saved. Please retry shortly."
                    .into(),
                retry_after: 5,
            });
        }
        stored.push(new);
    }

    let ids: Vec<Uuid> = stored.iter().map(|p| p.id).collect();
    let entry = audit(
        &user,
        "puppy.photos_added",
        id,
        serde_json::json!({ "photo_ids": ids }),
    );
    let outcome = state
        .store
        .add_photos(id, &stored, MAX_PHOTOS_PER_PUPPY, &entry, Utc::now())
        .await;
    state.browse_cache.invalidate();
    match outcome {
        Ok(AddOutcome::Added) => {
            Ok((StatusCode::CREATED, Json(photo_list(&state, id).await?)).into_response())
        }
        Ok(AddOutcome::LimitReached { existing }) => {
            remove_objects(&state, &stored).await;
            Err(too_many(existing))
        }
        Ok(AddOutcome::NotFound) => {
            remove_objects(&state, &stored).await;
            Err(ApiError::NotFound { what: "puppy" })
        }
        Err(error) => {
            remove_objects(&state, &stored).await;
            Err(error.into())
        }
    }
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
