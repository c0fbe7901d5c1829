//! Loaders for `module` calls (meta-arguments apart from input values) and `moved` blocks.

use std::collections::BTreeMap;
use std::sync::Arc;

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Body, Structure};
use hcl_edit::Span;

use super::blocks::{loc, not_literal, unknown_in_block};
use super::literal::{
    address_text, literal_string, object_key_name, reference_list, traversal_parts,
};
use super::model::*;
use crate::diag::{Diagnostic, Diagnostics, Location, SourceFile};

pub(super) fn load_module_call(
    name: &str,
    file: &Arc<SourceFile>,
    body: Body,
    location: Option<Location>,
    diags: &mut Diagnostics,
) -> Option<ModuleCall> {
    let expr = |e: Expression| Expr {
        expr: e,
        file: file.clone(),
    };
    let mut source = None;
    let mut call = ModuleCall {
        name: name.to_string(),
        source: String::new(),
        source_location: None,
        version_location: None,
        count: None,
        for_each: None,
        depends_on: Vec::new(),
        providers: Vec::new(),
        args: BTreeMap::new(),
        location: location.clone(),
    };
    for structure in body.into_iter() {
        match structure {
            Structure::Attribute(attr) => {
                let key_loc = loc(file, attr.key.span());
                match attr.key.as_str() {
                    "source" => match literal_string(&attr.value) {
                        Some(s) => {
                            source = Some(s);
                            call.source_location = loc(file, attr.value.span());
                        }
                        None => diags.push(not_literal("source", file, &attr.value)),
                    },
                    "version" => call.version_location = loc(file, attr.value.span()),
                    "count" => call.count = Some(expr(attr.value)),
                    "for_each" => call.for_each = Some(expr(attr.value)),
                    "depends_on" => call.depends_on = reference_list(&attr, file, diags),
                    "providers" => call.providers = provider_map(&attr.value, file, diags),
                    other => {
                        call.args
                            .insert(other.to_string(), (expr(attr.value), key_loc));
                    }
                }
            }
            Structure::Block(b) => diags.push(
                Diagnostic::error(format!(
                    "unexpected block `{}` in a `module` block",
                    b.ident.as_str()
                ))
                .at(loc(file, b.ident.span()))
                .hint("a module call takes `source`, meta-arguments and input values (`name = value`)"),
            ),
        }
    }
    if let (Some(_), Some(fe)) = (&call.count, &call.for_each) {
        diags.push(
            Diagnostic::error("`count` and `for_each` cannot both be set")
                .at(fe.location())
                .hint("keep one of them"),
        );
    }
    match source {
        Some(s) => {
            call.source = s;
            Some(call)
        }
        None => {
            diags.push(
                Diagnostic::error(format!("module `{name}` has no `source`"))
                    .at(location)
                    .hint("add `source = \"./modules/NAME\"`, the directory of the module"),
            );
            None
        }
    }
}

/// `providers = { aws = aws.west, google = google }`.
fn provider_map(
    value: &Expression,
    file: &Arc<SourceFile>,
    diags: &mut Diagnostics,
) -> Vec<(String, String, Option<Location>)> {
    let bad = |span| {
        Diagnostic::error("`providers` must be a map like `{ aws = aws.west }`").at(loc(file, span))
    };
    let Expression::Object(obj) = value else {
        diags.push(bad(value.span()));
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, v) in obj.iter() {
        let child = object_key_name(k).or_else(|| match k {
            hcl_edit::expr::ObjectKey::Expression(e) => traversal_parts(e).map(|p| p.join(".")),
            _ => None,
        });
        let parent = traversal_parts(v.expr()).filter(|p| (1..=2).contains(&p.len()));
        match (child, parent) {
            (Some(c), Some(p)) => out.push((c, p.join("."), loc(file, v.expr().span()))),
            _ => diags.push(bad(v.expr().span())),
        }
    }
    out
}

pub(super) fn load_moved(
    file: &Arc<SourceFile>,
    body: Body,
    location: Option<Location>,
    diags: &mut Diagnostics,
) -> Option<Moved> {
    let mut from = None;
    let mut to = None;
    for structure in body.into_iter() {
        match structure {
            Structure::Attribute(attr) => {
                let slot = match attr.key.as_str() {
                    "from" => &mut from,
                    "to" => &mut to,
                    other => {
                        diags.push(unknown_in_block(
                            "moved",
                            other,
                            &["from", "to"],
                            loc(file, attr.key.span()),
                        ));
                        continue;
                    }
                };
                match address_text(&attr.value) {
                    Some(text) => *slot = Some(text),
                    None => diags.push(
                        Diagnostic::error("`moved` takes addresses like `aws_s3_bucket.b` or `module.m.aws_s3_bucket.b`")
                            .at(loc(file, attr.value.span())),
                    ),
                }
            }
            Structure::Block(b) => diags.push(
                Diagnostic::error(format!(
                    "unexpected block `{}` in `moved`",
                    b.ident.as_str()
                ))
                .at(loc(file, b.ident.span())),
            ),
        }
    }
    match (from, to) {
        (Some(from), Some(to)) => Some(Moved { from, to, location }),
        _ => {
            diags.push(
                Diagnostic::error("a `moved` block needs `from` and `to`")
                    .at(location)
                    .hint("write `moved { from = aws_s3_bucket.old  to = aws_s3_bucket.new }`"),
            );
            None
        }
    }
}
