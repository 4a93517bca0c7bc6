//! Saved searches: kept per account under a name, checked by browse's rules,
//! private, limited in number, and opened to see what was listed since the
//! last visit.

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_databases;
use crate::fixtures;
use crate::support::{assert_problem, sign_up, Db, Options, TestApp};

pub async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut request = app.client.request(method, app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap()
}

async fn save(app: &TestApp, token: &str, name: &str, query: &str) -> reqwest::Response {
    call(
        app,
        Method::POST,
        "/v1/me/saved-searches",
        token,
        Some(json!({"name": name, "query": query})),
    )
    .await
}

fn time(value: &Value) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(value.as_str().unwrap()).unwrap()
}

/// An app where an account keeps at most three searches.
async fn app_keeping_three(db: Db) -> TestApp {
    let mut options = Options::default();
    options
        .env
        .push(("SAVED_SEARCHES_PER_ACCOUNT".into(), "3".into()));
    TestApp::spawn_with(db, options).await
}

async fn list(app: &TestApp, token: &str) -> Vec<Value> {
    let r = app.get_as("/v1/me/saved-searches", token).await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    body["items"].as_array().unwrap().clone()
}

async fn saved_searches_are_kept_checked_and_private(db: Db) {
    let app = app_keeping_three(db).await;
    let ada = sign_up(&app, "ada@example.com", "Ada").await;
    let ada = ada["token"].as_str().unwrap().to_string();
    let bob = sign_up(&app, "bob@example.com", "Bob").await;
    let bob = bob["token"].as_str().unwrap().to_string();

    // Kept without paging, in the order given; an unconfirmed address is fine.
    let r = save(
        &app,
        &ada,
        "  Small beagles near Portland ",
        "?size=small&breed=beagle&near=45.5152,-122.6784&radius_km=50&sort=distance&cursor=abc&limit=5",
    )
    .await;
    assert_eq!(r.status(), 201);
    let first: Value = r.json().await.unwrap();
    assert_eq!(first["name"], "Small beagles near Portland");
    assert_eq!(
        first["query"],
        "size=small&breed=beagle&near=45.5152%2C-122.6784&radius_km=50&sort=distance"
    );
    assert_eq!(first["paused"], false);
    assert_eq!(first["last_opened_at"], Value::Null);
    // The kept query is one browse takes as it is.
    let (status, _) = app
        .get_json(&format!("/v1/puppies?{}", first["query"].as_str().unwrap()))
        .await;
    assert_eq!(status, 200);

    // Browse's rules, each fault reported on `query`; a bad name on `name`.
    for (query, fault) in [
        ("radius_km=50", "radius_km"),
        ("breed=no-such-breed", "no breed has the slug"),
        ("size=enormous", "size"),
        ("sort=distance", "sort"),
        ("bogus=1", "bogus"),
    ] {
        let r = save(&app, &ada, "Faulty", query).await;
        let problem = assert_problem(r, 400, "validation_failed").await;
        let errors = problem["errors"].as_array().unwrap();
        assert!(
            errors.iter().all(|e| e["field"] == "query"),
            "{query}: {problem}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e["message"].as_str().unwrap().contains(fault)),
            "{query}: {problem}"
        );
    }
    let r = save(&app, &ada, &"long name ".repeat(9), "size=small").await;
    let problem = assert_problem(r, 400, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "name");
    let r = save(&app, &ada, "Two\nlines", &"q=a&".repeat(501)).await;
    let problem = assert_problem(r, 400, "validation_failed").await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["name", "query"], "{problem}");

    // One name once per account (another account may use it); at most three.
    let r = save(&app, &ada, "Small beagles near Portland", "size=small").await;
    assert_problem(r, 409, "saved_search_name_taken").await;
    assert_eq!(
        save(&app, &bob, "Small beagles near Portland", "")
            .await
            .status(),
        201
    );
    assert_eq!(save(&app, &ada, "Anything new", "").await.status(), 201);
    let r = save(&app, &ada, "Calm ones", "q=calm&good_with=cats").await;
    assert_eq!(r.status(), 201);
    let third: Value = r.json().await.unwrap();
    let r = save(&app, &ada, "One too many", "size=large").await;
    let problem = assert_problem(r, 409, "saved_search_limit").await;
    assert!(problem["detail"].as_str().unwrap().contains('3'));

    // Newest first, each account its own.
    let names: Vec<String> = list(&app, &ada)
        .await
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        names,
        ["Calm ones", "Anything new", "Small beagles near Portland"]
    );
    assert_eq!(list(&app, &bob).await.len(), 1);

    // Rename and pause; another account's search is not there for Bob.
    let third_path = format!("/v1/me/saved-searches/{}", third["id"].as_str().unwrap());
    let r = call(
        &app,
        Method::PATCH,
        &third_path,
        &ada,
        Some(json!({"name": "Calm with cats", "paused": true})),
    )
    .await;
    assert_eq!(r.status(), 200);
    let changed: Value = r.json().await.unwrap();
    assert_eq!(changed["name"], "Calm with cats");
    assert_eq!(changed["paused"], true);
    assert_eq!(changed["query"], third["query"]);
    let r = call(
        &app,
        Method::PATCH,
        &third_path,
        &ada,
        Some(json!({"name": "Anything new"})),
    )
    .await;
    assert_problem(r, 409, "saved_search_name_taken").await;
    let r = call(
        &app,
        Method::PATCH,
        &third_path,
        &ada,
        Some(json!({"name": ""})),
    )
    .await;
    assert_problem(r, 400, "validation_failed").await;
    for (method, body) in [
        (Method::PATCH, Some(json!({"paused": false}))),
        (Method::DELETE, None),
    ] {
        let r = call(&app, method, &third_path, &bob, body).await;
        assert_problem(r, 404, "not_found").await;
    }
    let r = call(
        &app,
        Method::POST,
        &format!("{third_path}/open"),
        &bob,
        None,
    )
    .await;
    assert_problem(r, 404, "not_found").await;
    let r = call(
        &app,
        Method::DELETE,
        "/v1/me/saved-searches/not-an-id",
        &ada,
        None,
    )
    .await;
    assert_problem(r, 400, "validation_failed").await;

    // Deleted once; room for another.
    let r = call(&app, Method::DELETE, &third_path, &ada, None).await;
    assert_eq!(r.status(), 204);
    let r = call(&app, Method::DELETE, &third_path, &ada, None).await;
    assert_problem(r, 404, "not_found").await;
    assert_eq!(save(&app, &ada, "Large", "size=large").await.status(), 201);

    // Signed out: nothing.
    let r = app.get("/v1/me/saved-searches").await;
    assert_problem(r, 401, "unauthorized").await;

    // Deleting the account deletes its searches.
    let r = app
        .client
        .delete(app.url("/v1/me"))
        .bearer_auth(&ada)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let left: i64 = match &app.store {
        kennel::store::Store::Sqlite(pool) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM saved_searches")
                .fetch_one(pool)
                .await
                .unwrap()
        }
        kennel::store::Store::Postgres(pool) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM saved_searches")
                .fetch_one(pool)
                .await
                .unwrap()
        }
    };
    assert_eq!(left, 1, "only Bob's search is left");
}

