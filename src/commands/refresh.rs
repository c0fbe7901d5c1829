//! `plan -refresh-only`, `apply -refresh-only` and `refresh`: read every recorded object back,
//! show what changed outside labform, and (when applying) record it, changing nothing in the
//! cloud.

use std::path::Path;

use labform_state::{StateFile, StateStore};

use super::common::{confirm, load_engine, lock, state_error, store_for};
use super::state_values::values_from_state;
use crate::cli::{RefreshArgs, RunArgs};
use crate::config::Mode;
use crate::diag::{Diagnostic, Diagnostics};
use crate::engine::registry::key_from_state_provider;
use crate::engine::Engine;
use crate::eval::Marks;
use crate::plan::refresh::refresh;
use crate::plan::saved::Refreshed as SavedRefresh;
use crate::plan::{Action, OutputChange, ResourceChange};
use crate::ui;

/// What a refresh found: the refreshed state, each object's drift, the outputs' changes.
struct Refreshed {
    state: StateFile,
    drift: Vec<ResourceChange>,
    outputs: Vec<OutputChange>,
    new_outputs: std::collections::BTreeMap<String, labform_state::OutputState>,
}

impl Refreshed {
    fn has_changes(&self) -> bool {
        !self.drift.is_empty() || self.outputs.iter().any(|o| o.action() != Action::NoOp)
    }
}

async fn refresh_stack(
    engine: &Engine,
    prior: &StateFile,
    run: &RunArgs,
) -> Result<Refreshed, Diagnostics> {
    let (state, _) = if prior.is_empty() {
        (prior.clone(), Vec::new())
    } else {
        refresh(engine, prior, run.parallelism, true).await?
    };
    let drift = drift(engine, prior, &state);
    let new_outputs = engine.recorded_outputs(&values_from_state(engine, &state));
    let names: std::collections::BTreeSet<&String> =
        prior.outputs.keys().chain(new_outputs.keys()).collect();
    let outputs = names
        .into_iter()
        .map(|name| {
            let before = prior.outputs.get(name);
            let after = new_outputs.get(name);
            OutputChange {
                name: name.clone(),
                before: before.map(|o| o.value.clone()),
                after: after.map(|o| o.value.clone()),
                sensitive: before.is_some_and(|o| o.sensitive)
                    || after.is_some_and(|o| o.sensitive),
            }
        })
        .collect();
    Ok(Refreshed {
        state,
        drift,
        outputs,
        new_outputs,
    })
}

/// One change per managed object that differs between `prior` and `refreshed`: an update when
/// it changed outside labform, a delete when it is gone.
fn drift(engine: &Engine, prior: &StateFile, refreshed: &StateFile) -> Vec<ResourceChange> {
    let mut out = Vec::new();
    for (addr, rs, inst) in prior.instances() {
        if addr.mode != Mode::Managed || inst.pending.is_some() {
            continue;
        }
        let normal =
            |v: &labform_sdk::Value| match engine.registry.schema(Mode::Managed, &addr.type_name) {
                Some((_, schema)) => labform_sdk::normalize(schema, v),
                None => v.clone(),
            };
        let before = normal(&inst.attributes);
        let after = refreshed
            .instance(&addr)
            .map(|(_, i)| normal(&i.attributes));
        let action = match &after {
            None => Action::Delete,
            Some(a) if *a == before => continue,
            Some(_) => Action::Update,
        };
        let marks = Marks::from_paths(&inst.sensitive_attributes);
        out.push(ResourceChange {
            addr: addr.clone(),
            provider: key_from_state_provider(&rs.provider),
            action,
            before: Some(before),
            after,
            replace_paths: Vec::new(),
            reason: None,
            before_sensitive: marks.clone(),
            after_sensitive: marks,
            dependencies: inst.dependencies.clone(),
            importing: None,
        });
    }
    out
}

/// Reads state under the lock, with `moved` blocks applied.
fn read_prior(engine: &Engine, store: &dyn StateStore) -> Result<StateFile, Diagnostics> {
    let mut prior = store
        .read()
        .map_err(state_error)?
        .unwrap_or_else(|| StateFile::new(crate::config::version::TERRAFORM_COMPAT));
    crate::plan::moved::apply_moved(&engine.stack.all_moved, &mut prior)?;
    Ok(prior)
}

