//! Reference data: breeds and organisations.

use axum::extract::{Path, State};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::parse_id;
use crate::app::AppState;
use crate::domain::puppy::{Coat, OrganizationKind, Size};
use crate::error::{ApiError, ApiResult, Problem};

#[derive(Debug, Serialize, ToSchema)]
pub struct Breed {
    pub id: Uuid,
    /// Stable identifier used by the `breed` filter.
    pub slug: String,
    pub name: String,
    pub group: String,
    pub size: Size,
    pub coat: Coat,
    pub temperament: Vec<String>,
    pub description: String,
    /// Puppies of this breed currently available.
    pub available_puppies: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BreedList {
    pub items: Vec<Breed>,
}

/// An organisation's public profile.
#[derive(Debug, Serialize, ToSchema)]
pub struct Organization {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub kind: OrganizationKind,
    pub description: String,
    pub website: Option<String>,
    pub city: String,
    pub region: String,
    pub country: String,
    pub latitude: f64,
    pub longitude: f64,
    pub available_puppies: i64,
}

fn corrupt(what: &str, value: &str) -> ApiError {
    ApiError::Internal(anyhow::anyhow!("unexpected {what} in database: {value:?}"))
}

/// Every breed, by name.
#[utoipa::path(
    get,
    path = "/v1/breeds",
    tag = "browse",
    responses((status = 200, description = "All breeds", body = BreedList))
)]
pub async fn list_breeds(State(state): State<AppState>) -> ApiResult<Json<BreedList>> {
    let records = state.store.breeds().await?;
    let items = records
        .into_iter()
        .map(|b| {
            Ok(Breed {
                size: Size::parse(&b.size).ok_or_else(|| corrupt("size", &b.size))?,
                coat: Coat::parse(&b.coat).ok_or_else(|| corrupt("coat", &b.coat))?,
                temperament: serde_json::from_str(&b.temperament)
                    .map_err(|_| corrupt("temperament", &b.temperament))?,
                id: b.id,
                slug: b.slug,
                name: b.name,
                group: b.breed_group,
                description: b.description,
                available_puppies: b.available_puppies,
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(Json(BreedList { items }))
}

/// An organisation's public profile (contact details are private).
#[utoipa::path(
    get,
    path = "/v1/organizations/{id}",
    tag = "browse",
    params(("id" = Uuid, Path, description = "Organisation id")),
    responses(
        (status = 200, description = "The organisation", body = Organization),
        (status = 400, description = "Malformed id", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_organization(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Organization>> {
    let id = parse_id("id", &id)?;
    let o = state
        .store
        .organization(id)
        .await?
        .ok_or(ApiError::NotFound {
            what: "organization",
        })?;
    Ok(Json(Organization {
        kind: OrganizationKind::parse(&o.kind).ok_or_else(|| corrupt("kind", &o.kind))?,
        id: o.id,
        slug: o.slug,
        name: o.name,
        description: o.description,
        website: o.website,
        city: o.city,
        region: o.region,
        country: o.country,
        latitude: o.latitude,
        longitude: o.longitude,
        available_puppies: o.available_puppies,
    }))
}
