//! The one-click unsubscribe link of conversation emails, which works without
//! signing in: `POST` switches the emails off (RFC 8058: mail clients post to
//! the `List-Unsubscribe` URL); `GET`, which link scanners and previews also
//! fetch, changes nothing and shows a page with the button that posts.

use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult, Problem};
use crate::mail::unsubscribe;
use crate::state::AppState;

/// The query of the link.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnsubscribeParams {
    /// The token from the email's link (without it, the answer is 400).
    pub token: Option<String>,
}

fn bad_link() -> ApiError {
    ApiError::field(
        "token",
        "is not an unsubscribe link of Kennel; use the link from the email, or the account settings",
    )
}

/// The account the link's token was made for.
async fn account(state: &AppState, query: Option<String>) -> ApiResult<Uuid> {
    let token = serde_html_form::from_str::<Vec<(String, String)>>(query.as_deref().unwrap_or(""))
        .ok()
        .and_then(|pairs| {
            pairs
                .into_iter()
                .find(|(k, _)| k == "token")
                .map(|(_, v)| v)
        })
        .ok_or_else(bad_link)?;
    let key = state
        .store
        .signing_key(unsubscribe::KEY_NAME, Utc::now())
        .await?;
    unsubscribe::verify(&key, &token).ok_or_else(bad_link)
}

fn page(body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\"><title>Kennel</title></head>\
         <body style=\"font-family:sans-serif;max-width:32em;margin:2em auto\">{body}</body></html>"
    );
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

/// Shows the unsubscribe page for the link in a conversation email; changes
/// nothing.
#[utoipa::path(
    get,
    path = "/v1/email/unsubscribe",
    tag = "accounts",
    params(UnsubscribeParams),
    responses(
        (status = 200, description = "A page with the button that unsubscribes", content_type = "text/html", body = String),
        (status = 400, description = "Not a valid unsubscribe link", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn unsubscribe_page(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    account(&state, query).await?;
    Ok(page(
        "<h1>Stop conversation emails?</h1>\
         <p>Kennel emails you when a shelter or an adopter writes in one of your conversations.</p>\
         <form method=\"post\"><button type=\"submit\">Unsubscribe</button></form>\
         <p>You can switch them on again in your account.</p>",
    ))
}

/// Switches conversation emails off for the account the link was sent to
/// (one click, RFC 8058).
#[utoipa::path(
    post,
    path = "/v1/email/unsubscribe",
    tag = "accounts",
    params(UnsubscribeParams),
    responses(
        (status = 200, description = "Unsubscribed; a page saying so", content_type = "text/html", body = String),
        (status = 400, description = "Not a valid unsubscribe link", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn unsubscribe(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    let user = account(&state, query).await?;
    // An account deleted since has nothing left to unsubscribe: the same page.
    state.store.set_conversation_email(user, false).await?;
    let mut response = page(
        "<h1>Unsubscribed</h1>\
         <p>You will no longer get emails about new messages. Your conversations are still in the app.</p>",
    );
    *response.status_mut() = StatusCode::OK;
    Ok(response)
}
