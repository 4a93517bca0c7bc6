//! Serving connections: limits against slow and idle clients, a bound on open
//! connections, and a graceful shutdown: on SIGTERM/SIGINT the listener closes,
//! in-flight requests finish, and the process exits within the grace period
//! (8 s by default, inside Cloud Run's 10 s).
//!
//! The accept loop is Kennel's own (axum's `serve` installs no timer, so a
//! client could hold a connection open forever without sending a request):
//!
//! - at most `max_connections` connections are open at once; at the bound the
//!   loop stops accepting (new clients wait in the kernel's backlog) instead of
//!   running the process out of file descriptors;
//! - the request line and headers must arrive within `header_read_timeout`, and
//!   the same timer closes a kept-alive connection that sends no new request;
//! - a request head (request line and headers) may hold at most
//!   `MAX_HEAD_BYTES`, so a connection's read buffer stays small however many
//!   connections send huge heads at once (hyper's default lets it grow to
//!   about 400 KiB);
//! - a response write that makes no progress for `write_stall_timeout` (a
//!   client that stopped reading) ends the connection, which hyper has no
//!   timer for;
//! - the responses hyper writes itself for requests it cannot parse (400, 414,
//!   431) are replaced by problem documents.
//!
//! The last two live in `ConnectionIo`, the socket as hyper sees it.
//!
//! Bodies have their own deadline in the protective layer
//! (`http::protection`), read before a request takes a concurrency slot.

use std::future::Future;
use std::io;
use std::pin::{pin, Pin};
use std::sync::Arc;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify, Semaphore};
use tower::ServiceExt;

use crate::error::{Problem, PROBLEM_CONTENT_TYPE};

/// Limits applied to every connection.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// The request line and headers must arrive within this; an idle
    /// kept-alive connection is closed after it too.
    pub header_read_timeout: Duration,
    /// A response write that makes no progress for this long ends the
    /// connection.
    pub write_stall_timeout: Duration,
    /// Connections open at once; beyond it the server stops accepting.
    pub max_connections: usize,
    /// Send HSTS on the responses written before routing too.
    pub https_only: bool,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            header_read_timeout: Duration::from_secs(10),
            write_stall_timeout: Duration::from_secs(15),
            max_connections: 1024,
            https_only: false,
        }
    }
}

/// The most a request head (request line and headers) may hold. hyper checks
/// it after each read, so a head that arrives in one read may be up to one
/// read larger, and a connection's read buffer stays under twice this:
/// 32 KiB, or 128 MiB at worst over 4,096 connections. A head past it is
/// refused with 431, or 414 when the request line alone does not fit.
pub const MAX_HEAD_BYTES: usize = 16 * 1024;

/// Descriptors kept free for everything that is not a client connection: the
/// database pool, Redis, the metrics listener, photo files, log output.
pub const RESERVED_DESCRIPTORS: u64 = 128;
/// The default bound on connections when the descriptor limit allows more.
pub const DEFAULT_MAX_CONNECTIONS: usize = 4096;

/// The process's soft limit on open file descriptors, if known.
pub fn descriptor_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        rustix::process::getrlimit(rustix::process::Resource::Nofile).current
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// The bound on open connections: the configured one (`MAX_CONNECTIONS`) or
/// `DEFAULT_MAX_CONNECTIONS`, always at least `RESERVED_DESCRIPTORS` below the
/// descriptor limit so the process can still open its database connections
/// and files when every connection slot is taken.
pub fn connection_bound(configured: Option<usize>, descriptor_limit: Option<u64>) -> usize {
    let wanted = configured.unwrap_or(DEFAULT_MAX_CONNECTIONS);
    match descriptor_limit {
        Some(limit) => {
            let room = limit.saturating_sub(RESERVED_DESCRIPTORS).max(16);
            let room = usize::try_from(room).unwrap_or(usize::MAX);
            if configured.is_some_and(|c| c > room) {
                tracing::warn!(
                    configured = wanted,
                    descriptor_limit = limit,
                    used = room,
                    "MAX_CONNECTIONS is above what the descriptor limit allows; lowered"
                );
            }
            wanted.min(room)
        }
        None => wanted,
    }
}

