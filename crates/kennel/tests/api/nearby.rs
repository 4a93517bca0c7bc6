//! Browse near a place: nearest first and the other orders within a radius, page
//! by page, against a reference computed from the whole list; geodesics across the
//! antimeridian and the poles; and the plans the databases choose.

use std::cmp::Ordering;
use std::collections::HashMap;

use chrono::{Duration, Utc};
use kennel::domain::browse::BrowseParams;
use kennel::domain::geo::{destination, haversine_km, Coordinates};
use kennel::store::{nearby, Store};
use serde_json::Value;

use crate::both_databases;
use crate::fixtures::{self, PuppySpec};
use crate::support::{Db, Options, TestApp};

const PORTLAND: Coordinates = Coordinates {
    lat: 45.5152,
    lng: -122.6784,
};

fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

fn place(item: &Value) -> Coordinates {
    Coordinates {
        lat: item["organization"]["latitude"].as_f64().unwrap(),
        lng: item["organization"]["longitude"].as_f64().unwrap(),
    }
}

/// Adds a dense cluster around Portland to the demo data: 80 organisations within
/// 25 km (more than the few-organisations plan takes), three of them at one spot so
/// their puppies tie on distance, each with puppies of varied fee, age and status.
async fn crowd_portland(app: &TestApp) {
    let breed = fixtures::breed(&app.store, "test-hound", "Test Hound").await;
    let spot = destination(PORTLAND, 30.0, 7.0);
    let base = Utc::now() - Duration::days(3);
    for i in 0..80u32 {
        let point = if i < 3 {
            spot
        } else {
            destination(PORTLAND, f64::from(i * 37 % 360), 0.5 + f64::from(i % 25))
        };
        let org =
            fixtures::organization(&app.store, &format!("crowd-{i}"), point.lat, point.lng).await;
        for j in 0..(1 + i % 3) {
            let mut spec = PuppySpec::new(&format!("Crowd{i}x{j}"), breed, org);
            spec.fee_cents = i64::from((i * 7 + j * 13) % 9) * 2_500;
            spec.listed_at = base + Duration::minutes(i64::from(i * 5 + j));
            spec.status = if (i + j) % 5 == 0 {
                "pending"
            } else {
                "available"
            };
            spec.description = if i % 2 == 0 {
                "A golden friend".into()
            } else {
                "Calm and quiet".into()
            };
            fixtures::puppy(&app.store, spec).await;
        }
    }
}

/// The answer to `filters` near `centre`, computed from the list without `near`
/// (another plan): the puppies within the radius, ordered by distance then id for
/// distance sorts, or in the list's own order otherwise.
async fn reference(
    app: &TestApp,
    lists: &mut HashMap<String, Vec<Value>>,
    filters: &str,
    sort: &str,
    centre: Coordinates,
    radius_km: f64,
) -> Vec<String> {
    let plain_sort = if sort.contains("distance") {
        "newest"
    } else {
        sort
    };
    let path = format!("/v1/puppies?limit=100&sort={plain_sort}&{filters}");
    if !lists.contains_key(&path) {
        let all = app.get_all(&path).await;
        lists.insert(path.clone(), all);
    }
    let all = &lists[&path];
    let mut within: Vec<(f64, String)> = all
        .iter()
        .map(|item| {
            let id = item["id"].as_str().unwrap().to_string();
            (haversine_km(centre, place(item)), id)
        })
        .filter(|(d, _)| *d <= radius_km)
        .collect();
    let by_distance = |a: &(f64, String), b: &(f64, String)| -> Ordering {
        a.0.total_cmp(&b.0).then_with(|| {
            let (x, y) = (
                uuid::Uuid::parse_str(&a.1).unwrap(),
                uuid::Uuid::parse_str(&b.1).unwrap(),
            );
            x.cmp(&y)
        })
    };
    match sort {
        "distance" => within.sort_by(by_distance),
        "-distance" => within.sort_by(|a, b| by_distance(b, a)),
        _ => {}
    }
    within.into_iter().map(|(_, id)| id).collect()
}

