//! Module expansion: every instance of every module call (`count`/`for_each` evaluated from
//! variables and locals) becomes part of one flat stack whose names carry the instance's prefix
//! (`module.a["k"].aws_s3_bucket.b`, `module.a["k"].` + local name), each item keeping the scope
//! it is evaluated in. The planner, executor and state then work as for a stack without modules.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use labform_sdk::Value;
use labform_state::IndexKey;

use super::Values;
use crate::config::{
    CallInstances, CallShape, Expr, Local, ModuleCall, ModuleVar, Moved, Scope, Stack,
};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::eval::{Evaluator, Marked};
use crate::suggest::did_you_mean;

/// One module instance whose own calls are still to expand.
struct Pending {
    scope: Arc<Scope>,
    config: Arc<Stack>,
    /// Provider keys as the module writes them -> the root's provider key.
    providers: HashMap<String, String>,
    /// What every resource in it waits for (`depends_on` of the calls above it).
    deps: Vec<(String, Option<Location>)>,
}

/// One instance of a call: its key, and `each`/`count.index` for the call's arguments.
struct CallInstance {
    key: Option<IndexKey>,
    each: Option<(Value, Marked)>,
    count_index: Option<Value>,
}

/// Expands every module call of `root` into the flat stack. With `allow_unknown` (validate), a
/// call whose `count`/`for_each` is unknown is checked as one stand-in instance.
pub fn expand_modules(
    mut root: Stack,
    vars: &BTreeMap<String, Value>,
    allow_unknown: bool,
) -> Result<Stack, Diagnostics> {
    root.all_moved = root.moved.clone();
    if root.module_calls.is_empty() {
        return Ok(root);
    }
    let mut diags = Diagnostics::new();
    let config = Arc::new(Stack {
        module_calls: root.module_calls.clone(),
        children: root.children.clone(),
        dir: root.dir.clone(),
        ..Stack::default()
    });
    let mut level = vec![Pending {
        scope: Scope::root(&root.dir),
        config,
        providers: HashMap::new(),
        deps: Vec::new(),
    }];
    while !level.is_empty() {
        // Calls at this depth see everything above them; one snapshot per depth keeps it linear.
        let values = Values::new(Arc::new(root.clone()), vars.clone(), true);
        let mut next = Vec::new();
        for parent in &level {
            for call in parent.config.module_calls.values() {
                let Some(child) = parent.config.children.get(&call.name) else {
                    continue;
                };
                if let Err(d) = check_arguments(call, child) {
                    diags.extend(d);
                    continue;
                }
                let (shape, instances) =
                    match call_instances(call, parent, &values, &root, allow_unknown) {
                        Ok(x) => x,
                        Err(d) => {
                            diags.push(d);
                            continue;
                        }
                    };
                let providers = provider_map(call, &parent.providers);
                let mut deps = parent.deps.clone();
                deps.extend(
                    call.depends_on
                        .iter()
                        .map(|(d, l)| (format!("{}{d}", parent.scope.prefix), l.clone())),
                );
                let mut expanded = CallInstances {
                    shape,
                    instances: Vec::new(),
                    outputs: child.outputs.keys().cloned().collect(),
                };
                for inst in instances {
                    let path = parent.scope.path.child(&call.name, inst.key.clone());
                    let scope = parent.scope.child(path, child.dir.clone());
                    add_instance(
                        &mut root, child, call, parent, &scope, inst, &providers, &deps,
                    );
                    expanded.instances.push((
                        scope.path.0.last().and_then(|s| s.key.clone()),
                        scope.clone(),
                    ));
                    next.push(Pending {
                        scope,
                        config: child.clone(),
                        providers: providers.clone(),
                        deps: deps.clone(),
                    });
                }
                root.calls.insert(
                    format!("{}module.{}", parent.scope.prefix, call.name),
                    expanded,
                );
            }
        }
        diags.clone().into_result()?;
        level = next;
    }
    resolve_module_dependencies(&mut root);
    Ok(root)
}

/// The root variables' defaults (those without one stay unknown), as `validate` and `graph`
/// evaluate a stack without asking for values.
pub fn default_values(stack: &Stack) -> BTreeMap<String, Value> {
    stack
        .variables
        .iter()
        .filter_map(|(n, v)| {
            v.default
                .as_ref()
                .and_then(|d| crate::eval::eval_const(&d.expr).ok())
                .map(|d| (n.clone(), d))
        })
        .collect()
}

