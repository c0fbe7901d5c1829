//! `labform plan`: refresh, plan, print; optionally save the plan or exit 2 on changes.

use std::path::{Path, PathBuf};

use labform_state::{InstanceAddr, LockGuard, StateFile, StateStore};

use super::common::{explicit_ttl, load_engine, lock, state_error, store_for};
use crate::cli::{PlanArgs, RunArgs};
use crate::cost::PlanCost;
use crate::diag::{Diagnostic, Diagnostics};
use crate::engine::expiry::Ttl;
use crate::engine::Engine;
use crate::plan::planner::{plan, PlanOptions, Planned};
use crate::plan::refresh::{refresh, Drift, DriftKind};
use crate::plan::saved::SavedPlan;
use crate::plan::{Action, Plan};
use crate::ui;

/// Everything plan, apply and destroy share: the engine, the locked state, and the plan.
pub(super) struct Prepared {
    pub engine: Engine,
    pub store: Box<dyn StateStore>,
    pub lock: Option<LockGuard>,
    pub state: StateFile,
    pub planned: Planned,
}

pub(super) fn parse_addresses(texts: &[String]) -> Result<Vec<InstanceAddr>, Diagnostics> {
    texts
        .iter()
        .map(|t| {
            t.parse::<InstanceAddr>().map_err(|e| {
                Diagnostics::from(
                    Diagnostic::error(format!("invalid resource address `{t}`: {e}"))
                        .hint("write it like `aws_s3_bucket.b` or `aws_s3_bucket.b[\"key\"]`"),
                )
            })
        })
        .collect()
}

/// `ttl` is this run's explicit ttl (`-ttl`, else `LABFORM_TTL`): see [`Engine::set_expiry`].
/// A destroy keeps the recorded expiry as it is.
pub(super) async fn prepare(
    dir: &Path,
    run: &RunArgs,
    destroy: bool,
    operation: &str,
    ttl: Option<Ttl>,
) -> Result<Prepared, Diagnostics> {
    prepare_engine(load_engine(dir, run)?, run, destroy, operation, ttl).await
}

/// [`prepare`] with the stack already loaded.
pub(super) async fn prepare_engine(
    mut engine: Engine,
    run: &RunArgs,
    destroy: bool,
    operation: &str,
    ttl: Option<Ttl>,
) -> Result<Prepared, Diagnostics> {
    let store = store_for(&engine.stack, run.state.as_deref())?;
    let guard = lock(&store, operation, &run.locking)?;
    let existing = labform_state::StateStore::read(&store).map_err(state_error)?;
    let had_state = existing.is_some();
    let mut prior =
        existing.unwrap_or_else(|| StateFile::new(crate::config::version::TERRAFORM_COMPAT));
    engine.use_state_identity(&mut prior);
    if !destroy {
        engine.set_expiry(&mut prior, ttl);
    }
    let moved = crate::plan::moved::apply_moved(&engine.stack.all_moved, &mut prior)?;
    let (state, drift) = if prior.is_empty() {
        (prior, Vec::new())
    } else {
        refresh(
            &engine,
            &prior,
            run.parallelism,
            run.refresh.unwrap_or(true),
        )
        .await?
    };
    let opts = PlanOptions {
        destroy,
        targets: run.targets.clone(),
        replace: parse_addresses(&run.replace)?,
        offline: false,
    };
    let mut planned = plan(&engine, &state, &opts).await?;
    planned.plan.drift = relevant_drift(&drift, &planned.plan);
    planned.plan.moved = moved
        .iter()
        .map(|(f, t)| (f.to_string(), t.to_string()))
        .collect();
    if !had_state {
        planned.plan.prior_lineage = None;
        planned.plan.prior_serial = None;
    }
    Ok(Prepared {
        engine,
        store,
        lock: guard,
        state,
        planned,
    })
}

/// The drift notes a plan shows. As Terraform (since 1.2) does, a change made outside is shown
/// only where the plan acts on that object (and so would put it back or replace it): a
/// difference the plan accepts silently, such as a provider filling a default, is no news to
/// the user. Deletions and adoptions are always shown.
fn relevant_drift(drift: &[Drift], plan: &Plan) -> Vec<String> {
    let acted_on: std::collections::HashSet<&InstanceAddr> = plan
        .changes
        .iter()
        .filter(|c| c.action != Action::NoOp)
        .map(|c| &c.addr)
        .collect();
    drift
        .iter()
        .filter(|d| d.kind != DriftKind::Changed || acted_on.contains(&d.addr))
        .map(Drift::note)
        .collect()
}

/// The stack's estimated cost before and after the plan; `None` (with a warning) when the
/// built-in price table cannot be read, which a unit test rules out for a release.
fn plan_cost(prepared: &Prepared) -> Option<(PlanCost, &'static str)> {
    match crate::cost::builtin() {
        Ok(table) => Some((
            PlanCost::of_plan(table, &prepared.state, &prepared.planned.plan),
            table.disclaimer.as_str(),
        )),
        Err(e) => {
            ui::err(&format!(
                "warning: no cost estimate: the price table is malformed: {e}"
            ));
            None
        }
    }
}

