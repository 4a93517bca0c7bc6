//! The request context every log line and error report of a request carries: its id
//! and its trace.
//!
//! The request id comes from `x-request-id` when the caller (or Cloud Run's front
//! end) sent a sane one, and is generated otherwise. The HTTP layer records it on
//! the request span and runs the handler inside [`scope`], so that error responses
//! and error reports made anywhere below can name it through [`current`].

use std::future::Future;

use axum::http::{HeaderMap, HeaderName};

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
pub fn accepted_request_id(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(&REQUEST_ID_HEADER)?.to_str().ok()?;
    let ok = !value.is_empty()
        && value.len() <= 128
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    ok.then(|| value.to_string())
}

/// The trace and span ids from `traceparent` (W3C) or `X-Cloud-Trace-Context`.
pub fn trace_context(headers: &HeaderMap) -> Option<(String, Option<String>)> {
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

/// Runs `future` as the request with id `id`: [`current`] answers `id` inside it.
pub async fn scope<F: Future>(id: String, future: F) -> F::Output {
    REQUEST_ID.scope(id, future).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

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
