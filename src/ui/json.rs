//! Machine-readable output in Terraform's JSON shapes: the plan representation
//! (`plan -json`), output values (`output -json`), and state values (`state show -json`).

use std::collections::BTreeMap;

use labform_sdk::Value;
use labform_state::{IndexKey, InstanceAddr, OutputState};
use serde_json::{json, Map, Value as Json};

use crate::eval::marks::redact;
use crate::eval::Marks;
use crate::plan::{Plan, ResourceChange};

pub const FORMAT_VERSION: &str = "1.2";

/// Terraform's JSON type for a value (`"string"`, `["tuple",[...]]`, `["object",{...}]`): the
/// state crate's, so state files and JSON output never disagree.
pub use labform_state::terraform_type_of as type_of;

/// The value without its unknown attributes (an unknown list element is null), and a parallel
/// tree that is `true` where unknown (Terraform's `after_unknown`): objects without their
/// wholly known scalars, lists element by element.
fn known_and_unknown(v: &Value) -> (Json, Json) {
    match v {
        Value::Unknown => (Json::Null, json!(true)),
        Value::List(items) => {
            let (a, b): (Vec<_>, Vec<_>) = items.iter().map(known_and_unknown).unzip();
            (Json::Array(a), Json::Array(b))
        }
        Value::Object(map) => {
            let mut a = Map::new();
            let mut b = Map::new();
            for (k, v) in map {
                let (x, y) = known_and_unknown(v);
                // Terraform leaves an unknown attribute out of the value; the tree says it.
                if !v.is_unknown() {
                    a.insert(k.clone(), x);
                }
                if y != json!(false) {
                    b.insert(k.clone(), y);
                }
            }
            (Json::Object(a), Json::Object(b))
        }
        other => (other.to_json(), json!(false)),
    }
}

/// Whether an `after_unknown` tree marks anything unknown.
fn any_unknown(tree: &Json) -> bool {
    match tree {
        Json::Bool(b) => *b,
        Json::Array(items) => items.iter().any(any_unknown),
        Json::Object(map) => map.values().any(any_unknown),
        _ => false,
    }
}

/// Terraform's `before_sensitive` / `after_sensitive` / `sensitive_values` tree: `true` where
/// marked, lists element by element, objects only with the entries that hold something.
pub fn sensitive_tree(v: &Value, marks: &Marks) -> Json {
    if marks.is_whole() {
        return json!(true);
    }
    match v {
        Value::List(items) => Json::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| sensitive_tree(item, &marks.child(&i.to_string())))
                .collect(),
        ),
        Value::Object(map) => Json::Object(
            map.iter()
                .map(|(k, item)| (k.clone(), sensitive_tree(item, &marks.child(k))))
                .filter(|(_, t)| *t != json!(false))
                .collect(),
        ),
        _ => json!(false),
    }
}

/// The value as JSON with every marked part that is known and not null shown as
/// `"(sensitive value)"`.
pub fn redacted_json(v: &Value, marks: &Marks) -> Json {
    redact(v, marks).to_json()
}

fn index_json(addr: &InstanceAddr) -> Option<Json> {
    addr.key.as_ref().map(|k| match k {
        IndexKey::Int(i) => json!(i),
        IndexKey::Str(s) => json!(s),
    })
}

fn change_json(c: &ResourceChange) -> Json {
    let (after, after_unknown) = c
        .after
        .as_ref()
        .map(|a| known_and_unknown(&redact(a, &c.after_sensitive)))
        .unwrap_or((Json::Null, json!({})));
    // A wholly known object is `{}`, however deep it is.
    let after_unknown = if any_unknown(&after_unknown) {
        after_unknown
    } else {
        json!({})
    };
    let before = c
        .before
        .as_ref()
        .map(|b| redacted_json(b, &c.before_sensitive))
        .unwrap_or(Json::Null);
    let tree = |v: &Option<Value>, m: &Marks| match v {
        Some(v) => sensitive_tree(v, m),
        None => json!(false),
    };
    let mut obj = json!({
        "address": c.addr.to_string(),
        "mode": if c.addr.mode == crate::config::Mode::Data { "data" } else { "managed" },
        "type": c.addr.type_name,
        "name": c.addr.name,
        "provider_name": crate::engine::registry::provider_source(c.provider.split('.').next().unwrap_or(&c.provider)),
        "change": {
            "actions": c.action.terraform_actions(),
            "before": before,
            "after": after,
            "after_unknown": after_unknown,
            "before_sensitive": tree(&c.before, &c.before_sensitive),
            "after_sensitive": tree(&c.after, &c.after_sensitive),
        },
    });
    if let (false, Some(change)) = (
        c.replace_paths.is_empty(),
        obj.get_mut("change").and_then(Json::as_object_mut),
    ) {
        change.insert("replace_paths".into(), json!(c.replace_paths));
    }
    if let (Some(id), Some(change)) = (
        &c.importing,
        obj.get_mut("change").and_then(Json::as_object_mut),
    ) {
        change.insert("importing".into(), json!({ "id": id }));
    }
    if let (Some(i), Some(o)) = (index_json(&c.addr), obj.as_object_mut()) {
        o.insert("index".into(), i);
    }
    if let (false, Some(o)) = (c.addr.module.is_root(), obj.as_object_mut()) {
        o.insert("module_address".into(), json!(c.addr.module.to_string()));
    }
    if let (Some(r), Some(o)) = (&c.reason, obj.as_object_mut()) {
        o.insert("action_reason".into(), json!(r));
    }
    obj
}

