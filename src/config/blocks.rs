//! Loaders for each top-level block kind: `terraform`, `variable`, `resource`/`data` (with their
//! meta-arguments and `lifecycle`) and `output`.

use std::sync::Arc;

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Attribute, Block, Body, Structure};
use hcl_edit::Span;

use super::literal::{
    literal_bool, literal_string, object_key_name, reference_list, traversal_parts, traversal_path,
};
use super::model::*;
use super::types::parse_type;
use crate::diag::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::suggest::did_you_mean;

pub(super) fn loc(
    file: &Arc<SourceFile>,
    span: Option<std::ops::Range<usize>>,
) -> Option<Location> {
    Location::new(file, span)
}

pub(super) fn duplicate(what: &str, name: &str, location: Option<Location>) -> Diagnostic {
    Diagnostic::error(format!("duplicate {what} `{name}`"))
        .at(location)
        .hint("names must be unique within a stack")
}

pub(super) fn load_terraform(
    stack: &mut Stack,
    file: &Arc<SourceFile>,
    body: Body,
    diags: &mut Diagnostics,
) {
    for structure in body.into_iter() {
        match structure {
            Structure::Attribute(attr) if attr.key.as_str() == "required_version" => {
                match literal_string(&attr.value) {
                    Some(v) => stack.terraform.required_version = Some((v, loc(file, attr.value.span()))),
                    None => diags.push(not_literal("required_version", file, &attr.value)),
                }
            }
            Structure::Attribute(attr) if attr.key.as_str() == "experiments" => {}
            Structure::Block(b) if b.ident.as_str() == "required_providers" => {
                for s in b.body.into_iter() {
                    if let Structure::Attribute(attr) = s {
                        let name = attr.key.as_str().to_string();
                        let mut req = ProviderRequirement { location: loc(file, attr.key.span()), ..Default::default() };
                        match &attr.value {
                            Expression::Object(obj) => {
                                for (k, v) in obj.iter() {
                                    let key = object_key_name(k);
                                    let text = literal_string(v.expr());
                                    match key.as_deref() {
                                        Some("source") => req.source = text,
                                        Some("version") => req.version = text,
                                        _ => {}
                                    }
                                }
                            }
                            other => req.version = literal_string(other),
                        }
                        stack.terraform.required_providers.insert(name, req);
                    }
                }
            }
            Structure::Block(b) if b.ident.as_str() == "backend" => {
                stack.terraform.backend = Some(super::backend_block::load_backend(&b, file, diags));
            }
            Structure::Block(b) if b.ident.as_str() == "cloud" => diags.push(
                Diagnostic::error("the `cloud` block (HCP Terraform) is not supported by labform")
                    .at(loc(file, b.ident.span()))
                    .hint("remove it; labform keeps state in `.labform/state.json` or a `backend \"local\"` path"),
            ),
            Structure::Block(b) if b.ident.as_str() == "provider_meta" => {}
            Structure::Attribute(attr) => diags.push(
                Diagnostic::error(format!("unsupported attribute `{}` in the `terraform` block", attr.key.as_str()))
                    .at(loc(file, attr.key.span())),
            ),
            Structure::Block(b) => diags.push(
                Diagnostic::error(format!("unsupported block `{}` in the `terraform` block", b.ident.as_str()))
                    .at(loc(file, b.ident.span())),
            ),
        }
    }
}

pub(super) fn load_variable(
    name: &str,
    file: &Arc<SourceFile>,
    body: Body,
    location: Option<Location>,
    diags: &mut Diagnostics,
) -> Option<Variable> {
    let mut v = Variable {
        name: name.to_string(),
        ty: None,
        default: None,
        description: None,
        sensitive: false,
        nullable: true,
        validations: Vec::new(),
        location,
    };
    for structure in body.into_iter() {
        match structure {
            Structure::Attribute(attr) => match attr.key.as_str() {
                "type" => match parse_type(&attr.value) {
                    Ok(t) => v.ty = Some(t),
                    Err(msg) => diags.push(
                        Diagnostic::error(format!("invalid type for variable `{name}`: {msg}"))
                            .at(loc(file, attr.value.span()))
                            .hint("use a type like `string`, `number`, `bool`, `list(string)`, `map(string)` or `object({...})`"),
                    ),
                },
                "default" => v.default = Some(Expr { expr: attr.value, file: file.clone() }),
                "description" => v.description = literal_string(&attr.value),
                "sensitive" => v.sensitive = literal_bool(&attr.value).unwrap_or(false),
                "nullable" => v.nullable = literal_bool(&attr.value).unwrap_or(true),
                "ephemeral" => {}
                other => diags.push(unknown_in_block("variable", other, &["type", "default", "description", "sensitive", "nullable", "validation"], loc(file, attr.key.span()))),
            },
            Structure::Block(b) if b.ident.as_str() == "validation" => {
                let cond = b.body.get_attribute("condition").map(|a| a.value.clone());
                let msg = b.body.get_attribute("error_message").map(|a| a.value.clone());
                match (cond, msg) {
                    (Some(c), Some(m)) => v.validations.push(Validation {
                        condition: Expr { expr: c, file: file.clone() },
                        error_message: Expr { expr: m, file: file.clone() },
                    }),
                    _ => diags.push(
                        Diagnostic::error("a `validation` block needs `condition` and `error_message`")
                            .at(loc(file, b.ident.span())),
                    ),
                }
            }
            Structure::Block(b) => diags.push(unknown_in_block("variable", b.ident.as_str(), &["validation"], loc(file, b.ident.span()))),
        }
    }
    Some(v)
}

