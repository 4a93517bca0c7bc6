//! New-match alerts end to end: a listing that becomes available is matched
//! against saved searches by the outbox drainer (never in the staff request),
//! each match is announced once, at most one alert per search per window, by
//! push through a fake Expo service on loopback or by email into a local
//! folder, following the account's choice, the feature flag and pauses; a
//! failing or slow push service is retried and loses nothing, and browsing
//! does not wait for it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::admin::admin_token;
use crate::both_databases;
use crate::fake_expo::FakeExpo;
use crate::fixtures;
use crate::listings::user_with_role;
use crate::saved_searches::call;
use crate::support::{assert_problem, sign_up_verified, Db, Options, TestApp};

const TOKEN: &str = "ExponentPushToken[ada-phone-0001]";
const PORTLAND: &str = "45.5152,-122.6784";

struct World {
    app: TestApp,
    expo: FakeExpo,
    mail: tempfile::TempDir,
    admin: String,
    staff: String,
    adopter: String,
}

async fn world(db: Db, extra: &[(&str, &str)]) -> World {
    let expo = FakeExpo::start().await;
    let mail = tempfile::tempdir().unwrap();
    let mut options = Options {
        demo: false,
        ..Options::default()
    };
    let mut env = vec![
        ("EXPO_PUSH_URL", expo.url.clone()),
        ("EXPO_ACCESS_TOKEN", "expo-access-secret".into()),
        ("OUTBOX_DRAIN_SECONDS", "1".into()),
        ("OUTBOX_RETRY_BASE_SECONDS", "1".into()),
        ("PUSH_RECEIPT_DELAY_SECONDS", "0".into()),
        ("SMTP_URL", format!("file://{}", mail.path().display())),
    ];
    env.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
    options.env = env.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    let app = TestApp::spawn_with(db, options).await;
    fixtures::breed(&app.store, "beagle", "Beagle").await;
    fixtures::breed(&app.store, "poodle", "Poodle").await;
    let org = fixtures::organization(&app.store, "pdx", 45.52, -122.68).await;
    let (admin, _) = admin_token(&app, "admin@example.com").await;
    let staff = user_with_role(
        &app,
        &admin,
        "staff@example.com",
        Some(("staff", &org.to_string())),
    )
    .await;
    let adopter = sign_up_verified(&app, "ada@example.com", "Ada").await;
    let adopter = adopter["token"].as_str().unwrap().to_string();
    World {
        app,
        expo,
        mail,
        admin,
        staff,
        adopter,
    }
}

async fn save_search(w: &World, name: &str, query: &str) -> String {
    let r = call(
        &w.app,
        Method::POST,
        "/v1/me/saved-searches",
        &w.adopter,
        Some(json!({"name": name, "query": query})),
    )
    .await;
    assert_eq!(r.status(), 201);
    let body: Value = r.json().await.unwrap();
    body["id"].as_str().unwrap().to_string()
}

async fn register(w: &World, token: &str) -> reqwest::Response {
    call(
        &w.app,
        Method::POST,
        "/v1/me/push-tokens",
        &w.adopter,
        Some(json!({"token": token, "platform": "ios"})),
    )
    .await
}

/// Staff list a puppy; returns its id and ETag.
async fn list_puppy(w: &World, name: &str, breed: &str, status: &str) -> (String, String) {
    let r = call(
        &w.app,
        Method::POST,
        "/v1/puppies",
        &w.staff,
        Some(json!({
            "name": name,
            "breed": breed,
            "sex": "female",
            "birth_date": "2026-08-01",
            "colour": "tricolour",
            "good_with": {"kids": true, "dogs": null, "cats": false},
            "vaccinated": true,
            "description": "Loves long walks.",
            "adoption_fee_cents": 25000,
            "status": status,
        })),
    )
    .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    let body: Value = r.json().await.unwrap();
    (body["id"].as_str().unwrap().to_string(), etag)
}

