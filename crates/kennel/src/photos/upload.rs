//! Adding photos to a puppy, all or nothing.
//!
//! Every photo's header is checked before anything is decoded; each is then
//! converted on the blocking pool within the process's conversion budget (a few
//! at a time, since it is CPU-heavy, and never more memory at once than
//! `CONVERSION_MEMORY_BUDGET`), the variants are written to the object store,
//! and only then are the rows inserted, with their audit entry, in one
//! transaction. Any failure along the way removes the objects already written,
//! so a failed upload leaves neither rows nor objects behind.

use std::sync::Arc;

use bytes::Bytes;
use chrono::Utc;
use tokio::sync::Semaphore;
use uuid::Uuid;

use super::process::{self, PhotoError, Processed, CONVERSION_MEMORY_BUDGET};
use super::PhotoStore;
use crate::store::admin::AuditEntry;
use crate::store::photos::{AddOutcome, NewPhoto};
use crate::store::Store;

pub const MAX_PHOTOS_PER_REQUEST: usize = 4;
pub const MAX_PHOTO_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_PHOTOS_PER_PUPPY: i64 = 12;
/// The largest upload body: four full-size photos plus their part headers.
pub const UPLOAD_BODY_LIMIT: usize = MAX_PHOTOS_PER_REQUEST * MAX_PHOTO_BYTES + 64 * 1024;

/// One photo as the client sent it.
pub struct Upload {
    /// The file name the client gave, if any.
    pub name: Option<String>,
    pub bytes: Bytes,
}

impl Upload {
    /// "Photo 2 ("beach.png")": how a client is told which file is at fault.
    pub fn label(&self, index: usize) -> String {
        match &self.name {
            Some(name) if !name.is_empty() => format!("Photo {} ({name:?})", index + 1),
            _ => format!("Photo {}", index + 1),
        }
    }
}

/// How many conversions may run at once, and how much memory they may use
/// together; one per process.
#[derive(Clone)]
pub struct ConversionBudget {
    /// CPU-bound, so about one per core.
    processing: Arc<Semaphore>,
    /// `CONVERSION_MEMORY_BUDGET`, in KiB (a semaphore's permits are `u32`).
    memory: Arc<Semaphore>,
}

impl ConversionBudget {
    pub fn new() -> ConversionBudget {
        ConversionBudget {
            processing: Arc::new(Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            )),
            memory: Arc::new(Semaphore::new(
                memory_permits(CONVERSION_MEMORY_BUDGET) as usize
            )),
        }
    }
}

impl ConversionBudget {
    /// The memory not reserved by a conversion, in KiB.
    pub fn memory_available_kib(&self) -> usize {
        self.memory.available_permits()
    }
}

impl Default for ConversionBudget {
    fn default() -> Self {
        ConversionBudget::new()
    }
}

/// The conversion budget is counted in KiB.
fn memory_permits(bytes: u64) -> u32 {
    u32::try_from(bytes.div_ceil(1024)).unwrap_or(u32::MAX)
}

/// Why photos were not added; nothing was kept in any case.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    /// A photo that cannot be accepted; `label` names it for the client.
    #[error("{label} {error}")]
    Photo { label: String, error: PhotoError },
    /// The puppy would have more than `MAX_PHOTOS_PER_PUPPY` photos.
    #[error("the puppy has {existing} photos already")]
    LimitReached { existing: i64 },
    #[error("no such puppy")]
    NotFound,
    #[error("photo storage is unavailable")]
    Storage(#[source] anyhow::Error),
    #[error("database error")]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// Checks and converts every upload; the first bad one fails them all. Each
/// conversion reserves its memory estimate from the budget (waiting while
/// others use it) and takes one of the per-core slots, both held until the
/// conversion itself ends.
pub async fn convert_all(
    budget: &ConversionBudget,
    uploads: Vec<Upload>,
) -> Result<Vec<Processed>, UploadError> {
    let mut estimates = Vec::with_capacity(uploads.len());
    for (i, upload) in uploads.iter().enumerate() {
        let inspected = process::inspect(&upload.bytes).map_err(|error| UploadError::Photo {
            label: upload.label(i),
            error,
        })?;
        estimates.push(inspected.memory);
    }
    let mut processed = Vec::with_capacity(uploads.len());
    for ((i, upload), memory) in uploads.into_iter().enumerate().zip(estimates) {
        let memory = budget
            .memory
            .clone()
            .acquire_many_owned(memory_permits(memory))
            .await
            .map_err(anyhow::Error::from)?;
        let cpu = budget
            .processing
            .clone()
            .acquire_owned()
            .await
            .map_err(anyhow::Error::from)?;
        let label = upload.label(i);
        // The reservations go with the conversion, not with the request: when the
        // request's time budget stops it, the conversion still runs to the end on
        // the blocking pool, and its memory stays counted until then.
        let result = tokio::task::spawn_blocking(move || {
            let _held = (memory, cpu);
            process::process(&upload.bytes)
        })
        .await
        .map_err(|e| anyhow::anyhow!("photo processing task failed: {e}"))?;
        processed.push(result.map_err(|error| UploadError::Photo { label, error })?);
    }
    Ok(processed)
}

/// Writes the converted photos' variants and then their rows, with the audit
/// entry `audit` makes from the new photo ids; on any failure removes what was
/// written.
pub async fn store_all(
    store: &Store,
    photos: &PhotoStore,
    puppy_id: Uuid,
    processed: Vec<Processed>,
    audit: impl FnOnce(&[Uuid]) -> AuditEntry,
) -> Result<(), UploadError> {
    let mut stored: Vec<NewPhoto> = Vec::with_capacity(processed.len());
    for photo in processed {
        let photo_id = Uuid::now_v7();
        let new = NewPhoto {
            id: photo_id,
            storage_key: format!("puppies/{puppy_id}/{}", photo_id.simple()),
            width: photo.size().0,
            height: photo.size().1,
            widths: photo.widths(),
        };
        let variants = photo
            .variants
            .into_iter()
            .map(|v| (v.width, Bytes::from(v.jpeg)))
            .collect();
        if let Err(error) = photos.put_variants(&new.storage_key, variants).await {
            remove_objects(photos, &stored).await;
            return Err(UploadError::Storage(error.into()));
        }
        stored.push(new);
    }

    let ids: Vec<Uuid> = stored.iter().map(|p| p.id).collect();
    let entry = audit(&ids);
    let outcome = store
        .add_photos(puppy_id, &stored, MAX_PHOTOS_PER_PUPPY, &entry, Utc::now())
        .await;
    let error = match outcome {
        Ok(AddOutcome::Added) => return Ok(()),
        Ok(AddOutcome::LimitReached { existing }) => UploadError::LimitReached { existing },
        Ok(AddOutcome::NotFound) => UploadError::NotFound,
        Err(error) => UploadError::Database(error),
    };
    remove_objects(photos, &stored).await;
    Err(error)
}

async fn remove_objects(photos: &PhotoStore, stored: &[NewPhoto]) {
    for photo in stored {
        photos
            .delete_variants(&photo.storage_key, &photo.widths)
            .await;
    }
}
