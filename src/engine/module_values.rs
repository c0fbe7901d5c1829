//! Module inputs and outputs as values: an input is the call's argument evaluated in the calling
//! module (with that instance's `each`/`count`), converted to the declared type, defaulted and
//! validated; `module.NAME` is an object of the instance's outputs. Sensitivity crosses the
//! boundary both ways: a secret argument stays marked inside, a `sensitive` input is marked as a
//! whole, and an output is marked when declared `sensitive` or computed from a secret.

use std::collections::BTreeMap;

use labform_sdk::Value;

use super::values::{CacheKind, Values};
use crate::config::{CallShape, ModuleVar};
use crate::diag::Diagnostic;
use crate::eval::{eval_const, Evaluator, Marked, Marks};

impl Values {
    /// The input `key` (`module.a.region`) of a module instance; `None` when not declared.
    pub(super) fn module_input(&self, key: &str) -> Option<Result<Marked, Diagnostic>> {
        if let Some(v) = self.cached(CacheKind::Input, key) {
            return Some(Ok(v));
        }
        let mv = self.stack.module_vars.get(key)?;
        let value = match self.input_value(mv) {
            Ok(v) => v,
            Err(d) => return Some(Err(d)),
        };
        self.remember(CacheKind::Input, key.to_string(), &value);
        let first = self
            .validating
            .lock()
            .map(|mut v| v.insert(key.to_string()))
            .unwrap_or(false);
        if first {
            let checked = self.validate_input(mv);
            if let Ok(mut v) = self.validating.lock() {
                v.remove(key);
            }
            if let Err(d) = checked {
                return Some(Err(d));
            }
        }
        Some(Ok(value))
    }

    fn input_value(&self, mv: &ModuleVar) -> Result<Marked, Diagnostic> {
        let decl = &mv.decl;
        let given = match &mv.arg {
            Some(arg) => {
                let mut ev = Evaluator::scoped(self, &self.stack.dir, &mv.caller);
                ev.each = mv.each.clone();
                ev.count_index = mv.count_index.clone();
                Some(ev.eval_marked(arg)?)
            }
            None => None,
        };
        let at = mv
            .arg
            .as_ref()
            .and_then(|a| a.location())
            .or(decl.location.clone());
        // Terraform: an omitted input takes the default; a null one stays null unless the
        // variable is `nullable = false`, which then takes the default (or is an error).
        let use_default = match &given {
            None => true,
            Some(m) => m.value.is_null() && !decl.nullable,
        };
        let mut value = match given {
            Some(m) if !use_default => m,
            _ => match &decl.default {
                Some(d) => Marked::plain(eval_const(&d.expr).map_err(|e| {
                    Diagnostic::error(format!("invalid default for variable `{}`: {e}", decl.name))
                        .at(d.location())
                })?),
                None if mv.arg.is_some() => return Err(Diagnostic::error(format!(
                    "input `{}` of `{}` must not be null",
                    decl.name, mv.scope.path
                ))
                .at(at)
                .hint(
                    "the variable is declared `nullable = false` and has no default: pass a value",
                )),
                None => Marked::plain(Value::Null),
            },
        };
        if let Some(ty) = &decl.ty {
            value.value = ty.convert(&value.value).map_err(|msg| {
                Diagnostic::error(format!(
                    "invalid value for input `{}` of `{}`: {msg}",
                    decl.name, mv.scope.path
                ))
                .at(at.clone())
            })?;
        }
        if decl.sensitive {
            value.marks = Marks::whole();
        }
        Ok(value)
    }

