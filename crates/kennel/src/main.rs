use std::process::ExitCode;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = kennel::cli::Cli::parse();
    match kennel::cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kennel: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}
