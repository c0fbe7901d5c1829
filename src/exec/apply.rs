//! Carries out a plan: each operation evaluates its final configuration, calls the provider, and
//! records the result in state before anything that depends on it starts.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use labform_state::{IndexKey, InstanceAddr, InstanceState, OutputState, StateWriter};

use super::events::{Event, OpKind, Reporter};
use super::interrupt::Cancel;
use super::ops::build;
use super::run::Run;
use super::walk::{walk, Outcome};
use crate::config::Mode;
use crate::diag::{Diagnostic, Diagnostics};
use crate::engine::registry::state_provider;
use crate::engine::{Engine, Expansion};
use crate::plan::planner::Planned;
use crate::plan::Action;

/// What apply did.
pub struct ApplyOutcome {
    pub imported: usize,
    pub added: usize,
    pub changed: usize,
    pub destroyed: usize,
    /// The changes (indices into `plan.changes`) whose object was deleted: what a destroy
    /// reads back to verify.
    pub deleted: Vec<usize>,
    /// Each failed operation with its error.
    pub failures: Vec<(InstanceAddr, OpKind, Diagnostic)>,
    /// Operations not run because a dependency failed.
    pub skipped: Vec<InstanceAddr>,
    pub interrupted: bool,
    pub outputs: BTreeMap<String, OutputState>,
    /// The state as committed (`None` if it could not be written).
    pub state: Option<labform_state::StateFile>,
    /// Failed `check` assertions against the applied values.
    pub warnings: Diagnostics,
}

/// Applies `planned` through `writer`, then records outputs and commits state.
pub async fn execute(
    engine: &Engine,
    planned: &Planned,
    writer: StateWriter,
    parallelism: usize,
    cancel: &Cancel,
    reporter: Arc<dyn Reporter>,
) -> Result<ApplyOutcome, Diagnostics> {
    let values = engine.values(false);
    for (addr, _, inst) in writer.state().instances() {
        if inst.pending.is_none() {
            values.set(&addr, inst.attributes.clone());
            values.mark(&addr, planned.values.marks(&addr));
        }
    }
    for (resource, instances) in &planned.instances {
        let expansion = match instances.first().map(|i| &i.key) {
            Some(Some(IndexKey::Int(_))) => Expansion::Count,
            Some(Some(IndexKey::Str(_))) => Expansion::ForEach,
            Some(None) => Expansion::Single,
            None => match engine.stack.resources.get(resource) {
                Some(r) if r.for_each.is_some() => Expansion::ForEach,
                _ => Expansion::Count,
            },
        };
        values.declare(resource, expansion);
    }
    for c in &planned.plan.changes {
        match (&c.action, &c.after) {
            (Action::Delete, _) => values.remove(&c.addr),
            (_, Some(after)) => {
                values.set(&c.addr, after.clone());
                values.mark(&c.addr, c.after_sensitive.clone());
            }
            _ => {}
        }
    }
    let writer = writer
        .into_shared()
        .map_err(|e| Diagnostic::error(format!("cannot open the state journal: {e}")))?;
    let run = Run {
        engine,
        planned,
        values,
        writer,
        reporter: reporter.clone(),
        failures: Mutex::new(Vec::new()),
    };
    let mut diags = Diagnostics::new();
    // `removed` with `destroy = false`: the object stays; only its record goes.
    for c in &planned.plan.forget {
        if let Err(e) = run.record(|w| w.remove_instance_lazy(&c.addr)) {
            diags.push(e);
        }
    }
    for (addr, provider, value) in &planned.data {
        run.values.set(addr, value.clone());
        run.values.mark(addr, planned.values.marks(addr));
        let mut inst = InstanceState::new(value.clone());
        inst.dependencies = engine.dependencies_of(&addr.resource_addr());
        if let Err(e) =
            run.record(|w| w.put_instance_lazy(addr, &state_provider(provider), inst.clone()))
        {
            diags.push(e);
        }
    }
    // Imported objects exist already: recorded before anything changes them.
    let mut imported = 0;
    for c in &planned.plan.changes {
        let (Some(id), Some(before)) = (&c.importing, &c.before) else {
            continue;
        };
        let mut inst = InstanceState::new(before.clone());
        inst.dependencies = c.dependencies.clone();
        inst.sensitive_attributes = c.before_sensitive.to_paths();
        match run.record(|w| w.put_instance(&c.addr, &state_provider(&c.provider), inst.clone())) {
            Ok(()) => {
                imported += 1;
                reporter.event(Event::Imported { addr: &c.addr, id });
            }
            Err(e) => diags.push(e),
        }
    }
    let (ops, deps) = build(&planned.plan);
    let outcomes = walk(&deps, parallelism, cancel, |i| run.run_op(&ops[i])).await;

    let mut outcome = ApplyOutcome {
        imported,
        added: 0,
        changed: 0,
        destroyed: 0,
        deleted: Vec::new(),
        failures: Vec::new(),
        skipped: Vec::new(),
        interrupted: cancel.is_cancelled(),
        outputs: BTreeMap::new(),
        state: None,
        warnings: Diagnostics::new(),
    };
    if !planned.plan.destroy {
        outcome.warnings =
            crate::plan::conditions::check_blocks(engine, &run.values, true, &|_| false).await;
    }
    for (op, result) in ops.iter().zip(&outcomes) {
        let addr = &planned.plan.changes[op.change].addr;
        match result {
            Outcome::Done => match op.kind {
                OpKind::Create => outcome.added += 1,
                OpKind::Update => outcome.changed += 1,
                OpKind::Delete => {
                    outcome.destroyed += 1;
                    outcome.deleted.push(op.change);
                }
                OpKind::Read => {}
            },
            Outcome::Skipped => {
                reporter.event(Event::Skipped { addr, op: op.kind });
                outcome.skipped.push(addr.clone());
            }
            Outcome::Failed | Outcome::NotStarted => {}
        }
    }
    outcome.failures = std::mem::take(&mut *run.failures.lock().unwrap_or_else(|e| e.into_inner()));
    outcome.outputs = run.outputs();
    let writer = run.writer;
    if let Err(e) = writer.set_outputs(outcome.outputs.clone()) {
        diags.push(Diagnostic::error(format!("cannot record outputs: {e}")));
    }
    if planned.plan.destroy {
        // Data sources are re-read on the next plan; an emptied stack keeps nothing.
        let data: Vec<InstanceAddr> = writer.with_state(|s| {
            s.instances()
                .filter(|(a, _, _)| a.mode == Mode::Data)
                .map(|(a, _, _)| a)
                .collect()
        });
        for a in data {
            let _ = writer.remove_instance_lazy(&a);
        }
    }
    match writer.commit() {
        Ok(state) => outcome.state = Some(state),
        Err(e) => diags.push(Diagnostic::error(format!("cannot write state: {e}")).hint(
            "every finished change is in the state journal next to the state file; the next run replays it",
        )),
    }
    diags.into_result()?;
    Ok(outcome)
}