async fn opening_a_search_tells_what_was_listed_since_the_last_visit(db: Db) {
    let app = TestApp::spawn_empty(db).await;
    let breed = fixtures::breed(&app.store, "beagle", "Beagle").await;
    let org = fixtures::organization(&app.store, "north", 45.5, -122.6).await;
    let mut old = fixtures::PuppySpec::new("Old Timer", breed, org);
    old.listed_at = chrono::Utc::now() - chrono::Duration::days(3);
    fixtures::puppy(&app.store, old).await;
    let ada = sign_up(&app, "ada@example.com", "Ada").await;
    let ada = ada["token"].as_str().unwrap().to_string();
    let r = save(
        &app,
        &ada,
        "Beagles",
        "breed=beagle&near=45.5,-122.6&radius_km=25",
    )
    .await;
    let search: Value = r.json().await.unwrap();
    let open = format!(
        "/v1/me/saved-searches/{}/open",
        search["id"].as_str().unwrap()
    );

    // The first visit: new since the search was saved.
    let r = call(&app, Method::POST, &open, &ada, None).await;
    assert_eq!(r.status(), 200);
    let first: Value = r.json().await.unwrap();
    assert_eq!(time(&first["new_since"]), time(&search["created_at"]));
    let first_visit = first["search"]["last_opened_at"].clone();
    assert!(time(&first_visit) >= time(&search["created_at"]));

    // A puppy listed after it is the only new one on the next visit.
    let mut fresh = fixtures::PuppySpec::new("Newcomer", breed, org);
    fresh.listed_at = chrono::Utc::now() + chrono::Duration::seconds(1);
    fixtures::puppy(&app.store, fresh).await;
    let r = call(&app, Method::POST, &open, &ada, None).await;
    let second: Value = r.json().await.unwrap();
    assert_eq!(time(&second["new_since"]), time(&first_visit));
    let query = second["search"]["query"].as_str().unwrap();
    let (_, page) = app.get_json(&format!("/v1/puppies?{query}")).await;
    let since = time(&second["new_since"]);
    let new: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| time(&p["listed_at"]) > since)
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(new, ["Newcomer"], "{page}");
    // The list shows the visit too.
    let searches = list(&app, &ada).await;
    assert_eq!(
        time(&searches[0]["last_opened_at"]),
        time(&second["search"]["last_opened_at"])
    );
}

async fn saves_at_once_never_pass_the_limit(db: Db) {
    let app = app_keeping_three(db).await;
    let ada = sign_up(&app, "ada@example.com", "Ada").await;
    let ada = ada["token"].as_str().unwrap().to_string();
    let saves = (0..12).map(|i| {
        let (app, ada) = (&app, &ada);
        async move {
            save(app, ada, &format!("Search {i}"), "size=small")
                .await
                .status()
                .as_u16()
        }
    });
    let mut statuses = futures::future::join_all(saves).await;
    statuses.sort();
    assert_eq!(
        statuses,
        [201, 201, 201, 409, 409, 409, 409, 409, 409, 409, 409, 409]
    );
    assert_eq!(list(&app, &ada).await.len(), 3);
}

both_databases!(
    saves_at_once_never_pass_the_limit,
    saved_searches_are_kept_checked_and_private,
    opening_a_search_tells_what_was_listed_since_the_last_visit,
);
