//! The S3 path of the photo store, against a real S3-compatible server on
//! loopback (moto's server). The same code path serves `gs://`.

use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::free_port;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
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

    // An upload and a delete go through the same store: variants appear under the
    // puppy's prefix and disappear again.
    let puppy = list["items"][0]["id"].as_str().unwrap().to_string();
    let organization = list["items"][0]["organization"]["id"].as_str().unwrap();
    std::fs::write(dir.path().join("password"), "staff password 123").unwrap();
    let created = kennel(&[
        "admin",
        "create",
        "--email",
        "staff@example.org",
        "--role",
        "staff",
        "--organization",
        organization,
        "--password-file",
        "password",
    ])
    .output()
    .unwrap();
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let session: Value = client
        .post(format!("{base}/v1/auth/login"))
        .json(&serde_json::json!({"email": "staff@example.org", "password": "staff password 123"}))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let token = session["token"].as_str().unwrap();
    let mut jpeg = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image::RgbImage::new(1500, 1000))
        .write_to(&mut jpeg, image::ImageFormat::Jpeg)
        .unwrap();
    let form = reqwest::blocking::multipart::Form::new().part(
        "photo",
        reqwest::blocking::multipart::Part::bytes(jpeg.into_inner()).file_name("new.jpg"),
    );
    let uploaded = client
        .post(format!("{base}/v1/puppies/{puppy}/photos"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .unwrap();
    assert_eq!(uploaded.status(), 201);
    let photos: Value = uploaded.json().unwrap();
    let photo = photos["photos"].as_array().unwrap().last().unwrap().clone();
    let keys = |prefix: &str| {
        let listing = client
            .get(format!(
                "{endpoint}/kennel-photos?list-type=2&prefix={prefix}"
            ))
            .send()
            .unwrap()
            .text()
            .unwrap();
        listing.matches("<Key>").count()
    };
    let prefix = format!("catalogue/puppies/{puppy}/");
    assert_eq!(keys(&prefix), 3, "320, 640 and 1280 wide");
    let fetched = client
        .get(photo["variants"][2]["url"].as_str().unwrap())
        .send()
        .unwrap();
    assert_eq!(fetched.status(), 200);
    let deleted = client
        .delete(format!(
            "{base}/v1/puppies/{puppy}/photos/{}",
            photo["id"].as_str().unwrap()
        ))
        .bearer_auth(token)
        .send()
        .unwrap();
    assert_eq!(deleted.status(), 204);
    assert_eq!(keys(&prefix), 0);
    drop(server);
}
