//! Test harness: the real application on a loopback port, over a fresh database
//! (a temporary SQLite file, or a Postgres database cloned from a migrated
//! template), talked to over HTTP like any client.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use kennel::config::{Config, Env};
use kennel::photos::PhotoStore;
use kennel::state::AppState;
use kennel::store::{PoolSettings, Store};
use reqwest::StatusCode;
use serde_json::Value;
use sqlx::{Connection, Executor, PgConnection};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// Runs one async test body against both databases, as two tests.
#[macro_export]
macro_rules! both_databases {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::support::Db::Sqlite).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if $crate::support::postgres_available().await {
                        super::$name($crate::support::Db::Postgres).await;
                    }
                }
            }
        )+
    };
}

/// The server Postgres tests create their databases on.
pub fn admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string())
}

fn with_database(url: &str, database: &str) -> String {
    let mut parsed = url::Url::parse(url).expect("TEST_DATABASE_URL is a URL");
    parsed.set_path(&format!("/{database}"));
    parsed.to_string()
}

/// Whether Postgres tests can run. With `KENNEL_REQUIRE_POSTGRES=1` (CI) a missing
/// Postgres fails the test instead of skipping it.
pub async fn postgres_available() -> bool {
    let required = std::env::var("KENNEL_REQUIRE_POSTGRES").is_ok_and(|v| v == "1");
    match tokio::time::timeout(Duration::from_secs(5), PgConnection::connect(&admin_url())).await {
        Ok(Ok(conn)) => {
            let _ = conn.close().await;
            true
        }
        other => {
            let reason = match other {
                Ok(Err(e)) => e.to_string(),
                _ => "timed out".to_string(),
            };
            if required {
                panic!("Postgres is required (KENNEL_REQUIRE_POSTGRES=1) but unreachable at {}: {reason}", admin_url());
            }
            eprintln!("skipping: Postgres unreachable ({reason}); set KENNEL_REQUIRE_POSTGRES=1 to fail instead");
            false
        }
    }
}

/// Held while a process builds a template or clones one: CREATE DATABASE fails
/// while another session is connected to its source.
pub const TEMPLATE_LOCK: &str = "SELECT pg_advisory_lock(424242)";
pub const TEMPLATE_UNLOCK: &str = "SELECT pg_advisory_unlock(424242)";

fn scratch_root() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("kennel-tests")
}

/// A migrated template database, created once per migration set and shared by
/// every test process (serialised by an advisory lock).
async fn postgres_template(admin: &mut PgConnection) -> String {
    let versions: Vec<String> = kennel::store::postgres::MIGRATOR
        .iter()
        .map(|m| format!("{}{}", m.version, hex::encode(&m.checksum[..4])))
        .collect();
    let digest = {
        use sha2::Digest;
        hex::encode(&sha2::Sha256::digest(versions.join(",").as_bytes())[..6])
    };
    let name = format!("kennel_tpl_{digest}");
    let exists: Option<i32> = sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(&name)
        .fetch_optional(&mut *admin)
        .await
        .unwrap();
    if exists.is_none() {
        build_template(admin, &name).await;
    }
    name
}

