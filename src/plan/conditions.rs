//! Custom conditions, as Terraform evaluates them: `precondition` before an instance is planned
//! (false fails the plan), `postcondition` against its planned value when known and again after
//! apply (false fails), and `check` block assertions (false is only a warning). A condition
//! whose value is not known yet passes for now.

use std::collections::BTreeSet;

use labform_sdk::Value;

use crate::config::{resource_address, Check, Mode, ResourceBlock, Stack, Validation};
use crate::diag::{Diagnostic, Diagnostics};
use crate::engine::expand::{instance_addr, Instance};
use crate::engine::sensitive::{schema_marks, widen};
use crate::engine::{Engine, Expansion, Values};
use crate::eval::marks::{scrub, secret_texts};
use crate::eval::refs::{self, Reference};
use crate::eval::{Evaluator, Marked};

/// Which conditions of a resource to check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    Pre,
    Post,
}

/// Evaluates one condition: `Ok(None)` when it holds or is not known yet, `Ok(Some(message))`
/// when it is false.
fn evaluate(ev: &mut Evaluator, c: &Validation) -> Result<Option<String>, Diagnostic> {
    match ev.eval(&c.condition)? {
        Value::Bool(true) | Value::Unknown | Value::Null => Ok(None),
        Value::Bool(false) => Ok(Some(match ev.eval_marked(&c.error_message) {
            // Terraform does not show an error message that holds a sensitive value.
            Ok(m) if m.is_marked() => {
                "the error message refers to sensitive values, so it is not shown".to_string()
            }
            Ok(Marked {
                value: Value::String(s),
                ..
            }) => s,
            Ok(Marked {
                value: Value::Unknown,
                ..
            }) => "the error message is not known yet".to_string(),
            Ok(other) => other.value.to_string(),
            Err(d) => return Err(d),
        })),
        other => Err(Diagnostic::error(format!(
            "a condition must be a bool, got a {}",
            other.kind_name()
        ))
        .at(c.condition.location())),
    }
}

/// Checks one instance's pre- or postconditions; `self_value` is what `self` refers to
/// (postconditions only). Each false one is an error carrying its `error_message`.
pub fn check_resource(
    engine: &Engine,
    r: &ResourceBlock,
    instance: &Instance,
    values: &Values,
    when: When,
    self_value: Option<&Value>,
) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let (conditions, what) = match when {
        When::Pre => (&r.lifecycle.preconditions, "precondition"),
        When::Post => (&r.lifecycle.postconditions, "postcondition"),
    };
    if conditions.is_empty() {
        return diags;
    }
    let addr = instance_addr(r, instance.key.clone());
    for c in conditions {
        let mut ev = engine.instance_evaluator(r, instance, values);
        ev.self_value = self_value.cloned();
        match evaluate(&mut ev, c) {
            Ok(None) => {}
            Ok(Some(message)) => diags.push(
                Diagnostic::error(format!("resource {what} failed for `{addr}`"))
                    .at(c.condition.location())
                    .detail(message),
            ),
            Err(d) => diags.push(d),
        }
    }
    diags
}

/// Checks every `check` block against `values`: its scoped data source is read first (with
/// `read` false, as in `validate`, it is unknown), then its assertions; each false assertion,
/// and a data source that cannot be read, is a warning. A data source whose configuration is
/// not known yet, or that refers to a resource with a change still to make (`pending`), is
/// read during apply, as Terraform does; its assertions wait for it.
pub async fn check_blocks(
    engine: &Engine,
    values: &Values,
    read: bool,
    pending: &dyn Fn(&str) -> bool,
) -> Diagnostics {
    let mut diags = Diagnostics::new();
    for check in &engine.stack.checks {
        if let Some(r) = &check.data {
            let read_failed = read_scoped(engine, r, values, read, pending).await.err();
            if let Some(d) = read_failed {
                diags.push(d.into_warning().hint(format!(
                    "in check `{}`: its assertions were not evaluated",
                    check.name
                )));
            } else {
                diags.extend(assertions(engine, check, values));
            }
            // Scoped: nothing outside the check sees what it read.
            values.remove(&instance_addr(r, None));
        } else {
            diags.extend(assertions(engine, check, values));
        }
    }
    diags
}

