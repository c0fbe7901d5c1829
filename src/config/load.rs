//! Reads a stack directory's `*.tf` files into a [`Stack`].

use std::path::Path;
use std::sync::Arc;

use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::structure::{Attribute, Block, Body, Structure};
use hcl_edit::Span;

use super::model::*;
use super::types::parse_type;
use crate::diag::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::suggest::did_you_mean;

const TOP_LEVEL_BLOCKS: &[&str] = &[
    "terraform",
    "provider",
    "variable",
    "locals",
    "resource",
    "data",
    "output",
];
const UNSUPPORTED_BLOCKS: &[&str] = &["module", "moved", "import", "check", "removed"];

/// Loads every `*.tf` file (hidden files excluded) of `dir`, in name order.
pub fn load_stack(dir: &Path) -> Result<Stack, Diagnostics> {
    let mut diags = Diagnostics::new();
    let dir = dir.to_path_buf();
    let entries = std::fs::read_dir(&dir).map_err(|e| {
        Diagnostic::error(format!(
            "cannot read the stack directory `{}`: {e}",
            dir.display()
        ))
        .hint("pass the directory holding your `*.tf` files, or run labform inside it")
    })?;
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.ends_with(".tf") && !name.starts_with('.') && p.is_file()
        })
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(
            Diagnostic::error(format!("no `*.tf` files in `{}`", dir.display()))
                .hint(
                    "a stack is a directory of Terraform files; pass its path or use `-chdir=DIR`",
                )
                .into(),
        );
    }
    let mut sources = Vec::new();
    for path in paths {
        match std::fs::read(&path) {
            Ok(bytes) => sources.push((path, bytes)),
            Err(e) => diags.push(Diagnostic::error(format!(
                "cannot read `{}`: {e}",
                path.display()
            ))),
        }
    }
    diags.into_result()?;
    load_sources(&dir, sources)
}

/// Loads a stack from file contents already read (a saved plan carries them).
pub fn load_sources(
    dir: &Path,
    sources: Vec<(std::path::PathBuf, Vec<u8>)>,
) -> Result<Stack, Diagnostics> {
    let mut diags = Diagnostics::new();
    let name = std::fs::canonicalize(dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "stack".to_string());
    let mut stack = Stack {
        dir: dir.to_path_buf(),
        name,
        ..Stack::default()
    };
    for (path, bytes) in sources {
        let display = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                diags.push(Diagnostic::error(format!(
                    "`{display}` is not valid UTF-8 text"
                )));
                continue;
            }
        };
        let file = SourceFile::new(path, display, text);
        stack.files.push(file.clone());
        match parse_file(&file) {
            Ok(body) => load_body(&mut stack, &file, body, &mut diags),
            Err(d) => diags.push(d),
        }
    }
    diags.into_result()?;
    Ok(stack)
}

/// Parses one file's text, turning a syntax error into a diagnostic at its position.
pub fn parse_file(file: &Arc<SourceFile>) -> Result<Body, Diagnostic> {
    hcl_edit::parser::parse_body(&file.text).map_err(|e| {
        let offset = e.location().offset();
        let end = (offset + 1).min(file.text.len()).max(offset);
        let message = e
            .message()
            .lines()
            .next()
            .unwrap_or("invalid syntax")
            .to_string();
        Diagnostic::error(format!(
            "invalid HCL syntax: {}",
            message.trim_end_matches('.')
        ))
        .at(Some(Location {
            file: file.clone(),
            span: offset..end,
        }))
        .detail(e.message().lines().skip(1).collect::<Vec<_>>().join("\n"))
    })
}

fn loc(file: &Arc<SourceFile>, span: Option<std::ops::Range<usize>>) -> Option<Location> {
    Location::new(file, span)
}

fn load_body(stack: &mut Stack, file: &Arc<SourceFile>, body: Body, diags: &mut Diagnostics) {
    for structure in body.into_iter() {
        match structure {
            Structure::Attribute(attr) => diags.push(
                Diagnostic::error(format!(
                    "unexpected attribute `{}` at the top level",
                    attr.key.as_str()
                ))
                .at(loc(file, attr.span()))
                .hint("top-level attributes belong in a `.tfvars` file or inside a block"),
            ),
            Structure::Block(block) => load_block(stack, file, block, diags),
        }
    }
}

