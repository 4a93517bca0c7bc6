//! Feature flags: evaluation for the caller, the admin API and CLI, sticky
//! rollouts, and a kill switch reaching a second instance within 10 seconds.

use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::admin::admin_token;
use crate::both_databases;
use crate::listings::user_with_role;
use crate::support::{assert_problem, Db, Options, TestApp};

async fn config(app: &TestApp, device: Option<&str>, token: Option<&str>) -> Value {
    let mut request = app.client.get(app.url("/v1/config"));
    if let Some(device) = device {
        request = request.header("x-device-id", device);
    }
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "private, no-store");
    response.json().await.unwrap()
}

/// An assistant provider, so the assistant can be on (nothing listens there: these
/// tests never ask it anything).
fn with_provider(mut env: Vec<(String, String)>) -> Options {
    env.extend([
        (
            "LLM_BASE_URL".to_string(),
            "http://127.0.0.1:9/v1".to_string(),
        ),
        ("LLM_API_KEY".to_string(), "test-key".to_string()),
        ("LLM_MODEL".to_string(), "test".to_string()),
    ]);
    Options {
        env,
        ..Options::default()
    }
}

/// The flags as the admin API lists them.
async fn admin_flags(app: &TestApp, admin: &str) -> Value {
    let r = app
        .client
        .get(app.url("/v1/admin/flags"))
        .bearer_auth(admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

async fn patch_flag(app: &TestApp, token: &str, key: &str, body: Value) -> reqwest::Response {
    app.client
        .patch(app.url(&format!("/v1/admin/flags/{key}")))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn flags_are_evaluated_per_caller_and_changed_by_admins(db: Db) {
    // Hundreds of /v1/config calls from one address: lift the anonymous limit.
    let options = with_provider(vec![(
        "RATE_LIMIT_ANONYMOUS_PER_MINUTE".into(),
        "100000".into(),
    )]);
    let app = TestApp::spawn_with(db, options).await;
    let body = config(&app, None, None).await;
    assert_eq!(
        body,
        json!({"environment": "local", "flags": {"assistant": true, "inquiries": true, "photo_uploads": true, "push_notifications": true}})
    );
    let (admin, _) = admin_token(&app, "root@example.com").await;
    let adopter = user_with_role(&app, &admin, "ada@example.com", None).await;

    // Only admins see or change flags; changes are validated.
    let r = app
        .client
        .get(app.url("/v1/admin/flags"))
        .bearer_auth(&adopter)
        .send()
        .await
        .unwrap();
    assert_problem(r, 403, "forbidden").await;
    assert_problem(
        patch_flag(&app, &adopter, "inquiries", json!({"enabled": false})).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        patch_flag(&app, &admin, "inquiries", json!({"rollout_percent": 101})).await,
        400,
        "validation_failed",
    )
    .await;
    assert_problem(
        patch_flag(&app, &admin, "inquiries", json!({})).await,
        400,
        "validation_failed",
    )
    .await;
    assert_problem(
        patch_flag(&app, &admin, "no_such_flag", json!({"enabled": false})).await,
        404,
        "not_found",
    )
    .await;

    // The kill switch: inquiries off takes effect at once on this instance.
    let r = patch_flag(&app, &admin, "inquiries", json!({"enabled": false})).await;
    assert_eq!(r.status(), 200);
    let flag: Value = r.json().await.unwrap();
    assert_eq!(
        (flag["enabled"].as_bool(), flag["rollout_percent"].as_u64()),
        (Some(false), Some(100))
    );
    assert_eq!(
        config(&app, None, Some(&adopter)).await["flags"]["inquiries"],
        false
    );
    let (_, page) = app.get_json("/v1/puppies?limit=1").await;
    let puppy = page["items"][0]["id"].as_str().unwrap();
    let r = app
        .client
        .post(app.url(&format!("/v1/puppies/{puppy}/inquiries")))
        .bearer_auth(&adopter)
        .json(&json!({"message": "Is she still available?", "contact_preference": "email"}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(r, 503, "feature_unavailable").await;
    assert_eq!(problem["title"], "Feature temporarily unavailable");
    // Browsing is unaffected.
    assert_eq!(app.get("/v1/puppies?limit=1").await.status(), 200);

    let list = admin_flags(&app, &admin).await;
    let keys: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "assistant",
            "inquiries",
            "photo_uploads",
            "push_notifications"
        ]
    );
    let r = app
        .client
        .get(app.url("/v1/admin/audit-log"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    let log: Value = r.json().await.unwrap();
    assert!(
        log["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "flag.updated" && e["target_id"] == "inquiries"),
        "{log}"
    );

    // A partial rollout is sticky per device and follows the documented bucketing.
    let r = patch_flag(&app, &admin, "assistant", json!({"rollout_percent": 30})).await;
    assert_eq!(r.status(), 200);
    let mut on = 0;
    for i in 0..200 {
        let device = format!("device-{i:04}-abcdef");
        let first = config(&app, Some(&device), None).await["flags"]["assistant"]
            .as_bool()
            .unwrap();
        assert_eq!(
            first,
            kennel::flags::bucket("assistant", &device) < 30,
            "{device}"
        );
        assert_eq!(
            config(&app, Some(&device), None).await["flags"]["assistant"]
                .as_bool()
                .unwrap(),
            first
        );
        on += usize::from(first);
    }
    assert!((20..=100).contains(&on), "{on} of 200 devices");
    // Without a device id or account, only a full rollout counts; bad device ids are ignored.
    assert_eq!(config(&app, None, None).await["flags"]["assistant"], false);
    assert_eq!(
        config(&app, Some("bad id!"), None).await["flags"]["assistant"],
        false
    );
    let r = app
        .client
        .get(app.url("/v1/config"))
        .bearer_auth("kn_not-a-session")
        .send()
        .await
        .unwrap();
    assert_problem(r, 401, "unauthorized").await;
}

async fn a_kill_switch_reaches_another_instance_within_ten_seconds(db: Db) {
    let first = TestApp::spawn(db).await;
    let url = first.state.config.database_url.expose().to_string();
    let second = TestApp::spawn_with(
        Db::Sqlite,
        Options {
            database_url: Some(url),
            ..with_provider(Vec::new())
        },
    )
    .await;
    assert_eq!(
        config(&second, None, None).await["flags"]["assistant"],
        true
    );
    let (admin, _) = admin_token(&first, "root@example.com").await;
    let switched = Instant::now();
    assert_eq!(
        patch_flag(&first, &admin, "assistant", json!({"enabled": false}))
            .await
            .status(),
        200
    );
    loop {
        if config(&second, None, None).await["flags"]["assistant"] == false {
            break;
        }
        assert!(
            switched.elapsed() < Duration::from_secs(10),
            "the other instance still has the assistant on"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // It also comes back.
    assert_eq!(
        patch_flag(&first, &admin, "assistant", json!({"enabled": true}))
            .await
            .status(),
        200
    );
    let switched = Instant::now();
    while config(&second, None, None).await["flags"]["assistant"] != true {
        assert!(switched.elapsed() < Duration::from_secs(10));
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// With no provider configured the assistant cannot answer, so the app is told it
/// is off even while its flag is on for everyone; the assistant route says 503.
async fn the_assistant_is_off_where_no_provider_is_configured(db: Db) {
    let app = TestApp::spawn(db).await;
    let (admin, _) = admin_token(&app, "root@example.com").await;
    let flags = admin_flags(&app, &admin).await;
    let assistant = flags["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "assistant")
        .unwrap();
    assert_eq!(assistant["enabled"], true, "{flags}");
    assert_eq!(assistant["rollout_percent"], 100, "{flags}");
    let body = config(&app, None, Some(&admin)).await;
    assert_eq!(
        body["flags"],
        json!({"assistant": false, "inquiries": true, "photo_uploads": true, "push_notifications": true})
    );
    let r = app
        .client
        .post(app.url("/v1/assistant/messages"))
        .bearer_auth(&admin)
        .json(&json!({"messages": [{"role": "user", "content": "Is Pixel house trained?"}]}))
        .send()
        .await
        .unwrap();
    assert_problem(r, 503, "feature_unavailable").await;
}

both_databases!(
    the_assistant_is_off_where_no_provider_is_configured,
    flags_are_evaluated_per_caller_and_changed_by_admins,
    a_kill_switch_reaches_another_instance_within_ten_seconds,
);

#[test]
fn the_flags_cli_lists_switches_and_rolls_out_with_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let kennel = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_kennel"))
            .env_clear()
            .env(
                "DATABASE_URL",
                format!("sqlite://{}", dir.path().join("k.db").display()),
            )
            .env("LOG_LEVEL", "warn")
            .args(args)
            .output()
            .unwrap()
    };
    assert!(kennel(&["migrate"]).status.success());
    let out = kennel(&["flags", "set", "assistant", "off"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("assistant is off for 100%"));
    assert!(kennel(&["flags", "rollout", "photo_uploads", "25"])
        .status
        .success());
    let list = String::from_utf8(kennel(&["flags", "list"]).stdout).unwrap();
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 4, "{list}");
    assert!(
        lines[0].starts_with("assistant") && lines[0].contains(" off "),
        "{list}"
    );
    assert!(
        lines[2].starts_with("photo_uploads") && lines[2].contains(" 25%"),
        "{list}"
    );

    for (args, says) in [
        (vec!["flags", "rollout", "assistant", "130"], "0 to 100"),
        (vec!["flags", "set", "nope", "on"], "no flag 'nope'"),
    ] {
        let out = kennel(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    }
}