/// The plan in Terraform's JSON plan representation (the parts labform has).
pub fn plan_json(plan: &Plan) -> Json {
    let mut changes: Vec<&ResourceChange> = plan.changes.iter().collect();
    // Terraform's order: the root module's instances, then each module's, by address.
    changes.sort_by_key(|c| (c.addr.module.to_string(), c.addr.to_string()));
    let outputs: Map<String, Json> = plan
        .outputs
        .iter()
        .map(|o| {
            let (after, after_unknown) = o
                .after
                .as_ref()
                .map(known_and_unknown)
                .unwrap_or((Json::Null, json!(false)));
            // An output is wholly known (`false`) or marked where unknown.
            let after_unknown = if any_unknown(&after_unknown) {
                after_unknown
            } else {
                json!(false)
            };
            let redact = |j: Json| {
                if o.sensitive && !j.is_null() {
                    json!("(sensitive value)")
                } else {
                    j
                }
            };
            let mut entry = json!({
                "actions": o.action().terraform_actions(),
                "before": redact(o.before.as_ref().map(Value::to_json).unwrap_or(Json::Null)),
                "after": redact(after),
                "after_unknown": after_unknown,
                "before_sensitive": o.sensitive,
                "after_sensitive": o.sensitive,
            });
            // Terraform leaves out an `after` that is wholly unknown.
            if let (Some(Value::Unknown), Some(e)) = (&o.after, entry.as_object_mut()) {
                e.remove("after");
            }
            (o.name.clone(), entry)
        })
        .collect();
    let s = plan.summary();
    json!({
        "format_version": FORMAT_VERSION,
        "terraform_version": crate::config::version::TERRAFORM_COMPAT,
        "labform_version": env!("CARGO_PKG_VERSION"),
        "destroy": plan.destroy,
        "resource_changes": changes
            .into_iter()
            .map(|c| {
                let mut j = change_json(c);
                let addr = c.addr.to_string();
                if let (Some(text), Some(change)) = (
                    plan.generated.get(&addr),
                    j.get_mut("change").and_then(Json::as_object_mut),
                ) {
                    change.insert("generated_config".into(), json!(text));
                }
                if let (Some((from, _)), Some(o)) = (
                    plan.moved.iter().find(|(_, to)| *to == addr),
                    j.as_object_mut(),
                ) {
                    o.insert("previous_address".into(), json!(from));
                }
                j
            })
            .chain(plan.forget.iter().map(|c| {
                // Terraform's action for a `removed` block with `destroy = false`.
                let mut j = change_json(c);
                if let Some(change) = j.get_mut("change").and_then(Json::as_object_mut) {
                    change.insert("actions".into(), json!(["forget"]));
                    change.insert("after".into(), Json::Null);
                }
                j
            }))
            .collect::<Vec<_>>(),
        "output_changes": outputs,
        "resource_drift": plan.drift,
        "summary": { "import": s.import, "add": s.add, "change": s.change, "destroy": s.destroy },
        "errored": false,
    })
}

/// `output -json`, `show -json` and the `outputs` message of `apply -json`: every output with
/// its type and sensitivity, and its value unless it is sensitive (as Terraform's `outputs`
/// message does; only `output NAME` prints a sensitive value).
pub fn outputs_json(outputs: &BTreeMap<String, OutputState>) -> Json {
    Json::Object(
        outputs
            .iter()
            .map(|(k, o)| {
                let ty = if o.ty.is_null() {
                    type_of(&o.value)
                } else {
                    o.ty.clone()
                };
                let mut entry = json!({ "sensitive": o.sensitive, "type": ty });
                if let (false, Some(e)) = (o.sensitive, entry.as_object_mut()) {
                    e.insert("value".into(), o.value.to_json());
                }
                (k.clone(), entry)
            })
            .collect(),
    )
}
