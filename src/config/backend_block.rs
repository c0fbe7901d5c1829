//! The `backend` block of a `terraform` block: its kind and its settings, which Terraform
//! requires to be literal values (no variables, no references).

use std::collections::BTreeMap;
use std::sync::Arc;

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Structure};
use hcl_edit::Span;
use labform_sdk::Value;

use super::literal::{literal_string, object_key_name};
use super::model::Backend;
use crate::diag::{Diagnostic, Diagnostics, SourceFile};

/// Reads `backend "<kind>" { ... }`: attributes and nested blocks (`endpoints { s3 = ".." }`)
/// become one object of settings. A value that is not literal is an error naming it.
pub fn load_backend(block: &Block, file: &Arc<SourceFile>, diags: &mut Diagnostics) -> Backend {
    let kind = block
        .labels
        .first()
        .map(|l| l.as_str().to_string())
        .unwrap_or_default();
    let location = super::blocks::loc(file, block.ident.span());
    let mut settings = BTreeMap::new();
    for structure in block.body.iter() {
        match structure {
            Structure::Attribute(attr) => match literal(&attr.value) {
                Some(v) => {
                    settings.insert(attr.key.as_str().to_string(), v);
                }
                None => diags.push(
                    Diagnostic::error(format!(
                        "the backend attribute `{}` must be a literal value",
                        attr.key.as_str()
                    ))
                    .at(super::blocks::loc(file, attr.key.span()))
                    .hint("backend settings cannot use variables or references; pass a value at init with `-backend-config=KEY=VALUE`"),
                ),
            },
            Structure::Block(inner) => {
                let mut fields = BTreeMap::new();
                for attr in inner.body.attributes() {
                    if let Some(v) = literal(&attr.value) {
                        fields.insert(attr.key.as_str().to_string(), v);
                    }
                }
                settings.insert(inner.ident.as_str().to_string(), Value::Object(fields));
            }
        }
    }
    Backend {
        path: settings
            .get("path")
            .and_then(Value::as_str)
            .map(str::to_string),
        kind,
        settings: Value::Object(settings),
        location,
    }
}

/// A literal HCL value as a [`Value`]; `None` for anything that needs evaluation.
pub fn literal(expr: &Expression) -> Option<Value> {
    match expr {
        Expression::Bool(b) => Some(Value::Bool(*b.value())),
        Expression::Number(n) => n.value().as_f64().map(Value::Number),
        Expression::Null(_) => Some(Value::Null),
        Expression::Array(items) => items
            .iter()
            .map(literal)
            .collect::<Option<Vec<_>>>()
            .map(Value::List),
        Expression::Object(obj) => {
            let mut out = BTreeMap::new();
            for (k, v) in obj.iter() {
                out.insert(object_key_name(k)?, literal(v.expr())?);
            }
            Some(Value::Object(out))
        }
        Expression::Variable(_) => None,
        other => literal_string(other).map(Value::String),
    }
}
