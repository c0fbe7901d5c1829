//! `labform sweep`: finds objects that carry this stack's mark but that state does not record
//! (state lost, a run killed before it could record), and deletes them.

use std::collections::BTreeSet;

use labform_sdk::{OpContext, Resource, Value};

use super::common::{confirm, load_engine, read_state, store_for};
use crate::cli::SweepArgs;
use crate::config::Mode;
use crate::diag::{Diagnostic, Diagnostics};
use crate::ui;

/// Passes over the leftovers: a delete that fails because another leftover still uses the
/// object (a network with containers) is retried after the others.
const PASSES: usize = 4;

/// The name a person knows the object by: its name where it has one, else its id.
fn display_name(v: &Value) -> String {
    ["name", "bucket", "dataset_id", "table_id", "id"]
        .iter()
        .find_map(|k| v.str_attr(k).filter(|s| !s.is_empty()))
        .unwrap_or("")
        .to_string()
}

pub async fn run(args: SweepArgs) -> Result<u8, Diagnostics> {
    let dir = super::common::stack_dir(args.dir.dir.as_deref());
    let engine = load_engine(&dir, &args.run)?;
    let store = store_for(&engine.stack, args.run.state.as_deref())?;
    let state = read_state(&store)?;
    let tracked: BTreeSet<String> = state
        .instances()
        .filter_map(|(_, _, i)| i.attributes.str_attr("id").map(str::to_string))
        .collect();
    let values = engine.values(true);
    let providers: BTreeSet<String> = engine
        .stack
        .resources
        .values()
        .filter(|r| r.mode == Mode::Managed)
        .map(|r| r.provider.clone())
        .collect();
    let mut leftovers: Vec<(String, std::sync::Arc<dyn Resource>, Value)> = Vec::new();
    let mut diags = Diagnostics::new();
    for key in &providers {
        let name = key.split('.').next().unwrap_or(key);
        for type_name in engine.registry.type_names(Mode::Managed) {
            if engine
                .registry
                .schema(Mode::Managed, type_name)
                .map(|(p, _)| p)
                != Some(name)
            {
                continue;
            }
            let res = match engine.resource_impl(key, type_name, &values).await {
                Ok(r) => r,
                Err(d) => {
                    diags.push(d);
                    break;
                }
            };
            match res.list_marked(Some(&engine.stack.name)).await {
                Ok(found) => {
                    for v in found {
                        let id = v.str_attr("id").unwrap_or("").to_string();
                        if !tracked.contains(&id) {
                            leftovers.push((
                                format!("{type_name} `{}`", display_name(&v)),
                                res.clone(),
                                v,
                            ));
                        }
                    }
                }
                Err(e) => diags.push(
                    Diagnostic::error(format!("listing `{type_name}`: {}", e.message))
                        .maybe_hint(e.hint),
                ),
            }
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    if leftovers.is_empty() {
        ui::out(&format!(
            "No leftovers: nothing carries the mark of stack `{}` outside its state.",
            engine.stack.name
        ));
        return Ok(0);
    }
    ui::out(&format!(
        "Objects marked `labform-stack = {}` that state does not record:",
        engine.stack.name
    ));
    for (what, _, _) in &leftovers {
        ui::out(&format!("  - {what}"));
    }
    if args.dry_run {
        return Ok(0);
    }
    if !args.auto_approve
        && !confirm(
            "Delete them?",
            "labform will delete every object listed above.",
        )?
    {
        return Err(Diagnostic::error("sweep cancelled").into());
    }
    let ctx = OpContext::silent();
    for pass in 0..PASSES {
        let mut failed = Vec::new();
        for (what, res, v) in leftovers {
            match res.delete(&v, &ctx).await {
                Ok(()) => ui::out(&format!("deleted {what}")),
                Err(_) if pass + 1 < PASSES => failed.push((what, res, v)),
                Err(e) => diags.push(
                    Diagnostic::error(format!("deleting {what}: {}", e.message)).maybe_hint(e.hint),
                ),
            }
        }
        leftovers = failed;
        if leftovers.is_empty() {
            break;
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    ui::out("Sweep complete: no leftovers remain.");
    Ok(0)
}
