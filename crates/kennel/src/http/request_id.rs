//! Per-request context: the request id, the trace context, the request span and
//! the access log line.
//!
//! The request id comes from `x-request-id` when the caller (or Cloud Run's front
//! end) sent a sane one, and is generated otherwise. It is echoed in the response,
//! recorded on the request span (so every log line of the request carries
//! `requestId`), and available to error responses through a task-local.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

use super::problem;

pub static REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The id of the request being handled by this task, if any.
pub fn current() -> Option<String> {
    REQUEST_ID.try_with(|id| id.clone()).ok()
}

/// Accepts a caller's id only if it is short and made of safe characters, so that it
/// can be logged and echoed without escaping or log injection.
fn accepted_request_id(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(&REQUEST_ID_HEADER)?.to_str().ok()?;
    let ok = !value.is_empty()
        && value.len() <= 128
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    ok.then(|| value.to_string())
}

/// The trace and span ids from `traceparent` (W3C) or `X-Cloud-Trace-Context`.
fn trace_context(headers: &HeaderMap) -> Option<(String, Option<String>)> {
    if let Some(tp) = headers.get("traceparent").and_then(|v| v.to_str().ok()) {
        // version-traceid-parentid-flags
        let parts: Vec<&str> = tp.trim().split('-').collect();
        if parts.len() == 4
            && parts[1].len() == 32
            && parts[1].bytes().all(|b| b.is_ascii_hexdigit())
            && parts[1] != "00000000000000000000000000000000"
            && parts[2].len() == 16
            && parts[2].bytes().all(|b| b.is_ascii_hexdigit())
        {
            return Some((parts[1].to_ascii_lowercase(), Some(parts[2].to_string())));
        }
    }
    if let Some(ctx) = headers
        .get("x-cloud-trace-context")
        .and_then(|v| v.to_str().ok())
    {
        // TRACE_ID/SPAN_ID;o=OPTIONS, span id decimal
        let (trace, rest) = ctx.split_once('/').unwrap_or((ctx, ""));
        let span = rest
            .split(';')
            .next()
            .filter(|s| !s.is_empty() && s.len() <= 20 && s.bytes().all(|b| b.is_ascii_digit()));
        if trace.len() == 32 && trace.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Some((trace.to_ascii_lowercase(), span.map(str::to_string)));
        }
    }
    None
}

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
    let mut response = REQUEST_ID
        .scope(id_for_scope, async move {
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
            REQUEST_ID
                .scope(request_id.clone(), async {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        map
    }

    #[test]
    fn request_ids_with_unsafe_characters_are_replaced() {
        assert_eq!(
            accepted_request_id(&headers(&[("x-request-id", "abc-123_x.y")])),
            Some("abc-123_x.y".into())
        );
        assert_eq!(
            accepted_request_id(&headers(&[("x-request-id", "a b\"c")])),
            None
        );
        let long = "a".repeat(129);
        assert_eq!(
            accepted_request_id(&headers(&[("x-request-id", &long)])),
            None
        );
    }

    #[test]
    fn trace_context_is_read_from_traceparent_or_cloud_header() {
        let tp = headers(&[(
            "traceparent",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        )]);
        assert_eq!(
            trace_context(&tp),
            Some((
                "4bf92f3577b34da6a3ce929d0e0e4736".into(),
                Some("00f067aa0ba902b7".into())
            ))
        );
        let cloud = headers(&[(
            "x-cloud-trace-context",
            "105445aa7843bc8bf206b12000100000/1;o=1",
        )]);
        assert_eq!(
            trace_context(&cloud),
            Some(("105445aa7843bc8bf206b12000100000".into(), Some("1".into())))
        );
        assert_eq!(trace_context(&headers(&[("traceparent", "garbage")])), None);
    }
}
