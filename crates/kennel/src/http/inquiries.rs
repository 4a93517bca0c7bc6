//! Inquiries: an adopter asks the organisation about a puppy; the organisation's
//! staff read, answer, assign and close them. Only the adopter, that
//! organisation's staff and admins can see an inquiry; to anyone else it does
//! not exist (404). Admins' reads are written to the audit log.
//!
//! Each thread keeps a read mark per side (the adopter's, and one the
//! organisation's staff share), its latest message's time (both inboxes list
//! newest activity first), an assignee among the organisation's staff, and a
//! version for `If-Match`.

use std::collections::HashMap;

use crate::http::json::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::conditional::if_match_version;
use super::idempotency::{self, json_response};
use super::paging::{PageItem, PageParams};
use super::parse_id;
use super::session::CurrentUser;
use crate::domain::account::Role;
use crate::domain::conversation::{
    excerpt, parse_statuses, AssigneeFilter, ContactPreference, Side, ThreadStatus,
};
use crate::domain::paging::{List, Page, PageRequest};
use crate::error::{ApiError, ApiResult, FieldError, Problem};
use crate::flags::Subject;
use crate::state::AppState;
use crate::store::admin::AuditEntry;
use crate::store::inquiries::{Guarded, InquiryRecord, InquiryScope, ReplyRecord, ThreadFilter};

const MAX_MESSAGE: usize = 2000;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInquiry {
    /// 1 to 2,000 characters (surrounding spaces are dropped); line breaks allowed,
    /// other control characters and bidirectional overrides/isolates not; stored in NFC.
    #[schema(
        max_length = 2000,
        pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*[^\s\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u2060-\u2064\u2800\u3164\uFE00-\uFE0F\uFEFF\uFFA0][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$"
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
        pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*[^\s\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u2060-\u2064\u2800\u3164\uFE00-\uFE0F\uFEFF\uFFA0][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$"
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

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetAssignee {
    /// A staff member of the thread's organisation, or `null` to unassign.
    /// Required: a body without it is refused rather than read as `null`.
    #[schema(value_type = Option<Uuid>, required = true)]
    #[serde(deserialize_with = "present")]
    pub assignee: Option<Uuid>,
}

/// A field that must be present but may be `null` (serde would otherwise read a
/// missing `Option` as `None`).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Uuid>, D::Error> {
    Option::<Uuid>::deserialize(d)
}

/// The staff member a thread is assigned to.
#[derive(Debug, Serialize, ToSchema)]
pub struct Assignee {
    pub id: Uuid,
    pub display_name: String,
}

/// The latest message of a thread (the inquiry itself until someone replies).
#[derive(Debug, Serialize, ToSchema)]
pub struct LastMessage {
    pub author_role: Side,
    /// Its first 140 characters, with `…` when cut.
    pub excerpt: String,
    pub at: DateTime<Utc>,
}

/// What the caller has not read yet.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnreadCounts {
    /// Threads with at least one unread message.
    pub threads: i64,
    pub messages: i64,
}

/// The organisation a thread is with.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationName {
    pub id: Uuid,
    pub name: String,
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
    pub author_role: Side,
    pub message: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Inquiry {
    pub id: Uuid,
    pub puppy: PuppyName,
    /// The same as `organization.id`.
    pub organization_id: Uuid,
    pub organization: OrganizationName,
    pub adopter: Option<Adopter>,
    pub message: String,
    pub contact_preference: ContactPreference,
    pub status: ThreadStatus,
    pub created_at: DateTime<Utc>,
    /// Oldest first.
    pub replies: Vec<Reply>,
    pub last_message: LastMessage,
    /// Messages from the other side the caller's side has not read (for staff
    /// and admins: the organisation's side).
    pub unread_count: i64,
    pub assignee: Option<Assignee>,
    /// Bumped by every message, status change and assignment; the `ETag` holds it.
    pub version: i64,
}

/// A page of a thread list, newest activity first.
pub type InquiryPage = Page<Inquiry>;

impl PageItem for Inquiry {
    const PAGE_SCHEMA: &'static str = "InquiryPage";
}

/// Paging and filters of an organisation's inbox.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct InboxParams {
    /// Page size, 1 to 100 (default 20).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page (opaque; only this list takes it).
    #[param(value_type = Option<String>)]
    pub cursor: Option<String>,
    /// Only these statuses: a comma-separated list of `open`, `answered`, `closed`.
    #[param(value_type = Option<String>, example = "open,answered")]
    pub status: Option<String>,
    /// `me`, `none` (unassigned) or a staff member's user id.
    #[param(value_type = Option<String>, example = "me")]
    pub assignee: Option<String>,
}

