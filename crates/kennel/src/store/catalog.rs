//! Catalogue reads other than the browse list: breeds, organisations, one puppy
//! and photos.

use std::collections::HashMap;

use uuid::Uuid;

use crate::domain::puppy::{Coat, Size};

use super::browse::{PuppyRecord, PUPPY_COLUMNS, PUPPY_RELATIONS};
use super::{bind_params, on_pool, Param, Store};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BreedRecord {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub breed_group: String,
    pub size: Size,
    pub coat: Coat,
    pub temperament: String,
    pub description: String,
    pub available_puppies: i64,
}

/// The public face of an organisation (no private contact details).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrganizationRecord {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub description: String,
    pub website: Option<String>,
    pub city: String,
    pub region: String,
    pub country: String,
    pub latitude: f64,
    pub longitude: f64,
    pub available_puppies: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PuppyDetailRecord {
    #[sqlx(flatten)]
    pub summary: PuppyRecord,
    pub description: String,
    pub house_trained: bool,
    pub vaccinated: bool,
    pub neutered: bool,
    pub version: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PhotoRecord {
    pub id: Uuid,
    pub puppy_id: Uuid,
    pub position: i32,
    pub storage_key: String,
    pub width: i32,
    pub height: i32,
    pub variants: String,
}

impl PhotoRecord {
    /// The stored variant widths, smallest first.
    pub fn variant_widths(&self) -> Vec<u32> {
        let mut widths: Vec<u32> = self
            .variants
            .split(',')
            .filter_map(|w| w.trim().parse().ok())
            .collect();
        widths.sort_unstable();
        widths
    }
}

const AVAILABLE_COUNT: &str = "(SELECT COUNT(*) FROM puppies c \
    WHERE c.organization_id = o.id AND c.status = 'available' AND c.deleted_at IS NULL)";

impl Store {
    pub async fn breeds(&self) -> Result<Vec<BreedRecord>, sqlx::Error> {
        let sql = "SELECT b.id, b.slug, b.name, b.breed_group, b.size, b.coat, b.temperament, \
            b.description, \
            (SELECT COUNT(*) FROM puppies c WHERE c.breed_id = b.id \
                AND c.status = 'available' AND c.deleted_at IS NULL) AS available_puppies \
            FROM breeds b ORDER BY b.name";
        on_pool!(self, pool => sqlx::query_as::<_, BreedRecord>(sql).fetch_all(pool).await)
    }

    /// Which of `slugs` name no breed (in the order given).
    pub async fn unknown_breed_slugs(&self, slugs: &[String]) -> Result<Vec<String>, sqlx::Error> {
        if slugs.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (1..=slugs.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT slug FROM breeds WHERE slug IN ({})",
            placeholders.join(", ")
        );
        let params: Vec<Param> = slugs.iter().map(|s| Param::Text(s.clone())).collect();
        let known: Vec<(String,)> = on_pool!(self, pool => {
            bind_params!(sqlx::query_as::<_, (String,)>(&sql), params).fetch_all(pool).await?
        });
        Ok(slugs
            .iter()
            .filter(|slug| !known.iter().any(|(k,)| k == *slug))
            .cloned()
            .collect())
    }

    pub async fn organization(&self, id: Uuid) -> Result<Option<OrganizationRecord>, sqlx::Error> {
        let sql = format!(
            "SELECT o.id, o.slug, o.name, o.kind, o.description, o.website, o.city, o.region, \
             o.country, o.latitude, o.longitude, {AVAILABLE_COUNT} AS available_puppies \
             FROM organizations o WHERE o.id = $1"
        );
        on_pool!(self, pool => {
            sqlx::query_as::<_, OrganizationRecord>(&sql).bind(id).fetch_optional(pool).await
        })
    }

    /// One puppy that is not deleted, whatever its status.
    pub async fn puppy(&self, id: Uuid) -> Result<Option<PuppyDetailRecord>, sqlx::Error> {
        let sql = format!(
            "SELECT {PUPPY_COLUMNS}, CAST(NULL AS DOUBLE PRECISION) AS distance_km, \
             p.description, p.house_trained, p.vaccinated, p.neutered, p.version \
             FROM puppies p {PUPPY_RELATIONS} WHERE p.id = $1 AND p.deleted_at IS NULL"
        );
        on_pool!(self, pool => {
            sqlx::query_as::<_, PuppyDetailRecord>(&sql).bind(id).fetch_optional(pool).await
        })
    }

    /// The photos of each puppy, in display order.
    pub async fn photos_of(
        &self,
        puppy_ids: &[Uuid],
    ) -> Result<HashMap<Uuid, Vec<PhotoRecord>>, sqlx::Error> {
        let mut by_puppy: HashMap<Uuid, Vec<PhotoRecord>> = HashMap::new();
        if puppy_ids.is_empty() {
            return Ok(by_puppy);
        }
        let placeholders: Vec<String> = (1..=puppy_ids.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT id, puppy_id, position, storage_key, width, height, variants FROM photos \
             WHERE puppy_id IN ({}) ORDER BY puppy_id, position, id",
            placeholders.join(", ")
        );
        let params: Vec<Param> = puppy_ids.iter().map(|id| Param::Id(*id)).collect();
        let rows: Vec<PhotoRecord> = on_pool!(self, pool => {
            bind_params!(sqlx::query_as::<_, PhotoRecord>(&sql), params).fetch_all(pool).await?
        });
        for row in rows {
            by_puppy.entry(row.puppy_id).or_default().push(row);
        }
        Ok(by_puppy)
    }

    /// A photo that may be shown: its puppy exists and is not deleted.
    pub async fn visible_photo(&self, id: Uuid) -> Result<Option<PhotoRecord>, sqlx::Error> {
        let sql = "SELECT ph.id, ph.puppy_id, ph.position, ph.storage_key, ph.width, ph.height, \
            ph.variants FROM photos ph JOIN puppies p ON p.id = ph.puppy_id \
            WHERE ph.id = $1 AND p.deleted_at IS NULL";
        on_pool!(self, pool => {
            sqlx::query_as::<_, PhotoRecord>(sql).bind(id).fetch_optional(pool).await
        })
    }
}
