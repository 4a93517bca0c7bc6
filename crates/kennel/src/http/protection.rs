//! The protective middleware around the API: HTTPS and security headers, load
//! shedding, the per-request timeout and rate limiting, in one layer over
//! shared state (axum applies layers per route; the shared semaphore and
//! limiter make the limits per process).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::body::{Body, HttpBody};
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::BytesMut;
use futures::StreamExt;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::session::{carries_session, CurrentUser};
use super::DEFAULT_BODY_LIMIT;
use crate::config::IpRange;
use crate::domain::account::Role;
use crate::error::{ApiError, Problem};
use crate::photos::upload::UPLOAD_BODY_LIMIT;
use crate::ratelimit::{Bucket, Decision, Key, RateLimiter};
use crate::state::AppState;

/// Routes that are never shed, limited or redirected: the platform's probes.
fn is_probe(path: &str) -> bool {
    matches!(path, "/healthz" | "/readyz")
}

/// The client's address: the socket peer, unless the peer is a trusted proxy,
/// in which case `X-Forwarded-For` is walked from the right past trusted
/// proxies. Entries a client wrote itself sit to the left of what the trusted
/// proxies appended, so they are never reached: a spoofed header cannot dodge
/// the limits.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpRange]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|range| range.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|part| part.trim().parse().ok())
        .collect();
    let mut client = peer;
    for ip in forwarded.into_iter().rev() {
        client = ip;
        if !is_trusted(ip) {
            break;
        }
    }
    client
}

fn peer(request: &Request) -> IpAddr {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

/// Headers that stop sniffing, framing and referrer leaks, on every response
/// (also on the ones written before routing, see `server`).
pub const SECURITY_HEADERS: [(&str, &str); 4] = [
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
    // The API serves JSON and images only; nothing it sends may run or be framed.
    (
        "content-security-policy",
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
    ),
];

/// HSTS, sent when the API is HTTPS-only.
pub const HSTS: (&str, &str) = (
    "strict-transport-security",
    "max-age=63072000; includeSubDomains",
);

/// The security headers; HSTS when the API is HTTPS-only.
fn add_security_headers(response: &mut Response, https_only: bool) {
    let headers = response.headers_mut();
    for (name, value) in SECURITY_HEADERS {
        headers.insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    if https_only {
        headers.insert(
            HeaderName::from_static(HSTS.0),
            HeaderValue::from_static(HSTS.1),
        );
    }
}

/// Whether the proxy received this request over plain HTTP.
fn arrived_over_http(request: &Request) -> bool {
    request
        .headers()
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|proto| proto.eq_ignore_ascii_case("http"))
}

fn refuse_plain_http(state: &AppState, request: &Request) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD) {
        // Redirect to the configured public origin, never to the Host header.
        let base = state.config.public_base_url.as_str().trim_end_matches('/');
        let target = request
            .uri()
            .path_and_query()
            .map(|pq| pq.as_str())
            .unwrap_or("/");
        if let Ok(location) = HeaderValue::from_str(&format!("{base}{target}")) {
            return (
                StatusCode::PERMANENT_REDIRECT,
                [(header::LOCATION, location)],
            )
                .into_response();
        }
    }
    Problem::new(
        StatusCode::FORBIDDEN,
        "https_required",
        "HTTPS required",
        Some("This API is only served over HTTPS; nothing was done.".into()),
    )
    .into_response_with(None)
}

/// Concurrency limit: at most `MAX_CONCURRENT_REQUESTS` requests in the
/// handlers at once; beyond that a request is answered 503 at once (Cloud Run
/// then routes to or starts another instance) instead of queueing without bound.
#[derive(Clone)]
pub struct LoadShedder {
    permits: Arc<Semaphore>,
}

impl LoadShedder {
    pub fn new(max_concurrent: usize) -> LoadShedder {
        LoadShedder {
            permits: Arc::new(Semaphore::new(max_concurrent)),
        }
    }
}

