//! The API keeps to its OpenAPI document where fuzzing (scripts/fuzz-api.sh)
//! found it did not: error statuses the framework produces are declared where
//! they can occur, documented constraints match what the server checks, and
//! whole numbers written as `25000.0` count as integers, as JSON Schema says.

use serde_json::{json, Value};

use crate::admin::admin_token;
use crate::both_databases;
use crate::listings::user_with_role;
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
            for status in ["400", "413", "415"] {
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
    let body = assert_problem(broken, 400, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "body");
    assert_eq!(
        body["errors"][0]["message"],
        "is not valid JSON (line 1, column 9)"
    );
    let wrong_shape = app
        .client
        .post(&url)
        .json(&json!({"email": ["a"], "password": "x"}))
        .send()
        .await
        .unwrap();
    let body = assert_problem(wrong_shape, 400, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "email");
    assert_eq!(body["errors"][0]["message"], "must be a string, not a list");
    let missing = app
        .client
        .post(&url)
        .json(&json!({"password": "x"}))
        .send()
        .await
        .unwrap();
    let body = assert_problem(missing, 400, "validation_failed").await;
    assert_eq!(
        body["errors"],
        json!([{"field": "email", "message": "is required"}])
    );
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

#[tokio::test]
async fn display_names_follow_the_documented_pattern() {
    let app = TestApp::spawn_empty(Db::Sqlite).await;
    let doc = app.get_json("/openapi.json").await.1;
    let schema = &doc["components"]["schemas"]["RegisterRequest"]["properties"]["display_name"];
    assert_eq!(schema["maxLength"], 80);
    assert!(schema["pattern"].as_str().unwrap().contains("[^\\s"));
    let register = |name: &'static str, email: &'static str| {
        let app = &app;
        async move {
            app.client
                .post(app.url("/v1/auth/register"))
                .json(&json!({"email": email, "password": "correct horse battery", "display_name": name}))
                .send()
                .await
                .unwrap()
        }
    };
    // A control character anywhere is refused, as the pattern says.
    let r = register("\u{e5}\u{8d}x", "one@example.com").await;
    let body = assert_problem(r, 400, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "display_name");
    assert_eq!(register("   ", "two@example.com").await.status(), 400);
    // Surrounding spaces are dropped, the rest is kept.
    let body = crate::support::sign_up(&app, "three@example.com", "  Åsa  ").await;
    assert_eq!(body["user"]["display_name"], "Åsa");
}

async fn whole_numbers_with_a_zero_fraction_are_integers(db: Db) {
    let app = TestApp::spawn(db).await;
    let (admin, _) = admin_token(&app, "root@example.com").await;
    let puppies = app.get_all("/v1/puppies?limit=1").await;
    let org = puppies[0]["organization"]["id"].as_str().unwrap();
    let staff = user_with_role(&app, &admin, "s@example.com", Some(("staff", org))).await;
    let puppy = |fee: Value| {
        json!({
            "name": "Pixel", "breed": "beagle", "sex": "female", "birth_date": "2025-08-01",
            "colour": "tricolour", "adoption_fee_cents": fee
        })
    };
    let create = |body: Value| {
        let (app, staff) = (&app, &staff);
        async move {
            app.client
                .post(app.url("/v1/puppies"))
                .bearer_auth(staff)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    let r = create(puppy(json!(25000.0))).await;
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.unwrap();
    assert_eq!(created["adoption_fee"]["amount_cents"], 25000);
    // A fraction, or a number past the document's maximum, is still refused.
    let body = assert_problem(create(puppy(json!(250.5))).await, 400, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "adoption_fee_cents");
    let r = create(puppy(json!(1e300))).await;
    let body = assert_problem(r, 400, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "adoption_fee_cents");
    let r = create(puppy(json!(20_000_000.0))).await;
    assert_problem(r, 400, "validation_failed").await;

    let r = app
        .client
        .patch(app.url("/v1/admin/flags/assistant"))
        .bearer_auth(&admin)
        .json(&json!({"rollout_percent": 50.0}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let flag: Value = r.json().await.unwrap();
    assert_eq!(flag["rollout_percent"], 50);
}

both_databases!(whole_numbers_with_a_zero_fraction_are_integers);

/// Postgres cannot store U+0000 in text: every text that reaches the database is
/// refused with 400 first (this was a 500 on Postgres).
async fn nul_characters_are_refused_not_a_server_error(db: Db) {
    let app = TestApp::spawn(db).await;
    let (admin, _) = admin_token(&app, "root@example.com").await;
    let puppies = app.get_all("/v1/puppies?limit=1").await;
    let puppy = puppies[0]["id"].as_str().unwrap();
    let org = puppies[0]["organization"]["id"].as_str().unwrap();
    let staff = user_with_role(&app, &admin, "s@example.com", Some(("staff", org))).await;
    let adopter = user_with_role(&app, &admin, "a@example.com", None).await;
    let send = |method: reqwest::Method, path: String, token: String, body: Value| {
        let app = &app;
        async move {
            app.client
                .request(method, app.url(&path))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    use reqwest::Method;
    let r = send(
        Method::POST,
        format!("/v1/puppies/{puppy}/inquiries"),
        adopter.clone(),
        json!({"message": "Is she\u{0} still here?", "contact_preference": "email"}),
    )
    .await;
    let body = assert_problem(r, 400, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "message");
    for (field, value) in [
        ("colour", "tri\u{0}colour"),
        ("description", "Loves\u{0} walks"),
        ("breed", "bea\u{0}gle"),
    ] {
        let mut input = json!({
            "name": "Pixel", "breed": "beagle", "sex": "female", "birth_date": "2025-08-01",
            "colour": "tricolour", "adoption_fee_cents": 100
        });
        input[field] = json!(value);
        let r = send(Method::POST, "/v1/puppies".into(), staff.clone(), input).await;
        let body = assert_problem(r, 400, "validation_failed").await;
        assert_eq!(body["errors"][0]["field"], field, "{body}");
    }
    let r = send(
        Method::PATCH,
        "/v1/admin/flags/assistant".into(),
        admin.clone(),
        json!({"description": "The\u{0} assistant"}),
    )
    .await;
    assert_problem(r, 400, "validation_failed").await;
    let r = send(
        Method::PATCH,
        "/v1/admin/flags/assi%00stant".into(),
        admin.clone(),
        json!({"enabled": true}),
    )
    .await;
    assert_problem(r, 404, "not_found").await;
}

both_databases!(nul_characters_are_refused_not_a_server_error);
