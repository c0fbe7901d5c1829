//! String templates: `"${...}"`, heredocs and `%{ if }` / `%{ for }` directives.

use std::ops::Range;

use hcl_edit::template::{Directive, Element};
use hcl_edit::Span;
use labform_sdk::Value;

use super::expr::short;
use super::{EvalError, EvalResult, Evaluator};

/// Template output under construction; `None` once an unknown value was interpolated.
struct Out {
    text: Option<String>,
    trim_next: bool,
}

impl Out {
    fn literal(&mut self, s: &str) {
        let s = if self.trim_next { s.trim_start() } else { s };
        self.trim_next = false;
        if let Some(t) = &mut self.text {
            t.push_str(s);
        }
    }
    fn strip_before(&mut self, strip: bool) {
        if strip {
            if let Some(t) = &mut self.text {
                let len = t.trim_end().len();
                t.truncate(len);
            }
        }
    }
}

impl Evaluator<'_> {
    pub(crate) fn eval_template<'t>(
        &mut self,
        elements: impl Iterator<Item = &'t Element>,
        span: Option<Range<usize>>,
    ) -> EvalResult {
        let elements: Vec<&Element> = elements.collect();
        // A template that is exactly one interpolation keeps the value's type, as in Terraform.
        if let [Element::Interpolation(i)] = elements.as_slice() {
            return self.eval_expr(&i.expr);
        }
        let mut out = Out {
            text: Some(String::new()),
            trim_next: false,
        };
        self.render(&elements, &mut out)?;
        let _ = span;
        Ok(out.text.map(Value::String).unwrap_or(Value::Unknown))
    }

    fn render(&mut self, elements: &[&Element], out: &mut Out) -> Result<(), EvalError> {
        for element in elements {
            match element {
                Element::Literal(s) => out.literal(s.value()),
                Element::Interpolation(i) => {
                    out.strip_before(i.strip.strip_start());
                    let v = self.eval_expr(&i.expr)?;
                    match stringify(&v) {
                        Ok(Some(s)) => out.literal_raw(&s),
                        Ok(None) => out.text = None,
                        Err(m) => return Err(EvalError::new(m, i.expr.span())),
                    }
                    out.trim_next = i.strip.strip_end();
                }
                Element::Directive(dir) => match dir.as_ref() {
                    Directive::If(d) => {
                        out.strip_before(d.if_expr.strip.strip_start());
                        out.trim_next = d.if_expr.strip.strip_end();
                        match self.eval_expr(&d.if_expr.cond_expr)? {
                            Value::Bool(true) => {
                                self.render(&d.if_expr.template.iter().collect::<Vec<_>>(), out)?
                            }
                            Value::Bool(false) => {
                                if let Some(e) = &d.else_expr {
                                    out.trim_next = e.strip.strip_end();
                                    self.render(&e.template.iter().collect::<Vec<_>>(), out)?;
                                }
                            }
                            Value::Unknown => out.text = None,
                            other => {
                                return Err(EvalError::new(
                                    format!(
                                        "the `if` condition must be a bool, got {}",
                                        short(&other)
                                    ),
                                    d.if_expr.cond_expr.span(),
                                ))
                            }
                        }
                        out.strip_before(d.endif_expr.strip.strip_start());
                        out.trim_next = d.endif_expr.strip.strip_end();
                    }
                    Directive::For(d) => {
                        let f = &d.for_expr;
                        out.strip_before(f.strip.strip_start());
                        let pairs: Vec<(Value, Value)> = match self.eval_expr(&f.collection_expr)? {
                            Value::List(items) => items
                                .into_iter()
                                .enumerate()
                                .map(|(i, v)| (Value::Number(i as f64), v))
                                .collect(),
                            Value::Object(map) => map
                                .into_iter()
                                .map(|(k, v)| (Value::String(k), v))
                                .collect(),
                            Value::Unknown => {
                                out.text = None;
                                Vec::new()
                            }
                            other => {
                                return Err(EvalError::new(
                                    format!("`for` needs a list or map, got {}", short(&other)),
                                    f.collection_expr.span(),
                                ))
                            }
                        };
                        let body: Vec<&Element> = f.template.iter().collect();
                        for (k, v) in pairs {
                            out.trim_next = f.strip.strip_end();
                            let mut n = 1;
                            if let Some(kv) = &f.key_var {
                                self.bind(kv.as_str(), k);
                                n += 1;
                            }
                            self.bind(f.value_var.as_str(), v);
                            let r = self.render(&body, out);
                            self.unbind(n);
                            r?;
                            out.strip_before(d.endfor_expr.strip.strip_start());
                        }
                        out.trim_next = d.endfor_expr.strip.strip_end();
                    }
                },
            }
        }
        Ok(())
    }
}

impl Out {
    fn literal_raw(&mut self, s: &str) {
        self.trim_next = false;
        if let Some(t) = &mut self.text {
            t.push_str(s);
        }
    }
}

/// A value as interpolated text; `Ok(None)` when unknown.
fn stringify(v: &Value) -> Result<Option<String>, String> {
    match v {
        Value::String(s) => Ok(Some(s.clone())),
        Value::Number(n) => Ok(Some(labform_sdk::value::format_number(*n))),
        Value::Bool(b) => Ok(Some(b.to_string())),
        Value::Unknown => Ok(None),
        Value::Null => Err("cannot interpolate a null value into a string".into()),
        other => Err(format!(
            "cannot interpolate {} into a string; use `jsonencode(...)` or `join(...)`",
            short(other)
        )),
    }
}
