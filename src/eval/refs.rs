//! Finds the references (`var.x`, `local.y`, `aws_vpc.main`, `data.t.n`) in expressions and bodies,
//! for building the dependency graph.

use std::ops::Range;

use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::structure::{Body, Structure};
use hcl_edit::template::{Directive, Element, Template};
use hcl_edit::Span;

use crate::config::Mode;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reference {
    Variable(String),
    Local(String),
    Resource(Mode, String, String),
    /// `module.NAME` with the output read from it, when written (`module.etl.bucket`).
    Module(String, Option<String>),
}

/// A reference and where it was written.
#[derive(Clone, Debug)]
pub struct Found {
    pub reference: Reference,
    /// For a resource reference, the attribute read from it (`id` in `aws_vpc.main.id`).
    pub attribute: Option<String>,
    pub span: Option<Range<usize>>,
}

pub fn in_expr(expr: &Expression, out: &mut Vec<Found>) {
    match expr {
        Expression::Null(_)
        | Expression::Bool(_)
        | Expression::Number(_)
        | Expression::String(_) => {}
        Expression::Array(items) => items.iter().for_each(|e| in_expr(e, out)),
        Expression::Object(obj) => {
            for (k, v) in obj.iter() {
                if let ObjectKey::Expression(e) = k {
                    in_expr(e, out);
                }
                in_expr(v.expr(), out);
            }
        }
        Expression::StringTemplate(t) => t.iter().for_each(|e| in_element(e, out)),
        Expression::HeredocTemplate(h) => in_template(&h.template, out),
        Expression::Parenthesis(p) => in_expr(p.inner(), out),
        Expression::Variable(_) => {}
        Expression::Conditional(c) => {
            in_expr(&c.cond_expr, out);
            in_expr(&c.true_expr, out);
            in_expr(&c.false_expr, out);
        }
        Expression::FuncCall(call) => call.args.iter().for_each(|a| in_expr(a, out)),
        Expression::Traversal(t) => {
            if let Some(r) = as_reference(&t.expr, &t.operators) {
                let skip = match &r {
                    Reference::Resource(Mode::Data, ..) => 3,
                    _ => 2,
                };
                let attribute = t
                    .operators
                    .iter()
                    .skip(skip - 1)
                    .find_map(|o| match o.value() {
                        TraversalOperator::GetAttr(id) => Some(id.as_str().to_string()),
                        _ => None,
                    });
                let attribute = if matches!(r, Reference::Resource(..)) {
                    attribute
                } else {
                    None
                };
                out.push(Found {
                    reference: r,
                    attribute,
                    span: expr.span(),
                });
            }
            in_expr(&t.expr, out);
            for op in &t.operators {
                if let TraversalOperator::Index(e) = op.value() {
                    in_expr(e, out);
                }
            }
        }
        Expression::UnaryOp(op) => in_expr(&op.expr, out),
        Expression::BinaryOp(op) => {
            in_expr(&op.lhs_expr, out);
            in_expr(&op.rhs_expr, out);
        }
        Expression::ForExpr(f) => {
            in_expr(&f.intro.collection_expr, out);
            if let Some(k) = &f.key_expr {
                in_expr(k, out);
            }
            in_expr(&f.value_expr, out);
            if let Some(c) = &f.cond {
                in_expr(&c.expr, out);
            }
        }
    }
}

fn in_template(t: &Template, out: &mut Vec<Found>) {
    t.iter().for_each(|e| in_element(e, out));
}

fn in_element(element: &Element, out: &mut Vec<Found>) {
    match element {
        Element::Literal(_) => {}
        Element::Interpolation(i) => in_expr(&i.expr, out),
        Element::Directive(dir) => match dir.as_ref() {
            Directive::If(d) => {
                in_expr(&d.if_expr.cond_expr, out);
                in_template(&d.if_expr.template, out);
                if let Some(e) = &d.else_expr {
                    in_template(&e.template, out);
                }
            }
            Directive::For(d) => {
                in_expr(&d.for_expr.collection_expr, out);
                in_template(&d.for_expr.template, out);
            }
        },
    }
}

pub fn in_body(body: &Body, out: &mut Vec<Found>) {
    for structure in body.iter() {
        match structure {
            Structure::Attribute(a) => in_expr(&a.value, out),
            Structure::Block(b) => in_body(&b.body, out),
        }
    }
}

fn as_reference(
    root: &Expression,
    ops: &[hcl_edit::Decorated<TraversalOperator>],
) -> Option<Reference> {
    let Expression::Variable(name) = root else {
        return None;
    };
    let attr = |i: usize| match ops.get(i).map(|o| o.value()) {
        Some(TraversalOperator::GetAttr(id)) => Some(id.as_str().to_string()),
        _ => None,
    };
    match name.as_str() {
        "var" => attr(0).map(Reference::Variable),
        "local" => attr(0).map(Reference::Local),
        "data" => Some(Reference::Resource(Mode::Data, attr(0)?, attr(1)?)),
        "module" => {
            let name = attr(0)?;
            let output = match ops.get(1).map(|o| o.value()) {
                Some(TraversalOperator::GetAttr(_)) => attr(1),
                Some(TraversalOperator::Index(_)) | Some(TraversalOperator::LegacyIndex(_)) => {
                    attr(2)
                }
                _ => None,
            };
            Some(Reference::Module(name, output))
        }
        "each" | "count" | "self" | "path" | "terraform" => None,
        type_name => Some(Reference::Resource(
            Mode::Managed,
            type_name.to_string(),
            attr(0)?,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_references_in_nested_expressions() {
        let e = hcl_edit::parser::parse_expr(
            r#"{ a = "${var.x}-${local.y}", b = [for s in aws_subnet.s : s.id], c = data.aws_ami.u.id }"#,
        )
        .unwrap();
        let mut out = Vec::new();
        in_expr(&e, &mut out);
        let refs: Vec<Reference> = out.into_iter().map(|f| f.reference).collect();
        assert!(refs.contains(&Reference::Variable("x".into())));
        assert!(refs.contains(&Reference::Local("y".into())));
        assert!(refs.contains(&Reference::Resource(
            Mode::Managed,
            "aws_subnet".into(),
            "s".into()
        )));
        assert!(refs.contains(&Reference::Resource(
            Mode::Data,
            "aws_ami".into(),
            "u".into()
        )));
    }
}
