//! Reads a stack directory's `*.tf` files into a [`Stack`].

use std::path::Path;
use std::sync::Arc;

use hcl_edit::structure::{Block, Body, Structure};
use hcl_edit::Span;

use super::blocks::{
    duplicate, load_output, load_resource, load_terraform, load_variable, loc, take_attr,
};
use super::literal::literal_string;
use super::model::*;
use super::module_call::{load_module_call, load_moved};
use crate::diag::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::suggest::did_you_mean;

const TOP_LEVEL_BLOCKS: &[&str] = &[
    "terraform",
    "labform",
    "provider",
    "variable",
    "locals",
    "resource",
    "data",
    "output",
    "module",
    "moved",
    "removed",
    "check",
    "import",
];

/// Loads every `*.tf` file (hidden files excluded) of `dir`, in name order, the Compose project
/// of `dir` (its `compose.yaml`, or the `-f` files in `compose`) as one more source (the docker
/// provider configuration it converts to), and the local modules it calls.
pub fn load_stack(dir: &Path, compose: &crate::compose::Settings) -> Result<Stack, Diagnostics> {
    let stack = load_dir(dir, Some(compose))?;
    super::modules::load_children(stack)
}

/// Loads one directory's `*.tf` files (and, for the root, its Compose project), without the
/// modules it calls.
pub(super) fn load_dir(
    dir: &Path,
    compose: Option<&crate::compose::Settings>,
) -> Result<Stack, Diagnostics> {
    let mut diags = Diagnostics::new();
    let dir = dir.to_path_buf();
    let entries = std::fs::read_dir(&dir).map_err(|e| {
        Diagnostic::error(format!(
            "cannot read the stack directory `{}`: {e}",
            dir.display()
        ))
        .hint("pass the directory holding your `*.tf` or compose files, or run labform inside it")
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
    let converted = match compose {
        Some(settings) => crate::compose::load(&dir, settings)?,
        None => None,
    };
    if paths.is_empty() && converted.is_none() {
        return Err(
            Diagnostic::error(format!("no `*.tf` or compose files in `{}`", dir.display()))
                .hint(
                    "a stack is a directory of Terraform files or a `compose.yaml`; pass its path or use `-chdir=DIR`",
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
    let mut warnings = Diagnostics::new();
    let mut generated = None;
    if let Some(c) = converted {
        // Errors the engine finds in it point at this text, which `labform convert` prints.
        let first = c
            .files
            .first()
            .and_then(|f| f.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "compose.yaml".into());
        let path = dir.join(format!("{first}.tf"));
        sources.push((path.clone(), c.text.into_bytes()));
        generated = Some((path, c.origins));
        warnings = c.warnings;
    }
    let mut stack = load_dir_sources(&dir, sources, generated)?;
    stack.warnings.extend(warnings);
    Ok(stack)
}

/// Loads a stack from file contents already read (a saved plan carries them); the modules it
/// calls are read from disk.
pub fn load_sources(
    dir: &Path,
    sources: Vec<(std::path::PathBuf, Vec<u8>)>,
) -> Result<Stack, Diagnostics> {
    super::modules::load_children(load_dir_sources(dir, sources, None)?)
}

/// `generated`: the path of a text made from Compose files, with its blocks' origins.
fn load_dir_sources(
    dir: &Path,
    sources: Vec<(std::path::PathBuf, Vec<u8>)>,
    mut generated: Option<(std::path::PathBuf, crate::diag::Origins)>,
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
        let file = match generated.take_if(|(generated, _)| *generated == path) {
            Some((_, origins)) => SourceFile::generated(path, display, text, origins),
            None => SourceFile::new(path, display, text),
        };
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
    super::syntax::parse_body(&file.text).map_err(|e| {
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
    let scope = Scope::root(&stack.dir);
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
        "labform" if want(0, "no labels", diags) => {
            super::labform_block::load_labform(stack, file, block.body, location, diags)
        }
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
                                    scope: scope.clone(),
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
                let r = ResourceBlock { scope, ..r };
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
            if let Some(o) =
                load_output(&labels[0], file, block.body, location.clone(), scope, diags)
            {
                if stack.outputs.contains_key(&o.name) {
                    diags.push(duplicate("output", &o.name, location));
                } else {
                    stack.outputs.insert(o.name.clone(), o);
                }
            }
        }
        "module" if want(1, "one label, the module name", diags) => {
            if let Some(call) =
                load_module_call(&labels[0], file, block.body, location.clone(), diags)
            {
                if stack.module_calls.contains_key(&call.name) {
                    diags.push(duplicate("module", &call.name, location));
                } else {
                    stack.module_calls.insert(call.name.clone(), call);
                }
            }
        }
        "moved" if want(0, "no labels", diags) => {
            if let Some(m) = load_moved(file, block.body, location, diags) {
                stack.moved.push(m);
            }
        }
        "removed" if want(0, "no labels", diags) => {
            stack.removed.extend(super::checks::load_removed(
                file, block.body, location, diags,
            ));
        }
        "import" if want(0, "no labels", diags) => {
            stack.imports.extend(super::checks::load_import(
                file, block.body, location, diags,
            ));
        }
        "check" if want(1, "one label, the check name", diags) => {
            if stack.checks.iter().any(|c| c.name == labels[0]) {
                diags.push(duplicate("check", &labels[0], location));
            } else {
                stack.checks.extend(super::checks::load_check(
                    &labels[0], file, block.body, location, &scope, diags,
                ));
            }
        }
        "variable" | "provider" | "resource" | "data" | "output" | "module" | "moved"
        | "removed" | "check" | "import" | "labform" => {}
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
