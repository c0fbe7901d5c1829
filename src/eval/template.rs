//! String templates: `"${...}"`, heredocs and `%{ if }` / `%{ for }` directives. Whitespace
//! rules (`~` strip markers, `<<-` flush) were applied to the literals at parse time
//! (`config::syntax`), as Terraform does, so literals render as they are.

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
    marks: Marks,
}

impl Out {
    fn literal(&mut self, s: &str) {
        if let Some(t) = &mut self.text {
            t.push_str(s);
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
                    let v = self.eval_expr(&i.expr)?;
                    out.marks.union(&v.marks);
                    match stringify(&v) {
                        Ok(Some(s)) => out.literal(&s),
                        Ok(None) => out.text = None,
                        Err(m) => return Err(EvalError::new(m, i.expr.span())),
                    }
                }
                Element::Directive(dir) => match dir.as_ref() {
                    Directive::If(d) => {
                        let cond = self.eval_expr(&d.if_expr.cond_expr)?;
                        out.marks.union(&cond.marks);
                        match &cond.value {
                            Value::Bool(true) => {
                                self.render(&d.if_expr.template.iter().collect::<Vec<_>>(), out)?
                            }
                            Value::Bool(false) => {
                                if let Some(e) = &d.else_expr {
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
                    }
                    Directive::For(d) => {
                        let f = &d.for_expr;
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
                            let mut n = 1;
                            if let Some(kv) = &f.key_var {
                                self.bind(kv.as_str(), k);
                                n += 1;
                            }
                            self.bind(f.value_var.as_str(), v);
                            let r = self.render(&body, out);
                            self.unbind(n);
                            r?;
                        }
                    }
                },
            }
        }
        Ok(())
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
