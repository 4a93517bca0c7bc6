//! The S3 path of the photo store, against a real S3-compatible server on
//! loopback (moto's server). The same code path serves `gs://`.

use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_for_port(port: u16) {
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "port {port} never opened"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `moto_server` from PyPI; required when KENNEL_REQUIRE_S3=1 (CI), else skipped.
fn s3_server() -> Option<(Server, u16)> {
    let port = free_port();
    match Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(child) => {
            let server = Server(child);
            wait_for_port(port);
            Some((server, port))
        }
        Err(e) => {
            if std::env::var("KENNEL_REQUIRE_S3").is_ok_and(|v| v == "1") {
                panic!("moto_server is required (KENNEL_REQUIRE_S3=1) but could not start: {e}");
            }
            eprintln!("skipping: moto_server not installed (pip install 'moto[server]')");
            None
        }
    }
}

#[test]
fn photos_are_stored_in_and_served_from_an_s3_bucket() {
    let Some((_server, s3_port)) = s3_server() else {
        return;
    };
    let endpoint = format!("http://127.0.0.1:{s3_port}");
    let client = reqwest::blocking::Client::new();
    assert!(client
        .put(format!("{endpoint}/kennel-photos"))
        .send()
        .unwrap()
        .status()
        .is_success());

    let dir = tempfile::tempdir().unwrap();
    let api_port = free_port();
    let env = [
        (
            "DATABASE_URL",
            format!("sqlite://{}", dir.path().join("kennel.db").display()),
        ),
        ("STORAGE_URL", "s3://kennel-photos/catalogue".to_string()),
        ("AWS_ENDPOINT", endpoint.clone()),
        ("AWS_ALLOW_HTTP", "true".into()),
        ("AWS_REGION", "us-east-1".into()),
        ("AWS_ACCESS_KEY_ID", "kennel-test".into()),
        ("AWS_SECRET_ACCESS_KEY", "kennel-test-secret".into()),
        ("PORT", api_port.to_string()),
        ("HOST", "127.0.0.1".into()),
        ("LOG_LEVEL", "warn".into()),
    ];
    let kennel = |args: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_kennel"));
        command.env_clear().current_dir(dir.path()).args(args);
        for (k, v) in &env {
            command.env(k, v);
        }
        command
    };
    let seeded = kennel(&["seed", "--demo"]).output().unwrap();
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    assert!(
        !dir.path().join("data/photos").exists(),
        "nothing was written locally"
    );

    // The bucket holds every variant under the prefix.
    let listing = client
        .get(format!(
            "{endpoint}/kennel-photos?list-type=2&prefix=catalogue/demo/&max-keys=1000"
        ))
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert_eq!(listing.matches("<Key>").count(), 36 * 3, "{listing}");

    let server = Server(
        kennel(&["serve"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for_port(api_port);
    let base = format!("http://127.0.0.1:{api_port}");
    let list: Value = client
        .get(format!("{base}/v1/puppies?limit=1"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let url = list["items"][0]["photo"]["variants"][0]["url"]
        .as_str()
        .unwrap()
        .to_string();
    let response = client.get(&url).send().unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/jpeg");
    let bytes = response.bytes().unwrap();
    let image = image::load_from_memory(&bytes).unwrap();
    assert_eq!(image.width(), 320);
    drop(server);
}