/// Serves `app` on `listener` with the default connection limits until
/// `shutdown` completes, then waits at most `grace` for in-flight requests.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
    grace: Duration,
) -> anyhow::Result<()> {
    serve_with(listener, app, shutdown, grace, ConnectionLimits::default()).await
}

/// Serves `app` on `listener` until `shutdown` completes, then waits at most
/// `grace` for in-flight requests before giving up on them.
pub async fn serve_with(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
    grace: Duration,
    limits: ConnectionLimits,
) -> anyhow::Result<()> {
    let stopping = Arc::new(Notify::new());
    let notify = stopping.clone();
    let (signal_tx, signal_rx) = watch::channel(());
    tokio::spawn(async move {
        shutdown.await;
        notify.notify_one();
        drop(signal_rx);
    });
    let mut task = tokio::spawn(accept_loop(listener, app, signal_tx, limits));
    tokio::select! {
        result = &mut task => result?,
        _ = stopping.notified() => {
            tracing::info!(grace_seconds = grace.as_secs_f64(), "shutting down: finishing in-flight requests");
            match tokio::time::timeout(grace, &mut task).await {
                Ok(result) => result?,
                Err(_) => {
                    tracing::warn!("grace period over: abandoning requests still in flight");
                    task.abort();
                }
            }
        }
    }
    tracing::info!("stopped");
    Ok(())
}

/// Accepts connections until the shutdown signal, then waits for every
/// connection to finish (each closes once its in-flight request is answered).
async fn accept_loop(
    listener: TcpListener,
    app: Router,
    signal_tx: watch::Sender<()>,
    limits: ConnectionLimits,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let (close_tx, close_rx) = watch::channel(());
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(MAX_HEAD_BYTES)
        .keep_alive(true);
    loop {
        // A slot first: at the bound, connections wait in the backlog instead
        // of taking a descriptor each.
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
            _ = signal_tx.closed() => break,
        };
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of descriptors or a connection reset before accept:
                    // pause instead of spinning.
                    tracing::warn!(error = %error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = signal_tx.closed() => break,
        };
        metrics::gauge!("http_open_connections").increment(1.0);
        let _ = stream.set_nodelay(true);
        let service = app.clone().map_request(move |request: Request<Incoming>| {
            let mut request = request.map(Body::new);
            request.extensions_mut().insert(ConnectInfo(remote));
            request
        });
        let service = TowerToHyperService::new(service);
        let builder = builder.clone();
        let signal_tx = signal_tx.clone();
        let close_rx = close_rx.clone();
        tokio::spawn(async move {
            let io = TokioIo::new(ConnectionIo::new(stream, limits));
            let mut connection = pin!(builder.serve_connection(io, service));
            let mut signal = pin!(signal_tx.closed());
            let mut shutting_down = false;
            loop {
                tokio::select! {
                    result = connection.as_mut() => {
                        if let Err(error) = result {
                            tracing::debug!(error = %error, "connection ended with an error");
                        }
                        break;
                    }
                    _ = &mut signal, if !shutting_down => {
                        shutting_down = true;
                        connection.as_mut().graceful_shutdown();
                    }
                }
            }
            metrics::gauge!("http_open_connections").decrement(1.0);
            drop(slot);
            drop(close_rx);
        });
    }
    drop(close_rx);
    drop(listener);
    close_tx.closed().await;
}

