//! How puppies and accounts are shown: the response bodies several routes share
//! (browse, detail, listings, photos, favourites, the assistant; a user for
//! accounts and admin), built from the store's records, and the encoded form of a
//! body with its `ETag`.

use axum::body::Bytes;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::conditional;
use super::paging::PageItem;
use crate::browse_cache::Cached;
use crate::domain::account::{AlertChannel, Role};
use crate::domain::paging::Page;
use crate::domain::puppy::{age_in_months, AgeGroup, Coat, OrganizationKind, Sex, Size, Status};
use crate::error::{ApiError, ApiResult};
use crate::photos::PhotoUrls;
use crate::state::AppState;
use crate::store::accounts::UserRecord;
use crate::store::browse::PuppyRecord;
use crate::store::catalog::PhotoRecord;

#[derive(Debug, Serialize, ToSchema)]
pub struct BreedRef {
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Money {
    /// Amount in the currency's minor unit (cents).
    pub amount_cents: i64,
    /// ISO 4217 currency code.
    pub currency: String,
}

/// What the puppy is known to get on with; `null` means not known yet.
#[derive(Debug, Serialize, ToSchema)]
pub struct GoodWithFacts {
    pub kids: Option<bool>,
    pub dogs: Option<bool>,
    pub cats: Option<bool>,
}

/// The public summary of an organisation (no private contact details).
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationSummary {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub kind: OrganizationKind,
    pub website: Option<String>,
    pub city: String,
    pub region: String,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    pub latitude: f64,
    pub longitude: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PhotoVariant {
    pub width: u32,
    pub height: u32,
    /// Absolute URL of this JPEG variant.
    pub url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Photo {
    pub id: Uuid,
    /// Size of the largest variant.
    pub width: u32,
    pub height: u32,
    /// Alternative text for screen readers.
    pub alt: String,
    /// The size variants, smallest first.
    pub variants: Vec<PhotoVariant>,
}

/// A puppy as shown in the browse list.
#[derive(Debug, Serialize, ToSchema)]
pub struct PuppySummary {
    pub id: Uuid,
    pub name: String,
    pub breed: BreedRef,
    pub secondary_breed: Option<BreedRef>,
    pub mixed: bool,
    pub sex: Sex,
    pub birth_date: NaiveDate,
    /// Whole months of age today.
    pub age_months: u32,
    pub age_group: AgeGroup,
    pub size: Size,
    pub coat: Coat,
    pub colour: String,
    pub good_with: GoodWithFacts,
    pub status: Status,
    pub adoption_fee: Money,
    pub listed_at: DateTime<Utc>,
    pub organization: OrganizationSummary,
    /// The first photo, if any.
    pub photo: Option<Photo>,
    /// Distance from `near` in km; only when `near` was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance_km: Option<f64>,
}

/// One puppy with everything known about it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PuppyDetail {
    #[serde(flatten)]
    pub summary: PuppySummary,
    pub description: String,
    pub house_trained: bool,
    pub vaccinated: bool,
    pub neutered: bool,
    /// Every photo, in display order.
    pub photos: Vec<Photo>,
}

pub(crate) fn photo_json(urls: &PhotoUrls, photo: &PhotoRecord, alt: &str) -> Photo {
    let (w, h) = (photo.width.max(1) as u32, photo.height.max(1) as u32);
    let variants = photo
        .variant_widths()
        .into_iter()
        .map(|width| PhotoVariant {
            width,
            height: ((u64::from(width) * u64::from(h) + u64::from(w) / 2) / u64::from(w)) as u32,
            url: urls.variant(photo.id, &photo.storage_key, width),
        })
        .collect();
    Photo {
        id: photo.id,
        width: w,
        height: h,
        alt: alt.to_string(),
        variants,
    }
}

/// A page of the browse list or of the favourites.
pub type PuppyPage = Page<PuppySummary>;

impl PageItem for PuppySummary {
    const PAGE_SCHEMA: &'static str = "PuppyPage";
}

/// A page of puppies as the lists show them, each with its first photo.
pub(crate) async fn summaries(
    state: &AppState,
    page: Page<PuppyRecord>,
    today: NaiveDate,
) -> ApiResult<PuppyPage> {
    let ids: Vec<Uuid> = page.items.iter().map(|p| p.id).collect();
    let photos = state.store.photos_of(&ids).await?;
    page.try_map(|record| {
        let puppy_photos = photos.get(&record.id).map(Vec::as_slice).unwrap_or(&[]);
        summary(record, puppy_photos, &state.photo_urls, today)
    })
}

pub(crate) fn summary(
    record: PuppyRecord,
    photos: &[PhotoRecord],
    urls: &PhotoUrls,
    today: NaiveDate,
) -> ApiResult<PuppySummary> {
    let alt = format!("{}, a {} puppy", record.name, record.breed_name);
    Ok(PuppySummary {
        id: record.id,
        sex: record.sex,
        size: record.size,
        coat: record.coat,
        status: record.status,
        age_months: age_in_months(record.birth_date, today),
        age_group: AgeGroup::of(record.birth_date, today),
        birth_date: record.birth_date,
        breed: BreedRef {
            slug: record.breed_slug,
            name: record.breed_name,
        },
        secondary_breed: match (record.secondary_breed_slug, record.secondary_breed_name) {
            (Some(slug), Some(name)) => Some(BreedRef { slug, name }),
            _ => None,
        },
        mixed: record.mixed,
        colour: record.colour,
        good_with: GoodWithFacts {
            kids: record.good_with_kids,
            dogs: record.good_with_dogs,
            cats: record.good_with_cats,
        },
        adoption_fee: Money {
            amount_cents: record.fee_cents,
            currency: record.currency,
        },
        listed_at: record.listed_at,
        organization: OrganizationSummary {
            id: record.organization_id,
            slug: record.organization_slug,
            name: record.organization_name,
            kind: record.organization_kind,
            website: record.organization_website,
            city: record.organization_city,
            region: record.organization_region,
            country: record.organization_country,
            latitude: record.organization_latitude,
            longitude: record.organization_longitude,
        },
        photo: photos.first().map(|p| photo_json(urls, p, &alt)),
        distance_km: record.distance_km.map(|d| (d * 100.0).round() / 100.0),
        name: record.name,
    })
}

/// A value as JSON bytes with their `ETag` (carrying `version` when given).
pub(crate) fn encoded<T: Serialize>(value: &T, version: Option<i64>) -> ApiResult<Cached> {
    let body = Bytes::from(serde_json::to_vec(value).map_err(anyhow::Error::from)?);
    let etag = conditional::etag(&body, version);
    Ok(Cached { body, etag })
}

/// One puppy as the API shows it, and its version (the ETag).
pub(crate) async fn puppy_detail(state: &AppState, id: Uuid) -> ApiResult<(PuppyDetail, i64)> {
    let record = state
        .store
        .puppy(id)
        .await?
        .ok_or(ApiError::NotFound { what: "puppy" })?;
    let mut photos = state.store.photos_of(&[id]).await?;
    let photos = photos.remove(&id).unwrap_or_default();
    let today = Utc::now().date_naive();
    let alt = format!(
        "{}, a {} puppy",
        record.summary.name, record.summary.breed_name
    );
    let photo_list = photos
        .iter()
        .map(|p| photo_json(&state.photo_urls, p, &alt))
        .collect();
    let detail = PuppyDetail {
        summary: summary(record.summary, &photos, &state.photo_urls, today)?,
        description: record.description,
        house_trained: record.house_trained,
        vaccinated: record.vaccinated,
        neutered: record.neutered,
        photos: photo_list,
    };
    Ok((detail, record.version))
}

/// The signed-in user's own view of their account.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    /// The organisation a staff member belongs to.
    pub organization_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    /// Whether the address was confirmed by following a link sent to it.
    pub email_verified: bool,
    /// Whether new messages in the account's conversations are emailed.
    pub conversation_email: bool,
    /// How new matches for saved searches are told: `push` (email when no
    /// device is registered), `email` or `off`.
    pub new_match_alerts: AlertChannel,
}

impl From<UserRecord> for Me {
    fn from(user: UserRecord) -> Me {
        Me {
            role: user.role,
            id: user.id,
            email: user.email,
            display_name: user.display_name,
            organization_id: user.organization_id,
            created_at: user.created_at,
            email_verified: user.email_verified_at.is_some(),
            conversation_email: user.conversation_email,
            new_match_alerts: user.new_match_alerts,
        }
    }
}
