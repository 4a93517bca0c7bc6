//! What every request goes through first and last: its span and request id
//! (`telemetry::context`), error responses normalised into problem documents, the
//! request metrics, error reporting for 5xx answers and the access-log line.
//!
//! The request id is echoed in the response and recorded on the request span, so
//! every log line of the request carries `requestId`.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

use super::problem;
use crate::telemetry::context::{self, accepted_request_id, trace_context, REQUEST_ID_HEADER};

/// Middleware: wraps the request in its span and id scope, normalises error
/// responses into problem details and writes one access-log line.
pub async fn request_context(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let request_id = accepted_request_id(request.headers())
        .unwrap_or_else(|| uuid::Uuid::now_v7().simple().to_string());
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let user_agent = request
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|ua| ua.chars().take(200).collect::<String>())
        .unwrap_or_default();
    let (trace_id, span_id) = match trace_context(request.headers()) {
        Some((trace, span)) => (trace, span.unwrap_or_default()),
        None => (String::new(), String::new()),
    };

    let span = tracing::info_span!(
        "request",
        requestId = %request_id,
        trace_id = tracing::field::Empty,
        span_id = tracing::field::Empty,
    );
    if !trace_id.is_empty() {
        span.record("trace_id", trace_id.as_str());
    }
    if !span_id.is_empty() {
        span.record("span_id", span_id.as_str());
    }

    let id_for_scope = request_id.clone();
    let mut response = context::scope(id_for_scope, async move {
        let response = next.run(request).await;
        problem::normalize(response).await
    })
    .instrument(span.clone())
    .await;

    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response
            .headers_mut()
            .insert(REQUEST_ID_HEADER.clone(), value);
    }

    let status = response.status().as_u16();
    let latency = started.elapsed();
    crate::metrics::record_request(method.as_str(), &route, status, latency);
    if status >= 500 {
        let code = response
            .extensions()
            .get::<crate::error::ProblemCode>()
            .map(|c| c.0.clone());
        crate::metrics::record_degraded(&route, code.as_deref());
        let failure = response
            .extensions()
            .get::<crate::error::Failure>()
            .cloned();
        let reported = response
            .extensions()
            .get::<crate::error_tracking::Reported>()
            .is_some();
        if !reported {
            context::scope(request_id.clone(), async {
                crate::error_tracking::report_response(
                    method.as_str(),
                    &route,
                    status,
                    code.as_deref(),
                    failure.as_ref().map(|f| &*f.0),
                );
            })
            .await;
        }
    }
    let _entered = span.enter();
    // One line per request, shaped for Cloud Logging's httpRequest. No query string
    // (it may hold what a person typed), no client IP, no bodies.
    let latency_str = format!("{:.6}s", latency.as_secs_f64());
    if status >= 500 {
        tracing::error!(
            httpRequest.requestMethod = %method,
            httpRequest.requestUrl = %path,
            httpRequest.status = status,
            httpRequest.latency = %latency_str,
            httpRequest.userAgent = %user_agent,
            route = %route,
            latency_ms = latency.as_secs_f64() * 1000.0,
            "{method} {route} {status}"
        );
    } else {
        tracing::info!(
            httpRequest.requestMethod = %method,
            httpRequest.requestUrl = %path,
            httpRequest.status = status,
            httpRequest.latency = %latency_str,
            httpRequest.userAgent = %user_agent,
            route = %route,
            latency_ms = latency.as_secs_f64() * 1000.0,
            "{method} {route} {status}"
        );
    }
    response
}
