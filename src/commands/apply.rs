//! `labform apply` and `labform destroy`: plan (or load a saved plan), confirm, execute.

use std::sync::Arc;

use labform_state::StateStore;

use super::common::{confirm, explicit_ttl, lock, registry, stack_dir, state_error, store_for};
use super::plan::{parse_addresses, prepare, print_plan, Prepared};
use super::verify::{report, verify_destroy};
use crate::cli::{ApplyArgs, DestroyArgs, RunArgs};
use crate::config::load_sources;
use crate::diag::{Diagnostic, Diagnostics};
use crate::engine::{known_stacks, Engine, VarSource};
use crate::exec::interrupt::{install, Cancel};
use crate::exec::{execute, Event, Reporter};
use crate::plan::planner::{plan, PlanOptions};
use crate::plan::saved::SavedPlan;
use crate::plan::Action;
use crate::ui;
use crate::ui::progress::{json_line, HumanProgress, JsonProgress};

pub async fn run_apply(args: ApplyArgs) -> Result<u8, Diagnostics> {
    if let Some(path) = &args.target {
        if path.is_file() {
            return apply_saved(path, &args.run).await;
        }
    }
    let dir = stack_dir(args.target.as_deref());
    if args.refresh_only {
        return super::refresh::apply(&dir, &args.run, args.auto_approve).await;
    }
    let ttl = explicit_ttl(args.ttl.as_deref())?;
    let prepared = prepare(
        &dir,
        &args.run,
        args.destroy,
        if args.destroy { "destroy" } else { "apply" },
        ttl,
    )
    .await?;
    carry_out(prepared, &args.run, args.auto_approve, args.destroy).await
}

pub async fn run_destroy(args: DestroyArgs) -> Result<u8, Diagnostics> {
    let dir = stack_dir(args.dir.dir.as_deref());
    let prepared = prepare(&dir, &args.run, true, "destroy", None).await?;
    carry_out(prepared, &args.run, args.auto_approve, true).await
}

/// `sweep -expired` on the stack in `dir`: a destroy without a prompt, provided that, under the
/// lock, state still records an expiry that has passed (an apply may have renewed it since).
pub(super) async fn destroy_expired(
    dir: &std::path::Path,
    run: &RunArgs,
) -> Result<u8, Diagnostics> {
    let prepared = prepare(dir, run, true, "destroy", None).await?;
    let now = crate::engine::expiry::now_mark();
    match prepared.state.expires() {
        Some(e) if labform_sdk::is_expired(e, &now) => carry_out(prepared, run, true, true).await,
        _ => {
            ui::out(
                "The stack's expiry changed meanwhile: it is no longer expired; nothing destroyed.",
            );
            Ok(0)
        }
    }
}

async fn apply_saved(path: &std::path::Path, run: &RunArgs) -> Result<u8, Diagnostics> {
    let saved = SavedPlan::read(path)?;
    let sources = saved
        .sources
        .iter()
        .map(|(p, t)| (p.clone(), t.clone().into_bytes()))
        .collect();
    let stack = load_sources(&saved.stack_dir, sources)?;
    let mut engine = Engine::new(stack, registry(), VarSource::Given(saved.variables.clone()))?;
    let store = store_for(&engine.stack, run.state.as_deref())?;
    let guard = lock(&store, "apply", &run.locking)?;
    let current = store.read().map_err(state_error)?;
    let moved = match (&current, &saved.plan.prior_lineage, saved.plan.prior_serial) {
        (None, None, _) => false,
        (Some(s), Some(lineage), Some(serial)) => &s.lineage != lineage || s.serial != serial,
        _ => true,
    };
    if moved {
        return Err(Diagnostic::error(format!(
            "the saved plan `{}` is stale: the state changed since it was made",
            path.display()
        ))
        .hint("run `labform plan -out FILE` again and apply the new plan")
        .into());
    }
    if let Some(refreshed) = saved.refreshed {
        super::refresh::record(&store, refreshed.state, refreshed.outputs, run.json)?;
        drop(guard);
        return Ok(0);
    }
    let mut state = current
        .unwrap_or_else(|| labform_state::StateFile::new(crate::config::version::TERRAFORM_COMPAT));
    engine.use_state_identity(&mut state);
    if !saved.destroy {
        engine.expires = saved.expires.clone();
        state.set_expires(saved.expires.as_deref());
    }
    let moves = crate::plan::moved::apply_moved(&engine.stack.all_moved, &mut state)?;
    let opts = PlanOptions {
        destroy: saved.destroy,
        targets: saved.targets.clone(),
        replace: parse_addresses(&saved.replace)?,
        offline: false,
    };
    let mut planned = plan(&engine, &state, &opts).await?;
    planned.plan.moved = moves
        .iter()
        .map(|(f, t)| (f.to_string(), t.to_string()))
        .collect();
    let summary = |p: &crate::plan::Plan| {
        let mut v: Vec<(String, Action)> = p
            .changes
            .iter()
            .filter(|c| c.action != Action::NoOp)
            .map(|c| (c.addr.to_string(), c.action))
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    };
    if summary(&planned.plan) != summary(&saved.plan) {
        return Err(Diagnostic::error(format!(
            "the saved plan `{}` no longer matches what labform would do now",
            path.display()
        ))
        .hint("run `labform plan -out FILE` again and apply the new plan")
        .into());
    }
    let destroy = saved.destroy;
    let prepared = Prepared {
        engine,
        store,
        lock: guard,
        state,
        planned,
    };
    carry_out(prepared, run, true, destroy).await
}

