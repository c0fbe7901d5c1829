//! Evaluation of each expression form.

use std::collections::BTreeMap;

use hcl_edit::expr::{Expression, ForExpr, ObjectKey};
use hcl_edit::Span;

use super::functions::unify::conform;
use labform_sdk::Value;

use super::functions::{self, FunctionContext};
use super::marks::{scrub, secret_texts};
use super::{EvalError, EvalResult, Evaluator, Marked, Marks};
use crate::suggest::did_you_mean;

impl Evaluator<'_> {
    pub(crate) fn eval_expr(&mut self, expr: &Expression) -> EvalResult {
        match expr {
            Expression::Null(_) => Ok(Value::Null.into()),
            Expression::Bool(b) => Ok(Value::Bool(*b.value()).into()),
            Expression::Number(n) => n
                .value()
                .as_f64()
                .map(|n| Value::Number(n).into())
                .ok_or_else(|| EvalError::new("number out of range", expr.span())),
            Expression::String(s) => Ok(Value::String(s.value().to_string()).into()),
            Expression::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                let mut marks = Marks::none();
                for (i, item) in items.iter().enumerate() {
                    let m = self.eval_expr(item)?;
                    marks.nest(&i.to_string(), &m.marks);
                    out.push(m.value);
                }
                Ok(Marked::new(Value::List(out), marks))
            }
            Expression::Object(obj) => self.eval_object(obj),
            Expression::StringTemplate(t) => self.eval_template(t.iter(), expr.span()),
            Expression::HeredocTemplate(h) => self.eval_template(h.template.iter(), expr.span()),
            Expression::Parenthesis(p) => self.eval_expr(p.inner()),
            Expression::Variable(_) | Expression::Traversal(_) => self.eval_traversal(expr),
            Expression::Conditional(c) => {
                let cond = self.eval_expr(&c.cond_expr)?;
                // A sensitive condition makes the choice, and so the result, sensitive.
                let cond_marks = cond.marks.collapsed();
                let pick = match &cond.value {
                    Value::Bool(b) => Some(*b),
                    Value::Unknown => None,
                    Value::String(s) if s == "true" => Some(true),
                    Value::String(s) if s == "false" => Some(false),
                    _ => {
                        return Err(EvalError::new(
                            format!("the condition must be a bool, got {}", describe(&cond)),
                            c.cond_expr.span(),
                        ))
                    }
                };
                let Some(pick) = pick else {
                    return Ok(Marked::plain(Value::Unknown).with(&cond_marks));
                };
                let (chosen, other) = if pick {
                    (&c.true_expr, &c.false_expr)
                } else {
                    (&c.false_expr, &c.true_expr)
                };
                let mut result = self.eval_expr(chosen)?;
                // Both results unify to one type (`true ? 1 : "2"` is `"1"`); the other result
                // only gives its type, so an error in it is not this expression's error.
                if let Ok(other) = self.eval_expr(other) {
                    result.value = conform(std::mem::replace(&mut result.value, Value::Null), &other.value)
                        .map_err(|(mine, theirs)| {
                            let (t, f) = if pick { (mine, theirs) } else { (theirs, mine) };
                            EvalError::new(
                                format!("inconsistent conditional result types: the true result is {t}, the false result is {f}"),
                                expr.span(),
                            )
                            .hint(Some("convert one result, e.g. with `tostring(...)`, so that both have one type".into()))
                        })?;
                }
                Ok(result.with(&cond_marks))
            }
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

    fn eval_object(&mut self, obj: &hcl_edit::expr::Object) -> EvalResult {
        let mut out = BTreeMap::new();
        let mut marks = Marks::none();
        // A sensitive key marks the whole object: its keys are visible wherever it is.
        let mut key_marks = Marks::none();
        let mut unknown_key = false;
        for (key, value) in obj.iter() {
            let k = match key {
                ObjectKey::Ident(i) => i.as_str().to_string(),
                ObjectKey::Expression(e) => {
                    let k = self.eval_expr(e)?;
                    key_marks.union(&k.marks.collapsed());
                    match k.value {
                        Value::String(s) => s,
                        Value::Number(n) => labform_sdk::value::format_number(n),
                        Value::Bool(b) => b.to_string(),
                        Value::Unknown => {
                            unknown_key = true;
                            continue;
                        }
                        ref other => {
                            return Err(EvalError::new(
                                format!("object keys must be strings, got a {}", other.kind_name()),
                                e.span(),
                            ))
                        }
                    }
                }
            };
            let v = self.eval_expr(value.expr())?;
            marks.nest(&k, &v.marks);
            out.insert(k, v.value);
        }
        marks.union(&key_marks);
        Ok(if unknown_key {
            Marked::new(Value::Unknown, marks.collapsed())
        } else {
            Marked::new(Value::Object(out), marks)
        })
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
                    Ok(m) if m.value.is_unknown() => Value::Unknown.into(),
                    Ok(_) => Value::Bool(true).into(),
                    Err(_) => Value::Bool(false).into(),
                });
            }
            // The sensitivity functions act on marks, which only the evaluator sees.
            "sensitive" | "nonsensitive" | "issensitive"
                if call.args.len() == 1 && !call.args.expand_final() =>
            {
                if let Some(arg) = call.args.iter().next() {
                    let m = self.eval_expr(arg)?;
                    return Ok(match name {
                        "sensitive" => Marked::new(m.value, Marks::whole()),
                        "nonsensitive" => Marked::plain(m.value),
                        _ => Value::Bool(m.marks.is_whole()).into(),
                    });
                }
            }
            _ => {}
        }
        if functions::is_impure(name) && self.lookup.planning() {
            return Ok(Value::Unknown.into());
        }
        let mut args = Vec::with_capacity(call.args.len());
        let mut marks = Marks::none();
        for arg in call.args.iter() {
            let m = self.eval_expr(arg)?;
            marks.union(&m.marks);
            args.push(m.value);
        }
        let marks = marks.collapsed();
        if call.args.expand_final() {
            match args.pop() {
                Some(Value::List(rest)) => args.extend(rest),
                Some(Value::Unknown) => return Ok(Marked::new(Value::Unknown, marks)),
                _ => {
                    return Err(EvalError::new(
                        "the final argument before `...` must be a list",
                        span,
                    ))
                }
            }
        }
        // An error must not quote a sensitive argument.
        let secrets = if marks.is_empty() {
            Vec::new()
        } else {
            args.iter()
                .flat_map(|a| secret_texts(a, &Marks::whole()))
                .collect()
        };
        let base_dir = self.base_dir.clone();
        let scope = self.scope.clone();
        let lookup = self.lookup;
        let render = move |text: &str, vars: &BTreeMap<String, Value>| -> Result<Value, String> {
            let template = crate::config::syntax::parse_template(text).map_err(|e| {
                format!(
                    "invalid template at line {}, column {}: {}",
                    e.location().line(),
                    e.location().column(),
                    e.message()
                )
            })?;
            let mut ev = Evaluator::scoped(lookup, &base_dir, &scope);
            ev.bindings = vars
                .iter()
                .map(|(k, v)| (k.clone(), Marked::plain(v.clone())))
                .collect();
            ev.template_only = true;
            ev.eval_template(template.iter(), None)
                .map(|m| m.value)
                .map_err(|e| e.message)
        };
        let ctx = FunctionContext {
            base_dir: &self.base_dir,
            render_template: &render,
        };
        match functions::call(name, args, &ctx) {
            Ok(v) => Ok(Marked::new(v, marks)),
            Err(e) => {
                let at = e
                    .arg
                    .and_then(|i| call.args.get(i))
                    .and_then(|a| a.span())
                    .or(span.clone());
                let hint = if e.message.contains("unknown function")
                    || e.message.contains("no function")
                {
                    did_you_mean(name, functions::names().iter().copied(), |s| {
                        format!("{s}(...)")
                    })
                } else {
                    None
                };
                let message = scrub(&e.message, &secrets);
                Err(EvalError::new(format!("in `{name}(...)`: {message}"), at).hint(hint))
            }
        }
    }

    fn eval_for(&mut self, f: &ForExpr, span: Option<std::ops::Range<usize>>) -> EvalResult {
        let collection = self.eval_expr(&f.intro.collection_expr)?;
        // A collection sensitive as a whole makes the result sensitive; otherwise each element
        // brings its own marks.
        let whole = Marks::whole_if(collection.marks.is_whole());
        let pairs: Vec<(Value, Marked)> = match collection.value {
            Value::Unknown => return Ok(Marked::new(Value::Unknown, collection.marks.collapsed())),
            Value::List(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| {
                    let m = collection.marks.child(&i.to_string());
                    (Value::Number(i as f64), Marked::new(v, m))
                })
                .collect(),
            Value::Object(map) => map
                .into_iter()
                .map(|(k, v)| {
                    let m = collection.marks.child(&k);
                    (Value::String(k), Marked::new(v, m))
                })
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
            ref other => {
                let shown = describe(&Marked::new(other.clone(), collection.marks.clone()));
                return Err(EvalError::new(
                    format!("a `for` expression needs a list, set, map or object, got {shown}"),
                    f.intro.collection_expr.span(),
                ));
            }
        };
        let key_var = f.intro.key_var.as_ref().map(|k| k.as_str().to_string());
        let value_var = f.intro.value_var.as_str().to_string();
        let mut acc = ForAcc {
            marks: whole.clone(),
            ..ForAcc::default()
        };
        for (k, v) in pairs {
            let mut bound = 1;
            if let Some(kv) = &key_var {
                self.bind(kv, Marked::new(k, whole.clone()));
                bound += 1;
            }
            self.bind(&value_var, v);
            let result = self.for_element(f, &mut acc, span.clone());
            self.unbind(bound);
            result?;
        }
        if acc.any_unknown {
            return Ok(Marked::new(Value::Unknown, acc.marks.collapsed()));
        }
        let value = match (&f.key_expr, f.grouping) {
            (None, _) => Value::List(acc.list),
            (Some(_), false) => Value::Object(acc.object),
            (Some(_), true) => Value::Object(
                acc.grouped
                    .into_iter()
                    .map(|(k, v)| (k, Value::List(v)))
                    .collect(),
            ),
        };
        Ok(Marked::new(value, acc.marks))
    }

    fn for_element(
        &mut self,
        f: &ForExpr,
        acc: &mut ForAcc,
        span: Option<std::ops::Range<usize>>,
    ) -> Result<(), EvalError> {
        if let Some(cond) = &f.cond {
            let c = self.eval_expr(&cond.expr)?;
            acc.marks.union(&c.marks.collapsed());
            match c.value {
                Value::Bool(true) => {}
                Value::Bool(false) => return Ok(()),
                Value::Unknown => {
                    acc.any_unknown = true;
                    return Ok(());
                }
                _ => {
                    return Err(EvalError::new(
                        format!("the `if` clause must be a bool, got {}", describe(&c)),
                        cond.expr.span(),
                    ))
                }
            }
        }
        let value = self.eval_expr(&f.value_expr)?;
        match &f.key_expr {
            None => {
                acc.marks.nest(&acc.list.len().to_string(), &value.marks);
                acc.list.push(value.value);
            }
            Some(key_expr) => {
                let k = self.eval_expr(key_expr)?;
                acc.marks.union(&k.marks.collapsed());
                let key = match k.value {
                    Value::String(s) => s,
                    Value::Number(n) => labform_sdk::value::format_number(n),
                    Value::Bool(b) => b.to_string(),
                    Value::Unknown => {
                        acc.any_unknown = true;
                        return Ok(());
                    }
                    ref other => {
                        let shown = describe(&Marked::new(other.clone(), k.marks.clone()));
                        return Err(EvalError::new(
                            format!("object keys must be strings, got {shown}"),
                            key_expr.span(),
                        ));
                    }
                };
                if f.grouping {
                    let group = acc.grouped.entry(key.clone()).or_default();
                    let mut m = Marks::none();
                    m.nest(&group.len().to_string(), &value.marks);
                    group.push(value.value);
                    acc.marks.nest(&key, &m);
                } else {
                    match acc.object.entry(key) {
                        std::collections::btree_map::Entry::Occupied(e) => {
                            let shown = if k.marks.is_empty() {
                                format!("`{}`", e.key())
                            } else {
                                super::marks::SENSITIVE.to_string()
                            };
                            return Err(EvalError::new(format!("duplicate object key {shown}"), span).hint(Some(
                                "add `...` after the value expression to group values with the same key".into(),
                            )));
                        }
                        std::collections::btree_map::Entry::Vacant(e) => {
                            acc.marks.nest(e.key(), &value.marks);
                            e.insert(value.value);
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// The result of a `for` expression under construction.
#[derive(Default)]
struct ForAcc {
    list: Vec<Value>,
    object: BTreeMap<String, Value>,
    grouped: BTreeMap<String, Vec<Value>>,
    marks: Marks,
    any_unknown: bool,
}

/// A value described for an error message: `(sensitive value)` when any part of it is marked.
pub(crate) fn describe(m: &Marked) -> String {
    if m.is_marked() {
        super::marks::SENSITIVE.to_string()
    } else {
        short(&m.value)
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
