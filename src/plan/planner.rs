//! Walks the stack in dependency order and plans every resource instance against prior state.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use labform_sdk::{default_plan, BlockSchema, Value};
use labform_state::{InstanceAddr, StateFile, Status};

use super::action::{decide, Action, ReplaceReasons};
use super::change::{OutputChange, Plan, ResourceChange};
use super::conditions::{check_blocks, check_resource, When};
use super::ignore::apply_ignore_changes;
use crate::config::{resource_address, Mode, ResourceBlock};
use crate::diag::{Diagnostic, Diagnostics};
use crate::engine::expand::{instance_addr, Instance};
use crate::engine::registry::key_from_state_provider;
use crate::engine::sensitive::{schema_marks, widen};
use crate::engine::{Engine, Expansion, Values};
use crate::eval::marks::{scrub, secret_texts};
use crate::eval::{Evaluator, Marks};
use crate::graph::Node;

#[derive(Clone, Debug, Default)]
pub struct PlanOptions {
    pub destroy: bool,
    /// `-target` addresses (resource or instance addresses, as text).
    pub targets: Vec<String>,
    /// `-replace` instance addresses.
    pub replace: Vec<InstanceAddr>,
    /// Validate only: no provider is configured or called.
    pub offline: bool,
}

/// A plan plus what apply needs to carry it out.
pub struct Planned {
    pub plan: Plan,
    /// The value table as planned (unknowns where apply will tell).
    pub values: Values,
    /// The instances of each resource block (keys and `each.value`).
    pub instances: HashMap<String, Vec<Instance>>,
    /// Data sources read during planning, to record in state.
    pub data: Vec<(InstanceAddr, String, Value)>,
    /// Warnings for the user: failed `check` assertions, objects a `removed` block forgets.
    pub warnings: Diagnostics,
}

pub async fn plan(
    engine: &Engine,
    prior: &StateFile,
    opts: &PlanOptions,
) -> Result<Planned, Diagnostics> {
    let values = engine.values(true);
    let mut p = Planner {
        engine,
        prior,
        opts,
        values,
        plan: Plan {
            destroy: opts.destroy,
            prior_lineage: Some(prior.lineage.clone()),
            prior_serial: Some(prior.serial),
            ..Plan::default()
        },
        diags: Diagnostics::new(),
        visited: HashSet::new(),
        changed: HashSet::new(),
        pending: HashSet::new(),
        failed: HashSet::new(),
        instances: HashMap::new(),
        data: Vec::new(),
        imports: BTreeMap::new(),
    };
    if !opts.destroy && !opts.offline {
        p.imports = super::imports::targets(&engine.stack, &p.values, prior)?;
    }
    if opts.destroy {
        p.plan_destroy().await;
    } else {
        p.diags
            .extend(super::removed::still_declared(&engine.stack));
        p.plan_all().await;
    }
    p.apply_targets();
    p.check_prevent_destroy();
    if p.diags.has_errors() {
        return Err(p.diags);
    }
    let mut warnings = super::removed::forget_warning(&p.plan);
    if !opts.destroy {
        let pending = |a: &str| p.pending.contains(a);
        warnings.extend(check_blocks(engine, &p.values, !opts.offline, &pending).await);
    }
    Ok(Planned {
        plan: p.plan,
        values: p.values,
        instances: p.instances,
        data: p.data,
        warnings,
    })
}

struct Planner<'a> {
    engine: &'a Engine,
    prior: &'a StateFile,
    opts: &'a PlanOptions,
    values: Values,
    plan: Plan,
    diags: Diagnostics,
    /// Instances present in configuration.
    visited: HashSet<InstanceAddr>,
    /// Resource addresses with an update or replace planned (for `replace_triggered_by`).
    changed: HashSet<String>,
    /// Resource addresses with any change planned: a data source depending on one is read
    /// during apply, after the change, as in Terraform.
    pending: HashSet<String>,
    /// Resource addresses whose planning failed.
    failed: HashSet<String>,
    instances: HashMap<String, Vec<Instance>>,
    data: Vec<(InstanceAddr, String, Value)>,
    /// What `import` blocks bring under management, not yet in state.
    imports: BTreeMap<InstanceAddr, super::imports::Target>,
}

