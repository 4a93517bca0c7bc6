//! Account email end to end: requests queue messages in the outbox, a drainer
//! (the server's own loop, or `kennel outbox drain`) delivers them to a real
//! SMTP server on loopback (aiosmtpd from PyPI, writing a maildir), the test
//! reads the delivered message and follows its link over HTTP.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::both_databases;
use crate::support::{assert_problem, free_port, sign_up, Db, Options, TestApp, PASSWORD};

/// A delivered message, as the SMTP server stored it.
#[derive(Debug, Clone)]
struct Mail {
    to: String,
    subject: String,
    text: String,
    html: String,
    /// The `List-Unsubscribe` header, if any.
    unsubscribe: Option<String>,
}

impl Mail {
    /// The `token` of the link to `path` in the plain-text part.
    fn token(&self, path: &str) -> String {
        let marker = format!("/{path}?token=");
        let start = self
            .text
            .find(&marker)
            .unwrap_or_else(|| panic!("no {path} link in: {}", self.text))
            + marker.len();
        let rest = &self.text[start..];
        let end = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
        url::form_urlencoded::parse(format!("t={}", &rest[..end]).as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap()
    }
}

/// aiosmtpd on a loopback port, storing every message it accepts in a maildir.
struct SmtpServer {
    child: Child,
    port: u16,
    maildir: PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl SmtpServer {
    fn start() -> SmtpServer {
        SmtpServer::start_on(free_port())
    }

    fn start_on(port: u16) -> SmtpServer {
        let dir = tempfile::tempdir().unwrap();
        // The handler creates the maildir; it must not exist yet.
        let maildir = dir.path().join("maildir");
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 runs");
        let server = SmtpServer {
            child,
            port,
            maildir,
            _dir: dir,
        };
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "aiosmtpd did not open port {port}; install it with \
                 `pip install -r scripts/test-requirements.txt`"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    fn messages(&self) -> Vec<Mail> {
        let Ok(entries) = std::fs::read_dir(self.maildir.join("new")) else {
            return Vec::new();
        };
        let mut mails: Vec<(std::time::SystemTime, Mail)> = entries
            .filter_map(|e| e.ok())
            .map(|entry| {
                let raw = std::fs::read(entry.path()).unwrap();
                let parsed = mail_parser::MessageParser::default()
                    .parse(&raw)
                    .expect("a parseable message");
                let to = parsed
                    .to()
                    .and_then(|a| a.first())
                    .and_then(|a| a.address())
                    .unwrap_or_default()
                    .to_string();
                let mail = Mail {
                    to,
                    subject: parsed.subject().unwrap_or_default().to_string(),
                    text: parsed.body_text(0).unwrap_or_default().into_owned(),
                    html: parsed.body_html(0).unwrap_or_default().into_owned(),
                    unsubscribe: parsed
                        .header_raw("List-Unsubscribe")
                        .map(|v| v.trim().to_string()),
                };
                let modified = entry.metadata().unwrap().modified().unwrap();
                (modified, mail)
            })
            .collect();
        mails.sort_by_key(|(t, _)| *t);
        mails.into_iter().map(|(_, m)| m).collect()
    }

    /// Waits for a message to `to` whose subject contains `subject`.
    async fn wait_for(&self, to: &str, subject: &str) -> Mail {
        let started = Instant::now();
        loop {
            if let Some(mail) = self
                .messages()
                .into_iter()
                .find(|m| m.to == to && m.subject.contains(subject))
            {
                return mail;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "no message '{subject}' to {to}; delivered: {:?}",
                self.messages()
                    .iter()
                    .map(|m| (&m.to, &m.subject))
                    .collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn count_to(&self, to: &str) -> usize {
        self.messages().iter().filter(|m| m.to == to).count()
    }
}

/// An app that delivers its own outbox (every second, and when nudged).
async fn app_delivering_to(db: Db, smtp: &SmtpServer) -> TestApp {
    app_delivering_with(db, smtp, &[]).await
}

/// The same, with more settings.
async fn app_delivering_with(db: Db, smtp: &SmtpServer, extra: &[(&str, &str)]) -> TestApp {
    let mut env: Vec<(String, String)> = vec![
        ("SMTP_URL".into(), smtp.url()),
        ("OUTBOX_DRAIN_SECONDS".into(), "1".into()),
        ("APP_BASE_URL".into(), "https://kennel.example/app".into()),
    ];
    env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    TestApp::spawn_with(
        db,
        Options {
            demo: false,
            env,
            ..Options::default()
        },
    )
    .await
}

async fn post(app: &TestApp, path: &str, body: Value, token: Option<&str>) -> reqwest::Response {
    app.post_json(path, body, token).await
}

async fn me(app: &TestApp, token: &str) -> reqwest::Response {
    app.get_as("/v1/me", token).await
}

async fn login(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    post(
        app,
        "/v1/auth/login",
        json!({"email": email, "password": password}),
        None,
    )
    .await
}

async fn a_new_account_confirms_its_address_through_the_link_it_is_sent(db: Db) {
    let smtp = SmtpServer::start();
    let app = app_delivering_to(db, &smtp).await;
    let session = sign_up(&app, "ada@example.com", "Ada <3").await;
    let token = session["token"].as_str().unwrap();
    assert_eq!(session["user"]["email_verified"], false);

    let mail = smtp.wait_for("ada@example.com", "Confirm your email").await;
    assert!(mail.text.starts_with("Hello Ada <3,"), "{}", mail.text);
    assert!(mail.html.contains("Hello Ada &lt;3,"), "{}", mail.html);
    assert!(mail
        .text
        .contains("https://kennel.example/app/verify-email?token=ke_"));
    let link_token = mail.token("verify-email");
    // Only the token's hash is stored.
    let stored: Vec<String> = match &app.store {
        kennel::store::Store::Sqlite(pool) => {
            sqlx::query_scalar("SELECT token_hash FROM account_tokens")
                .fetch_all(pool)
                .await
                .unwrap()
        }
        kennel::store::Store::Postgres(pool) => {
            sqlx::query_scalar("SELECT token_hash FROM account_tokens")
                .fetch_all(pool)
                .await
                .unwrap()
        }
    };
    assert_eq!(stored, vec![kennel::auth::token_hash(&link_token)]);

    let r = post(
        &app,
        "/v1/auth/verify-email",
        json!({"token": link_token}),
        None,
    )
    .await;
    assert_eq!(r.status(), 204);
    let me: Value = me(&app, token).await.json().await.unwrap();
    assert_eq!(me["email_verified"], true);
    // Once only; garbage gets the same answer.
    for bad in [link_token.as_str(), "ke_nothing", "not a token", ""] {
        let r = post(&app, "/v1/auth/verify-email", json!({"token": bad}), None).await;
        let problem = assert_problem(r, 400, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], "token");
    }
    // A confirmed address is not sent another link.
    let r = post(&app, "/v1/me/verification-email", json!({}), Some(token)).await;
    assert_eq!(r.status(), 202);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(smtp.count_to("ada@example.com"), 1);
}

async fn a_forgotten_password_is_reset_once_and_every_session_ends(db: Db) {
    let smtp = SmtpServer::start();
    let app = app_delivering_to(db, &smtp).await;
    let session = sign_up(&app, "ada@example.com", "Ada").await;
    let old_token = session["token"].as_str().unwrap();

    // The same answer for an address with and without an account.
    let known = post(
        &app,
        "/v1/auth/password-reset",
        json!({"email": " Ada@Example.com "}),
        None,
    )
    .await;
    let unknown = post(
        &app,
        "/v1/auth/password-reset",
        json!({"email": "nobody@example.com"}),
        None,
    )
    .await;
    assert_eq!(
        (known.status(), unknown.status()),
        (reqwest::StatusCode::ACCEPTED, reqwest::StatusCode::ACCEPTED)
    );
    let (known, unknown): (Value, Value) =
        (known.json().await.unwrap(), unknown.json().await.unwrap());
    assert_eq!(known, json!({"next": "check_email"}));
    assert_eq!(known, unknown);
    let r = post(
        &app,
        "/v1/auth/password-reset",
        json!({"email": "not-an-address"}),
        None,
    )
    .await;
    assert_problem(r, 400, "validation_failed").await;

    let mail = smtp
        .wait_for("ada@example.com", "new Kennel password")
        .await;
    let reset = mail.token("reset-password");
    // A second request within two minutes sends nothing more.
    let r = post(
        &app,
        "/v1/auth/password-reset",
        json!({"email": "ada@example.com"}),
        None,
    )
    .await;
    assert_eq!(r.status(), 202);

    // The new password follows the usual rules.
    let r = post(
        &app,
        "/v1/auth/password-reset/confirm",
        json!({"token": reset, "new_password": "short"}),
        None,
    )
    .await;
    let problem = assert_problem(r, 400, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "new_password");
    let r = post(
        &app,
        "/v1/auth/password-reset/confirm",
        json!({"token": reset, "new_password": "a whole new secret"}),
        None,
    )
    .await;
    assert_eq!(r.status(), 204);

    assert_problem(me(&app, old_token).await, 401, "unauthorized").await;
    assert_problem(
        login(&app, "ada@example.com", PASSWORD).await,
        401,
        "unauthorized",
    )
    .await;
    let r = login(&app, "ada@example.com", "a whole new secret").await;
    assert_eq!(r.status(), 200);
    let session: Value = r.json().await.unwrap();
    // Following the link proved the address.
    assert_eq!(session["user"]["email_verified"], true);

    let r = post(
        &app,
        "/v1/auth/password-reset/confirm",
        json!({"token": reset, "new_password": "yet another secret"}),
        None,
    )
    .await;
    let problem = assert_problem(r, 400, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "token");

    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(smtp.count_to("nobody@example.com"), 0);
    let resets = smtp
        .messages()
        .into_iter()
        .filter(|m| m.subject.contains("new Kennel password"))
        .count();
    assert_eq!(resets, 1, "the repeated request was throttled");
}

async fn an_expired_reset_link_is_refused(db: Db) {
    let smtp = SmtpServer::start();
    let app = app_delivering_to(db, &smtp).await;
    sign_up(&app, "ada@example.com", "Ada").await;
    post(
        &app,
        "/v1/auth/password-reset",
        json!({"email": "ada@example.com"}),
        None,
    )
    .await;
    let reset = smtp
        .wait_for("ada@example.com", "new Kennel password")
        .await
        .token("reset-password");
    let past = chrono::Utc::now() - chrono::Duration::seconds(1);
    match &app.store {
        kennel::store::Store::Sqlite(pool) => {
            sqlx::query("UPDATE account_tokens SET expires_at = $1")
                .bind(past)
                .execute(pool)
                .await
                .unwrap();
        }
        kennel::store::Store::Postgres(pool) => {
            sqlx::query("UPDATE account_tokens SET expires_at = $1")
                .bind(past)
                .execute(pool)
                .await
                .unwrap();
        }
    }
    let r = post(
        &app,
        "/v1/auth/password-reset/confirm",
        json!({"token": reset, "new_password": "a whole new secret"}),
        None,
    )
    .await;
    let problem = assert_problem(r, 400, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "token");
    assert_eq!(login(&app, "ada@example.com", PASSWORD).await.status(), 200);
}

async fn registration_and_email_change_reveal_no_accounts(db: Db) {
    let smtp = SmtpServer::start();
    let app = app_delivering_to(db, &smtp).await;
    let ada = sign_up(&app, "ada@example.com", "Ada").await;
    let ada_token = ada["token"].as_str().unwrap();
    sign_up(&app, "bob@example.com", "Bob").await;
    smtp.wait_for("bob@example.com", "Confirm your email").await;

    // Registering a taken address: the same answer; its owner is told.
    let r = post(&app, "/v1/auth/register", json!({"email": "bob@example.com", "password": "another password", "display_name": "Mallory"}), None).await;
    assert_eq!(r.status(), 202);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body, json!({"email": "bob@example.com", "next": "sign_in"}));
    let notice = smtp.wait_for("bob@example.com", "tried to register").await;
    assert!(notice.text.contains("/forgot-password"), "{}", notice.text);
    assert_eq!(
        login(&app, "bob@example.com", "another password")
            .await
            .status(),
        401
    );

    // Moving to a taken address and to a free one: the same answer, and the
    // account keeps its address until the new one is confirmed.
    let change = |email: &'static str| {
        let (app, token) = (&app, ada_token);
        async move {
            app.client
                .patch(app.url("/v1/me"))
                .bearer_auth(token)
                .json(&json!({"email": email, "current_password": PASSWORD}))
                .send()
                .await
                .unwrap()
        }
    };
    let taken = change("bob@example.com").await;
    assert_eq!(taken.status(), 200);
    let taken: Value = taken.json().await.unwrap();
    let free = change("ada.new@example.com").await;
    assert_eq!(free.status(), 200);
    let free: Value = free.json().await.unwrap();
    assert_eq!(taken["email"], "ada@example.com");
    assert_eq!(taken, free);

    smtp.wait_for("bob@example.com", "move a Kennel account")
        .await;
    let confirm = smtp
        .wait_for("ada.new@example.com", "Confirm your new email")
        .await
        .token("confirm-email");
    let r = post(
        &app,
        "/v1/auth/email-change/confirm",
        json!({"token": confirm}),
        None,
    )
    .await;
    assert_eq!(r.status(), 204);
    let me: Value = me(&app, ada_token).await.json().await.unwrap();
    assert_eq!(me["email"], "ada.new@example.com");
    assert_eq!(me["email_verified"], true);
    assert_eq!(
        login(&app, "ada.new@example.com", PASSWORD).await.status(),
        200
    );
    assert_problem(
        login(&app, "ada@example.com", PASSWORD).await,
        401,
        "unauthorized",
    )
    .await;
    let r = post(
        &app,
        "/v1/auth/email-change/confirm",
        json!({"token": confirm}),
        None,
    )
    .await;
    assert_problem(r, 400, "validation_failed").await;
}

/// `kennel outbox <args>` against the database at `database_url`, with `env`:
/// whether it succeeded, and what it printed.
fn outbox_command(database_url: &str, args: &[&str], env: &[(&str, String)]) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_kennel"));
    command
        .env_clear()
        .current_dir(dir.path())
        .arg("outbox")
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("LOG_LEVEL", "error");
    for (k, v) in env {
        command.env(k, v);
    }
    let output = command.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

async fn registrations(app: &TestApp, numbers: std::ops::Range<usize>) {
    for i in numbers {
        let r = post(app, "/v1/auth/register", json!({"email": format!("user{i}@example.com"), "password": PASSWORD, "display_name": format!("User {i}")}), None).await;
        assert_eq!(r.status(), 202);
    }
}

async fn a_mail_server_outage_loses_and_duplicates_nothing(db: Db) {
    // The app only queues; `kennel outbox drain` delivers, as the scheduled job does.
    let app = TestApp::spawn_empty(db).await;
    registrations(&app, 0..3).await;
    let port = free_port();
    let env = [
        ("SMTP_URL", format!("smtp://127.0.0.1:{port}")),
        ("OUTBOX_RETRY_BASE_SECONDS", "0".to_string()),
        ("OUTBOX_MAX_ATTEMPTS", "3".to_string()),
    ];

    // Down: every message is kept for a retry.
    let (ok, out) = outbox_command(&app.database_url, &["drain"], &env);
    assert!(ok, "{out}");
    assert!(out.contains("0 sent, 3 to retry, 0 dead"), "{out}");
    let (_, out) = outbox_command(&app.database_url, &["status"], &env);
    assert!(out.contains("pending: 3  dead: 0"), "{out}");

    // Back: each is delivered once, and a later drain sends nothing again.
    let smtp = SmtpServer::start_on(port);
    let (ok, out) = outbox_command(&app.database_url, &["drain"], &env);
    assert!(ok, "{out}");
    assert!(out.contains("3 sent, 0 to retry, 0 dead"), "{out}");
    let (_, out) = outbox_command(&app.database_url, &["drain"], &env);
    assert!(out.contains("0 sent, 0 to retry, 0 dead"), "{out}");
    for i in 0..3 {
        assert_eq!(smtp.count_to(&format!("user{i}@example.com")), 1);
    }
    drop(smtp);

    // Messages that keep failing end dead, are listed (to operators and to
    // administrators), and can be retried.
    registrations(&app, 3..5).await;
    for expected in [
        "0 sent, 2 to retry, 0 dead",
        "0 sent, 2 to retry, 0 dead",
        "0 sent, 0 to retry, 2 dead",
    ] {
        let (_, out) = outbox_command(&app.database_url, &["drain"], &env);
        assert!(out.contains(expected), "{out}");
    }
    let (_, out) = outbox_command(&app.database_url, &["status"], &env);
    assert!(out.contains("pending: 0  dead: 2"), "{out}");
    assert!(out.contains("verify_email 3 attempts"), "{out}");

    let (admin, _) = crate::admin::admin_token(&app, "root@example.com").await;
    let r = app.get_as("/v1/admin/outbox", &admin).await;
    assert_eq!(r.status(), 200);
    let summary: Value = r.json().await.unwrap();
    assert_eq!(summary["dead"], 2, "{summary}");
    assert_eq!(summary["pending"], 0, "{summary}");
    let dead = summary["dead_messages"].as_array().unwrap();
    let mut recipients: Vec<&str> = dead
        .iter()
        .map(|m| m["recipient"].as_str().unwrap())
        .collect();
    recipients.sort();
    assert_eq!(recipients, ["user3@example.com", "user4@example.com"]);
    assert!(dead
        .iter()
        .all(|m| m["kind"] == "verify_email" && m["attempts"] == 3));
    let adopter = crate::support::sign_up(&app, "nosy@example.com", "Nosy").await;
    let adopter = adopter["token"].as_str().unwrap();
    assert_problem(
        app.get_as("/v1/admin/outbox", adopter).await,
        403,
        "forbidden",
    )
    .await;

    let first = dead[0]["id"].as_str().unwrap();
    let retry = format!("/v1/admin/outbox/{first}/retry");
    assert_eq!(
        app.post_json(&retry, json!({}), Some(&admin))
            .await
            .status(),
        204
    );
    // Not dead any more: a second retry finds nothing to revive.
    assert_problem(
        app.post_json(&retry, json!({}), Some(&admin)).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.post_json("/v1/admin/outbox/not-an-id/retry", json!({}), Some(&admin))
            .await,
        400,
        "validation_failed",
    )
    .await;
    let log: Value = app
        .get_as("/v1/admin/audit-log", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert!(
        log["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "outbox.retried" && e["target_id"] == first),
        "{log}"
    );
    let (ok, out) = outbox_command(&app.database_url, &["retry", "--all"], &env);
    assert!(ok && out.contains("1 message(s) due again"), "{out}");
    let (ok, out) = outbox_command(
        &app.database_url,
        &["retry", &uuid::Uuid::now_v7().to_string()],
        &env,
    );
    assert!(!ok && out.contains("no dead message has this id"), "{out}");
    let smtp = SmtpServer::start_on(port);
    let (_, out) = outbox_command(&app.database_url, &["drain"], &env);
    // The outsider's confirmation was queued meanwhile: three go out.
    assert!(out.contains("3 sent, 0 to retry, 0 dead"), "{out}");
    assert_eq!(smtp.count_to("user3@example.com"), 1);
    assert_eq!(smtp.count_to("user4@example.com"), 1);

    // Without a transport, only the alert jobs run: email stays, and it says so.
    let (ok, out) = outbox_command(&app.database_url, &["drain"], &[]);
    assert!(ok && out.contains("SMTP_URL is unset"), "{out}");
    assert!(out.contains("0 sent, 0 to retry, 0 dead"), "{out}");
}

async fn two_drainers_never_send_a_message_twice(db: Db) {
    let app = TestApp::spawn_empty(db).await;
    let count = 40;
    let now = chrono::Utc::now();
    for i in 0..count {
        let mail = kennel::store::outbox::NewMail {
            kind: kennel::domain::mail::OutboxKind::EmailChangeAttempt,
            recipient: format!("reader{i}@example.com"),
            user_id: None,
            payload: json!({}),
        };
        app.store.enqueue_mail(&mail, now).await.unwrap();
    }
    let smtp = SmtpServer::start();
    let env = vec![("SMTP_URL", smtp.url())];
    let drains: Vec<_> = (0..2)
        .map(|_| {
            let (env, app_url) = (env.clone(), app.database_url.clone());
            std::thread::spawn(move || {
                let (ok, out) = outbox_command(&app_url, &["drain"], &env);
                assert!(ok, "{out}");
                out
            })
        })
        .collect();
    let mut sent = 0;
    for drain in drains {
        let out = drain.join().unwrap();
        let number: u64 = out
            .trim()
            .strip_prefix("outbox drained: ")
            .and_then(|rest| rest.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("unexpected output: {out}"));
        sent += number;
    }
    assert_eq!(sent, count as u64);
    let messages = smtp.messages();
    assert_eq!(messages.len(), count);
    let mut recipients: Vec<&str> = messages.iter().map(|m| m.to.as_str()).collect();
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), count, "no address got two");
}

async fn a_conversation_is_emailed_once_per_window_with_one_click_unsubscribe(db: Db) {
    let smtp = SmtpServer::start();
    let app = app_delivering_with(
        db,
        &smtp,
        &[
            ("CONVERSATION_EMAIL_DELAY_SECONDS", "0"),
            ("APP_BASE_URL", "https://kennel.example"),
        ],
    )
    .await;
    let (admin, _) = crate::admin::admin_token(&app, "root@example.com").await;
    let breed = crate::fixtures::breed(&app.store, "mutt", "Mutt").await;
    let org = crate::fixtures::organization(&app.store, "north", 45.0, -122.0).await;
    let puppy = crate::fixtures::puppy(
        &app.store,
        crate::fixtures::PuppySpec::new("Biscuit", breed, org),
    )
    .await;
    let other = crate::fixtures::puppy(
        &app.store,
        crate::fixtures::PuppySpec::new("Pepper", breed, org),
    )
    .await;
    let staff = crate::listings::user_with_role(
        &app,
        &admin,
        "sam@example.com",
        Some(("staff", &org.to_string())),
    )
    .await;
    let ada = sign_up(&app, "ada@example.com", "Ada").await;
    let ada = ada["token"].as_str().unwrap().to_string();

    // Messages need a confirmed address: refused (and nothing queued) until
    // the emailed link is followed.
    let ask = json!({"message": "Is Biscuit still here?", "contact_preference": "app"});
    let r = post(
        &app,
        &format!("/v1/puppies/{puppy}/inquiries"),
        ask,
        Some(&ada),
    )
    .await;
    let problem = assert_problem(r, 403, "email_unverified").await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("/v1/me/verification-email"),
        "{problem}"
    );
    let confirm = smtp.wait_for("ada@example.com", "Confirm your email").await;
    let r = post(
        &app,
        "/v1/auth/verify-email",
        json!({"token": confirm.token("verify-email")}),
        None,
    )
    .await;
    assert_eq!(r.status(), 204);

    // The adopter asks: the organisation's staff are told.
    let r = post(
        &app,
        &format!("/v1/puppies/{puppy}/inquiries"),
        json!({"message": "Is Biscuit still here?", "contact_preference": "app"}),
        Some(&ada),
    )
    .await;
    assert_eq!(r.status(), 201);
    let thread: Value = r.json().await.unwrap();
    let thread = thread["id"].as_str().unwrap().to_string();
    let mail = smtp
        .wait_for("sam@example.com", "New message about Biscuit")
        .await;
    assert!(
        mail.text.contains("Ada wrote to you about Biscuit."),
        "{}",
        mail.text
    );
    assert!(
        mail.text
            .contains(&format!("https://kennel.example/inquiry/{thread}")),
        "{}",
        mail.text
    );

    // Staff answer twice in a row: one email to the adopter, with the
    // one-click unsubscribe headers and link.
    for text in ["Yes, she is!", "Come on Saturday."] {
        let r = post(
            &app,
            &format!("/v1/inquiries/{thread}/replies"),
            json!({"message": text}),
            Some(&staff),
        )
        .await;
        assert_eq!(r.status(), 201);
    }
    let mail = smtp
        .wait_for("ada@example.com", "New message about Biscuit")
        .await;
    assert!(
        mail.text.contains("Org north wrote to you about Biscuit."),
        "the organisation wrote: {}",
        mail.text
    );
    let header = mail.unsubscribe.clone().expect("a List-Unsubscribe header");
    let url = header
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_string();
    assert!(
        url.starts_with(&format!("{}/v1/email/unsubscribe?token=", app.base)),
        "{url}"
    );
    assert!(mail.text.contains(&url), "{}", mail.text);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let to_ada = smtp
        .messages()
        .into_iter()
        .filter(|m| m.to == "ada@example.com" && m.subject.starts_with("New message"))
        .count();
    assert_eq!(to_ada, 1, "one email per thread per window");

    // The link's page changes nothing; posting to it (one click) unsubscribes.
    let page = app.client.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("<form method=\"post\">"));
    let me_now: Value = me(&app, &ada).await.json().await.unwrap();
    assert_eq!(me_now["conversation_email"], true);
    let r = app
        .client
        .post(&url)
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let me_now: Value = me(&app, &ada).await.json().await.unwrap();
    assert_eq!(me_now["conversation_email"], false);
    let forged = url.replace("token=", "token=0");
    for bad in [forged, format!("{}/v1/email/unsubscribe", app.base)] {
        let r = app.client.post(&bad).send().await.unwrap();
        let problem = assert_problem(r, 400, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], "token");
    }