async fn set_status(w: &World, id: &str, etag: &str, status: &str) -> String {
    let r = w
        .app
        .client
        .patch(w.app.url(&format!("/v1/puppies/{id}")))
        .bearer_auth(&w.staff)
        .header("if-match", etag)
        .json(&json!({"status": status}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    r.headers()["etag"].to_str().unwrap().to_string()
}

/// Waits until no alert job or match is waiting to run now.
async fn settle(w: &World) {
    for _ in 0..100 {
        let counts = w.app.store.outbox_counts().await.unwrap();
        let due: i64 = pending_due_now(&w.app).await;
        if due == 0 && counts.dead == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the outbox did not settle");
}

async fn pending_due_now(app: &TestApp) -> i64 {
    let rows = app
        .store
        .list_mail(kennel::domain::mail::OutboxStatus::Pending, 1000)
        .await
        .unwrap();
    rows.iter()
        .filter(|r| r.next_attempt_at <= chrono::Utc::now())
        .count() as i64
}

/// The new-match emails written to the mail folder: (to, subject, text).
fn mails(dir: &Path) -> Vec<(String, String, String)> {
    let mut all = all_mails(dir);
    all.retain(|(_, subject, _)| subject.contains(" for “"));
    all
}

/// Every email written to the mail folder (address confirmations too).
fn all_mails(dir: &Path) -> Vec<(String, String, String)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "eml"));
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let raw = std::fs::read(path).unwrap();
            let parsed = mail_parser::MessageParser::default().parse(&raw).unwrap();
            let to = parsed
                .to()
                .and_then(|a| a.first())
                .and_then(|a| a.address())
                .unwrap_or_default()
                .to_string();
            (
                to,
                parsed.subject().unwrap_or_default().to_string(),
                parsed.body_text(0).unwrap_or_default().into_owned(),
            )
        })
        .collect()
}