/// The protective middleware, one layer so its cost is paid once per request:
///
/// 1. HTTPS only outside `local`: a request the proxy received over plain HTTP
///    is redirected (GET/HEAD) or refused, never served.
/// 2. The body is read under its own deadline (`BODY_READ_TIMEOUT_SECONDS`,
///    `UPLOAD_READ_TIMEOUT_SECONDS` for photo uploads) *before* the request
///    takes a concurrency slot, so a client dribbling its body holds nothing
///    but its connection; too slow is 408, too large 413.
/// 3. Load shedding: beyond `MAX_CONCURRENT_REQUESTS` in flight, 503
///    `overloaded` with `Retry-After` at once (Cloud Run then routes to or starts
///    another instance) instead of queueing without bound.
/// 4. The per-request budget: still running after `REQUEST_TIMEOUT_SECONDS`,
///    the request is abandoned and answered 503 `timeout`.
/// 5. Rate limiting (`rate_limited`).
///
/// Every response gets the security headers. Probes skip 1, 3 and 5.
pub async fn protect(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let https_only = state.config.protection.https_only;
    let probe = is_probe(request.uri().path());
    let mut response = if https_only && !probe && arrived_over_http(&request) {
        refuse_plain_http(&state, &request)
    } else {
        match read_body(&state, request).await {
            Err(response) => response,
            // The upload slot, if any, is held until the response: the buffered
            // photos and their conversion live that long.
            Ok((request, _upload_slot)) => serve_in_slot(&state, probe, request, next).await,
        }
    };
    add_security_headers(&mut response, https_only);
    response
}

/// Runs the request in one of the `MAX_CONCURRENT_REQUESTS` slots, within the
/// request budget, or sheds it.
async fn serve_in_slot(state: &AppState, probe: bool, request: Request, next: Next) -> Response {
    let permit = if probe {
        Ok(None)
    } else {
        state.shedder.permits.clone().try_acquire_owned().map(Some)
    };
    let Ok(permit) = permit else {
        metrics::counter!("http_requests_shed_total").increment(1);
        return overloaded("The server is busy; please retry in a moment.");
    };
    let budget = state.config.protection.request_timeout;
    let response =
        match tokio::time::timeout(budget, rate_limited(state, probe, request, next)).await {
            Ok(response) => response,
            Err(_) => {
                tracing::warn!(budget_s = budget.as_secs(), "request timed out");
                ApiError::Unavailable {
                    code: "timeout",
                    detail: "The request took too long and was stopped; please retry.".into(),
                    retry_after: 1,
                }
                .into_response()
            }
        };
    drop(permit);
    response
}

fn overloaded(detail: &str) -> Response {
    ApiError::Unavailable {
        code: "overloaded",
        detail: detail.into(),
        retry_after: 1,
    }
    .into_response()
}

/// The photo-upload route, whose body may be large.
const UPLOAD_ROUTE: &str = "/v1/puppies/{id}/photos";

