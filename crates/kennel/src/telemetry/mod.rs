//! Logging: JSON lines in Cloud Logging's shape in staging and production, pretty
//! lines locally.
//!
//! Cloud Logging reads `severity`, `message`, `time`, `httpRequest` and
//! `logging.googleapis.com/trace` from each line written to stdout. Fields of the
//! enclosing spans (notably the request span's `requestId`) are copied onto every
//! line, so one request's lines can be found together.

pub mod context;

use std::fmt::Debug;
use std::io::Write;

use serde_json::{Map, Value};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

use crate::config::LogFormat;

/// Installs the global subscriber. Returns an error if one is already installed.
pub fn init(format: LogFormat, level: &str, gcp_project: Option<String>) -> anyhow::Result<()> {
    let filter = EnvFilter::try_new(level)?;
    let registry = tracing_subscriber::registry().with(filter);
    match format {
        LogFormat::Json => registry
            .with(CloudLoggingLayer::new(std::io::stdout, gcp_project))
            .try_init()?,
        LogFormat::Pretty => registry
            .with(
                tracing_subscriber::fmt::layer()
                    .compact()
                    .with_target(false)
                    .with_writer(std::io::stderr),
            )
            .try_init()?,
    }
    Ok(())
}

/// Span fields, kept in the span's extensions.
struct SpanFields(Map<String, Value>);

struct JsonVisitor<'a>(&'a mut Map<String, Value>);

impl Visit for JsonVisitor<'_> {
    fn record_f64(&mut self, field: &Field, value: f64) {
        let v = serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number);
        self.0.insert(field.name().to_string(), v);
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name().to_string(), Value::from(value));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().to_string(), Value::from(value));
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.insert(field.name().to_string(), Value::from(value));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_string(), Value::from(value));
    }
    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        self.0
            .insert(field.name().to_string(), Value::from(value.to_string()));
    }
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0
            .insert(field.name().to_string(), Value::from(format!("{value:?}")));
    }
}

/// Writes each event as one JSON object in Cloud Logging's structured format.
pub struct CloudLoggingLayer<W> {
    make_writer: W,
    project: Option<String>,
}

impl<W> CloudLoggingLayer<W> {
    pub fn new(make_writer: W, project: Option<String>) -> Self {
        CloudLoggingLayer {
            make_writer,
            project,
        }
    }
}

fn severity(level: &Level) -> &'static str {
    match *level {
        Level::ERROR => "ERROR",
        Level::WARN => "WARNING",
        Level::INFO => "INFO",
        _ => "DEBUG",
    }
}

impl<W> CloudLoggingLayer<W> {
    /// Places one field on the line, mapping the special names Cloud Logging knows.
    fn place(&self, line: &mut Map<String, Value>, key: String, value: Value) {
        if let Some(sub) = key.strip_prefix("httpRequest.") {
            let entry = line
                .entry("httpRequest")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(http) = entry {
                http.insert(sub.to_string(), value);
            }
            return;
        }
        match key.as_str() {
            "trace_id" => {
                if let (Some(project), Value::String(trace)) = (&self.project, &value) {
                    line.insert(
                        "logging.googleapis.com/trace".into(),
                        Value::from(format!("projects/{project}/traces/{trace}")),
                    );
                }
                line.insert("traceId".into(), value);
            }
            "span_id" => {
                line.insert("logging.googleapis.com/spanId".into(), value);
            }
            _ => {
                line.insert(key, value);
            }
        }
    }
}

impl<S, W> Layer<S> for CloudLoggingLayer<W>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    W: for<'a> MakeWriter<'a> + 'static,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = Map::new();
        attrs.record(&mut JsonVisitor(&mut fields));
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(SpanFields(fields));
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id) {
            let mut extensions = span.extensions_mut();
            if let Some(SpanFields(fields)) = extensions.get_mut::<SpanFields>() {
                values.record(&mut JsonVisitor(fields));
            }
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut line = Map::new();
        line.insert(
            "time".into(),
            Value::from(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)),
        );
        line.insert(
            "severity".into(),
            Value::from(severity(event.metadata().level())),
        );
        // Outer spans first so that inner spans' fields win.
        if let Some(scope) = ctx.event_scope(event) {
            for span in scope.from_root() {
                if let Some(SpanFields(fields)) = span.extensions().get::<SpanFields>() {
                    for (k, v) in fields {
                        self.place(&mut line, k.clone(), v.clone());
                    }
                }
            }
        }
        let mut fields = Map::new();
        event.record(&mut JsonVisitor(&mut fields));
        let message = fields.remove("message").unwrap_or(Value::from(""));
        for (k, v) in fields {
            self.place(&mut line, k, v);
        }
        line.insert("message".into(), message);
        line.insert(
            "target".into(),
            Value::from(event.metadata().target().to_string()),
        );
        if let Ok(mut text) = serde_json::to_vec(&line) {
            text.push(b'\n');
            let _ = self.make_writer.make_writer().write_all(&text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl Write for Buffer {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'a> MakeWriter<'a> for Buffer {
        type Writer = Buffer;
        fn make_writer(&'a self) -> Self::Writer {
            self.clone()
        }
    }

    #[test]
    fn lines_carry_severity_request_id_trace_and_http_request() {
        let buffer = Buffer::default();
        let subscriber = tracing_subscriber::registry().with(CloudLoggingLayer::new(
            buffer.clone(),
            Some("demo-project".into()),
        ));
        tracing::subscriber::with_default(subscriber, || {
            let span = tracing::info_span!(
                "request",
                requestId = "req-1",
                trace_id = tracing::field::Empty
            );
            span.record("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
            let _guard = span.enter();
            tracing::warn!(
                httpRequest.requestMethod = "GET",
                httpRequest.status = 404u64,
                "not there"
            );
        });
        let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        let line: Value = serde_json::from_str(text.trim()).unwrap();
        assert_eq!(line["severity"], "WARNING");
        assert_eq!(line["message"], "not there");
        assert_eq!(line["requestId"], "req-1");
        assert_eq!(
            line["logging.googleapis.com/trace"],
            "projects/demo-project/traces/4bf92f3577b34da6a3ce929d0e0e4736"
        );
        assert_eq!(line["httpRequest"]["requestMethod"], "GET");
        assert_eq!(line["httpRequest"]["status"], 404);
    }
}
