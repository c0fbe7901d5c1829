//! `import` blocks: the instances they name (one per `for_each` element), each with the id its
//! provider reads during plan. A target already in state is left alone, as in Terraform.

use std::collections::BTreeMap;

use hcl_edit::expr::{Expression, TraversalOperator};
use labform_sdk::Value;
use labform_state::{InstanceAddr, StateFile};

use crate::config::{Expr, Import, Mode, Stack};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::engine::expand::{bind_instance, for_each_instances, Instance};
use crate::engine::Values;
use crate::eval::Evaluator;

/// One object to import.
#[derive(Clone, Debug)]
pub struct Target {
    pub id: String,
    /// The `import` block, for messages.
    pub location: Option<Location>,
}

/// The targets of every `import` block that state does not record yet.
pub fn targets(
    stack: &Stack,
    values: &Values,
    prior: &StateFile,
) -> Result<BTreeMap<InstanceAddr, Target>, Diagnostics> {
    let mut out: BTreeMap<InstanceAddr, Target> = BTreeMap::new();
    let mut diags = Diagnostics::new();
    for block in &stack.imports {
        let instances = match instances_of(block, values, stack) {
            Ok(i) => i,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        for instance in instances {
            let mut ev = Evaluator::new(values, &stack.dir);
            bind_instance(&mut ev, &instance);
            let target = address(&block.to, &mut ev).and_then(|addr| {
                let id = id_of(&block.id, &mut ev)?;
                Ok((addr, id))
            });
            let (addr, id) = match target {
                Ok(t) => t,
                Err(d) => {
                    diags.push(d);
                    continue;
                }
            };
            if let Some(d) = undeclared(stack, &addr, block) {
                diags.push(d);
                continue;
            }
            if let Some(d) = other_provider(stack, &addr, block) {
                diags.push(d);
                continue;
            }
            if prior.instance(&addr).is_some() {
                continue;
            }
            if let Some(other) = out.get(&addr) {
                diags.push(
                    Diagnostic::error(format!("duplicate import target `{addr}`"))
                        .at(block.location.clone())
                        .detail(format!(
                            "another `import` block, with id \"{}\", already imports to this address",
                            other.id
                        ))
                        .hint("each address can be imported to only once"),
                );
                continue;
            }
            out.insert(
                addr,
                Target {
                    id,
                    location: block.location.clone(),
                },
            );
        }
    }
    diags.into_result()?;
    Ok(out)
}

/// The error when a provider cannot read the object an `import` block names.
pub fn import_failed(
    addr: &InstanceAddr,
    id: &str,
    location: Option<Location>,
    e: labform_sdk::ProviderError,
) -> Diagnostic {
    Diagnostic::error(format!("cannot import `{addr}` from ID \"{id}\": {}", e.message))
        .at(location)
        .maybe_hint(e.hint.or_else(|| {
            Some("check that the object exists and that the `id` is in the form this resource type imports".into())
        }))
}

/// An `import` target no `resource` block declares: `plan -generate-config-out` writes one.
#[derive(Clone, Debug)]
pub struct Unconfigured {
    pub addr: InstanceAddr,
    pub id: String,
    /// The provider configuration key to read it with (`aws`, `aws.west`).
    pub provider: String,
    /// The `import` block, for messages.
    pub location: Option<Location>,
}

/// The targets of `import` blocks whose resource has no block in the configuration. Only a
/// single root-module instance can get generated configuration, as in Terraform.
pub fn unconfigured(stack: &Stack, values: &Values) -> Result<Vec<Unconfigured>, Diagnostics> {
    let mut out = Vec::new();
    let mut diags = Diagnostics::new();
    for block in &stack.imports {
        let undeclared_resource = match root_resource_of(&block.to) {
            Some(resource) => !stack.resources.contains_key(&resource),
            None => false,
        };
        if !undeclared_resource {
            continue;
        }
        if block.for_each.is_some() {
            diags.push(
                Diagnostic::error("cannot generate configuration for an `import` block with `for_each`")
                    .at(block.location.clone())
                    .hint("write the `resource` block with its `for_each` yourself, or import one object per block"),
            );
            continue;
        }
        let mut ev = Evaluator::new(values, &stack.dir);
        let target = address(&block.to, &mut ev).and_then(|addr| {
            let id = id_of(&block.id, &mut ev)?;
            Ok((addr, id))
        });
        match target {
            Ok((addr, _)) if addr.key.is_some() || !addr.module.is_root() => diags.push(
                Diagnostic::error(format!(
                    "cannot generate configuration for `{addr}`: only a resource without `count`, `for_each` or a module can be generated"
                ))
                .at(block.location.clone())
                .hint(format!("import to `{}.{}`, or write the resource block yourself", addr.type_name, addr.name)),
            ),
            Ok((addr, id)) => {
                let provider = block
                    .provider
                    .clone()
                    .unwrap_or_else(|| crate::config::implied_provider(&addr.type_name).to_string());
                out.push(Unconfigured {
                    addr,
                    id,
                    provider,
                    location: block.location.clone(),
                });
            }
            Err(d) => diags.push(d),
        }
    }
    diags.into_result()?;
    Ok(out)
}

/// The resource address (`aws_s3_bucket.b`) an import block's `to` names, without any index.
fn root_resource_of(to: &Expr) -> Option<String> {
    let Expression::Traversal(t) = &to.expr else {
        return None;
    };
    let Expression::Variable(root) = &t.expr else {
        return None;
    };
    let mut parts = vec![root.as_str().to_string()];
    for op in &t.operators {
        match op.value() {
            TraversalOperator::GetAttr(ident) => parts.push(ident.as_str().to_string()),
            _ => break,
        }
    }
    (parts.len() == 2 && parts[0] != "module").then(|| parts.join("."))
}

fn instances_of(
    block: &Import,
    values: &Values,
    stack: &Stack,
) -> Result<Vec<Instance>, Diagnostic> {
    let Some(for_each) = &block.for_each else {
        return Ok(vec![Instance::new(None, None)]);
    };
    let m = Evaluator::new(values, &stack.dir).eval_marked(for_each)?;
    for_each_instances(m, for_each)?.ok_or_else(|| {
        Diagnostic::error("the `for_each` of an `import` block must be known when planning")
            .at(for_each.location())
            .hint("import blocks can use variables and locals, not values known only after apply")
    })
}

/// The instance address `to` names, its index expressions evaluated (`aws_s3_bucket.b[each.key]`).
fn address(to: &Expr, ev: &mut Evaluator) -> Result<InstanceAddr, Diagnostic> {
    let bad = || {
        Diagnostic::error("`to` must be a resource instance address")
            .at(to.location())
            .hint("write it like `aws_s3_bucket.b`, `aws_s3_bucket.b[\"key\"]` or `module.m.aws_s3_bucket.b`")
    };
    let Expression::Traversal(t) = &to.expr else {
        return Err(bad());
    };
    let Expression::Variable(root) = &t.expr else {
        return Err(bad());
    };
    let mut text = root.as_str().to_string();
    for op in &t.operators {
        match op.value() {
            TraversalOperator::GetAttr(ident) => {
                text.push('.');
                text.push_str(ident.as_str());
            }
            TraversalOperator::LegacyIndex(i) => text.push_str(&format!("[{}]", i.value())),
            TraversalOperator::Index(e) => {
                let key = ev.eval(&Expr {
                    expr: e.clone(),
                    file: to.file.clone(),
                })?;
                match key {
                    Value::Number(n) if n >= 0.0 && n.fract() == 0.0 => {
                        text.push_str(&format!("[{}]", n as u64))
                    }
                    Value::String(s) => text.push_str(&format!(
                        "[{}]",
                        serde_json::to_string(&s).unwrap_or_default()
                    )),
                    Value::Unknown => {
                        return Err(Diagnostic::error(
                            "the key in an import block's `to` must be known when planning",
                        )
                        .at(to.location()))
                    }
                    other => {
                        return Err(Diagnostic::error(format!(
                            "an instance key must be a whole number or a string, got a {}",
                            other.kind_name()
                        ))
                        .at(to.location()))
                    }
                }
            }
            _ => return Err(bad()),
        }
    }
    let addr: InstanceAddr = text.parse().map_err(|_| bad())?;
    if addr.mode != Mode::Managed {
        return Err(Diagnostic::error(format!(
            "cannot import to `{addr}`: only managed resources can be imported"
        ))
        .at(to.location())
        .hint("a data source is read on every plan; import it as a `resource` instead"));
    }
    Ok(addr)
}

fn id_of(id: &Expr, ev: &mut Evaluator) -> Result<String, Diagnostic> {
    let m = ev.eval_marked(id)?;
    match m.value {
        Value::String(s) if !s.is_empty() => Ok(s),
        Value::Unknown => Err(Diagnostic::error(
            "the import `id` must be known when planning",
        )
        .at(id.location())
        .hint("use variables, locals or literal text; not attributes of resources not yet made")),
        Value::String(_) | Value::Null => Err(Diagnostic::error("the import `id` cannot be empty")
            .at(id.location())),
        other => Err(Diagnostic::error(format!(
            "the import `id` must be a string, got a {}",
            other.kind_name()
        ))
        .at(id.location())),
    }
}

/// The error when the configuration has no block for the target's resource.
fn undeclared(stack: &Stack, addr: &InstanceAddr, block: &Import) -> Option<Diagnostic> {
    if stack.resources.contains_key(&addr.resource_addr()) {
        return None;
    }
    Some(
        Diagnostic::error(format!(
            "configuration for import target `{addr}` does not exist"
        ))
        .at(block.location.clone())
        .hint(format!(
            "add a `resource \"{}\" \"{}\"` block with the object's arguments, or let `labform plan -generate-config-out=generated.tf` write it",
            addr.type_name, addr.name
        )),
    )
}

/// `provider` in an `import` block must be the configuration the resource itself uses.
fn other_provider(stack: &Stack, addr: &InstanceAddr, block: &Import) -> Option<Diagnostic> {
    let wanted = block.provider.as_ref()?;
    let used = &stack.resources.get(&addr.resource_addr())?.provider;
    (wanted != used).then(|| {
        Diagnostic::error(format!(
            "the import block for `{addr}` names provider `{wanted}`, but the resource uses `{used}`"
        ))
        .at(block.location.clone())
        .hint(format!("set `provider = {wanted}` in the resource block, or remove `provider` from the import block"))
    })
}
