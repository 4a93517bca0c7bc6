//! Listing management for organisation staff (and admins): create, edit and
//! delete puppies. Staff act on their own organisation's puppies only. Edits need
//! `If-Match` with the ETag from `GET /v1/puppies/{id}`, so two people editing
//! the same puppy cannot silently overwrite each other.

use crate::http::json::Json;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Deserializer};
use utoipa::ToSchema;
use uuid::Uuid;

use super::session::CurrentUser;
use super::staff::{audit, forbidden, managed_listing};
use super::views::{encoded, puppy_detail};
use crate::domain::account::Role;
use crate::domain::browse::{is_slug, search_words};
use crate::domain::listing::{
    self, Breed, BreedChoice, ListingChange, ListingFields, SecondaryBreed,
};
use crate::domain::puppy::{Coat, Sex, Size, Status};
use crate::error::{ApiError, ApiResult, Problem};
use crate::state::AppState;
use crate::store::listings::SaveOutcome;

/// `null` and absent differ: absent leaves a field alone, `null` clears it.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// What is known about who the puppy gets on with; `null` means not known.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GoodWithInput {
    pub kids: Option<bool>,
    pub dogs: Option<bool>,
    pub cats: Option<bool>,
}

/// A listing's fields. For `POST` the required ones are marked; for `PATCH`
/// every field is optional and only those sent change (`good_with` replaces all
/// three answers; `secondary_breed: null` removes it).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PuppyInput {
    /// Required on create. 1 to 60 characters (surrounding spaces are dropped),
    /// no control characters or bidirectional overrides/isolates, not only
    /// invisible ones; stored in Unicode NFC.
    #[schema(
        max_length = 60,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*[^\s\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u2060-\u2064\u2800\u3164\uFE00-\uFE0F\uFEFF\uFFA0][^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub name: Option<String>,
    /// Breed slug; required on create.
    pub breed: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, nullable)]
    pub secondary_breed: Option<Option<String>>,
    /// A mix of breeds (always true when `secondary_breed` is set).
    pub mixed: Option<bool>,
    /// Required on create.
    pub sex: Option<Sex>,
    /// Required on create; not in the future.
    pub birth_date: Option<NaiveDate>,
    /// Defaults to the breed's size.
    pub size: Option<Size>,
    /// Defaults to the breed's coat.
    pub coat: Option<Coat>,
    /// Required on create. 1 to 40 characters (surrounding spaces are dropped), same
    /// rules as `name`.
    #[schema(
        max_length = 40,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*[^\s\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u2060-\u2064\u2800\u3164\uFE00-\uFE0F\uFEFF\uFFA0][^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub colour: Option<String>,
    pub good_with: Option<GoodWithInput>,
    pub house_trained: Option<bool>,
    pub vaccinated: Option<bool>,
    pub neutered: Option<bool>,
    /// Up to 5,000 characters; line breaks and tabs allowed, other control
    /// characters and bidirectional overrides/isolates not; stored in Unicode NFC.
    #[schema(
        max_length = 5000,
        pattern = r"^(?:\s*|[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*[^\s\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u2060-\u2064\u2800\u3164\uFE00-\uFE0F\uFEFF\uFFA0][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*)$"
    )]
    pub description: Option<String>,
    /// Adoption fee in cents; required on create.
    #[serde(default, deserialize_with = "super::whole_number")]
    #[schema(minimum = 0, maximum = 10_000_000)]
    pub adoption_fee_cents: Option<i64>,
    /// ISO 4217 code (any case); defaults to USD.
    #[schema(pattern = r"^\s*[A-Za-z]{3}\s*$")]
    pub currency: Option<String>,
    /// Defaults to `available`. Allowed changes: available ⇄ pending, pending →
    /// adopted, available → adopted, adopted → available (a returned puppy).
    pub status: Option<Status>,
    /// Admins only, on create: the organisation the puppy belongs to.
    pub organization_id: Option<Uuid>,
}