/// A check's assertions; each false one, or one that cannot be evaluated, is a warning.
fn assertions(engine: &Engine, check: &Check, values: &Values) -> Diagnostics {
    let mut diags = Diagnostics::new();
    for a in &check.asserts {
        let mut ev = Evaluator::new(values, &engine.stack.dir);
        let d = match evaluate(&mut ev, a) {
            Ok(None) => continue,
            Ok(Some(message)) => {
                Diagnostic::warning(format!("check block assertion failed: `{}`", check.name))
                    .at(a.condition.location())
                    .detail(message)
            }
            // As Terraform: an assertion that cannot be evaluated is a warning too.
            Err(d) => d.into_warning().hint(format!("in check `{}`", check.name)),
        };
        diags.push(d);
    }
    diags
}

/// Reads a check's scoped data source into `values` (unknown when it cannot be read yet).
async fn read_scoped(
    engine: &Engine,
    r: &ResourceBlock,
    values: &Values,
    read: bool,
    pending: &dyn Fn(&str) -> bool,
) -> Result<(), Diagnostic> {
    let addr = instance_addr(r, None);
    values.declare(&r.address(), Expansion::Single);
    values.set(&addr, Value::Unknown);
    let Some((_, schema)) = engine.registry.schema(Mode::Data, &r.type_name) else {
        return Err(
            Diagnostic::error(format!("no data source `{}` is built in", r.type_name))
                .at(r.location.clone()),
        );
    };
    let config = engine
        .instance_config_marked(r, &Instance::new(None, None), schema, values)
        .map_err(first_error)?;
    let waits = referenced_resources(&engine.stack, r)
        .iter()
        .any(|a| pending(a));
    if !read || waits || !config.value.is_wholly_known() {
        return Ok(());
    }
    let ds = engine
        .data_source_impl(&r.provider, &r.type_name, values)
        .await?;
    let object = ds.read(&config.value).await.map_err(|e| {
        let secrets = secret_texts(&config.value, &config.marks);
        Diagnostic::error(format!("reading `{addr}`: {}", scrub(&e.message, &secrets)))
            .at(r.location.clone())
            .maybe_hint(e.hint)
    })?;
    let mut marks = config.marks.clone();
    marks.union(&schema_marks(schema, &object));
    widen(&object, &mut marks);
    values.set(&addr, object);
    values.mark(&addr, marks);
    Ok(())
}

/// The resources a scoped data block refers to, directly or through locals (it is not in the
/// dependency graph: nothing may depend on it).
fn referenced_resources(stack: &Stack, r: &ResourceBlock) -> BTreeSet<String> {
    let mut found = Vec::new();
    refs::in_body(&r.body.body, &mut found);
    let mut out = BTreeSet::new();
    let mut seen_locals = BTreeSet::new();
    while let Some(f) = found.pop() {
        match f.reference {
            Reference::Resource(mode, t, n) => {
                out.insert(format!(
                    "{}{}",
                    r.scope.prefix,
                    resource_address(mode, &t, &n)
                ));
            }
            Reference::Local(name) => {
                let key = format!("{}{name}", r.scope.prefix);
                if seen_locals.insert(key.clone()) {
                    if let Some(local) = stack.locals.get(&key) {
                        refs::in_expr(&local.expr.expr, &mut found);
                    }
                }
            }
            Reference::Variable(_) | Reference::Module(..) => {}
        }
    }
    out
}

fn first_error(d: Diagnostics) -> Diagnostic {
    d.0.into_iter()
        .next()
        .unwrap_or_else(|| Diagnostic::error("the data source's configuration is invalid"))
}
