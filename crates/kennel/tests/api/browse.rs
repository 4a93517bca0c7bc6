//! The browse list: every filter and sort, pagination, distance and search.

use std::collections::HashSet;

use chrono::{Duration, Utc};
use kennel::domain::geo::{destination, haversine_km, Coordinates};
use serde_json::Value;

use crate::both_databases;
use crate::fixtures::{self, PuppySpec};
use crate::support::{assert_problem, Db, TestApp};

const ALL_STATUSES: &str = "status=available,pending,adopted";

fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

fn id_set(items: &[Value]) -> HashSet<String> {
    ids(items).into_iter().collect()
}

fn timestamp(value: &Value) -> Value {
    let parsed = chrono::DateTime::parse_from_rfc3339(value.as_str().unwrap()).unwrap();
    Value::from(parsed.timestamp_micros() as f64)
}

async fn available_count(app: &TestApp) -> usize {
    let count: i64 = match &app.store {
        kennel::store::Store::Sqlite(pool) => sqlx::query_scalar(
            "SELECT COUNT(*) FROM puppies WHERE status = 'available' AND deleted_at IS NULL",
        )
        .fetch_one(pool)
        .await
        .unwrap(),
        kennel::store::Store::Postgres(pool) => sqlx::query_scalar(
            "SELECT COUNT(*) FROM puppies WHERE status = 'available' AND deleted_at IS NULL",
        )
        .fetch_one(pool)
        .await
        .unwrap(),
    };
    count as usize
}

