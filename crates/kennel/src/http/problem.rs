//! Turns every error response into problem details, including the plain-text ones
//! produced by axum's extractors and tower layers (404 for unknown routes, 405, 413
//! from the body limit, JSON syntax errors), so clients see one error format.

use axum::body::{to_bytes, Body};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::domain;
use crate::error::{ApiError, FieldError, Problem, PROBLEM_CONTENT_TYPE};

impl From<domain::FieldError> for FieldError {
    fn from(error: domain::FieldError) -> FieldError {
        FieldError {
            field: error.field,
            message: error.message,
        }
    }
}

impl From<domain::FieldError> for ApiError {
    fn from(error: domain::FieldError) -> ApiError {
        ApiError::Validation(vec![error.into()])
    }
}

impl From<Vec<domain::FieldError>> for ApiError {
    fn from(errors: Vec<domain::FieldError>) -> ApiError {
        ApiError::Validation(errors.into_iter().map(FieldError::from).collect())
    }
}

fn code_and_title(status: StatusCode) -> (&'static str, &'static str) {
    match status {
        StatusCode::BAD_REQUEST => ("bad_request", "Bad request"),
        StatusCode::UNAUTHORIZED => ("unauthorized", "Sign-in required"),
        StatusCode::FORBIDDEN => ("forbidden", "Forbidden"),
        StatusCode::NOT_FOUND => ("not_found", "Not found"),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "Method not allowed"),
        StatusCode::REQUEST_TIMEOUT => ("request_timeout", "Request timeout"),
        StatusCode::PAYLOAD_TOO_LARGE => ("payload_too_large", "Payload too large"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", "Unsupported media type"),
        StatusCode::UNPROCESSABLE_ENTITY => ("unprocessable_entity", "Unprocessable request"),
        StatusCode::TOO_MANY_REQUESTS => ("rate_limited", "Too many requests"),
        StatusCode::SERVICE_UNAVAILABLE => ("unavailable", "Service unavailable"),
        StatusCode::GATEWAY_TIMEOUT => ("timeout", "Timeout"),
        s if s.is_server_error() => ("internal_error", "Internal server error"),
        _ => ("error", "Error"),
    }
}

/// Rewrites a non-problem error response as a problem, keeping status and headers.
pub async fn normalize(response: Response) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with(PROBLEM_CONTENT_TYPE));
    if is_problem {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let (code, title) = code_and_title(status);
    // For client errors the framework's text says what was wrong (e.g. which JSON
    // field failed); for server errors it may hold internals, so it is dropped.
    let detail = if status.is_client_error() {
        let bytes = to_bytes(body, 4096).await.unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes).trim().to_string();
        (!text.is_empty()).then(|| text.chars().take(300).collect::<String>())
    } else {
        drop(body);
        None
    };
    let detail = detail.or_else(|| match status {
        StatusCode::NOT_FOUND => Some("There is nothing at this path.".to_string()),
        StatusCode::PAYLOAD_TOO_LARGE => Some("The request body is too large.".to_string()),
        _ => None,
    });
    let problem = Problem::new(status, code, title, detail);
    let new = problem.into_response_with(None);
    let (new_parts, new_body) = new.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    for (name, value) in new_parts.headers.iter() {
        parts.headers.insert(name.clone(), value.clone());
    }
    Response::from_parts(parts, Body::new(new_body)).into_response()
}
