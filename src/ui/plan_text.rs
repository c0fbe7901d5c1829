//! The plan as a Terraform user reads it: `+`, `~`, `-/+`, `-`, attribute diffs,
//! `(known after apply)`, `(sensitive value)`, `# forces replacement`, and the summary line.

use std::collections::{BTreeMap, BTreeSet};

use labform_sdk::Value;

use super::values::{key, render, render_marked};
use crate::eval::marks::SENSITIVE;
use crate::eval::Marks;
use crate::plan::{Action, OutputChange, Plan, ResourceChange};

/// The sensitive parts of both sides of a diff.
struct Sides<'a> {
    before: &'a Marks,
    after: &'a Marks,
}

pub fn render_plan(plan: &Plan) -> String {
    let mut s = String::new();
    if !plan.drift.is_empty() {
        s.push_str("Note: objects have changed outside of labform\n\n");
        for d in &plan.drift {
            s.push_str(&format!("  - {d}\n"));
        }
        s.push('\n');
    }
    let moved_from: std::collections::HashMap<&str, &str> = plan
        .moved
        .iter()
        .map(|(f, t)| (t.as_str(), f.as_str()))
        .collect();
    let mut changes: Vec<&ResourceChange> = plan
        .changes
        .iter()
        .filter(|c| {
            c.action != Action::NoOp
                || c.importing.is_some()
                || moved_from.contains_key(c.addr.to_string().as_str())
        })
        .collect();
    changes.sort_by_key(|c| c.addr.to_string());
    let mut outputs: Vec<&OutputChange> = plan
        .outputs
        .iter()
        .filter(|o| o.action() != Action::NoOp)
        .collect();
    outputs.sort_by(|a, b| a.name.cmp(&b.name));
    if changes.is_empty() && outputs.is_empty() && plan.forget.is_empty() {
        s.push_str("No changes. Your infrastructure matches the configuration.\n");
        return s;
    }
    if !changes.is_empty() || !plan.forget.is_empty() {
        if changes.iter().any(|c| c.action != Action::NoOp) {
            s.push_str("Resource actions are indicated with the following symbols:\n");
            s.push_str(&legend(&changes));
            s.push('\n');
        }
        s.push_str("labform will perform the following actions:\n\n");
        for c in &changes {
            let addr = c.addr.to_string();
            match moved_from.get(addr.as_str()) {
                // As Terraform: a move alone reads "has moved to"; with a change, a note.
                Some(from) if c.action == Action::NoOp => {
                    let body = render_change(c);
                    let rest = body.split_once('\n').map(|x| x.1).unwrap_or("");
                    s.push_str(&format!("  # {from} has moved to {addr}\n{rest}"));
                }
                Some(from) => {
                    let body = render_change(c);
                    let (head, rest) = body.split_once('\n').unwrap_or((&body, ""));
                    s.push_str(&format!("{head}\n  # (moved from {from})\n{rest}"));
                }
                None if c.importing.is_some() => {
                    s.push_str(&render_import(c, plan.generated.contains_key(&addr)))
                }
                None => s.push_str(&render_change(c)),
            }
            s.push('\n');
        }
        for c in &plan.forget {
            s.push_str(&render_forget(c));
            s.push('\n');
        }
        let sum = plan.summary();
        let import = if sum.import > 0 {
            format!("{} to import, ", sum.import)
        } else {
            String::new()
        };
        s.push_str(&format!(
            "Plan: {import}{} to add, {} to change, {} to destroy.\n",
            sum.add, sum.change, sum.destroy
        ));
    }
    if !outputs.is_empty() {
        s.push_str("\nChanges to Outputs:\n");
        let width = outputs.iter().map(|o| o.name.len()).max().unwrap_or(0);
        for o in outputs {
            s.push_str(&render_output(o, width));
        }
    }
    s
}

fn legend(changes: &[&ResourceChange]) -> String {
    let mut used = BTreeSet::new();
    for c in changes {
        used.insert(c.action as u8);
    }
    let entries = [
        (Action::Create, "  + create"),
        (Action::Update, "  ~ update in-place"),
        (Action::Delete, "  - destroy"),
        (
            Action::DeleteThenCreate,
            "-/+ destroy and then create replacement",
        ),
        (
            Action::CreateThenDelete,
            "+/- create replacement and then destroy",
        ),
        (Action::Read, " <= read (data resources)"),
    ];
    let lines: Vec<&str> = entries
        .iter()
        .filter(|(a, _)| used.contains(&(*a as u8)))
        .map(|(_, l)| *l)
        .collect();
    format!("{}\n", lines.join("\n"))
}

