//! The OpenAPI document, generated from the handlers and types. The committed copy
//! (`openapi.json` at the repository root) is checked against it by a test.

use axum::http::header;
use axum::response::IntoResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{
    accounts, admin, assistant, catalog, favorites, flags, health, inquiries, listings,
    photo_uploads, photos, puppies,
};
use crate::domain::browse::Sort;
use crate::domain::puppy::GoodWith;
use crate::error::{FieldError, Problem};

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
        favorites::add_favorite,
        favorites::remove_favorite,
        favorites::list_favorites,
        inquiries::create_inquiry,
        inquiries::my_inquiries,
        inquiries::organization_inquiries,
        inquiries::get_inquiry,
        inquiries::reply,
        inquiries::set_status,
        admin::list_users,
        admin::set_role,
        admin::audit_log,
        flags::list_flags,
        flags::update_flag,
        flags::client_config,
        assistant::ask,
        health::healthz,
        health::readyz,
    ),
    components(schemas(Problem, FieldError, Sort, GoodWith)),
    modifiers(&BearerAuth),
    tags(
        (name = "browse", description = "Public catalogue"),
        (name = "accounts", description = "Sign-up, sign-in and the own account"),
        (name = "listings", description = "Organisation staff manage their puppies"),
        (name = "inquiries", description = "Adopters ask organisations about a puppy"),
        (name = "assistant", description = "Ask about a puppy, its breed, adoption or puppy care"),
        (name = "admin", description = "Users, roles and the audit log (administrators)"),
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
