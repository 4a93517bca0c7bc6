//! Photo rows of a listing: add, reorder and delete, each in one transaction
//! with its audit row.
//!
//! Every change first touches the puppy's row, which serialises changes to one
//! puppy's photos (a row lock on Postgres, the write lock on SQLite), so two
//! concurrent uploads cannot together pass the per-puppy limit.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::admin::AuditEntry;
use super::catalog::PhotoRecord;
use super::{on_pool, Store};

/// A processed photo whose variants are already in the object store.
#[derive(Debug, Clone)]
pub struct NewPhoto {
    pub id: Uuid,
    pub storage_key: String,
    pub width: u32,
    pub height: u32,
    pub widths: Vec<u32>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum AddOutcome {
    Added,
    /// The puppy would have more than the allowed number of photos.
    LimitReached {
        existing: i64,
    },
    NotFound,
}

#[derive(Debug, PartialEq, Eq)]
pub enum ReorderOutcome {
    Reordered,
    /// The ids sent are not exactly the puppy's photos.
    Mismatch,
    NotFound,
}

/// A deleted photo row, and whether its objects may now be removed.
#[derive(Debug)]
pub struct Deleted {
    pub photo: PhotoRecord,
    /// No other row refers to the same objects (demo photos share theirs).
    pub objects_unreferenced: bool,
}

const TOUCH_PUPPY: &str = "UPDATE puppies SET updated_at = $1 WHERE id = $2 AND deleted_at IS NULL";
const PHOTO_COLUMNS: &str = "id, puppy_id, position, storage_key, width, height, variants";

impl Store {
    /// How many photos a puppy has.
    pub async fn photo_count(&self, puppy_id: Uuid) -> Result<i64, sqlx::Error> {
        let sql = "SELECT COUNT(*) FROM photos WHERE puppy_id = $1";
        on_pool!(self, pool => sqlx::query_scalar(sql).bind(puppy_id).fetch_one(pool).await)
    }

    /// Appends `photos` after the puppy's existing ones, unless that would make
    /// more than `max`.
    pub async fn add_photos(
        &self,
        puppy_id: Uuid,
        photos: &[NewPhoto],
        max: i64,
        audit: &AuditEntry,
        now: DateTime<Utc>,
    ) -> Result<AddOutcome, sqlx::Error> {
        let insert = "INSERT INTO photos \
            (id, puppy_id, position, storage_key, width, height, variants, created_at) \
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let touched = sqlx::query(TOUCH_PUPPY).bind(now).bind(puppy_id)
                .execute(&mut *tx).await?.rows_affected();
            if touched == 0 {
                return Ok(AddOutcome::NotFound);
            }
            let (existing, last): (i64, Option<i32>) = sqlx::query_as(
                "SELECT COUNT(*), MAX(position) FROM photos WHERE puppy_id = $1",
            )
            .bind(puppy_id)
            .fetch_one(&mut *tx)
            .await?;
            if existing + photos.len() as i64 > max {
                return Ok(AddOutcome::LimitReached { existing });
            }
            let first = last.map_or(0, |p| p + 1);
            for (offset, photo) in photos.iter().enumerate() {
                let widths: Vec<String> = photo.widths.iter().map(u32::to_string).collect();
                sqlx::query(insert)
                    .bind(photo.id)
                    .bind(puppy_id)
                    .bind(first + offset as i32)
                    .bind(&photo.storage_key)
                    .bind(photo.width as i32)
                    .bind(photo.height as i32)
                    .bind(widths.join(","))
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            super::admin::write_audit!(tx, audit, now)?;
            tx.commit().await?;
            Ok(AddOutcome::Added)
        })
    }

    /// Puts the puppy's photos in the order of `ids`, which must name each of
    /// them exactly once.
    pub async fn reorder_photos(
        &self,
        puppy_id: Uuid,
        ids: &[Uuid],
        audit: &AuditEntry,
        now: DateTime<Utc>,
    ) -> Result<ReorderOutcome, sqlx::Error> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let touched = sqlx::query(TOUCH_PUPPY).bind(now).bind(puppy_id)
                .execute(&mut *tx).await?.rows_affected();
            if touched == 0 {
                return Ok(ReorderOutcome::NotFound);
            }
            let mut current: Vec<Uuid> =
                sqlx::query_scalar("SELECT id FROM photos WHERE puppy_id = $1")
                    .bind(puppy_id)
                    .fetch_all(&mut *tx)
                    .await?;
            let mut wanted = ids.to_vec();
            current.sort();
            wanted.sort();
            if current != wanted {
                return Ok(ReorderOutcome::Mismatch);
            }
            for (position, id) in ids.iter().enumerate() {
                sqlx::query("UPDATE photos SET position = $1 WHERE id = $2")
                    .bind(position as i32)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            super::admin::write_audit!(tx, audit, now)?;
            tx.commit().await?;
            Ok(ReorderOutcome::Reordered)
        })
    }

    /// Deletes one photo of a puppy and closes the gap in the positions.
    pub async fn delete_photo(
        &self,
        puppy_id: Uuid,
        photo_id: Uuid,
        audit: &AuditEntry,
        now: DateTime<Utc>,
    ) -> Result<Option<Deleted>, sqlx::Error> {
        let select = format!("SELECT {PHOTO_COLUMNS} FROM photos WHERE id = $1 AND puppy_id = $2");
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let touched = sqlx::query(TOUCH_PUPPY).bind(now).bind(puppy_id)
                .execute(&mut *tx).await?.rows_affected();
            if touched == 0 {
                return Ok(None);
            }
            let Some(photo) = sqlx::query_as::<_, PhotoRecord>(&select)
                .bind(photo_id)
                .bind(puppy_id)
                .fetch_optional(&mut *tx)
                .await?
            else {
                return Ok(None);
            };
            sqlx::query("DELETE FROM photos WHERE id = $1").bind(photo_id).execute(&mut *tx).await?;
            sqlx::query(
                "UPDATE photos SET position = position - 1 WHERE puppy_id = $1 AND position > $2",
            )
            .bind(puppy_id)
            .bind(photo.position)
            .execute(&mut *tx)
            .await?;
            let sharing: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM photos WHERE storage_key = $1")
                    .bind(&photo.storage_key)
                    .fetch_one(&mut *tx)
                    .await?;
            super::admin::write_audit!(tx, audit, now)?;
            tx.commit().await?;
            Ok(Some(Deleted { photo, objects_unreferenced: sharing == 0 }))
        })
    }
}
