//! The `kennel` command line: `serve` (the default), `migrate`, `seed`,
//! `config check`, `openapi`, `admin create`, `backup`, `restore` and `flags`.

mod flags;
mod outbox;

use clap::{Args, Parser, Subcommand};
use tokio::net::TcpListener;

use crate::config::{AppEnv, Config, Env};
use crate::photos::PhotoStore;
use crate::seed;
use crate::server;
use crate::startup::{self, pool_settings};
use crate::store::Store;
use crate::telemetry;

#[derive(Debug, Parser)]
#[command(
    name = "kennel",
    version,
    about = "Kennel: browse puppies up for adoption near you"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the HTTP API (the default).
    Serve(ServeArgs),
    /// Apply pending database migrations.
    Migrate,
    /// Load data into the database.
    Seed(SeedArgs),
    /// Inspect the configuration.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Print the OpenAPI document.
    Openapi,
    /// Manage accounts from the command line.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Back up the embedded SQLite database (online, compressed, checksummed).
    Backup(BackupArgs),
    /// Restore the embedded SQLite database from a backup.
    Restore(RestoreArgs),
    /// Feature flags: list them, switch one on or off, change a rollout.
    Flags {
        #[command(subcommand)]
        command: flags::FlagsCommand,
    },
    /// Account email: deliver what is due, inspect and retry failed messages.
    Outbox {
        #[command(subcommand)]
        command: outbox::OutboxCommand,
    },
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// Create an account with a role, e.g. the first admin. The password is read
    /// from --password-file or standard input, never from the command line.
    Create(AdminCreateArgs),
}

#[derive(Debug, Args)]
struct AdminCreateArgs {
    #[arg(long)]
    email: String,
    /// adopter, staff or admin.
    #[arg(long, value_parser = ["adopter", "staff", "admin"])]
    role: String,
    /// The organisation of a staff member.
    #[arg(long)]
    organization: Option<uuid::Uuid>,
    #[arg(long, default_value = "Administrator")]
    display_name: String,
    /// A file holding the password (otherwise it is read from standard input).
    #[arg(long)]
    password_file: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
struct BackupArgs {
    /// Folder for backups.
    #[arg(long, env = "BACKUP_DIR", default_value = "./data/backups")]
    dir: std::path::PathBuf,
    /// Delete backups older than this many days.
    #[arg(long, env = "BACKUP_KEEP_DAYS", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=3650))]
    keep_days: u32,
}

#[derive(Debug, Args)]
struct RestoreArgs {
    /// The backup file (`kennel-<time>.db.gz`; its `.sha256` must be beside it).
    file: std::path::PathBuf,
    /// Replace an existing database (it is kept as `<name>.before-restore-<time>`).
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Args, Default)]
struct ServeArgs {
    /// Load the demo data first (local environment only).
    #[arg(long)]
    demo: bool,
}

#[derive(Debug, Args)]
struct SeedArgs {
    /// Load the deterministic demo catalogue (breeds, organisations, puppies, photos).
    #[arg(long, required = true)]
    demo: bool,
    /// Total number of puppies to generate (the demo set is the first 300).
    #[arg(long, default_value_t = seed::DEMO_PUPPIES, value_parser = parse_puppies)]
    puppies: usize,
}

fn parse_puppies(raw: &str) -> Result<usize, String> {
    let n: usize = raw
        .replace('_', "")
        .parse()
        .map_err(|_| format!("'{raw}' is not a whole number"))?;
    if !(seed::DEMO_PUPPIES..=10_000_000).contains(&n) {
        return Err(format!(
            "must be between {} (the demo set) and 10000000",
            seed::DEMO_PUPPIES
        ));
    }
    Ok(n)
}

#[derive(Debug, Subcommand)]
enum ConfigCommand {
    /// Print the effective configuration with secrets redacted, or the problem.
    Check,
}

/// A failure that should end the process with a one-line message.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("configuration error: {0}")]
    Config(#[from] crate::config::ConfigError),
    #[error("{0:#}")]
    Other(#[from] anyhow::Error),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Config(_) => 2,
            CliError::Other(_) => 1,
        }
    }
}

fn load_config() -> Result<Config, CliError> {
    Ok(Config::from_env(&Env::from_process())?)
}