/// Reads the whole body, within the route's size limit and the body deadline,
/// and hands the request on with the bytes in memory. Nothing here holds a
/// concurrency slot, so slow bodies cannot starve other clients of them.
///
/// Photo uploads are large and only staff may send them: an upload is read
/// only for a signed-in staff member or admin, in one of the
/// `MAX_CONCURRENT_UPLOADS` upload slots (which also bound the memory of
/// buffered photos); anyone else's upload is passed on unread, and the handler
/// refuses it before reading.
async fn read_body(
    state: &AppState,
    request: Request,
) -> Result<(Request, Option<OwnedSemaphorePermit>), Response> {
    if request.body().size_hint().exact() == Some(0) {
        return Ok((request, None));
    }
    let protection = &state.config.protection;
    let upload = request.method() == Method::POST
        && request
            .extensions()
            .get::<MatchedPath>()
            .is_some_and(|route| route.as_str() == UPLOAD_ROUTE);
    let (mut parts, body) = request.into_parts();
    let (limit, deadline, slot) = if upload {
        let user = if carries_session(&parts.headers) {
            Box::pin(CurrentUser::resolve(&parts, state)).await.ok()
        } else {
            None
        };
        let Some(user) = user.filter(|u| matches!(u.role, Role::Staff | Role::Admin)) else {
            return Ok((Request::from_parts(parts, body), None));
        };
        parts.extensions.insert(user);
        let Ok(slot) = state.upload_slots.clone().try_acquire_owned() else {
            metrics::counter!("http_requests_shed_total").increment(1);
            return Err(overloaded(
                "Too many photo uploads are in progress; please retry in a moment.",
            ));
        };
        (
            UPLOAD_BODY_LIMIT,
            protection.upload_read_timeout,
            Some(slot),
        )
    } else {
        (DEFAULT_BODY_LIMIT, protection.body_read_timeout, None)
    };
    if body.size_hint().lower() > limit as u64 {
        return Err(body_too_large(limit));
    }
    let read = async {
        let mut stream = body.into_data_stream();
        let mut bytes = BytesMut::new();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|_| {
                ApiError::BadRequest {
                    code: "malformed_body",
                    detail: "The request body could not be read (cut off or badly framed).".into(),
                }
                .into_response()
            })?;
            if bytes.len() + chunk.len() > limit {
                return Err(body_too_large(limit));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes.freeze())
    };
    match tokio::time::timeout(deadline, read).await {
        Ok(Ok(bytes)) => Ok((Request::from_parts(parts, Body::from(bytes)), slot)),
        Ok(Err(response)) => Err(response),
        Err(_) => {
            metrics::counter!("http_body_timeouts_total").increment(1);
            let mut response = Problem::new(
                StatusCode::REQUEST_TIMEOUT,
                "body_timeout",
                "Request body too slow",
                Some(format!(
                    "The request body did not arrive within {} s.",
                    deadline.as_secs()
                )),
            )
            .into_response_with(None);
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            Err(response)
        }
    }
}

fn body_too_large(limit: usize) -> Response {
    let detail = if limit > DEFAULT_BODY_LIMIT {
        format!("An upload can be at most {} MB.", limit / (1024 * 1024))
    } else {
        format!("The request body can be at most {} KiB.", limit / 1024)
    };
    ApiError::PayloadTooLarge { detail }.into_response()
}

/// The photo-variant route, which is not rate limited.
const PHOTO_ROUTE: &str = "/v1/photos/{id}/{variant}";

fn bucket_for(method: &Method, route: &str, signed_in: bool) -> Bucket {
    match (method, route) {
        (
            &Method::POST,
            "/v1/auth/login"
            | "/v1/auth/register"
            | "/v1/auth/password-reset"
            | "/v1/auth/password-reset/confirm"
            | "/v1/auth/verify-email"
            | "/v1/auth/email-change/confirm",
        ) => Bucket::Auth,
        (&Method::POST, "/v1/assistant/messages") => Bucket::Assistant,
        _ if signed_in => Bucket::User,
        _ => Bucket::Anonymous,
    }
}

const RATELIMIT_POLICY: HeaderName = HeaderName::from_static("ratelimit-policy");
const RATELIMIT: HeaderName = HeaderName::from_static("ratelimit");

/// The IETF `RateLimit-Policy` and `RateLimit` headers: the bucket's quota per
/// 60 s window, what remains of it and the seconds until it is whole again.
fn rate_limit_headers(
    headers: &mut HeaderMap,
    limiter: &RateLimiter,
    bucket: Bucket,
    decision: &Decision,
) {
    let reset = decision.reset.as_secs() + u64::from(decision.reset.subsec_nanos() > 0);
    headers.insert(RATELIMIT_POLICY, limiter.policy_header(bucket));
    let state = format!("\"{}\";r={};t={reset}", bucket.name(), decision.remaining);
    if let Ok(value) = HeaderValue::try_from(state) {
        headers.insert(RATELIMIT, value);
    }
}