    fn validate_input(&self, mv: &ModuleVar) -> Result<(), Diagnostic> {
        for v in &mv.decl.validations {
            let mut ev = Evaluator::scoped(self, &self.stack.dir, &mv.scope);
            match ev.eval(&v.condition)? {
                Value::Bool(true) | Value::Unknown => {}
                Value::Bool(false) => {
                    let msg = match ev.eval_marked(&v.error_message) {
                        Ok(m) if m.is_marked() => {
                            "the error message refers to sensitive values, so it is not shown"
                                .into()
                        }
                        Ok(Marked {
                            value: Value::String(s),
                            ..
                        }) => s,
                        _ => "the value is not valid".to_string(),
                    };
                    return Err(Diagnostic::error(format!(
                        "invalid value for input `{}` of `{}`",
                        mv.decl.name, mv.scope.path
                    ))
                    .at(mv
                        .arg
                        .as_ref()
                        .and_then(|a| a.location())
                        .or(v.condition.location()))
                    .detail(msg));
                }
                other => {
                    return Err(Diagnostic::error(format!(
                        "a validation condition must be a bool, got a {}",
                        other.kind_name()
                    ))
                    .at(v.condition.location()))
                }
            }
        }
        Ok(())
    }

    /// The output `key` (`module.a.bucket`) of a module instance.
    fn module_output(&self, key: &str) -> Option<Result<Marked, Diagnostic>> {
        if let Some(v) = self.cached(CacheKind::Output, key) {
            return Some(Ok(v));
        }
        let o = self.stack.module_outputs.get(key)?;
        let mut ev = Evaluator::scoped(self, &self.stack.dir, &o.scope);
        let mut m = match ev.eval_marked(&o.value) {
            Ok(m) => m,
            Err(d) => return Some(Err(d)),
        };
        if m.is_marked() && !o.sensitive {
            return Some(Err(Diagnostic::error(format!(
                "output `{}` of `{}` refers to sensitive values",
                o.name, o.scope.path
            ))
            .at(o.value.location())
            .detail("an output that shows a sensitive value must say so, so that it is never printed by accident")
            .hint("add `sensitive = true` to the output block, or wrap the value in `nonsensitive(...)` if you are sure")));
        }
        if o.sensitive {
            m.marks = Marks::whole();
        }
        self.remember(CacheKind::Output, key.to_string(), &m);
        Some(Ok(m))
    }

    /// `module.NAME` for the call `key` (`module.a`, `module.a.module.b`).
    pub(super) fn module_call(&self, key: &str) -> Option<Result<Marked, Diagnostic>> {
        let call = self.stack.calls.get(key)?;
        let one = |prefix: &str| -> Result<Marked, Diagnostic> {
            let mut map = BTreeMap::new();
            let mut marks = Marks::none();
            for name in &call.outputs {
                if let Some(m) = self.module_output(&format!("{prefix}{name}")) {
                    let m = m?;
                    marks.nest(name, &m.marks);
                    map.insert(name.clone(), m.value);
                }
            }
            Ok(Marked::new(Value::Object(map), marks))
        };
        let result = (|| match call.shape {
            CallShape::Single => match call.instances.first() {
                Some((_, scope)) => one(&scope.prefix),
                None => Ok(Value::Unknown.into()),
            },
            CallShape::Count => {
                let mut items = Vec::new();
                let mut marks = Marks::none();
                for (i, (_, scope)) in call.instances.iter().enumerate() {
                    let m = one(&scope.prefix)?;
                    marks.nest(&i.to_string(), &m.marks);
                    items.push(m.value);
                }
                Ok(Marked::new(Value::List(items), marks))
            }
            CallShape::ForEach => {
                let mut map = BTreeMap::new();
                let mut marks = Marks::none();
                for (key, scope) in &call.instances {
                    let k = match key {
                        Some(labform_state::IndexKey::Str(s)) => s.clone(),
                        Some(labform_state::IndexKey::Int(i)) => i.to_string(),
                        None => continue,
                    };
                    let m = one(&scope.prefix)?;
                    marks.nest(&k, &m.marks);
                    map.insert(k, m.value);
                }
                Ok(Marked::new(Value::Object(map), marks))
            }
        })();
        Some(result)
    }
}
