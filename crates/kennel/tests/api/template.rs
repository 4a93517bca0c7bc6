//! The migrated Postgres template every Postgres test clones is built by
//! whichever test process needs it first, on every new machine and after every
//! new migration. A build once failed when the migrating session had not yet
//! ended at the rename (`being accessed by other users`, 55006). These tests
//! build templates from several processes at once, as a cold test run does.

use std::process::{Command, Stdio};

use sqlx::{Connection, Executor, PgConnection};

use crate::support::{self, admin_url, build_template, TEMPLATE_LOCK, TEMPLATE_UNLOCK};

/// Names the template a worker process builds; unset, the worker does nothing.
const WORKER_TEMPLATE: &str = "KENNEL_TEST_TEMPLATE";
const PROCESSES: usize = 4;
const ROUNDS: usize = 3;

/// Run only by `templates_build_from_several_processes_at_once`, in a process of
/// its own: builds the template `KENNEL_TEST_TEMPLATE` the way a test process
/// does, under the advisory lock, while the other workers wait for it.
#[tokio::test]
#[ignore = "a worker of templates_build_from_several_processes_at_once"]
async fn template_build_worker() {
    let Ok(name) = std::env::var(WORKER_TEMPLATE) else {
        return;
    };
    let mut admin = PgConnection::connect(&admin_url()).await.unwrap();
    admin.execute(TEMPLATE_LOCK).await.unwrap();
    build_template(&mut admin, &name).await;
    admin.execute(TEMPLATE_UNLOCK).await.unwrap();
    admin.close().await.unwrap();
}

async fn template_exists(admin: &mut PgConnection, name: &str) -> bool {
    sqlx::query_scalar::<_, i32>("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(name)
        .fetch_optional(&mut *admin)
        .await
        .unwrap()
        .is_some()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn templates_build_from_several_processes_at_once() {
    if !support::postgres_available().await {
        return;
    }
    let this_binary = std::env::current_exe().unwrap();
    let mut admin = PgConnection::connect(&admin_url()).await.unwrap();
    for round in 0..ROUNDS {
        let names: Vec<String> = (0..PROCESSES)
            .map(|i| format!("kennel_tpl_probe_{}_{round}_{i}", std::process::id()))
            .collect();
        let workers: Vec<_> = names
            .iter()
            .map(|name| {
                Command::new(&this_binary)
                    .args(["--exact", "template::template_build_worker", "--ignored"])
                    .env(WORKER_TEMPLATE, name)
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let mut failures = Vec::new();
        for (name, worker) in names.iter().zip(workers) {
            let output = worker.wait_with_output().unwrap();
            if !output.status.success() {
                failures.push(format!(
                    "{name}: {}",
                    String::from_utf8_lossy(&output.stderr)
                ));
            }
        }
        let mut missing = Vec::new();
        for name in &names {
            if !template_exists(&mut admin, name).await {
                missing.push(name.clone());
            }
            admin
                .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                .await
                .unwrap();
        }
        assert!(
            failures.is_empty(),
            "round {round}: template builds failed:\n{}",
            failures.join("\n")
        );
        assert!(
            missing.is_empty(),
            "round {round}: these templates were not built: {missing:?}"
        );
    }
    admin.close().await.unwrap();
}
