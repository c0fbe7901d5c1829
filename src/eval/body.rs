//! Evaluates a block body against its schema into the object a provider receives.

use std::collections::BTreeMap;

use hcl_edit::structure::{Block, Body, Structure};
use hcl_edit::Span;
use labform_sdk::types::normalize_set;
use labform_sdk::{BlockSchema, Nesting, Value};

use super::{Evaluator, Marked, Marks};
use crate::config::literal::literal_string;
use crate::config::BodyRef;
use crate::diag::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::suggest::did_you_mean;

/// Evaluates `body` as a block of `schema`: every attribute present (null when unset), every
/// nested block type present (null / empty list when absent). `what` names the block in
/// messages (`resource \`aws_s3_bucket.b\``); `at` is where the block starts.
pub fn eval_body(
    ev: &mut Evaluator,
    body: &BodyRef,
    schema: &BlockSchema,
    what: &str,
    at: Option<Location>,
) -> Result<Value, Diagnostics> {
    eval_body_marked(ev, body, schema, what, at).map(|m| m.value)
}

/// [`eval_body`] with the marks of the sensitive parts of the object, at their paths
/// (`["password"]`, `["env", "0"]`).
pub fn eval_body_marked(
    ev: &mut Evaluator,
    body: &BodyRef,
    schema: &BlockSchema,
    what: &str,
    at: Option<Location>,
) -> Result<Marked, Diagnostics> {
    let mut diags = Diagnostics::new();
    let v = eval_block(ev, &body.body, &body.file, schema, what, at, &mut diags);
    diags.into_result().map(|_| v)
}

fn eval_block(
    ev: &mut Evaluator,
    body: &Body,
    file: &std::sync::Arc<SourceFile>,
    schema: &BlockSchema,
    what: &str,
    at: Option<Location>,
    diags: &mut Diagnostics,
) -> Marked {
    let mut out = match schema.empty_value() {
        Value::Object(m) => m,
        _ => BTreeMap::new(),
    };
    let mut marks = Marks::none();
    let mut blocks: BTreeMap<String, Vec<Marked>> = BTreeMap::new();
    let mut unknown_blocks: Vec<String> = Vec::new();
    for structure in body.iter() {
        match structure {
            Structure::Attribute(attr) => {
                let name = attr.key.as_str();
                let loc = Location::new(file, attr.key.span());
                let Some(schema_attr) = schema.attributes.get(name) else {
                    diags.push(unknown_name(schema, name, what, loc, false));
                    continue;
                };
                if !schema_attr.is_settable() {
                    diags.push(
                        Diagnostic::error(format!(
                            "`{name}` is computed by the provider and cannot be set in {what}"
                        ))
                        .at(loc)
                        .hint(format!(
                            "remove `{name} = ...`; read it as an attribute after apply"
                        )),
                    );
                    continue;
                }
                match ev.eval_expr(&attr.value) {
                    Ok(m) => match schema_attr.ty.convert(&m.value) {
                        Ok(v) => {
                            // A conversion that reorders (a set) moves marked parts: then
                            // the whole attribute is marked.
                            let m_attr = if v == m.value {
                                m.marks
                            } else {
                                m.marks.collapsed()
                            };
                            marks.nest(name, &m_attr);
                            out.insert(name.to_string(), v);
                        }
                        Err(msg) => {
                            let msg = if m.is_marked() {
                                without_value(&msg)
                            } else {
                                msg
                            };
                            diags.push(
                                Diagnostic::error(format!(
                                    "invalid value for `{name}` in {what}: {msg}"
                                ))
                                .at(Location::new(file, attr.value.span())),
                            )
                        }
                    },
                    Err(e) => diags.push(e.into_diagnostic(file)),
                }
            }
            Structure::Block(block) if block.ident.as_str() == "dynamic" => {
                match eval_dynamic(ev, block, file, schema, what, diags) {
                    Some((name, Some(items))) => blocks.entry(name).or_default().extend(items),
                    Some((name, None)) => unknown_blocks.push(name),
                    None => {}
                }
            }
            Structure::Block(block) => {
                let name = block.ident.as_str();
                let loc = Location::new(file, block.ident.span());
                let Some(nested) = schema.blocks.get(name) else {
                    diags.push(unknown_name(schema, name, what, loc, true));
                    continue;
                };
                let v = eval_block(
                    ev,
                    &block.body,
                    file,
                    &nested.block,
                    &format!("the `{name}` block"),
                    loc,
                    diags,
                );
                blocks.entry(name.to_string()).or_default().push(v);
            }
        }
    }
    for (name, nested) in &schema.blocks {
        if unknown_blocks.contains(name) {
            out.insert(name.clone(), Value::Unknown);
            continue;
        }
        let items = blocks.remove(name).unwrap_or_default();
        let mut block_marks = Marks::none();
        for (i, item) in items.iter().enumerate() {
            match nested.nesting {
                Nesting::Single => block_marks.union(&item.marks),
                _ => block_marks.nest(&i.to_string(), &item.marks),
            }
        }
        if nested.nesting == Nesting::Set {
            // Sorting moves the blocks: mark the set as a whole.
            block_marks = block_marks.collapsed();
        }
        marks.nest(name, &block_marks);
        let items: Vec<Value> = items.into_iter().map(|m| m.value).collect();
        if items.len() < nested.min_items {
            diags.push(
                Diagnostic::error(format!(
                    "{what} needs at least {} `{name}` block(s)",
                    nested.min_items
                ))
                .at(at.clone()),
            );
        }
        if let Some(max) = nested.max_items {
            if items.len() > max {
                diags.push(
                    Diagnostic::error(format!(
                        "{what} allows at most {max} `{name}` block(s), found {}",
                        items.len()
                    ))
                    .at(at.clone()),
                );
            }
        }
        let v = match nested.nesting {
            Nesting::Single => items.into_iter().next().unwrap_or(Value::Null),
            Nesting::List => Value::List(items),
            Nesting::Set => Value::List(normalize_set(items)),
        };
        out.insert(name.clone(), v);
    }
    for (name, attr) in &schema.attributes {
        if attr.presence == labform_sdk::Presence::Required
            && out.get(name).is_none_or(Value::is_null)
        {
            diags.push(
                Diagnostic::error(format!("missing required argument `{name}` in {what}"))
                    .at(at.clone())
                    .hint(format!("add `{name} = ...`{}", describe(attr.description))),
            );
        }
    }
    Marked::new(Value::Object(out), marks)
}