/// Every place, radius, filter and sort: paging through the `near` answer in pages
/// of nine gives exactly the reference, with the reference's distances.
async fn near_queries_page_exactly_like_the_reference(db: Db) {
    // Thousands of pages from one address.
    let app = TestApp::spawn_with(
        db,
        Options {
            env: vec![("RATE_LIMIT_ANONYMOUS_PER_MINUTE".into(), "1000000".into())],
            ..Options::default()
        },
    )
    .await;
    crowd_portland(&app).await;
    let places = [
        ("Portland", PORTLAND),
        ("the crowd's shared spot", destination(PORTLAND, 30.0, 7.0)),
        ("Nevada, sparse", Coordinates::new(39.0, -117.0).unwrap()),
        (
            "the Pacific, empty",
            Coordinates::new(30.0, -150.0).unwrap(),
        ),
    ];
    let filters = [
        "",
        "size=small,medium&good_with=kids",
        "age=baby",
        "q=golden",
        "status=available,pending",
        "breed=test-hound&status=pending",
        // Kinds no organisation in reach lists, and one every crowd puppy is.
        "breed=test-hound&coat=long",
        "size=giant,small&status=available,pending",
        "size=medium&coat=short,wire",
    ];
    let mut compared = 0;
    let mut lists = HashMap::new();
    for (name, centre) in places {
        for radius in [5.0, 50.0, 1000.0] {
            for filter in filters {
                for sort in ["distance", "-distance", "newest", "-newest", "fee", "-fee"] {
                    let near = format!("near={},{}&radius_km={radius}", centre.lat, centre.lng);
                    let got = app
                        .get_all(&format!("/v1/puppies?limit=9&sort={sort}&{near}&{filter}"))
                        .await;
                    let want = reference(&app, &mut lists, filter, sort, centre, radius).await;
                    let label = format!("{name}, {radius} km, {filter:?}, sort={sort}");
                    assert_eq!(ids(&got), want, "{label}");
                    for item in &got {
                        // Distances are shown to 10 m.
                        let d = item["distance_km"].as_f64().expect("distance");
                        assert!(
                            (d - haversine_km(centre, place(item))).abs() <= 0.005,
                            "{label}"
                        );
                    }
                    compared += want.len();
                }
            }
        }
    }
    assert!(compared > 1_000, "the cases return rows: {compared}");
}

/// Organisations on both sides of the antimeridian and around the North Pole are
/// found at their great-circle distance, and only they.
async fn near_works_across_the_antimeridian_and_the_poles(db: Db) {
    let app = TestApp::spawn_empty(db).await;
    let breed = fixtures::breed(&app.store, "beagle", "Beagle").await;
    let add = |slug: &'static str, lat: f64, lng: f64| {
        let store = app.store.clone();
        async move {
            let org = fixtures::organization(&store, slug, lat, lng).await;
            fixtures::puppy(&store, PuppySpec::new(slug, breed, org))
                .await
                .to_string()
        }
    };
    let east = add("east", 0.0, 179.95).await;
    let west = add("west", 0.0, -179.96).await;
    let far = add("far", 0.0, 179.0).await;
    let pole_a = add("pole-a", 89.95, 0.0).await;
    let pole_b = add("pole-b", 89.94, 180.0).await;
    let pole_c = add("pole-c", 89.93, -90.0).await;

    let names = |items: &[Value]| -> Vec<String> {
        items
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect()
    };
    // 0.05 degrees of arc is 5.560 km on the mean sphere, 0.04 degrees 4.448 km;
    // distances are shown to 10 m.
    let items = app
        .get_all("/v1/puppies?near=0,180&radius_km=10&sort=distance")
        .await;
    assert_eq!(names(&items), vec![west.clone(), east.clone()]);
    let d: Vec<f64> = items
        .iter()
        .map(|i| i["distance_km"].as_f64().unwrap())
        .collect();
    assert_eq!(d, vec![4.45, 5.56]);
    let items = app
        .get_all("/v1/puppies?near=0,-179.99&radius_km=150&sort=-distance")
        .await;
    assert_eq!(names(&items), vec![far, east, west]);

    let items = app
        .get_all("/v1/puppies?near=90,45&radius_km=10&sort=distance")
        .await;
    assert_eq!(names(&items), vec![pole_a, pole_b, pole_c]);
    let d: Vec<f64> = items
        .iter()
        .map(|i| i["distance_km"].as_f64().unwrap())
        .collect();
    assert_eq!(d, vec![5.56, 6.67, 7.78]);
}

