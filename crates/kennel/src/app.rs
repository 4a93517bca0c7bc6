//! The application: the router and its layers (`state` holds what they share).

use std::any::Any;
use std::convert::Infallible;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post, put};
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;

use crate::config::{Config, CorsOrigins};
use crate::error::Problem;
use crate::error_tracking;
use crate::http::protection;
use crate::http::schema_gate::schema_gate;
use crate::http::{
    account_email, accounts, admin, admin_outbox, assistant, catalog, favorites, flags, health,
    idempotency, inquiries, listings, observability, openapi, photo_uploads, photos, puppies,
    push_tokens, saved_searches, session, unsubscribe, DEFAULT_BODY_LIMIT,
};
use crate::photos::upload::UPLOAD_BODY_LIMIT;
use crate::state::AppState;

/// Smaller response bodies are sent uncompressed: they fit in a packet or two
/// anyway, and compressing them costs more than it saves.
pub const COMPRESS_MIN_BYTES: u16 = 1024;

/// Browsers may call the API from the allowed origins, with credentials (the
/// web app's session cookie). `CORS_ORIGINS` unset (local only) allows any
/// origin; the cookie is `SameSite=Strict`, so other sites' pages still do
/// not send it.
fn cors(config: &Config) -> CorsLayer {
    let origin = match &config.cors_origins {
        CorsOrigins::Any => AllowOrigin::mirror_request(),
        CorsOrigins::List(list) => AllowOrigin::list(list.iter().filter_map(|o| o.parse().ok())),
    };
    CorsLayer::new()
        .allow_origin(origin)
        .allow_credentials(true)
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            header::IF_NONE_MATCH,
            idempotency::IDEMPOTENCY_KEY,
            HeaderName::from_static("x-request-id"),
            HeaderName::from_static("x-device-id"),
            session::CLIENT_HEADER,
        ])
        .expose_headers([
            header::ETAG,
            header::RETRY_AFTER,
            idempotency::IDEMPOTENT_REPLAYED,
            HeaderName::from_static("x-request-id"),
        ])
}

/// A panicking handler becomes an opaque 500 problem; the panic is logged.
fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(non-string panic)");
    tracing::error!(panic = message, "handler panicked");
    let mut response = Problem::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal_error",
        "Internal server error",
        Some("Something went wrong on our side. It has been logged.".into()),
    )
    .into_response_with(None);
    // The panic hook already sent the panic, with its own stack, to error
    // tracking: the 500 it became is not a second issue.
    response.extensions_mut().insert(error_tracking::Reported);
    response
}

async fn route_not_found() -> impl IntoResponse {
    StatusCode::NOT_FOUND
}