/// The breed `slug` names, looked up; anything that cannot be a slug is not
/// looked up and is unknown.
async fn breed_choice(state: &AppState, slug: &str) -> ApiResult<BreedChoice> {
    let trimmed = slug.trim();
    let found = if is_slug(trimmed) {
        state.store.breed_by_slug(trimmed).await?
    } else {
        None
    };
    Ok(match found {
        Some(breed) => BreedChoice::Known(Breed {
            id: breed.id,
            size: breed.size,
            coat: breed.coat,
        }),
        None => BreedChoice::Unknown(slug.to_string()),
    })
}

/// The listing change `input` asks for, its breeds looked up.
async fn parse_change(state: &AppState, input: PuppyInput) -> ApiResult<ListingChange> {
    let breed = match &input.breed {
        Some(slug) => Some(breed_choice(state, slug).await?),
        None => None,
    };
    let secondary_breed = match &input.secondary_breed {
        Some(Some(slug)) => SecondaryBreed::Set(breed_choice(state, slug).await?),
        Some(None) => SecondaryBreed::Cleared,
        None => SecondaryBreed::Unchanged,
    };
    Ok(ListingChange {
        name: input.name,
        breed,
        secondary_breed,
        mixed: input.mixed,
        sex: input.sex,
        birth_date: input.birth_date,
        size: input.size,
        coat: input.coat,
        colour: input.colour,
        good_with: input.good_with.map(|g| (g.kids, g.dogs, g.cats)),
        house_trained: input.house_trained,
        vaccinated: input.vaccinated,
        neutered: input.neutered,
        description: input.description,
        fee_cents: input.adoption_fee_cents,
        currency: input.currency,
        status: input.status,
    })
}

/// The words text search finds the listing by: its name, breeds, colour and
/// description.
async fn listing_words(state: &AppState, fields: &ListingFields) -> ApiResult<String> {
    let breed_name = state
        .store
        .breed_name(fields.breed_id)
        .await?
        .unwrap_or_default();
    let secondary_name = match fields.secondary_breed_id {
        Some(id) => state.store.breed_name(id).await?.unwrap_or_default(),
        None => String::new(),
    };
    Ok(search_words(&format!(
        "{} {breed_name} {secondary_name} {} {}",
        fields.name, fields.colour, fields.description
    )))
}

/// `input` applied to `base` (or a new listing), checked, with its search words.
async fn merge(
    state: &AppState,
    base: Option<&ListingFields>,
    input: PuppyInput,
) -> ApiResult<(ListingFields, String)> {
    let change = parse_change(state, input).await?;
    let fields = listing::merge(base, change, Utc::now().date_naive())?;
    let words = listing_words(state, &fields).await?;
    Ok((fields, words))
}

/// The saved puppy, with the same `ETag` a `GET` of it returns (so the editor's
/// copy revalidates with a 304).
async fn detail_response(state: &AppState, id: Uuid, status: StatusCode) -> ApiResult<Response> {
    let (detail, version) = puppy_detail(state, id).await?;
    let answer = encoded(&detail, Some(version))?;
    let mut response = (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        answer.body,
    )
        .into_response();
    response.headers_mut().insert(header::ETAG, answer.etag);
    if status == StatusCode::CREATED {
        if let Ok(location) = HeaderValue::from_str(&format!("/v1/puppies/{id}")) {
            response.headers_mut().insert(header::LOCATION, location);
        }
    }
    Ok(response)
}

