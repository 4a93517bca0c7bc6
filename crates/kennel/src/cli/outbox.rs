//! `kennel outbox drain|status|retry`: delivering queued account email from a
//! scheduled job (a Cloud Run Job run by Cloud Scheduler, so no CPU is needed
//! between requests), and looking after messages that failed for good.

use chrono::Utc;
use clap::Subcommand;
use uuid::Uuid;

use super::{init_logs, load_config, CliError};
use crate::alerts::Alerts;
use crate::domain::mail::OutboxStatus;
use crate::flags::Flags;
use crate::mail::outbox::Drainer;
use crate::mail::Mailer;
use crate::startup::pool_settings;
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// Deliver every message that is due, then exit (0 even when some failed
    /// and will be retried; they are counted in the summary line).
    Drain,
    /// Count pending and dead messages and list the dead ones.
    Status,
    /// Make dead messages due again (one by id, or all of them).
    Retry {
        /// The message id from `kennel outbox status`.
        #[arg(conflicts_with = "all", required_unless_present = "all")]
        id: Option<Uuid>,
        #[arg(long)]
        all: bool,
    },
}

pub async fn run(command: OutboxCommand) -> Result<(), CliError> {
    let config = load_config()?;
    init_logs(&config)?;
    let store = Store::connect(&config.database_url, &pool_settings(&config)).await?;
    let result = execute(&store, &config, command).await;
    store.close().await;
    result
}

async fn execute(
    store: &Store,
    config: &crate::config::Config,
    command: OutboxCommand,
) -> Result<(), CliError> {
    let fail = |m: String| CliError::Other(anyhow::anyhow!(m));
    let settings = &config.mail;
    match command {
        OutboxCommand::Drain => {
            let mailer = Mailer::new(settings)?;
            if mailer.is_none() {
                eprintln!("SMTP_URL is unset: email stays in the outbox; only alert jobs run");
            }
            // The flags as they are now: push goes only where it is switched on.
            let flags = Flags::default();
            flags.refresh(store).await.map_err(anyhow::Error::from)?;
            let alerts = Alerts::new(store.clone(), flags, &config.push)?;
            let report = Drainer::new(store.clone(), mailer, Some(alerts), settings.clone())
                .drain()
                .await?;
            println!(
                "outbox drained: {} sent, {} to retry, {} dead",
                report.sent, report.retried, report.dead
            );
        }
        OutboxCommand::Status => {
            let counts = store.outbox_counts().await.map_err(anyhow::Error::from)?;
            let oldest = counts
                .oldest_pending
                .map(|t| format!("{} s", (Utc::now() - t).num_seconds().max(0)))
                .unwrap_or_else(|| "-".into());
            println!(
                "pending: {}  dead: {}  oldest pending: {oldest}",
                counts.pending, counts.dead
            );
            for message in store
                .list_mail(OutboxStatus::Dead, 100)
                .await
                .map_err(anyhow::Error::from)?
            {
                println!(
                    "dead {} {} {} attempts, created {}: {}",
                    message.id,
                    message.kind.as_str(),
                    message.attempts,
                    message.created_at.to_rfc3339(),
                    message.last_error.unwrap_or_default()
                );
            }
        }
        OutboxCommand::Retry { id, all: _ } => {
            let revived = store
                .revive_mail(id, Utc::now())
                .await
                .map_err(anyhow::Error::from)?;
            if revived == 0 && id.is_some() {
                return Err(fail("no dead message has this id".into()));
            }
            println!("{revived} message(s) due again");
        }
    }
    Ok(())
}