/// A client's socket as hyper sees it. Ends the connection when a write
/// stalls for `write_stall_timeout`, and replaces the bare responses hyper
/// writes on its own for requests it cannot parse (400 bad request line or header, 414 URI longer than 64 KiB, 431 too
/// many or too large headers), which carry no body and no headers of Kennel's,
/// by a problem document with the security headers and a request id.
///
/// Kennel's own error responses are always problem documents with a
/// `content-type`; a response head hyper wrote without one, with a 4xx status,
/// can only be one of hyper's. It is the last thing written on the connection
/// (hyper closes after it), so what follows is discarded.
struct ConnectionIo {
    inner: TcpStream,
    state: Rewrite,
    https_only: bool,
    write_stall_timeout: Duration,
    /// Running while a write is waiting for the client to read.
    stall: Option<Pin<Box<tokio::time::Sleep>>>,
    /// Whether a line break has been read: until then the request line is
    /// still arriving, so a head hyper finds too large is a URI too long.
    line_ended: bool,
}

enum Rewrite {
    /// Writes pass through.
    Watching,
    /// Writing the replacement; `usize` is how much of it is written.
    Replacing(Vec<u8>, usize),
    /// The replacement is written; anything more from hyper is dropped.
    Done,
}

impl ConnectionIo {
    fn new(inner: TcpStream, limits: ConnectionLimits) -> Self {
        ConnectionIo {
            inner,
            state: Rewrite::Watching,
            https_only: limits.https_only,
            write_stall_timeout: limits.write_stall_timeout,
            stall: None,
            line_ended: false,
        }
    }

    /// Passes a write's outcome on; a write that cannot progress starts the
    /// stall timer, and one still waiting when it runs out ends the
    /// connection with `TimedOut`. Any progress stops the timer.
    fn watch_stall<T>(
        &mut self,
        cx: &mut Context<'_>,
        result: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        if result.is_ready() {
            self.stall = None;
            return result;
        }
        let limit = self.write_stall_timeout;
        let timer = self
            .stall
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        if timer.as_mut().poll(cx).is_ready() {
            self.stall = None;
            metrics::counter!("http_write_stalls_total").increment(1);
            tracing::debug!("client stopped reading its response; connection closed");
            return Poll::Ready(Err(io::ErrorKind::TimedOut.into()));
        }
        Poll::Pending
    }
}

/// The status of a response head hyper wrote for a parse error, if `bytes`
/// starts with one.
fn hyper_error_status(bytes: &[u8]) -> Option<StatusCode> {
    let head_end = bytes.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&bytes[..head_end]).ok()?;
    let status_line = head.lines().next()?;
    let code = status_line
        .strip_prefix("HTTP/1.1 ")
        .or_else(|| status_line.strip_prefix("HTTP/1.0 "))?
        .get(..3)?;
    let status = StatusCode::from_bytes(code.as_bytes()).ok()?;
    let has_content_type = head
        .lines()
        .any(|line| line.to_ascii_lowercase().starts_with("content-type:"));
    (status.is_client_error() && !has_content_type).then_some(status)
}

