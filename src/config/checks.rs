//! Loaders for conditions and the blocks made of them: `precondition`/`postcondition` in
//! `lifecycle`, `check` blocks with `assert`, `removed` and `import` blocks.

use std::sync::Arc;

use hcl_edit::structure::{Body, Structure};
use hcl_edit::Span;

use super::blocks::load_resource;
use super::blocks::{loc, not_literal, unknown_in_block};
use super::literal::{address_text, literal_bool};
use super::model::{Check, Expr, Import, Mode, Removed, ResourceBlock, Scope, Validation};
use crate::diag::{Diagnostic, Diagnostics, Location, SourceFile};

/// A block holding `condition` and `error_message` (`validation`, `precondition`,
/// `postcondition`, `assert`).
pub(super) fn load_condition(
    kind: &str,
    file: &Arc<SourceFile>,
    body: Body,
    location: Option<Location>,
    diags: &mut Diagnostics,
) -> Option<Validation> {
    let mut condition = None;
    let mut error_message = None;
    for structure in body.into_iter() {
        match structure {
            Structure::Attribute(attr) => {
                let expr = Expr {
                    expr: attr.value.clone(),
                    file: file.clone(),
                };
                match attr.key.as_str() {
                    "condition" => condition = Some(expr),
                    "error_message" => error_message = Some(expr),
                    other => diags.push(unknown_in_block(
                        kind,
                        other,
                        &["condition", "error_message"],
                        loc(file, attr.key.span()),
                    )),
                }
            }
            Structure::Block(b) => diags.push(
                Diagnostic::error(format!(
                    "unexpected block `{}` in `{kind}`",
                    b.ident.as_str()
                ))
                .at(loc(file, b.ident.span())),
            ),
        }
    }
    match (condition, error_message) {
        (Some(condition), Some(error_message)) => Some(Validation {
            condition,
            error_message,
        }),
        _ => {
            diags.push(
                Diagnostic::error(format!(
                    "a `{kind}` block needs `condition` and `error_message`"
                ))
                .at(location),
            );
            None
        }
    }
}

/// `check "name" { assert { condition = ..., error_message = ... } }`.
pub(super) fn load_check(
    name: &str,
    file: &Arc<SourceFile>,
    body: Body,
    location: Option<Location>,
    scope: &Arc<Scope>,
    diags: &mut Diagnostics,
) -> Option<Check> {
    let mut asserts = Vec::new();
    let mut data: Option<Arc<ResourceBlock>> = None;
    for structure in body.into_iter() {
        match structure {
            Structure::Block(b) if b.ident.as_str() == "assert" => {
                let at = loc(file, b.ident.span());
                asserts.extend(load_condition("assert", file, b.body, at, diags));
            }
            Structure::Block(b) if b.ident.as_str() == "data" => {
                let at = loc(file, b.ident.span());
                if data.is_some() {
                    diags.push(
                        Diagnostic::error(format!("check `{name}` has more than one `data` block"))
                            .at(at)
                            .hint("a check block can hold one scoped data source, as in Terraform"),
                    );
                    continue;
                }
                data = load_scoped_data(file, b, at, diags).map(|r| {
                    Arc::new(ResourceBlock {
                        scope: scope.clone(),
                        ..r
                    })
                });
            }
            Structure::Block(b) => diags.push(unknown_in_block(
                "check",
                b.ident.as_str(),
                &["assert", "data"],
                loc(file, b.ident.span()),
            )),
            Structure::Attribute(attr) => diags.push(unknown_in_block(
                "check",
                attr.key.as_str(),
                &["assert", "data"],
                loc(file, attr.key.span()),
            )),
        }
    }
    if asserts.is_empty() && !diags.has_errors() {
        diags.push(
            Diagnostic::error(format!("check `{name}` has no `assert` block"))
                .at(location.clone())
                .hint("add `assert { condition = ..., error_message = \"...\" }`"),
        );
    }
    Some(Check {
        name: name.to_string(),
        asserts,
        data,
        location,
    })
}

/// `data "TYPE" "NAME" { ... }` inside a `check`: one instance, no `count` or `for_each`.
fn load_scoped_data(
    file: &Arc<SourceFile>,
    block: hcl_edit::structure::Block,
    location: Option<Location>,
    diags: &mut Diagnostics,
) -> Option<ResourceBlock> {
    let labels: Vec<String> = block
        .labels
        .iter()
        .map(|l| l.as_str().to_string())
        .collect();
    let [type_name, data_name] = labels.as_slice() else {
        diags.push(
            Diagnostic::error("a `data` block needs two labels, the type and the name")
                .at(location),
        );
        return None;
    };
    let r = load_resource(
        Mode::Data,
        type_name,
        data_name,
        file,
        block.body,
        location.clone(),
        diags,
    )?;
    if r.count.is_some() || r.for_each.is_some() {
        diags.push(
            Diagnostic::error(
                "a scoped `data` block in a `check` cannot use `count` or `for_each` in labform",
            )
            .at(location)
            .hint("read one object in the check, or declare the data source at the top level"),
        );
        return None;
    }
    Some(r)
}