    // Unsubscribed: a new thread's answer is not emailed; switched on again
    // from the account, the next one is.
    let r = post(
        &app,
        &format!("/v1/puppies/{other}/inquiries"),
        json!({"message": "And Pepper?", "contact_preference": "app"}),
        Some(&ada),
    )
    .await;
    let second: Value = r.json().await.unwrap();
    let second = second["id"].as_str().unwrap().to_string();
    smtp.wait_for("sam@example.com", "New message about Pepper")
        .await;
    post(
        &app,
        &format!("/v1/inquiries/{second}/replies"),
        json!({"message": "Pepper too."}),
        Some(&staff),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert!(!smtp
        .messages()
        .iter()
        .any(|m| m.to == "ada@example.com" && m.subject.contains("Pepper")));
    let r = app
        .client
        .patch(app.url("/v1/me"))
        .bearer_auth(&ada)
        .json(&json!({"conversation_email": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["conversation_email"], true);
    // Within the window of the earlier (unsent) one, so wait it out is not
    // needed: nothing was queued for Pepper while unsubscribed.
    post(
        &app,
        &format!("/v1/inquiries/{second}/replies"),
        json!({"message": "She loves walks."}),
        Some(&staff),
    )
    .await;
    smtp.wait_for("ada@example.com", "New message about Pepper")
        .await;
}

both_databases!(
    a_conversation_is_emailed_once_per_window_with_one_click_unsubscribe,
    a_new_account_confirms_its_address_through_the_link_it_is_sent,
    a_forgotten_password_is_reset_once_and_every_session_ends,
    an_expired_reset_link_is_refused,
    registration_and_email_change_reveal_no_accounts,
    a_mail_server_outage_loses_and_duplicates_nothing,
    two_drainers_never_send_a_message_twice,
);