/// The full response (head and problem document) sent instead of hyper's.
fn problem_response(status: StatusCode, https_only: bool) -> Vec<u8> {
    let request_id = uuid::Uuid::now_v7().simple().to_string();
    let (code, title, detail) = match status {
        StatusCode::URI_TOO_LONG => (
            "uri_too_long",
            "URI too long",
            "The request's path and query are too long.",
        ),
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => (
            "headers_too_large",
            "Request header fields too large",
            "The request has more than 100 headers, or its request line and headers together are larger than 16 KiB.",
        ),
        _ => (
            "malformed_request",
            "Bad request",
            "The request is not valid HTTP/1.1.",
        ),
    };
    let mut problem = Problem::new(status, code, title, Some(detail.into()));
    problem.request_id = Some(request_id.clone());
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    tracing::warn!(
        requestId = %request_id,
        status = status.as_u16(),
        code,
        "request refused by the HTTP parser"
    );
    let mut head = format!(
        "HTTP/1.1 {} {}\r\ncontent-type: {PROBLEM_CONTENT_TYPE}\r\ncontent-length: {}\r\nconnection: close\r\nx-request-id: {request_id}\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or(""),
        body.len()
    );
    let hsts = https_only.then_some(crate::http::protection::HSTS);
    for (name, value) in crate::http::protection::SECURITY_HEADERS
        .into_iter()
        .chain(hsts)
    {
        head.push_str(name);
        head.push_str(": ");
        head.push_str(value);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(&body);
    bytes
}

impl ConnectionIo {
    /// hyper answers 414 only for a URI past 64 KiB; a request line that
    /// overflows the smaller head buffer first reaches it as 431, so a head
    /// refused before its first line ended is named for what it is.
    fn refine(&self, status: StatusCode) -> StatusCode {
        if status == StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE && !self.line_ended {
            StatusCode::URI_TOO_LONG
        } else {
            status
        }
    }

    /// Writes what remains of the replacement; ready once all of it is written.
    fn poll_replacement(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while let Rewrite::Replacing(bytes, written) = &mut self.state {
            if *written == bytes.len() {
                self.state = Rewrite::Done;
                break;
            }
            let result = Pin::new(&mut self.inner).poll_write(cx, &bytes[*written..]);
            let n = ready!(self.watch_stall(cx, result))?;
            let Rewrite::Replacing(_, written) = &mut self.state else {
                break;
            };
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            *written += n;
        }
        Poll::Ready(Ok(()))
    }
}

impl AsyncRead for ConnectionIo {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        ready!(Pin::new(&mut self.inner).poll_read(cx, buf))?;
        if !self.line_ended && buf.filled()[before..].contains(&b'\n') {
            self.line_ended = true;
        }
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for ConnectionIo {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        if let Rewrite::Watching = this.state {
            match hyper_error_status(buf).map(|s| this.refine(s)) {
                Some(status) => {
                    this.state = Rewrite::Replacing(problem_response(status, this.https_only), 0)
                }
                None => {
                    let result = Pin::new(&mut this.inner).poll_write(cx, buf);
                    return this.watch_stall(cx, result);
                }
            }
        }
        ready!(this.poll_replacement(cx))?;
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        if let Rewrite::Watching = this.state {
            let first = bufs.iter().find(|b| !b.is_empty());
            match first
                .and_then(|b| hyper_error_status(b))
                .map(|s| this.refine(s))
            {
                Some(status) => {
                    this.state = Rewrite::Replacing(problem_response(status, this.https_only), 0)
                }
                None => {
                    let result = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
                    return this.watch_stall(cx, result);
                }
            }
        }
        ready!(this.poll_replacement(cx))?;
        Poll::Ready(Ok(bufs.iter().map(|b| b.len()).sum()))
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_replacement(cx))?;
        let result = Pin::new(&mut self.inner).poll_flush(cx);
        self.watch_stall(cx, result)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_replacement(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// Completes on SIGTERM (Cloud Run, Kubernetes, systemd) or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_connection_bound_stays_below_the_descriptor_limit() {
        assert_eq!(connection_bound(None, None), DEFAULT_MAX_CONNECTIONS);
        assert_eq!(connection_bound(None, Some(1024)), 1024 - 128);
        assert_eq!(connection_bound(Some(100), Some(1024)), 100);
        assert_eq!(connection_bound(Some(5000), Some(1024)), 896);
        assert_eq!(connection_bound(None, Some(1_048_576)), 4096);
        assert_eq!(connection_bound(None, Some(50)), 16);
    }

    #[test]
    fn only_bare_client_error_heads_are_hyper_s() {
        let hyper_431 =
            b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\ndate: x\r\n\r\n";
        assert_eq!(
            hyper_error_status(hyper_431),
            Some(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE)
        );
        let ours = b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/problem+json\r\n\r\n{}";
        assert_eq!(hyper_error_status(ours), None);
        assert_eq!(
            hyper_error_status(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"),
            None
        );
        assert_eq!(hyper_error_status(b"{\"items\":[]}"), None);
        assert_eq!(hyper_error_status(b"HTTP/1.1 414"), None);
    }
}
