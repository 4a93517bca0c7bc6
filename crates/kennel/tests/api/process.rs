//! The `kennel` binary itself: configuration refusals, `config check`, JSON logs
//! with request ids, and SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::free_port;

fn kennel() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kennel"));
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default());
    command
}

fn production() -> Command {
    let mut command = kennel();
    command.envs([
        ("APP_ENV", "production"),
        ("DATABASE_URL", "postgres://kennel:pw@10.1.2.3/kennel"),
        ("STORAGE_URL", "gs://kennel-photos"),
        ("PUBLIC_BASE_URL", "https://api.example.com"),
        ("CORS_ORIGINS", "https://app.example.com"),
    ]);
    command
}

#[test]
fn production_refuses_to_start_with_missing_or_insecure_settings() {
    // (variables to set, variables to remove, the variable the error must name)
    type Case = (
        Vec<(&'static str, &'static str)>,
        Vec<&'static str>,
        &'static str,
    );
    let cases: Vec<Case> = vec![
        (
            vec![("DATABASE_URL", "sqlite://./kennel.db")],
            vec![],
            "DATABASE_URL",
        ),
        (vec![], vec!["DATABASE_URL"], "DATABASE_URL"),
        (
            vec![("PUBLIC_BASE_URL", "http://api.example.com")],
            vec![],
            "PUBLIC_BASE_URL",
        ),
        (
            vec![("STORAGE_URL", "file://./photos")],
            vec![],
            "STORAGE_URL",
        ),
        (vec![("CORS_ORIGINS", "*")], vec![], "CORS_ORIGINS"),
        (vec![("APP_ENV", "prod")], vec![], "APP_ENV"),
        (vec![("PORT", "http")], vec![], "PORT"),
    ];
    for (set, unset, variable) in cases {
        let mut command = production();
        command.envs(set.iter().copied());
        for name in &unset {
            command.env_remove(name);
        }
        let output = command.arg("serve").output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{variable}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 1, "one clear line: {stderr}");
        assert!(lines[0].contains(variable), "{stderr}");
        assert!(!stderr.contains("panicked"));
    }
}

