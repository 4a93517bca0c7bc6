//! Favourites: idempotent save and remove, a paginated list with current status.

use std::collections::HashSet;

use kennel::store::Param;
use serde_json::Value;

use crate::both_databases;
use crate::fixtures;
use crate::support::{assert_problem, Db, TestApp};

async fn sign_up(app: &TestApp, email: &str) -> String {
    let body = crate::support::sign_up(app, email, "Ada").await;
    body["token"].as_str().unwrap().to_string()
}

async fn favorites_are_idempotent_private_and_show_current_status(db: Db) {
    let app = TestApp::spawn(db).await;
    let token = sign_up(&app, "ada@example.com").await;
    let other = sign_up(&app, "bob@example.com").await;
    let puppies = app.get_all("/v1/puppies?limit=100").await;
    let chosen: Vec<String> = puppies
        .iter()
        .take(25)
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();

    for id in &chosen {
        for _ in 0..2 {
            let r = app
                .client
                .put(app.url(&format!("/v1/me/favorites/{id}")))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 204);
        }
    }
    // Pages of 10, most recently saved first, every favourite once.
    let mut seen = Vec::new();
    let mut url = "/v1/me/favorites?limit=10".to_string();
    loop {
        let r = app
            .client
            .get(app.url(&url))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let body: Value = r.json().await.unwrap();
        seen.extend(
            body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].as_str().unwrap().to_string()),
        );
        match body["next_cursor"].as_str() {
            Some(c) => url = format!("/v1/me/favorites?limit=10&cursor={c}"),
            None => break,
        }
    }
    let mut newest_first = chosen.clone();
    newest_first.reverse();
    assert_eq!(seen, newest_first);

    // Another user sees none of them.
    let r = app
        .client
        .get(app.url("/v1/me/favorites"))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert!(body["items"].as_array().unwrap().is_empty());

    // The list shows the puppy's status now; a deleted puppy drops out.
    let adopted = &chosen[0];
    fixtures::execute(
        &app.store,
        "UPDATE puppies SET status = 'adopted' WHERE id = $1",
        vec![Param::Id(adopted.parse().unwrap())],
    )
    .await;
    fixtures::soft_delete(&app.store, chosen[1].parse().unwrap()).await;
    let r = app
        .client
        .get(app.url("/v1/me/favorites?limit=100"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 24);
    let found = items.iter().find(|i| i["id"] == adopted.as_str()).unwrap();
    assert_eq!(found["status"], "adopted");

    // Removing is idempotent.
    for _ in 0..2 {
        let r = app
            .client
            .delete(app.url(&format!("/v1/me/favorites/{}", chosen[2])))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204);
    }
    let r = app
        .client
        .get(app.url("/v1/me/favorites?limit=100"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    let ids: HashSet<&str> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert!(!ids.contains(chosen[2].as_str()));
}

async fn favorites_refuse_anonymous_unknown_and_malformed_input(db: Db) {
    let app = TestApp::spawn_empty(db).await;
    let token = sign_up(&app, "ada@example.com").await;
    assert_problem(app.get("/v1/me/favorites").await, 401, "unauthorized").await;
    let r = app
        .client
        .put(app.url("/v1/me/favorites/0190a0a0-0000-7000-8000-000000000000"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_problem(r, 404, "not_found").await;
    let r = app
        .client
        .put(app.url("/v1/me/favorites/not-an-id"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_problem(r, 400, "validation_failed").await;
    for query in ["limit=0", "cursor=zzz", "sort=fee"] {
        let r = app
            .client
            .get(app.url(&format!("/v1/me/favorites?{query}")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_problem(r, 400, "validation_failed").await;
    }
}

both_databases!(
    favorites_are_idempotent_private_and_show_current_status,
    favorites_refuse_anonymous_unknown_and_malformed_input,
);