fn symbol(action: Action) -> &'static str {
    match action {
        Action::Create => "  +",
        Action::Update => "  ~",
        Action::Delete => "  -",
        Action::DeleteThenCreate => "-/+",
        Action::CreateThenDelete => "+/-",
        Action::Read => " <=",
        Action::NoOp => "   ",
    }
}

/// An instance a `removed` block forgets, as Terraform shows it: ` . resource`, unchanged.
/// An instance an `import` block brings in, as Terraform shows it: "will be imported" with the
/// object as read when nothing else changes, else the change with "(imported from ...)".
/// `generated`: its configuration was written by `-generate-config-out`.
fn render_import(c: &ResourceChange, generated: bool) -> String {
    let id = c.importing.as_deref().unwrap_or_default();
    let note = if generated {
        "  # (config will be generated)\n"
    } else {
        ""
    };
    if c.action != Action::NoOp {
        let body = render_change(c);
        let (head, rest) = body.split_once('\n').unwrap_or((&body, ""));
        return format!(
            "{head}\n  # (imported from {})\n{note}{rest}",
            super::values::quote(id)
        );
    }
    format!(
        "  # {} will be imported\n{note}    resource \"{}\" \"{}\" {{\n{}    }}\n",
        c.addr,
        c.addr.type_name,
        c.addr.name,
        super::values::render_attributes(
            c.before.as_ref().unwrap_or(&Value::Null),
            &c.before_sensitive,
            8
        )
    )
}

fn render_forget(c: &ResourceChange) -> String {
    let body = render_change(c);
    let rest = body.split_once('\n').map(|x| x.1).unwrap_or("");
    let rest = rest.replacen("    resource ", " . resource ", 1);
    format!(
        "  # {} will no longer be managed by labform, but will not be destroyed\n  # (destroy = false is set in the configuration)\n{rest}",
        c.addr
    )
}

pub(crate) fn render_change(c: &ResourceChange) -> String {
    let addr = c.addr.to_string();
    let what = match c.action {
        Action::Create => "will be created",
        Action::Update => "will be updated in-place",
        Action::Delete => "will be destroyed",
        Action::DeleteThenCreate | Action::CreateThenDelete => "must be replaced",
        Action::Read => "will be read during apply",
        Action::NoOp => "has no changes",
    };
    let mut s = match &c.reason {
        Some(r) if c.action.is_replace() && !r.starts_with("will") => format!("  # {addr} {r}\n"),
        Some(r) if c.action.is_replace() => format!("  # {addr} {r}\n"),
        Some(r) => format!(
            "  # {addr} {what}\n  # ({})\n",
            r.trim_start_matches("will be destroyed ")
                .trim_start_matches("will be read during apply: ")
        ),
        None => format!("  # {addr} {what}\n"),
    };
    let kind = if c.addr.mode == crate::config::Mode::Data {
        "data"
    } else {
        "resource"
    };
    s.push_str(&format!(
        "{} {kind} \"{}\" \"{}\" {{\n",
        symbol(c.action),
        c.addr.type_name,
        c.addr.name
    ));
    let forces: BTreeSet<&str> = c
        .replace_paths
        .iter()
        .filter_map(|p| p.first().map(String::as_str))
        .collect();
    let before = c.before.as_ref().and_then(Value::as_object);
    let after = c.after.as_ref().and_then(Value::as_object);
    let empty = BTreeMap::new();
    let body = diff_object(
        before.unwrap_or(&empty),
        after.unwrap_or(&empty),
        c.before.is_some(),
        c.after.is_some(),
        &Sides {
            before: &c.before_sensitive,
            after: &c.after_sensitive,
        },
        &forces,
        6,
    );
    s.push_str(&body);
    s.push_str("    }\n");
    s
}

