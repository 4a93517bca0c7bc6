//! The committed OpenAPI document must match the code.

use std::path::PathBuf;

use utoipa::OpenApi;

use crate::support::{Db, TestApp};

fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../openapi.json")
}

/// Fails when `openapi.json` is stale. Regenerate with
/// `UPDATE_OPENAPI=1 cargo nextest run -E 'test(openapi)'` (or `kennel openapi`).
#[test]
fn committed_openapi_document_matches_the_code() {
    let generated = kennel::http::openapi::document();
    let path = committed_path();
    if std::env::var("UPDATE_OPENAPI").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi.json is out of date with the code; run: UPDATE_OPENAPI=1 cargo nextest run -E 'test(openapi)'"
    );
}

#[tokio::test]
async fn served_document_lists_every_route_and_the_browse_parameters() {
    let app = TestApp::spawn_empty(Db::Sqlite).await;
    let (status, doc) = app.get_json("/openapi.json").await;
    assert_eq!(status, 200);
    for path in [
        "/v1/puppies",
        "/v1/puppies/{id}",
        "/v1/breeds",
        "/v1/organizations/{id}",
        "/v1/photos/{id}/{variant}",
        "/healthz",
        "/readyz",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
    let params: Vec<&str> = doc["paths"]["/v1/puppies"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["in"] == "query")
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    // Every name the parser accepts is documented, and nothing else.
    for name in [
        "breed",
        "size",
        "sex",
        "age",
        "coat",
        "good_with",
        "status",
        "organization",
        "near",
        "radius_km",
        "q",
        "sort",
        "limit",
        "cursor",
    ] {
        assert!(params.contains(&name), "{name} undocumented");
        let probe = format!("/v1/puppies?{name}=");
        assert_ne!(app.get(&probe).await.status(), 500);
    }
    assert_eq!(params.len(), 14);
}

/// Every `$ref` points at a schema the document defines: generated clients
/// refuse a document with a dangling reference.
#[test]
fn every_schema_reference_resolves() {
    let document = serde_json::to_string(&kennel::http::openapi::ApiDoc::openapi()).unwrap();
    let value: serde_json::Value = serde_json::from_str(&document).unwrap();
    let defined = value["components"]["schemas"].as_object().unwrap();
    let mut missing: Vec<&str> = document
        .split("\"#/components/schemas/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|name| !defined.contains_key(*name))
        .collect();
    missing.dedup();
    assert!(missing.is_empty(), "undefined schemas: {missing:?}");
}
