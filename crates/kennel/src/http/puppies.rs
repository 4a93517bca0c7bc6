//! Browse handlers: the puppy list and one puppy.

use std::future::Future;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{conditional, parse_id};
use crate::app::AppState;
use crate::browse_cache::Cached;
use crate::domain::browse::BrowseParams;
use crate::domain::puppy::{age_in_months, AgeGroup, Coat, OrganizationKind, Sex, Size, Status};
use crate::error::{ApiError, ApiResult, FieldError, Problem};
use crate::photos::PhotoUrls;
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

#[derive(Debug, Serialize, ToSchema)]
pub struct PuppyPage {
    pub items: Vec<PuppySummary>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
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

fn vocab<T>(value: &str, parse: impl Fn(&str) -> Option<T>, column: &str) -> ApiResult<T> {
    parse(value).ok_or_else(|| {
        ApiError::internal(anyhow::anyhow!(
            "unexpected {column} value in database: {value:?}"
        ))
    })
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

pub(crate) fn summary(
    record: PuppyRecord,
    photos: &[PhotoRecord],
    urls: &PhotoUrls,
    today: NaiveDate,
) -> ApiResult<PuppySummary> {
    let alt = format!("{}, a {} puppy", record.name, record.breed_name);
    Ok(PuppySummary {
        id: record.id,
        sex: vocab(&record.sex, Sex::parse, "sex")?,
        size: vocab(&record.size, Size::parse, "size")?,
        coat: vocab(&record.coat, Coat::parse, "coat")?,
        status: vocab(&record.status, Status::parse, "status")?,
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
            kind: vocab(&record.organization_kind, OrganizationKind::parse, "kind")?,
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
            ("Vary" = String, description = "`accept-encoding` (and `authorization` with `Authorization`)"),
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

/// A value as JSON bytes with their `ETag` (carrying `version` when given).
pub(crate) fn encoded<T: Serialize>(value: &T, version: Option<i64>) -> ApiResult<Cached> {
    let body = Bytes::from(serde_json::to_vec(value).map_err(anyhow::Error::from)?);
    let etag = conditional::etag(&body, version);
    Ok(Cached { body, etag })
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
    let params: BrowseParams = serde_html_form::from_str(raw)
        .map_err(|e| ApiError::Validation(vec![FieldError::new("query", e.to_string())]))?;
    let query = params.parse().map_err(ApiError::Validation)?;
    refuse_unknown_breeds(state, &query.filter.breeds).await?;
    let today = Utc::now().date_naive();
    let page = state.store.browse(&query, today).await?;
    let ids: Vec<Uuid> = page.items.iter().map(|p| p.id).collect();
    let photos = state.store.photos_of(&ids).await?;
    let items = page
        .items
        .into_iter()
        .map(|record| {
            let puppy_photos = photos.get(&record.id).map(Vec::as_slice).unwrap_or(&[]);
            summary(record, puppy_photos, &state.photo_urls, today)
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(PuppyPage {
        items,
        next_cursor: page.next_cursor.map(|c| c.encode()),
    })
}

/// A breed filter naming a breed that does not exist is a mistake (a typo, a
/// name instead of a slug), not a search with no results: say so, and where the
/// slugs are.
async fn refuse_unknown_breeds(state: &AppState, slugs: &[String]) -> ApiResult<()> {
    let unknown = state.store.unknown_breed_slugs(slugs).await?;
    if unknown.is_empty() {
        return Ok(());
    }
    Err(ApiError::Validation(
        unknown
            .iter()
            .map(|slug| {
                FieldError::new(
                    "breed",
                    format!(
                        "no breed has the slug `{slug}`; GET /v1/breeds lists every breed \
                         with its slug"
                    ),
                )
            })
            .collect(),
    ))
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
            ("Vary" = String, description = "`accept-encoding` (and `authorization` with `Authorization`)"),
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