/// Builds the migrated template database `name`: migrates `<name>_build` and
/// renames it, so no test ever sees a half-migrated template. The caller holds
/// the advisory lock, so no other process builds or clones at the same time.
pub async fn build_template(admin: &mut PgConnection, name: &str) {
    // A build left by a test process that died is started afresh.
    let build = format!("{name}_build");
    admin
        .execute(format!("DROP DATABASE IF EXISTS {build} WITH (FORCE)").as_str())
        .await
        .unwrap();
    admin
        .execute(format!("CREATE DATABASE {build}").as_str())
        .await
        .unwrap();
    // The template is migrated over one connection owned here and closed
    // explicitly: a pool's close() has been seen to leave its migrating
    // backend connected, and the rename below cannot run while any is.
    let mut conn = PgConnection::connect(&with_database(&admin_url(), &build))
        .await
        .unwrap();
    kennel::store::postgres::MIGRATOR
        .run(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    // Nothing else may use the build database (the advisory lock is held),
    // so any session still on it is a leftover: end it rather than wait.
    let mut left = 1;
    for _ in 0..200 {
        left = sqlx::query_scalar::<_, i64>(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
             WHERE datname = $1 AND pid <> pg_backend_pid()",
        )
        .bind(&build)
        .fetch_one(&mut *admin)
        .await
        .unwrap();
        if left == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        left, 0,
        "sessions on {build} did not end within ten seconds"
    );
    // pg_stat_activity can show no session while an exiting one still holds
    // the database, so the rename is also retried while Postgres says it is
    // in use (55006); each refusal itself waits up to five seconds.
    let rename = format!("ALTER DATABASE {build} RENAME TO {name}");
    let mut attempts = 0;
    loop {
        match admin.execute(rename.as_str()).await {
            Ok(_) => break,
            Err(sqlx::Error::Database(e))
                if e.code().as_deref() == Some("55006") && attempts < 6 =>
            {
                attempts += 1;
            }
            Err(e) => panic!("renaming the template database {build}: {e}"),
        }
    }
}

/// Creates an empty (migrated or not) Postgres database for one test.
pub async fn fresh_postgres(migrated: bool) -> (String, String) {
    let mut admin = PgConnection::connect(&admin_url()).await.unwrap();
    admin.execute(TEMPLATE_LOCK).await.unwrap();
    // Remove databases left by earlier runs that crashed (older than an hour).
    let stale: Vec<String> = sqlx::query_scalar(
        "SELECT datname FROM pg_database WHERE datname LIKE 'kennel_t_%' \
         AND substring(datname from 10 for 10)::bigint < extract(epoch from now())::bigint - 3600",
    )
    .fetch_all(&mut admin)
    .await
    .unwrap_or_default();
    for db in stale {
        let _ = admin
            .execute(format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)").as_str())
            .await;
    }
    let name = format!(
        "kennel_t_{}_{}",
        chrono::Utc::now().timestamp(),
        uuid::Uuid::new_v4().simple()
    );
    if migrated {
        let template = postgres_template(&mut admin).await;
        admin
            .execute(format!("CREATE DATABASE {name} TEMPLATE {template}").as_str())
            .await
            .unwrap();
    } else {
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .unwrap();
    }
    admin.execute(TEMPLATE_UNLOCK).await.unwrap();
    let _ = admin.close().await;
    let url = with_database(&admin_url(), &name);
    (name, url)
}

pub fn drop_postgres(name: String) {
    // Drop runs outside any runtime: use a small one on its own thread.
    let _ = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            if let Ok(mut admin) = PgConnection::connect(&admin_url()).await {
                let _ = admin
                    .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                    .await;
            }
        });
    })
    .join();
}

/// The demo photos are drawn once and shared by all tests (they never change).
pub fn shared_photo_dir() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = scratch_root().join("photos");
        std::fs::create_dir_all(&dir).unwrap();
        dir
    })
    .clone()
}

pub struct Options {
    pub migrate: bool,
    pub demo: bool,
    pub env: Vec<(String, String)>,
    pub database_url: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            migrate: true,
            demo: true,
            env: Vec::new(),
            database_url: None,
        }
    }
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub store: Store,
    pub state: AppState,
    /// The local folder photos are stored in (shared by demo apps).
    pub photo_dir: PathBuf,
    /// The database this app serves, for `kennel` commands run beside it.
    pub database_url: String,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    pg_name: Option<String>,
    _dir: tempfile::TempDir,
}

impl TestApp {
    pub async fn spawn(db: Db) -> TestApp {
        TestApp::spawn_with(db, Options::default()).await
    }

    pub async fn spawn_empty(db: Db) -> TestApp {
        TestApp::spawn_with(
            db,
            Options {
                demo: false,
                ..Options::default()
            },
        )
        .await
    }

    pub async fn spawn_with(db: Db, options: Options) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let (database_url, pg_name) = match (&options.database_url, db) {
            (Some(url), _) => (url.clone(), None),
            (None, Db::Sqlite) => (
                format!("sqlite://{}", dir.path().join("kennel.db").display()),
                None,
            ),
            (None, Db::Postgres) => {
                let (name, url) = fresh_postgres(options.migrate).await;
                (url, Some(name))
            }
        };
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let base = format!("http://{addr}");
        let photo_dir = if options.demo {
            shared_photo_dir()
        } else {
            dir.path().join("photos")
        };
        let mut vars: Vec<(String, String)> = vec![
            ("APP_ENV".into(), "local".into()),
            ("DATABASE_URL".into(), database_url.clone()),
            (
                "STORAGE_URL".into(),
                format!("file://{}", photo_dir.display()),
            ),
            ("PUBLIC_BASE_URL".into(), base.clone()),
            ("SHUTDOWN_GRACE_SECONDS".into(), "2".into()),
            // Every account a test makes costs two sign-in requests (register,
            // then sign in) from the one loopback address; tests of this limit
            // set their own.
            ("RATE_LIMIT_AUTH_PER_MINUTE".into(), "100".into()),
        ];
        for (k, v) in &options.env {
            vars.retain(|(name, _)| name != k);
            vars.push((k.clone(), v.clone()));
        }
        let config = Config::from_env(&Env::from_pairs(vars)).expect("test config is valid");
        let store = Store::connect(&config.database_url, &PoolSettings::default())
            .await
            .unwrap();
        if options.migrate {
            store.migrate().await.unwrap();
        }
        if options.demo {
            let photos = PhotoStore::open(&format!("file://{}", photo_dir.display())).unwrap();
            // Serialise the first drawing of the shared pictures across test processes.
            let lock = std::fs::File::create(scratch_root().join("photos.lock")).unwrap();
            lock.lock().unwrap();
            kennel::seed::seed(&store, &photos, kennel::seed::DEMO_PUPPIES)
                .await
                .unwrap();
            lock.unlock().unwrap();
        }
        // `prepare` with a local config migrates; with `migrate: false` we keep the
        // database as it is by building the state the same way without it.
        let state = if options.migrate {
            kennel::startup::prepare(config, false).await.unwrap()
        } else {
            let photos = PhotoStore::open(&format!("file://{}", photo_dir.display())).unwrap();
            let state = AppState::new(config, store.clone(), photos);
            if let Ok(status) = store.schema_status().await {
                state.schema.set(status);
            }
            state
        };
        let (tx, rx) = oneshot::channel();
        let server = tokio::spawn(kennel::startup::run(listener, state.clone(), async move {
            let _ = rx.await;
        }));
        TestApp {
            base,
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(20))
                .build()
                .unwrap(),
            store,
            state,
            photo_dir,
            database_url,
            shutdown: Some(tx),
            server: Some(server),
            pg_name,
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// POSTs `body` as JSON, signed in as `token` when given.
    pub async fn post_json(
        &self,
        path: &str,
        body: Value,
        token: Option<&str>,
    ) -> reqwest::Response {
        let mut request = self.client.post(self.url(path)).json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap()
    }