/// Lists a new puppy for the staff member's organisation.
#[utoipa::path(
    post,
    path = "/v1/puppies",
    tag = "listings",
    security(("bearer" = [])),
    request_body = PuppyInput,
    responses(
        (status = 201, description = "Created; `ETag` holds its version", body = super::views::PuppyDetail),
        (status = 400, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_puppy(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(input): Json<PuppyInput>,
) -> ApiResult<Response> {
    let organization = match (user.role, input.organization_id) {
        (Role::Staff, None) => user.organization_id.ok_or_else(forbidden)?,
        (Role::Staff, Some(_)) => {
            return Err(ApiError::field(
                "organization_id",
                "staff list puppies for their own organisation only",
            ))
        }
        (Role::Admin, Some(org)) => {
            if !state.store.organization_exists(org).await? {
                return Err(ApiError::field(
                    "organization_id",
                    "is not an existing organisation",
                ));
            }
            org
        }
        (Role::Admin, None) => {
            return Err(ApiError::field("organization_id", "is required for admins"))
        }
        (Role::Adopter, _) => return Err(forbidden()),
    };
    let (fields, words) = merge(&state, None, input).await?;
    let id = Uuid::now_v7();
    let entry = audit(
        &user,
        "puppy.created",
        id,
        serde_json::json!({ "name": fields.name, "organization_id": organization }),
    );
    state
        .store
        .create_listing(id, organization, &fields, &words, &entry, Utc::now())
        .await?;
    state.browse_cache.invalidate();
    state.outbox.nudge();
    detail_response(&state, id, StatusCode::CREATED).await
}

/// The version named by `If-Match` (`conditional::if_match_version`); required.
fn if_match(headers: &HeaderMap) -> ApiResult<i64> {
    super::conditional::if_match_version(headers, "GET /v1/puppies/{id}")?
        .ok_or(ApiError::PreconditionRequired)
}

/// Edits a puppy (only the fields sent). Needs `If-Match` with the current ETag.
#[utoipa::path(
    patch,
    path = "/v1/puppies/{id}",
    tag = "listings",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Puppy id"),
        ("If-Match" = String, Header, description = "The ETag from GET /v1/puppies/{id}"),
    ),
    request_body = PuppyInput,
    responses(
        (status = 200, description = "Saved; `ETag` holds the new version", body = super::views::PuppyDetail),
        (status = 400, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not this organisation's staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such puppy", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since the ETag was read", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_puppy(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(input): Json<PuppyInput>,
) -> ApiResult<Response> {
    let (id, listing) = managed_listing(&state, &user, &id).await?;
    let expected = if_match(&headers)?;
    if input.organization_id.is_some() {
        return Err(ApiError::field("organization_id", "cannot be changed"));
    }
    if expected != listing.version {
        return Err(ApiError::PreconditionFailed);
    }
    let (fields, words) = merge(&state, Some(&listing.fields), input).await?;
    let entry = audit(
        &user,
        "puppy.updated",
        id,
        serde_json::json!({ "from_version": expected }),
    );
    let outcome = state
        .store
        .save_listing(
            id,
            expected,
            listing.fields.status == Status::Available,
            &fields,
            &words,
            &entry,
            Utc::now(),
        )
        .await?;
    state.browse_cache.invalidate();
    state.outbox.nudge();
    match outcome {
        SaveOutcome::Saved { .. } => detail_response(&state, id, StatusCode::OK).await,
        SaveOutcome::Stale => Err(ApiError::PreconditionFailed),
        SaveOutcome::NotFound => Err(ApiError::NotFound { what: "puppy" }),
    }
}

/// Removes a puppy from browse (kept for the organisation's records).
#[utoipa::path(
    delete,
    path = "/v1/puppies/{id}",
    tag = "listings",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Puppy id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not this organisation's staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such puppy", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since the ETag in If-Match", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delete_puppy(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<StatusCode> {
    let (id, listing) = managed_listing(&state, &user, &id).await?;
    if headers.contains_key(header::IF_MATCH) && if_match(&headers)? != listing.version {
        return Err(ApiError::PreconditionFailed);
    }
    let entry = audit(
        &user,
        "puppy.deleted",
        id,
        serde_json::json!({ "name": listing.fields.name }),
    );
    if !state.store.delete_listing(id, &entry, Utc::now()).await? {
        return Err(ApiError::NotFound { what: "puppy" });
    }
    state.browse_cache.invalidate();
    Ok(StatusCode::NO_CONTENT)
}