fn load_block(stack: &mut Stack, file: &Arc<SourceFile>, block: Block, diags: &mut Diagnostics) {
    let kind = block.ident.as_str().to_string();
    let location = loc(file, block.ident.span());
    let labels: Vec<String> = block
        .labels
        .iter()
        .map(|l| l.as_str().to_string())
        .collect();
    let want = |n: usize, what: &str, diags: &mut Diagnostics| -> bool {
        if labels.len() != n {
            diags.push(
                Diagnostic::error(format!(
                    "a `{kind}` block needs {what}, found {} label(s)",
                    labels.len()
                ))
                .at(location.clone()),
            );
            false
        } else {
            true
        }
    };
    match kind.as_str() {
        "terraform" => load_terraform(stack, file, block.body, diags),
        "variable" if want(1, "one label, the variable name", diags) => {
            if let Some(v) = load_variable(&labels[0], file, block.body, location.clone(), diags) {
                if stack.variables.contains_key(&v.name) {
                    diags.push(duplicate("variable", &v.name, location));
                } else {
                    stack.variables.insert(v.name.clone(), v);
                }
            }
        }
        "locals" => {
            for structure in block.body.into_iter() {
                match structure {
                    Structure::Attribute(attr) => {
                        let name = attr.key.as_str().to_string();
                        let l = loc(file, attr.key.span());
                        if stack.locals.contains_key(&name) {
                            diags.push(duplicate("local value", &name, l));
                        } else {
                            stack.locals.insert(
                                name.clone(),
                                Local {
                                    name,
                                    expr: Expr {
                                        expr: attr.value,
                                        file: file.clone(),
                                    },
                                },
                            );
                        }
                    }
                    Structure::Block(b) => diags.push(
                        Diagnostic::error("blocks are not allowed inside `locals`")
                            .at(loc(file, b.ident.span()))
                            .hint("write `name = value` attributes"),
                    ),
                }
            }
        }
        "provider" if want(1, "one label, the provider name", diags) => {
            let mut body = block.body;
            let alias = take_attr(&mut body, "alias").and_then(|a| literal_string(&a.value));
            let p = ProviderBlock {
                name: labels[0].clone(),
                alias,
                body: BodyRef {
                    body,
                    file: file.clone(),
                },
                location: location.clone(),
            };
            let key = p.key();
            match stack.providers.entry(key) {
                std::collections::btree_map::Entry::Occupied(e) => {
                    diags.push(duplicate("provider configuration", e.key(), location).hint(
                        "give the second one an `alias` and select it with `provider = NAME.ALIAS`",
                    ))
                }
                std::collections::btree_map::Entry::Vacant(e) => {
                    e.insert(p);
                }
            }
        }
        "resource" | "data" if want(2, "two labels, the type and the name", diags) => {
            let mode = if kind == "data" {
                Mode::Data
            } else {
                Mode::Managed
            };
            if let Some(r) = load_resource(
                mode,
                &labels[0],
                &labels[1],
                file,
                block.body,
                location.clone(),
                diags,
            ) {
                let addr = r.address();
                match stack.resources.entry(addr) {
                    std::collections::btree_map::Entry::Occupied(e) => {
                        diags.push(duplicate(&kind, e.key(), location))
                    }
                    std::collections::btree_map::Entry::Vacant(e) => {
                        e.insert(Arc::new(r));
                    }
                }
            }
        }
        "output" if want(1, "one label, the output name", diags) => {
            if let Some(o) = load_output(&labels[0], file, block.body, location.clone(), diags) {
                if stack.outputs.contains_key(&o.name) {
                    diags.push(duplicate("output", &o.name, location));
                } else {
                    stack.outputs.insert(o.name.clone(), o);
                }
            }
        }
        "variable" | "provider" | "resource" | "data" | "output" => {}
        k if UNSUPPORTED_BLOCKS.contains(&k) => diags.push(
            Diagnostic::error(format!("`{k}` blocks are not supported by labform yet"))
                .at(location)
                .hint(match k {
                    "module" => "copy the module's resources into this stack for now".to_string(),
                    _ => format!("remove the `{k}` block; labform does not read it yet"),
                }),
        ),
        other => diags.push(
            Diagnostic::error(format!("unknown block type `{other}`"))
                .at(location)
                .maybe_hint(did_you_mean(other, TOP_LEVEL_BLOCKS.iter().copied(), |s| {
                    s.to_string()
                }))
                .detail(format!("expected one of: {}", TOP_LEVEL_BLOCKS.join(", "))),
        ),
    }
}

fn duplicate(what: &str, name: &str, location: Option<Location>) -> Diagnostic {
    Diagnostic::error(format!("duplicate {what} `{name}`"))
        .at(location)
        .hint("names must be unique within a stack")
}

fn load_terraform(stack: &mut Stack, file: &Arc<SourceFile>, body: Body, diags: &mut Diagnostics) {
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
                let kind = b.labels.first().map(|l| l.as_str().to_string()).unwrap_or_default();
                let path = b.body.get_attribute("path").and_then(|a| literal_string(&a.value));
                stack.terraform.backend = Some(Backend { kind, path, location: loc(file, b.ident.span()) });
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

fn load_variable(
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

fn unknown_in_block(
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

fn not_literal(what: &str, file: &Arc<SourceFile>, expr: &Expression) -> Diagnostic {
    Diagnostic::error(format!("`{what}` must be a literal value")).at(loc(file, expr.span()))
}

#[allow(clippy::too_many_arguments)]
fn load_resource(
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
            Structure::Block(b) => diags.push(
                Diagnostic::error(format!(
                    "`{}` blocks (pre/postconditions) are not supported yet",
                    b.ident.as_str()
                ))
                .at(loc(file, b.ident.span()))
                .hint("remove the block; labform does not check conditions yet"),
            ),
        }
    }
}

fn load_output(
    name: &str,
    file: &Arc<SourceFile>,
    body: Body,
    location: Option<Location>,
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

fn object_key_name(key: &hcl_edit::expr::ObjectKey) -> Option<String> {
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
fn traversal_path(expr: &Expression) -> Option<Vec<String>> {
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

/// `depends_on = [aws_vpc.main, data.aws_ami.x]` as resource addresses.
fn reference_list(
    attr: &Attribute,
    file: &Arc<SourceFile>,
    diags: &mut Diagnostics,
) -> Vec<(String, Option<Location>)> {
    let Expression::Array(items) = &attr.value else {
        diags.push(
            Diagnostic::error("`depends_on` must be a list of resource references")
                .at(loc(file, attr.value.span()))
                .hint("write `depends_on = [aws_vpc.main]`"),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items.iter() {
        let l = loc(file, item.span());
        match traversal_parts(item) {
            Some(p) if p.len() >= 3 && p[0] == "data" => {
                out.push((format!("data.{}.{}", p[1], p[2]), l))
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
