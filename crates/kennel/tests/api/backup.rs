//! SQLite backups: consistent while the database is written, verified on restore,
//! pruned after the retention period.

use std::path::Path;

use chrono::{Duration, Utc};
use kennel::backup;

use crate::fixtures::{self, PuppySpec};
use crate::support::{Db, Options, TestApp};

fn db_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

fn database(url: &str) -> kennel::config::DatabaseUrl {
    url.parse().expect("a database URL")
}

/// The app over a SQLite file at `path`, with or without the demo data.
async fn app_at(path: &Path, demo: bool) -> TestApp {
    TestApp::spawn_with(
        Db::Sqlite,
        Options {
            database_url: Some(db_url(path)),
            demo,
            ..Options::default()
        },
    )
    .await
}

async fn count_puppies(url: &str) -> i64 {
    let store = kennel::store::Store::connect(&database(url), &Default::default())
        .await
        .unwrap();
    let kennel::store::Store::Sqlite(pool) = &store else {
        unreachable!()
    };
    let n = sqlx::query_scalar("SELECT COUNT(*) FROM puppies")
        .fetch_one(pool)
        .await
        .unwrap();
    store.close().await;
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_taken_during_writes_restores_to_a_consistent_serving_database() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live.db");
    let app = app_at(&live, true).await;
    let breed = fixtures::breed(&app.store, "test-breed", "Test Breed").await;
    let org = fixtures::organization(&app.store, "test-org", 45.0, -122.0).await;
    let before = count_puppies(&db_url(&live)).await;

    // Writes keep arriving while the backup runs.
    let store = app.store.clone();
    let writer = tokio::spawn(async move {
        for i in 0..200 {
            fixtures::puppy(&store, PuppySpec::new(&format!("W{i}"), breed, org)).await;
        }
    });
    let backups = dir.path().join("backups");
    let report = backup::backup(&database(&db_url(&live)), &backups, 30)
        .await
        .unwrap();
    writer.await.unwrap();
    assert!(report
        .file
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("kennel-"));
    let sums = std::fs::read_to_string(format!("{}.sha256", report.file.display())).unwrap();
    assert!(sums.starts_with(&report.sha256));

    let restored = dir.path().join("restored").join("kennel.db");
    let result = backup::restore(&database(&db_url(&restored)), &report.file, false)
        .await
        .unwrap();
    assert!(result.schema.contains("current"));
    let restored_count = count_puppies(&db_url(&restored)).await;
    assert!(restored_count >= before && restored_count <= before + 200);

    // The restored database serves.
    let copy = app_at(&restored, false).await;
    assert_eq!(copy.get("/readyz").await.status(), 200);
    let (status, body) = copy.get_json("/v1/puppies?limit=1").await;
    assert_eq!(status, 200);
    assert_eq!(body["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn restore_refuses_damaged_backups_and_live_databases_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live.db");
    let app = app_at(&live, false).await;
    let breed = fixtures::breed(&app.store, "beagle", "Beagle").await;
    let org = fixtures::organization(&app.store, "org", 45.0, -122.0).await;
    fixtures::puppy(&app.store, PuppySpec::new("Kept", breed, org)).await;
    let backups = dir.path().join("backups");
    let report = backup::backup(&database(&db_url(&live)), &backups, 30)
        .await
        .unwrap();

    // Without --force an existing database is left alone.
    let error = backup::restore(&database(&db_url(&live)), &report.file, false)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("--force"), "{error}");

    // A damaged file is refused before anything changes.
    let damaged = dir.path().join("kennel-20260101T000000Z.db.gz");
    let mut bytes = std::fs::read(&report.file).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&damaged, bytes).unwrap();
    std::fs::copy(
        format!("{}.sha256", report.file.display()),
        format!("{}.sha256", damaged.display()),
    )
    .unwrap();
    let target = dir.path().join("other.db");
    let error = backup::restore(&database(&db_url(&target)), &damaged, true)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("checksum mismatch"), "{error}");
    assert!(!target.exists());

    // With --force the old database is kept aside.
    drop(app);
    let result = backup::restore(&database(&db_url(&live)), &report.file, true)
        .await
        .unwrap();
    assert!(result.previous.as_ref().unwrap().exists());
    assert_eq!(count_puppies(&db_url(&live)).await, 1);

    let error = backup::backup(&database("postgres://x@127.0.0.1/db"), &backups, 30)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("Cloud SQL"), "{error}");
}

#[tokio::test]
async fn backups_older_than_the_retention_period_are_pruned() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live.db");
    let _app = app_at(&live, false).await;
    let backups = dir.path().join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    let old = (Utc::now() - Duration::days(31))
        .format("kennel-%Y%m%dT%H%M%SZ.db.gz")
        .to_string();
    let recent = (Utc::now() - Duration::days(29))
        .format("kennel-%Y%m%dT%H%M%SZ.db.gz")
        .to_string();
    for name in [&old, &recent] {
        std::fs::write(backups.join(name), b"x").unwrap();
        std::fs::write(backups.join(format!("{name}.sha256")), b"x").unwrap();
    }
    std::fs::write(backups.join("notes.txt"), b"not a backup").unwrap();
    let report = backup::backup(&database(&db_url(&live)), &backups, 30)
        .await
        .unwrap();
    assert_eq!(report.pruned, vec![backups.join(&old)]);
    assert!(!backups.join(format!("{old}.sha256")).exists());
    assert!(backups.join(&recent).exists());
    assert!(backups.join("notes.txt").exists());
    assert!(report.file.exists());
}
