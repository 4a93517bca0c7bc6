//! Prometheus metrics: the recorder and what the request path records. They are
//! served as text on their own port (`METRICS_PORT`, `http::metrics_endpoint`) so
//! they are never reachable through the public URL.
//!
//! Names follow Prometheus conventions and the contract the alert rules and
//! dashboard rely on (docs/operations.md, "Metrics contract"):
//! `http_requests_total{method,route,status_class}`,
//! `http_request_duration_seconds{method,route}`, `http_requests_shed_total`,
//! `kennel_ready`, `db_pool_connections{state}`, `db_errors_total{kind}`, `llm_requests_total{outcome}`,
//! `llm_request_duration_seconds`, `llm_tokens_total{kind}`,
//! `rate_limit_rejections_total{bucket}`, `rate_limit_redis_failures_total`,
//! `flag_evaluations_total{flag,result}`, `http_requests_degraded_total{route,code}`,
//! `http_open_connections`, `http_body_timeouts_total`, `http_write_stalls_total`,
//! `outbox_messages{status}`, `outbox_oldest_pending_seconds`,
//! `outbox_deliveries_total{kind,outcome}`.

use std::sync::OnceLock;
use std::time::Duration;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

const LATENCY_BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Installs the process-wide recorder once and returns its handle.
pub fn handle() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &LATENCY_BUCKETS)
            .expect("latency buckets are not empty");
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        // Tests build several apps in one process; only the first install wins,
        // and every app reports through it.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

/// Records one finished request (called by the request-context middleware).
pub fn record_request(method: &str, route: &str, status: u16, latency: Duration) {
    // Without a metrics listener nothing is recorded: skip building the labels
    // on every request.
    if HANDLE.get().is_none() {
        return;
    }
    let class = match status {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    };
    let (method, route) = (method.to_string(), route.to_string());
    metrics::counter!("http_requests_total", "method" => method.clone(), "route" => route.clone(), "status_class" => class)
        .increment(1);
    metrics::histogram!("http_request_duration_seconds", "method" => method, "route" => route)
        .record(latency.as_secs_f64());
}

/// Problem codes of 5xx answers that are designed degradation (a feature switched
/// off or its provider down, load shed), not failures: the availability alerts
/// subtract them from the 5xx count.
const DEGRADED_CODES: [&str; 2] = ["feature_unavailable", "overloaded"];

/// Counts a 5xx answer whose problem code is designed degradation, in
/// `http_requests_degraded_total{route,code}` (a subset of the 5xx class of
/// `http_requests_total`).
pub fn record_degraded(route: &str, code: Option<&str>) {
    if HANDLE.get().is_none() {
        return;
    }
    if let Some(&code) = code.and_then(|c| DEGRADED_CODES.iter().find(|d| **d == c)) {
        metrics::counter!("http_requests_degraded_total", "route" => route.to_string(), "code" => code)
            .increment(1);
    }
}
