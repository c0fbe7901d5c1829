//! Settings every stack command resolves the same way: the stack directory, the state store,
//! the lock, and the providers.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use labform_state::{LocalStore, LockGuard, StateFile, StateStore};

use crate::cli::{ComposeArgs, LockArgs, RunArgs};
use crate::config::vars::CliVar;
use crate::config::{load_stack, Stack};
use crate::diag::{Diagnostic, Diagnostics};
use crate::engine::{Engine, Registry, VarSource};

pub fn stack_dir(dir: Option<&Path>) -> PathBuf {
    dir.map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

pub fn registry() -> Arc<Registry> {
    Arc::new(Registry::new(crate::providers::all()))
}

/// `-var` and `-var-file` in command-line order (clap keeps each list in order; Terraform
/// applies files and vars in the order given, which matters only when both set one variable).
pub fn cli_vars(run: &RunArgs) -> Vec<CliVar> {
    let mut out: Vec<CliVar> = run.var_files.iter().cloned().map(CliVar::File).collect();
    out.extend(run.vars.iter().cloned().map(CliVar::Assign));
    out
}

/// The Compose settings from `-f`, `--profile` and the process environment (read here, at
/// the edge, so the engine never reads it).
pub fn compose_settings(args: &ComposeArgs) -> crate::compose::Settings {
    crate::compose::Settings {
        files: args.files.clone(),
        profiles: args.profiles.clone(),
        env: std::env::vars().collect(),
    }
}

/// A stack with the default Compose settings, for commands without `-f` / `--profile`.
pub fn load_default_stack(dir: &Path) -> Result<Stack, Diagnostics> {
    load_stack(dir, &compose_settings(&ComposeArgs::default()))
}

pub fn load_engine(dir: &Path, run: &RunArgs) -> Result<Engine, Diagnostics> {
    let stack = load_stack(dir, &compose_settings(&run.compose))?;
    let interactive = run.input.unwrap_or(true) && std::io::stdin().is_terminal();
    let cli = cli_vars(run);
    Engine::new(
        stack,
        registry(),
        VarSource::Resolve {
            cli: &cli,
            interactive,
        },
    )
}

/// The state store: `-state`, else `backend "local" { path }`, else the state Terraform left in
/// the directory (used in place: see `tf_dir`), else `<stack>/.labform/state.json`. Attribute
/// values are read and written in Terraform's encoding.
pub fn store_for(stack: &Stack, state_flag: Option<&Path>) -> Result<LocalStore, Diagnostics> {
    let local = |path: PathBuf| LocalStore::new(path).with_schemas(state_schemas());
    if let Some(p) = state_flag {
        return Ok(local(p.to_path_buf()));
    }
    if let Some(b) = &stack.terraform.backend {
        match b.kind.as_str() {
            "local" => {
                if let Some(path) = &b.path {
                    let p = PathBuf::from(path);
                    let p = if p.is_absolute() { p } else { stack.dir.join(p) };
                    return Ok(local(p));
                }
            }
            other => {
                return Err(Diagnostic::error(format!("the `{other}` backend is not supported by labform yet"))
                    .at(b.location.clone())
                    .hint("remove the backend block to keep state in `.labform/state.json`, or use `backend \"local\" { path = \"...\" }`")
                    .into())
            }
        }
    }
    default_store(&stack.dir)
}

/// A store for commands that have no stack loaded (output, state): `-state` or the default.
pub fn store_in_dir(state_flag: Option<&Path>) -> Result<LocalStore, Diagnostics> {
    store_in(Path::new("."), state_flag)
}

/// As [`store_in_dir`], for the stack in `dir`.
pub fn store_in(dir: &Path, state_flag: Option<&Path>) -> Result<LocalStore, Diagnostics> {
    if let Some(p) = state_flag {
        return Ok(LocalStore::new(p.to_path_buf()).with_schemas(state_schemas()));
    }
    match load_default_stack(dir) {
        Ok(stack) => store_for(&stack, None),
        Err(_) => default_store(dir),
    }
}

/// Terraform's state left in `dir`, else labform's own location.
fn default_store(dir: &Path) -> Result<LocalStore, Diagnostics> {
    let path = match super::tf_dir::terraform_state(dir)? {
        Some(tf) => tf,
        None => dir.join(".labform").join("state.json"),
    };
    Ok(LocalStore::new(path).with_schemas(state_schemas()))
}

/// The schemas by which state files encode attribute values.
fn state_schemas() -> Arc<dyn labform_state::SchemaSource> {
    Arc::new(crate::engine::registry::StateSchemas(registry()))
}

pub fn parse_duration(text: &str) -> Result<Duration, Diagnostic> {
    let t = text.trim();
    let bad = || {
        Diagnostic::error(format!("invalid duration `{text}`"))
            .hint("write it like `30s`, `5m` or `500ms`")
    };
    let (num, unit) = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .map(|i| t.split_at(i))
        .unwrap_or((t, "s"));
    let n: f64 = num.parse().map_err(|_| bad())?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" | "" => n,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        _ => return Err(bad()),
    };
    Ok(Duration::from_secs_f64(secs))
}

/// Takes the state lock (unless `-lock=false`), warning when a dead run's lock is taken over.
/// From here on SIGINT and SIGTERM end the command cleanly (see `exec::interrupt`): it
/// releases the lock instead of dying with it held.
pub fn lock(
    store: &dyn StateStore,
    operation: &str,
    flags: &LockArgs,
) -> Result<Option<LockGuard>, Diagnostics> {
    crate::exec::interrupt::listen();
    if flags.lock == Some(false) {
        return Ok(None);
    }
    let timeout = match &flags.lock_timeout {
        Some(t) => parse_duration(t)?,
        None => Duration::ZERO,
    };
    let guard = store.lock(operation, timeout).map_err(state_error)?;
    if let Some(handle) = guard.exit_handle() {
        crate::exec::interrupt::release_on_interrupt(handle);
    }
    if let Some(old) = guard.took_over() {
        crate::ui::err(&format!(
            "warning: took over a stale state lock left by pid {} on this host (that process is gone), created {}",
            old.pid, old.created
        ));
    }
    Ok(Some(guard))
}

pub fn read_state(store: &dyn StateStore) -> Result<StateFile, Diagnostics> {
    Ok(store
        .read()
        .map_err(state_error)?
        .unwrap_or_else(|| StateFile::new(crate::config::version::TERRAFORM_COMPAT)))
}

pub fn state_error(e: labform_state::StateError) -> Diagnostics {
    let text = e.to_string();
    let (message, hint) = match text.split_once("\nhint: ") {
        Some((m, h)) => (m.to_string(), Some(h.to_string())),
        None => (text, None),
    };
    Diagnostic::error(message).maybe_hint(hint).into()
}

/// Asks "Do you want to perform these actions?"; only `yes` approves.
pub fn confirm(question: &str, detail: &str) -> Result<bool, Diagnostics> {
    if !std::io::stdin().is_terminal() {
        return Err(
            Diagnostic::error("confirmation needed, but there is no terminal to ask on")
                .hint("rerun with `-auto-approve` to apply without asking")
                .into(),
        );
    }
    crate::ui::out(&format!(
        "\n{question}\n  {detail}\n  Only 'yes' will be accepted to approve.\n"
    ));
    crate::ui::prompt("  Enter a value: ")
        .map(|a| a.trim() == "yes")
        .ok_or_else(|| Diagnostic::error("no answer read").into())
}