/// `plan -refresh-only`: exit 2 with `-detailed-exitcode` when something drifted; with `-out`,
/// the refreshed state is saved for `apply FILE` to record.
pub async fn plan(
    dir: &Path,
    run: &RunArgs,
    detailed_exitcode: bool,
    out: Option<&Path>,
) -> Result<u8, Diagnostics> {
    let engine = load_engine(dir, run)?;
    let store = store_for(&engine.stack, run.state.as_deref())?;
    let _lock = lock(&store, "plan", &run.locking)?;
    let had_state = store.read().map_err(state_error)?.is_some();
    let prior = read_prior(&engine, &store)?;
    let r = refresh_stack(&engine, &prior, run).await?;
    print(&engine, &r, run.json);
    if let Some(out) = out {
        let plan = crate::plan::Plan {
            prior_lineage: had_state.then(|| prior.lineage.clone()),
            prior_serial: had_state.then_some(prior.serial),
            drift: r.drift.iter().map(|c| c.addr.to_string()).collect(),
            outputs: r.outputs.clone(),
            ..crate::plan::Plan::default()
        };
        let mut saved = super::plan::saved_plan(&engine, plan, run);
        saved.refreshed = Some(SavedRefresh {
            state: r.state.clone(),
            outputs: r.new_outputs.clone(),
        });
        super::plan::save(saved, out, run.json)?;
    }
    Ok(if detailed_exitcode && r.has_changes() {
        2
    } else {
        0
    })
}

/// `apply -refresh-only`: shows the drift, asks, then records the refreshed state and outputs.
pub async fn apply(dir: &Path, run: &RunArgs, auto_approve: bool) -> Result<u8, Diagnostics> {
    let engine = load_engine(dir, run)?;
    let store = store_for(&engine.stack, run.state.as_deref())?;
    let guard = lock(&store, "apply", &run.locking)?;
    let prior = read_prior(&engine, &store)?;
    let r = refresh_stack(&engine, &prior, run).await?;
    print(&engine, &r, run.json);
    if r.has_changes() && !auto_approve && !confirm(
        "Would you like to update the labform state to reflect these detected changes?",
        "labform will write these changes to the state without modifying any real infrastructure.",
    )? {
        return Err(Diagnostic::error("apply cancelled").into());
    }
    record(&store, r.state, r.new_outputs, run.json)?;
    drop(guard);
    Ok(0)
}

/// Records a refreshed state and its outputs; nothing in the cloud changes.
pub fn record(
    store: &dyn StateStore,
    state: StateFile,
    outputs: std::collections::BTreeMap<String, labform_state::OutputState>,
    json: bool,
) -> Result<(), Diagnostics> {
    let mut writer = store.writer(state).map_err(state_error)?;
    writer.set_outputs(outputs.clone()).map_err(state_error)?;
    writer.commit().map_err(state_error)?;
    if !json {
        ui::out("\nApply complete! Resources: 0 added, 0 changed, 0 destroyed.");
        ui::out(&ui::plan_text::render_outputs(&outputs));
    }
    Ok(())
}

/// `labform refresh`: `apply -refresh-only -auto-approve`, kept for old scripts.
pub async fn run(args: RefreshArgs) -> Result<u8, Diagnostics> {
    let dir = super::common::stack_dir(args.dir.dir.as_deref());
    apply(&dir, &args.run, true).await
}

fn print(engine: &Engine, r: &Refreshed, json: bool) {
    if json {
        let plan = crate::plan::Plan {
            drift: r.drift.iter().map(|c| c.addr.to_string()).collect(),
            outputs: r.outputs.clone(),
            ..crate::plan::Plan::default()
        };
        let mut j = ui::json::plan_json(&plan);
        j["resource_drift"] = serde_json::Value::Array(
            r.drift
                .iter()
                .map(|c| serde_json::json!({ "address": c.addr.to_string(), "change": { "actions": c.action.terraform_actions() } }))
                .collect(),
        );
        ui::out(&j.to_string());
        return;
    }
    ui::print_diagnostics(&engine.warnings);
    ui::out(&ui::drift::render_refresh_only(&r.drift, &r.outputs));
}
