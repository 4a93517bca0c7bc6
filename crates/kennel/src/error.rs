//! The API's one error type and its mapping to RFC 9457 problem details.
//!
//! Every failure a client can see is an `ApiError`; each has a stable `code`.
//! Unexpected errors are logged with their cause chain and answered with an opaque
//! 500: internal messages never reach a client.

use std::sync::Arc;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::telemetry::context;

pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// One invalid input field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// The query parameter, path segment or body field at fault.
    pub field: String,
    /// What is wrong with it, phrased for a person.
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// The `code` of a problem response, for middleware that reports on responses.
#[derive(Debug, Clone)]
pub struct ProblemCode(pub String);

/// An RFC 9457 problem details document, as sent to clients.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the problem type: `urn:kennel:problem:<code>`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Stable, machine-readable error code.
    pub code: String,
    /// The request id, also in the `x-request-id` response header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Per-field messages for validation failures.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

impl Problem {
    pub fn new(status: StatusCode, code: &str, title: &str, detail: Option<String>) -> Self {
        Problem {
            kind: format!("urn:kennel:problem:{code}"),
            title: title.to_string(),
            status: status.as_u16(),
            detail,
            code: code.to_string(),
            request_id: context::current(),
            errors: Vec::new(),
        }
    }

    pub fn into_response_with(self, retry_after: Option<u64>) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_else(|_| b"{}".to_vec());
        let mut response = (status, body).into_response();
        response
            .extensions_mut()
            .insert(ProblemCode(self.code.clone()));
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(PROBLEM_CONTENT_TYPE),
        );
        if let Some(seconds) = retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// One or more inputs are invalid; each is listed.
    #[error("invalid request: {0:?}")]
    Validation(Vec<FieldError>),
    /// A malformed request that is not about one field.
    #[error("{detail}")]
    BadRequest { code: &'static str, detail: String },
    /// No valid session: the client must sign in.
    #[error("{detail}")]
    Unauthorized { detail: String },
    /// Signed in, but this role or organisation may not do this.
    #[error("{detail}")]
    Forbidden { detail: String },
    /// Signed in, but refused for a reason the client can act on, named by
    /// `code` (e.g. `email_unverified`, `csrf_header_missing`): 403.
    #[error("{detail}")]
    Refused { code: &'static str, detail: String },
    #[error("{what} not found")]
    NotFound { what: &'static str },
    /// `If-Match` names an older version: someone else changed the record.
    #[error("precondition failed")]
    PreconditionFailed,
    /// A change that must carry `If-Match` came without it.
    #[error("precondition required")]
    PreconditionRequired,
    /// The request conflicts with existing state (e.g. an email already in use).
    #[error("{detail}")]
    Conflict { code: &'static str, detail: String },
    /// The body, or one part of it, is larger than this route accepts.
    #[error("{detail}")]
    PayloadTooLarge { detail: String },
    /// The body (or an uploaded file) is of a type this route does not take.
    #[error("{detail}")]
    UnsupportedMediaType { detail: String },
    /// Well-formed, but the content cannot be used (e.g. a damaged image).
    #[error("{detail}")]
    Unprocessable { code: &'static str, detail: String },
    /// A feature is switched off, or its provider is down; the rest of the API works.
    #[error("{feature} is temporarily unavailable")]
    FeatureUnavailable { feature: &'static str },
    /// Over a rate limit or quota; retry after the given seconds.
    #[error("too many requests")]
    TooManyRequests { detail: String, retry_after: u64 },
    /// A dependency is down or the instance is not ready; the client may retry.
    #[error("{detail}")]
    Unavailable {
        code: &'static str,
        detail: String,
        retry_after: u64,
    },
    /// Anything unexpected: answered with an opaque 500, logged, and reported to
    /// error tracking with its cause chain and where it happened.
    #[error("{}", .0.error)]
    Internal(Box<InternalError>),
}

/// An unexpected failure: the error with its cause chain, and the stack where
/// it became an `ApiError` (captured only while error tracking is on).
#[derive(Debug)]
pub struct InternalError {
    pub error: anyhow::Error,
    pub stack: Option<sentry::protocol::Stacktrace>,
}

/// Put on a 500 response by `ApiError::Internal`, for the middleware that
/// reports failures: the error itself, not only the route that answered.
#[derive(Debug, Clone)]
pub struct Failure(pub Arc<InternalError>);

impl From<anyhow::Error> for ApiError {
    fn from(error: anyhow::Error) -> Self {
        ApiError::internal(error)
    }
}

impl ApiError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        ApiError::Validation(vec![FieldError::new(field, message)])
    }

    /// An unexpected failure (500). Captures the caller's stack when errors are
    /// being reported, so issues group by where and why they happened.
    pub fn internal(error: impl Into<anyhow::Error>) -> Self {
        ApiError::Internal(Box::new(InternalError {
            error: error.into(),
            stack: crate::error_tracking::stack_here(),
        }))
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Validation(_) | ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden { .. } | ApiError::Refused { .. } => StatusCode::FORBIDDEN,
            ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            ApiError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unavailable { .. } | ApiError::FeatureUnavailable { .. } => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// SQLSTATEs saying the database went away or turns connections away for now (a
/// restart, a failover, maintenance), not that the query is wrong: class 08
/// (connection exception), 53300 (too many connections) and 57P01 to 57P03 (the
/// server is shutting down, crashed, or cannot accept connections yet). A query
/// in flight when Postgres stops fails with 57P01.
fn unavailable_sqlstate(code: &str) -> bool {
    code.starts_with("08") || matches!(code, "53300" | "57P01" | "57P02" | "57P03")
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        // Connection-level failures mean the database is down or overloaded: answer
        // 503 quickly so clients retry, instead of a 500 that looks like a bug.
        let unavailable = match &error {
            sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::WorkerCrashed => true,
            sqlx::Error::Database(db) => db.code().is_some_and(|code| unavailable_sqlstate(&code)),
            _ => false,
        };
        if unavailable {
            metrics::counter!("db_errors_total", "kind" => "unavailable").increment(1);
            tracing::warn!(error = %error, "database unavailable");
            ApiError::Unavailable {
                code: "database_unavailable",
                detail: "The database is temporarily unavailable. Please retry shortly.".into(),
                retry_after: 2,
            }
        } else {
            metrics::counter!("db_errors_total", "kind" => "query").increment(1);
            ApiError::internal(anyhow::Error::new(error).context("database query failed"))
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        match self {
            ApiError::Validation(errors) => {
                let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
                let mut problem = Problem::new(
                    status,
                    "validation_failed",
                    "Invalid request",
                    Some(format!("Invalid value for: {}", fields.join(", "))),
                );
                problem.errors = errors;
                problem.into_response_with(None)
            }
            ApiError::BadRequest { code, detail } => {
                Problem::new(status, code, "Bad request", Some(detail)).into_response_with(None)
            }
            ApiError::Unauthorized { detail } => {
                let mut response =
                    Problem::new(status, "unauthorized", "Sign-in required", Some(detail))
                        .into_response_with(None);
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"kennel\""),
                );
                response
            }
            ApiError::Forbidden { detail } => {
                Problem::new(status, "forbidden", "Forbidden", Some(detail))
                    .into_response_with(None)
            }
            ApiError::Refused { code, detail } => {
                Problem::new(status, code, "Forbidden", Some(detail)).into_response_with(None)
            }
            ApiError::PreconditionFailed => Problem::new(
                status,
                "precondition_failed",
                "Changed by someone else",
                Some("This record changed since you loaded it. Reload it, reapply your change and save again.".into()),
            )
            .into_response_with(None),
            ApiError::PreconditionRequired => Problem::new(
                status,
                "precondition_required",
                "If-Match required",
                Some("Send If-Match with the ETag from GET so concurrent edits are not lost.".into()),
            )
            .into_response_with(None),
            ApiError::Conflict { code, detail } => {
                Problem::new(status, code, "Conflict", Some(detail)).into_response_with(None)
            }
            ApiError::NotFound { what } => Problem::new(
                status,
                "not_found",
                "Not found",
                Some(format!("No {what} with that id.")),
            )
            .into_response_with(None),
            ApiError::PayloadTooLarge { detail } => {
                Problem::new(status, "payload_too_large", "Too large", Some(detail))
                    .into_response_with(None)
            }
            ApiError::UnsupportedMediaType { detail } => Problem::new(
                status,
                "unsupported_media_type",
                "Unsupported media type",
                Some(detail),
            )
            .into_response_with(None),
            ApiError::Unprocessable { code, detail } => {
                Problem::new(status, code, "Cannot use this content", Some(detail))
                    .into_response_with(None)
            }
            ApiError::FeatureUnavailable { feature } => Problem::new(
                status,
                "feature_unavailable",
                "Feature temporarily unavailable",
                Some(format!(
                    "The {feature} is temporarily unavailable. Everything else keeps working; \
                     please try again later."
                )),
            )
            .into_response_with(Some(30)),
            ApiError::TooManyRequests {
                detail,
                retry_after,
            } => Problem::new(status, "rate_limited", "Too many requests", Some(detail))
                .into_response_with(Some(retry_after)),
            ApiError::Unavailable {
                code,
                detail,
                retry_after,
            } => Problem::new(status, code, "Service unavailable", Some(detail))
                .into_response_with(Some(retry_after)),
            ApiError::Internal(failure) => {
                tracing::error!(error = format!("{:#}", failure.error), "internal error");
                let mut response = Problem::new(
                    status,
                    "internal_error",
                    "Internal server error",
                    Some("Something went wrong on our side. It has been logged.".into()),
                )
                .into_response_with(None);
                response
                    .extensions_mut()
                    .insert(Failure(Arc::from(failure)));
                response
            }
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