/// A conversion error without the part that quotes the value (`, got the string "..."`).
fn without_value(msg: &str) -> String {
    let head = msg.split(", got ").next().unwrap_or(msg);
    format!("{head}; the given value is sensitive, so it is not shown")
}

fn describe(text: &str) -> String {
    if text.is_empty() {
        String::new()
    } else {
        format!(" ({text})")
    }
}

fn unknown_name(
    schema: &BlockSchema,
    name: &str,
    what: &str,
    loc: Option<Location>,
    is_block: bool,
) -> Diagnostic {
    if !is_block && schema.blocks.contains_key(name) {
        return Diagnostic::error(format!("`{name}` is a block in {what}, not an argument"))
            .at(loc)
            .hint(format!("write `{name} {{ ... }}` without `=`"));
    }
    if is_block && schema.attributes.contains_key(name) {
        return Diagnostic::error(format!("`{name}` is an argument in {what}, not a block"))
            .at(loc)
            .hint(format!("write `{name} = {{ ... }}`"));
    }
    let kind = if is_block { "block type" } else { "argument" };
    let settable = schema
        .attributes
        .iter()
        .filter(|(_, a)| a.is_settable())
        .map(|(n, _)| n.as_str())
        .chain(schema.blocks.keys().map(String::as_str));
    Diagnostic::error(format!("unsupported {kind} `{name}` in {what}"))
        .at(loc)
        .maybe_hint(did_you_mean(name, settable, |s| s.to_string()))
}

/// Expands a `dynamic "NAME" { for_each, iterator, content {} }` block. Returns the block name and
/// its generated blocks, or `None` for the list when `for_each` is not known yet.
fn eval_dynamic(
    ev: &mut Evaluator,
    block: &Block,
    file: &std::sync::Arc<SourceFile>,
    schema: &BlockSchema,
    what: &str,
    diags: &mut Diagnostics,
) -> Option<(String, Option<Vec<Marked>>)> {
    let loc = Location::new(file, block.ident.span());
    let Some(name) = block.labels.first().map(|l| l.as_str().to_string()) else {
        diags.push(
            Diagnostic::error("a `dynamic` block needs a label: the block type it generates")
                .at(loc),
        );
        return None;
    };
    let Some(nested) = schema.blocks.get(&name) else {
        diags.push(unknown_name(schema, &name, what, loc, true));
        return None;
    };
    let Some(for_each) = block.body.get_attribute("for_each") else {
        diags.push(
            Diagnostic::error(format!("the `dynamic \"{name}\"` block needs `for_each`")).at(loc),
        );
        return None;
    };
    let iterator = block
        .body
        .get_attribute("iterator")
        .and_then(|a| literal_string(&a.value))
        .unwrap_or_else(|| name.clone());
    let Some(content) = block.body.get_blocks("content").next() else {
        diags.push(
            Diagnostic::error(format!(
                "the `dynamic \"{name}\"` block needs a `content` block"
            ))
            .at(loc),
        );
        return None;
    };
    let collection = match ev.eval_expr(&for_each.value) {
        Ok(v) => v,
        Err(e) => {
            diags.push(e.into_diagnostic(file));
            return None;
        }
    };
    let coll_marks = collection.marks;
    let pairs: Vec<(Value, Marked)> = match collection.value {
        Value::Unknown => return Some((name, None)),
        Value::Null => Vec::new(),
        Value::List(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                let m = coll_marks.child(&i.to_string());
                (Value::Number(i as f64), Marked::new(v, m))
            })
            .collect(),
        Value::Object(map) => map
            .into_iter()
            .map(|(k, v)| {
                let m = coll_marks.child(&k);
                (Value::String(k), Marked::new(v, m))
            })
            .collect(),
        other => {
            diags.push(
                Diagnostic::error(format!(
                    "`for_each` in a dynamic block needs a collection, got a {}",
                    other.kind_name()
                ))
                .at(Location::new(file, for_each.value.span())),
            );
            return None;
        }
    };
    let mut items = Vec::with_capacity(pairs.len());
    for (key, value) in pairs {
        let mut m = Marks::whole_if(coll_marks.is_whole());
        m.nest("value", &value.marks);
        ev.bind(
            &iterator,
            Marked::new(Value::from_pairs([("key", key), ("value", value.value)]), m),
        );
        let v = eval_block(
            ev,
            &content.body,
            file,
            &nested.block,
            &format!("the `{name}` block"),
            loc.clone(),
            diags,
        );
        ev.unbind(1);
        items.push(v);
    }
    Some((name, Some(items)))
}
