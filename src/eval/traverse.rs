//! References (`var.x`, `aws_vpc.main.id`, `each.key`) and traversals (`.attr`, `[i]`, `[*]`).

use std::ops::Range;

use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::{Decorated, Span};
use labform_sdk::Value;

use super::expr::describe;
use super::{EvalError, EvalResult, Evaluator, Marked, Marks, NameKind};
use crate::config::Mode;
use crate::suggest::did_you_mean;

type Ops<'e> = &'e [Decorated<TraversalOperator>];

impl Evaluator<'_> {
    pub(crate) fn eval_traversal(&mut self, expr: &Expression) -> EvalResult {
        let (root, ops): (&Expression, Ops) = match expr {
            Expression::Traversal(t) => (&t.expr, &t.operators),
            other => (other, &[]),
        };
        let (value, consumed) = match root {
            Expression::Variable(name) => self.resolve_root(name.as_str(), ops, expr.span())?,
            other => (self.eval_expr(other)?, 0),
        };
        self.apply_ops(value, &ops[consumed..])
    }

    /// Resolves the root name and the attribute names that belong to it
    /// (`var` + `.x`, `aws_vpc` + `.main`, `data` + `.t` + `.n`). Returns the value and how many
    /// operators were used.
    fn resolve_root(
        &mut self,
        name: &str,
        ops: Ops,
        span: Option<Range<usize>>,
    ) -> Result<(Marked, usize), EvalError> {
        if let Some(v) = self.binding(name) {
            return Ok((v.clone(), 0));
        }
        if self.template_only {
            let known: Vec<String> = self.bindings.iter().map(|(n, _)| n.clone()).collect();
            return Err(EvalError::new(
                format!("`{name}` is not a variable passed to this template"),
                span,
            )
            .hint(did_you_mean(name, known.iter().map(String::as_str), |s| {
                s.to_string()
            })));
        }
        let attr = |i: usize| -> Option<&str> {
            match ops.get(i).map(|o| o.value()) {
                Some(TraversalOperator::GetAttr(id)) => Some(id.as_str()),
                _ => None,
            }
        };
        let need = |i: usize, what: &str| -> Result<&str, EvalError> {
            attr(i).ok_or_else(|| {
                EvalError::new(format!("`{name}` must be followed by {what}"), span.clone())
            })
        };
        match name {
            "var" => {
                let v = need(0, "a variable name, like `var.region`")?;
                let found = if self.scope.is_root() {
                    self.lookup.variable(v).map(Ok)
                } else {
                    self.lookup.module_variable(&self.scope, v)
                };
                match found {
                    Some(Ok(value)) => Ok((value, 1)),
                    Some(Err(d)) => Err(EvalError {
                        diagnostic: Some(Box::new(d)),
                        ..EvalError::new("", span)
                    }),
                    None => Err(self.undeclared(NameKind::Variable, "var", v, span)),
                }
            }
            "local" => {
                let l = need(0, "a local value name, like `local.tags`")?;
                match self.lookup.local(&self.scope, l) {
                    Some(Ok(value)) => Ok((value, 1)),
                    Some(Err(d)) => Err(EvalError {
                        diagnostic: Some(Box::new(d)),
                        ..EvalError::new("", span)
                    }),
                    None => Err(self.undeclared(NameKind::Local, "local", l, span)),
                }
            }
            "each" => {
                let Some((key, value)) = &self.each else {
                    return Err(EvalError::new(
                        "`each` is only available in a resource with `for_each`",
                        span,
                    ));
                };
                match need(0, "`key` or `value`")? {
                    "key" => Ok((key.clone().into(), 1)),
                    "value" => Ok((value.clone(), 1)),
                    other => Err(EvalError::new(
                        format!(
                            "`each` has no attribute `{other}`; use `each.key` or `each.value`"
                        ),
                        span,
                    )),
                }
            }
            "count" => {
                let Some(index) = &self.count_index else {
                    return Err(EvalError::new(
                        "`count.index` is only available in a resource with `count`",
                        span,
                    ));
                };
                match need(0, "`index`")? {
                    "index" => Ok((index.clone().into(), 1)),
                    other => Err(EvalError::new(
                        format!("`count` has no attribute `{other}`; use `count.index`"),
                        span,
                    )),
                }
            }
            "self" => match &self.self_value {
                Some(v) => Ok((v.clone().into(), 0)),
                None => Err(EvalError::new(
                    "`self` is only available in `provisioner` and `connection` blocks",
                    span,
                )),
            },
            "path" => match need(0, "`module`, `root` or `cwd`")? {
                "module" => Ok((
                    Value::String(self.scope.module_dir.to_string_lossy().into_owned()).into(),
                    1,
                )),
                "root" => Ok((
                    Value::String(self.base_dir.to_string_lossy().into_owned()).into(),
                    1,
                )),
                // Terraform gives the working directory as an absolute path.
                "cwd" => Ok((
                    Value::String(
                        std::path::absolute(&self.base_dir)
                            .map(|p| crate::eval::functions::paths::clean(&p.to_string_lossy()))
                            .unwrap_or_else(|_| self.base_dir.to_string_lossy().into_owned()),
                    )
                    .into(),
                    1,
                )),
                other => Err(EvalError::new(
                    format!("`path` has no attribute `{other}`"),
                    span,
                )),
            },
            "terraform" => match need(0, "`workspace`")? {
                "workspace" => Ok((Value::from(self.lookup.workspace()).into(), 1)),
                other => Err(EvalError::new(
                    format!("`terraform` has no attribute `{other}`"),
                    span,
                )),
            },
            "module" => {
                let m = need(0, "a module call name, like `module.etl`")?;
                match self.lookup.module(&self.scope, m) {
                    Some(Ok(value)) => Ok((value, 1)),
                    Some(Err(d)) => Err(EvalError {
                        diagnostic: Some(Box::new(d)),
                        ..EvalError::new("", span)
                    }),
                    None => Err(self.undeclared(NameKind::Module, "module", m, span)),
                }
            }
            "data" => {
                let t = need(0, "a data source type and name, like `data.aws_ami.ubuntu`")?;
                let n = need(1, "a data source type and name, like `data.aws_ami.ubuntu`")?;
                match self.lookup.resource(&self.scope, Mode::Data, t, n) {
                    Some(value) => Ok((value, 2)),
                    None => {
                        let address = format!("data.{t}.{n}");
                        if let Some(check) = self.lookup.scoped_check(&self.scope, &address) {
                            return Err(EvalError::new(
                                format!("reference to scoped data source `{address}`"),
                                span,
                            )
                            .hint(Some(format!(
                                "it is declared inside check `{check}`: only that check's assertions can refer to it; declare it at the top level to use it elsewhere"
                            ))));
                        }
                        Err(self.undeclared(NameKind::Resource, "data", &format!("{t}.{n}"), span))
                    }
                }
            }
            type_name => {
                let Some(n) = attr(0) else {
                    let known = [
                        "var",
                        "local",
                        "data",
                        "each",
                        "count",
                        "path",
                        "self",
                        "terraform",
                        "module",
                    ];
                    return Err(EvalError::new(format!("unknown name `{type_name}`"), span)
                        .hint(did_you_mean(type_name, known, |s| s.to_string())));
                };
                match self
                    .lookup
                    .resource(&self.scope, Mode::Managed, type_name, n)
                {
                    Some(value) => Ok((value, 1)),
                    None => Err(self.undeclared(
                        NameKind::Resource,
                        "",
                        &format!("{type_name}.{n}"),
                        span,
                    )),
                }
            }
        }
    }

    fn undeclared(
        &self,
        kind: NameKind,
        prefix: &str,
        name: &str,
        span: Option<Range<usize>>,
    ) -> EvalError {
        let names = self.lookup.names(&self.scope, kind);
        let full = |s: &str| {
            if prefix.is_empty() {
                s.to_string()
            } else {
                format!("{prefix}.{s}")
            }
        };
        let (what, hint) = match kind {
            NameKind::Variable => (
                "variable",
                did_you_mean(name, names.iter().map(String::as_str), full)
                    .or_else(|| Some(format!("declare it with `variable \"{name}\" {{}}`"))),
            ),
            NameKind::Local => (
                "local value",
                did_you_mean(name, names.iter().map(String::as_str), full),
            ),
            NameKind::Module => (
                "module call",
                did_you_mean(name, names.iter().map(String::as_str), full),
            ),
            NameKind::Resource if prefix == "data" => (
                "data source",
                did_you_mean(
                    name,
                    names.iter().filter_map(|n| n.strip_prefix("data.")),
                    full,
                ),
            ),
            NameKind::Resource => (
                "resource",
                did_you_mean(
                    name,
                    names
                        .iter()
                        .map(String::as_str)
                        .filter(|n| !n.starts_with("data.")),
                    full,
                ),
            ),
        };
        EvalError::new(
            format!("reference to undeclared {what} `{}`", full(name)),
            span,
        )
        .hint(hint)
    }

    pub(crate) fn apply_ops(&mut self, mut value: Marked, ops: Ops) -> EvalResult {
        for (i, op) in ops.iter().enumerate() {
            let span = op.span();
            match op.value() {
                TraversalOperator::GetAttr(id) => value = get_attr(value, id.as_str(), span)?,
                TraversalOperator::Index(e) => {
                    let key = self.eval_expr(e)?;
                    value = index(value, key, span)?;
                }
                TraversalOperator::LegacyIndex(n) => {
                    value = index(value, Value::Number(*n.value() as f64).into(), span)?
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let rest = &ops[i + 1..];
                    let Marked { value: v, marks } = value;
                    let items: Vec<Marked> = match v {
                        Value::Unknown => return Ok(Marked::new(Value::Unknown, marks)),
                        Value::Null => Vec::new(),
                        Value::List(items) => items
                            .into_iter()
                            .enumerate()
                            .map(|(i, item)| Marked::new(item, marks.child(&i.to_string())))
                            .collect(),
                        single => vec![Marked::new(single, marks)],
                    };
                    let mut out = Vec::with_capacity(items.len());
                    let mut out_marks = Marks::none();
                    for (i, item) in items.into_iter().enumerate() {
                        let m = self.apply_ops(item, rest)?;
                        out_marks.nest(&i.to_string(), &m.marks);
                        out.push(m.value);
                    }
                    return Ok(Marked::new(Value::List(out), out_marks));
                }
            }
        }
        Ok(value)
    }
}