/// Lines of an object diff at `indent`: changed attributes, and a count of hidden unchanged ones.
fn diff_object(
    before: &BTreeMap<String, Value>,
    after: &BTreeMap<String, Value>,
    has_before: bool,
    has_after: bool,
    marks: &Sides,
    forces: &BTreeSet<&str>,
    indent: usize,
) -> String {
    let keys: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let mut lines: Vec<(String, String, String)> = Vec::new(); // (sym, key, rest)
    let mut blocks: Vec<String> = Vec::new();
    let mut hidden = 0;
    for k in keys {
        let b = before.get(k).unwrap_or(&Value::Null);
        let a = after.get(k).unwrap_or(&Value::Null);
        let (bm, am) = (marks.before.child(k), marks.after.child(k));
        let child = Sides {
            before: &bm,
            after: &am,
        };
        let force = if forces.contains(k.as_str()) {
            " # forces replacement"
        } else {
            ""
        };
        let show_b = |v: &Value, ind: usize| render_marked(v, &bm, ind + 2);
        let show_a = |v: &Value, ind: usize| render_marked(v, &am, ind + 2);
        if !has_before {
            if a.is_null() || is_empty_collection(a) {
                continue;
            }
            if let (Some(items), false) = (block_list(a), am.is_whole()) {
                for (i, item) in items.into_iter().enumerate() {
                    let m = am.child(&i.to_string());
                    let sides = Sides {
                        before: &Marks::none(),
                        after: &m,
                    };
                    blocks.push(nested_block(
                        "+",
                        k,
                        (&BTreeMap::new(), item),
                        (false, true),
                        &sides,
                        indent,
                    ));
                }
                continue;
            }
            lines.push(("+".into(), key(k), format!("{}{force}", show_a(a, indent))));
        } else if !has_after {
            if b.is_null() || is_empty_collection(b) {
                continue;
            }
            if let (Some(items), false) = (block_list(b), bm.is_whole()) {
                for (i, item) in items.into_iter().enumerate() {
                    let m = bm.child(&i.to_string());
                    let sides = Sides {
                        before: &m,
                        after: &Marks::none(),
                    };
                    blocks.push(nested_block(
                        "-",
                        k,
                        (item, &BTreeMap::new()),
                        (true, false),
                        &sides,
                        indent,
                    ));
                }
                continue;
            }
            lines.push(("-".into(), key(k), format!("{} -> null", show_b(b, indent))));
        } else if a == b {
            if k == "id" || k == "name" {
                lines.push((" ".into(), key(k), show_a(a, indent)));
            } else if !a.is_null() {
                hidden += 1;
            }
        } else if bm.is_whole() || am.is_whole() {
            // Nothing of a sensitive value is shown, not even which part changed.
            let shown = |v: &Value, m: &Marks| {
                if v.is_null() {
                    "null".to_string()
                } else {
                    render_marked(v, m, indent + 2)
                }
            };
            lines.push((
                "~".into(),
                key(k),
                format!("{} -> {}{force}", shown(b, &bm), shown(a, &am)),
            ));
        } else if let (Some(bi), Some(ai)) = (blocks_or_none(b), blocks_or_none(a)) {
            if bi.is_empty() && ai.is_empty() {
                continue;
            }
            let n = bi.len().max(ai.len());
            let empty = BTreeMap::new();
            for i in 0..n {
                let (mb, ma) = (bm.child(&i.to_string()), am.child(&i.to_string()));
                let sides = Sides {
                    before: &mb,
                    after: &ma,
                };
                let (x, y) = (bi.get(i).copied(), ai.get(i).copied());
                match (x, y) {
                    (Some(x), Some(y)) if x == y => hidden += 1,
                    (Some(x), Some(y)) => {
                        blocks.push(nested_block("~", k, (x, y), (true, true), &sides, indent))
                    }
                    (None, Some(y)) => blocks.push(nested_block(
                        "+",
                        k,
                        (&empty, y),
                        (false, true),
                        &sides,
                        indent,
                    )),
                    (Some(x), None) => blocks.push(nested_block(
                        "-",
                        k,
                        (x, &empty),
                        (true, false),
                        &sides,
                        indent,
                    )),
                    (None, None) => {}
                }
            }
        } else if let (Value::Object(bmap), Value::Object(amap)) = (b, a) {
            lines.push((
                "~".into(),
                key(k),
                format!(
                    "{{\n{}{}}}{force}",
                    map_diff(bmap, amap, &child, indent + 4),
                    " ".repeat(indent + 2)
                ),
            ));
        } else if b.is_null() {
            lines.push(("+".into(), key(k), format!("{}{force}", show_a(a, indent))));
        } else if a.is_null() {
            lines.push((
                "-".into(),
                key(k),
                format!("{} -> null{force}", show_b(b, indent)),
            ));
        } else {
            lines.push((
                "~".into(),
                key(k),
                format!("{} -> {}{force}", show_b(b, indent), show_a(a, indent)),
            ));
        }
    }
    let width = lines.iter().map(|(_, k, _)| k.len()).max().unwrap_or(0);
    let pad = " ".repeat(indent);
    let mut s = String::new();
    for (sym, k, rest) in lines {
        s.push_str(&format!("{pad}{sym} {k:width$} = {rest}\n"));
    }
    for b in blocks {
        s.push_str(&b);
    }
    if hidden > 0 {
        let what = if hidden == 1 {
            "attribute"
        } else {
            "attributes"
        };
        s.push_str(&format!("{pad}  # ({hidden} unchanged {what} hidden)\n"));
    }
    s
}

