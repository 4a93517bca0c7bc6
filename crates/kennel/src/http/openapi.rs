//! The OpenAPI document, generated from the handlers and types. The committed copy
//! (`openapi.json` at the repository root) is checked against it by a test.

use axum::http::header;
use axum::response::IntoResponse;
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, ParameterIn, PathItem};
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Object, Ref, RefOr, Required, Type};
use utoipa::{Modify, OpenApi};

use super::DEFAULT_BODY_LIMIT;
use super::{
    account_email, accounts, admin, admin_outbox, assistant, catalog, favorites, flags, health,
    inquiries, listings, photo_uploads, photos, puppies, push_tokens, saved_searches, unsubscribe,
};
use crate::domain::browse::Sort;
use crate::domain::puppy::GoodWith;
use crate::error::{FieldError, Problem, PROBLEM_CONTENT_TYPE};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Kennel API",
        description = "Browse puppies up for adoption near you. Errors are RFC 9457 problem \
            details (`application/problem+json`) with a stable `code` and the `request_id`.",
    ),
    servers(
        (url = "http://localhost:3000", description = "local"),
        (url = "https://staging-api.example.com", description = "staging"),
        (url = "https://api.example.com", description = "production"),
    ),
    paths(
        puppies::list_puppies,
        puppies::get_puppy,
        listings::create_puppy,
        listings::update_puppy,
        listings::delete_puppy,
        photo_uploads::upload_photos,
        photo_uploads::reorder_photos,
        photo_uploads::delete_photo,
        catalog::list_breeds,
        catalog::get_organization,
        photos::get_photo_variant,
        accounts::register,
        accounts::login,
        accounts::logout,
        accounts::get_me,
        accounts::update_me,
        accounts::delete_me,
        account_email::request_password_reset,
        account_email::confirm_password_reset,
        account_email::verify_email,
        account_email::resend_verification,
        account_email::confirm_email_change,
        unsubscribe::unsubscribe_page,
        unsubscribe::unsubscribe,
        favorites::add_favorite,
        favorites::remove_favorite,
        favorites::list_favorites,
        inquiries::create_inquiry,
        inquiries::my_inquiries,
        inquiries::organization_inquiries,
        inquiries::get_inquiry,
        inquiries::reply,
        inquiries::set_status,
        inquiries::set_assignee,
        inquiries::mark_read,
        inquiries::my_unread,
        admin::list_users,
        admin::set_role,
        admin::audit_log,
        saved_searches::list_saved_searches,
        saved_searches::create_saved_search,
        saved_searches::update_saved_search,
        saved_searches::delete_saved_search,
        saved_searches::open_saved_search,
        push_tokens::register_push_token,
        push_tokens::list_push_tokens,
        push_tokens::delete_push_token,
        admin_outbox::outbox,
        admin_outbox::retry,
        flags::list_flags,
        flags::update_flag,
        flags::client_config,
        assistant::ask,
        health::healthz,
        health::readyz,
    ),
    components(schemas(Problem, FieldError, Sort, GoodWith)),
    modifiers(&BearerAuth, &CommonResponses, &EmptyQueryValues),
    tags(
        (name = "browse", description = "Public catalogue"),
        (name = "accounts", description = "Sign-up, sign-in and the own account"),
        (name = "listings", description = "Organisation staff manage their puppies"),
        (name = "inquiries", description = "Adopters ask organisations about a puppy"),
        (name = "saved searches", description = "Adopters keep browse filters under a name and come back to them"),
        (name = "notifications", description = "Devices that receive push notifications of new matches"),
        (name = "assistant", description = "Ask about a puppy, its breed, adoption or puppy care"),
        (name = "admin", description = "Users, roles, the audit log and account email (administrators)"),
        (name = "operations", description = "Probes"),
    )
)]
pub struct ApiDoc;

/// Declares the `bearer` scheme: opaque session tokens from `/v1/auth/login`.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "Session token from /v1/auth/register or /v1/auth/login",
                    ))
                    .build(),
            ),
        );
    }
}

/// The error responses that do not depend on the handler, declared once under
/// `components/responses` and referenced from every operation where they can
/// occur (unless the operation documents that status itself):
///
/// - a JSON body: 400 (it does not parse, or lacks the documented shape, with the
///   fields at fault; `http::json`), 413 (over the body limit) and 415 (not
///   `application/json`);
/// - a UUID in the path: 400 when it is not one (`parse_id`); query parameters:
///   400 when one is invalid or unknown;
/// - a bearer token required: 401;
/// - everything under `/v1`: 429 from the rate limiter (photo variants are not
///   limited) and 503 from load shedding, the request budget, the schema gate or
///   an unreachable database.
struct CommonResponses;

const PHOTO_VARIANT_PATH: &str = "/v1/photos/{id}/{variant}";

fn problem_response(description: &str, retry_after: bool) -> Response {
    let mut response = ResponseBuilder::new().description(description).content(
        PROBLEM_CONTENT_TYPE,
        ContentBuilder::new()
            .schema(Some(Ref::from_schema_name("Problem")))
            .build(),
    );
    if retry_after {
        response = response.header(
            "Retry-After",
            HeaderBuilder::new()
                .schema(Object::with_type(Type::Integer))
                .description(Some("Seconds to wait before retrying"))
                .build(),
        );
    }
    response.build()
}

