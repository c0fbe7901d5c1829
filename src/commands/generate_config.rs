//! `plan -generate-config-out=FILE`: writes a `resource` block for every `import` target the
//! configuration lacks, from what its provider reads, then the plan runs as if it had always
//! been there (Terraform 1.5+). The file is new or nothing is written: an existing one is
//! never overwritten.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::common::{compose_settings, registry};
use crate::cli::RunArgs;
use crate::config::{implied_provider, load_stack, Mode};
use crate::diag::{Diagnostic, Diagnostics};
use crate::engine::{Engine, VarSource};
use crate::plan::genconfig::resource_block;
use crate::plan::imports::{import_failed, unconfigured};

/// What `-generate-config-out` wrote.
pub struct Generated {
    /// The file, as the user named it.
    pub file: PathBuf,
    /// Each instance's `resource` block, by address.
    pub blocks: BTreeMap<String, String>,
}

/// Writes the generated configuration to `out` (relative to the stack directory) and returns
/// the engine reloaded with it, and what was written; `None` when no `import` target needed
/// configuration (nothing is written then, as in Terraform).
pub async fn generate(
    engine: Engine,
    dir: &Path,
    run: &RunArgs,
    out: &Path,
) -> Result<(Engine, Option<Generated>), Diagnostics> {
    let path = target_path(dir, out)?;
    let values = engine.values(true);
    let targets = unconfigured(&engine.stack, &values)?;
    if targets.is_empty() {
        return Ok((engine, None));
    }
    let mut text = String::from(
        "# __generated__ by labform\n# Review these resources and move them into your main configuration files.\n",
    );
    let mut blocks = BTreeMap::new();
    for t in &targets {
        let res = engine
            .resource_impl(&t.provider, &t.addr.type_name, &values)
            .await?;
        let object = res
            .import(&t.id)
            .await
            .map_err(|e| import_failed(&t.addr, &t.id, t.location.clone(), e))?;
        let Some((_, schema)) = engine.registry.schema(Mode::Managed, &t.addr.type_name) else {
            return Err(Diagnostic::error(format!(
                "no resource type `{}` is built in",
                t.addr.type_name
            ))
            .at(t.location.clone())
            .into());
        };
        let provider =
            (t.provider != implied_provider(&t.addr.type_name)).then_some(t.provider.as_str());
        let block = format(&resource_block(
            &t.addr.type_name,
            &t.addr.name,
            provider,
            schema,
            &object,
        ))?;
        text.push_str(&format!(
            "\n# __generated__ by labform from \"{}\"\n{block}",
            t.id
        ));
        blocks.insert(t.addr.to_string(), block);
    }
    let formatted = format(&text)?;
    write_new(&path, &formatted)?;
    let reloaded = reload(dir, run, engine)?;
    Ok((
        reloaded,
        Some(Generated {
            file: out.to_path_buf(),
            blocks,
        }),
    ))
}

fn format(text: &str) -> Result<String, Diagnostics> {
    crate::fmt::format_source(text).map_err(|e| {
        Diagnostics::from(
            Diagnostic::error(format!(
                "the generated configuration does not format: {}",
                e.message
            ))
            .hint(
                "this is a bug in labform: please report it with the import block's resource type",
            ),
        )
    })
}

/// `out` against the stack directory; it must be a new `.tf` file directly in it, where every
/// later command reads it.
fn target_path(dir: &Path, out: &Path) -> Result<PathBuf, Diagnostics> {
    let path = if out.is_absolute() {
        out.to_path_buf()
    } else {
        dir.join(out)
    };
    if path.exists() {
        return Err(
            Diagnostic::error(format!("the file `{}` already exists", out.display()))
                .detail("-generate-config-out writes a new file and never changes an existing one")
                .hint("give a file name that does not exist yet, or move the old file away")
                .into(),
        );
    }
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let parent = path.parent().map(canonical);
    if parent.as_deref() != Some(canonical(dir).as_path())
        || path.extension().and_then(|e| e.to_str()) != Some("tf")
    {
        return Err(Diagnostic::error(format!(
            "cannot generate configuration into `{}`",
            out.display()
        ))
        .detail(
            "the generated file must be a `.tf` file in the stack directory, so that plans read it",
        )
        .hint("use a name like `-generate-config-out=generated.tf`")
        .into());
    }
    Ok(path)
}

fn write_new(path: &Path, text: &str) -> Result<(), Diagnostics> {
    let fail = |e: std::io::Error| {
        Diagnostics::from(Diagnostic::error(format!(
            "cannot write `{}`: {e}",
            path.display()
        )))
    };
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(fail)?;
    f.write_all(text.as_bytes()).map_err(fail)?;
    f.sync_all().map_err(fail)
}

/// The stack loaded again with the new file, with the variables already resolved (nobody is
/// asked twice).
fn reload(dir: &Path, run: &RunArgs, engine: Engine) -> Result<Engine, Diagnostics> {
    let mut stack = load_stack(dir, &compose_settings(&run.compose))?;
    stack.workspace = super::backend::workspace(dir);
    Engine::new(stack, registry(), VarSource::Given(engine.vars.clone()))
}
