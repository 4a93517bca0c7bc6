//! The OpenAPI document, generated from the handlers and types. The committed copy
//! (`openapi.json` at the repository root) is checked against it by a test.

use axum::http::header;
use axum::response::IntoResponse;
use utoipa::OpenApi;

use super::{catalog, health, photos, puppies};
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
        catalog::list_breeds,
        catalog::get_organization,
        photos::get_photo_variant,
        health::healthz,
        health::readyz,
    ),
    components(schemas(Problem, FieldError)),
    tags(
        (name = "browse", description = "Public catalogue"),
        (name = "operations", description = "Probes"),
    )
)]
pub struct ApiDoc;

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
