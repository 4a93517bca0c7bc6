//! `kennel flags list|set|rollout`: the kill switch and rollouts from a shell,
//! audited like the admin API (channel `cli`).

use clap::Subcommand;

use super::{load_config, CliError};
use crate::flags::{change, describe_change};
use crate::startup::pool_settings;
use crate::store::admin::AuditEntry;
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub enum FlagsCommand {
    /// Print every flag: key, on/off, rollout and description.
    List,
    /// Switch a flag on or off (the kill switch).
    Set {
        /// Flag key, e.g. assistant.
        key: String,
        #[arg(value_parser = ["on", "off"])]
        state: String,
    },
    /// Give a flag to a share of users (sticky per user or device).
    Rollout {
        key: String,
        /// 0 to 100.
        percent: i64,
    },
}

pub async fn run(command: FlagsCommand) -> Result<(), CliError> {
    let config = load_config()?;
    let store = Store::connect(&config.database_url, &pool_settings(&config)).await?;
    let result = execute(&store, command).await;
    store.close().await;
    result
}

async fn execute(store: &Store, command: FlagsCommand) -> Result<(), CliError> {
    let fail = |m: String| CliError::Other(anyhow::anyhow!(m));
    let (key, update) = match command {
        FlagsCommand::List => {
            let flags = store.flags().await.map_err(anyhow::Error::from)?;
            for flag in flags {
                println!(
                    "{:<16} {:<4} {:>3}%  {}",
                    flag.key,
                    if flag.enabled { "on" } else { "off" },
                    flag.rollout_percent,
                    flag.description
                );
            }
            return Ok(());
        }
        FlagsCommand::Set { key, state } => (key, change(Some(state == "on"), None, None)),
        FlagsCommand::Rollout { key, percent } => (key, change(None, Some(percent), None)),
    };
    let change = update.map_err(|_| fail("the percentage must be 0 to 100".into()))?;
    let audit = AuditEntry {
        actor_id: None,
        channel: "cli",
        action: "flag.updated",
        target_type: "flag",
        target_id: key.clone(),
        details: describe_change(&change),
    };
    let flag = store
        .update_flag(&key, &change, &audit, chrono::Utc::now())
        .await
        .map_err(anyhow::Error::from)?
        .ok_or_else(|| fail(format!("no flag '{key}' (see kennel flags list)")))?;
    println!(
        "{} is {} for {}% (every instance applies it within {} s)",
        flag.key,
        if flag.enabled { "on" } else { "off" },
        flag.rollout_percent,
        crate::flags::FLAG_REFRESH.as_secs()
    );
    Ok(())
}
