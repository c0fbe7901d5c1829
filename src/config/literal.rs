//! Reading literal values and references out of expressions where Terraform requires them to be
//! written literally (`depends_on`, `ignore_changes`, `required_version`, block labels).

use std::sync::Arc;

use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::structure::Attribute;
use hcl_edit::Span;

use crate::diag::{Diagnostic, Diagnostics, Location, SourceFile};

/// The text of a string literal (or a template holding only literal text).
pub fn literal_string(expr: &Expression) -> Option<String> {
    match expr {
        Expression::String(s) => Some(s.value().to_string()),
        Expression::StringTemplate(t) => {
            let mut out = String::new();
            for el in t.iter() {
                out.push_str(el.as_literal()?.value());
            }
            Some(out)
        }
        Expression::Variable(v) => Some(v.as_str().to_string()),
        _ => None,
    }
}

pub fn literal_bool(expr: &Expression) -> Option<bool> {
    match expr {
        Expression::Bool(b) => Some(*b.value()),
        _ => None,
    }
}

pub(super) fn object_key_name(key: &hcl_edit::expr::ObjectKey) -> Option<String> {
    match key {
        hcl_edit::expr::ObjectKey::Ident(i) => Some(i.as_str().to_string()),
        hcl_edit::expr::ObjectKey::Expression(e) => literal_string(e),
    }
}

/// `aws_vpc.main.id` as its dotted parts (no indexes): `["aws_vpc", "main", "id"]`.
pub fn traversal_parts(expr: &Expression) -> Option<Vec<String>> {
    match expr {
        Expression::Variable(v) => Some(vec![v.as_str().to_string()]),
        Expression::Traversal(t) => {
            let mut parts = traversal_parts(&t.expr)?;
            for op in &t.operators {
                match op.value() {
                    TraversalOperator::GetAttr(ident) => parts.push(ident.as_str().to_string()),
                    _ => break,
                }
            }
            Some(parts)
        }
        _ => None,
    }
}

/// An attribute path for `ignore_changes`: `tags["owner"]` -> `["tags", "owner"]`.
pub(super) fn traversal_path(expr: &Expression) -> Option<Vec<String>> {
    match expr {
        Expression::Variable(v) => Some(vec![v.as_str().to_string()]),
        Expression::String(s) => Some(vec![s.value().to_string()]),
        Expression::Traversal(t) => {
            let mut parts = traversal_path(&t.expr)?;
            for op in &t.operators {
                match op.value() {
                    TraversalOperator::GetAttr(ident) => parts.push(ident.as_str().to_string()),
                    TraversalOperator::Index(e) => {
                        parts.push(literal_string(e).or_else(|| match e {
                            Expression::Number(n) => n.value().as_u64().map(|n| n.to_string()),
                            _ => None,
                        })?)
                    }
                    TraversalOperator::LegacyIndex(i) => parts.push(i.value().to_string()),
                    _ => return None,
                }
            }
            Some(parts)
        }
        _ => None,
    }
}

/// `depends_on = [aws_vpc.main, data.aws_ami.x, module.m]` as resource (or module) addresses.
pub(super) fn reference_list(
    attr: &Attribute,
    file: &Arc<SourceFile>,
    diags: &mut Diagnostics,
) -> Vec<(String, Option<Location>)> {
    let Expression::Array(items) = &attr.value else {
        diags.push(
            Diagnostic::error("`depends_on` must be a list of resource references")
                .at(Location::new(file, attr.value.span()))
                .hint("write `depends_on = [aws_vpc.main]`"),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items.iter() {
        let l = Location::new(file, item.span());
        match traversal_parts(item) {
            Some(p) if p.len() >= 3 && p[0] == "data" => {
                out.push((format!("data.{}.{}", p[1], p[2]), l))
            }
            Some(p) if p.len() >= 2 && p[0] == "module" => {
                out.push((format!("module.{}", p[1]), l))
            }
            Some(p)
                if p.len() >= 2 && !["var", "local", "data", "module"].contains(&p[0].as_str()) =>
            {
                out.push((format!("{}.{}", p[0], p[1]), l))
            }
            Some(p)
                if p.len() >= 2 && p[0] == "var"
                    || p.first().map(String::as_str) == Some("local") => {}
            _ => diags.push(
                Diagnostic::error(
                    "`depends_on` entries must be resource references like `aws_vpc.main`",
                )
                .at(l),
            ),
        }
    }
    out
}

/// An address written as a reference (`moved` blocks): `module.a["k"].aws_s3_bucket.b[0]`.
pub(super) fn address_text(expr: &Expression) -> Option<String> {
    match expr {
        Expression::Variable(v) => Some(v.as_str().to_string()),
        Expression::Traversal(t) => {
            let mut text = address_text(&t.expr)?;
            for op in &t.operators {
                match op.value() {
                    TraversalOperator::GetAttr(ident) => {
                        text.push('.');
                        text.push_str(ident.as_str());
                    }
                    TraversalOperator::Index(Expression::Number(n)) => {
                        text.push_str(&format!("[{}]", n.value().as_u64()?))
                    }
                    TraversalOperator::Index(e) => {
                        let key = literal_string(e)?;
                        text.push_str(&format!("[{}]", serde_json::to_string(&key).ok()?));
                    }
                    TraversalOperator::LegacyIndex(i) => text.push_str(&format!("[{}]", i.value())),
                    _ => return None,
                }
            }
            Some(text)
        }
        _ => None,
    }
}