pub(super) fn unknown_in_block(
    block: &str,
    name: &str,
    known: &[&str],
    location: Option<Location>,
) -> Diagnostic {
    Diagnostic::error(format!(
        "unsupported argument `{name}` in a `{block}` block"
    ))
    .at(location)
    .maybe_hint(did_you_mean(name, known.iter().copied(), |s| s.to_string()))
    .detail(format!("expected one of: {}", known.join(", ")))
}

pub(super) fn not_literal(what: &str, file: &Arc<SourceFile>, expr: &Expression) -> Diagnostic {
    Diagnostic::error(format!("`{what}` must be a literal value")).at(loc(file, expr.span()))
}

pub(super) fn load_resource(
    mode: Mode,
    type_name: &str,
    name: &str,
    file: &Arc<SourceFile>,
    mut body: Body,
    location: Option<Location>,
    diags: &mut Diagnostics,
) -> Option<ResourceBlock> {
    let count = take_attr(&mut body, "count").map(|a| Expr {
        expr: a.value,
        file: file.clone(),
    });
    let for_each = take_attr(&mut body, "for_each").map(|a| Expr {
        expr: a.value,
        file: file.clone(),
    });
    if let (Some(_), Some(fe)) = (&count, &for_each) {
        diags.push(
            Diagnostic::error("`count` and `for_each` cannot both be set")
                .at(fe.location())
                .hint("keep one of them"),
        );
    }
    let depends_on = take_attr(&mut body, "depends_on")
        .map(|a| reference_list(&a, file, diags))
        .unwrap_or_default();
    let provider = match take_attr(&mut body, "provider") {
        Some(a) => match traversal_parts(&a.value) {
            Some(parts) if (1..=2).contains(&parts.len()) => {
                provider_key(&parts[0], parts.get(1).map(String::as_str))
            }
            _ => {
                diags.push(
                    Diagnostic::error(
                        "`provider` must be a provider reference like `aws` or `aws.west`",
                    )
                    .at(loc(file, a.value.span())),
                );
                implied_provider(type_name).to_string()
            }
        },
        None => implied_provider(type_name).to_string(),
    };
    let mut lifecycle = Lifecycle::default();
    for b in take_blocks(&mut body, "lifecycle") {
        load_lifecycle(&mut lifecycle, file, b.body, diags);
    }
    for kind in ["provisioner", "connection"] {
        for b in take_blocks(&mut body, kind) {
            diags.push(
                Diagnostic::error(format!("`{kind}` blocks are not supported by labform"))
                    .at(loc(file, b.ident.span()))
                    .hint("use a `local_file`, `terraform_data` or a script step outside the stack instead"),
            );
        }
    }
    Some(ResourceBlock {
        mode,
        type_name: type_name.to_string(),
        name: name.to_string(),
        count,
        for_each,
        depends_on,
        provider,
        lifecycle,
        body: BodyRef {
            body,
            file: file.clone(),
        },
        location,
        // The loader sets the scope of the module the block is in.
        scope: Arc::new(Scope::default()),
    })
}

