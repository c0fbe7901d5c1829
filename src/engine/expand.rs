//! `count` and `for_each`: the instances a resource block expands into, and each instance's
//! configuration.

use labform_sdk::{BlockSchema, Value};
use labform_state::{IndexKey, InstanceAddr};

use super::{Engine, Expansion, Values};
use crate::config::{Expr, ResourceBlock};
use crate::diag::{Diagnostic, Diagnostics};
use crate::eval::{eval_body_marked, Evaluator, Marked};

/// One instance of a resource block: its key and `each.value`.
#[derive(Clone, Debug)]
pub struct Instance {
    pub key: Option<IndexKey>,
    pub each_value: Option<Value>,
    /// The sensitive parts of `each.value` (a map's values may be secrets; its keys may not).
    pub each_marks: crate::eval::Marks,
    /// Validation only: `count`/`for_each` is not known, so one stand-in instance is checked with
    /// `count.index` and `each` unknown.
    pub stand_in: bool,
}

impl Instance {
    pub fn new(key: Option<IndexKey>, each_value: Option<Value>) -> Self {
        Instance {
            key,
            each_value,
            each_marks: crate::eval::Marks::none(),
            stand_in: false,
        }
    }
}

pub fn instance_addr(r: &ResourceBlock, key: Option<IndexKey>) -> InstanceAddr {
    InstanceAddr {
        module: r.scope.path.clone(),
        mode: r.mode,
        type_name: r.type_name.clone(),
        name: r.name.clone(),
        key,
    }
}

impl Engine {
    /// The instances of `r`. `count`/`for_each` must be known; the error says which value is not
    /// and suggests `-target`.
    /// With `allow_unknown` (validation), an unknown `count`/`for_each` gives one stand-in.
    pub fn expand(
        &self,
        r: &ResourceBlock,
        values: &Values,
        allow_unknown: bool,
    ) -> Result<(Expansion, Vec<Instance>), Diagnostic> {
        let stand_in = || {
            (
                Expansion::Unknown,
                vec![Instance {
                    key: None,
                    each_value: Some(Value::Unknown),
                    each_marks: crate::eval::Marks::none(),
                    stand_in: true,
                }],
            )
        };
        if let Some(count) = &r.count {
            let v = self.eval_meta(r, count, values)?.value;
            let n = match v {
                Value::Number(n) if n >= 0.0 && n.fract() == 0.0 => n as i64,
                Value::Unknown if allow_unknown => return Ok(stand_in()),
                Value::Unknown => return Err(unknown_expansion("count", r, count)),
                Value::String(s) if s.parse::<u32>().is_ok() => s.parse::<i64>().unwrap_or(0),
                other => {
                    return Err(Diagnostic::error(format!(
                        "`count` must be a whole number of zero or more, got a {}",
                        other.kind_name()
                    ))
                    .at(count.location()))
                }
            };
            let instances = (0..n)
                .map(|i| Instance::new(Some(IndexKey::Int(i)), None))
                .collect();
            return Ok((Expansion::Count, instances));
        }
        if let Some(for_each) = &r.for_each {
            let m = self.eval_meta(r, for_each, values)?;
            return match for_each_instances(m, for_each)? {
                Some(instances) => Ok((Expansion::ForEach, instances)),
                None if allow_unknown => Ok(stand_in()),
                None => Err(unknown_expansion("for_each", r, for_each)),
            };
        }
        Ok((Expansion::Single, vec![Instance::new(None, None)]))
    }

    fn eval_meta(
        &self,
        r: &ResourceBlock,
        expr: &Expr,
        values: &Values,
    ) -> Result<Marked, Diagnostic> {
        let mut ev = Evaluator::scoped(values, &self.stack.dir, &r.scope);
        ev.eval_marked(expr)
    }

    /// Evaluates the configuration of one instance against its schema.
    pub fn instance_config(
        &self,
        r: &ResourceBlock,
        instance: &Instance,
        schema: &BlockSchema,
        values: &Values,
    ) -> Result<Value, Diagnostics> {
        self.instance_config_marked(r, instance, schema, values)
            .map(|m| m.value)
    }

    /// [`Engine::instance_config`] with the marks of its sensitive parts.
    pub fn instance_config_marked(
        &self,
        r: &ResourceBlock,
        instance: &Instance,
        schema: &BlockSchema,
        values: &Values,
    ) -> Result<Marked, Diagnostics> {
        let mut ev = self.instance_evaluator(r, instance, values);
        let what = format!("`{}`", instance_addr(r, instance.key.clone()));
        eval_body_marked(&mut ev, &r.body, schema, &what, r.location.clone())
    }

