//! The browse cache: public list and detail responses are reused for
//! `BROWSE_CACHE_SECONDS`; a change made through the instance clears them at
//! once; a change made elsewhere shows within the TTL.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::admin::admin_token;
use crate::both_databases;
use crate::fixtures::{self, PuppySpec};
use crate::listings::user_with_role;
use crate::support::{Db, Options, TestApp};

fn with_ttl(seconds: u64, demo: bool) -> Options {
    Options {
        demo,
        env: vec![("BROWSE_CACHE_SECONDS".into(), seconds.to_string())],
        ..Options::default()
    }
}

async fn snapshot(app: &TestApp, path: &str) -> (u16, Option<String>, Value) {
    let response = app.get(path).await;
    let status = response.status().as_u16();
    let etag = response
        .headers()
        .get("etag")
        .map(|v| v.to_str().unwrap().to_string());
    assert!(
        status != 200
            || response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json"),
        "a cached response keeps its content type"
    );
    (status, etag, response.json().await.unwrap())
}

/// A change made behind the instance's back (as by another instance) shows
/// only once the entry expires; until then the same bytes and ETag are served.
async fn a_change_made_elsewhere_shows_within_the_ttl(db: Db) {
    let ttl = Duration::from_secs(2);
    let app = TestApp::spawn_with(db, with_ttl(ttl.as_secs(), false)).await;
    let breed = fixtures::breed(&app.store, "beagle", "Beagle").await;
    let org = fixtures::organization(&app.store, "org", 45.0, -122.0).await;
    let id = fixtures::puppy(&app.store, PuppySpec::new("Biscuit", breed, org)).await;
    let detail = format!("/v1/puppies/{id}");

    let started = Instant::now();
    let (status, etag, body) = snapshot(&app, &detail).await;
    assert_eq!(status, 200);
    assert!(etag.is_some());
    let (_, _, list) = snapshot(&app, "/v1/puppies").await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);

    fixtures::soft_delete(&app.store, id).await;
    let (again_status, again_etag, again_body) = snapshot(&app, &detail).await;
    let (_, _, again_list) = snapshot(&app, "/v1/puppies").await;
    // Only meaningful while the entries are surely fresh; a stalled machine
    // that took longer skips straight to the expiry check.
    if started.elapsed() < ttl - Duration::from_millis(500) {
        assert_eq!(again_status, 200, "served from the cache within the TTL");
        assert_eq!(again_etag, etag);
        assert_eq!(again_body, body);
        assert_eq!(again_list, list);
    }

    tokio::time::sleep(ttl + Duration::from_millis(200)).await;
    let (status, _, _) = snapshot(&app, &detail).await;
    assert_eq!(status, 404, "the deletion shows once the entry expires");
    let (_, _, list) = snapshot(&app, "/v1/puppies").await;
    assert!(list["items"].as_array().unwrap().is_empty());
}

/// Staff see their own edits at once, even with a long TTL: every change
/// through the instance clears the cache, and errors are never cached.
async fn a_change_through_the_instance_clears_the_cache_at_once(db: Db) {
    let app = TestApp::spawn_with(db, with_ttl(60, true)).await;
    let (admin, _) = admin_token(&app, "root@example.com").await;
    let (_, _, page) = snapshot(&app, "/v1/puppies?limit=5").await;
    let puppy = &page["items"][0];
    let id = puppy["id"].as_str().unwrap().to_string();
    let org = puppy["organization"]["id"].as_str().unwrap();
    let staff = user_with_role(&app, &admin, "staff@example.com", Some(("staff", org))).await;
    let detail = format!("/v1/puppies/{id}");
    let (_, etag, before) = snapshot(&app, &detail).await;
    let etag = etag.unwrap();

    let r = app
        .client
        .patch(app.url(&detail))
        .bearer_auth(&staff)
        .header("if-match", &etag)
        .json(&json!({"name": "Renamed Right Now"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    let (_, new_etag, after) = snapshot(&app, &detail).await;
    assert_eq!(after["name"], "Renamed Right Now");
    assert_ne!(after, before);
    assert_ne!(
        new_etag.unwrap(),
        etag,
        "the new version's ETag, not the cached one"
    );
    let (_, _, page) = snapshot(&app, "/v1/puppies?limit=5").await;
    assert_eq!(page["items"][0]["name"], "Renamed Right Now");

    // Deleting clears it too.
    let r = app
        .client
        .delete(app.url(&detail))
        .bearer_auth(&staff)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let (status, _, _) = snapshot(&app, &detail).await;
    assert_eq!(status, 404);
    // A 404 is not cached: nothing is stored for a failed request.
    let (status, _, _) = snapshot(&app, "/v1/puppies?limit=nope").await;
    assert_eq!(status, 400);
    let (status, _, _) = snapshot(&app, "/v1/puppies?limit=nope").await;
    assert_eq!(status, 400);
}

/// `BROWSE_CACHE_SECONDS=0`: every request reads the database.
async fn zero_turns_the_cache_off(db: Db) {
    let app = TestApp::spawn_with(db, with_ttl(0, false)).await;
    let breed = fixtures::breed(&app.store, "beagle", "Beagle").await;
    let org = fixtures::organization(&app.store, "org", 45.0, -122.0).await;
    let id = fixtures::puppy(&app.store, PuppySpec::new("Biscuit", breed, org)).await;
    let detail = format!("/v1/puppies/{id}");
    assert_eq!(snapshot(&app, &detail).await.0, 200);
    fixtures::soft_delete(&app.store, id).await;
    assert_eq!(snapshot(&app, &detail).await.0, 404);
}

both_databases!(
    a_change_made_elsewhere_shows_within_the_ttl,
    a_change_through_the_instance_clears_the_cache_at_once,
    zero_turns_the_cache_off,
);
