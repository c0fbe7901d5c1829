//! Which backend and workspace a command uses, resolved once at the edge: the stack's
//! `backend` block, the settings `init` saved (with its `-backend-config` values) in
//! `.labform/backend.json`, the workspace selected in `.labform/environment` or `TF_WORKSPACE`.
//!
//! A backend block that differs from what was saved is never used silently (that would start
//! a fresh, empty state): the command stops and says to run `labform init -migrate-state`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use labform_sdk::Value;
use labform_state::{Backend, StateStore, DEFAULT_WORKSPACE};
use serde::{Deserialize, Serialize};

use super::common::state_error;
use crate::config::Stack;
use crate::diag::{Diagnostic, Diagnostics};

/// What `init` saved: the block as written and the settings in use (block plus
/// `-backend-config`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Saved {
    pub kind: String,
    /// The block's own settings, to notice when it changes.
    pub block: serde_json::Value,
    /// The settings the backend is opened with.
    pub settings: serde_json::Value,
}

/// A backend kind and the settings to open it with.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub kind: String,
    pub settings: Value,
}

impl Config {
    fn local() -> Config {
        Config {
            kind: "local".into(),
            settings: Value::Object(BTreeMap::new()),
        }
    }

    pub fn describe(&self) -> String {
        let s = &self.settings;
        match self.kind.as_str() {
            "local" => format!(
                "local ({})",
                s.str_attr("path").unwrap_or(".labform/state.json")
            ),
            kind => {
                let mut parts = vec![kind.to_string()];
                for k in ["bucket", "key", "prefix"] {
                    if let Some(v) = s.str_attr(k) {
                        parts.push(format!("{k}={v}"));
                    }
                }
                parts.join(" ")
            }
        }
    }
}

fn saved_path(dir: &Path) -> PathBuf {
    dir.join(".labform").join("backend.json")
}

fn environment_path(dir: &Path) -> PathBuf {
    dir.join(".labform").join("environment")
}

/// The backend the stack's files ask for (`local` without a block).
pub fn configured(stack: &Stack) -> Config {
    match &stack.terraform.backend {
        Some(b) => Config {
            kind: b.kind.clone(),
            settings: b.settings.clone(),
        },
        None => Config::local(),
    }
}

pub fn read_saved(dir: &Path) -> Result<Option<Saved>, Diagnostics> {
    let path = saved_path(dir);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            Diagnostic::error(format!("`{}` is not valid: {e}", path.display()))
                .hint("run `labform init -reconfigure` to write it again")
                .into()
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Diagnostic::error(format!("cannot read `{}`: {e}", path.display())).into()),
    }
}

pub fn write_saved(dir: &Path, block: &Config, in_use: &Config) -> Result<(), Diagnostics> {
    let saved = Saved {
        kind: in_use.kind.clone(),
        block: block.settings.to_json(),
        settings: in_use.settings.to_json(),
    };
    let path = saved_path(dir);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Diagnostic::error(format!("cannot create `{}`: {e}", parent.display())))?;
    }
    let bytes = serde_json::to_vec_pretty(&saved).unwrap_or_default();
    labform_state::write_private(&path, &bytes).map_err(state_error)
}

fn from_saved(saved: &Saved) -> Config {
    Config {
        kind: saved.kind.clone(),
        settings: Value::from_json(&saved.settings),
    }
}

/// The backend a command uses. Errors when the block changed since `init` saved it, or when
/// a new remote block would hide state kept locally.
pub fn resolve(stack: &Stack) -> Result<Config, Diagnostics> {
    let block = configured(stack);
    let saved = read_saved(&stack.dir)?;
    match saved {
        Some(saved) if saved.kind == block.kind && saved.block == block.settings.to_json() => {
            Ok(from_saved(&saved))
        }
        Some(saved) => Err(changed(&from_saved(&saved), &block)),
        None if block.kind == "local" => Ok(block),
        None => {
            // First use of a remote block: refuse if state kept locally would be left behind.
            let local = labform_state::LocalStore::for_stack(&stack.dir);
            if let Ok(Some(state)) = local.read() {
                if state.instances().next().is_some() || !state.outputs.is_empty() {
                    return Err(changed(&Config::local(), &block));
                }
            }
            // Saved once it opens (see `store`): an incomplete block is never recorded.
            Ok(block)
        }
    }
}

fn changed(was: &Config, now: &Config) -> Diagnostics {
    Diagnostic::error(format!(
        "the backend changed: state is kept in {}, but the stack now says {}",
        was.describe(),
        now.describe()
    ))
    .hint("run `labform init -migrate-state` to move the state to the new backend, or `labform init -reconfigure` to use the new backend without moving it (its state is then separate)")
    .into()
}

/// Opens the backend of `config` (the state crate maps kinds to stores).
/// A local backend without a `path` uses the state Terraform left in the directory, in place.
pub fn open(config: &Config, dir: &Path) -> Result<Box<dyn Backend>, Diagnostics> {
    let mut settings = config.settings.clone();
    if config.kind == "local" && settings.str_attr("path").is_none() {
        let path = super::common::default_state_path(dir)?;
        // Absolute: the backend resolves a relative `path` against the stack directory, which
        // `path` (from `dir`) already includes.
        let path = std::path::absolute(&path).unwrap_or(path);
        if let Value::Object(map) = &mut settings {
            map.insert("path".into(), Value::String(path.display().to_string()));
        }
    }
    labform_state::open_backend(&config.kind, &settings, dir, super::common::state_codec())
        .map_err(state_error)
}

/// The selected workspace: `TF_WORKSPACE`, else `.labform/environment`, else `default`.
pub fn workspace(dir: &Path) -> String {
    if let Ok(ws) = std::env::var("TF_WORKSPACE") {
        if !ws.is_empty() {
            return ws;
        }
    }
    std::fs::read_to_string(environment_path(dir))
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| DEFAULT_WORKSPACE.to_string())
}

pub fn select_workspace(dir: &Path, name: &str) -> Result<(), Diagnostics> {
    let path = environment_path(dir);
    if name == DEFAULT_WORKSPACE {
        let _ = std::fs::remove_file(&path);
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Diagnostic::error(format!("cannot create `{}`: {e}", parent.display())))?;
    }
    std::fs::write(&path, format!("{name}\n"))
        .map_err(|e| Diagnostic::error(format!("cannot write `{}`: {e}", path.display())).into())
}

/// The store of the stack's selected workspace.
pub fn store(stack: &Stack) -> Result<Box<dyn StateStore>, Diagnostics> {
    let config = resolve(stack)?;
    let backend = open(&config, &stack.dir)?;
    if config.kind != "local" && read_saved(&stack.dir)?.is_none() {
        // First use of this remote block: record it, so that a later change is noticed.
        write_saved(&stack.dir, &config, &config)?;
    }
    backend.store(&workspace(&stack.dir)).map_err(state_error)
}