fn load_lifecycle(lc: &mut Lifecycle, file: &Arc<SourceFile>, body: Body, diags: &mut Diagnostics) {
    for structure in body.into_iter() {
        match structure {
            Structure::Attribute(attr) => match attr.key.as_str() {
                "prevent_destroy" => match literal_bool(&attr.value) {
                    Some(b) => lc.prevent_destroy = b,
                    None => diags.push(not_literal("prevent_destroy", file, &attr.value)),
                },
                "create_before_destroy" => match literal_bool(&attr.value) {
                    Some(b) => lc.create_before_destroy = b,
                    None => diags.push(not_literal("create_before_destroy", file, &attr.value)),
                },
                "ignore_changes" => {
                    if matches!(&attr.value, Expression::Variable(v) if v.as_str() == "all") {
                        lc.ignore_changes = IgnoreChanges::All;
                    } else if let Expression::Array(items) = &attr.value {
                        let mut paths = Vec::new();
                        for item in items.iter() {
                            match traversal_path(item) {
                                Some(p) => paths.push(p),
                                None => diags.push(
                                    Diagnostic::error("`ignore_changes` takes attribute names like `tags` or `tags[\"owner\"]`")
                                        .at(loc(file, item.span())),
                                ),
                            }
                        }
                        lc.ignore_changes = IgnoreChanges::Paths(paths);
                    } else {
                        diags.push(
                            Diagnostic::error(
                                "`ignore_changes` must be a list of attribute names or `all`",
                            )
                            .at(loc(file, attr.value.span())),
                        );
                    }
                }
                "replace_triggered_by" => match &attr.value {
                    Expression::Array(items) => {
                        lc.replace_triggered_by = items
                            .iter()
                            .map(|e| Expr {
                                expr: e.clone(),
                                file: file.clone(),
                            })
                            .collect();
                    }
                    other => diags.push(
                        Diagnostic::error("`replace_triggered_by` must be a list of references")
                            .at(loc(file, other.span())),
                    ),
                },
                other => diags.push(unknown_in_block(
                    "lifecycle",
                    other,
                    &[
                        "prevent_destroy",
                        "create_before_destroy",
                        "ignore_changes",
                        "replace_triggered_by",
                    ],
                    loc(file, attr.key.span()),
                )),
            },
            Structure::Block(b) if matches!(b.ident.as_str(), "precondition" | "postcondition") => {
                let kind = b.ident.as_str().to_string();
                let at = loc(file, b.ident.span());
                if let Some(c) = super::checks::load_condition(&kind, file, b.body, at, diags) {
                    if kind == "precondition" {
                        lc.preconditions.push(c);
                    } else {
                        lc.postconditions.push(c);
                    }
                }
            }
            Structure::Block(b) => diags.push(unknown_in_block(
                "lifecycle",
                b.ident.as_str(),
                &["precondition", "postcondition"],
                loc(file, b.ident.span()),
            )),
        }
    }
}

pub(super) fn load_output(
    name: &str,
    file: &Arc<SourceFile>,
    body: Body,
    location: Option<Location>,
    scope: Arc<Scope>,
    diags: &mut Diagnostics,
) -> Option<Output> {
    let mut value = None;
    let mut out = Output {
        name: name.to_string(),
        value: Expr {
            expr: Expression::null(),
            file: file.clone(),
        },
        description: None,
        sensitive: false,
        depends_on: Vec::new(),
        location: location.clone(),
        scope,
    };
    for structure in body.into_iter() {
        match structure {
            Structure::Attribute(attr) => match attr.key.as_str() {
                "value" => {
                    value = Some(Expr {
                        expr: attr.value,
                        file: file.clone(),
                    })
                }
                "description" => out.description = literal_string(&attr.value),
                "sensitive" => out.sensitive = literal_bool(&attr.value).unwrap_or(false),
                "depends_on" => out.depends_on = reference_list(&attr, file, diags),
                "ephemeral" => {}
                other => diags.push(unknown_in_block(
                    "output",
                    other,
                    &["value", "description", "sensitive", "depends_on"],
                    loc(file, attr.key.span()),
                )),
            },
            Structure::Block(b) => diags.push(
                Diagnostic::error(format!(
                    "`{}` blocks are not supported in outputs yet",
                    b.ident.as_str()
                ))
                .at(loc(file, b.ident.span())),
            ),
        }
    }
    match value {
        Some(v) => {
            out.value = v;
            Some(out)
        }
        None => {
            diags.push(
                Diagnostic::error(format!("output `{name}` has no `value`"))
                    .at(location)
                    .hint("add `value = ...`"),
            );
            None
        }
    }
}

/// Removes and returns the attribute `key` from a body.
pub fn take_attr(body: &mut Body, key: &str) -> Option<Attribute> {
    body.remove_attribute(key)
}

fn take_blocks(body: &mut Body, ident: &str) -> Vec<Block> {
    body.remove_blocks(ident)
}