/// Every argument names an input the module declares, and every input without a default is
/// given.
fn check_arguments(call: &ModuleCall, child: &Stack) -> Result<(), Diagnostics> {
    let mut diags = Diagnostics::new();
    for (name, (_, at)) in &call.args {
        if !child.variables.contains_key(name) {
            diags.push(
                Diagnostic::error(format!(
                    "module `{}` has no input variable `{name}`",
                    call.name
                ))
                .at(at.clone())
                .maybe_hint(did_you_mean(
                    name,
                    child.variables.keys().map(String::as_str),
                    |s| s.to_string(),
                ))
                .detail(format!(
                    "the inputs of `{}` are: {}",
                    call.source,
                    child
                        .variables
                        .keys()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }
    }
    for (name, v) in &child.variables {
        if v.default.is_none() && !call.args.contains_key(name) {
            diags.push(
                Diagnostic::error(format!(
                    "module `{}` needs the input `{name}`, which has no default",
                    call.name
                ))
                .at(call.location.clone())
                .hint(format!(
                    "add `{name} = ...` to the `module \"{}\"` block",
                    call.name
                )),
            );
        }
    }
    diags.into_result()
}

/// The instances of a call, from its `count` or `for_each` evaluated in the calling module.
fn call_instances(
    call: &ModuleCall,
    parent: &Pending,
    values: &Values,
    stack: &Stack,
    allow_unknown: bool,
) -> Result<(CallShape, Vec<CallInstance>), Diagnostic> {
    let eval = |e: &Expr| {
        let mut ev = Evaluator::scoped(values, &stack.dir, &parent.scope);
        ev.eval_marked(e)
    };
    let stand_in = || {
        (
            CallShape::Single,
            vec![CallInstance {
                key: None,
                each: Some((Value::Unknown, Value::Unknown.into())),
                count_index: Some(Value::Unknown),
            }],
        )
    };
    let unknown = |meta: &str, e: &Expr| {
        Diagnostic::error(format!(
            "the `{meta}` of `{}module.{}` depends on values known only after apply",
            parent.scope.prefix, call.name
        ))
        .at(e.location())
        .detail("labform expands modules before planning, so a module's `count` and `for_each` may use variables, locals and literal values only")
        .hint("derive it from variables or locals, or apply the resources it depends on first with `-target`")
    };
    if let Some(count) = &call.count {
        let m = eval(count)?;
        return match m.value {
            Value::Number(n) if n >= 0.0 && n.fract() == 0.0 => Ok((
                CallShape::Count,
                (0..n as i64)
                    .map(|i| CallInstance {
                        key: Some(IndexKey::Int(i)),
                        each: None,
                        count_index: Some(Value::Number(i as f64)),
                    })
                    .collect(),
            )),
            Value::Unknown if allow_unknown => Ok(stand_in()),
            Value::Unknown => Err(unknown("count", count)),
            other => Err(Diagnostic::error(format!(
                "`count` must be a whole number of zero or more, got a {}",
                other.kind_name()
            ))
            .at(count.location())),
        };
    }
    let Some(for_each) = &call.for_each else {
        return Ok((
            CallShape::Single,
            vec![CallInstance {
                key: None,
                each: None,
                count_index: None,
            }],
        ));
    };
    let m = eval(for_each)?;
    if m.marks.is_whole() || (matches!(m.value, Value::List(_)) && m.is_marked()) {
        return Err(Diagnostic::error(
            "`for_each` cannot use sensitive values: its keys become instance addresses, which are printed",
        )
        .at(for_each.location()));
    }
    let pairs: Vec<(String, Value)> = match m.value {
        Value::Object(map) => map.into_iter().collect(),
        Value::List(items) => {
            let mut keys = Vec::new();
            for item in items {
                match item {
                    Value::String(s) => keys.push((s.clone(), Value::String(s))),
                    Value::Unknown if allow_unknown => return Ok(stand_in()),
                    Value::Unknown => return Err(unknown("for_each", for_each)),
                    other => {
                        return Err(Diagnostic::error(format!(
                            "`for_each` over a set needs strings, got a {}",
                            other.kind_name()
                        ))
                        .at(for_each.location()))
                    }
                }
            }
            keys.sort_by(|a, b| a.0.cmp(&b.0));
            keys.dedup_by(|a, b| a.0 == b.0);
            keys
        }
        Value::Unknown if allow_unknown => return Ok(stand_in()),
        Value::Unknown => return Err(unknown("for_each", for_each)),
        other => {
            return Err(Diagnostic::error(format!(
                "`for_each` needs a map or a set of strings, got a {}",
                other.kind_name()
            ))
            .at(for_each.location()))
        }
    };
    Ok((
        CallShape::ForEach,
        pairs
            .into_iter()
            .map(|(k, v)| CallInstance {
                each: Some((Value::String(k.clone()), Marked::new(v, m.marks.child(&k)))),
                key: Some(IndexKey::Str(k)),
                count_index: None,
            })
            .collect(),
    ))
}

/// The child's provider keys: the caller's (default configurations are inherited), then what
/// `providers = { ... }` passes explicitly, each resolved to a root provider key.
fn provider_map(call: &ModuleCall, parent: &HashMap<String, String>) -> HashMap<String, String> {
    let mut map = parent.clone();
    for (child_key, parent_key, _) in &call.providers {
        let root = parent
            .get(parent_key)
            .cloned()
            .unwrap_or_else(|| parent_key.clone());
        map.insert(child_key.clone(), root);
    }
    map
}

/// Adds one module instance's variables, locals, resources, outputs and `moved` blocks.
#[allow(clippy::too_many_arguments)]
fn add_instance(
    flat: &mut Stack,
    child: &Stack,
    call: &ModuleCall,
    parent: &Pending,
    scope: &Arc<Scope>,
    inst: CallInstance,
    providers: &HashMap<String, String>,
    deps: &[(String, Option<Location>)],
) {
    let prefix = &scope.prefix;
    for (name, decl) in &child.variables {
        flat.module_vars.insert(
            format!("{prefix}{name}"),
            ModuleVar {
                decl: decl.clone(),
                arg: call.args.get(name).map(|(e, _)| e.clone()),
                caller: parent.scope.clone(),
                each: inst.each.clone(),
                count_index: inst.count_index.clone(),
                scope: scope.clone(),
            },
        );
    }
    for (name, l) in &child.locals {
        flat.locals.insert(
            format!("{prefix}{name}"),
            Local {
                scope: scope.clone(),
                ..l.clone()
            },
        );
    }
    for r in child.resources.values() {
        let mut r = (**r).clone();
        r.scope = scope.clone();
        r.provider = providers.get(&r.provider).cloned().unwrap_or(r.provider);
        r.depends_on = r
            .depends_on
            .iter()
            .map(|(d, l)| (format!("{prefix}{d}"), l.clone()))
            .chain(deps.iter().cloned())
            .collect();
        flat.resources.insert(r.address(), Arc::new(r));
    }
    for (name, o) in &child.outputs {
        let mut o = o.clone();
        o.scope = scope.clone();
        o.depends_on = o
            .depends_on
            .iter()
            .map(|(d, l)| (format!("{prefix}{d}"), l.clone()))
            .collect();
        flat.module_outputs.insert(format!("{prefix}{name}"), o);
    }
    for m in &child.moved {
        flat.all_moved.push(Moved {
            from: format!("{prefix}{}", m.from),
            to: format!("{prefix}{}", m.to),
            location: m.location.clone(),
        });
    }
}

/// A `depends_on` entry naming a module (`module.net`) becomes every resource in every instance
/// of it, nested modules included.
fn resolve_module_dependencies(flat: &mut Stack) {
    let mut members: HashMap<String, Vec<String>> = HashMap::new();
    let mut expand = |d: &str, resources: &BTreeMap<String, Arc<crate::config::ResourceBlock>>| {
        members
            .entry(d.to_string())
            .or_insert_with(|| {
                let dot = format!("{d}.");
                let bracket = format!("{d}[");
                resources
                    .range(d.to_string()..)
                    .take_while(|(k, _)| k.starts_with(d))
                    .filter(|(k, _)| k.starts_with(&dot) || k.starts_with(&bracket))
                    .map(|(k, _)| k.clone())
                    .collect()
            })
            .clone()
    };
    let is_module = |d: &str, flat: &Stack| flat.calls.contains_key(d);
    type Deps = Vec<(String, Option<Location>)>;
    // Each module named in a depends_on becomes every resource inside it.
    let mut widen = |deps: &Deps, flat: &Stack| -> Deps {
        let mut out = Vec::new();
        for (d, l) in deps {
            if is_module(d, flat) {
                out.extend(
                    expand(d, &flat.resources)
                        .into_iter()
                        .map(|a| (a, l.clone())),
                );
            } else {
                out.push((d.clone(), l.clone()));
            }
        }
        out
    };
    let mut changed: Vec<(String, Deps)> = Vec::new();
    for (addr, r) in &flat.resources {
        if !r.depends_on.iter().any(|(d, _)| is_module(d, flat)) {
            continue;
        }
        changed.push((addr.clone(), widen(&r.depends_on, flat)));
    }
    for (addr, deps) in changed {
        if let Some(r) = flat.resources.get_mut(&addr) {
            Arc::make_mut(r).depends_on = deps;
        }
    }
    let outputs: Vec<String> = flat
        .outputs
        .keys()
        .chain(flat.module_outputs.keys())
        .cloned()
        .collect();
    for key in outputs {
        let o = flat
            .outputs
            .get(&key)
            .or_else(|| flat.module_outputs.get(&key));
        let Some(o) = o else { continue };
        if !o.depends_on.iter().any(|(d, _)| is_module(d, flat)) {
            continue;
        }
        let out = widen(&o.depends_on, flat);
        if let Some(o) = flat.outputs.get_mut(&key) {
            o.depends_on = out;
        } else if let Some(o) = flat.module_outputs.get_mut(&key) {
            o.depends_on = out;
        }
    }
}