pub async fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command.unwrap_or(Command::Serve(ServeArgs::default())) {
        Command::Serve(args) => serve(args).await,
        Command::Migrate => {
            let config = load_config()?;
            init_logs(&config)?;
            let store = Store::connect(&config.database_url, &pool_settings(&config)).await?;
            store.migrate().await?;
            let status = store.schema_status().await.map_err(anyhow::Error::from)?;
            println!("{}", status.describe());
            store.close().await;
            Ok(())
        }
        Command::Seed(args) => {
            let config = load_config()?;
            init_logs(&config)?;
            let _ = args.demo;
            let store = Store::connect(&config.database_url, &pool_settings(&config)).await?;
            if config.env == AppEnv::Local {
                store.migrate().await?;
            }
            let photos = PhotoStore::open(&config.storage_url)?;
            let report = seed::seed(&store, &photos, args.puppies).await?;
            println!(
                "seeded: {} breeds, {} organizations, {} puppies, {} photos, {} image files (existing rows left as they were)",
                report.breeds, report.organizations, report.puppies, report.photos, report.images_written
            );
            store.close().await;
            Ok(())
        }
        Command::Config {
            command: ConfigCommand::Check,
        } => {
            let config = load_config()?;
            for (name, value) in config.describe() {
                println!("{name}={value}");
            }
            println!(
                "# configuration is valid for APP_ENV={}",
                config.env.as_str()
            );
            Ok(())
        }
        Command::Admin {
            command: AdminCommand::Create(args),
        } => admin_create(args).await,
        Command::Flags { command } => flags::run(command).await,
        Command::Outbox { command } => outbox::run(command).await,
        Command::Backup(args) => {
            let config = load_config()?;
            let report =
                crate::backup::backup(&config.database_url, &args.dir, args.keep_days).await?;
            println!(
                "backup written: {} ({} bytes, sha256 {})",
                report.file.display(),
                report.bytes,
                report.sha256
            );
            for path in report.pruned {
                println!(
                    "pruned (older than {} days): {}",
                    args.keep_days,
                    path.display()
                );
            }
            Ok(())
        }
        Command::Restore(args) => {
            let config = load_config()?;
            let report =
                crate::backup::restore(&config.database_url, &args.file, args.force).await?;
            println!("restored {} ({})", report.database.display(), report.schema);
            if let Some(previous) = report.previous {
                println!("previous database kept as {}", previous.display());
            }
            Ok(())
        }
        Command::Openapi => {
            print!("{}", crate::http::openapi::document());
            Ok(())
        }
    }
}

fn init_logs(config: &Config) -> Result<(), CliError> {
    telemetry::init(
        config.log_format,
        &config.log_level,
        config.gcp_project.clone(),
    )?;
    Ok(())
}

/// The demo accounts' sign-in details, on standard output (never in the logs).
fn print_demo_accounts() {
    let accounts = seed::accounts::demo_accounts();
    let width = accounts.iter().map(|a| a.email.len()).max().unwrap_or(0);
    println!(
        "Demo accounts (password for each: {}):",
        seed::accounts::DEMO_PASSWORD
    );
    for account in accounts {
        println!("  {:width$}  {}", account.email, account.description);
    }
}

async fn serve(args: ServeArgs) -> Result<(), CliError> {
    let config = load_config()?;
    init_logs(&config)?;
    let _error_tracking = crate::error_tracking::init(&config);
    let addr = config.listen_addr();
    let state = startup::prepare(config, args.demo).await?;
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
    if args.demo {
        print_demo_accounts();
    }
    startup::run(listener, state, server::shutdown_signal()).await?;
    Ok(())
}

async fn admin_create(args: AdminCreateArgs) -> Result<(), CliError> {
    use crate::domain::account::{DisplayName, Email, Password};
    use crate::store::accounts::AccountError;
    use crate::store::admin::AuditEntry;
    use std::io::Read;

    let config = load_config()?;
    let fail = |m: String| CliError::Other(anyhow::anyhow!(m));
    let email = Email::parse(&args.email).map_err(|m| fail(format!("--email {m}")))?;
    let name =
        DisplayName::parse(&args.display_name).map_err(|m| fail(format!("--display-name {m}")))?;
    match (args.role.as_str(), args.organization) {
        ("staff", None) => return Err(fail("--organization is required for staff".into())),
        ("adopter" | "admin", Some(_)) => {
            return Err(fail("--organization is only for staff".into()))
        }
        _ => {}
    }
    let raw = match &args.password_file {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| fail(format!("cannot read {}: {e}", path.display())))?,
        None => {
            let mut input = String::new();
            std::io::stdin()
                .read_to_string(&mut input)
                .map_err(|e| fail(format!("cannot read the password from standard input: {e}")))?;
            input
        }
    };
    let raw = raw.strip_suffix('\n').unwrap_or(&raw);
    let raw = raw.strip_suffix('\r').unwrap_or(raw);
    let password = Password::parse(raw, &email).map_err(|m| fail(format!("password {m}")))?;
    let store = Store::connect(&config.database_url, &pool_settings(&config)).await?;
    if config.env == AppEnv::Local {
        store.migrate().await?;
    }
    if let Some(org) = args.organization {
        if !store
            .organization_exists(org)
            .await
            .map_err(anyhow::Error::from)?
        {
            return Err(fail(format!("--organization {org} does not exist")));
        }
    }
    let secret = password.expose().to_string();
    let hash = crate::auth::hash_password_in_background(secret).await?;
    let id = uuid::Uuid::now_v7();
    let audit = AuditEntry::account_created(id, &args.role, args.organization);
    let result = store
        .create_user_with_role(
            id,
            email.as_str(),
            &hash,
            name.as_str(),
            &args.role,
            args.organization,
            &audit,
            chrono::Utc::now(),
        )
        .await;
    store.close().await;
    match result {
        Ok(()) => {
            println!("created {} account {id}", args.role);
            Ok(())
        }
        Err(AccountError::EmailTaken) => Err(fail(format!(
            "an account with {} already exists; change its role with PUT /v1/admin/users/{{id}}/role",
            email.as_str()
        ))),
        Err(AccountError::Database(e)) => Err(anyhow::Error::from(e).into()),
    }
}