async fn list_defaults_to_available_newest_first_in_pages_of_twenty(db: Db) {
    let app = TestApp::spawn(db).await;
    let (status, body) = app.get_json("/v1/puppies").await;
    assert_eq!(status, 200);
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 20);
    assert!(body["next_cursor"].is_string());
    assert!(items.iter().all(|i| i["status"] == "available"));
    let times: Vec<&str> = items
        .iter()
        .map(|i| i["listed_at"].as_str().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
    // Public responses never carry private contact details.
    let text = body.to_string();
    assert!(!text.contains("\"email\"") && !text.contains("\"phone\""));
    assert!(!text.contains("example.org\","), "no contact address leaks");
    let photo = &items[0]["photo"];
    assert!(photo["variants"].as_array().unwrap().len() == 3);
    assert!(photo["variants"][0]["url"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{}/v1/photos/", app.base)));
}

/// Walks the whole list in small pages for every sort order: each item exactly
/// once, in order, and nothing missing.
async fn pagination_covers_the_whole_result_set_without_duplicates_or_gaps(db: Db) {
    let app = TestApp::spawn(db).await;
    let expected = available_count(&app).await;
    assert!(expected > 100);
    let near = "near=45.5152,-122.6784&radius_km=1000";
    for (query, key) in [
        ("sort=newest", "listed_at"),
        ("sort=-newest", "listed_at"),
        ("sort=fee", "fee"),
        ("sort=-fee", "fee"),
        ("sort=distance", "distance"),
        ("sort=-distance", "distance"),
    ] {
        let query = if key == "distance" {
            format!("{query}&{near}")
        } else {
            query.to_string()
        };
        let items = app.get_all(&format!("/v1/puppies?limit=7&{query}")).await;
        let unique = id_set(&items);
        assert_eq!(unique.len(), items.len(), "{query}: duplicates");
        if key != "distance" {
            assert_eq!(items.len(), expected, "{query}: gaps");
        }
        let descending = query.contains("=-") ^ query.contains("newest");
        for pair in items.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            let (ka, kb) = match key {
                "listed_at" => (timestamp(&a["listed_at"]), timestamp(&b["listed_at"])),
                "fee" => (
                    a["adoption_fee"]["amount_cents"].clone(),
                    b["adoption_fee"]["amount_cents"].clone(),
                ),
                _ => (a["distance_km"].clone(), b["distance_km"].clone()),
            };
            let ordered = match (ka.as_f64(), kb.as_f64()) {
                (Some(x), Some(y)) if descending => x >= y,
                (Some(x), Some(y)) => x <= y,
                _ if descending => ka.as_str() >= kb.as_str(),
                _ => ka.as_str() <= kb.as_str(),
            };
            assert!(ordered, "{query}: {ka} then {kb}");
        }
    }
    // Every page size gives the same sequence.
    let small = ids(&app.get_all("/v1/puppies?limit=3&sort=fee").await);
    let large = ids(&app.get_all("/v1/puppies?limit=100&sort=fee").await);
    assert_eq!(small, large);
}

async fn several_statuses_page_in_one_order_without_duplicates_or_gaps(db: Db) {
    let app = TestApp::spawn(db).await;
    // Each status is read in index order and merged: every puppy once, in
    // (key, id) order, whatever the page size.
    let everyone = app
        .get_all(&format!("/v1/puppies?limit=100&{ALL_STATUSES}"))
        .await
        .len();
    for sort in ["newest", "-newest", "fee", "-fee"] {
        let items = app
            .get_all(&format!("/v1/puppies?limit=19&sort={sort}&{ALL_STATUSES}"))
            .await;
        assert_eq!(id_set(&items).len(), everyone, "{sort}: duplicates or gaps");
        let keys: Vec<(f64, String)> = items
            .iter()
            .map(|i| {
                let key = if sort.ends_with("fee") {
                    i["adoption_fee"]["amount_cents"].as_f64().unwrap()
                } else {
                    timestamp(&i["listed_at"]).as_f64().unwrap()
                };
                (key, i["id"].as_str().unwrap().to_string())
            })
            .collect();
        for pair in keys.windows(2) {
            let ordered = if matches!(sort, "newest" | "-fee") {
                pair[0] >= pair[1]
            } else {
                pair[0] <= pair[1]
            };
            assert!(ordered, "{sort}: {:?} then {:?}", pair[0], pair[1]);
        }
        let large = app
            .get_all(&format!("/v1/puppies?limit=100&sort={sort}&{ALL_STATUSES}"))
            .await;
        assert_eq!(ids(&items), ids(&large), "{sort}");
    }
}

async fn pages_never_repeat_or_skip_while_rows_are_inserted(db: Db) {
    let app = TestApp::spawn_empty(db).await;
    let breed = fixtures::breed(&app.store, "beagle", "Beagle").await;
    let org = fixtures::organization(&app.store, "org", 45.0, -122.0).await;
    let start = Utc::now() - Duration::days(10);
    for i in 0..30 {
        let mut spec = PuppySpec::new(&format!("Pup{i}"), breed, org);
        spec.listed_at = start + Duration::hours(i);
        fixtures::puppy(&app.store, spec).await;
    }
    let original: HashSet<String> = id_set(&app.get_all("/v1/puppies?limit=100").await);
    let mut seen = Vec::new();
    let mut url = "/v1/puppies?limit=4".to_string();
    let mut round = 0;
    loop {
        let (status, body) = app.get_json(&url).await;
        assert_eq!(status, 200);
        seen.extend(ids(body["items"].as_array().unwrap()));
        // Between pages, new listings arrive: newer than everything, and in between.
        let mut newer = PuppySpec::new(&format!("New{round}"), breed, org);
        newer.listed_at = Utc::now();
        fixtures::puppy(&app.store, newer).await;
        let mut middle = PuppySpec::new(&format!("Mid{round}"), breed, org);
        middle.listed_at = start + Duration::minutes(30 + 60 * round);
        fixtures::puppy(&app.store, middle).await;
        round += 1;
        match body["next_cursor"].as_str() {
            Some(c) => url = format!("/v1/puppies?limit=4&cursor={c}"),
            None => break,
        }
    }
    let seen_set: HashSet<String> = seen.iter().cloned().collect();
    assert_eq!(seen_set.len(), seen.len(), "an item was repeated");
    assert!(
        original.is_subset(&seen_set),
        "an original item was skipped"
    );
}

/// Each filter returns exactly the puppies of the full catalogue that match it.
async fn every_filter_returns_exactly_the_matching_puppies(db: Db) {
    let app = TestApp::spawn(db).await;
    let universe = app
        .get_all(&format!("/v1/puppies?limit=100&{ALL_STATUSES}"))
        .await;
    assert!(universe.len() >= 300);
    let breed_of = |i: &Value| {
        (
            i["breed"]["slug"].as_str().unwrap().to_string(),
            i["secondary_breed"]["slug"].as_str().map(str::to_string),
        )
    };
    let some_breeds: Vec<String> = universe.iter().take(2).map(|i| breed_of(i).0).collect();
    let org_id = universe[0]["organization"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    type Pred = Box<dyn Fn(&Value) -> bool>;
    let b0 = some_breeds[0].clone();
    let b1 = some_breeds[1].clone();
    let org = org_id.clone();
    let cases: Vec<(String, Pred)> = vec![
        ("size=small".into(), Box::new(|i| i["size"] == "small")),
        (
            "size=large,giant".into(),
            Box::new(|i| i["size"] == "large" || i["size"] == "giant"),
        ),
        ("sex=female".into(), Box::new(|i| i["sex"] == "female")),
        ("age=baby".into(), Box::new(|i| i["age_group"] == "baby")),
        (
            "age=young&age=adult".into(),
            Box::new(|i| i["age_group"] == "young" || i["age_group"] == "adult"),
        ),
        ("coat=long".into(), Box::new(|i| i["coat"] == "long")),
        (
            "good_with=kids".into(),
            Box::new(|i| i["good_with"]["kids"] == true),
        ),
        (
            "good_with=dogs,cats".into(),
            Box::new(|i| i["good_with"]["dogs"] == true && i["good_with"]["cats"] == true),
        ),
        (
            format!("breed={b0}&breed={b1}"),
            Box::new(move |i| {
                let (p, s) = breed_of(i);
                p == b0 || p == b1 || s.as_deref() == Some(&b0) || s.as_deref() == Some(&b1)
            }),
        ),
        (
            format!("organization={org}"),
            Box::new(move |i| i["organization"]["id"] == org.as_str()),
        ),
    ];
    for (query, predicate) in cases {
        let got = app
            .get_all(&format!("/v1/puppies?limit=100&{ALL_STATUSES}&{query}"))
            .await;
        let expected: HashSet<String> = universe
            .iter()
            .filter(|i| predicate(i))
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect();
        assert!(
            !expected.is_empty(),
            "{query} matches nothing in the demo data"
        );
        assert_eq!(id_set(&got), expected, "filter {query}");
    }
    for status in ["available", "pending", "adopted"] {
        let got = app
            .get_all(&format!("/v1/puppies?limit=100&status={status}"))
            .await;
        let expected: HashSet<String> = universe
            .iter()
            .filter(|i| i["status"] == status)
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect();
        assert!(!expected.is_empty());
        assert_eq!(id_set(&got), expected, "status={status}");
    }
}

/// Organisations placed at known geodesic distances around a centre: the radius
/// keeps exactly those inside it, and distances match the haversine formula.
async fn radius_and_distance_match_known_geodesics(db: Db) {
    let app = TestApp::spawn_empty(db).await;
    let breed = fixtures::breed(&app.store, "beagle", "Beagle").await;
    let centre = Coordinates::new(45.5152, -122.6784).unwrap();
    let mut inside = HashSet::new();
    let mut expected_distance = Vec::new();
    for (i, (bearing, km)) in [
        (0.0, 2.0),
        (90.0, 9.9),
        (200.0, 5.0),
        (45.0, 10.1),
        (270.0, 30.0),
    ]
    .into_iter()
    .enumerate()
    {
        let point = destination(centre, bearing, km);
        let org =
            fixtures::organization(&app.store, &format!("org{i}"), point.lat, point.lng).await;
        let id = fixtures::puppy(&app.store, PuppySpec::new(&format!("P{i}"), breed, org)).await;
        if km <= 10.0 {
            inside.insert(id.to_string());
        }
        expected_distance.push((id.to_string(), haversine_km(centre, point)));
    }
    let items = app
        .get_all("/v1/puppies?near=45.5152,-122.6784&radius_km=10&sort=distance")
        .await;
    assert_eq!(id_set(&items), inside);
    let distances: Vec<f64> = items
        .iter()
        .map(|i| i["distance_km"].as_f64().unwrap())
        .collect();
    assert!(distances.windows(2).all(|w| w[0] <= w[1]), "{distances:?}");
    for item in &items {
        let id = item["id"].as_str().unwrap();
        let (_, want) = expected_distance.iter().find(|(i, _)| i == id).unwrap();
        assert!((item["distance_km"].as_f64().unwrap() - want).abs() < 0.01);
    }
    let far_first = app
        .get_all("/v1/puppies?near=45.5152,-122.6784&radius_km=100&sort=-distance")
        .await;
    assert_eq!(far_first.len(), 5);
    assert!(far_first[0]["distance_km"].as_f64().unwrap() > 29.0);
    // Without `near`, no distance is reported.
    let (_, body) = app.get_json("/v1/puppies").await;
    assert!(body["items"][0].get("distance_km").is_none());

    // London to Paris: the WGS84 geodesic is 343.9 km; the sphere is within 0.5%.
    let london = fixtures::organization(&app.store, "london", 51.5074, -0.1278).await;
    fixtures::puppy(&app.store, PuppySpec::new("Londoner", breed, london)).await;
    let items = app
        .get_all("/v1/puppies?near=48.8566,2.3522&radius_km=400")
        .await;
    assert_eq!(items.len(), 1);
    let d = items[0]["distance_km"].as_f64().unwrap();
    assert!((d - 343.9).abs() / 343.9 < 0.005, "{d}");
}

async fn text_search_matches_word_prefixes_in_name_breed_and_description(db: Db) {
    let app = TestApp::spawn_empty(db).await;
    let breed = fixtures::breed(&app.store, "beagle", "Beagle").await;
    let org = fixtures::organization(&app.store, "org", 45.0, -122.0).await;
    let mut biscuit = PuppySpec::new("Biscuit", breed, org);
    biscuit.description = "A golden retriever cross who loves swimming".into();
    let biscuit = fixtures::puppy(&app.store, biscuit).await.to_string();
    let mut waffles = PuppySpec::new("Waffles", breed, org);
    waffles.description = "Golden coat, calm with cats".into();
    let waffles = fixtures::puppy(&app.store, waffles).await.to_string();
    let mut adopted = PuppySpec::new("Goldie", breed, org);
    adopted.status = "adopted";
    fixtures::puppy(&app.store, adopted).await;

    let search = |q: &str| {
        let q = q.to_string();
        let app = &app;
        async move { ids(&app.get_all(&format!("/v1/puppies?q={q}")).await) }
    };
    assert_eq!(search("bisc").await, vec![biscuit.clone()]);
    let mut golden = search("golden").await;
    golden.sort();
    let mut want = vec![biscuit.clone(), waffles.clone()];
    want.sort();
    assert_eq!(
        golden, want,
        "status filter still applies: Goldie is adopted"
    );
    assert_eq!(search("golden%20swim").await, vec![biscuit.clone()]);
    assert_eq!(search("CATS").await, vec![waffles.clone()]);
    assert!(search("poodle").await.is_empty());
}

async fn detail_has_organization_and_ordered_photos_and_hides_contacts(db: Db) {
    let app = TestApp::spawn(db).await;
    let items = app.get_all("/v1/puppies?limit=100").await;
    let with_many = items
        .iter()
        .find(|i| i["photo"].is_object())
        .expect("demo puppies have photos");
    let id = with_many["id"].as_str().unwrap();
    let (status, detail) = app.get_json(&format!("/v1/puppies/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(detail["id"], id);
    assert!(detail["description"].as_str().unwrap().len() > 20);
    assert!(detail["organization"]["name"].is_string());
    assert!(detail["organization"].get("email").is_none());
    assert!(detail["organization"].get("phone").is_none());
    let photos = detail["photos"].as_array().unwrap();
    assert!(!photos.is_empty() && photos.len() <= 4);
    assert_eq!(photos[0]["id"], detail["photo"]["id"], "first photo leads");
    assert!(photos[0]["alt"]
        .as_str()
        .unwrap()
        .contains(detail["name"].as_str().unwrap()));
    // Every demo puppy has between one and four photos.
    let mut counts = HashSet::new();
    for item in items.iter().take(60) {
        let (_, d) = app
            .get_json(&format!("/v1/puppies/{}", item["id"].as_str().unwrap()))
            .await;
        counts.insert(d["photos"].as_array().unwrap().len());
    }
    assert!(counts.iter().all(|c| (1..=4).contains(c)));
    assert!(counts.len() > 1, "photo counts vary: {counts:?}");
}

async fn soft_deleted_puppies_are_hidden(db: Db) {
    let app = TestApp::spawn_empty(db).await;
    let breed = fixtures::breed(&app.store, "beagle", "Beagle").await;
    let org = fixtures::organization(&app.store, "org", 45.0, -122.0).await;
    let kept = fixtures::puppy(&app.store, PuppySpec::new("Kept", breed, org)).await;
    let gone = fixtures::puppy(&app.store, PuppySpec::new("Gone", breed, org)).await;
    fixtures::soft_delete(&app.store, gone).await;
    let items = app.get_all("/v1/puppies").await;
    assert_eq!(ids(&items), vec![kept.to_string()]);
    let (status, _) = app.get_json(&format!("/v1/puppies/{gone}")).await;
    assert_eq!(status, 404);
}

/// A breed slug that names no breed is a mistake, not a search with no results:
/// 400 naming each unknown slug and where the slugs are listed, near a place too.
async fn an_unknown_breed_slug_is_refused_with_where_to_find_slugs(db: Db) {
    let app = TestApp::spawn(db).await;
    let (status, known) = app.get_json("/v1/puppies?breed=beagle").await;
    assert_eq!(status, 200, "{known}");
    for query in [
        "breed=beagle,beagles,pug",
        "near=45.5,-122.6&radius_km=50&sort=distance&breed=beagles",
    ] {
        let response = app.get(&format!("/v1/puppies?{query}")).await;
        let body = assert_problem(response, 400, "validation_failed").await;
        let errors = body["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 1, "{body}");
        assert_eq!(errors[0]["field"], "breed");
        let message = errors[0]["message"].as_str().unwrap();
        assert!(message.contains("`beagles`"), "{message}");
        assert!(message.contains("GET /v1/breeds"), "{message}");
    }
    // A value that cannot be a slug at all says where slugs are too.
    let body = assert_problem(
        app.get("/v1/puppies?breed=Beagle").await,
        400,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "breed");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("GET /v1/breeds"),
        "{body}"
    );
}

both_databases!(
    an_unknown_breed_slug_is_refused_with_where_to_find_slugs,
    list_defaults_to_available_newest_first_in_pages_of_twenty,
    pagination_covers_the_whole_result_set_without_duplicates_or_gaps,
    several_statuses_page_in_one_order_without_duplicates_or_gaps,
    pages_never_repeat_or_skip_while_rows_are_inserted,
    every_filter_returns_exactly_the_matching_puppies,
    radius_and_distance_match_known_geodesics,
    text_search_matches_word_prefixes_in_name_breed_and_description,
    detail_has_organization_and_ordered_photos_and_hides_contacts,
    soft_deleted_puppies_are_hidden,
);
