//! One file per command. Each resolves its settings from flags and the stack, then runs.

mod apply;
mod backend;
mod common;
mod compose;
mod console;
mod fmt;
mod generate_config;
mod graph;
mod import;
mod init;
mod marked;
mod output;
mod plan;
mod providers;
mod refresh;
mod replace_provider;
mod show;
mod state;
mod state_push;
mod state_values;
mod status;
mod status_all;
mod sweep;
mod sweep_elsewhere;
mod sweep_expired;
mod taint;
mod tf_dir;
mod unlock;
mod validate;
mod verify;
mod version;
mod workspace;

use std::process::ExitCode;

use crate::cli::{Cli, Command};
use crate::diag::Diagnostics;

/// Runs a parsed command line. Errors are printed; the exit code says what happened.
pub async fn run(cli: Cli) -> ExitCode {
    if let Some(dir) = &cli.chdir {
        if let Err(e) = std::env::set_current_dir(dir) {
            crate::ui::err(&format!("error: cannot change to `{}`: {e}", dir.display()));
            return ExitCode::from(1);
        }
    }
    let result: Result<u8, Diagnostics> = match cli.command {
        Command::Init(a) => init::run(a),
        Command::Validate(a) => validate::run(a).await,
        Command::Plan(a) => plan::run(a).await,
        Command::Apply(a) => apply::run_apply(a).await,
        Command::Destroy(a) => apply::run_destroy(a).await,
        Command::Output(a) => output::run(a),
        Command::Show(a) => show::run(a),
        Command::State(c) => state::run(c),
        Command::Graph(a) => graph::run(a),
        Command::Fmt(a) => fmt::run(a),
        Command::Sweep(a) => sweep::run(a).await,
        Command::Status(a) if a.all => status_all::run(a).await,
        Command::Status(a) => status::run(a),
        Command::ForceUnlock(a) => unlock::run(a),
        Command::Workspace(a) => workspace::run(a),
        Command::Version(a) => version::run(a),
        Command::Up(a) => compose::up(a).await,
        Command::Down(a) => compose::down(a).await,
        Command::Convert(a) => compose::convert(a),
        Command::Import(a) => import::run(a).await,
        Command::Refresh(a) => refresh::run(a).await,
        Command::Console(a) => console::run(a),
        Command::Taint(a) => taint::taint(a),
        Command::Untaint(a) => taint::untaint(a),
        Command::Providers(a) => providers::run(a),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(diags) => {
            crate::ui::print_diagnostics(&diags);
            ExitCode::from(1)
        }
    }
}
