//! Machine-readable output in Terraform's JSON shapes: the plan representation
//! (`plan -json`), output values (`output -json`), and state values (`state show -json`).

use std::collections::BTreeMap;

use labform_sdk::Value;
use labform_state::{IndexKey, InstanceAddr, OutputState};
use serde_json::{json, Map, Value as Json};

use crate::plan::{Plan, ResourceChange};

pub const FORMAT_VERSION: &str = "1.2";

/// Terraform's JSON type for a value (`"string"`, `["list","string"]`, `["object",{...}]`).
pub fn type_of(v: &Value) -> Json {
    match v {
        Value::Null | Value::Unknown => json!("dynamic"),
        Value::Bool(_) => json!("bool"),
        Value::Number(_) => json!("number"),
        Value::String(_) => json!("string"),
        Value::List(items) => json!(["tuple", items.iter().map(type_of).collect::<Vec<_>>()]),
        Value::Object(map) => {
            json!([
                "object",
                map.iter()
                    .map(|(k, v)| (k.clone(), type_of(v)))
                    .collect::<Map<_, _>>()
            ])
        }
    }
}

/// The value with unknowns as null, and a parallel tree that is `true` where unknown
/// (Terraform's `after_unknown`).
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
                a.insert(k.clone(), x);
                if y != json!(false) && y != json!({}) && y != json!([]) {
                    b.insert(k.clone(), y);
                }
            }
            (Json::Object(a), Json::Object(b))
        }
        other => (other.to_json(), json!(false)),
    }
}

fn redact(v: Json, sensitive: &std::collections::BTreeSet<String>) -> Json {
    match v {
        Json::Object(mut map) => {
            for k in sensitive {
                if let Some(x) = map.get_mut(k) {
                    if !x.is_null() {
                        *x = json!("(sensitive value)");
                    }
                }
            }
            Json::Object(map)
        }
        other => other,
    }
}

fn sensitive_tree(sensitive: &std::collections::BTreeSet<String>) -> Json {
    Json::Object(sensitive.iter().map(|k| (k.clone(), json!(true))).collect())
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
        .map(known_and_unknown)
        .unwrap_or((Json::Null, json!({})));
    let before = c.before.as_ref().map(Value::to_json).unwrap_or(Json::Null);
    let mut obj = json!({
        "address": c.addr.to_string(),
        "mode": if c.addr.mode == crate::config::Mode::Data { "data" } else { "managed" },
        "type": c.addr.type_name,
        "name": c.addr.name,
        "provider_name": crate::engine::registry::provider_source(c.provider.split('.').next().unwrap_or(&c.provider)),
        "change": {
            "actions": c.action.terraform_actions(),
            "before": redact(before, &c.sensitive),
            "after": redact(after, &c.sensitive),
            "after_unknown": after_unknown,
            "before_sensitive": sensitive_tree(&c.sensitive),
            "after_sensitive": sensitive_tree(&c.sensitive),
            "replace_paths": c.replace_paths,
        },
    });
    if let (Some(i), Some(o)) = (index_json(&c.addr), obj.as_object_mut()) {
        o.insert("index".into(), i);
    }
    if let (Some(r), Some(o)) = (&c.reason, obj.as_object_mut()) {
        o.insert("action_reason".into(), json!(r));
    }
    obj
}

/// The plan in Terraform's JSON plan representation (the parts labform has).
pub fn plan_json(plan: &Plan) -> Json {
    let mut changes: Vec<&ResourceChange> = plan.changes.iter().collect();
    changes.sort_by_key(|c| c.addr.to_string());
    let outputs: Map<String, Json> = plan
        .outputs
        .iter()
        .map(|o| {
            let (after, after_unknown) = o
                .after
                .as_ref()
                .map(known_and_unknown)
                .unwrap_or((Json::Null, json!(false)));
            let redact = |j: Json| {
                if o.sensitive && !j.is_null() {
                    json!("(sensitive value)")
                } else {
                    j
                }
            };
            (
                o.name.clone(),
                json!({
                    "actions": o.action().terraform_actions(),
                    "before": redact(o.before.as_ref().map(Value::to_json).unwrap_or(Json::Null)),
                    "after": redact(after),
                    "after_unknown": after_unknown,
                    "before_sensitive": o.sensitive,
                    "after_sensitive": o.sensitive,
                }),
            )
        })
        .collect();
    let s = plan.summary();
    json!({
        "format_version": FORMAT_VERSION,
        "terraform_version": crate::config::version::TERRAFORM_COMPAT,
        "labform_version": env!("CARGO_PKG_VERSION"),
        "destroy": plan.destroy,
        "resource_changes": changes.into_iter().map(change_json).collect::<Vec<_>>(),
        "output_changes": outputs,
        "resource_drift": plan.drift,
        "summary": { "add": s.add, "change": s.change, "destroy": s.destroy },
        "errored": false,
    })
}

/// `output -json`: every output with its value, type and sensitivity, as Terraform prints it.
pub fn outputs_json(outputs: &BTreeMap<String, OutputState>) -> Json {
    Json::Object(
        outputs
            .iter()
            .map(|(k, o)| {
                (
                    k.clone(),
                    json!({ "sensitive": o.sensitive, "type": if o.ty.is_null() { type_of(&o.value) } else { o.ty.clone() }, "value": o.value.to_json() }),
                )
            })
            .collect(),
    )
}