fn get_attr(value: Marked, name: &str, span: Option<Range<usize>>) -> EvalResult {
    let Marked { value, marks } = value;
    match value {
        Value::Unknown => Ok(Marked::new(Value::Unknown, marks.child(name))),
        Value::Object(mut map) => match map.remove(name) {
            Some(v) => Ok(Marked::new(v, marks.child(name))),
            None => {
                let hint = did_you_mean(name, map.keys().map(String::as_str), |s| s.to_string());
                Err(EvalError::new(format!("this object has no attribute `{name}`"), span).hint(hint))
            }
        },
        Value::Null => Err(EvalError::new(format!("cannot read attribute `{name}` of a null value"), span)),
        Value::List(_) => Err(EvalError::new(format!("cannot read attribute `{name}` of a list"), span).hint(Some(
            format!("use an index like `[0].{name}` or a splat like `[*].{name}` to read it from the elements"),
        ))),
        other => Err(EvalError::new(format!("cannot read attribute `{name}` of {}", describe(&Marked::new(other, marks))), span)),
    }
}

/// `value[key]`: the element keeps its own marks and those of the collection as a whole; a
/// sensitive key makes the element sensitive, and is never quoted in an error.
fn index(value: Marked, key: Marked, span: Option<Range<usize>>) -> EvalResult {
    let key_marks = key.marks.collapsed();
    let shown_key = |k: &str| {
        if key_marks.is_empty() {
            format!("{k:?}")
        } else {
            super::marks::SENSITIVE.to_string()
        }
    };
    let Marked { value, marks } = value;
    let element = |v: Value, step: &str| Ok(Marked::new(v, marks.child(step)).with(&key_marks));
    match (value, key.value) {
        (Value::Unknown, _) | (_, Value::Unknown) => {
            Ok(Marked::new(Value::Unknown, marks.collapsed()).with(&key_marks))
        }
        (Value::List(items), k) => {
            let bad = || {
                EvalError::new(
                    format!(
                        "a list index must be a whole number, got {}",
                        describe(&Marked::new(k.clone(), key_marks.clone()))
                    ),
                    span.clone(),
                )
            };
            let i = match &k {
                Value::Number(n) if n.fract() == 0.0 && *n >= 0.0 => *n as usize,
                Value::String(s) => s.parse::<usize>().map_err(|_| bad())?,
                _ => return Err(bad()),
            };
            let len = items.len();
            match items.into_iter().nth(i) {
                Some(v) => element(v, &i.to_string()),
                None => {
                    let shown = if key_marks.is_empty() {
                        format!("index {i}")
                    } else {
                        format!("the index {}", super::marks::SENSITIVE)
                    };
                    Err(EvalError::new(
                        format!("{shown} is out of range for a list of {len} elements"),
                        span,
                    ))
                }
            }
        }
        (Value::Object(mut map), k) => {
            let k = match k {
                Value::String(s) => s,
                Value::Number(n) => labform_sdk::value::format_number(n),
                other => {
                    return Err(EvalError::new(
                        format!(
                            "a map key must be a string, got {}",
                            describe(&Marked::new(other, key_marks.clone()))
                        ),
                        span,
                    ))
                }
            };
            match map.remove(&k) {
                Some(v) => element(v, &k),
                None => {
                    let hint = if key_marks.is_empty() {
                        did_you_mean(&k, map.keys().map(String::as_str), |s| format!("[\"{s}\"]"))
                    } else {
                        None
                    };
                    Err(
                        EvalError::new(format!("no element with the key {}", shown_key(&k)), span)
                            .hint(hint),
                    )
                }
            }
        }
        (Value::Null, _) => Err(EvalError::new("cannot index a null value", span)),
        (other, _) => Err(EvalError::new(
            format!("cannot index {}", describe(&Marked::new(other, marks))),
            span,
        )),
    }
}
