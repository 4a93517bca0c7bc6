//! Staff listing management: create, save (optimistic concurrency on `version`)
//! and soft-delete puppies, each with its audit row in the same transaction.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::admin::AuditEntry;
use super::matching::queue_listing_available;
use super::{on_pool, Store};
use crate::domain::listing::ListingFields;
use crate::domain::puppy::{Coat, Size, Status};

/// A listing's owner and version, for authorisation and `If-Match`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Listing {
    pub organization_id: Uuid,
    pub version: i64,
    #[sqlx(flatten)]
    pub fields: ListingFields,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BreedRef {
    pub id: Uuid,
    pub name: String,
    pub size: Size,
    pub coat: Coat,
}

#[derive(Debug, PartialEq, Eq)]
pub enum SaveOutcome {
    Saved {
        version: i64,
    },
    /// Someone else saved first: the caller's version is stale.
    Stale,
    NotFound,
}

/// The columns of `ListingFields`, in its order (a macro so that
/// `WRITTEN_COLUMNS` can extend the same list).
macro_rules! listing_columns {
    () => {
        "name, breed_id, secondary_breed_id, mixed, sex, birth_date, size, coat, \
        colour, good_with_kids, good_with_dogs, good_with_cats, house_trained, vaccinated, \
        neutered, description, fee_cents, currency, status"
    };
}
const LISTING_COLUMNS: &str = listing_columns!();
/// What a save writes: the fields and the words text search finds them by.
const WRITTEN_COLUMNS: &str = concat!(listing_columns!(), ", search_text");

/// Binds the fields and the search words in `WRITTEN_COLUMNS` order.
macro_rules! bind_fields {
    ($query:expr, $f:expr, $words:expr) => {
        $query
            .bind($f.name.clone())
            .bind($f.breed_id)
            .bind($f.secondary_breed_id)
            .bind($f.mixed)
            .bind($f.sex)
            .bind($f.birth_date)
            .bind($f.size)
            .bind($f.coat)
            .bind($f.colour.clone())
            .bind($f.good_with_kids)
            .bind($f.good_with_dogs)
            .bind($f.good_with_cats)
            .bind($f.house_trained)
            .bind($f.vaccinated)
            .bind($f.neutered)
            .bind($f.description.clone())
            .bind($f.fee_cents)
            .bind($f.currency.clone())
            .bind($f.status)
            .bind($words.to_owned())
    };
}

impl Store {
    pub async fn breed_by_slug(&self, slug: &str) -> Result<Option<BreedRef>, sqlx::Error> {
        let sql = "SELECT id, name, size, coat FROM breeds WHERE slug = $1";
        on_pool!(self, pool => sqlx::query_as::<_, BreedRef>(sql).bind(slug).fetch_optional(pool).await)
    }

    pub async fn breed_name(&self, id: Uuid) -> Result<Option<String>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_scalar("SELECT name FROM breeds WHERE id = $1").bind(id).fetch_optional(pool).await
        })
    }

    /// A listing that is not deleted.
    pub async fn listing(&self, id: Uuid) -> Result<Option<Listing>, sqlx::Error> {
        let sql = format!(
            "SELECT organization_id, version, {LISTING_COLUMNS} FROM puppies \
             WHERE id = $1 AND deleted_at IS NULL"
        );
        on_pool!(self, pool => sqlx::query_as::<_, Listing>(&sql).bind(id).fetch_optional(pool).await)
    }

    /// Creates a listing; one created available queues its matching against
    /// saved searches in the same transaction.
    pub async fn create_listing(
        &self,
        id: Uuid,
        organization_id: Uuid,
        fields: &ListingFields,
        words: &str,
        audit: &AuditEntry,
        now: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        let sql = format!(
            "INSERT INTO puppies (id, organization_id, listed_at, created_at, updated_at, version, \
             {WRITTEN_COLUMNS}) VALUES ($1, $2, $3, $3, $3, 1, $4, $5, $6, $7, $8, $9, $10, $11, $12, \
             $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)"
        );
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let query = sqlx::query(&sql).bind(id).bind(organization_id).bind(now);
            bind_fields!(query, fields, words).execute(&mut *tx).await?;
            super::admin::write_audit!(tx, audit, now)?;
            if fields.status == Status::Available {
                queue_listing_available!(tx, id, now)?;
            }
            tx.commit().await
        })
    }

    /// Saves `fields` if the listing is still at `expected_version`. A listing
    /// that was not available at that version (`was_available`) and is now
    /// queues its matching against saved searches in the same transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn save_listing(
        &self,
        id: Uuid,
        expected_version: i64,
        was_available: bool,
        fields: &ListingFields,
        words: &str,
        audit: &AuditEntry,
        now: DateTime<Utc>,
    ) -> Result<SaveOutcome, sqlx::Error> {
        let assignments: Vec<String> = WRITTEN_COLUMNS
            .split(", ")
            .enumerate()
            .map(|(i, column)| format!("{} = ${}", column.trim(), i + 1))
            .collect();
        let sql = format!(
            "UPDATE puppies SET {}, updated_at = $21, version = version + 1 \
             WHERE id = $22 AND version = $23 AND deleted_at IS NULL",
            assignments.join(", ")
        );
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let updated = bind_fields!(sqlx::query(&sql), fields, words)
                .bind(now)
                .bind(id)
                .bind(expected_version)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if updated == 0 {
                drop(tx);
                return Ok(match self.listing(id).await? {
                    Some(_) => SaveOutcome::Stale,
                    None => SaveOutcome::NotFound,
                });
            }
            super::admin::write_audit!(tx, audit, now)?;
            if fields.status == Status::Available && !was_available {
                queue_listing_available!(tx, id, now)?;
            }
            tx.commit().await?;
            Ok(SaveOutcome::Saved { version: expected_version + 1 })
        })
    }

    /// Hides a listing from browse (kept for inquiries and audit).
    pub async fn delete_listing(
        &self,
        id: Uuid,
        audit: &AuditEntry,
        now: DateTime<Utc>,
    ) -> Result<bool, sqlx::Error> {
        let sql = "UPDATE puppies SET deleted_at = $1, updated_at = $1, version = version + 1 \
                   WHERE id = $2 AND deleted_at IS NULL";
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let updated = sqlx::query(sql).bind(now).bind(id).execute(&mut *tx).await?.rows_affected();
            if updated == 0 {
                return Ok(false);
            }
            super::admin::write_audit!(tx, audit, now)?;
            tx.commit().await?;
            Ok(true)
        })
    }
}
