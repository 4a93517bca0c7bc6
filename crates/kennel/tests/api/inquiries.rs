//! Inquiries: private between the adopter and the organisation's staff, answered
//! and closed by staff, kept anonymised when the adopter deletes their account.

use reqwest::Method;
use serde_json::{json, Value};

use crate::admin::admin_token;
use crate::both_databases;
use crate::support::{assert_problem, Db, TestApp};

async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> reqwest::Response {
    crate::conversations::call(app, method, path, token, body, &[]).await
}

async fn account(app: &TestApp, admin: &str, email: &str, staff_of: Option<&str>) -> String {
    let body = crate::support::sign_up_verified(app, email, email.split('@').next().unwrap()).await;
    if let Some(org) = staff_of {
        let id = body["user"]["id"].as_str().unwrap();
        let r = call(
            app,
            Method::PUT,
            &format!("/v1/admin/users/{id}/role"),
            Some(admin),
            Some(json!({"role": "staff", "organization_id": org})),
        )
        .await;
        assert_eq!(r.status(), 200);
    }
    body["token"].as_str().unwrap().to_string()
}

async fn inquiries_are_private_answered_by_staff_and_survive_account_deletion(db: Db) {
    let app = TestApp::spawn(db).await;
    let (admin, _) = admin_token(&app, "root@example.com").await;
    let puppies = app.get_all("/v1/puppies?limit=100").await;
    let puppy = puppies[0]["id"].as_str().unwrap().to_string();
    let org = puppies[0]["organization"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let other_org = puppies
        .iter()
        .map(|p| p["organization"]["id"].as_str().unwrap())
        .find(|o| *o != org)
        .unwrap()
        .to_string();
    let adopter = account(&app, &admin, "ada@example.com", None).await;
    let stranger = account(&app, &admin, "eve@example.com", None).await;
    let staff = account(&app, &admin, "staff@example.com", Some(&org)).await;
    let other_staff = account(&app, &admin, "other@example.com", Some(&other_org)).await;
    let ask = format!("/v1/puppies/{puppy}/inquiries");

    // Sending: signed in, a real puppy, a message of 1 to 2,000 characters.
    assert_problem(
        call(
            &app,
            Method::POST,
            &ask,
            None,
            Some(json!({"message": "Hi", "contact_preference": "email"})),
        )
        .await,
        401,
        "unauthorized",
    )
    .await;
    for bad in ["", "   ", &"x".repeat(2001)] {
        let r = call(
            &app,
            Method::POST,
            &ask,
            Some(&adopter),
            Some(json!({"message": bad, "contact_preference": "email"})),
        )
        .await;
        assert_problem(r, 400, "validation_failed").await;
    }
    let r = call(
        &app,
        Method::POST,
        &ask,
        Some(&adopter),
        Some(json!({"message": "Hi", "contact_preference": "fax"})),
    )
    .await;
    let body = assert_problem(r, 400, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "contact_preference");
    let r = call(
        &app,
        Method::POST,
        "/v1/puppies/0190a0a0-0000-7000-8000-000000000000/inquiries",
        Some(&adopter),
        Some(json!({"message": "Hi", "contact_preference": "email"})),
    )
    .await;
    assert_problem(r, 404, "not_found").await;
    let r = call(
        &app,
        Method::POST,
        &ask,
        Some(&adopter),
        Some(json!({"message": "Is she good with toddlers?", "contact_preference": "email"})),
    )
    .await;
    assert_eq!(r.status(), 201);
    let inquiry: Value = r.json().await.unwrap();
    let id = inquiry["id"].as_str().unwrap().to_string();
    assert_eq!(inquiry["status"], "open");
    let path = format!("/v1/inquiries/{id}");

    // Who can read it.
    assert_eq!(
        call(&app, Method::GET, &path, Some(&adopter), None)
            .await
            .status(),
        200
    );
    assert_eq!(
        call(&app, Method::GET, &path, Some(&staff), None)
            .await
            .status(),
        200
    );
    assert_eq!(
        call(&app, Method::GET, &path, Some(&admin), None)
            .await
            .status(),
        200
    );
    assert_problem(
        call(&app, Method::GET, &path, Some(&stranger), None).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        call(&app, Method::GET, &path, Some(&other_staff), None).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        call(&app, Method::GET, &path, None, None).await,
        401,
        "unauthorized",
    )
    .await;
    let inbox = format!("/v1/organizations/{org}/inquiries");
    assert_problem(
        call(&app, Method::GET, &inbox, Some(&other_staff), None).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        call(&app, Method::GET, &inbox, Some(&adopter), None).await,
        403,
        "forbidden",
    )
    .await;
    let r = call(&app, Method::GET, &inbox, Some(&staff), None).await;
    let page: Value = r.json().await.unwrap();
    assert_eq!(page["items"][0]["id"], id.as_str());
    assert_eq!(page["items"][0]["adopter"]["email"], "ada@example.com");
    let r = call(&app, Method::GET, "/v1/me/inquiries", Some(&stranger), None).await;
    let none: Value = r.json().await.unwrap();
    assert!(none["items"].as_array().unwrap().is_empty());

    // Staff answer; the adopter sees the reply; others cannot reply.
    let replies = format!("{path}/replies");
    assert_problem(
        call(
            &app,
            Method::POST,
            &replies,
            Some(&other_staff),
            Some(json!({"message": "Hello"})),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    let r = call(
        &app,
        Method::POST,
        &replies,
        Some(&staff),
        Some(json!({"message": "Yes, she adores children."})),
    )
    .await;
    assert_eq!(r.status(), 201);
    let answered: Value = r.json().await.unwrap();
    assert_eq!(answered["status"], "answered");
    let r = call(&app, Method::GET, "/v1/me/inquiries", Some(&adopter), None).await;
    let mine: Value = r.json().await.unwrap();
    assert_eq!(
        mine["items"][0]["replies"][0]["message"],
        "Yes, she adores children."
    );
    assert_eq!(mine["items"][0]["replies"][0]["author_role"], "staff");
    let r = call(
        &app,
        Method::POST,
        &replies,
        Some(&adopter),
        Some(json!({"message": "Wonderful, can we visit?"})),
    )
    .await;
    let reopened: Value = r.json().await.unwrap();
    assert_eq!(reopened["status"], "open");

    // Only staff close it.
    let status = format!("{path}/status");
    assert_problem(
        call(
            &app,
            Method::PUT,
            &status,
            Some(&adopter),
            Some(json!({"status": "closed"})),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let r = call(
        &app,
        Method::PUT,
        &status,
        Some(&staff),
        Some(json!({"status": "closed"})),
    )
    .await;
    let closed: Value = r.json().await.unwrap();
    assert_eq!(closed["status"], "closed");

    // The adopter leaves: the organisation keeps the conversation, anonymised.
    assert_eq!(
        call(&app, Method::DELETE, "/v1/me", Some(&adopter), None)
            .await
            .status(),
        204
    );
    let r = call(&app, Method::GET, &path, Some(&staff), None).await;
    let kept: Value = r.json().await.unwrap();
    assert!(kept["adopter"].is_null());
    assert_eq!(kept["message"], "Is she good with toddlers?");
    assert_eq!(kept["replies"].as_array().unwrap().len(), 2);
    assert!(!kept.to_string().contains("ada@example.com"));
}

both_databases!(inquiries_are_private_answered_by_staff_and_survive_account_deletion);