pub(super) fn print_plan(prepared: &Prepared, json: bool) {
    let cost = plan_cost(prepared);
    if json {
        let mut plan = ui::json::plan_json(&prepared.planned.plan);
        if let (Some((cost, disclaimer)), Some(o)) = (&cost, plan.as_object_mut()) {
            o.insert(
                "labform_cost".into(),
                ui::cost::plan_cost_json(cost, disclaimer),
            );
        }
        ui::out(&plan.to_string());
        return;
    }
    ui::print_diagnostics(&prepared.engine.warnings);
    if !prepared.engine.warnings.is_empty() {
        ui::err("");
    }
    ui::out(&ui::plan_text::render_plan(&prepared.planned.plan));
    if let Some((cost, disclaimer)) = cost
        .as_ref()
        .filter(|(c, _)| prepared.planned.plan.has_changes() && c.worth_showing())
    {
        ui::out(&ui::cost::render_plan_cost(cost, disclaimer));
    }
    if !prepared.planned.warnings.is_empty() {
        ui::err("");
        ui::print_diagnostics(&prepared.planned.warnings);
    }
}

/// A plan to save with `-out`: the stack's files and resolved variables beside the plan.
pub(super) fn saved_plan(engine: &Engine, plan: Plan, run: &RunArgs) -> SavedPlan {
    let stack = &engine.stack;
    let sources: Vec<(PathBuf, String)> = stack
        .files
        .iter()
        .map(|f| (f.path.clone(), f.text.clone()))
        .collect();
    let dir = std::fs::canonicalize(&stack.dir).unwrap_or_else(|_| stack.dir.clone());
    let mut saved = SavedPlan::new(
        &dir,
        sources,
        engine.vars.clone(),
        plan,
        run.targets.clone(),
        run.replace.clone(),
    );
    saved.expires = engine.expires.clone();
    saved
}

/// Writes a saved plan and says how to apply it.
pub(super) fn save(saved: SavedPlan, out: &Path, json: bool) -> Result<(), Diagnostics> {
    saved.write(out)?;
    if !json {
        ui::out(&format!(
            "\nSaved the plan to: {}\n\nTo perform exactly these actions, run:\n  labform apply {}",
            out.display(),
            out.display()
        ));
    }
    Ok(())
}

pub async fn run(args: PlanArgs) -> Result<u8, Diagnostics> {
    let dir = super::common::stack_dir(args.dir.dir.as_deref());
    if args.refresh_only {
        return super::refresh::plan(&dir, &args.run, args.detailed_exitcode, args.out.as_deref())
            .await;
    }
    let engine = load_engine(&dir, &args.run)?;
    let (engine, generated) = match &args.generate_config_out {
        Some(out) => super::generate_config::generate(engine, &dir, &args.run, out).await?,
        None => (engine, None),
    };
    let ttl = explicit_ttl(args.ttl.as_deref())?;
    let mut prepared = prepare_engine(engine, &args.run, args.destroy, "plan", ttl).await?;
    if let Some(g) = &generated {
        prepared.planned.plan.generated = g.blocks.clone();
    }
    print_plan(&prepared, args.run.json);
    if let (Some(g), false) = (&generated, args.run.json) {
        ui::out(&format!(
            "\nlabform has generated configuration and written it to {}. Review it, and edit it as needed before adding it to version control.",
            g.file.display()
        ));
    }
    if let Some(out) = &args.out {
        save(
            saved_plan(&prepared.engine, prepared.planned.plan.clone(), &args.run),
            out,
            args.run.json,
        )?;
    }
    let changes = prepared.planned.plan.has_changes();
    Ok(if args.detailed_exitcode && changes {
        2
    } else {
        0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(addr: &str, action: Action) -> crate::plan::ResourceChange {
        crate::plan::ResourceChange {
            addr: addr.parse().unwrap(),
            provider: "aws".into(),
            action,
            before: None,
            after: None,
            replace_paths: Vec::new(),
            reason: None,
            before_sensitive: Default::default(),
            after_sensitive: Default::default(),
            dependencies: Vec::new(),
            importing: None,
        }
    }

    fn drift(addr: &str, kind: DriftKind) -> Drift {
        Drift {
            addr: addr.parse().unwrap(),
            kind,
        }
    }

    #[test]
    fn a_change_outside_is_noted_only_where_the_plan_acts_on_the_object() {
        let plan = Plan {
            changes: vec![
                change("aws_route_table.quiet", Action::NoOp),
                change("aws_s3_bucket.reverted", Action::Update),
            ],
            ..Plan::default()
        };
        let found = [
            drift("aws_route_table.quiet", DriftKind::Changed),
            drift("aws_s3_bucket.reverted", DriftKind::Changed),
            drift("aws_vpc.gone", DriftKind::Deleted),
            drift("aws_iam_role.found", DriftKind::Adopted),
        ];
        assert_eq!(
            relevant_drift(&found, &plan),
            [
                "`aws_s3_bucket.reverted` has changed outside labform",
                "`aws_vpc.gone` has been deleted outside labform",
                "`aws_iam_role.found` was found after an interrupted create and is now tracked",
            ]
        );
        // A plan with no changes says nothing about a difference it accepts.
        let quiet = Plan {
            changes: vec![change("aws_route_table.quiet", Action::NoOp)],
            ..Plan::default()
        };
        assert!(relevant_drift(&found[..1], &quiet).is_empty());
    }
}