pub(super) async fn carry_out(
    prepared: Prepared,
    run: &RunArgs,
    auto_approve: bool,
    destroy: bool,
) -> Result<u8, Diagnostics> {
    let json = run.json;
    if json {
        for c in prepared
            .planned
            .plan
            .changes
            .iter()
            .filter(|c| c.action != Action::NoOp)
        {
            json_line(
                "info",
                &format!(
                    "{}: plan to {}",
                    c.addr,
                    c.action.terraform_actions().join("-")
                ),
                "planned_change",
                serde_json::json!({ "change": { "resource": { "addr": c.addr.to_string() }, "action": c.action.terraform_actions().join("-") } }),
            );
        }
        let s = prepared.planned.plan.summary();
        json_line(
            "info",
            &format!(
                "Plan: {} to add, {} to change, {} to destroy.",
                s.add, s.change, s.destroy
            ),
            "change_summary",
            serde_json::json!({ "changes": { "add": s.add, "change": s.change, "remove": s.destroy, "operation": "plan" } }),
        );
    } else {
        print_plan(&prepared, false);
    }
    if !prepared.planned.plan.has_changes() && prepared.planned.data.is_empty() {
        // Nothing to do, but what a killed run left is settled under our lock: its journal
        // compacted into the stored state (which other readers, Terraform among them, see)
        // and journals of serials already committed removed.
        prepared
            .store
            .writer(prepared.state.clone())
            .and_then(|w| w.commit())
            .map_err(state_error)?;
        finish_message(json, destroy, Counts::default());
        if destroy {
            return verified(
                &prepared.engine,
                &prepared.planned.plan,
                &[],
                &prepared.state,
                run.parallelism,
                json,
            )
            .await;
        }
        // As Terraform does: the outputs, from state, even when nothing changed.
        print_outputs(json, &prepared.state.outputs);
        return Ok(0);
    }
    if !auto_approve {
        let (q, d) = if destroy {
            ("Do you really want to destroy all resources?", "labform will destroy all your managed infrastructure, as shown above. There is no undo.")
        } else {
            (
                "Do you want to perform these actions?",
                "labform will perform the actions described above.",
            )
        };
        if !confirm(q, d)? {
            return Err(Diagnostic::error(if destroy {
                "destroy cancelled"
            } else {
                "apply cancelled"
            })
            .into());
        }
    }
    let reporter: Arc<dyn Reporter> = if json {
        Arc::new(JsonProgress)
    } else {
        Arc::new(HumanProgress)
    };
    if !json {
        ui::out("");
    }
    let cancel = Cancel::default();
    let r2 = reporter.clone();
    install(cancel.clone(), move || r2.event(Event::Interrupted));
    let writer = prepared
        .store
        .writer(prepared.state.clone())
        .map_err(state_error)?;
    if !destroy {
        // Before anything is made, so that a killed run's objects are found the same way.
        let engine = &prepared.engine;
        if let Err(e) = known_stacks::record(&engine.stack_id, &engine.stack.dir) {
            let warning = Diagnostic::warning(format!(
                "could not note where stack `{}` lives: {e}",
                engine.stack.name
            ))
            .detail(
                "`labform sweep -expired -all` will decide this stack by its objects' marks alone",
            )
            .hint("set LABFORM_DATA_DIR to a writable directory");
            ui::print_diagnostics(&warning.into());
        }
    }
    let outcome = execute(
        &prepared.engine,
        &prepared.planned,
        writer,
        run.parallelism,
        &cancel,
        reporter,
    )
    .await?;
    drop(prepared.lock);
    if !json && !outcome.warnings.is_empty() {
        ui::print_diagnostics(&outcome.warnings);
    }
    let mut diags = Diagnostics::new();
    for (_, _, d) in &outcome.failures {
        diags.push(d.clone());
    }
    if !diags.is_empty() {
        ui::print_diagnostics(&diags);
    }
    if !outcome.failures.is_empty() || outcome.interrupted {
        let mut msg = format!(
            "{} incomplete: {} added, {} changed, {} destroyed; {} failed",
            if destroy { "destroy" } else { "apply" },
            outcome.added,
            outcome.changed,
            outcome.destroyed,
            outcome.failures.len()
        );
        if !outcome.skipped.is_empty() {
            msg.push_str(&format!(
                ", {} skipped because a dependency failed",
                outcome.skipped.len()
            ));
        }
        if outcome.interrupted {
            msg.push_str("; interrupted, state saved");
        }
        let failed: Vec<String> = outcome
            .failures
            .iter()
            .map(|(a, op, _)| format!("  - `{a}` ({})", op.as_str()))
            .collect();
        ui::err(&format!("\nerror: {msg}\n{}", failed.join("\n")));
        if destroy {
            // The stored state, read once: what it still records, then what remains.
            if let Ok(Some(state)) = prepared.store.read() {
                report_leftovers(&state, json);
                verified(
                    &prepared.engine,
                    &prepared.planned.plan,
                    &outcome.deleted,
                    &state,
                    run.parallelism,
                    json,
                )
                .await?;
            }
        }
        return Ok(1);
    }
    finish_message(
        json,
        destroy,
        Counts {
            imported: outcome.imported,
            added: outcome.added,
            changed: outcome.changed,
            destroyed: outcome.destroyed,
        },
    );
    if destroy {
        let stored = prepared.store.read().ok().flatten();
        if let Some(state) = &stored {
            report_leftovers(state, json);
        }
        let state = stored.as_ref().unwrap_or(&prepared.state);
        return verified(
            &prepared.engine,
            &prepared.planned.plan,
            &outcome.deleted,
            state,
            run.parallelism,
            json,
        )
        .await;
    }
    print_outputs(json, &outcome.outputs);
    Ok(0)
}

