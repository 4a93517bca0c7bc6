//! Accounts: registration, sign-in, sessions and the own profile.

use chrono::{Duration, Utc};
use kennel::store::Param;
use serde_json::{json, Value};

use crate::both_databases;
use crate::fixtures;
use crate::support::{assert_problem, sign_up, Db, TestApp, PASSWORD};

async fn post(app: &TestApp, path: &str, body: Value, token: Option<&str>) -> reqwest::Response {
    app.post_json(path, body, token).await
}

async fn me(app: &TestApp, token: &str) -> reqwest::Response {
    app.get_as("/v1/me", token).await
}

/// Registers and signs in, as the app does; the session.
async fn register(app: &TestApp, email: &str) -> Value {
    sign_up(app, email, "Ada").await
}

async fn login(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    post(
        app,
        "/v1/auth/login",
        json!({"email": email, "password": password}),
        None,
    )
    .await
}

async fn register_login_me_logout(db: Db) {
    let app = TestApp::spawn_empty(db).await;
    let session = register(&app, "  Ada@Example.com ").await;
    assert_eq!(session["user"]["email"], "ada@example.com");
    assert_eq!(session["user"]["role"], "adopter");
    let token = session["token"].as_str().unwrap();
    assert!(token.len() >= 43);

    let response = login(&app, "ADA@example.com", PASSWORD).await;
    assert_eq!(response.status(), 200);
    let second: Value = response.json().await.unwrap();
    let second_token = second["token"].as_str().unwrap().to_string();
    assert_ne!(second_token, token);

    let response = me(&app, token).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["display_name"], "Ada");

    // The token is stored only as its hash.
    let sql = "SELECT COUNT(*) FROM sessions WHERE token_hash = $1";
    let count = |value: String| {
        let store = app.store.clone();
        async move {
            match &store {
                kennel::store::Store::Sqlite(p) => sqlx::query_scalar::<_, i64>(sql)
                    .bind(value)
                    .fetch_one(p)
                    .await
                    .unwrap(),
                kennel::store::Store::Postgres(p) => sqlx::query_scalar::<_, i64>(sql)
                    .bind(value)
                    .fetch_one(p)
                    .await
                    .unwrap(),
            }
        }
    };
    assert_eq!(count(kennel::auth::token_hash(token)).await, 1);
    assert_eq!(count(token.to_string()).await, 0);

    logout_checks(&app, token, &second_token).await;
}

async fn logout_checks(app: &TestApp, token: &str, other: &str) {
    let response = post(app, "/v1/auth/logout", json!({}), Some(token)).await;
    assert_eq!(response.status(), 204);
    let response = me(app, token).await;
    assert_problem(response, 401, "unauthorized").await;
    // Other sessions are unaffected by a logout.
    assert_eq!(me(app, other).await.status(), 200);
}

async fn wrong_password_and_unknown_email_are_indistinguishable(db: Db) {
    let app = TestApp::spawn_empty(db).await;
    register(&app, "ada@example.com").await;
    let wrong = login(&app, "ada@example.com", "not the password").await;
    let unknown = login(&app, "nobody@example.com", PASSWORD).await;
    let malformed = login(&app, "not-an-email", PASSWORD).await;
    let mut bodies = Vec::new();
    for response in [wrong, unknown, malformed] {
        assert!(response.headers().contains_key("www-authenticate"));
        let mut body = assert_problem(response, 401, "unauthorized").await;
        body.as_object_mut().unwrap().remove("request_id");
        bodies.push(body);
    }
    assert_eq!(bodies[0], bodies[1]);
    assert_eq!(bodies[1], bodies[2]);
}

