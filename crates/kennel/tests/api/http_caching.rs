//! HTTP the way apps and CDNs use it: negotiated compression, entity tags with
//! `If-None-Match` → 304, and `Cache-Control` / `Vary` on the public catalogue.

use std::io::Read;

use reqwest::header::HeaderMap;
use serde_json::{json, Value};

use crate::admin::admin_token;
use crate::both_databases;
use crate::listings::user_with_role;
use crate::support::{assert_problem, Db, Options, TestApp};

const PUBLIC: &str = "public, max-age=30, stale-while-revalidate=60";

/// Every `Vary` field line, joined, lowercase.
fn vary(headers: &HeaderMap) -> String {
    headers
        .get_all("vary")
        .iter()
        .map(|v| v.to_str().unwrap().to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join(", ")
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).map(|v| v.to_str().unwrap())
}

async fn get_with(app: &TestApp, path: &str, pairs: &[(&str, &str)]) -> reqwest::Response {
    let mut request = app.client.get(app.url(path));
    for (name, value) in pairs {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::Decompressor::new(bytes, 4096)
        .read_to_end(&mut out)
        .unwrap();
    out
}

/// gzip and brotli are chosen from `Accept-Encoding` and decode to exactly the
/// bytes sent without compression; the tag names all three.
async fn large_answers_are_compressed_as_the_client_asks(db: Db) {
    let app = TestApp::spawn(db).await;
    for path in [
        "/v1/puppies?limit=20",
        "/v1/puppies?limit=100",
        "/v1/breeds",
    ] {
        let plain = app.get(path).await;
        assert_eq!(plain.status(), 200);
        assert!(header(plain.headers(), "content-encoding").is_none());
        let length: usize = header(plain.headers(), "content-length")
            .expect("an uncompressed answer has its length")
            .parse()
            .unwrap();
        let etag = header(plain.headers(), "etag").unwrap().to_string();
        let identity = plain.bytes().await.unwrap();
        assert_eq!(identity.len(), length);
        assert!(length > 1024, "{path} is large enough to compress");

        for (accept, expected) in [
            ("gzip", "gzip"),
            ("br", "br"),
            ("gzip;q=0.5, br", "br"),
            ("br;q=0.1, gzip", "gzip"),
            ("identity", ""),
            ("br;q=0, gzip;q=0", ""),
        ] {
            let response = get_with(&app, path, &[("accept-encoding", accept)]).await;
            assert_eq!(response.status(), 200);
            let headers = response.headers().clone();
            assert!(
                vary(&headers).contains("accept-encoding"),
                "{path} {accept}"
            );
            assert_eq!(header(&headers, "etag"), Some(etag.as_str()));
            let bytes = response.bytes().await.unwrap();
            let decoded = match expected {
                "gzip" => gunzip(&bytes),
                "br" => unbrotli(&bytes),
                _ => bytes.to_vec(),
            };
            assert_eq!(
                header(&headers, "content-encoding").unwrap_or(""),
                expected,
                "{path} with Accept-Encoding: {accept}"
            );
            if !expected.is_empty() {
                assert!(
                    header(&headers, "content-length").is_none(),
                    "a compressed answer is streamed, never with the plain length"
                );
                assert!(
                    bytes.len() < identity.len() / 2,
                    "{path} {accept}: {}",
                    bytes.len()
                );
            }
            assert_eq!(decoded, identity, "{path} with Accept-Encoding: {accept}");
        }
    }
}

/// Small bodies, photo variants (already compressed JPEG) and problems go out
/// as they are, with their exact length.
async fn small_bodies_and_photos_are_sent_as_they_are(db: Db) {
    let app = TestApp::spawn(db).await;
    let accept = [("accept-encoding", "br, gzip")];

    let empty = get_with(&app, "/v1/puppies?q=nosuchpuppyname", &accept).await;
    assert_eq!(empty.status(), 200);
    assert!(header(empty.headers(), "content-encoding").is_none());
    let length: usize = header(empty.headers(), "content-length")
        .unwrap()
        .parse()
        .unwrap();
    let body = empty.bytes().await.unwrap();
    assert_eq!(body.len(), length);
    assert!(length < 1024);
    let page: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(page["items"], json!([]));

    let problem = get_with(&app, "/v1/puppies?limit=0", &accept).await;
    assert!(header(problem.headers(), "content-encoding").is_none());
    assert_problem(problem, 400, "validation_failed").await;

    let (_, list) = app.get_json("/v1/puppies?limit=1").await;
    let variants = list["items"][0]["photo"]["variants"].as_array().unwrap();
    for variant in variants {
        let url = variant["url"].as_str().unwrap();
        let response = app
            .client
            .get(url)
            .header("accept-encoding", "br, gzip, deflate")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(
            header(response.headers(), "content-type"),
            Some("image/jpeg")
        );
        assert!(header(response.headers(), "content-encoding").is_none());
        let length: usize = header(response.headers(), "content-length")
            .unwrap()
            .parse()
            .unwrap();
        let bytes = response.bytes().await.unwrap();
        assert!(length > 1024);
        assert_eq!(bytes.len(), length);
        assert_eq!(&bytes[..2], &[0xFF, 0xD8], "the JPEG itself");
    }
}

/// The same content has the same tag; `If-None-Match` with it (weakly, in a
/// list, or `*`) gets a bodiless 304 with the caching headers; another tag
/// gets the full answer; an edit changes the tags of the list and the detail.
async fn entity_tags_follow_the_content_and_answer_304(db: Db) {
    let app = TestApp::spawn(db).await;
    let (admin, _) = admin_token(&app, "root@example.com").await;
    let list_path = "/v1/puppies?limit=5";

    let first = app.get(list_path).await;
    let list_tag = header(first.headers(), "etag").unwrap().to_string();
    assert!(list_tag.starts_with("W/\""), "{list_tag}");
    let list: Value = first.json().await.unwrap();
    let again = app.get(list_path).await;
    assert_eq!(header(again.headers(), "etag"), Some(list_tag.as_str()));

    let strong = list_tag.trim_start_matches("W/").to_string();
    for condition in [
        list_tag.clone(),
        strong.clone(),
        format!("\"other\", {list_tag}"),
        "*".to_string(),
    ] {
        for encoding in ["identity", "gzip, br"] {
            let response = get_with(
                &app,
                list_path,
                &[("if-none-match", &condition), ("accept-encoding", encoding)],
            )
            .await;
            assert_eq!(response.status(), 304, "If-None-Match: {condition}");
            let headers = response.headers().clone();
            assert_eq!(header(&headers, "etag"), Some(list_tag.as_str()));
            assert_eq!(header(&headers, "cache-control"), Some(PUBLIC));
            assert!(vary(&headers).contains("accept-encoding"));
            assert!(header(&headers, "content-encoding").is_none());
            assert!(response.bytes().await.unwrap().is_empty());
        }
    }
    for condition in ["\"other\"", "W/\"other\", \"more\"", "not a tag"] {
        let response = get_with(&app, list_path, &[("if-none-match", condition)]).await;
        assert_eq!(response.status(), 200, "If-None-Match: {condition}");
        assert_eq!(header(response.headers(), "etag"), Some(list_tag.as_str()));
        let body: Value = response.json().await.unwrap();
        assert_eq!(body, list);
    }

    // The detail: its tag carries the version; an edit changes both tags.
    let id = list["items"][0]["id"].as_str().unwrap().to_string();
    let detail_path = format!("/v1/puppies/{id}");
    let detail = app.get(&detail_path).await;
    let detail_tag = header(detail.headers(), "etag").unwrap().to_string();
    assert!(detail_tag.starts_with("W/\"1-"), "{detail_tag}");
    let unchanged = get_with(&app, &detail_path, &[("if-none-match", &detail_tag)]).await;
    assert_eq!(unchanged.status(), 304);

    let edit = app
        .client
        .patch(app.url(&detail_path))
        .bearer_auth(&admin)
        .header("if-match", &detail_tag)
        .json(&json!({"name": "Renamed"}))
        .send()
        .await
        .unwrap();
    assert_eq!(edit.status(), 200);
    let saved_tag = header(edit.headers(), "etag").unwrap().to_string();
    assert!(saved_tag.starts_with("W/\"2-"), "{saved_tag}");

    let after = get_with(&app, &detail_path, &[("if-none-match", &detail_tag)]).await;
    assert_eq!(after.status(), 200, "the old tag is stale");
    assert_eq!(header(after.headers(), "etag"), Some(saved_tag.as_str()));
    let body: Value = after.json().await.unwrap();
    assert_eq!(body["name"], "Renamed");
    let current = get_with(&app, &detail_path, &[("if-none-match", &saved_tag)]).await;
    assert_eq!(
        current.status(),
        304,
        "the editor's copy from PATCH is current"
    );

    let list_after = get_with(&app, list_path, &[("if-none-match", &list_tag)]).await;
    assert_eq!(list_after.status(), 200);
    assert_ne!(
        header(list_after.headers(), "etag"),
        Some(list_tag.as_str())
    );
    let body: Value = list_after.json().await.unwrap();
    assert_eq!(body["items"][0]["name"], "Renamed");

    // Breeds and an organisation revalidate the same way.
    let org = list["items"][0]["organization"]["id"].as_str().unwrap();
    for path in ["/v1/breeds".to_string(), format!("/v1/organizations/{org}")] {
        let response = app.get(&path).await;
        assert_eq!(response.status(), 200);
        let tag = header(response.headers(), "etag").unwrap().to_string();
        let response = get_with(&app, &path, &[("if-none-match", &tag)]).await;
        assert_eq!(response.status(), 304, "{path}");
        assert!(response.bytes().await.unwrap().is_empty());
    }
}

/// Anonymous answers may be kept by anyone, for the configured time; an answer
/// to a signed-in request (same bytes) is private and revalidated; errors and
/// signed-in endpoints are never stored.
async fn cache_control_depends_on_sign_in_and_outcome(db: Db) {
    let app = TestApp::spawn(db).await;
    let (admin, _) = admin_token(&app, "root@example.com").await;
    let adopter = user_with_role(&app, &admin, "adopter@example.com", None).await;
    let (_, list) = app.get_json("/v1/puppies?limit=1").await;
    let id = list["items"][0]["id"].as_str().unwrap();
    let org = list["items"][0]["organization"]["id"].as_str().unwrap();

    for path in [
        "/v1/puppies?limit=20".to_string(),
        format!("/v1/puppies/{id}"),
        "/v1/breeds".to_string(),
        format!("/v1/organizations/{org}"),
    ] {
        let anonymous = app.get(&path).await;
        assert_eq!(anonymous.status(), 200);
        let headers = anonymous.headers().clone();
        assert_eq!(header(&headers, "cache-control"), Some(PUBLIC), "{path}");
        assert!(vary(&headers).contains("accept-encoding"), "{path}");
        assert!(!vary(&headers).contains("authorization"), "{path}");
        let anonymous_body = anonymous.bytes().await.unwrap();

        let signed_in = app
            .client
            .get(app.url(&path))
            .bearer_auth(&adopter)
            .send()
            .await
            .unwrap();
        assert_eq!(signed_in.status(), 200);
        let headers_in = signed_in.headers().clone();
        assert_eq!(
            header(&headers_in, "cache-control"),
            Some("private, no-cache"),
            "{path}"
        );
        assert!(vary(&headers_in).contains("authorization"), "{path}");
        assert_eq!(header(&headers_in, "etag"), header(&headers, "etag"));
        // Why `public` needs no `Vary: Authorization`: the body is the same
        // for everyone. A per-user field here would have to change that.
        assert_eq!(signed_in.bytes().await.unwrap(), anonymous_body, "{path}");
    }

    for (path, token) in [
        ("/v1/puppies/0190a0a0-0000-7000-8000-000000000000", None),
        ("/v1/puppies/not-a-uuid", None),
        ("/v1/puppies?limit=500", None),
        ("/v1/me", Some(adopter.as_str())),
        ("/v1/me/favorites", Some(adopter.as_str())),
        ("/v1/me", None),
    ] {
        let mut request = app.client.get(app.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        assert_eq!(
            header(response.headers(), "cache-control"),
            Some("no-store"),
            "{path}: {}",
            response.status()
        );
    }

    let variant = list["items"][0]["photo"]["variants"][0]["url"]
        .as_str()
        .unwrap();
    let photo = app.client.get(variant).send().await.unwrap();
    assert_eq!(
        header(photo.headers(), "cache-control"),
        Some("public, max-age=31536000, immutable")
    );
}

/// `HTTP_CACHE_MAX_AGE_SECONDS` and `HTTP_CACHE_STALE_WHILE_REVALIDATE_SECONDS`
/// set the public lifetime; zero leaves `stale-while-revalidate` out.
async fn public_lifetime_is_configurable(db: Db) {
    let app = TestApp::spawn_with(
        db,
        Options {
            demo: false,
            env: vec![
                ("HTTP_CACHE_MAX_AGE_SECONDS".into(), "5".into()),
                (
                    "HTTP_CACHE_STALE_WHILE_REVALIDATE_SECONDS".into(),
                    "0".into(),
                ),
            ],
            ..Options::default()
        },
    )
    .await;
    let response = app.get("/v1/puppies").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        header(response.headers(), "cache-control"),
        Some("public, max-age=5")
    );
}

both_databases!(
    large_answers_are_compressed_as_the_client_asks,
    small_bodies_and_photos_are_sent_as_they_are,
    entity_tags_follow_the_content_and_answer_304,
    cache_control_depends_on_sign_in_and_outcome,
    public_lifetime_is_configurable,
);
