//! The benchmark's ceiling: the best any HTTP server could do on this machine
//! for Kennel's responses. It serves each file of a folder, read once at start,
//! at `/<file name>` — the same bytes Kennel returned for an endpoint, with the
//! same content type — using the same HTTP stack as Kennel (axum on hyper and
//! a multi-threaded tokio runtime) but no database, no serialisation, no
//! middleware. `bench/run.py` compares each endpoint with it.
//!
//! Usage: kennel-ceiling <folder> <port>

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

type Bodies = Arc<HashMap<String, (Bytes, &'static str)>>;

fn content_type(name: &str) -> &'static str {
    if name.ends_with(".jpg") {
        "image/jpeg"
    } else {
        "application/json"
    }
}

fn load(folder: &str) -> std::io::Result<Bodies> {
    let mut bodies = HashMap::new();
    for entry in std::fs::read_dir(folder)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let bytes = Bytes::from(std::fs::read(entry.path())?);
        bodies.insert(name.clone(), (bytes, content_type(&name)));
    }
    Ok(Arc::new(bodies))
}

async fn serve(State(bodies): State<Bodies>, Path(name): Path<String>) -> Response {
    match bodies.get(&name) {
        Some((bytes, kind)) => ([(header::CONTENT_TYPE, *kind)], bytes.clone()).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(folder), Some(port)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: kennel-ceiling <folder> <port>");
        std::process::exit(2);
    };
    let Ok(port) = port.parse::<u16>() else {
        eprintln!("kennel-ceiling: port must be a number, got {port:?}");
        std::process::exit(2);
    };
    let bodies = match load(folder) {
        Ok(bodies) => bodies,
        Err(err) => {
            eprintln!("kennel-ceiling: cannot read {folder}: {err}");
            std::process::exit(1);
        }
    };
    let app = Router::new()
        .route("/{name}", get(serve))
        .route("/readyz", get(|| async { "ok" }))
        .with_state(bodies);
    let listener =
        match tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await {
            Ok(listener) => listener,
            Err(err) => {
                eprintln!("kennel-ceiling: cannot listen on 127.0.0.1:{port}: {err}");
                std::process::exit(1);
            }
        };
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .expect("server error");
}