/// `removed { from = ADDR  lifecycle { destroy = false } }`.
pub(super) fn load_removed(
    file: &Arc<SourceFile>,
    body: Body,
    location: Option<Location>,
    diags: &mut Diagnostics,
) -> Option<Removed> {
    let mut from = None;
    let mut destroy = true;
    for structure in body.into_iter() {
        match structure {
            Structure::Attribute(attr) if attr.key.as_str() == "from" => {
                match address_text(&attr.value) {
                    Some(text) => from = Some(text),
                    None => diags.push(
                        Diagnostic::error(
                            "`removed` takes an address like `aws_s3_bucket.b` or `module.m`",
                        )
                        .at(loc(file, attr.value.span())),
                    ),
                }
            }
            Structure::Attribute(attr) => diags.push(unknown_in_block(
                "removed",
                attr.key.as_str(),
                &["from"],
                loc(file, attr.key.span()),
            )),
            Structure::Block(b) if b.ident.as_str() == "lifecycle" => {
                for s in b.body.into_iter() {
                    match s {
                        Structure::Attribute(a) if a.key.as_str() == "destroy" => {
                            match literal_bool(&a.value) {
                                Some(d) => destroy = d,
                                None => diags.push(not_literal("destroy", file, &a.value)),
                            }
                        }
                        Structure::Attribute(a) => diags.push(unknown_in_block(
                            "lifecycle",
                            a.key.as_str(),
                            &["destroy"],
                            loc(file, a.key.span()),
                        )),
                        Structure::Block(inner) => diags.push(
                            Diagnostic::error(format!(
                                "unexpected block `{}` in a `removed` block's `lifecycle`",
                                inner.ident.as_str()
                            ))
                            .at(loc(file, inner.ident.span())),
                        ),
                    }
                }
            }
            Structure::Block(b) if b.ident.as_str() == "provisioner" => diags.push(
                Diagnostic::error("`provisioner` blocks are not supported by labform")
                    .at(loc(file, b.ident.span())),
            ),
            Structure::Block(b) => diags.push(unknown_in_block(
                "removed",
                b.ident.as_str(),
                &["lifecycle"],
                loc(file, b.ident.span()),
            )),
        }
    }
    match from {
        Some(from) => Some(Removed {
            from,
            destroy,
            location,
        }),
        None => {
            diags.push(
                Diagnostic::error("a `removed` block needs `from`")
                    .at(location)
                    .hint("write `from = aws_s3_bucket.old`"),
            );
            None
        }
    }
}

/// `import { to = ADDR, id = "...", for_each = ..., provider = aws.west }`.
pub(super) fn load_import(
    file: &Arc<SourceFile>,
    body: Body,
    location: Option<Location>,
    diags: &mut Diagnostics,
) -> Option<Import> {
    let (mut to, mut id, mut for_each, mut provider) = (None, None, None, None);
    for structure in body.into_iter() {
        match structure {
            Structure::Attribute(attr) => {
                let key = attr.key.as_str().to_string();
                let expr = Expr {
                    expr: attr.value.clone(),
                    file: file.clone(),
                };
                match key.as_str() {
                    "to" => to = Some(expr),
                    "id" => id = Some(expr),
                    "for_each" => for_each = Some(expr),
                    "provider" => match address_text(&attr.value) {
                        Some(p) => provider = Some(p),
                        None => diags.push(
                            Diagnostic::error(
                                "`provider` takes a provider configuration like `aws` or `aws.west`",
                            )
                            .at(loc(file, attr.value.span())),
                        ),
                    },
                    "identity" => diags.push(
                        Diagnostic::error("`identity` in an `import` block is not supported by labform")
                            .at(loc(file, attr.key.span()))
                            .hint("import by `id` instead"),
                    ),
                    other => diags.push(unknown_in_block(
                        "import",
                        other,
                        &["to", "id", "for_each", "provider"],
                        loc(file, attr.key.span()),
                    )),
                }
            }
            Structure::Block(b) => diags.push(unknown_in_block(
                "import",
                b.ident.as_str(),
                &[],
                loc(file, b.ident.span()),
            )),
        }
    }
    let missing = |what: &str, example: &str, diags: &mut Diagnostics| {
        diags.push(
            Diagnostic::error(format!("an `import` block needs `{what}`"))
                .at(location.clone())
                .hint(format!("write `{what} = {example}`")),
        )
    };
    match (to, id) {
        (Some(to), Some(id)) => Some(Import {
            to,
            id,
            for_each,
            provider,
            location,
        }),
        (to, id) => {
            if to.is_none() {
                missing("to", "aws_s3_bucket.b", diags);
            }
            if id.is_none() {
                missing("id", "\"my-bucket\"", diags);
            }
            None
        }
    }
}
