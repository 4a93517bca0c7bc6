//! Reference data: breeds and organisations.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::parse_id;
use super::views::encoded;
use crate::domain::puppy::{Coat, OrganizationKind, Size};
use crate::error::{ApiError, ApiResult, Problem};
use crate::state::AppState;

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
    ApiError::internal(anyhow::anyhow!("unexpected {what} in database: {value:?}"))
}

/// Every breed, by name.
#[utoipa::path(
    get,
    path = "/v1/breeds",
    tag = "browse",
    params(("If-None-Match" = Option<String>, Header, nullable = false, description = "`ETag`s of copies the client holds, or `*`: 304 when one is current")),
    responses(
        (status = 200, description = "All breeds", body = BreedList, headers(
            ("ETag" = String, description = "Weak tag of the body's bytes, for `If-None-Match`"),
            ("Cache-Control" = String, description = "`public, max-age=…, stale-while-revalidate=…` when anonymous; `private, no-cache` with `Authorization`"),
            ("Vary" = String, description = "`accept-encoding` (and `authorization` with `Authorization`)"),
        )),
        (status = 304, description = "Not modified: `If-None-Match` names the current answer; no body", headers(
            ("ETag" = String, description = "The current tag"),
            ("Cache-Control" = String, description = "As for 200"),
            ("Vary" = String, description = "As for 200"),
        )),
    )
)]
pub async fn list_breeds(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    let records = state.store.breeds().await?;
    let items = records
        .into_iter()
        .map(|b| {
            Ok(Breed {
                size: b.size,
                coat: b.coat,
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
    let answer = encoded(&BreedList { items }, None)?;
    Ok(state
        .cache_policy
        .respond(&headers, answer.body, answer.etag))
}

/// An organisation's public profile (contact details are private).
#[utoipa::path(
    get,
    path = "/v1/organizations/{id}",
    tag = "browse",
    params(
        ("id" = Uuid, Path, description = "Organisation id"),
        ("If-None-Match" = Option<String>, Header, nullable = false, description = "`ETag`s of copies the client holds, or `*`: 304 when one is current"),
    ),
    responses(
        (status = 200, description = "The organisation", body = Organization, headers(
            ("ETag" = String, description = "Weak tag of the body's bytes, for `If-None-Match`"),
            ("Cache-Control" = String, description = "`public, max-age=…, stale-while-revalidate=…` when anonymous; `private, no-cache` with `Authorization`"),
            ("Vary" = String, description = "`accept-encoding` (and `authorization` with `Authorization`)"),
        )),
        (status = 304, description = "Not modified: `If-None-Match` names the current answer; no body", headers(
            ("ETag" = String, description = "The current tag"),
            ("Cache-Control" = String, description = "As for 200"),
            ("Vary" = String, description = "As for 200"),
        )),
        (status = 400, description = "Malformed id", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_organization(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let id = parse_id("id", &id)?;
    let o = state
        .store
        .organization(id)
        .await?
        .ok_or(ApiError::NotFound {
            what: "organization",
        })?;
    let organization = Organization {
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
    };
    let answer = encoded(&organization, None)?;
    Ok(state
        .cache_policy
        .respond(&headers, answer.body, answer.etag))
}
