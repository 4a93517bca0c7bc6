//! Error tracking with Sentry (`SENTRY_DSN`; off when unset): panics and 5xx
//! responses, tagged with the environment, the release (the git commit baked in
//! at build time) and the request id.
//!
//! No personal data is sent: default PII is off, and every event is stripped of
//! user, request (URL, headers, body, cookies) and server details before it
//! leaves; the message is built from the method, the route template and the
//! status only. Expected degradation (`feature_unavailable`, `overloaded`,
//! `rate_limited`) is left to metrics, not reported as errors.

use std::sync::Arc;

use sentry::protocol::Event;
use sentry::{ClientInitGuard, ClientOptions, Level};

use crate::config::Config;
use crate::http::request_id;

/// The build's git commit.
pub const RELEASE: &str = env!("KENNEL_RELEASE");

/// Problem codes that are designed behaviour, not errors.
const EXPECTED: [&str; 3] = ["feature_unavailable", "overloaded", "rate_limited"];

fn scrub(mut event: Event<'static>) -> Option<Event<'static>> {
    event.user = None;
    event.request = None;
    event.server_name = None;
    event.breadcrumbs.values.clear();
    if let Some(id) = request_id::current() {
        event.tags.insert("request_id".into(), id);
    }
    Some(event)
}

/// Starts the client when a DSN is configured; keep the guard alive for the
/// process's lifetime (dropping it flushes queued events).
pub fn init(config: &Config) -> Option<ClientInitGuard> {
    let dsn = config.sentry_dsn.as_ref()?;
    let mut options = ClientOptions::default();
    options.release = Some(RELEASE.into());
    options.environment = Some(config.env.as_str().into());
    options.send_default_pii = false;
    options.attach_stacktrace = true;
    options.before_send = Some(Arc::new(scrub));
    let guard = sentry::init((dsn.expose().to_string(), options));
    tracing::info!(release = RELEASE, "error tracking on");
    Some(guard)
}

/// Reports a 5xx response (called by the request-context middleware).
pub fn report_response(method: &str, route: &str, status: u16, code: Option<&str>) {
    if status < 500 || code.is_some_and(|c| EXPECTED.contains(&c)) {
        return;
    }
    // Without an initialised client this is a no-op.
    sentry::with_scope(
        |scope| {
            scope.set_tag("route", route);
            scope.set_tag("status", status);
            if let Some(code) = code {
                scope.set_tag("code", code);
            }
        },
        || {
            sentry::capture_message(
                &format!("{method} {route} answered {status} {}", code.unwrap_or("")),
                Level::Error,
            )
        },
    );
}