async fn registration_validates_every_field_and_does_not_reveal_taken_addresses(db: Db) {
    let app = TestApp::spawn_empty(db).await;
    let response = post(
        &app,
        "/v1/auth/register",
        json!({"email": "bad", "password": "short", "display_name": ""}),
        None,
    )
    .await;
    let body = assert_problem(response, 400, "validation_failed").await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["email", "display_name"]);
    let response = post(
        &app,
        "/v1/auth/register",
        json!({"email": "ada@example.com", "password": "Ada@Example.com", "display_name": "Ada"}),
        None,
    )
    .await;
    let body = assert_problem(response, 400, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "password");
    // A new address and one that already has an account get the same
    // answer, so registering does not tell who has an account...
    let answer = |email: &'static str, password: &'static str, name: &'static str| {
        let app = &app;
        async move {
            let r = post(
                app,
                "/v1/auth/register",
                json!({"email": email, "password": password, "display_name": name}),
                None,
            )
            .await;
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.unwrap())
        }
    };
    let new = answer("ada@example.com", PASSWORD, "Ada").await;
    assert_eq!(
        new,
        (202, json!({"email": "ada@example.com", "next": "sign_in"}))
    );
    let taken = answer("ADA@example.com", "another long secret", "Other").await;
    assert_eq!(taken, new);
    // ...and the second registration changed nothing: the first password
    // still signs in, the second does not, and the name is the first one.
    assert_eq!(
        login(&app, "ada@example.com", "another long secret")
            .await
            .status(),
        401
    );
    let session: Value = login(&app, "ada@example.com", PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(session["user"]["display_name"], "Ada");
    // Malformed JSON and unknown fields are 4xx problems too.
    let response = app
        .client
        .post(app.url("/v1/auth/register"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let response = post(
        &app,
        "/v1/auth/login",
        json!({"email": "a@b.co", "password": "x", "admin": true}),
        None,
    )
    .await;
    let body = assert_problem(response, 400, "validation_failed").await;
    assert_eq!(
        body["errors"],
        json!([{"field": "admin", "message": "is not a field of this request"}])
    );
}

async fn expired_and_malformed_tokens_are_refused(db: Db) {
    let app = TestApp::spawn_empty(db).await;
    let session = register(&app, "ada@example.com").await;
    let token = session["token"].as_str().unwrap();
    fixtures::execute(
        &app.store,
        "UPDATE sessions SET expires_at = $1",
        vec![Param::Time(Utc::now() - Duration::minutes(1))],
    )
    .await;
    assert_problem(me(&app, token).await, 401, "unauthorized").await;
    assert_problem(app.get("/v1/me").await, 401, "unauthorized").await;
    for header in ["Basic abc", "Bearer", "Bearer kn_forged", "Bearer not-ours"] {
        let response = app
            .client
            .get(app.url("/v1/me"))
            .header("authorization", header)
            .send()
            .await
            .unwrap();
        assert_problem(response, 401, "unauthorized").await;
    }
}

async fn password_change_needs_the_current_password_and_signs_out_other_sessions(db: Db) {
    let app = TestApp::spawn_empty(db).await;
    let first = register(&app, "ada@example.com").await;
    let first = first["token"].as_str().unwrap();
    let other: Value = login(&app, "ada@example.com", PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let other = other["token"].as_str().unwrap();

    let patch = |body: Value| {
        app.client
            .patch(app.url("/v1/me"))
            .bearer_auth(first)
            .json(&body)
            .send()
    };
    let response = patch(json!({"new_password": "a brand new secret"}))
        .await
        .unwrap();
    let body = assert_problem(response, 400, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "current_password");
    let response =
        patch(json!({"new_password": "a brand new secret", "current_password": "wrong one!!"}))
            .await
            .unwrap();
    assert_problem(response, 400, "validation_failed").await;

    let response = patch(json!({"new_password": "a brand new secret", "current_password": PASSWORD, "display_name": "Ada L."})).await.unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["display_name"], "Ada L.");
    assert_eq!(
        me(&app, first).await.status(),
        200,
        "the changing session stays"
    );
    assert_problem(me(&app, other).await, 401, "unauthorized").await;
    assert_eq!(login(&app, "ada@example.com", PASSWORD).await.status(), 401);
    assert_eq!(
        login(&app, "ada@example.com", "a brand new secret")
            .await
            .status(),
        200
    );
}

async fn deleting_the_account_ends_every_session(db: Db) {
    let app = TestApp::spawn_empty(db).await;
    let session = register(&app, "ada@example.com").await;
    let token = session["token"].as_str().unwrap();
    let response = app
        .client
        .delete(app.url("/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert_problem(me(&app, token).await, 401, "unauthorized").await;
    assert_eq!(login(&app, "ada@example.com", PASSWORD).await.status(), 401);
    // The email can be used again.
    register(&app, "ada@example.com").await;
}

both_databases!(
    register_login_me_logout,
    wrong_password_and_unknown_email_are_indistinguishable,
    registration_validates_every_field_and_does_not_reveal_taken_addresses,
    expired_and_malformed_tokens_are_refused,
    password_change_needs_the_current_password_and_signs_out_other_sessions,
    deleting_the_account_ends_every_session,
);