async fn wait_for_mail(dir: &Path, subject: &str) -> (String, String, String) {
    for _ in 0..100 {
        if let Some(mail) = mails(dir).into_iter().find(|m| m.1.contains(subject)) {
            return mail;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no email with subject {subject:?}: {:?}", mails(dir));
}

async fn wait_for_mail_count(dir: &Path, count: usize) {
    for _ in 0..100 {
        if mails(dir).len() >= count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("expected {count} emails: {:?}", mails(dir));
}

async fn unannounced(w: &World, search: &str) -> i64 {
    w.app
        .store
        .unannounced_matches(Uuid::parse_str(search).unwrap())
        .await
        .unwrap()
}

async fn push_tokens(w: &World) -> Vec<Value> {
    let r = call(&w.app, Method::GET, "/v1/me/push-tokens", &w.adopter, None).await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    body["items"].as_array().unwrap().clone()
}

async fn a_new_match_is_pushed_once_and_later_ones_wait_for_the_window(db: Db) {
    let w = world(db, &[]).await;
    assert_eq!(register(&w, TOKEN).await.status(), 201);
    assert_eq!(register(&w, TOKEN).await.status(), 200, "known already");
    let beagles = save_search(
        &w,
        "Beagles near Portland",
        &format!("breed=beagle&near={PORTLAND}&radius_km=50&sort=distance"),
    )
    .await;
    let poodles = save_search(&w, "Poodles", "breed=poodle").await;
    let far = save_search(&w, "Beagles in New York", "breed=beagle&near=40.71,-74.0").await;
    let kids = save_search(&w, "Good with cats", "good_with=cats").await;

    // The staff request answers at once; the push comes from the drainer.
    let (daisy, _) = list_puppy(&w, "Daisy", "beagle", "available").await;
    w.expo.wait_for_messages(1, 10).await;
    settle(&w).await;
    let messages = w.expo.messages();
    assert_eq!(messages.len(), 1, "one search matched: {messages:?}");
    let push = &messages[0];
    assert_eq!(push["to"], TOKEN);
    assert_eq!(push["title"], "New match for “Beagles near Portland”");
    assert_eq!(push["body"], "Daisy, Beagle in Testville");
    assert_eq!(push["data"]["type"], "new_matches");
    assert_eq!(push["data"]["saved_search_id"], beagles.as_str());
    assert_eq!(
        w.expo.authorizations()[0].as_deref(),
        Some("Bearer expo-access-secret")
    );
    for other in [&poodles, &far, &kids] {
        assert_eq!(unannounced(&w, other).await, 0);
    }
    assert_eq!(unannounced(&w, &beagles).await, 0, "announced");

    // A second match within the hour waits: counted, queued, not pushed.
    let (_rosie, _) = list_puppy(&w, "Rosie", "beagle", "available").await;
    settle(&w).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(w.expo.messages().len(), 1);
    assert_eq!(unannounced(&w, &beagles).await, 1);
    let waiting = w
        .app
        .store
        .list_mail(kennel::domain::mail::OutboxStatus::Pending, 10)
        .await
        .unwrap();
    let alert = waiting
        .iter()
        .find(|m| m.kind.as_str() == "new_match_alert")
        .expect("the next alert is queued");
    let wait = alert.next_attempt_at - chrono::Utc::now();
    assert!(wait > chrono::Duration::minutes(55), "{wait}");
    // Held back on purpose, so not a backlog.
    let counts = w.app.store.outbox_counts().await.unwrap();
    assert_eq!(counts.pending, 1);
    assert_eq!(counts.oldest_pending, None);

    // Adopted and back again: the same listing is not a new match.
    let listing = w.app.get(&format!("/v1/puppies/{daisy}")).await;
    let etag = listing.headers()["etag"].to_str().unwrap().to_string();
    let etag = set_status(&w, &daisy, &etag, "pending").await;
    set_status(&w, &daisy, &etag, "available").await;
    settle(&w).await;
    assert_eq!(unannounced(&w, &beagles).await, 1, "Daisy is not new again");

    // The receipt says the device is gone: its token is removed.
    w.expo.receipts_gone();
    let (_bo, _) = list_puppy(&w, "Bo", "poodle", "available").await;
    settle(&w).await;
    for _ in 0..50 {
        if push_tokens(&w).await.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(push_tokens(&w).await.is_empty(), "gone device forgotten");
    assert!(w
        .expo
        .receipt_requests()
        .iter()
        .any(|ids| ids.contains(&"ticket-1".to_string())));
}

async fn a_failing_push_service_is_retried_and_a_gone_device_falls_back_to_email(db: Db) {
    let w = world(db, &[("NEW_MATCH_ALERT_WINDOW_MINUTES", "0")]).await;
    assert_eq!(register(&w, TOKEN).await.status(), 201);
    let search = save_search(&w, "Any beagle", "breed=beagle").await;

    // The service is down: the staff request and browsing are unaffected, the
    // alert is retried.
    w.expo.set_status(503);
    let started = std::time::Instant::now();
    list_puppy(&w, "Daisy", "beagle", "available").await;
    assert!(started.elapsed() < Duration::from_secs(2));
    for _ in 0..50 {
        if w.expo.requests() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(w.expo.requests() >= 2, "retried: {}", w.expo.requests());
    let (status, _) = w.app.get_json("/v1/puppies?breed=beagle").await;
    assert_eq!(status, 200);
    assert!(w.expo.messages().is_empty());
    assert_eq!(unannounced(&w, &search).await, 1, "kept while failing");

    // Back up: delivered once, nothing lost.
    w.expo.set_status(200);
    let messages = w.expo.wait_for_messages(1, 15).await;
    assert_eq!(messages[0]["body"], "Daisy, Beagle in Testville");
    settle(&w).await;
    assert_eq!(w.expo.messages().len(), 1);
    assert_eq!(unannounced(&w, &search).await, 0);

    // The ticket says the device is not registered: the token goes and the
    // alert comes by email instead.
    w.expo.gone(TOKEN);
    list_puppy(&w, "Rosie", "beagle", "available").await;
    let (to, subject, text) = wait_for_mail(w.mail.path(), "Any beagle").await;
    assert_eq!(to, "ada@example.com");
    assert_eq!(subject, "New match for “Any beagle”");
    assert!(text.contains("Rosie: Beagle in Testville"), "{text}");
    assert!(
        text.contains(&format!("/saved-searches?open={search}")),
        "{text}"
    );
    assert!(push_tokens(&w).await.is_empty());
    assert_eq!(w.expo.messages().len(), 1);
}

async fn a_slow_push_service_is_retried_and_browsing_stays_fast(db: Db) {
    let w = world(
        db,
        &[
            ("NEW_MATCH_ALERT_WINDOW_MINUTES", "0"),
            ("EXPO_PUSH_TIMEOUT_SECONDS", "1"),
        ],
    )
    .await;
    assert_eq!(register(&w, TOKEN).await.status(), 201);
    let search = save_search(&w, "Any beagle", "breed=beagle").await;

    // The service answers after 3 s, past the 1 s the client waits.
    w.expo.set_delay(Duration::from_secs(3));
    let started = std::time::Instant::now();
    list_puppy(&w, "Daisy", "beagle", "available").await;
    assert!(started.elapsed() < Duration::from_secs(2));
    for _ in 0..100 {
        if w.expo.requests() >= 2 {
            break;
        }
        let started = std::time::Instant::now();
        let (status, _) = w.app.get_json("/v1/puppies?breed=beagle").await;
        assert_eq!(status, 200);
        assert!(started.elapsed() < Duration::from_secs(2), "browse waited");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(w.expo.requests() >= 2, "timed out and retried");
    assert_eq!(unannounced(&w, &search).await, 1, "kept while it fails");

    // Fast again: the alert goes out (at least once) and nothing is dead.
    w.expo.set_delay(Duration::ZERO);
    for _ in 0..150 {
        if unannounced(&w, &search).await == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(unannounced(&w, &search).await, 0);
    settle(&w).await;
    let messages = w.expo.messages();
    assert!(!messages.is_empty());
    for message in messages {
        assert_eq!(message["body"], "Daisy, Beagle in Testville");
    }
}

async fn alerts_follow_the_account_choice_the_flag_and_pauses(db: Db) {
    let w = world(db, &[("NEW_MATCH_ALERT_WINDOW_MINUTES", "0")]).await;

    // Token validation and ownership.
    let bad = call(
        &w.app,
        Method::POST,
        "/v1/me/push-tokens",
        &w.adopter,
        Some(json!({"token": "not-a-token", "platform": "windows"})),
    )
    .await;
    let problem = assert_problem(bad, 400, "validation_failed").await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["token", "platform"]);
    assert_eq!(register(&w, TOKEN).await.status(), 201);
    let encoded = "ExponentPushToken%5Bada-phone-0001%5D";
    let r = call(
        &w.app,
        Method::DELETE,
        &format!("/v1/me/push-tokens/{encoded}"),
        &w.staff,
        None,
    )
    .await;
    assert_eq!(r.status(), 404, "not the staff member's device");

    // Email chosen: no push, an email.
    let me = call(
        &w.app,
        Method::PATCH,
        "/v1/me",
        &w.adopter,
        Some(json!({"new_match_alerts": "email"})),
    )
    .await;
    assert_eq!(me.status(), 200);
    let me: Value = me.json().await.unwrap();
    assert_eq!(me["new_match_alerts"], "email");
    save_search(&w, "Beagles", "breed=beagle").await;
    list_puppy(&w, "Daisy", "beagle", "available").await;
    wait_for_mail(w.mail.path(), "Beagles").await;
    settle(&w).await;
    assert!(w.expo.messages().is_empty());

    // Push chosen but switched off by the flag: registering is refused and
    // alerts go by email.
    call(
        &w.app,
        Method::PATCH,
        "/v1/me",
        &w.adopter,
        Some(json!({"new_match_alerts": "push"})),
    )
    .await;
    let r = w
        .app
        .client
        .patch(w.app.url("/v1/admin/flags/push_notifications"))
        .bearer_auth(&w.admin)
        .json(&json!({"enabled": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let refused = register(&w, "ExponentPushToken[another-device]").await;
    assert_problem(refused, 503, "feature_unavailable").await;
    let (_, config) = w.app.get_json("/v1/config").await;
    assert_eq!(config["flags"]["push_notifications"], false);
    list_puppy(&w, "Rosie", "beagle", "available").await;
    wait_for_mail_count(w.mail.path(), 2).await;
    assert!(mails(w.mail.path())
        .iter()
        .any(|(_, _, text)| text.contains("Rosie: Beagle in Testville")));
    settle(&w).await;
    assert!(w.expo.messages().is_empty());

    // Paused: nothing matched, nothing sent; off: matched, nothing sent.
    let searches = call(
        &w.app,
        Method::GET,
        "/v1/me/saved-searches",
        &w.adopter,
        None,
    )
    .await;
    let searches: Value = searches.json().await.unwrap();
    let id = searches["items"][0]["id"].as_str().unwrap().to_string();
    let r = call(
        &w.app,
        Method::PATCH,
        &format!("/v1/me/saved-searches/{id}"),
        &w.adopter,
        Some(json!({"paused": true})),
    )
    .await;
    assert_eq!(r.status(), 200);
    let before = mails(w.mail.path()).len();
    list_puppy(&w, "Bo", "beagle", "available").await;
    settle(&w).await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(mails(w.mail.path()).len(), before);
    assert_eq!(unannounced(&w, &id).await, 0);

    call(
        &w.app,
        Method::PATCH,
        &format!("/v1/me/saved-searches/{id}"),
        &w.adopter,
        Some(json!({"paused": false})),
    )
    .await;
    call(
        &w.app,
        Method::PATCH,
        "/v1/me",
        &w.adopter,
        Some(json!({"new_match_alerts": "off"})),
    )
    .await;
    list_puppy(&w, "Max", "beagle", "available").await;
    settle(&w).await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(mails(w.mail.path()).len(), before, "off: no email");
    assert!(w.expo.messages().is_empty());

    // A value that is not a choice is refused.
    let r = call(
        &w.app,
        Method::PATCH,
        "/v1/me",
        &w.adopter,
        Some(json!({"new_match_alerts": "sideways"})),
    )
    .await;
    assert_eq!(r.status(), 400);
    let _ = assert_problem(
        call(
            &w.app,
            Method::GET,
            "/v1/me/push-tokens",
            "not-a-session",
            None,
        )
        .await,
        401,
        "unauthorized",
    )
    .await;
}

both_databases!(
    a_new_match_is_pushed_once_and_later_ones_wait_for_the_window,
    a_failing_push_service_is_retried_and_a_gone_device_falls_back_to_email,
    a_slow_push_service_is_retried_and_browsing_stays_fast,
    alerts_follow_the_account_choice_the_flag_and_pauses,
);
