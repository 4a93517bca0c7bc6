//! Error tracking with Sentry (`SENTRY_DSN`; off when unset): panics and 5xx
//! responses, tagged with the environment, the release (the git commit baked in
//! at build time), the route and the request id.
//!
//! A 500 from an unexpected error is reported as that error: its cause chain
//! (each cause's type and message, the root cause first) and the stack where it
//! became an `ApiError`, with a fingerprint of the root cause's type and the
//! Kennel function it came from, so one bug is one issue whichever route hits
//! it, and two bugs behind one route are two. Other 5xx (a timeout, a response
//! made without an error) are reported by route, status and code. A panic is
//! reported once, by the panic hook with its own stack.
//!
//! No personal data is sent: default PII is off, and every event is stripped of
//! user, request (URL, headers, body, cookies) and server details before it
//! leaves. Cause messages come from Kennel's own code, the database driver and
//! the libraries below it, never from request bodies. Expected degradation
//! (`feature_unavailable`, `overloaded`, `rate_limited`) is left to metrics,
//! not reported as errors.

use std::sync::Arc;

use sentry::protocol::{Event, Exception, Stacktrace};
use sentry::{ClientInitGuard, ClientOptions, Level};

use crate::config::Config;
use crate::error::InternalError;
use crate::telemetry::context;

/// The build's git commit.
pub const RELEASE: &str = env!("KENNEL_RELEASE");

/// Problem codes that are designed behaviour, not errors.
const EXPECTED: [&str; 3] = ["feature_unavailable", "overloaded", "rate_limited"];

fn scrub(mut event: Event<'static>) -> Option<Event<'static>> {
    event.user = None;
    event.request = None;
    event.server_name = None;
    event.breadcrumbs.values.clear();
    if let Some(id) = context::current() {
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
    options.in_app_include = vec!["kennel"];
    options.before_send = Some(Arc::new(scrub));
    let guard = sentry::init((dsn.expose().to_string(), options));
    tracing::info!(release = RELEASE, "error tracking on");
    Some(guard)
}

/// Put on a response whose failure was already reported (a panic).
#[derive(Debug, Clone, Copy)]
pub struct Reported;

/// The current stack, when errors are being reported; `None` (and free) when
/// no client is configured.
pub fn stack_here() -> Option<Stacktrace> {
    sentry::Hub::current().client()?;
    let mut stack = sentry::integrations::backtrace::current_stacktrace()?;
    // Sentry lists the outermost frame first. Drop the innermost frames up to
    // the Kennel function that made the error: the capture itself, the
    // conversion into `ApiError` and the standard library's `?` plumbing.
    while stack.frames.last().is_some_and(|frame| !made_here(frame)) {
        stack.frames.pop();
    }
    for frame in &mut stack.frames {
        frame.in_app = Some(made_here(frame));
    }
    (!stack.frames.is_empty()).then_some(stack)
}

/// Whether a frame is Kennel's own code, not the error plumbing. Frames of
/// inlined and async code carry a short name (`{async_fn#0}`), so the source
/// file decides where the full symbol name is missing.
fn made_here(frame: &sentry::protocol::Frame) -> bool {
    let function = frame.function.as_deref().unwrap_or_default();
    let file = frame.abs_path.as_deref().unwrap_or_default();
    let ours = function.starts_with("kennel::") || file.contains(SOURCE_DIR);
    let plumbing = function.starts_with("kennel::error::")
        || function.starts_with("kennel::error_tracking::")
        || file.ends_with("/src/error.rs")
        || file.ends_with("/src/error_tracking.rs");
    ours && !plumbing
}

/// Where Kennel's sources sit in every build's paths (debug info).
const SOURCE_DIR: &str = "crates/kennel/src/";

/// Where an error was made: the innermost Kennel function with a full name
/// (closure suffixes dropped), else the source file of the innermost frame.
fn origin(stack: &Stacktrace) -> Option<String> {
    let innermost = stack.frames.last()?;
    let named = stack
        .frames
        .iter()
        .rev()
        .take_while(|f| made_here(f))
        .find_map(|f| {
            f.function
                .as_deref()
                .filter(|name| name.starts_with("kennel::"))
        });
    if let Some(function) = named {
        let mut name = function;
        while let Some(stripped) = name.strip_suffix("::{{closure}}") {
            name = stripped;
        }
        return Some(name.to_string());
    }
    let file = innermost.abs_path.as_deref()?;
    let at = file.find(SOURCE_DIR)?;
    Some(file[at..].to_string())
}

/// A cause's type: the driver's or library's name for the known ones, else
/// what its `Debug` output starts with, as Sentry's own integrations do.
fn cause_type(error: &(dyn std::error::Error + 'static)) -> String {
    let debug = format!("{error:?}");
    let variant = sentry::parse_type_from_debug(&debug);
    if error.downcast_ref::<sqlx::Error>().is_some() {
        format!("sqlx::Error::{variant}")
    } else if error.downcast_ref::<std::io::Error>().is_some() {
        "std::io::Error".to_string()
    } else if error.downcast_ref::<serde_json::Error>().is_some() {
        "serde_json::Error".to_string()
    } else if debug == format!("{:?}", error.to_string()) {
        // A plain message (`anyhow!("...")`).
        "Error".to_string()
    } else if debug.starts_with("Error {") && debug.contains("context:") {
        // A context added with `anyhow::Context`.
        "Context".to_string()
    } else {
        variant.to_string()
    }
}

/// The event for an unexpected error: one exception per cause, the root cause
/// first (Sentry's order), the stack on the outermost, and a fingerprint of
/// the root cause's type and where it was made.
fn failure_event(failure: &InternalError, route: &str) -> Event<'static> {
    let mut exceptions: Vec<Exception> = failure
        .error
        .chain()
        .map(|cause| Exception {
            ty: cause_type(cause),
            value: Some(cause.to_string()),
            ..Default::default()
        })
        .collect();
    exceptions.reverse();
    let root = exceptions.first().map(|e| e.ty.clone()).unwrap_or_default();
    let place = failure
        .stack
        .as_ref()
        .and_then(origin)
        .unwrap_or_else(|| route.to_string());
    if let Some(outermost) = exceptions.last_mut() {
        outermost.stacktrace = failure.stack.clone();
    }
    Event {
        exception: exceptions.into(),
        level: Level::Error,
        fingerprint: vec!["internal_error".into(), root.into(), place.into()].into(),
        ..Default::default()
    }
}

/// Reports a 5xx response (called by the request-context middleware): the
/// failure behind it when there is one, else the response itself.
pub fn report_response(
    method: &str,
    route: &str,
    status: u16,
    code: Option<&str>,
    failure: Option<&InternalError>,
) {
    if status < 500 || code.is_some_and(|c| EXPECTED.contains(&c)) {
        return;
    }
    let transaction = format!("{method} {route}");
    let mut event = match failure {
        Some(failure) => failure_event(failure, route),
        None => Event {
            message: Some(format!(
                "{transaction} answered {status} {}",
                code.unwrap_or("")
            )),
            level: Level::Error,
            fingerprint: vec![
                "response".into(),
                transaction.clone().into(),
                status.to_string().into(),
                code.unwrap_or("").to_string().into(),
            ]
            .into(),
            ..Default::default()
        },
    };
    event.transaction = Some(transaction);
    // Without an initialised client this is a no-op.
    sentry::with_scope(
        |scope| {
            scope.set_tag("route", route);
            scope.set_tag("status", status);
            if let Some(code) = code {
                scope.set_tag("code", code);
            }
        },
        || sentry::capture_event(event),
    );
}