/// A thread list's page size, cursor and (for the inbox) filters.
struct ThreadQuery {
    page: PageRequest,
    filter: ThreadFilter,
}

fn thread_query(raw: Option<String>, me: Uuid, inbox: bool) -> ApiResult<ThreadQuery> {
    fn unparsable(e: impl std::fmt::Display) -> ApiError {
        ApiError::Validation(vec![FieldError::new("query", e.to_string())])
    }
    let raw = raw.unwrap_or_default();
    let params = if inbox {
        serde_html_form::from_str::<InboxParams>(&raw).map_err(unparsable)?
    } else {
        let p = serde_html_form::from_str::<PageParams>(&raw).map_err(unparsable)?;
        InboxParams {
            limit: p.limit,
            cursor: p.cursor,
            ..InboxParams::default()
        }
    };
    let mut errors = Vec::new();
    let page = PageRequest::parse(
        params.limit.as_deref(),
        params.cursor.as_deref(),
        List::Threads,
        &mut errors,
    );
    let statuses = params
        .status
        .as_deref()
        .map(parse_statuses)
        .transpose()
        .unwrap_or_else(|e| {
            errors.push(e);
            None
        })
        .unwrap_or_default();
    let assignee = params
        .assignee
        .as_deref()
        .filter(|a| !a.trim().is_empty())
        .and_then(|a| {
            AssigneeFilter::parse(a, me)
                .map_err(|e| errors.push(e))
                .ok()
        });
    if !errors.is_empty() {
        return Err(errors.into());
    }
    Ok(ThreadQuery {
        page,
        filter: ThreadFilter { statuses, assignee },
    })
}

fn message(field: &str, raw: &str) -> ApiResult<String> {
    crate::domain::text::clean(raw, MAX_MESSAGE, crate::domain::text::Lines::Many)
        .map_err(|message| ApiError::field(field, message))
}

/// How the caller relates to an inquiry, if they may see it at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Party {
    Adopter,
    Staff,
    /// Sees and acts as the organisation's side, audited, and keeps no read mark.
    Admin,
}

impl Party {
    /// The side whose view (unread count) the caller gets.
    fn side(self) -> Side {
        match self {
            Party::Adopter => Side::Adopter,
            Party::Staff | Party::Admin => Side::Staff,
        }
    }
}

fn party(user: &CurrentUser, inquiry: &InquiryRecord) -> Option<Party> {
    if user.role == Role::Admin {
        Some(Party::Admin)
    } else if user.role == Role::Staff && user.organization_id == Some(inquiry.organization_id) {
        Some(Party::Staff)
    } else if inquiry.user_id == Some(user.id) {
        Some(Party::Adopter)
    } else {
        None
    }
}

/// Writes an admin's read of private conversations to the audit log.
async fn audit_admin_read(
    state: &AppState,
    user: &CurrentUser,
    action: &'static str,
    target_type: &'static str,
    target: Uuid,
) -> ApiResult<()> {
    if user.role != Role::Admin {
        return Ok(());
    }
    let entry = AuditEntry {
        actor_id: Some(user.id),
        channel: "api",
        action,
        target_type,
        target_id: target.to_string(),
        details: serde_json::json!({}),
    };
    state.store.record_audit(&entry, Utc::now()).await?;
    Ok(())
}

/// Messages of the thread from the other side after `side`'s read mark.
fn unread_count(record: &InquiryRecord, replies: &[ReplyRecord], side: Side) -> i64 {
    let read_at = record.read_at(side);
    let unread = |author: Side, at: DateTime<Utc>| {
        author == side.other() && read_at.is_none_or(|read| at > read)
    };
    let first = i64::from(unread(Side::Adopter, record.created_at));
    first
        + replies
            .iter()
            .filter(|r| unread(r.author_role, r.created_at))
            .count() as i64
}