/// Per user when signed in, per client IP otherwise; stricter buckets for
/// sign-in/registration and the assistant. Answers 429 with `Retry-After`.
async fn rate_limited(state: &AppState, probe: bool, request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().cloned();
    let route = route.as_ref().map(MatchedPath::as_str).unwrap_or_default();
    // Photo variants are immutable and cached by clients for a year; one page
    // of the browse list loads twenty of them, so counting them would throttle
    // ordinary scrolling. Load shedding still applies.
    if probe || request.method() == Method::OPTIONS || route == PHOTO_ROUTE {
        return next.run(request).await;
    }
    let ip = client_ip(
        peer(&request),
        request.headers(),
        &state.config.protection.trusted_proxies,
    );
    // Resolve the session once; the handler's extractor reuses it. An invalid
    // token counts as anonymous here (the handler still answers 401), so made-up
    // tokens cannot buy fresh budgets.
    let (mut parts, body) = request.into_parts();
    // The session lookup's future is large and most requests never need it:
    // boxed, it does not weigh on every request's future, which is moved on
    // each poll of the layers above. An upload's session was resolved already.
    let user = if let Some(user) = parts.extensions.get::<CurrentUser>() {
        Some(user.clone())
    } else if carries_session(&parts.headers) {
        Box::pin(CurrentUser::resolve(&parts, state)).await.ok()
    } else {
        None
    };
    let bucket = bucket_for(&parts.method, route, user.is_some());
    let key = match (&user, bucket) {
        (Some(user), Bucket::User | Bucket::Assistant) => Key::User(user.id),
        _ => Key::Ip(ip),
    };
    if let Some(user) = user {
        parts.extensions.insert(user);
    }
    let decision = state.limiter.check(bucket, key).await;
    if !decision.allowed {
        metrics::counter!("rate_limit_rejections_total", "bucket" => bucket.name()).increment(1);
        let retry_after = decision.retry_after.as_secs().max(1);
        let mut response = ApiError::TooManyRequests {
            detail: format!(
                "Too many requests; the limit is {} per minute. Retry in {retry_after} s.",
                decision.limit
            ),
            retry_after,
        }
        .into_response();
        rate_limit_headers(response.headers_mut(), &state.limiter, bucket, &decision);
        return response;
    }
    let mut response = next.run(Request::from_parts(parts, body)).await;
    rate_limit_headers(response.headers_mut(), &state.limiter, bucket, &decision);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forwarded(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn the_client_ip_comes_from_trusted_proxies_only() {
        let proxy: IpAddr = "10.0.0.5".parse().unwrap();
        let trusted = vec![IpRange::parse("10.0.0.0/8").unwrap()];
        // Untrusted peer: its header is ignored.
        let outsider: IpAddr = "203.0.113.9".parse().unwrap();
        assert_eq!(
            client_ip(outsider, &forwarded("1.2.3.4"), &trusted),
            outsider
        );
        // Trusted peer: the rightmost untrusted entry is the client, whatever the
        // client itself put further left.
        assert_eq!(
            client_ip(
                proxy,
                &forwarded("6.6.6.6, 198.51.100.7, 10.0.0.9"),
                &trusted
            ),
            "198.51.100.7".parse::<IpAddr>().unwrap()
        );
        // Nothing trusted configured: always the peer.
        assert_eq!(client_ip(proxy, &forwarded("1.2.3.4"), &[]), proxy);
        // Garbage entries are skipped.
        assert_eq!(
            client_ip(proxy, &forwarded("nonsense, 198.51.100.7"), &trusted),
            "198.51.100.7".parse::<IpAddr>().unwrap()
        );
    }

    #[test]
    fn sign_in_and_the_assistant_have_their_own_buckets() {
        assert_eq!(
            bucket_for(&Method::POST, "/v1/auth/login", false),
            Bucket::Auth
        );
        assert_eq!(
            bucket_for(&Method::POST, "/v1/auth/register", true),
            Bucket::Auth
        );
        assert_eq!(
            bucket_for(&Method::POST, "/v1/assistant/messages", true),
            Bucket::Assistant
        );
        assert_eq!(bucket_for(&Method::GET, "/v1/puppies", true), Bucket::User);
        assert_eq!(
            bucket_for(&Method::GET, "/v1/puppies", false),
            Bucket::Anonymous
        );
    }
}
