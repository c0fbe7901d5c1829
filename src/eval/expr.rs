//! Evaluation of each expression form.

use std::collections::BTreeMap;

use hcl_edit::expr::{Expression, ForExpr, ObjectKey};
use hcl_edit::Span;
use labform_sdk::Value;

use super::functions::{self, FunctionContext};
use super::{EvalError, EvalResult, Evaluator};
use crate::suggest::did_you_mean;

impl Evaluator<'_> {
    pub(crate) fn eval_expr(&mut self, expr: &Expression) -> EvalResult {
        match expr {
            Expression::Null(_) => Ok(Value::Null),
            Expression::Bool(b) => Ok(Value::Bool(*b.value())),
            Expression::Number(n) => n
                .value()
                .as_f64()
                .map(Value::Number)
                .ok_or_else(|| EvalError::new("number out of range", expr.span())),
            Expression::String(s) => Ok(Value::String(s.value().to_string())),
            Expression::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items.iter() {
                    out.push(self.eval_expr(item)?);
                }
                Ok(Value::List(out))
            }
            Expression::Object(obj) => {
                let mut out = BTreeMap::new();
                let mut unknown_key = false;
                for (key, value) in obj.iter() {
                    let k = match key {
                        ObjectKey::Ident(i) => i.as_str().to_string(),
                        ObjectKey::Expression(e) => match self.eval_expr(e)? {
                            Value::String(s) => s,
                            Value::Number(n) => labform_sdk::value::format_number(n),
                            Value::Bool(b) => b.to_string(),
                            Value::Unknown => {
                                unknown_key = true;
                                continue;
                            }
                            other => {
                                return Err(EvalError::new(
                                    format!(
                                        "object keys must be strings, got a {}",
                                        other.kind_name()
                                    ),
                                    e.span(),
                                ))
                            }
                        },
                    };
                    let v = self.eval_expr(value.expr())?;
                    out.insert(k, v);
                }
                Ok(if unknown_key {
                    Value::Unknown
                } else {
                    Value::Object(out)
                })
            }
            Expression::StringTemplate(t) => self.eval_template(t.iter(), expr.span()),
            Expression::HeredocTemplate(h) => self.eval_template(h.template.iter(), expr.span()),
            Expression::Parenthesis(p) => self.eval_expr(p.inner()),
            Expression::Variable(_) | Expression::Traversal(_) => self.eval_traversal(expr),
            Expression::Conditional(c) => match self.eval_expr(&c.cond_expr)? {
                Value::Bool(true) => self.eval_expr(&c.true_expr),
                Value::Bool(false) => self.eval_expr(&c.false_expr),
                Value::Unknown => Ok(Value::Unknown),
                Value::String(s) if s == "true" || s == "false" => {
                    if s == "true" {
                        self.eval_expr(&c.true_expr)
                    } else {
                        self.eval_expr(&c.false_expr)
                    }
                }
                other => Err(EvalError::new(
                    format!("the condition must be a bool, got {}", short(&other)),
                    c.cond_expr.span(),
                )),
            },
            Expression::FuncCall(call) => self.eval_call(call, expr.span()),
            Expression::UnaryOp(op) => {
                let v = self.eval_expr(&op.expr)?;
                super::ops::unary(*op.operator.value(), v)
                    .map_err(|m| EvalError::new(m, expr.span()))
            }
            Expression::BinaryOp(op) => {
                let lhs = self.eval_expr(&op.lhs_expr)?;
                let rhs = self.eval_expr(&op.rhs_expr)?;
                super::ops::binary(*op.operator.value(), lhs, rhs)
                    .map_err(|m| EvalError::new(m, expr.span()))
            }
            Expression::ForExpr(f) => self.eval_for(f, expr.span()),
        }
    }

    fn eval_call(
        &mut self,
        call: &hcl_edit::expr::FuncCall,
        span: Option<std::ops::Range<usize>>,
    ) -> EvalResult {
        let name = call.name.name.as_str();
        if call.name.is_namespaced() {
            return Err(EvalError::new(
                format!(
                    "provider-defined functions (`{}`) are not supported",
                    call.name.name.as_str()
                ),
                span,
            ));
        }
        match name {
            "try" => {
                let mut last = None;
                for arg in call.args.iter() {
                    match self.eval_expr(arg) {
                        Ok(v) => return Ok(v),
                        Err(e) => last = Some(e),
                    }
                }
                return Err(last
                    .unwrap_or_else(|| EvalError::new("`try` needs at least one argument", span)));
            }
            "can" => {
                let arg = call
                    .args
                    .iter()
                    .next()
                    .ok_or_else(|| EvalError::new("`can` takes one argument", span))?;
                return Ok(match self.eval_expr(arg) {
                    Ok(Value::Unknown) => Value::Unknown,
                    Ok(_) => Value::Bool(true),
                    Err(_) => Value::Bool(false),
                });
            }
            _ => {}
        }
        if functions::is_impure(name) && self.lookup.planning() {
            return Ok(Value::Unknown);
        }
        let mut args = Vec::with_capacity(call.args.len());
        for arg in call.args.iter() {
            args.push(self.eval_expr(arg)?);
        }
        if call.args.expand_final() {
            match args.pop() {
                Some(Value::List(rest)) => args.extend(rest),
                Some(Value::Unknown) => return Ok(Value::Unknown),
                _ => {
                    return Err(EvalError::new(
                        "the final argument before `...` must be a list",
                        span,
                    ))
                }
            }
        }
        let base_dir = self.base_dir.clone();
        let lookup = self.lookup;
        let render = move |text: &str, vars: &BTreeMap<String, Value>| -> Result<Value, String> {
            let template = hcl_edit::parser::parse_template(text).map_err(|e| {
                format!(
                    "invalid template at line {}, column {}: {}",
                    e.location().line(),
                    e.location().column(),
                    e.message()
                )
            })?;
            let mut ev = Evaluator::new(lookup, &base_dir);
            ev.bindings = vars.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            ev.template_only = true;
            ev.eval_template(template.iter(), None)
                .map_err(|e| e.message)
        };
        let ctx = FunctionContext {
            base_dir: &self.base_dir,
            render_template: &render,
        };
        functions::call(name, args, &ctx).map_err(|e| {
            let at = e
                .arg
                .and_then(|i| call.args.get(i))
                .and_then(|a| a.span())
                .or(span.clone());
            let hint =
                if e.message.contains("unknown function") || e.message.contains("no function") {
                    did_you_mean(name, functions::names().iter().copied(), |s| {
                        format!("{s}(...)")
                    })
                } else {
                    None
                };
            EvalError::new(format!("in `{name}(...)`: {}", e.message), at).hint(hint)
        })
    }

    fn eval_for(&mut self, f: &ForExpr, span: Option<std::ops::Range<usize>>) -> EvalResult {
        let collection = self.eval_expr(&f.intro.collection_expr)?;
        let pairs: Vec<(Value, Value)> = match collection {
            Value::Unknown => return Ok(Value::Unknown),
            Value::List(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (Value::Number(i as f64), v))
                .collect(),
            Value::Object(map) => map
                .into_iter()
                .map(|(k, v)| (Value::String(k), v))
                .collect(),
            Value::Null => {
                return Err(EvalError::new(
                    "cannot iterate over a null value",
                    f.intro.collection_expr.span(),
                )
                .hint(Some(
                    "use `coalesce(x, [])` or a conditional to give it a default".into(),
                )))
            }
            other => {
                return Err(EvalError::new(
                    format!(
                        "a `for` expression needs a list, set, map or object, got {}",
                        short(&other)
                    ),
                    f.intro.collection_expr.span(),
                ))
            }
        };
        let key_var = f.intro.key_var.as_ref().map(|k| k.as_str().to_string());
        let value_var = f.intro.value_var.as_str().to_string();
        let mut list = Vec::new();
        let mut object: BTreeMap<String, Value> = BTreeMap::new();
        let mut grouped: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        let mut any_unknown = false;
        for (k, v) in pairs {
            let mut bound = 1;
            if let Some(kv) = &key_var {
                self.bind(kv, k);
                bound += 1;
            }
            self.bind(&value_var, v);
            let result = self.for_element(
                f,
                &mut list,
                &mut object,
                &mut grouped,
                &mut any_unknown,
                span.clone(),
            );
            self.unbind(bound);
            result?;
        }
        if any_unknown {
            return Ok(Value::Unknown);
        }
        Ok(match (&f.key_expr, f.grouping) {
            (None, _) => Value::List(list),
            (Some(_), false) => Value::Object(object),
            (Some(_), true) => Value::Object(
                grouped
                    .into_iter()
                    .map(|(k, v)| (k, Value::List(v)))
                    .collect(),
            ),
        })
    }

    fn for_element(
        &mut self,
        f: &ForExpr,
        list: &mut Vec<Value>,
        object: &mut BTreeMap<String, Value>,
        grouped: &mut BTreeMap<String, Vec<Value>>,
        any_unknown: &mut bool,
        span: Option<std::ops::Range<usize>>,
    ) -> Result<(), EvalError> {
        if let Some(cond) = &f.cond {
            match self.eval_expr(&cond.expr)? {
                Value::Bool(true) => {}
                Value::Bool(false) => return Ok(()),
                Value::Unknown => {
                    *any_unknown = true;
                    return Ok(());
                }
                other => {
                    return Err(EvalError::new(
                        format!("the `if` clause must be a bool, got {}", short(&other)),
                        cond.expr.span(),
                    ))
                }
            }
        }
        let value = self.eval_expr(&f.value_expr)?;
        match &f.key_expr {
            None => list.push(value),
            Some(key_expr) => {
                let key = match self.eval_expr(key_expr)? {
                    Value::String(s) => s,
                    Value::Number(n) => labform_sdk::value::format_number(n),
                    Value::Bool(b) => b.to_string(),
                    Value::Unknown => {
                        *any_unknown = true;
                        return Ok(());
                    }
                    other => {
                        return Err(EvalError::new(
                            format!("object keys must be strings, got {}", short(&other)),
                            key_expr.span(),
                        ))
                    }
                };
                if f.grouping {
                    grouped.entry(key).or_default().push(value);
                } else {
                    match object.entry(key) {
                        std::collections::btree_map::Entry::Occupied(e) => {
                            return Err(EvalError::new(format!("duplicate object key `{}`", e.key()), span).hint(Some(
                                "add `...` after the value expression to group values with the same key".into(),
                            )));
                        }
                        std::collections::btree_map::Entry::Vacant(e) => {
                            e.insert(value);
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// A short description of a value for messages (never more than a few characters of content).
pub(crate) fn short(value: &Value) -> String {
    match value {
        Value::String(s) if s.chars().count() <= 30 => format!("the string {s:?}"),
        Value::String(_) => "a string".into(),
        Value::Number(n) => format!("the number {}", labform_sdk::value::format_number(*n)),
        Value::Bool(b) => format!("the bool {b}"),
        Value::Null => "null".into(),
        Value::List(items) => format!("a list of {} elements", items.len()),
        other => format!("a {}", other.kind_name()),
    }
}