async fn with_replies(
    state: &AppState,
    records: Vec<InquiryRecord>,
    side: Side,
) -> ApiResult<Vec<Inquiry>> {
    let ids: Vec<Uuid> = records.iter().map(|r| r.id).collect();
    let mut replies: HashMap<Uuid, Vec<ReplyRecord>> = HashMap::new();
    for reply in state.store.replies(&ids).await? {
        replies.entry(reply.inquiry_id).or_default().push(reply);
    }
    Ok(records
        .into_iter()
        .map(|r| {
            let thread = replies.remove(&r.id).unwrap_or_default();
            let unread_count = unread_count(&r, &thread, side);
            let last_message = match thread.last() {
                Some(reply) => LastMessage {
                    author_role: reply.author_role,
                    excerpt: excerpt(&reply.message),
                    at: reply.created_at,
                },
                None => LastMessage {
                    author_role: Side::Adopter,
                    excerpt: excerpt(&r.message),
                    at: r.created_at,
                },
            };
            Inquiry {
                replies: thread
                    .into_iter()
                    .map(|reply| Reply {
                        id: reply.id,
                        author_role: reply.author_role,
                        message: reply.message,
                        created_at: reply.created_at,
                    })
                    .collect(),
                last_message,
                unread_count,
                assignee: match (r.assignee_id, r.assignee_name) {
                    (Some(id), Some(display_name)) => Some(Assignee { id, display_name }),
                    _ => None,
                },
                version: r.version,
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
                organization: OrganizationName {
                    id: r.organization_id,
                    name: r.organization_name,
                },
                message: r.message,
                contact_preference: r.contact_preference,
                status: r.status,
                created_at: r.created_at,
            }
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

async fn one(state: &AppState, id: Uuid, side: Side) -> ApiResult<Inquiry> {
    let record = state
        .store
        .inquiry(id)
        .await?
        .ok_or(ApiError::NotFound { what: "inquiry" })?;
    with_replies(state, vec![record], side)
        .await?
        .pop()
        .ok_or(ApiError::NotFound { what: "inquiry" })
}

/// The thread as JSON, its status and version (for the `ETag`).
async fn encoded_one(
    state: &AppState,
    id: Uuid,
    side: Side,
    status: StatusCode,
) -> ApiResult<(StatusCode, Vec<u8>, Option<i64>)> {
    let inquiry = one(state, id, side).await?;
    let body = serde_json::to_vec(&inquiry).map_err(ApiError::internal)?;
    Ok((status, body, Some(inquiry.version)))
}

async fn respond_one(
    state: &AppState,
    id: Uuid,
    side: Side,
    status: StatusCode,
) -> ApiResult<Response> {
    let (status, body, version) = encoded_one(state, id, side, status).await?;
    Ok(json_response(status, body, version))
}

async fn page(
    state: &AppState,
    scope: InquiryScope,
    side: Side,
    query: ThreadQuery,
) -> ApiResult<Json<InquiryPage>> {
    let Page { items, next_cursor } = state
        .store
        .inquiries(scope, &query.filter, &query.page)
        .await?;
    Ok(Json(Page {
        items: with_replies(state, items, side).await?,
        next_cursor,
    }))
}

/// Asks the puppy's organisation about it (an account with a confirmed address
/// only). With `Idempotency-Key`, a retry of the same request within 24 hours
/// answers as the first did and sends nothing.
#[utoipa::path(
    post,
    path = "/v1/puppies/{id}/inquiries",
    tag = "inquiries",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Puppy id"),
        ("Idempotency-Key" = Option<String>, Header, nullable = false, pattern = r"^[!-~]{1,255}$", description = "1 to 255 visible ASCII characters (a fresh UUID per message): a retry with the same key and body replays the first answer"),
    ),
    request_body = NewInquiry,
    responses(
        (status = 201, description = "Sent (or, with `Idempotent-Replayed: true`, sent before)", body = Inquiry, headers(
            ("ETag" = String, description = "The thread's version, for `If-Match`"),
            ("Idempotent-Replayed" = String, description = "`true` when this answers an earlier request with the same `Idempotency-Key`"),
        )),
        (status = 400, description = "Invalid fields or Idempotency-Key", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The account's address is not confirmed yet (`email_unverified`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such puppy", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A request with this Idempotency-Key is still running (`request_in_progress`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The Idempotency-Key was used for a different request (`idempotency_key_reused`)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Inquiries are switched off (`feature_unavailable`)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_inquiry(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(input): Json<NewInquiry>,
) -> ApiResult<Response> {
    super::feature_gate::require(
        &state,
        crate::flags::INQUIRIES,
        "inquiry form",
        Subject::User(user.id),
    )?;
    user.require_verified_email()?;
    let puppy = parse_id("id", &id)?;
    let key = idempotency::key(&headers)?;
    let text = message("message", &input.message)?;
    let fingerprint = serde_json::json!({
        "route": "create_inquiry",
        "puppy": puppy,
        "message": input.message,
        "contact_preference": input.contact_preference.as_str(),
    });
    idempotency::once(&state, user.id, key, fingerprint, || async {
        let inquiry = Uuid::now_v7();
        let created = state
            .store
            .create_inquiry(
                inquiry,
                puppy,
                user.id,
                &text,
                input.contact_preference.as_str(),
                crate::mail::conversation_mail(&state.config.mail),
                Utc::now(),
            )
            .await?;
        if !created {
            return Err(ApiError::NotFound { what: "puppy" });
        }
        state.outbox.nudge();
        encoded_one(&state, inquiry, Side::Adopter, StatusCode::CREATED).await
    })
    .await
}

/// The signed-in adopter's inquiries with their replies, newest activity first.
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
    let query = thread_query(raw, user.id, false)?;
    page(&state, InquiryScope::Adopter(user.id), Side::Adopter, query).await
}

/// An organisation's inbox, newest activity first (its staff and admins only;
/// admins' reads are audited).
#[utoipa::path(
    get,
    path = "/v1/organizations/{id}/inquiries",
    tag = "inquiries",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Organisation id"), InboxParams),
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
    let query = thread_query(raw, user.id, true)?;
    audit_admin_read(
        &state,
        &user,
        "inquiry.inbox_read",
        "organization",
        organization,
    )
    .await?;
    page(
        &state,
        InquiryScope::Organization(organization),
        Side::Staff,
        query,
    )
    .await
}

/// One inquiry with its replies (admins' reads are audited).
#[utoipa::path(
    get,
    path = "/v1/inquiries/{id}",
    tag = "inquiries",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Inquiry id")),
    responses(
        (status = 200, description = "The inquiry", body = Inquiry, headers(
            ("ETag" = String, description = "The thread's version, for `If-Match`"),
        )),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such inquiry (or not yours)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_inquiry(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let id = parse_id("id", &id)?;
    let (_, party) = visible_inquiry(&state, &user, id).await?;
    audit_admin_read(&state, &user, "inquiry.read", "inquiry", id).await?;
    respond_one(&state, id, party.side(), StatusCode::OK).await
}

/// Replies to an inquiry: staff answers mark it `answered`, the adopter's reopen
/// it (a closed one too); the writer's address must be confirmed. The writer's
/// side has then read the thread. With
/// `Idempotency-Key`, a retry of the same reply within 24 hours answers as the
/// first did and sends nothing.
#[utoipa::path(
    post,
    path = "/v1/inquiries/{id}/replies",
    tag = "inquiries",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Inquiry id"),
        ("Idempotency-Key" = Option<String>, Header, nullable = false, pattern = r"^[!-~]{1,255}$", description = "1 to 255 visible ASCII characters (a fresh UUID per message): a retry with the same key and body replays the first answer"),
    ),
    request_body = NewReply,
    responses(
        (status = 201, description = "The inquiry with the new reply (or, with `Idempotent-Replayed: true`, as first answered)", body = Inquiry, headers(
            ("ETag" = String, description = "The thread's version, for `If-Match`"),
            ("Idempotent-Replayed" = String, description = "`true` when this answers an earlier request with the same `Idempotency-Key`"),
        )),
        (status = 400, description = "Invalid message or Idempotency-Key", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The account's address is not confirmed yet (`email_unverified`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such inquiry (or not yours)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A request with this Idempotency-Key is still running (`request_in_progress`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The Idempotency-Key was used for a different request (`idempotency_key_reused`)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn reply(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(input): Json<NewReply>,
) -> ApiResult<Response> {
    let id = parse_id("id", &id)?;
    let (_, party) = visible_inquiry(&state, &user, id).await?;
    user.require_verified_email()?;
    let key = idempotency::key(&headers)?;
    let text = message("message", &input.message)?;
    let (role, status) = match party.side() {
        Side::Staff => ("staff", "answered"),
        Side::Adopter => ("adopter", "open"),
    };
    let audit = (party != Party::Adopter).then(|| AuditEntry {
        actor_id: Some(user.id),
        channel: "api",
        action: "inquiry.answered",
        target_type: "inquiry",
        target_id: id.to_string(),
        details: serde_json::json!({}),
    });
    // Admins write for the organisation without marking its copy read.
    let reader = (party != Party::Admin).then(|| party.side());
    let fingerprint = serde_json::json!({
        "route": "reply",
        "inquiry": id,
        "message": input.message,
    });
    idempotency::once(&state, user.id, key, fingerprint, || async {
        state
            .store
            .add_reply(
                id,
                user.id,
                role,
                &text,
                status,
                reader,
                audit.as_ref(),
                (
                    party.side().other(),
                    crate::mail::conversation_mail(&state.config.mail),
                ),
                Utc::now(),
            )
            .await?;
        state.outbox.nudge();
        encoded_one(&state, id, party.side(), StatusCode::CREATED).await
    })
    .await
}

/// Closes or reopens an inquiry (staff). With `If-Match`, only if the thread
/// is still at that version.
#[utoipa::path(
    put,
    path = "/v1/inquiries/{id}/status",
    tag = "inquiries",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Inquiry id"),
        ("If-Match" = Option<String>, Header, nullable = false, description = "The ETag from GET /v1/inquiries/{id}: refuse (412) if the thread changed since"),
    ),
    request_body = SetInquiryStatus,
    responses(
        (status = 200, description = "The inquiry", body = Inquiry, headers(
            ("ETag" = String, description = "The thread's new version"),
        )),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the organisation's staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such inquiry (or not yours)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since the ETag in If-Match", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn set_status(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(input): Json<SetInquiryStatus>,
) -> ApiResult<Response> {
    let id = parse_id("id", &id)?;
    let (_, party) = visible_inquiry(&state, &user, id).await?;
    if party == Party::Adopter {
        return Err(ApiError::Forbidden {
            detail: "Only the organisation's staff may close or reopen an inquiry.".into(),
        });
    }
    let expected = if_match_version(&headers, "GET /v1/inquiries/{id}")?;
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
    let outcome = state
        .store
        .set_inquiry_status(id, status, expected, &audit, Utc::now())
        .await?;
    if outcome == Guarded::Stale {
        return Err(ApiError::PreconditionFailed);
    }
    respond_one(&state, id, party.side(), StatusCode::OK).await
}

/// Assigns the thread to one of the organisation's staff, or to nobody (its
/// staff and admins). Needs `If-Match` with the thread's `ETag`.
#[utoipa::path(
    put,
    path = "/v1/inquiries/{id}/assignee",
    tag = "inquiries",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Inquiry id"),
        ("If-Match" = String, Header, description = "The ETag from GET /v1/inquiries/{id}"),
    ),
    request_body = SetAssignee,
    responses(
        (status = 200, description = "The inquiry", body = Inquiry, headers(
            ("ETag" = String, description = "The thread's new version"),
        )),
        (status = 400, description = "Not a staff member of this organisation, or a malformed If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the organisation's staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such inquiry (or not yours)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since the ETag in If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn set_assignee(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(input): Json<SetAssignee>,
) -> ApiResult<Response> {
    let id = parse_id("id", &id)?;
    let (record, party) = visible_inquiry(&state, &user, id).await?;
    if party == Party::Adopter {
        return Err(ApiError::Forbidden {
            detail: "Only the organisation's staff may assign an inquiry.".into(),
        });
    }
    let expected = if_match_version(&headers, "GET /v1/inquiries/{id}")?
        .ok_or(ApiError::PreconditionRequired)?;
    if let Some(assignee) = input.assignee {
        if state
            .store
            .staff_member(record.organization_id, assignee)
            .await?
            .is_none()
        {
            return Err(ApiError::field(
                "assignee",
                "is not a staff member of this inquiry's organisation",
            ));
        }
    }
    let audit = AuditEntry {
        actor_id: Some(user.id),
        channel: "api",
        action: "inquiry.assigned",
        target_type: "inquiry",
        target_id: id.to_string(),
        details: serde_json::json!({ "assignee": input.assignee, "from_version": expected }),
    };
    let outcome = state
        .store
        .assign_inquiry(id, input.assignee, expected, &audit, Utc::now())
        .await?;
    if outcome == Guarded::Stale {
        return Err(ApiError::PreconditionFailed);
    }
    respond_one(&state, id, party.side(), StatusCode::OK).await
}

/// Marks the thread read for the caller's side: the adopter, or the
/// organisation's staff (shared by all of them). Admins keep no read mark.
#[utoipa::path(
    post,
    path = "/v1/inquiries/{id}/read",
    tag = "inquiries",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Inquiry id")),
    responses(
        (status = 204, description = "Marked read"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Admins keep no read mark", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such inquiry (or not yours)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn mark_read(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = parse_id("id", &id)?;
    let (_, party) = visible_inquiry(&state, &user, id).await?;
    if party == Party::Admin {
        return Err(ApiError::Forbidden {
            detail: "Read marks belong to the adopter and the organisation's staff; \
                     admins read without marking."
                .into(),
        });
    }
    state.store.mark_read(id, party.side(), Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What the caller has not read: staff replies in their own inquiries and, for
/// staff, adopters' messages in their organisation's inbox.
#[utoipa::path(
    get,
    path = "/v1/me/unread",
    tag = "inquiries",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Unread threads and messages", body = UnreadCounts),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn my_unread(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<Json<UnreadCounts>> {
    let organization = match user.role {
        Role::Staff => user.organization_id,
        _ => None,
    };
    let unread = state.store.unread(user.id, organization).await?;
    Ok(Json(UnreadCounts {
        threads: unread.threads,
        messages: unread.messages,
    }))
}
