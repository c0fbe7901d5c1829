//! Settings every stack command resolves the same way: the stack directory, the state store,
//! the lock, and the providers.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use labform_state::{LocalStore, LockGuard, StateFile, StateStore};

use crate::cli::{ComposeArgs, LockArgs, RunArgs, VarArgs, VarFlag};
use crate::config::vars::CliVar;
use crate::config::{load_stack, Stack};
use crate::diag::{Diagnostic, Diagnostics};
use crate::engine::expiry::{parse_ttl, Ttl};
use crate::engine::{Engine, Registry, VarSource};

pub fn stack_dir(dir: Option<&Path>) -> PathBuf {
    dir.map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

pub fn registry() -> Arc<Registry> {
    Arc::new(Registry::new(crate::providers::all()))
}

/// `-var` and `-var-file` in command-line order: Terraform applies them in the order given
/// (after `terraform.tfvars`, `*.auto.tfvars` and `TF_VAR_`), so a later flag wins.
pub fn cli_vars(run: &RunArgs) -> Vec<CliVar> {
    var_flags(&run.vars)
}

pub fn var_flags(vars: &VarArgs) -> Vec<CliVar> {
    vars.flags
        .iter()
        .map(|f| match f {
            VarFlag::Assign(text) => CliVar::Assign(text.clone()),
            VarFlag::File(path) => CliVar::File(path.clone()),
        })
        .collect()
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
    let mut stack = load_stack(dir, &compose_settings(&run.compose))?;
    stack.workspace = super::backend::workspace(dir);
    let interactive = run.input.unwrap_or(true) && std::io::stdin().is_terminal();
    let cli = cli_vars(run);
    Engine::new(
        stack,
        registry(),
        VarSource::Resolve {
            cli: &cli,
            env: &process_env,
            prompter: interactive.then_some(&crate::ui::ask_variable),
        },
    )
}

/// The ttl a run sets explicitly: `-ttl`, else `LABFORM_TTL` (read here, at the edge).
pub fn explicit_ttl(flag: Option<&str>) -> Result<Option<Ttl>, Diagnostics> {
    let (text, from) = match (flag, process_env("LABFORM_TTL")) {
        (Some(f), _) => (f.to_string(), "`-ttl`"),
        (None, Some(e)) if !e.trim().is_empty() => (e, "`LABFORM_TTL`"),
        _ => return Ok(None),
    };
    parse_ttl(&text).map(Some).map_err(|e| {
        Diagnostic::error(format!("{e} (from {from})"))
            .hint(
                "write a duration such as `-ttl 8h` or `-ttl 90m`; `-ttl none` removes the expiry",
            )
            .into()
    })
}

/// The process environment, read here at the edge (`TF_VAR_name`) so the engine never reads it.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// The state store: `-state`, else the backend (block, or what `init` saved) and the selected
/// workspace; without a backend, the state Terraform left in the directory (used in place: see
/// `tf_dir`), else `<stack>/.labform/state.json`. Attribute values are read and written in
/// Terraform's encoding.
pub fn store_for(
    stack: &Stack,
    state_flag: Option<&Path>,
) -> Result<Box<dyn StateStore>, Diagnostics> {
    if let Some(p) = state_flag {
        return Ok(Box::new(local_store(p.to_path_buf())));
    }
    super::backend::store(stack)
}

/// A store for commands that have no stack loaded (output, state): `-state` or the default.
pub fn store_in_dir(state_flag: Option<&Path>) -> Result<Box<dyn StateStore>, Diagnostics> {
    store_in(Path::new("."), state_flag)
}

/// As [`store_in_dir`], for the stack in `dir`.
pub fn store_in(dir: &Path, state_flag: Option<&Path>) -> Result<Box<dyn StateStore>, Diagnostics> {
    if let Some(p) = state_flag {
        return Ok(Box::new(local_store(p.to_path_buf())));
    }
    match load_default_stack(dir) {
        Ok(stack) => store_for(&stack, None),
        Err(_) => Ok(Box::new(local_store(default_state_path(dir)?))),
    }
}

/// The local state file of a stack without a backend: Terraform's state left in `dir`, else
/// labform's own location.
pub fn default_state_path(dir: &Path) -> Result<PathBuf, Diagnostics> {
    Ok(match super::tf_dir::terraform_state(dir)? {
        Some(tf) => tf,
        None => dir.join(".labform").join("state.json"),
    })
}

/// A local state file read and written in Terraform's encoding.
pub fn local_store(path: PathBuf) -> LocalStore {
    LocalStore::new(path).with_schemas(state_schemas())
}

/// How state files encode attribute values (Terraform's encoding, by the registry's schemas).
pub fn state_codec() -> labform_state::Codec {
    labform_state::Codec::new(state_schemas())
}

/// The schemas by which state files encode attribute values.
fn state_schemas() -> Arc<dyn labform_state::SchemaSource> {
    Arc::new(crate::engine::registry::StateSchemas(registry()))
}

pub fn parse_duration(text: &str) -> Result<Duration, Diagnostic> {
    let t = text.trim();
    // A bare number has always been read as seconds here (Go itself wants a unit).
    let with_unit = if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.') {
        format!("{t}s")
    } else {
        t.to_string()
    };
    labform_sdk::go_duration(&with_unit).map_err(|e| {
        Diagnostic::error(format!("invalid duration `{text}`: {e}"))
            .hint("write it like `30s`, `5m` or `500ms`")
    })
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