    /// GETs `path` signed in as `token`.
    pub async fn get_as(&self, path: &str, token: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// GET, expecting JSON (or problem JSON); returns status and body.
    pub async fn get_json(&self, path: &str) -> (StatusCode, Value) {
        let response = self.get(path).await;
        let status = response.status();
        let body = response.json::<Value>().await.unwrap_or(Value::Null);
        (status, body)
    }

    /// Follows `next_cursor` from `path` to the end; returns every item in order.
    pub async fn get_all(&self, path: &str) -> Vec<Value> {
        let mut items = Vec::new();
        let separator = if path.contains('?') { '&' } else { '?' };
        let mut url = path.to_string();
        for _ in 0..10_000 {
            let (status, body) = self.get_json(&url).await;
            assert_eq!(status, 200, "GET {url}: {body}");
            items.extend(body["items"].as_array().unwrap().iter().cloned());
            match body["next_cursor"].as_str() {
                Some(cursor) => url = format!("{path}{separator}cursor={cursor}"),
                None => return items,
            }
        }
        panic!("pagination did not end");
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server.abort();
        }
        if let Some(name) = self.pg_name.take() {
            drop_postgres(name);
        }
    }
}

/// Asserts a problem response: status, content type, code and matching request id.
/// A loopback port that was free a moment ago, for a process a test starts
/// (the server binary, moto, redis-server).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The password of the accounts tests make.
pub const PASSWORD: &str = "correct horse battery";

/// Makes an adopter account the way a client does: registers (202, the same
/// answer whether or not the address was taken), then signs in. Returns the
/// session (`token`, `expires_at`, `user`).
pub async fn sign_up(app: &TestApp, email: &str, display_name: &str) -> Value {
    let r = app
        .client
        .post(app.url("/v1/auth/register"))
        .json(&serde_json::json!({"email": email, "password": PASSWORD, "display_name": display_name}))
        .send()
        .await
        .unwrap();
    let status = r.status();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    assert_eq!(status, 202, "registering {email}: {body}");
    assert_eq!(body["next"], "sign_in", "{body}");
    let r = app
        .client
        .post(app.url("/v1/auth/login"))
        .json(&serde_json::json!({"email": email, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let status = r.status();
    let session: Value = r.json().await.unwrap_or(Value::Null);
    assert_eq!(status, 200, "signing in {email}: {session}");
    session
}

/// [`sign_up`], then the account's address marked confirmed, as following the
/// emailed link does (`email` tests follow the real link): the account may
/// send messages. Returns the session with `user.email_verified` true.
pub async fn sign_up_verified(app: &TestApp, email: &str, display_name: &str) -> Value {
    let mut session = sign_up(app, email, display_name).await;
    let id: uuid::Uuid = session["user"]["id"].as_str().unwrap().parse().unwrap();
    app.store
        .execute(
            "UPDATE users SET email_verified_at = created_at WHERE id = $1",
            vec![kennel::store::Param::Id(id)],
        )
        .await
        .unwrap();
    session["user"]["email_verified"] = Value::Bool(true);
    session
}

pub async fn assert_problem(response: reqwest::Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status().as_u16(), status);
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert_eq!(content_type, "application/problem+json");
    let header_id = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], status);
    assert_eq!(body["request_id"], header_id.as_str(), "{body}");
    assert!(!header_id.is_empty());
    body
}
