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

use super::parse_id;
use super::puppies::{encoded, puppy_detail};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::domain::account::Role;
use crate::domain::browse::{is_slug, search_words};
use crate::domain::puppy::{Coat, Sex, Size, Status};
use crate::domain::text::{self, Lines};
use crate::error::{ApiError, ApiResult, FieldError, Problem};
use crate::store::admin::AuditEntry;
use crate::store::listings::{Listing, PuppyFields, SaveOutcome};

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

fn forbidden() -> ApiError {
    ApiError::Forbidden {
        detail: "Only staff of the puppy's organisation (or an admin) may change it.".into(),
    }
}

/// The organisation this user may manage listings for: staff their own; admins any.
pub(crate) fn may_manage(user: &CurrentUser, organization: Uuid) -> ApiResult<()> {
    match user.role {
        Role::Admin => Ok(()),
        Role::Staff if user.organization_id == Some(organization) => Ok(()),
        _ => Err(forbidden()),
    }
}

/// The listing named by the path segment `id`, if this user may manage it:
/// 400 for a malformed id, 404 for no such (or a deleted) puppy, 403 otherwise.
pub(crate) async fn managed_listing(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> ApiResult<(Uuid, Listing)> {
    let id = parse_id("id", id)?;
    let listing = state
        .store
        .listing(id)
        .await?
        .ok_or(ApiError::NotFound { what: "puppy" })?;
    may_manage(user, listing.organization_id)?;
    Ok((id, listing))
}

/// The breed with this slug; anything that cannot be a slug is not looked up.
async fn known_breed(
    state: &AppState,
    slug: &str,
) -> ApiResult<Option<crate::store::listings::BreedRef>> {
    let slug = slug.trim();
    if !is_slug(slug) {
        return Ok(None);
    }
    Ok(state.store.breed_by_slug(slug).await?)
}

fn allowed_transition(from: Status, to: Status) -> bool {
    use Status::*;
    from == to || !matches!((from, to), (Adopted, Pending))
}

/// Merges `input` over `base` (or builds from scratch when `base` is `None`) and
/// checks the result; every bad field is reported.
async fn merge(
    state: &AppState,
    base: Option<&PuppyFields>,
    input: PuppyInput,
) -> ApiResult<PuppyFields> {
    let mut errors = Vec::new();
    let creating = base.is_none();
    let mut need = |field: &str, missing: bool| {
        if creating && missing {
            errors.push(FieldError::new(field, "is required"));
        }
    };
    need("name", input.name.is_none());
    need("breed", input.breed.is_none());
    need("sex", input.sex.is_none());
    need("birth_date", input.birth_date.is_none());
    need("colour", input.colour.is_none());
    need("adoption_fee_cents", input.adoption_fee_cents.is_none());

    let name = match &input.name {
        Some(n) => text::clean(n, 60, Lines::One).unwrap_or_else(|message| {
            errors.push(FieldError::new("name", message));
            String::new()
        }),
        None => base.map(|b| b.name.clone()).unwrap_or_default(),
    };
    let breed = match &input.breed {
        Some(slug) => match known_breed(state, slug).await? {
            Some(breed) => Some(breed),
            None => {
                errors.push(FieldError::new(
                    "breed",
                    format!("'{slug}' is not a known breed slug (see GET /v1/breeds)"),
                ));
                None
            }
        },
        None => None,
    };
    let breed_id = breed
        .as_ref()
        .map(|b| b.id)
        .or(base.map(|b| b.breed_id))
        .unwrap_or_default();
    let secondary_breed_id = match &input.secondary_breed {
        Some(Some(slug)) => match known_breed(state, slug).await? {
            Some(b) => Some(b.id),
            None => {
                errors.push(FieldError::new(
                    "secondary_breed",
                    format!("'{slug}' is not a known breed slug"),
                ));
                None
            }
        },
        Some(None) => None,
        None => base.and_then(|b| b.secondary_breed_id),
    };
    let today = Utc::now().date_naive();
    let birth_date = input
        .birth_date
        .or(base.map(|b| b.birth_date))
        .unwrap_or(today);
    if birth_date > today {
        errors.push(FieldError::new("birth_date", "must not be in the future"));
    }
    if today.years_since(birth_date).unwrap_or(0) > 30 {
        errors.push(FieldError::new(
            "birth_date",
            "must be within the last 30 years",
        ));
    }
    let colour = match &input.colour {
        Some(c) => text::clean(c, 40, Lines::One).unwrap_or_else(|message| {
            errors.push(FieldError::new("colour", message));
            String::new()
        }),
        None => base.map(|b| b.colour.clone()).unwrap_or_default(),
    };
    let description = match input.description.as_deref() {
        Some(d) => text::clean_optional(d, 5000, Lines::Many).unwrap_or_else(|message| {
            errors.push(FieldError::new("description", message));
            String::new()
        }),
        None => base.map(|b| b.description.clone()).unwrap_or_default(),
    };
    let fee_cents = input
        .adoption_fee_cents
        .or(base.map(|b| b.fee_cents))
        .unwrap_or(0);
    if !(0..=10_000_000).contains(&fee_cents) {
        errors.push(FieldError::new(
            "adoption_fee_cents",
            "must be between 0 and 10000000",
        ));
    }
    let currency = input
        .currency
        .as_deref()
        .map(|c| c.trim().to_ascii_uppercase())
        .or(base.map(|b| b.currency.clone()))
        .unwrap_or_else(|| "USD".into());
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        errors.push(FieldError::new(
            "currency",
            "must be a three-letter ISO 4217 code",
        ));
    }
    let status = input
        .status
        .or(base.and_then(|b| Status::parse(&b.status)))
        .unwrap_or(Status::Available);
    if let Some(from) = base.and_then(|b| Status::parse(&b.status)) {
        if !allowed_transition(from, status) {
            errors.push(FieldError::new(
                "status",
                format!(
                    "cannot change from {} to {}",
                    from.as_str(),
                    status.as_str()
                ),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let size = input
        .size
        .map(|s| s.as_str().to_string())
        .or_else(|| breed.as_ref().map(|b| b.size.clone()))
        .or(base.map(|b| b.size.clone()))
        .unwrap_or_else(|| "medium".into());
    let coat = input
        .coat
        .map(|c| c.as_str().to_string())
        .or_else(|| breed.as_ref().map(|b| b.coat.clone()))
        .or(base.map(|b| b.coat.clone()))
        .unwrap_or_else(|| "short".into());
    let good_with = input
        .good_with
        .map(|g| (g.kids, g.dogs, g.cats))
        .or(base.map(|b| (b.good_with_kids, b.good_with_dogs, b.good_with_cats)));
    let (kids, dogs, cats) = good_with.unwrap_or((None, None, None));
    let breed_name = state.store.breed_name(breed_id).await?.unwrap_or_default();
    let secondary_name = match secondary_breed_id {
        Some(id) => state.store.breed_name(id).await?.unwrap_or_default(),
        None => String::new(),
    };
    let search_text = search_words(&format!(
        "{name} {breed_name} {secondary_name} {colour} {description}"
    ));
    Ok(PuppyFields {
        mixed: input.mixed.or(base.map(|b| b.mixed)).unwrap_or(false)
            || secondary_breed_id.is_some(),
        sex: input
            .sex
            .map(|s| s.as_str().to_string())
            .or(base.map(|b| b.sex.clone()))
            .unwrap_or_default(),
        house_trained: input
            .house_trained
            .or(base.map(|b| b.house_trained))
            .unwrap_or(false),
        vaccinated: input
            .vaccinated
            .or(base.map(|b| b.vaccinated))
            .unwrap_or(false),
        neutered: input.neutered.or(base.map(|b| b.neutered)).unwrap_or(false),
        status: status.as_str().to_string(),
        good_with_kids: kids,
        good_with_dogs: dogs,
        good_with_cats: cats,
        name,
        breed_id,
        secondary_breed_id,
        birth_date,
        size,
        coat,
        colour,
        description,
        fee_cents,
        currency,
        search_text,
    })
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

pub(crate) fn audit(
    user: &CurrentUser,
    action: &'static str,
    id: Uuid,
    details: serde_json::Value,
) -> AuditEntry {
    AuditEntry {
        actor_id: Some(user.id),
        channel: "api",
        action,
        target_type: "puppy",
        target_id: id.to_string(),
        details,
    }
}

/// Lists a new puppy for the staff member's organisation.
#[utoipa::path(
    post,
    path = "/v1/puppies",
    tag = "listings",
    security(("bearer" = [])),
    request_body = PuppyInput,
    responses(
        (status = 201, description = "Created; `ETag` holds its version", body = super::puppies::PuppyDetail),
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
    let fields = merge(&state, None, input).await?;
    let id = Uuid::now_v7();
    let entry = audit(
        &user,
        "puppy.created",
        id,
        serde_json::json!({ "name": fields.name, "organization_id": organization }),
    );
    state
        .store
        .create_listing(id, organization, &fields, &entry, Utc::now())
        .await?;
    state.browse_cache.invalidate();
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
        (status = 200, description = "Saved; `ETag` holds the new version", body = super::puppies::PuppyDetail),
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
    let fields = merge(&state, Some(&listing.fields), input).await?;
    let entry = audit(
        &user,
        "puppy.updated",
        id,
        serde_json::json!({ "from_version": expected }),
    );
    let outcome = state
        .store
        .save_listing(id, expected, &fields, &entry, Utc::now())
        .await?;
    state.browse_cache.invalidate();
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
