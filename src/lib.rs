//! labform: Terraform-compatible stacks, planned and applied by one binary with built-in
//! providers. The engine never names a cloud; `providers` is the only place that lists them.

pub mod cli;
pub mod commands;
pub mod compose;
pub mod config;
pub mod cost;
pub mod diag;
pub mod engine;
pub mod eval;
pub mod exec;
pub mod fmt;
pub mod graph;
pub mod plan;
pub mod providers;
pub mod suggest;
pub mod ui;

use std::process::ExitCode;

use clap::Parser;

/// Parses the command line (Terraform's single-dash flags included) and runs the command.
pub fn main() -> ExitCode {
    let args = cli::normalize_args(std::env::args());
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 1 } else { 0 });
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            ui::err(&format!("error: cannot start the async runtime: {e}"));
            return ExitCode::from(1);
        }
    };
    runtime.block_on(commands::run(cli))
}
