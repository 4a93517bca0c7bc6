//! The demo data set loads completely and a second run changes nothing.

use kennel::photos::PhotoStore;

use crate::both_databases;
use crate::support::{shared_photo_dir, Db, TestApp};

async fn seeding_twice_changes_nothing(db: Db) {
    let app = TestApp::spawn(db).await;
    let before = app
        .get_all("/v1/puppies?limit=100&status=available,pending,adopted")
        .await;
    assert_eq!(before.len(), kennel::seed::DEMO_PUPPIES);
    let photos = PhotoStore::open(&format!("file://{}", shared_photo_dir().display())).unwrap();
    let report = kennel::seed::seed(&app.store, &photos, kennel::seed::DEMO_PUPPIES)
        .await
        .unwrap();
    assert_eq!(
        report,
        kennel::seed::SeedReport::default(),
        "second run inserted rows"
    );
    let after = app
        .get_all("/v1/puppies?limit=100&status=available,pending,adopted")
        .await;
    assert_eq!(before, after);
    let (_, breeds) = app.get_json("/v1/breeds").await;
    assert!(breeds["items"].as_array().unwrap().len() >= 40);
    let cities: std::collections::HashSet<&str> = before
        .iter()
        .map(|p| p["organization"]["city"].as_str().unwrap())
        .collect();
    assert_eq!(cities.len(), 15);
}

both_databases!(seeding_twice_changes_nothing);
