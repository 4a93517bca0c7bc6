//! Bad input of every class gets a 4xx problem, never a 500.

use crate::both_databases;
use crate::support::{assert_problem, Db, TestApp};

async fn each_bad_input_class_gets_a_problem_naming_the_field(db: Db) {
    let app = TestApp::spawn_empty(db).await;
    for (query, field) in [
        ("colour=red", "query"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("cursor=garbage", "cursor"),
        ("cursor=eyJzIjoiZmVlIn0", "cursor"),
        ("near=91,0", "near"),
        ("near=45,-200", "near"),
        ("near=abc", "near"),
        ("near=45,-122&radius_km=0", "radius_km"),
        ("near=45,-122&radius_km=5000", "radius_km"),
        ("radius_km=5", "radius_km"),
        ("sort=distance", "sort"),
        ("sort=price", "sort"),
        ("size=huge", "size"),
        ("status=sold", "status"),
        ("good_with=ferrets", "good_with"),
        ("age=puppy", "age"),
        ("breed=Not%20A%20Slug", "breed"),
        ("organization=xyz", "organization"),
        ("q=%21%21%21", "q"),
        ("limit=1&limit=2", "query"),
    ] {
        let response = app.get(&format!("/v1/puppies?{query}")).await;
        let body = assert_problem(response, 400, "validation_failed").await;
        let fields: Vec<&str> = body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert!(fields.contains(&field), "{query}: {body}");
    }
    // A cursor from one sort order cannot be used with another.
    let fee_cursor = kennel::domain::paging::Cursor {
        list: kennel::domain::paging::List::Puppies(kennel::domain::browse::Sort::Fee),
        key: kennel::domain::paging::CursorKey::Integer(100),
        id: uuid::Uuid::now_v7(),
    }
    .encode();
    let response = app.get(&format!("/v1/puppies?cursor={fee_cursor}")).await;
    assert_problem(response, 400, "validation_failed").await;
    let response = app.get("/v1/puppies/not-a-uuid").await;
    assert_problem(response, 400, "validation_failed").await;
}

async fn unknown_routes_wrong_methods_and_oversized_bodies_are_problems(db: Db) {
    let app = TestApp::spawn_empty(db).await;
    assert_problem(app.get("/v1/kittens").await, 404, "not_found").await;
    let response = app.client.post(app.url("/v1/breeds")).send().await.unwrap();
    assert_problem(response, 405, "method_not_allowed").await;
    let response = app
        .client
        .get(app.url("/v1/puppies"))
        .body(vec![b'x'; 200 * 1024])
        .send()
        .await
        .unwrap();
    assert_problem(response, 413, "payload_too_large").await;
}

async fn request_ids_are_taken_generated_and_echoed(db: Db) {
    let app = TestApp::spawn_empty(db).await;
    let response = app
        .client
        .get(app.url("/v1/puppies?limit=0"))
        .header("x-request-id", "client-chosen-42")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "client-chosen-42");
    let body = assert_problem(response, 400, "validation_failed").await;
    assert_eq!(body["request_id"], "client-chosen-42");

    let response = app.get("/v1/breeds").await;
    let generated = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(generated.len(), 32);
    assert!(generated.chars().all(|c| c.is_ascii_hexdigit()));

    let response = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "bad id with spaces\"")
        .send()
        .await
        .unwrap();
    let replaced = response.headers()["x-request-id"].to_str().unwrap();
    assert_ne!(replaced, "bad id with spaces\"");
    assert_eq!(replaced.len(), 32);
}

both_databases!(
    each_bad_input_class_gets_a_problem_naming_the_field,
    unknown_routes_wrong_methods_and_oversized_bodies_are_problems,
    request_ids_are_taken_generated_and_echoed,
);