/// A response that does not say how it may be cached is not cached: errors,
/// everything signed-in, writes, probes. Only the public catalogue and photo
/// variants set their own `Cache-Control`.
async fn no_store_unless_set(mut response: Response) -> Response {
    if !response.headers().contains_key(header::CACHE_CONTROL) {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// The full router with every layer, ready to serve.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route(
            "/v1/puppies",
            get(puppies::list_puppies).post(listings::create_puppy),
        )
        .route(
            "/v1/puppies/{id}",
            get(puppies::get_puppy)
                .patch(listings::update_puppy)
                .delete(listings::delete_puppy),
        )
        .route("/v1/breeds", get(catalog::list_breeds))
        .route("/v1/organizations/{id}", get(catalog::get_organization))
        .route("/v1/photos/{id}/{variant}", get(photos::get_photo_variant))
        .route("/v1/auth/register", post(accounts::register))
        .route("/v1/auth/login", post(accounts::login))
        .route("/v1/auth/logout", post(accounts::logout))
        .route(
            "/v1/auth/password-reset",
            post(account_email::request_password_reset),
        )
        .route(
            "/v1/auth/password-reset/confirm",
            post(account_email::confirm_password_reset),
        )
        .route("/v1/auth/verify-email", post(account_email::verify_email))
        .route(
            "/v1/auth/email-change/confirm",
            post(account_email::confirm_email_change),
        )
        .route(
            "/v1/me/verification-email",
            post(account_email::resend_verification),
        )
        .route(
            "/v1/email/unsubscribe",
            get(unsubscribe::unsubscribe_page).post(unsubscribe::unsubscribe),
        )
        .route(
            "/v1/me",
            get(accounts::get_me)
                .patch(accounts::update_me)
                .delete(accounts::delete_me),
        )
        .route("/v1/me/favorites", get(favorites::list_favorites))
        .route(
            "/v1/me/saved-searches",
            get(saved_searches::list_saved_searches).post(saved_searches::create_saved_search),
        )
        .route(
            "/v1/me/saved-searches/{id}",
            patch(saved_searches::update_saved_search).delete(saved_searches::delete_saved_search),
        )
        .route(
            "/v1/me/saved-searches/{id}/open",
            post(saved_searches::open_saved_search),
        )
        .route(
            "/v1/me/push-tokens",
            get(push_tokens::list_push_tokens).post(push_tokens::register_push_token),
        )
        .route(
            "/v1/me/push-tokens/{token}",
            delete(push_tokens::delete_push_token),
        )
        .route(
            "/v1/puppies/{id}/inquiries",
            post(inquiries::create_inquiry),
        )
        .route("/v1/me/inquiries", get(inquiries::my_inquiries))
        .route(
            "/v1/organizations/{id}/inquiries",
            get(inquiries::organization_inquiries),
        )
        .route("/v1/inquiries/{id}", get(inquiries::get_inquiry))
        .route("/v1/inquiries/{id}/replies", post(inquiries::reply))
        .route("/v1/inquiries/{id}/status", put(inquiries::set_status))
        .route("/v1/inquiries/{id}/assignee", put(inquiries::set_assignee))
        .route("/v1/inquiries/{id}/read", post(inquiries::mark_read))
        .route("/v1/me/unread", get(inquiries::my_unread))
        .route("/v1/admin/users", get(admin::list_users))
        .route("/v1/admin/users/{id}/role", put(admin::set_role))
        .route("/v1/admin/audit-log", get(admin::audit_log))
        .route("/v1/admin/outbox", get(admin_outbox::outbox))
        .route("/v1/admin/outbox/{id}/retry", post(admin_outbox::retry))
        .route("/v1/admin/flags", get(flags::list_flags))
        .route("/v1/admin/flags/{key}", patch(flags::update_flag))
        .route("/v1/config", get(flags::client_config))
        .route("/v1/assistant/messages", post(assistant::ask))
        .route(
            "/v1/me/favorites/{puppy_id}",
            put(favorites::add_favorite).delete(favorites::remove_favorite),
        )
        .route(
            "/v1/puppies/{id}/photos/order",
            put(photo_uploads::reorder_photos),
        )
        .route(
            "/v1/puppies/{id}/photos/{photo_id}",
            delete(photo_uploads::delete_photo),
        )
        // Only the routes above: the upload route takes a larger body.
        .route_layer(RequestBodyLimitLayer::new(DEFAULT_BODY_LIMIT))
        .route(
            "/v1/puppies/{id}/photos",
            post(photo_uploads::upload_photos)
                .layer::<_, Infallible>(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT))
                .layer::<_, Infallible>(RequestBodyLimitLayer::new(UPLOAD_BODY_LIMIT)),
        )
        .route_layer(middleware::from_fn_with_state(state.clone(), schema_gate));

    let routes = Router::new()
        .merge(api)
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/openapi.json", get(openapi::openapi_json))
        .fallback(route_not_found)
        .with_state(state.clone());
    with_layers(routes, state)
}

/// Wraps routes in the layers every response goes through: panics caught,
/// protection (limits, load shedding, security headers), CORS, the request
/// context (request id, access log, metrics, error reporting), caching rules
/// and compression. Public so tests can put a route of their own behind them.
pub fn with_layers(routes: Router, state: AppState) -> Router {
    let cors = cors(&state.config);
    routes
        // Innermost first: the outer layers see what the inner ones produce. A
        // panic becomes a 500 problem inside protection, so it carries the
        // security headers and gives its slot back like any other answer.
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(middleware::from_fn_with_state(state, protection::protect))
        .layer(cors)
        .layer(middleware::from_fn(observability::request_context))
        .layer(middleware::map_response(no_store_unless_set))
        // Outermost, so the access log, metrics and problem rewriting see the
        // plain body. gzip or brotli as the client prefers, for bodies of at
        // least `COMPRESS_MIN_BYTES`; never images (photo variants are JPEG,
        // already compressed) or event streams.
        .layer(
            CompressionLayer::new().compress_when(
                SizeAbove::new(COMPRESS_MIN_BYTES)
                    .and(NotForContentType::IMAGES)
                    .and(NotForContentType::GRPC)
                    .and(NotForContentType::SSE),
            ),
        )
}
