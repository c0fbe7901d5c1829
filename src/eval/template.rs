//! String templates: `"${...}"`, heredocs and `%{ if }` / `%{ for }` directives.

use std::ops::Range;

use hcl_edit::template::{Directive, Element};
use hcl_edit::Span;
use labform_sdk::Value;

use super::expr::describe;
use super::{EvalError, EvalResult, Evaluator, Marked, Marks};

/// Template output under construction; `None` once an unknown value was interpolated. Anything
/// sensitive that went into it (a value, an `if` condition, a `for` collection) marks it all.
struct Out {
    text: Option<String>,
    trim_next: bool,
    marks: Marks,
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
            marks: Marks::none(),
        };
        self.render(&elements, &mut out)?;
        let _ = span;
        let value = out.text.map(Value::String).unwrap_or(Value::Unknown);
        Ok(Marked::new(value, out.marks.collapsed()))
    }

    fn render(&mut self, elements: &[&Element], out: &mut Out) -> Result<(), EvalError> {
        for element in elements {
            match element {
                Element::Literal(s) => out.literal(s.value()),
                Element::Interpolation(i) => {
                    out.strip_before(i.strip.strip_start());
                    let v = self.eval_expr(&i.expr)?;
                    out.marks.union(&v.marks);
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
                        let cond = self.eval_expr(&d.if_expr.cond_expr)?;
                        out.marks.union(&cond.marks);
                        match &cond.value {
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
                            _ => {
                                return Err(EvalError::new(
                                    format!(
                                        "the `if` condition must be a bool, got {}",
                                        describe(&cond)
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
                        let coll = self.eval_expr(&f.collection_expr)?;
                        out.marks.union(&coll.marks);
                        let whole = Marks::whole_if(coll.marks.is_whole());
                        let pairs: Vec<(Marked, Marked)> = match &coll.value {
                            Value::List(items) => items
                                .iter()
                                .enumerate()
                                .map(|(i, v)| {
                                    let m = coll.marks.child(&i.to_string());
                                    let k = Marked::new(Value::Number(i as f64), whole.clone());
                                    (k, Marked::new(v.clone(), m))
                                })
                                .collect(),
                            Value::Object(map) => map
                                .iter()
                                .map(|(k, v)| {
                                    let m = coll.marks.child(k);
                                    let k = Marked::new(Value::String(k.clone()), whole.clone());
                                    (k, Marked::new(v.clone(), m))
                                })
                                .collect(),
                            Value::Unknown => {
                                out.text = None;
                                Vec::new()
                            }
                            _ => {
                                return Err(EvalError::new(
                                    format!("`for` needs a list or map, got {}", describe(&coll)),
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
fn stringify(m: &Marked) -> Result<Option<String>, String> {
    match &m.value {
        Value::String(s) => Ok(Some(s.clone())),
        Value::Number(n) => Ok(Some(labform_sdk::value::format_number(*n))),
        Value::Bool(b) => Ok(Some(b.to_string())),
        Value::Unknown => Ok(None),
        Value::Null => Err("cannot interpolate a null value into a string".into()),
        _ => Err(format!(
            "cannot interpolate {} into a string; use `jsonencode(...)` or `join(...)`",
            describe(m)
        )),
    }
}
