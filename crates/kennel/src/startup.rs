//! Start-up shared by `kennel serve` and the tests: connect, migrate (local only),
//! load demo data if asked, check the schema, then serve until told to stop.

use std::future::Future;
use std::time::Duration;

use tokio::net::TcpListener;

use crate::alerts::Alerts;
use crate::app;
use crate::config::{AppEnv, Config};
use crate::flags;
use crate::photos::PhotoStore;
use crate::seed;
use crate::server;
use crate::state::AppState;
use crate::store::{PoolSettings, Store};

/// How often each instance re-checks the database schema.
pub const SCHEMA_REFRESH: Duration = Duration::from_secs(5);

pub fn pool_settings(config: &Config) -> PoolSettings {
    PoolSettings {
        max_connections: config.db_max_connections,
        ..PoolSettings::default()
    }
}

/// Connects to the database and object store and prepares the application state.
/// Locally, migrations run automatically; elsewhere they are a separate job, and an
/// outdated schema keeps the instance unready.
pub async fn prepare(config: Config, demo: bool) -> anyhow::Result<AppState> {
    if demo && config.env != AppEnv::Local {
        anyhow::bail!("--demo loads sample data and is only allowed with APP_ENV=local");
    }
    let store = Store::connect(&config.database_url, &pool_settings(&config)).await?;
    if config.env == AppEnv::Local {
        store.migrate().await?;
    }
    let photos = PhotoStore::open(&config.storage_url)?;
    if demo {
        let report = seed::seed(&store, &photos, seed::DEMO_PUPPIES).await?;
        tracing::info!(
            puppies = report.puppies,
            photos = report.photos,
            "demo data loaded"
        );
        let accounts = seed::accounts::seed_accounts(&store).await?;
        tracing::info!(created = accounts, "demo accounts ready");
    }
    let state = AppState::new(config, store.clone(), photos);
    if let Err(error) = state.flags.refresh(&store).await {
        // Until they load, every flagged feature is off (fail closed).
        tracing::warn!(error = %error, "feature flags not loaded at start-up");
    }
    match store.schema_status().await {
        Ok(status) => {
            if !status.is_servable() {
                tracing::error!(schema = %status.describe(), "refusing API traffic until migrated");
            }
            state.schema.set(status);
        }
        Err(error) => tracing::warn!(error = %error, "database not reachable at start-up"),
    }
    Ok(state)
}

/// Serves until `shutdown` completes and in-flight requests finish (or the grace
/// period ends), then closes the database pool.
pub async fn run(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let store = state.store.clone();
    let grace = state.config.shutdown_grace;
    let refresh = state.schema.spawn_refresh(store.clone(), SCHEMA_REFRESH);
    let flag_refresh = state
        .flags
        .spawn_refresh(store.clone(), flags::FLAG_REFRESH);
    let alerts = Alerts::new(store.clone(), state.flags.clone(), &state.config.push)?;
    let drainer = state
        .outbox
        .spawn_drainer(store.clone(), &state.config.mail, alerts)?;
    if state.config.mail.transport.is_none() && !state.config.mail.drain_interval.is_zero() {
        tracing::warn!("SMTP_URL is unset: account email waits in the outbox until it is set");
    }
    let metrics_listener = match state.config.metrics_port {
        Some(port) => Some(crate::http::metrics_endpoint::serve(port, state.clone()).await?),
        None => None,
    };
    tracing::info!(
        address = %listener.local_addr()?,
        env = state.config.env.as_str(),
        database = store.backend().as_str(),
        version = env!("CARGO_PKG_VERSION"),
        "kennel listening"
    );
    let protection = &state.config.protection;
    let limits = server::ConnectionLimits {
        header_read_timeout: protection.header_read_timeout,
        write_stall_timeout: protection.write_stall_timeout,
        max_connections: server::connection_bound(
            protection.max_connections,
            server::descriptor_limit(),
        ),
        https_only: protection.https_only,
    };
    tracing::info!(
        max_connections = limits.max_connections,
        header_read_timeout_s = limits.header_read_timeout.as_secs(),
        write_stall_timeout_s = limits.write_stall_timeout.as_secs(),
        "connection limits"
    );
    let result = server::serve_with(listener, app::router(state), shutdown, grace, limits).await;
    refresh.abort();
    flag_refresh.abort();
    if let Some(drainer) = drainer {
        drainer.abort();
    }
    if let Some(listener) = metrics_listener {
        listener.abort();
    }
    store.close().await;
    result
}
