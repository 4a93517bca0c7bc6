//! Staff listing management: least privilege on every route, validation,
//! optimistic concurrency, status changes, soft delete and audit.

use serde_json::{json, Value};

use crate::admin::admin_token;
use crate::both_databases;
use crate::support::{assert_problem, sign_up_verified, Db, TestApp};

/// Registers `email` and, when `role` is given, has the admin set its role and organisation.
pub async fn user_with_role(
    app: &TestApp,
    admin: &str,
    email: &str,
    role: Option<(&str, &str)>,
) -> String {
    let body = sign_up_verified(app, email, "Staff").await;
    let token = body["token"].as_str().unwrap().to_string();
    if let Some((role, org)) = role {
        let id = body["user"]["id"].as_str().unwrap();
        let r = app
            .client
            .put(app.url(&format!("/v1/admin/users/{id}/role")))
            .bearer_auth(admin)
            .json(&json!({"role": role, "organization_id": org}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    token
}

fn new_puppy() -> Value {
    json!({
        "name": "Pixel",
        "breed": "beagle",
        "sex": "female",
        "birth_date": "2026-08-01",
        "colour": "tricolour",
        "good_with": {"kids": true, "dogs": null, "cats": false},
        "vaccinated": true,
        "description": "Loves long walks and (squeaky) toys.",
        "adoption_fee_cents": 25000
    })
}

async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
    if_match: Option<&str>,
) -> reqwest::Response {
    let mut request = app.client.request(method, app.url(path));
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    if let Some(b) = body {
        request = request.json(&b);
    }
    if let Some(m) = if_match {
        request = request.header("if-match", m);
    }
    request.send().await.unwrap()
}

async fn staff_manage_only_their_own_listings_with_optimistic_concurrency(db: Db) {
    use reqwest::Method;
    let app = TestApp::spawn(db).await;
    let (admin, _) = admin_token(&app, "root@example.com").await;
    let puppies = app.get_all("/v1/puppies?limit=100").await;
    let org_a = puppies[0]["organization"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let org_b = puppies
        .iter()
        .map(|p| p["organization"]["id"].as_str().unwrap())
        .find(|o| *o != org_a)
        .unwrap()
        .to_string();
    let staff_a = user_with_role(&app, &admin, "a@example.com", Some(("staff", &org_a))).await;
    let staff_b = user_with_role(&app, &admin, "b@example.com", Some(("staff", &org_b))).await;
    let adopter = user_with_role(&app, &admin, "c@example.com", None).await;

    // Create: anonymous 401, adopter 403, staff 201 for their organisation.
    assert_problem(
        send(
            &app,
            Method::POST,
            "/v1/puppies",
            None,
            Some(new_puppy()),
            None,
        )
        .await,
        401,
        "unauthorized",
    )
    .await;
    assert_problem(
        send(
            &app,
            Method::POST,
            "/v1/puppies",
            Some(&adopter),
            Some(new_puppy()),
            None,
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let r = send(
        &app,
        Method::POST,
        "/v1/puppies",
        Some(&staff_a),
        Some(new_puppy()),
        None,
    )
    .await;
    assert_eq!(r.status(), 201);
    // The ETag carries the version (for If-Match) and a hash of the body.
    let etag = r.headers()["etag"].to_str().unwrap();
    assert!(etag.starts_with("W/\"1-"), "{etag}");
    let created: Value = r.json().await.unwrap();
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(created["organization"]["id"], org_a.as_str());
    assert_eq!(created["size"], "small", "defaults to the breed's size");
    assert_eq!(created["good_with"]["cats"], false);
    let path = format!("/v1/puppies/{id}");
    let found = app.get_all("/v1/puppies?q=pixel").await;
    assert_eq!(found.len(), 1);
    let found = app.get_all("/v1/puppies?q=squeak%20toys").await;
    assert_eq!(found.len(), 1, "words next to punctuation are found");

    // Validation lists every bad field.
    let r = send(&app, Method::POST, "/v1/puppies", Some(&staff_a), Some(json!({"name": "", "breed": "unicorn", "birth_date": "2999-01-01", "adoption_fee_cents": -5})), None).await;
    let body = assert_problem(r, 400, "validation_failed").await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for field in [
        "sex",
        "colour",
        "name",
        "breed",
        "birth_date",
        "adoption_fee_cents",
    ] {
        assert!(fields.contains(&field), "{field} in {fields:?}");
    }

    // Edit: other organisation's staff and adopters are refused; If-Match needed.
    let change = json!({"status": "pending"});
    assert_problem(
        send(
            &app,
            Method::PATCH,
            &path,
            None,
            Some(change.clone()),
            Some("\"1\""),
        )
        .await,
        401,
        "unauthorized",
    )
    .await;
    assert_problem(
        send(
            &app,
            Method::PATCH,
            &path,
            Some(&adopter),
            Some(change.clone()),
            Some("\"1\""),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        send(
            &app,
            Method::PATCH,
            &path,
            Some(&staff_b),
            Some(change.clone()),
            Some("\"1\""),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        send(
            &app,
            Method::PATCH,
            &path,
            Some(&staff_a),
            Some(change.clone()),
            None,
        )
        .await,
        428,
        "precondition_required",
    )
    .await;

    // Two editors holding version 1: the first wins, the second gets 412.
    let first = send(
        &app,
        Method::PATCH,
        &path,
        Some(&staff_a),
        Some(json!({"status": "pending"})),
        Some("\"1\""),
    )
    .await;
    assert_eq!(first.status(), 200);
    let etag = first.headers()["etag"].to_str().unwrap();
    assert!(etag.starts_with("W/\"2-"), "{etag}");
    let second = send(
        &app,
        Method::PATCH,
        &path,
        Some(&admin),
        Some(json!({"name": "Overwrite"})),
        Some("\"1\""),
    )
    .await;
    assert_problem(second, 412, "precondition_failed").await;
    let (_, now) = app.get_json(&path).await;
    assert_eq!(
        (now["name"].as_str(), now["status"].as_str()),
        (Some("Pixel"), Some("pending"))
    );

    // Status rules.
    let r = send(
        &app,
        Method::PATCH,
        &path,
        Some(&staff_a),
        Some(json!({"status": "adopted"})),
        Some("\"2\""),
    )
    .await;
    assert_eq!(r.status(), 200);
    let r = send(
        &app,
        Method::PATCH,
        &path,
        Some(&staff_a),
        Some(json!({"status": "pending"})),
        Some("\"3\""),
    )
    .await;
    let body = assert_problem(r, 400, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "status");
    let r = send(&app, Method::PATCH, &path, Some(&staff_a), Some(json!({"status": "available", "secondary_breed": "poodle", "description": "Back with us."})), Some("\"3\"")).await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        (
            body["mixed"].as_bool(),
            body["secondary_breed"]["slug"].as_str()
        ),
        (Some(true), Some("poodle"))
    );

    // Delete: only own organisation; then hidden everywhere.
    assert_problem(
        send(&app, Method::DELETE, &path, Some(&staff_b), None, None).await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(
        send(&app, Method::DELETE, &path, Some(&staff_a), None, None)
            .await
            .status(),
        204
    );
    assert_eq!(app.get(&path).await.status(), 404);
    assert!(app.get_all("/v1/puppies?q=pixel").await.is_empty());

    // Every staff action is in the audit log with its actor.
    let r = app
        .client
        .get(app.url("/v1/admin/audit-log?limit=100"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    let log: Value = r.json().await.unwrap();
    let actions: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["target_id"] == id.as_str())
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        vec![
            "puppy.deleted",
            "puppy.updated",
            "puppy.updated",
            "puppy.updated",
            "puppy.created"
        ]
    );
}

both_databases!(staff_manage_only_their_own_listings_with_optimistic_concurrency);