/// Destroy's last step: reads back what it deleted and looks for anything else carrying the
/// stack's mark (see `verify`); exit code 1 when something remains.
async fn verified(
    engine: &Engine,
    plan: &crate::plan::Plan,
    deleted: &[usize],
    state: &labform_state::StateFile,
    parallelism: usize,
    json: bool,
) -> Result<u8, Diagnostics> {
    let v = verify_destroy(engine, plan, deleted, state, parallelism).await?;
    Ok(if report(&engine.stack.name, &v, json) {
        0
    } else {
        1
    })
}

/// The outputs after an apply: a sensitive one by its type only, never its value.
fn print_outputs(
    json: bool,
    outputs: &std::collections::BTreeMap<String, labform_state::OutputState>,
) {
    if json {
        json_line(
            "info",
            "Outputs",
            "outputs",
            serde_json::json!({ "outputs": ui::json::outputs_json(outputs) }),
        );
    } else {
        ui::out(&ui::plan_text::render_outputs(outputs));
    }
}

/// What an apply did, for its last line.
#[derive(Clone, Copy, Default)]
struct Counts {
    imported: usize,
    added: usize,
    changed: usize,
    destroyed: usize,
}

fn finish_message(json: bool, destroy: bool, counts: Counts) {
    let Counts {
        imported,
        added,
        changed,
        destroyed,
    } = counts;
    let msg = if destroy {
        format!("Destroy complete! Resources: {destroyed} destroyed.")
    } else {
        let imported = if imported > 0 {
            format!("{imported} imported, ")
        } else {
            String::new()
        };
        format!(
            "Apply complete! Resources: {imported}{added} added, {changed} changed, {destroyed} destroyed."
        )
    };
    if json {
        json_line(
            "info",
            &msg,
            "change_summary",
            serde_json::json!({ "changes": { "add": added, "change": changed, "import": counts.imported, "remove": destroyed, "operation": if destroy { "destroy" } else { "apply" } } }),
        );
    } else {
        ui::out(&format!("\n{msg}"));
    }
}

/// After a destroy, says what (if anything) state still records.
fn report_leftovers(state: &labform_state::StateFile, json: bool) {
    let left = state.managed_addresses();
    if json {
        json_line(
            "info",
            "leftovers",
            "destroy_leftovers",
            serde_json::json!({ "remaining": left }),
        );
    } else if left.is_empty() {
        ui::out("Nothing is left in state.");
    } else {
        ui::err(&format!(
            "\nstill recorded in state (these may still exist and cost money):\n{}\nhint: fix the errors above and run `labform destroy` again",
            left.iter().map(|a| format!("  - `{a}`")).collect::<Vec<_>>().join("\n")
        ));
    }
}