#[test]
fn config_check_prints_the_effective_config_with_secrets_redacted() {
    let output = production()
        .env(
            "DATABASE_URL",
            "postgres://kennel:very-secret-pw@10.1.2.3/kennel",
        )
        .args(["config", "check"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("APP_ENV=production"));
    assert!(stdout.contains("DATABASE_URL=postgres://kennel:[redacted]@10.1.2.3/kennel"));
    assert!(!stdout.contains("very-secret-pw"));
}

#[test]
fn sigterm_stops_the_server_cleanly_and_logs_are_cloud_logging_json_with_request_ids() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = kennel()
        .current_dir(dir.path())
        .envs([
            ("PORT", port.to_string().as_str()),
            ("HOST", "127.0.0.1"),
            ("LOG_FORMAT", "json"),
            ("GOOGLE_CLOUD_PROJECT", "kennel-test"),
        ])
        .arg("serve")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    let client = reqwest::blocking::Client::new();
    loop {
        if let Ok(r) = client.get(format!("{base}/readyz")).send() {
            if r.status() == 200 {
                break;
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "server did not become ready"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let response = client
        .get(format!(
            "{base}/v1/puppies/0190a0a0-0000-7000-8000-000000000000?secret=1"
        ))
        .header("x-request-id", "trace-me-123")
        .header(
            "traceparent",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        )
        .send()
        .unwrap();
    assert_eq!(response.status(), 404);

    let stopped = Instant::now();
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            stopped.elapsed() < Duration::from_secs(10),
            "did not exit within 10 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "{exit:?}");

    let lines: Vec<Value> = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map(|l| serde_json::from_str(&l.unwrap()).expect("every stdout line is JSON"))
        .collect();
    assert!(lines
        .iter()
        .all(|l| l["severity"].is_string() && l["message"].is_string()));
    let ours: Vec<&Value> = lines
        .iter()
        .filter(|l| l["requestId"] == "trace-me-123")
        .collect();
    let access = ours
        .iter()
        .find(|l| l.get("httpRequest").is_some())
        .expect("an access line for the request");
    assert_eq!(access["httpRequest"]["status"], 404);
    assert_eq!(access["httpRequest"]["requestMethod"], "GET");
    assert_eq!(access["route"], "/v1/puppies/{id}");
    assert!(
        !access.to_string().contains("secret=1"),
        "no query strings in logs"
    );
    assert_eq!(
        access["logging.googleapis.com/trace"],
        "projects/kennel-test/traces/4bf92f3577b34da6a3ce929d0e0e4736"
    );
    assert!(lines.iter().any(|l| l["message"] == "stopped"));
}

/// A full account scenario with debug logging: no password, token or email
/// reaches the logs.
#[test]
fn logs_of_an_account_scenario_contain_no_secrets_or_emails() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = kennel()
        .current_dir(dir.path())
        .envs([
            ("PORT", port.to_string().as_str()),
            ("HOST", "127.0.0.1"),
            ("LOG_FORMAT", "json"),
            ("LOG_LEVEL", "debug"),
        ])
        .arg("serve")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Drain both pipes while the scenario runs, so a full pipe never blocks the server.
    let drain = |mut pipe: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::blocking::Client::new();
    let started = Instant::now();
    while client
        .get(format!("{base}/readyz"))
        .send()
        .map(|r| r.status() != 200)
        .unwrap_or(true)
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "server did not become ready"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let email = "secret.person@example.com";
    let password = "hunter2-is-not-a-password";
    let new_password = "an-even-longer-new-secret";
    let registered = client
        .post(format!("{base}/v1/auth/register"))
        .json(&serde_json::json!({"email": email, "password": password, "display_name": "Secret"}))
        .send()
        .unwrap();
    assert_eq!(registered.status(), 202);
    let session: Value = client
        .post(format!("{base}/v1/auth/login"))
        .json(&serde_json::json!({"email": email, "password": password}))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let token = session["token"].as_str().unwrap().to_string();
    let bad = client
        .post(format!("{base}/v1/auth/login"))
        .json(&serde_json::json!({"email": email, "password": "wrong-password-here"}))
        .send()
        .unwrap();
    assert_eq!(bad.status(), 401);
    let login: Value = client
        .post(format!("{base}/v1/auth/login"))
        .json(&serde_json::json!({"email": email, "password": password}))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let second = login["token"].as_str().unwrap().to_string();
    assert_eq!(
        client
            .get(format!("{base}/v1/me"))
            .bearer_auth(&token)
            .send()
            .unwrap()
            .status(),
        200
    );
    let patched = client
        .patch(format!("{base}/v1/me"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"new_password": new_password, "current_password": password}))
        .send()
        .unwrap();
    assert_eq!(patched.status(), 200);
    assert_eq!(
        client
            .get(format!("{base}/v1/me"))
            .bearer_auth(&second)
            .send()
            .unwrap()
            .status(),
        401
    );
    assert_eq!(
        client
            .get(format!("{base}/v1/me?email={email}"))
            .bearer_auth(&token)
            .send()
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        client
            .post(format!("{base}/v1/auth/logout"))
            .bearer_auth(&token)
            .send()
            .unwrap()
            .status(),
        204
    );

    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    child.wait().unwrap();
    let logs = format!("{}{}", stdout.join().unwrap(), stderr.join().unwrap());
    assert!(logs.lines().count() > 10, "the scenario was logged: {logs}");
    assert!(logs.contains("/v1/auth/login"), "requests were logged");
    for secret in [
        email,
        password,
        new_password,
        &token,
        &second,
        &token[3..],
        &second[3..],
    ] {
        assert!(!logs.contains(secret), "{secret} leaked into the logs");
    }
    assert!(
        !logs.to_lowercase().contains("secret.person"),
        "no part of the email"
    );
}