    /// An evaluator for expressions of one instance: its module scope, `each` and `count`.
    pub fn instance_evaluator<'v>(
        &self,
        r: &ResourceBlock,
        instance: &Instance,
        values: &'v Values,
    ) -> Evaluator<'v> {
        let mut ev = Evaluator::scoped(values, &self.stack.dir, &r.scope);
        bind_instance(&mut ev, instance);
        ev
    }
}

/// Binds `count.index` or `each` of `instance` in `ev`.
pub fn bind_instance(ev: &mut Evaluator, instance: &Instance) {
    if instance.stand_in {
        ev.count_index = Some(Value::Unknown);
        ev.each = Some((Value::Unknown, Value::Unknown.into()));
    }
    match (&instance.key, &instance.each_value) {
        (Some(IndexKey::Str(k)), Some(v)) => {
            ev.each = Some((
                Value::String(k.clone()),
                Marked::new(v.clone(), instance.each_marks.clone()),
            ))
        }
        (Some(IndexKey::Int(i)), _) => ev.count_index = Some(Value::Number(*i as f64)),
        _ => {}
    }
}

/// The instances a `for_each` value makes (a map, or a set of strings); `Ok(None)` when the
/// value or one of its keys is not known yet.
pub fn for_each_instances(m: Marked, for_each: &Expr) -> Result<Option<Vec<Instance>>, Diagnostic> {
    // Instance keys are printed in every address: they cannot be secrets (Terraform
    // refuses the same).
    let sensitive_keys = m.marks.is_whole() || (matches!(m.value, Value::List(_)) && m.is_marked());
    if sensitive_keys {
        return Err(Diagnostic::error(
                "`for_each` cannot use sensitive values: its keys become instance addresses, which are printed",
            )
            .at(for_each.location())
            .hint("use `nonsensitive(...)` on the keys if they are not secret, or key the instances by something that is not"));
    }
    let each_marks = m.marks;
    let v = m.value;
    let pairs: Vec<(String, Value)> = match v {
        Value::Object(map) => map.into_iter().collect(),
        Value::List(items) => {
            let mut keys = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Value::String(s) => keys.push((s.clone(), Value::String(s))),
                    Value::Unknown => return Ok(None),
                    other => {
                        return Err(Diagnostic::error(format!(
                            "`for_each` over a set needs strings, got a {}",
                            other.kind_name()
                        ))
                        .at(for_each.location())
                        .hint("use `toset([...])` of strings, or a map"))
                    }
                }
            }
            keys.sort_by(|a, b| a.0.cmp(&b.0));
            keys.dedup_by(|a, b| a.0 == b.0);
            keys
        }
        Value::Unknown => return Ok(None),
        Value::Null => {
            return Err(Diagnostic::error("`for_each` cannot be null")
                .at(for_each.location())
                .hint("use an empty map `{}` for no instances"))
        }
        other => {
            return Err(Diagnostic::error(format!(
                "`for_each` needs a map or a set of strings, got a {}",
                other.kind_name()
            ))
            .at(for_each.location()))
        }
    };
    let instances = pairs
        .into_iter()
        .map(|(k, v)| Instance {
            each_marks: each_marks.child(&k),
            ..Instance::new(Some(IndexKey::Str(k)), Some(v))
        })
        .collect();
    Ok(Some(instances))
}

fn unknown_expansion(meta: &str, r: &ResourceBlock, expr: &Expr) -> Diagnostic {
    let refs = {
        let mut found = Vec::new();
        crate::eval::refs::in_expr(&expr.expr, &mut found);
        found
            .into_iter()
            .filter_map(|f| match f.reference {
                crate::eval::refs::Reference::Resource(mode, t, n) => Some(format!(
                    "{}{}",
                    r.scope.prefix,
                    crate::config::resource_address(mode, &t, &n)
                )),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    let target = refs.first().cloned().unwrap_or_else(|| "ADDRESS".into());
    Diagnostic::error(format!(
        "the `{meta}` of `{}` depends on values known only after apply",
        r.address()
    ))
    .at(expr.location())
    .detail(format!("labform must know how many instances to plan before anything is created{}",
        if refs.is_empty() { String::new() } else { format!("; it depends on {}", refs.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")) }))
    .hint(format!("apply the resources it depends on first with `labform apply -target={target}`, then apply the rest"))
}
