//! Roles and the audit log: only admins manage users; every change is recorded.

use std::collections::HashSet;
use std::io::Write;
use std::process::{Command, Stdio};

use chrono::Utc;
use kennel::store::admin::AuditEntry;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::both_databases;
use crate::support::{assert_problem, Db, Options, TestApp, PASSWORD};

async fn sign_up(app: &TestApp, email: &str) -> (String, String) {
    let body = crate::support::sign_up(app, email, "Someone").await;
    (
        body["token"].as_str().unwrap().to_string(),
        body["user"]["id"].as_str().unwrap().to_string(),
    )
}

/// An admin account made the way the CLI makes one, then signed in.
pub async fn admin_token(app: &TestApp, email: &str) -> (String, Uuid) {
    let id = Uuid::now_v7();
    let hash = kennel::auth::hash_password(PASSWORD).unwrap();
    let audit = AuditEntry::account_created(id, "admin", None);
    app.store
        .create_user_with_role(id, email, &hash, "Admin", "admin", None, &audit, Utc::now())
        .await
        .unwrap();
    let response = app
        .client
        .post(app.url("/v1/auth/login"))
        .json(&json!({"email": email, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    (body["token"].as_str().unwrap().to_string(), id)
}

async fn put_role(app: &TestApp, token: &str, user: &str, body: Value) -> reqwest::Response {
    app.client
        .put(app.url(&format!("/v1/admin/users/{user}/role")))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn only_admins_manage_roles_and_every_change_is_audited(db: Db) {
    let app = TestApp::spawn(db).await;
    let (admin, admin_id) = admin_token(&app, "root@example.com").await;
    let (adopter, adopter_id) = sign_up(&app, "ada@example.com").await;
    let (_, bob_id) = sign_up(&app, "bob@example.com").await;
    let (_, list) = app.get_json("/v1/puppies?limit=1").await;
    let org = list["items"][0]["organization"]["id"]
        .as_str()
        .unwrap()
        .to_string();

    // Anonymous: 401; adopter: 403, on every admin route.
    for path in ["/v1/admin/users", "/v1/admin/audit-log"] {
        assert_problem(app.get(path).await, 401, "unauthorized").await;
        let r = app
            .client
            .get(app.url(path))
            .bearer_auth(&adopter)
            .send()
            .await
            .unwrap();
        assert_problem(r, 403, "forbidden").await;
    }
    let r = put_role(&app, &adopter, &bob_id, json!({"role": "admin"})).await;
    assert_problem(r, 403, "forbidden").await;

    // The admin lists users in pages.
    let r = app
        .client
        .get(app.url("/v1/admin/users?limit=2"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let page: Value = r.json().await.unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    let cursor = page["next_cursor"].as_str().unwrap();
    let r = app
        .client
        .get(app.url(&format!("/v1/admin/users?limit=2&cursor={cursor}")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    let rest: Value = r.json().await.unwrap();
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert!(rest["next_cursor"].is_null());
    assert!(!page.to_string().contains("password"));

    // Role rules.
    let r = put_role(&app, &admin, &bob_id, json!({"role": "staff"})).await;
    assert_problem(r, 400, "validation_failed").await;
    let r = put_role(
        &app,
        &admin,
        &bob_id,
        json!({"role": "adopter", "organization_id": org}),
    )
    .await;
    assert_problem(r, 400, "validation_failed").await;
    let r = put_role(
        &app,
        &admin,
        &bob_id,
        json!({"role": "staff", "organization_id": Uuid::now_v7()}),
    )
    .await;
    assert_problem(r, 400, "validation_failed").await;
    let r = put_role(
        &app,
        &admin,
        &Uuid::now_v7().to_string(),
        json!({"role": "admin"}),
    )
    .await;
    assert_problem(r, 404, "not_found").await;
    let r = put_role(
        &app,
        &admin,
        &admin_id.to_string(),
        json!({"role": "adopter"}),
    )
    .await;
    assert_problem(r, 400, "validation_failed").await;
    let r = put_role(&app, &admin, &bob_id, json!({"role": "superuser"})).await;
    let body = assert_problem(r, 400, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "role");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("must be one of: "),
        "{body}"
    );

    let r = put_role(
        &app,
        &admin,
        &bob_id,
        json!({"role": "staff", "organization_id": org}),
    )
    .await;
    assert_eq!(r.status(), 200);
    let bob: Value = r.json().await.unwrap();
    assert_eq!(
        (bob["role"].as_str(), bob["organization_id"].as_str()),
        (Some("staff"), Some(org.as_str()))
    );

    // The audit log records who did what to whom, newest first.
    let r = app
        .client
        .get(app.url("/v1/admin/audit-log"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    let log: Value = r.json().await.unwrap();
    let entries = log["items"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "{log}");
    assert_eq!(entries[0]["action"], "user.role_set");
    assert_eq!(entries[0]["actor_id"], admin_id.to_string());
    assert_eq!(entries[0]["target_id"], bob_id);
    assert_eq!(entries[0]["details"]["role"], "staff");
    assert_eq!(entries[1]["action"], "user.created");
    assert_eq!(entries[1]["channel"], "cli");
    let _ = adopter_id;
}

async fn get(app: &TestApp, token: &str, path: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

/// The ids of an admin list at `limit` a page, following `next_cursor` to the end.
async fn walk(app: &TestApp, token: &str, path: &str, limit: u32) -> Vec<String> {
    let mut ids = Vec::new();
    let mut url = format!("{path}?limit={limit}");
    for _ in 0..100 {
        let r = get(app, token, &url).await;
        assert_eq!(r.status(), 200, "{url}");
        let page: Value = r.json().await.unwrap();
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= limit as usize, "{url}: {page}");
        ids.extend(items.iter().map(|i| i["id"].as_str().unwrap().to_string()));
        match page["next_cursor"].as_str() {
            Some(cursor) => url = format!("{path}?limit={limit}&cursor={cursor}"),
            None => return ids,
        }
    }
    panic!("paging did not end");
}

async fn admin_lists_page_to_the_end_without_repeats_or_gaps(db: Db) {
    let app = TestApp::spawn_empty(db).await;
    let (admin, _) = admin_token(&app, "root@example.com").await;
    for i in 0..6 {
        let (_, id) = sign_up(&app, &format!("user{i}@example.com")).await;
        let r = put_role(&app, &admin, &id, json!({"role": "admin"})).await;
        assert_eq!(r.status(), 200);
    }
    for (path, at_least) in [("/v1/admin/users", 7), ("/v1/admin/audit-log", 7)] {
        let all = walk(&app, &admin, path, 100).await;
        assert!(all.len() >= at_least, "{path}: {all:?}");
        assert_eq!(
            all.iter().collect::<HashSet<_>>().len(),
            all.len(),
            "{path}"
        );
        for limit in [1, 2, 3, all.len() as u32] {
            assert_eq!(
                walk(&app, &admin, path, limit).await,
                all,
                "{path}, {limit} a page"
            );
        }
    }
    // Each list's cursor is refused by the other.
    let mut cursors = Vec::new();
    for path in ["/v1/admin/users", "/v1/admin/audit-log"] {
        let page: Value = get(&app, &admin, &format!("{path}?limit=1"))
            .await
            .json()
            .await
            .unwrap();
        cursors.push(page["next_cursor"].as_str().unwrap().to_string());
    }
    for (path, cursor) in [
        ("/v1/admin/users", &cursors[1]),
        ("/v1/admin/audit-log", &cursors[0]),
    ] {
        let r = get(&app, &admin, &format!("{path}?cursor={cursor}")).await;
        let problem = assert_problem(r, 400, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], "cursor", "{path}: {problem}");
    }
}

both_databases!(
    only_admins_manage_roles_and_every_change_is_audited,
    admin_lists_page_to_the_end_without_repeats_or_gaps,
);

#[tokio::test]
async fn admin_create_reads_the_password_from_stdin_and_refuses_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("kennel.db").display());
    let run = |args: &[&str], stdin: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kennel"))
            .env_clear()
            .env("DATABASE_URL", &url)
            .env(
                "STORAGE_URL",
                format!("file://{}", dir.path().join("photos").display()),
            )
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // A command that fails before reading its input closes the pipe early; the
        // write may then fail with a broken pipe, which is not what is under test.
        let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
        child.wait_with_output().unwrap()
    };
    let ok = run(
        &[
            "admin",
            "create",
            "--email",
            "Root@Example.com",
            "--role",
            "admin",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let again = run(
        &[
            "admin",
            "create",
            "--email",
            "root@example.com",
            "--role",
            "admin",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let weak = run(
        &[
            "admin",
            "create",
            "--email",
            "x@example.com",
            "--role",
            "admin",
        ],
        "short\n",
    );
    assert_eq!(weak.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&weak.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    let staff = run(
        &[
            "admin",
            "create",
            "--email",
            "s@example.com",
            "--role",
            "staff",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert!(String::from_utf8_lossy(&staff.stderr).contains("--organization"));

    // The new admin signs in and reaches the admin API.
    let app = TestApp::spawn_with(
        Db::Sqlite,
        Options {
            database_url: Some(url.clone()),
            demo: false,
            ..Options::default()
        },
    )
    .await;
    let r = app
        .client
        .post(app.url("/v1/auth/login"))
        .json(&json!({"email": "root@example.com", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["user"]["role"], "admin");
    let token = body["token"].as_str().unwrap();
    let r = app
        .client
        .get(app.url("/v1/admin/users"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}