/// A nearest-first search reads a batch of organisations' puppies through the
/// `(organization_id, status, id, …)` index, never a scan of the puppies, and tests
/// every filter but text on the index alone; text is tested on the table's rows of
/// the puppies that pass the others, looked up by key.
async fn nearest_first_tests_filters_on_the_organisations_index(db: Db) {
    let app = TestApp::spawn(db).await;
    let query = |extra: BrowseParams| {
        BrowseParams {
            near: Some("45.5152,-122.6784".into()),
            sort: Some("distance".into()),
            ..extra
        }
        .parse()
        .unwrap()
    };
    let cases = [
        query(BrowseParams::default()),
        query(BrowseParams {
            size: vec!["small".into()],
            good_with: vec!["kids".into()],
            q: Some("golden".into()),
            ..Default::default()
        }),
        query(BrowseParams {
            breed: vec!["beagle".into()],
            age: vec!["baby".into()],
            ..Default::default()
        }),
        query(BrowseParams {
            sex: vec!["female".into()],
            coat: vec!["long".into(), "wire".into()],
            good_with: vec!["cats".into(), "dogs".into()],
            status: vec!["available,pending".into()],
            ..Default::default()
        }),
    ];
    // As autovacuum leaves a live table: its pages marked all-visible, which is what
    // lets Postgres answer from the index alone.
    app.store.analyze().await.unwrap();
    let batches = [1, nearby::WINDOW_BATCH];
    for (query, batch) in cases.iter().flat_map(|q| batches.map(|b| (q, b))) {
        let plan = nearby::explain_nearest_batch(&app.store, query, batch)
            .await
            .unwrap();
        let text = plan.join("\n");
        let by_text = query.filter.text.is_some();
        match &app.store {
            Store::Sqlite(_) => {
                assert!(
                    text.contains("USING COVERING INDEX puppies_organization_facets"),
                    "{text}"
                );
                assert!(
                    !text
                        .lines()
                        .any(|l| l.contains("SCAN p") || l.contains("SCAN t")),
                    "{text}"
                );
                assert_eq!(text.contains("SEARCH t USING"), by_text, "{text}");
            }
            Store::Postgres(_) => {
                assert!(!text.contains("Seq Scan"), "{text}");
                assert_eq!(text.contains("on puppies t"), by_text, "{text}");
                if batch < nearby::WINDOW_BATCH {
                    assert!(
                        text.contains("Index Only Scan using puppies_organization_facets"),
                        "{text}"
                    );
                } else {
                    // On a table this small the planner may rightly take the narrower
                    // (organization_id, status) index; at a million puppies it reads
                    // the facets index alone (docs/performance.md).
                    assert!(text.contains("(organization_id = ANY ("), "{text}");
                }
            }
        }
    }
}

/// `organization_kinds` as it is, and as counted afresh from the puppies: one row per
/// (organisation, status, breed, size, coat) of the listed puppies, a cross-breed
/// under both its breeds.
async fn kinds(store: &Store) -> (Vec<KindRow>, Vec<KindRow>) {
    const KEPT: &str = "SELECT organization_id, status, breed_id, size, coat, \
        CAST(puppies AS BIGINT) FROM organization_kinds \
        ORDER BY organization_id, status, breed_id, size, coat";
    const COUNTED: &str = "SELECT organization_id, status, breed, size, coat, \
        CAST(count(*) AS BIGINT) FROM (\
          SELECT organization_id, status, breed_id AS breed, size, coat FROM puppies \
          WHERE deleted_at IS NULL \
          UNION ALL \
          SELECT organization_id, status, secondary_breed_id, size, coat FROM puppies \
          WHERE deleted_at IS NULL AND secondary_breed_id IS NOT NULL \
            AND secondary_breed_id <> breed_id) AS k \
        GROUP BY organization_id, status, breed, size, coat \
        ORDER BY organization_id, status, breed, size, coat";
    match store {
        Store::Sqlite(pool) => (
            sqlx::query_as(KEPT).fetch_all(pool).await.unwrap(),
            sqlx::query_as(COUNTED).fetch_all(pool).await.unwrap(),
        ),
        Store::Postgres(pool) => (
            sqlx::query_as(KEPT).fetch_all(pool).await.unwrap(),
            sqlx::query_as(COUNTED).fetch_all(pool).await.unwrap(),
        ),
    }
}

type KindRow = (uuid::Uuid, String, uuid::Uuid, String, String, i64);