type Object = BTreeMap<String, Value>;

fn nested_block(
    sym: &str,
    name: &str,
    (before, after): (&Object, &Object),
    (has_before, has_after): (bool, bool),
    marks: &Sides,
    indent: usize,
) -> String {
    let pad = " ".repeat(indent);
    let inner = diff_object(
        before,
        after,
        has_before,
        has_after,
        marks,
        &BTreeSet::new(),
        indent + 4,
    );
    format!("{pad}{sym} {name} {{\n{inner}{pad}  }}\n")
}

fn map_diff(before: &Object, after: &Object, marks: &Sides, indent: usize) -> String {
    let keys: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let pad = " ".repeat(indent);
    let width = keys
        .iter()
        .map(|k| super::values::quote(k).len())
        .max()
        .unwrap_or(0);
    let mut s = String::new();
    let mut hidden = 0;
    for k in keys {
        let q = super::values::quote(k);
        let (bm, am) = (marks.before.child(k), marks.after.child(k));
        let show_b = |v: &Value| render_marked(v, &bm, indent);
        let show_a = |v: &Value| render_marked(v, &am, indent);
        match (before.get(k), after.get(k)) {
            (Some(b), Some(a)) if a == b => hidden += 1,
            (Some(b), Some(a)) => s.push_str(&format!(
                "{pad}~ {q:width$} = {} -> {}\n",
                show_b(b),
                show_a(a)
            )),
            (None, Some(a)) => s.push_str(&format!("{pad}+ {q:width$} = {}\n", show_a(a))),
            (Some(b), None) => s.push_str(&format!("{pad}- {q:width$} = {} -> null\n", show_b(b))),
            (None, None) => {}
        }
    }
    if hidden > 0 {
        s.push_str(&format!("{pad}  # ({hidden} unchanged elements hidden)\n"));
    }
    s
}

/// Like [`block_list`], but null and an empty list count as zero blocks.
fn blocks_or_none(v: &Value) -> Option<Vec<&BTreeMap<String, Value>>> {
    if v.is_null() || is_empty_collection(v) {
        Some(Vec::new())
    } else {
        block_list(v)
    }
}

/// A list of objects (how nested blocks are carried), as maps.
fn block_list(v: &Value) -> Option<Vec<&BTreeMap<String, Value>>> {
    match v {
        Value::List(items) if !items.is_empty() => items.iter().map(Value::as_object).collect(),
        _ => None,
    }
}

fn is_empty_collection(v: &Value) -> bool {
    matches!(v, Value::List(i) if i.is_empty())
}

fn render_output(o: &OutputChange, width: usize) -> String {
    let show = |v: &Value| {
        if o.sensitive {
            SENSITIVE.to_string()
        } else {
            render(v, 4)
        }
    };
    match (&o.before, &o.after) {
        (None, Some(a)) => format!("  + {:width$} = {}\n", o.name, show(a)),
        (Some(b), None) => format!("  - {:width$} = {} -> null\n", o.name, show(b)),
        (Some(b), Some(a)) => format!("  ~ {:width$} = {} -> {}\n", o.name, show(b), show(a)),
        (None, None) => String::new(),
    }
}

/// `Outputs:` after apply, or `labform output`: a sensitive output reads `<sensitive>`.
pub fn render_outputs(outputs: &BTreeMap<String, labform_state::OutputState>) -> String {
    render_outputs_as(outputs, "<sensitive>")
}

/// `Outputs:` as `labform show` prints them: a sensitive output reads `(sensitive value)`.
pub fn render_state_outputs(outputs: &BTreeMap<String, labform_state::OutputState>) -> String {
    render_outputs_as(outputs, SENSITIVE)
}

fn render_outputs_as(
    outputs: &BTreeMap<String, labform_state::OutputState>,
    placeholder: &str,
) -> String {
    if outputs.is_empty() {
        return String::new();
    }
    let width = outputs.keys().map(String::len).max().unwrap_or(0);
    let mut s = String::from("\nOutputs:\n\n");
    for (name, o) in outputs {
        let v = if o.sensitive {
            placeholder.to_string()
        } else {
            render(&o.value, 0)
        };
        s.push_str(&format!("{name:width$} = {v}\n"));
    }
    s
}
