//! Inquiries: an adopter asks the organisation about a puppy; the organisation's
//! staff read, answer and close them. Only the adopter, that organisation's staff
//! and admins can see an inquiry; to anyone else it does not exist (404).

use std::collections::HashMap;

use crate::http::json::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::paging::{page_params, PageParams};
use super::parse_id;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::domain::account::Role;
use crate::error::{ApiError, ApiResult, Problem};
use crate::flags::Subject;
use crate::store::admin::AuditEntry;
use crate::store::inquiries::{InquiryRecord, InquiryScope, ReplyRecord};

const MAX_MESSAGE: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContactPreference {
    Email,
    Phone,
    App,
}

impl ContactPreference {
    fn as_str(self) -> &'static str {
        match self {
            ContactPreference::Email => "email",
            ContactPreference::Phone => "phone",
            ContactPreference::App => "app",
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInquiry {
    /// 1 to 2,000 characters (surrounding spaces are dropped); line breaks allowed,
    /// other control characters and bidirectional overrides/isolates not; stored in NFC.
    #[schema(
        max_length = 2000,
        pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*[^\s\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u00AD\u034F\u180E\u200B-\u200F\u2060-\u2064\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub message: String,
    pub contact_preference: ContactPreference,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReply {
    /// 1 to 2,000 characters (surrounding spaces are dropped); line breaks allowed,
    /// other control characters and bidirectional overrides/isolates not; stored in NFC.
    #[schema(
        max_length = 2000,
        pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*[^\s\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u00AD\u034F\u180E\u200B-\u200F\u2060-\u2064\uFEFF][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InquiryStatusChange {
    Open,
    Closed,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetInquiryStatus {
    pub status: InquiryStatusChange,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PuppyName {
    pub id: Uuid,
    pub name: String,
}

/// The adopter, while their account exists (deleted accounts leave `null`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Adopter {
    pub display_name: String,
    pub email: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Reply {
    pub id: Uuid,
    /// `adopter` or `staff`.
    pub author_role: String,
    pub message: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Inquiry {
    pub id: Uuid,
    pub puppy: PuppyName,
    pub organization_id: Uuid,
    pub adopter: Option<Adopter>,
    pub message: String,
    pub contact_preference: String,
    /// `open`, `answered` or `closed`.
    pub status: String,
    pub created_at: DateTime<Utc>,
    /// Oldest first.
    pub replies: Vec<Reply>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InquiryPage {
    pub items: Vec<Inquiry>,
    pub next_cursor: Option<String>,
}

fn message(field: &str, raw: &str) -> ApiResult<String> {
    crate::domain::text::clean(raw, MAX_MESSAGE, crate::domain::text::Lines::Many)
        .map_err(|message| ApiError::field(field, message))
}

/// How the caller relates to an inquiry, if they may see it at all.
enum Party {
    Adopter,
    Staff,
}

fn party(user: &CurrentUser, inquiry: &InquiryRecord) -> Option<Party> {
    if user.role == Role::Admin
        || (user.role == Role::Staff && user.organization_id == Some(inquiry.organization_id))
    {
        Some(Party::Staff)
    } else if inquiry.user_id == Some(user.id) {
        Some(Party::Adopter)
    } else {
        None
    }
}

async fn with_replies(state: &AppState, records: Vec<InquiryRecord>) -> ApiResult<Vec<Inquiry>> {
    let ids: Vec<Uuid> = records.iter().map(|r| r.id).collect();
    let mut replies: HashMap<Uuid, Vec<ReplyRecord>> = HashMap::new();
    for reply in state.store.replies(&ids).await? {
        replies.entry(reply.inquiry_id).or_default().push(reply);
    }
    Ok(records
        .into_iter()
        .map(|r| Inquiry {
            replies: replies
                .remove(&r.id)
                .unwrap_or_default()
                .into_iter()
                .map(|reply| Reply {
                    id: reply.id,
                    author_role: reply.author_role,
                    message: reply.message,
                    created_at: reply.created_at,
                })
                .collect(),
            adopter: match (r.adopter_name, r.adopter_email) {
                (Some(display_name), Some(email)) => Some(Adopter {
                    display_name,
                    email,
                }),
                _ => None,
            },
            id: r.id,
            puppy: PuppyName {
                id: r.puppy_id,
                name: r.puppy_name,
            },
            organization_id: r.organization_id,
            message: r.message,
            contact_preference: r.contact_preference,
            status: r.status,
            created_at: r.created_at,
        })
        .collect())
}

async fn visible_inquiry(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
) -> ApiResult<(InquiryRecord, Party)> {
    let record = state
        .store
        .inquiry(id)
        .await?
        .ok_or(ApiError::NotFound { what: "inquiry" })?;
    let party = party(user, &record).ok_or(ApiError::NotFound { what: "inquiry" })?;
    Ok((record, party))
}

async fn one(state: &AppState, id: Uuid) -> ApiResult<Inquiry> {
    let record = state
        .store
        .inquiry(id)
        .await?
        .ok_or(ApiError::NotFound { what: "inquiry" })?;
    with_replies(state, vec![record])
        .await?
        .pop()
        .ok_or(ApiError::NotFound { what: "inquiry" })
}

async fn page(
    state: &AppState,
    scope: InquiryScope,
    raw: Option<String>,
) -> ApiResult<Json<InquiryPage>> {
    let (limit, before) = page_params(raw)?;
    let mut records = state.store.inquiries(scope, before, limit + 1).await?;
    let more = records.len() > limit as usize;
    records.truncate(limit as usize);
    let next_cursor = more
        .then(|| records.last().map(|r| r.id.to_string()))
        .flatten();
    Ok(Json(InquiryPage {
        items: with_replies(state, records).await?,
        next_cursor,
    }))
}

/// Asks the puppy's organisation about it.
#[utoipa::path(
    post,
    path = "/v1/puppies/{id}/inquiries",
    tag = "inquiries",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Puppy id")),
    request_body = NewInquiry,
    responses(
        (status = 201, description = "Sent", body = Inquiry),
        (status = 400, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such puppy", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Inquiries are switched off (`feature_unavailable`)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_inquiry(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(input): Json<NewInquiry>,
) -> ApiResult<(StatusCode, Json<Inquiry>)> {
    super::flags::require(
        &state,
        crate::flags::INQUIRIES,
        "inquiry form",
        Subject::User(user.id),
    )?;
    let puppy = parse_id("id", &id)?;
    let text = message("message", &input.message)?;
    let inquiry = Uuid::now_v7();
    let created = state
        .store
        .create_inquiry(
            inquiry,
            puppy,
            user.id,
            &text,
            input.contact_preference.as_str(),
            Utc::now(),
        )
        .await?;
    if !created {
        return Err(ApiError::NotFound { what: "puppy" });
    }
    Ok((StatusCode::CREATED, Json(one(&state, inquiry).await?)))
}

/// The signed-in adopter's inquiries with their replies, newest first.
#[utoipa::path(
    get,
    path = "/v1/me/inquiries",
    tag = "inquiries",
    security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, description = "A page of inquiries", body = InquiryPage),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn my_inquiries(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<InquiryPage>> {
    page(&state, InquiryScope::Adopter(user.id), raw).await
}

/// An organisation's inbox, newest first (its staff and admins only).
#[utoipa::path(
    get,
    path = "/v1/organizations/{id}/inquiries",
    tag = "inquiries",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Organisation id"), PageParams),
    responses(
        (status = 200, description = "A page of inquiries", body = InquiryPage),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not this organisation's staff", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn organization_inquiries(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<InquiryPage>> {
    let organization = parse_id("id", &id)?;
    let allowed = user.role == Role::Admin
        || (user.role == Role::Staff && user.organization_id == Some(organization));
    if !allowed {
        return Err(ApiError::Forbidden {
            detail: "Only this organisation's staff may read its inquiries.".into(),
        });
    }
    page(&state, InquiryScope::Organization(organization), raw).await
}

/// One inquiry with its replies.
#[utoipa::path(
    get,
    path = "/v1/inquiries/{id}",
    tag = "inquiries",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Inquiry id")),
    responses(
        (status = 200, description = "The inquiry", body = Inquiry),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such inquiry (or not yours)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_inquiry(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Inquiry>> {
    let id = parse_id("id", &id)?;
    visible_inquiry(&state, &user, id).await?;
    Ok(Json(one(&state, id).await?))
}

/// Replies to an inquiry: staff answers mark it `answered`, the adopter's reopen it.
#[utoipa::path(
    post,
    path = "/v1/inquiries/{id}/replies",
    tag = "inquiries",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Inquiry id")),
    request_body = NewReply,
    responses(
        (status = 201, description = "The inquiry with the new reply", body = Inquiry),
        (status = 400, description = "Invalid message", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such inquiry (or not yours)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn reply(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(input): Json<NewReply>,
) -> ApiResult<(StatusCode, Json<Inquiry>)> {
    let id = parse_id("id", &id)?;
    let (_, party) = visible_inquiry(&state, &user, id).await?;
    let text = message("message", &input.message)?;
    let (role, status) = match party {
        Party::Staff => ("staff", "answered"),
        Party::Adopter => ("adopter", "open"),
    };
    let audit = matches!(party, Party::Staff).then(|| AuditEntry {
        actor_id: Some(user.id),
        channel: "api",
        action: "inquiry.answered",
        target_type: "inquiry",
        target_id: id.to_string(),
        details: serde_json::json!({}),
    });
    state
        .store
        .add_reply(id, user.id, role, &text, status, audit.as_ref(), Utc::now())
        .await?;
    Ok((StatusCode::CREATED, Json(one(&state, id).await?)))
}

/// Closes or reopens an inquiry (staff).
#[utoipa::path(
    put,
    path = "/v1/inquiries/{id}/status",
    tag = "inquiries",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Inquiry id")),
    request_body = SetInquiryStatus,
    responses(
        (status = 200, description = "The inquiry", body = Inquiry),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the organisation's staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such inquiry (or not yours)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn set_status(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(input): Json<SetInquiryStatus>,
) -> ApiResult<Json<Inquiry>> {
    let id = parse_id("id", &id)?;
    let (_, party) = visible_inquiry(&state, &user, id).await?;
    if !matches!(party, Party::Staff) {
        return Err(ApiError::Forbidden {
            detail: "Only the organisation's staff may close or reopen an inquiry.".into(),
        });
    }
    let status = match input.status {
        InquiryStatusChange::Open => "open",
        InquiryStatusChange::Closed => "closed",
    };
    let audit = AuditEntry {
        actor_id: Some(user.id),
        channel: "api",
        action: "inquiry.status_set",
        target_type: "inquiry",
        target_id: id.to_string(),
        details: serde_json::json!({ "status": status }),
    };
    state
        .store
        .set_inquiry_status(id, status, &audit, Utc::now())
        .await?;
    Ok(Json(one(&state, id).await?))
}
