//! The demo data set loads completely and a second run changes nothing; the
//! demo accounts sign in and find conversations waiting.

use kennel::photos::PhotoStore;
use kennel::seed::accounts::{demo_accounts, seed_accounts, DEMO_PASSWORD};
use serde_json::{json, Value};

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

async fn sign_in(app: &TestApp, email: &str) -> (String, Value) {
    let r = app
        .post_json(
            "/v1/auth/login",
            json!({"email": email, "password": DEMO_PASSWORD}),
            None,
        )
        .await;
    assert_eq!(r.status(), 200, "{email}");
    let session: Value = r.json().await.unwrap();
    (
        session["token"].as_str().unwrap().to_string(),
        session["user"].clone(),
    )
}

async fn items(app: &TestApp, path: &str, token: &str) -> Vec<Value> {
    let r = app.get_as(path, token).await;
    assert_eq!(r.status(), 200, "{path}");
    let body: Value = r.json().await.unwrap();
    body["items"].as_array().unwrap().clone()
}

async fn demo_accounts_sign_in_and_find_their_conversations(db: Db) {
    let app = TestApp::spawn(db).await;
    assert_eq!(seed_accounts(&app.store).await.unwrap(), 4);
    // A second start adds nothing, conversations included.
    assert_eq!(seed_accounts(&app.store).await.unwrap(), 0);

    let described = demo_accounts();
    let emails: Vec<&str> = described.iter().map(|a| a.email).collect();
    assert_eq!(
        emails,
        [
            "adopter@demo.kennel.test",
            "staff@demo.kennel.test",
            "staff2@demo.kennel.test",
            "admin@demo.kennel.test"
        ]
    );
    let (adopter, me) = sign_in(&app, emails[0]).await;
    assert_eq!(me["role"], "adopter");
    assert_eq!(me["email_verified"], true);
    let threads = items(&app, "/v1/me/inquiries", &adopter).await;
    assert_eq!(threads.len(), 2, "{threads:?}");
    let unread: Value = app
        .get_as("/v1/me/unread", &adopter)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(unread["threads"], 1, "{unread}");

    let mut organisations = Vec::new();
    for (email, description) in [emails[1], emails[2]].iter().zip(&described[1..3]) {
        let (staff, me) = sign_in(&app, email).await;
        assert_eq!(me["role"], "staff");
        let org = me["organization_id"].as_str().unwrap().to_string();
        let inbox = items(&app, &format!("/v1/organizations/{org}/inquiries"), &staff).await;
        assert_eq!(inbox.len(), 1, "{email}: {inbox:?}");
        let (_, organization) = app.get_json(&format!("/v1/organizations/{org}")).await;
        assert_eq!(
            description.description,
            format!("staff of {}", organization["name"].as_str().unwrap())
        );
        organisations.push(org);
    }
    assert_ne!(organisations[0], organisations[1]);
    let (admin, me) = sign_in(&app, emails[3]).await;
    assert_eq!(me["role"], "admin");
    assert_eq!(items(&app, "/v1/admin/users", &admin).await.len(), 4);

    // The adopter's address is confirmed: it may answer straight away.
    let answered = threads
        .iter()
        .find(|t| t["unread_count"].as_i64().unwrap_or(0) > 0)
        .expect("the answered thread is unread");
    let r = app
        .post_json(
            &format!("/v1/inquiries/{}/replies", answered["id"].as_str().unwrap()),
            json!({"message": "Saturday at 11 is perfect."}),
            Some(&adopter),
        )
        .await;
    assert_eq!(r.status(), 201);
}

both_databases!(
    seeding_twice_changes_nothing,
    demo_accounts_sign_in_and_find_their_conversations
);
