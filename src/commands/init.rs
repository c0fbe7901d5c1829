//! `labform init`: checks the backend and saves its settings (with `-backend-config`), moves
//! state between backends with `-migrate-state`. Providers are built in: nothing to download.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use labform_sdk::Value;
use labform_state::{Backend, StateStore};

use super::backend::{self, Config};
use super::common::{load_default_stack, stack_dir, state_error};
use crate::cli::InitArgs;
use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::ui;

pub fn run(args: InitArgs) -> Result<u8, Diagnostics> {
    let dir = stack_dir(args.dir.dir.as_deref());
    let stack = load_default_stack(&dir)?;
    let block = backend::configured(&stack);
    let mut wanted = block.clone();
    merge_backend_config(&mut wanted, &args.backend_config, &dir)?;
    let saved = backend::read_saved(&dir)?;
    let previous = match &saved {
        Some(s) => Config {
            kind: s.kind.clone(),
            settings: Value::from_json(&s.settings),
        },
        None => Config {
            kind: "local".into(),
            settings: Value::Object(BTreeMap::new()),
        },
    };
    let new_backend = backend::open(&wanted, &dir)?;
    ui::out(&format!(
        "Initializing the backend...\n  {}",
        new_backend.describe()
    ));
    let checked = new_backend.check().map_err(state_error)?;
    ui::out(&format!("  {checked}"));
    if previous != wanted {
        let old_backend = match backend::open(&previous, &dir) {
            Ok(b) => Some(b),
            // A block saved as written that never opened (a setting missing) holds no state.
            Err(_) if previous == block => None,
            Err(e) => return Err(e),
        };
        let old_has_state = match &old_backend {
            Some(b) => has_state(&**b)?,
            None => false,
        };
        if let (true, Some(old_backend)) = (args.migrate_state, &old_backend) {
            migrate(&**old_backend, &*new_backend)?;
        } else if old_has_state && !args.reconfigure {
            return Err(Diagnostic::error(format!(
                "the backend changed: state is kept in {}, and the stack now says {}",
                previous.describe(),
                wanted.describe()
            ))
            .hint("run `labform init -migrate-state` to move it (serial and lineage kept), or `labform init -reconfigure` to leave it where it is")
            .into());
        }
    }
    if wanted.kind == "local" && saved.is_none() && wanted == block {
        // The default needs nothing saved; keep the directory as it was.
    } else {
        backend::write_saved(&dir, &block, &wanted)?;
    }
    ui::out(&format!(
        "\nlabform has been successfully initialized: backend {}, workspace `{}`.\nlabform needs no init for providers: they are built in.\nThe stack `{}` ({} file(s)) is ready; run `labform plan`.",
        wanted.describe(),
        backend::workspace(&dir),
        stack.name,
        stack.files.len()
    ));
    Ok(0)
}

/// True when any workspace of `backend` records resources or outputs.
fn has_state(backend: &dyn Backend) -> Result<bool, Diagnostics> {
    for ws in backend.workspaces().map_err(state_error)? {
        let store = backend.store(&ws).map_err(state_error)?;
        if let Some(state) = store.read().map_err(state_error)? {
            if state.instances().next().is_some() || !state.outputs.is_empty() {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// Copies every workspace's state from `from` to `to` under both locks, keeping serial and
/// lineage; the copy is read back and compared before the source is left behind.
fn migrate(from: &dyn Backend, to: &dyn Backend) -> Result<(), Diagnostics> {
    for ws in from.workspaces().map_err(state_error)? {
        let source = from.store(&ws).map_err(state_error)?;
        let target = to.store(&ws).map_err(state_error)?;
        let _a = source
            .lock("migrate", Duration::ZERO)
            .map_err(state_error)?;
        let _b = target
            .lock("migrate", Duration::ZERO)
            .map_err(state_error)?;
        let Some(state) = source.read().map_err(state_error)? else {
            continue;
        };
        if let Some(existing) = target.read().map_err(state_error)? {
            if existing == state {
                continue;
            }
            return Err(Diagnostic::error(format!(
                "{} already holds a state for workspace `{ws}` (lineage `{}`, serial {}): labform does not overwrite it",
                target.describe(),
                existing.lineage,
                existing.serial
            ))
            .hint("if that state is not needed, delete it (`labform workspace delete`, or remove the object) and run `labform init -migrate-state` again")
            .into());
        }
        // A store without state takes `state` as it is: same serial, same lineage.
        target
            .writer(state.clone())
            .and_then(|w| w.commit())
            .map_err(state_error)?;
        let copied = target.read().map_err(state_error)?;
        if copied.as_ref() != Some(&state) {
            return Err(Diagnostic::error(format!(
                "the state copied to {} does not read back as it was written",
                target.describe()
            ))
            .into());
        }
        ui::out(&format!(
            "  moved workspace `{ws}` (serial {}, lineage `{}`) from {} to {}",
            state.serial,
            state.lineage,
            source.describe(),
            target.describe()
        ));
    }
    Ok(())
}

/// Merges `-backend-config` values: `KEY=VALUE`, or a file of `key = value` attributes.
fn merge_backend_config(
    config: &mut Config,
    flags: &[String],
    dir: &Path,
) -> Result<(), Diagnostics> {
    let Value::Object(map) = &mut config.settings else {
        return Ok(());
    };
    for flag in flags {
        if let Some((key, value)) = flag
            .split_once('=')
            .filter(|(k, _)| !k.contains('/') && !k.contains('.'))
        {
            let key = key.trim().to_string();
            let value = value.trim();
            let parsed = match value {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                v => Value::String(v.trim_matches('"').to_string()),
            };
            map.insert(key, parsed);
            continue;
        }
        let path = dir.join(flag);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::error(format!(
                "cannot read the backend config file `{}`: {e}",
                path.display()
            ))
            .hint(
                "pass `-backend-config=KEY=VALUE` or the path of a file of `key = \"value\"` lines",
            )
        })?;
        let file = SourceFile::new(path.clone(), flag.clone(), text);
        let body = crate::config::load::parse_file(&file)?;
        for attr in body.attributes() {
            match crate::config::backend_literal(&attr.value) {
                Some(v) => {
                    map.insert(attr.key.as_str().to_string(), v);
                }
                None => {
                    return Err(Diagnostic::error(format!(
                        "`{}` in `{}` must be a literal value",
                        attr.key.as_str(),
                        path.display()
                    ))
                    .into())
                }
            }
        }
    }
    Ok(())
}