fn common_responses() -> Vec<(&'static str, Response)> {
    vec![
        (
            "BadRequest",
            problem_response(
                "Invalid fields, path ids or query parameters, or a JSON body that does not \
                 parse or lacks the documented shape (`validation_failed`, each field at \
                 fault in `errors`; `body` for the document as a whole)",
                false,
            ),
        ),
        (
            "Unauthorized",
            problem_response("Not signed in, or the session ended", false),
        ),
        (
            "PayloadTooLarge",
            problem_response(
                &format!(
                    "The body is over {} KiB (`payload_too_large`)",
                    DEFAULT_BODY_LIMIT / 1024
                ),
                false,
            ),
        ),
        (
            "UnsupportedMediaType",
            problem_response(
                "The body is not `application/json` (`unsupported_media_type`)",
                false,
            ),
        ),
        (
            "TooManyRequests",
            problem_response(
                "Over the rate limit (`rate_limited`); retry after `Retry-After` seconds",
                true,
            ),
        ),
        (
            "Unavailable",
            problem_response(
                "The server is busy (`overloaded`), the request took too long (`timeout`), \
                 the database is unavailable (`database_unavailable`) or this instance \
                 cannot serve yet (`schema_outdated`); retry after `Retry-After` seconds",
                true,
            ),
        ),
    ]
}

/// Whether any path parameter of the operation is a UUID.
fn has_id_in_path(operation: &Operation) -> bool {
    operation.parameters.iter().flatten().any(|p| {
        p.parameter_in == ParameterIn::Path
            && p.schema.as_ref().is_some_and(|schema| {
                serde_json::to_value(schema).is_ok_and(|v| v["format"] == "uuid")
            })
    })
}

/// Whether the operation takes query parameters (each list checks its own).
fn has_query(operation: &Operation) -> bool {
    operation
        .parameters
        .iter()
        .flatten()
        .any(|p| p.parameter_in == ParameterIn::Query)
}

/// Whether the operation cannot be called without a bearer token.
fn requires_sign_in(operation: &Operation) -> bool {
    let Some(security) = &operation.security else {
        return false;
    };
    let alternatives = serde_json::to_value(security).unwrap_or_default();
    let alternatives = alternatives.as_array().cloned().unwrap_or_default();
    !alternatives.is_empty()
        && alternatives
            .iter()
            .all(|a| a.as_object().is_some_and(|o| !o.is_empty()))
}

/// The operations of a path the API serves (it has no HEAD, OPTIONS or TRACE handlers).
fn operations_mut(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.patch,
    ]
    .into_iter()
    .flatten()
}

impl Modify for CommonResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for (name, response) in common_responses() {
            components
                .responses
                .insert(name.to_string(), RefOr::T(response));
        }
        for (path, item) in openapi.paths.paths.iter_mut() {
            for operation in operations_mut(item) {
                let json_body = operation
                    .request_body
                    .as_ref()
                    .is_some_and(|body| body.content.contains_key("application/json"));
                let mut add = Vec::new();
                if json_body {
                    add.extend([
                        ("400", "BadRequest"),
                        ("413", "PayloadTooLarge"),
                        ("415", "UnsupportedMediaType"),
                    ]);
                }
                if has_id_in_path(operation) || has_query(operation) {
                    add.push(("400", "BadRequest"));
                }
                if requires_sign_in(operation) {
                    add.push(("401", "Unauthorized"));
                }
                if path.starts_with("/v1/") {
                    if path != PHOTO_VARIANT_PATH {
                        add.push(("429", "TooManyRequests"));
                    }
                    add.push(("503", "Unavailable"));
                }
                let responses = &mut operation.responses.responses;
                for (status, name) in add {
                    responses.entry(status.to_string()).or_insert_with(|| {
                        RefOr::Ref(Ref::new(format!("#/components/responses/{name}")))
                    });
                }
            }
        }
    }
}

/// `?name=` means the same as leaving `name` out, for every optional query
/// parameter (the list parsers read an empty value as absent, as HTML forms
/// send it). The document says so with `allowEmptyValue`, which utoipa does not
/// model, so it is written as a raw field of the parameter.
struct EmptyQueryValues;

impl Modify for EmptyQueryValues {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            for operation in operations_mut(item) {
                for parameter in operation.parameters.iter_mut().flatten() {
                    if parameter.parameter_in == ParameterIn::Query
                        && parameter.required == Required::False
                    {
                        parameter
                            .extensions
                            .get_or_insert_with(Default::default)
                            .insert("allowEmptyValue".to_string(), true.into());
                    }
                }
            }
        }
    }
}

/// The document as pretty JSON, exactly as committed.
pub fn document() -> String {
    let mut json = ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|_| "{}".to_string());
    json.push('\n');
    json
}

pub async fn openapi_json() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], document())
}
