//! The API keeps to its OpenAPI document where fuzzing (scripts/fuzz-api.sh)
//! found it did not: error statuses the framework produces are declared where
//! they can occur.

use serde_json::{json, Value};

use crate::support::{assert_problem, Db, TestApp};

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

/// Every operation of the served document, as (path, method, operation).
fn operations(doc: &Value) -> Vec<(String, &'static str, Value)> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                all.push((path.clone(), method, operation.clone()));
            }
        }
    }
    all
}

#[tokio::test]
async fn the_document_declares_the_errors_every_route_can_give() {
    let app = TestApp::spawn_empty(Db::Sqlite).await;
    let (_, doc) = app.get_json("/openapi.json").await;
    for name in [
        "BadRequest",
        "Unauthorized",
        "PayloadTooLarge",
        "UnsupportedMediaType",
        "UnprocessableJson",
        "TooManyRequests",
        "Unavailable",
    ] {
        let response = &doc["components"]["responses"][name];
        assert_eq!(
            response["content"]["application/problem+json"]["schema"]["$ref"],
            "#/components/schemas/Problem",
            "{name}"
        );
    }
    for (path, method, operation) in operations(&doc) {
        let responses = operation["responses"].as_object().unwrap();
        let declares = |status: &str| responses.contains_key(status);
        let label = format!("{method} {path}");
        if path.starts_with("/v1/") {
            assert!(declares("503"), "{label}: 503");
            if path != "/v1/photos/{id}/{variant}" {
                assert!(declares("429"), "{label}: 429");
            }
        }
        if operation["requestBody"]["content"]
            .get("application/json")
            .is_some()
        {
            for status in ["400", "413", "415", "422"] {
                assert!(declares(status), "{label}: {status}");
            }
        }
        let secured = operation["security"]
            .as_array()
            .is_some_and(|s| !s.is_empty() && s.iter().all(|r| r != &json!({})));
        if secured {
            assert!(declares("401"), "{label}: 401");
        }
        for parameter in operation["parameters"].as_array().into_iter().flatten() {
            if parameter["in"] == "path" && parameter["schema"]["format"] == "uuid" {
                assert!(declares("400"), "{label}: 400 for a malformed id");
            }
            if parameter["in"] == "query" {
                assert!(declares("400"), "{label}: 400 for a bad parameter");
                assert_eq!(parameter["allowEmptyValue"], true, "{label}");
            }
        }
    }
    let retry_after = &doc["components"]["responses"]["TooManyRequests"]["headers"]["Retry-After"];
    assert_eq!(retry_after["schema"]["type"], "integer");
}

#[tokio::test]
async fn bodies_the_extractor_refuses_are_the_declared_problems() {
    let app = TestApp::spawn_empty(Db::Sqlite).await;
    let url = app.url("/v1/auth/login");
    let text = app
        .client
        .post(&url)
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_problem(text, 415, "unsupported_media_type").await;
    let broken = app
        .client
        .post(&url)
        .header("content-type", "application/json")
        .body("{\"email\":")
        .send()
        .await
        .unwrap();
    assert_problem(broken, 400, "bad_request").await;
    let wrong_shape = app
        .client
        .post(&url)
        .json(&json!({"email": ["a"], "password": "x"}))
        .send()
        .await
        .unwrap();
    assert_problem(wrong_shape, 422, "unprocessable_entity").await;
    let huge = app
        .client
        .post(&url)
        .header("content-type", "application/json")
        .body(format!("{{\"email\":\"{}\"}}", "a".repeat(70 * 1024)))
        .send()
        .await
        .unwrap();
    assert_problem(huge, 413, "payload_too_large").await;
}
