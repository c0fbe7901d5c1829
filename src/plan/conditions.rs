//! Custom conditions, as Terraform evaluates them: `precondition` before an instance is planned
//! (false fails the plan), `postcondition` against its planned value when known and again after
//! apply (false fails), and `check` block assertions (false is only a warning). A condition
//! whose value is not known yet passes for now.

use labform_sdk::Value;

use crate::config::{ResourceBlock, Stack, Validation};
use crate::diag::{Diagnostic, Diagnostics};
use crate::engine::expand::{instance_addr, Instance};
use crate::engine::{Engine, Values};
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

/// Checks every `check` block's assertions against `values`; each false one is a warning.
pub fn check_blocks(stack: &Stack, values: &Values) -> Diagnostics {
    let mut diags = Diagnostics::new();
    for check in &stack.checks {
        for a in &check.asserts {
            let mut ev = Evaluator::new(values, &stack.dir);
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
    }
    diags
}