impl Planner<'_> {
    /// The evaluated configuration of one instance with its marks; an error is recorded.
    fn instance_config(
        &mut self,
        r: &ResourceBlock,
        instance: &Instance,
        schema: &BlockSchema,
    ) -> Option<(Value, Marks)> {
        match self
            .engine
            .instance_config_marked(r, instance, schema, &self.values)
        {
            Ok(c) => Some((c.value, c.marks)),
            Err(d) => {
                self.diags.extend(d);
                None
            }
        }
    }

    async fn plan_all(&mut self) {
        // Prior values first, so references to resources that fail to plan still resolve.
        for (addr, _, inst) in self.prior.instances() {
            if inst.pending.is_none() {
                self.values.set(&addr, inst.attributes.clone());
                self.values.mark(
                    &addr,
                    state_marks(self.engine, &addr, &inst.attributes, inst),
                );
            }
        }
        let order: Vec<Node> = self
            .engine
            .graph
            .order
            .iter()
            .map(|&n| self.engine.graph.graph[n].clone())
            .collect();
        for node in order {
            match node {
                Node::Resource(addr) => {
                    let Some(r) = self.engine.stack.resources.get(&addr).cloned() else {
                        continue;
                    };
                    // What depends on a resource that failed to plan is not planned: its errors
                    // would only echo the first one.
                    if self
                        .engine
                        .dependencies_of(&addr)
                        .iter()
                        .any(|d| self.failed.contains(d))
                    {
                        self.failed.insert(addr);
                        continue;
                    }
                    let errors_before = self.diags.0.len();
                    match r.mode {
                        Mode::Managed => self.plan_resource(&r).await,
                        Mode::Data => self.plan_data(&r).await,
                    }
                    if self.diags.0.len() > errors_before {
                        self.failed.insert(addr);
                    }
                }
                Node::Output(prefix, name) if prefix.is_empty() => self.plan_output(&name),
                _ => {}
            }
        }
        self.plan_orphans();
        self.check_import_targets();
        for name in self.prior.outputs.keys() {
            if !self.engine.stack.outputs.contains_key(name) {
                let before = self.prior.outputs.get(name).map(|o| o.value.clone());
                let sensitive = self.prior.outputs.get(name).is_some_and(|o| o.sensitive);
                self.plan.outputs.push(OutputChange {
                    name: name.clone(),
                    before,
                    after: None,
                    sensitive,
                });
            }
        }
    }

    /// What must be deleted after the object at `addr`: what state recorded it depending on,
    /// and what its configuration refers to, where it still has one. A state Terraform or an
    /// older labform wrote may record no dependencies at all; deleting a role before the
    /// instance profile that holds it would fail.
    fn destroy_dependencies(&self, addr: &InstanceAddr, recorded: &[String]) -> Vec<String> {
        let mut deps = recorded.to_vec();
        for d in self.engine.dependencies_of(&addr.resource_addr()) {
            if !deps.contains(&d) {
                deps.push(d);
            }
        }
        deps
    }

    async fn plan_destroy(&mut self) {
        for (addr, rs, inst) in self.prior.instances() {
            if addr.mode != Mode::Managed {
                continue;
            }
            let provider = key_from_state_provider(&rs.provider);
            self.plan.changes.push(ResourceChange {
                addr: addr.clone(),
                provider,
                action: Action::Delete,
                before: Some(inst.attributes.clone()),
                after: None,
                replace_paths: Vec::new(),
                reason: None,
                before_sensitive: state_marks(self.engine, &addr, &inst.attributes, inst),
                after_sensitive: Marks::none(),
                dependencies: self.destroy_dependencies(&addr, &inst.dependencies),
                importing: None,
            });
        }
        for (name, o) in &self.prior.outputs {
            self.plan.outputs.push(OutputChange {
                name: name.clone(),
                before: Some(o.value.clone()),
                after: None,
                sensitive: o.sensitive,
            });
        }
    }

    fn expand(&mut self, r: &ResourceBlock) -> Option<Vec<Instance>> {
        match self.engine.expand(r, &self.values, self.opts.offline) {
            Ok((expansion, instances)) => {
                self.values.declare(&r.address(), expansion);
                self.instances.insert(r.address(), instances.clone());
                Some(instances)
            }
            Err(d) => {
                self.values.declare(&r.address(), Expansion::Unknown);
                self.diags.push(d);
                None
            }
        }
    }

    async fn plan_resource(&mut self, r: &Arc<ResourceBlock>) {
        let Some(instances) = self.expand(r) else {
            return;
        };
        let Some((_, schema)) = self.engine.registry.schema(Mode::Managed, &r.type_name) else {
            return;
        };
        let schema = schema.clone();
        let triggered = self.replace_triggered(r);
        for instance in instances {
            let addr = instance_addr(r, instance.key.clone());
            self.visited.insert(addr.clone());
            let Some((config, config_marks)) = self.instance_config(r, &instance, &schema) else {
                continue;
            };
            if !self.opts.offline {
                let failed =
                    check_resource(self.engine, r, &instance, &self.values, When::Pre, None);
                if failed.has_errors() {
                    self.diags.extend(failed);
                    continue;
                }
            }
            let secrets = secret_texts(&config, &config_marks);
            let prior_inst = self
                .prior
                .instance(&addr)
                .map(|(_, i)| i)
                .filter(|i| i.pending.is_none());
            let mut prior_value =
                prior_inst.map(|i| labform_sdk::normalize(&schema, &i.attributes));
            let target = self
                .imports
                .get(&addr)
                .filter(|_| prior_inst.is_none())
                .cloned();
            let importing = match target {
                Some(target) => match self.import(r, &addr, &target).await {
                    Some(object) => {
                        prior_value = Some(labform_sdk::normalize(&schema, &object));
                        Some(target.id.clone())
                    }
                    None => continue,
                },
                None => None,
            };
            let tainted = prior_inst.is_some_and(|i| i.status == Some(Status::Tainted));
            let config =
                apply_ignore_changes(&r.lifecycle.ignore_changes, prior_value.as_ref(), config);
            let mut planned = if self.opts.offline {
                default_plan(&schema, None, &config)
            } else {
                match self
                    .engine
                    .resource_impl(&r.provider, &r.type_name, &self.values)
                    .await
                {
                    Ok(res) => {
                        let result = res
                            .validate(&config)
                            .and_then(|_| res.plan(prior_value.as_ref(), &config));
                        match result {
                            Ok(p) => p,
                            Err(e) => {
                                self.diags.push(
                                    Diagnostic::error(format!(
                                        "`{addr}`: {}",
                                        scrub(&e.message, &secrets)
                                    ))
                                    .at(r.location.clone())
                                    .maybe_hint(e.hint.map(|h| scrub(&h, &secrets))),
                                );
                                continue;
                            }
                        }
                    }
                    Err(d) => {
                        self.diags.push(d);
                        return;
                    }
                }
            };
            planned.planned = labform_sdk::normalize(&schema, &planned.planned);
            let reasons = ReplaceReasons {
                tainted,
                requested: self.opts.replace.contains(&addr),
                triggered: triggered && prior_value.is_some(),
            };
            let action = decide(
                prior_value.as_ref(),
                &planned.planned,
                !planned.requires_replace.is_empty(),
                reasons,
                r.lifecycle.create_before_destroy,
            );
            let mut after = labform_sdk::normalize(&schema, &planned.planned);
            if action.is_replace() && planned.requires_replace.is_empty() && !self.opts.offline {
                // Replaced for a reason outside the diff: plan it as a fresh create.
                if let Ok(res) = self
                    .engine
                    .resource_impl(&r.provider, &r.type_name, &self.values)
                    .await
                {
                    if let Ok(p) = res.plan(None, &config) {
                        after = labform_sdk::normalize(&schema, &p.planned);
                    }
                }
            }
            let reason = if tainted {
                Some("is tainted, so it must be replaced".to_string())
            } else if reasons.requested {
                Some("will be replaced, as requested".to_string())
            } else if reasons.triggered {
                Some("will be replaced due to changes in replace_triggered_by".to_string())
            } else {
                None
            };
            if matches!(action, Action::Update) || action.is_replace() {
                self.changed.insert(r.address());
            }
            if action != Action::NoOp {
                self.pending.insert(r.address());
            }
            let value = if action == Action::NoOp {
                prior_value.clone().unwrap_or(Value::Null)
            } else {
                after.clone()
            };
            let mut after_sensitive = config_marks.clone();
            after_sensitive.union(&schema_marks(&schema, &after));
            widen(&after, &mut after_sensitive);
            let before_sensitive = match (&prior_value, prior_inst) {
                (Some(p), Some(i)) => state_marks(self.engine, &addr, p, i),
                (Some(p), None) => schema_marks(&schema, p),
                _ => Marks::none(),
            };
            let mut value_marks = after_sensitive.clone();
            if action == Action::NoOp {
                value_marks.union(&before_sensitive);
            }
            if !self.opts.offline {
                // Known now (no change, or known planned attributes): checked now, as Terraform.
                self.diags.extend(check_resource(
                    self.engine,
                    r,
                    &instance,
                    &self.values,
                    When::Post,
                    Some(&value),
                ));
            }
            self.values.set(&addr, value);
            self.values.mark(&addr, value_marks);
            self.plan.changes.push(ResourceChange {
                addr,
                provider: r.provider.clone(),
                action,
                before: prior_value,
                after: Some(after),
                replace_paths: planned.requires_replace,
                reason,
                before_sensitive,
                after_sensitive,
                dependencies: self.engine.dependencies_of(&r.address()),
                importing,
            });
        }
    }

    /// Reads the object an `import` block names; `None` (an error recorded) when it cannot.
    async fn import(
        &mut self,
        r: &ResourceBlock,
        addr: &InstanceAddr,
        target: &super::imports::Target,
    ) -> Option<Value> {
        let res = match self
            .engine
            .resource_impl(&r.provider, &r.type_name, &self.values)
            .await
        {
            Ok(res) => res,
            Err(d) => {
                self.diags.push(d);
                return None;
            }
        };
        match res.import(&target.id).await {
            Ok(object) => Some(object),
            Err(e) => {
                self.diags.push(super::imports::import_failed(
                    addr,
                    &target.id,
                    target.location.clone(),
                    e,
                ));
                None
            }
        }
    }

    /// An `import` target whose instance the configuration does not declare (a `for_each` key
    /// or `count` index it lacks) is an error, as in Terraform.
    fn check_import_targets(&mut self) {
        for (addr, target) in &self.imports {
            if !self.visited.contains(addr) && !self.failed.contains(&addr.resource_addr()) {
                self.diags.push(
                    Diagnostic::error(format!(
                        "configuration for import target `{addr}` does not exist"
                    ))
                    .at(target.location.clone())
                    .hint(format!(
                        "the resource `{}` is declared, but not this instance: check its `count` or `for_each`",
                        addr.resource_addr()
                    )),
                );
            }
        }
    }

    fn replace_triggered(&self, r: &ResourceBlock) -> bool {
        r.lifecycle.replace_triggered_by.iter().any(|e| {
            let mut found = Vec::new();
            crate::eval::refs::in_expr(&e.expr, &mut found);
            found.iter().any(|f| match &f.reference {
                crate::eval::refs::Reference::Resource(m, t, n) => self.changed.contains(&format!(
                    "{}{}",
                    r.scope.prefix,
                    resource_address(*m, t, n)
                )),
                _ => false,
            })
        })
    }

    async fn plan_data(&mut self, r: &Arc<ResourceBlock>) {
        let Some(instances) = self.expand(r) else {
            return;
        };
        let Some((_, schema)) = self.engine.registry.schema(Mode::Data, &r.type_name) else {
            return;
        };
        let schema = schema.clone();
        for instance in instances {
            let addr = instance_addr(r, instance.key.clone());
            let Some((config, config_marks)) = self.instance_config(r, &instance, &schema) else {
                continue;
            };
            let deps_pending = self
                .engine
                .resource_deps
                .get(&r.address())
                .is_some_and(|deps| deps.iter().any(|d| self.pending.contains(d)));
            if self.opts.offline || !config.is_wholly_known() || deps_pending {
                self.pending.insert(r.address());
                let planned = default_plan(&schema, None, &config).planned;
                let mut marks = config_marks.clone();
                marks.union(&schema_marks(&schema, &planned));
                self.values.set(&addr, planned.clone());
                self.values.mark(&addr, marks.clone());
                if !self.opts.offline {
                    self.plan.changes.push(ResourceChange {
                        addr,
                        provider: r.provider.clone(),
                        action: Action::Read,
                        before: None,
                        after: Some(planned),
                        replace_paths: Vec::new(),
                        reason: Some(if deps_pending {
                            "will be read during apply: it depends on resources with changes".into()
                        } else {
                            "will be read during apply: its configuration depends on values not yet known".into()
                        }),
                        before_sensitive: Marks::none(),
                        after_sensitive: marks,
                        dependencies: self.engine.dependencies_of(&r.address()),
                        importing: None,
                    });
                }
                continue;
            }
            let ds = match self
                .engine
                .data_source_impl(&r.provider, &r.type_name, &self.values)
                .await
            {
                Ok(ds) => ds,
                Err(d) => {
                    self.diags.push(d);
                    return;
                }
            };
            match ds.read(&config).await {
                Ok(v) => {
                    let mut marks = config_marks.clone();
                    marks.union(&schema_marks(&schema, &v));
                    widen(&v, &mut marks);
                    self.values.set(&addr, v.clone());
                    self.values.mark(&addr, marks);
                    self.data.push((addr, r.provider.clone(), v));
                }
                Err(e) => {
                    let secrets = secret_texts(&config, &config_marks);
                    self.diags.push(
                        Diagnostic::error(format!(
                            "reading `{addr}`: {}",
                            scrub(&e.message, &secrets)
                        ))
                        .at(r.location.clone())
                        .maybe_hint(e.hint.map(|h| scrub(&h, &secrets))),
                    )
                }
            }
        }
    }

    fn plan_output(&mut self, name: &str) {
        let Some(o) = self.engine.stack.outputs.get(name) else {
            return;
        };
        let mut ev = Evaluator::new(&self.values, &self.engine.stack.dir);
        match ev.eval_marked(&o.value) {
            Ok(after) if after.is_marked() && !o.sensitive => {
                self.diags.push(
                    Diagnostic::error(format!("output `{name}` refers to sensitive values"))
                        .at(o.value.location())
                        .detail("an output that shows a sensitive value must say so, so that it is never printed by accident")
                        .hint("add `sensitive = true` to the output block, or wrap the value in `nonsensitive(...)` if you are sure"),
                );
            }
            Ok(after) => {
                let after = after.value;
                let before = self.prior.outputs.get(name).map(|p| p.value.clone());
                self.plan.outputs.push(OutputChange {
                    name: name.to_string(),
                    before,
                    after: Some(after),
                    sensitive: o.sensitive,
                });
            }
            // Offline (validate) too: Terraform's validate rejects an output naming something
            // undeclared, as it does for a resource argument.
            Err(d) => self.diags.push(d),
        }
    }

    /// Instances in state that configuration no longer declares are deleted.
    fn plan_orphans(&mut self) {
        for (addr, rs, inst) in self.prior.instances() {
            if addr.mode != Mode::Managed || self.visited.contains(&addr) {
                continue;
            }
            let resource = addr.resource_addr();
            if !self.instances.contains_key(&resource)
                && self.engine.stack.resources.contains_key(&resource)
            {
                // Its block failed to expand; an error is already reported.
                continue;
            }
            if inst.pending.is_some() {
                continue;
            }
            let before_sensitive = state_marks(self.engine, &addr, &inst.attributes, inst);
            if let Some(removed) = super::removed::block_for(&self.engine.stack.removed, &addr) {
                if !removed.destroy {
                    self.plan.forget.push(ResourceChange {
                        addr: addr.clone(),
                        provider: key_from_state_provider(&rs.provider),
                        action: Action::NoOp,
                        before: Some(inst.attributes.clone()),
                        after: Some(inst.attributes.clone()),
                        replace_paths: Vec::new(),
                        reason: None,
                        before_sensitive: before_sensitive.clone(),
                        after_sensitive: before_sensitive,
                        dependencies: inst.dependencies.clone(),
                        importing: None,
                    });
                    continue;
                }
            }
            let reason = if self.engine.stack.resources.contains_key(&resource) {
                "its index is no longer in `count`/`for_each`"
            } else {
                "it is no longer in the configuration"
            };
            self.plan.changes.push(ResourceChange {
                addr: addr.clone(),
                provider: key_from_state_provider(&rs.provider),
                action: Action::Delete,
                before: Some(inst.attributes.clone()),
                after: None,
                replace_paths: Vec::new(),
                reason: Some(format!("will be destroyed because {reason}")),
                before_sensitive,
                after_sensitive: Marks::none(),
                dependencies: self.destroy_dependencies(&addr, &inst.dependencies),
                importing: None,
            });
        }
    }

    fn apply_targets(&mut self) {
        if !self.opts.targets.is_empty() {
            super::targets::keep_targets(&mut self.plan, &self.opts.targets, self.opts.destroy);
        }
    }

    fn check_prevent_destroy(&mut self) {
        for c in &self.plan.changes {
            if !c.action.deletes() {
                continue;
            }
            let resource = c.addr.resource_addr();
            if let Some(r) = self.engine.stack.resources.get(&resource) {
                if r.lifecycle.prevent_destroy {
                    self.diags.push(
                        Diagnostic::error(format!(
                            "`{}` has `lifecycle {{ prevent_destroy = true }}`, but this plan would destroy it",
                            c.addr
                        ))
                        .at(r.location.clone())
                        .hint("remove `prevent_destroy` (or set it to false) if you really mean to destroy it, or change the plan so it is kept"),
                    );
                }
            }
        }
    }
}

/// The sensitive parts of an instance recorded in state: its `sensitive_attributes`, and what
/// the schema declares sensitive. A plan made from state alone (destroy, orphans) keeps them.
fn state_marks(
    engine: &Engine,
    addr: &InstanceAddr,
    value: &Value,
    inst: &labform_state::InstanceState,
) -> Marks {
    let mut marks = Marks::from_paths(&inst.sensitive_attributes);
    if let Some((_, schema)) = engine.registry.schema(addr.mode, &addr.type_name) {
        marks.union(&schema_marks(schema, value));
    }
    marks
}