/// The triggers keep `organization_kinds` equal to a fresh count through every kind
/// of write: the demo seed, inserts, changes of each counted column (a breed
/// becoming a cross-breed and back, a move to another organisation), soft delete
/// and restore, and delete; and a near query filtered by kind follows each change.
async fn organization_kinds_follow_every_write(db: Db) {
    use kennel::store::Param;
    // The writes below go around the API, so nothing clears the browse cache.
    let options = Options {
        env: vec![("BROWSE_CACHE_SECONDS".into(), "0".into())],
        ..Options::default()
    };
    let app = TestApp::spawn_with(db, options).await;
    let (kept, counted) = kinds(&app.store).await;
    assert!(!kept.is_empty());
    assert_eq!(kept, counted, "after the demo seed");

    let hound = fixtures::breed(&app.store, "kind-hound", "Kind Hound").await;
    let terrier = fixtures::breed(&app.store, "kind-terrier", "Kind Terrier").await;
    let here = fixtures::organization(&app.store, "kind-here", 10.0, 10.0).await;
    let there = fixtures::organization(&app.store, "kind-there", 10.0, 10.5).await;
    let first = fixtures::puppy(&app.store, PuppySpec::new("Kindone", hound, here)).await;
    let second = fixtures::puppy(&app.store, PuppySpec::new("Kindtwo", hound, here)).await;
    let near =
        |filters: &str| format!("/v1/puppies?near=10,10&radius_km=100&sort=distance&{filters}");
    let found = |items: Vec<Value>| items.len();
    assert_eq!(
        found(app.get_all(&near("breed=kind-hound&coat=short")).await),
        2
    );
    assert_eq!(found(app.get_all(&near("breed=kind-terrier")).await), 0);

    let writes: Vec<(&str, Vec<Param>)> = vec![
        (
            "UPDATE puppies SET secondary_breed_id = $1, mixed = TRUE WHERE id = $2",
            vec![Param::Id(terrier), Param::Id(first)],
        ),
        (
            "UPDATE puppies SET coat = 'long', size = 'giant' WHERE id = $1",
            vec![Param::Id(second)],
        ),
        (
            "UPDATE puppies SET status = 'pending' WHERE id = $1",
            vec![Param::Id(first)],
        ),
        (
            "UPDATE puppies SET organization_id = $1 WHERE id = $2",
            vec![Param::Id(there), Param::Id(second)],
        ),
        (
            "UPDATE puppies SET breed_id = $1, secondary_breed_id = NULL WHERE id = $2",
            vec![Param::Id(terrier), Param::Id(second)],
        ),
        (
            "UPDATE puppies SET name = 'Renamed' WHERE id = $1",
            vec![Param::Id(first)],
        ),
        (
            "UPDATE puppies SET deleted_at = $1 WHERE id = $2",
            vec![Param::Time(Utc::now()), Param::Id(first)],
        ),
    ];
    let expected_after = [
        // (kind-terrier anywhere, kind-hound & short, terrier & giant & long)
        (1, 2, 0),
        (1, 1, 0),
        (0, 1, 0),
        (0, 1, 0),
        (1, 1, 1),
        (1, 1, 1),
        (1, 0, 1),
    ];
    for ((sql, params), (terriers, short_hounds, giant_long_terriers)) in
        writes.into_iter().zip(expected_after)
    {
        fixtures::execute(&app.store, sql, params).await;
        let (kept, counted) = kinds(&app.store).await;
        assert_eq!(kept, counted, "after {sql}");
        let seen = (
            found(
                app.get_all(&near("breed=kind-terrier&status=available"))
                    .await,
            ),
            found(
                app.get_all(&near(
                    "breed=kind-hound&coat=short&status=available,pending",
                ))
                .await,
            ),
            found(
                app.get_all(&near("breed=kind-terrier&size=giant&coat=long"))
                    .await,
            ),
        );
        assert_eq!(
            seen,
            (terriers, short_hounds, giant_long_terriers),
            "after {sql}"
        );
    }
    for (sql, params) in [
        (
            "UPDATE puppies SET deleted_at = NULL WHERE id = $1",
            vec![Param::Id(first)],
        ),
        ("DELETE FROM puppies WHERE id = $1", vec![Param::Id(second)]),
        ("DELETE FROM puppies WHERE id = $1", vec![Param::Id(first)]),
    ] {
        fixtures::execute(&app.store, sql, params).await;
        let (kept, counted) = kinds(&app.store).await;
        assert_eq!(kept, counted, "after {sql}");
    }
    assert_eq!(
        found(
            app.get_all(&near(
                "breed=kind-hound,kind-terrier&status=available,pending,adopted"
            ))
            .await
        ),
        0
    );
}

/// The organisations a near query reads are tested against `organization_kinds` by
/// its key, not by a scan.
async fn near_tests_organisations_by_kind_through_the_key(db: Db) {
    let app = TestApp::spawn(db).await;
    let query: kennel::domain::browse::BrowseQuery = BrowseParams {
        near: Some("45.5152,-122.6784".into()),
        radius_km: Some("1000".into()),
        sort: Some("distance".into()),
        breed: vec!["beagle".into()],
        size: vec!["giant".into()],
        coat: vec!["long".into()],
        ..Default::default()
    }
    .parse()
    .unwrap();
    let text = nearby::explain_organizations(&app.store, &query)
        .await
        .unwrap()
        .join("\n");
    match &app.store {
        Store::Sqlite(_) => {
            assert!(
                text.contains("SEARCH k USING PRIMARY KEY (organization_id=?"),
                "{text}"
            );
            assert!(!text.contains("SCAN k"), "{text}");
        }
        Store::Postgres(_) => {
            assert!(text.contains("organization_kinds_pkey"), "{text}");
            assert!(!text.contains("Seq Scan on organization_kinds"), "{text}");
        }
    }
}

both_databases!(
    organization_kinds_follow_every_write,
    near_tests_organisations_by_kind_through_the_key,
    near_queries_page_exactly_like_the_reference,
    near_works_across_the_antimeridian_and_the_poles,
    nearest_first_tests_filters_on_the_organisations_index,
);
