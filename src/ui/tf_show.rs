//! `show -json` in Terraform's documented shape: the values representation of a state (every
//! resource instance with its schema version, values and `sensitive_values`, modules as
//! `child_modules`, outputs), and of a saved plan (`planned_values`, `prior_state`, variables
//! and `configuration` around the plan representation of [`super::json::plan_json`]).
//!
//! One difference from Terraform, on purpose: a sensitive value is shown as
//! `"(sensitive value)"` (and a sensitive output has no `value`), where Terraform prints it in
//! clear; `sensitive_values` still says where each one is.

use std::collections::BTreeMap;

use labform_sdk::Value;
use labform_state::{ModulePath, StateFile};
use serde_json::{json, Map, Value as Json};

use super::json::{plan_json, redacted_json, sensitive_tree, type_of};
use crate::config::Mode;
use crate::engine::registry::{provider_source, Registry};
use crate::engine::sensitive::schema_marks;
use crate::eval::Marks;
use crate::plan::saved::SavedPlan;
use crate::plan::Action;

/// The format version of Terraform's state representation (`show -json` of a state).
const STATE_FORMAT_VERSION: &str = "1.0";

/// One resource instance as the values representation shows it.
struct Shown {
    module: ModulePath,
    json: Json,
}

/// `show -json` of a state.
pub fn state_json(state: &StateFile, registry: &Registry) -> Json {
    let shown = state
        .instances()
        .map(|(addr, rs, inst)| {
            let values = filled(registry, addr.mode, &addr.type_name, &inst.attributes);
            let marks = marks_of(
                registry,
                addr.mode,
                &addr.type_name,
                &values,
                Marks::from_paths(&inst.sensitive_attributes),
            );
            let mut json = instance_json(
                &addr,
                &source_of_state_provider(&rs.provider),
                inst.schema_version,
                &values,
                &marks,
            );
            if let Some(o) = json.as_object_mut() {
                if !inst.dependencies.is_empty() {
                    let mut deps = inst.dependencies.clone();
                    deps.sort();
                    o.insert("depends_on".into(), json!(deps));
                }
                if inst.is_tainted() {
                    o.insert("tainted".into(), json!(true));
                }
            }
            Shown {
                module: addr.module.clone(),
                json,
            }
        })
        .collect();
    json!({
        "format_version": STATE_FORMAT_VERSION,
        "terraform_version": state.terraform_version,
        "values": {
            "outputs": super::json::outputs_json(&state.outputs),
            "root_module": module_tree(shown),
        },
    })
}

/// `show -json` of a saved plan: the plan representation with the planned values, the prior
/// state it was made from (the refreshed objects the changes start from), the variables and the
/// configuration.
pub fn plan_show_json(saved: &SavedPlan, registry: &Registry, configuration: Json) -> Json {
    let plan = &saved.plan;
    let mut planned = Vec::new();
    let mut prior = Vec::new();
    for c in &plan.changes {
        let provider = provider_source(c.provider.split('.').next().unwrap_or(&c.provider));
        // A planned object is in the schema's current version.
        let version = registry.schema_version(c.addr.mode, &c.addr.type_name);
        let at = |v: &Value, marks: &Marks| {
            let values = filled(registry, c.addr.mode, &c.addr.type_name, v);
            let marks = marks_of(
                registry,
                c.addr.mode,
                &c.addr.type_name,
                &values,
                marks.clone(),
            );
            (values, marks)
        };
        if let (Some(after), false) = (&c.after, c.action == Action::Delete) {
            let (values, marks) = at(after, &c.after_sensitive);
            planned.push(Shown {
                module: c.addr.module.clone(),
                json: instance_json(&c.addr, &provider, version, &values, &marks),
            });
        }
        if let Some(before) = &c.before {
            let (values, marks) = at(before, &c.before_sensitive);
            let mut json = instance_json(&c.addr, &provider, version, &values, &marks);
            if let (false, Some(o)) = (c.dependencies.is_empty(), json.as_object_mut()) {
                let mut deps = c.dependencies.clone();
                deps.sort();
                o.insert("depends_on".into(), json!(deps));
            }
            prior.push(Shown {
                module: c.addr.module.clone(),
                json,
            });
        }
    }
    let output_values = |pick: fn(&crate::plan::OutputChange) -> Option<&Value>| {
        plan.outputs
            .iter()
            .filter_map(|o| pick(o).map(|v| (o.name.clone(), output_json(v, o.sensitive))))
            .collect::<Map<_, _>>()
    };
    let mut out = plan_json(plan);
    if let Some(o) = out.as_object_mut() {
        // labform's drift is a list of addresses, not Terraform's resource changes: a reader of
        // Terraform's JSON would misread it, so the document leaves it out.
        o.remove("resource_drift");
        o.insert(
            "variables".into(),
            Json::Object(
                saved
                    .variables
                    .iter()
                    .map(|(name, v)| {
                        let sensitive = sensitive_variable(&configuration, name);
                        let value = redacted_json(v, &Marks::whole_if(sensitive));
                        (name.clone(), json!({ "value": value }))
                    })
                    .collect(),
            ),
        );
        o.insert(
            "planned_values".into(),
            json!({
                "outputs": output_values(|o| o.after.as_ref()),
                "root_module": module_tree(planned),
            }),
        );
        o.insert(
            "prior_state".into(),
            json!({
                "format_version": STATE_FORMAT_VERSION,
                "terraform_version": crate::config::version::TERRAFORM_COMPAT,
                "values": {
                    "outputs": output_values(|o| o.before.as_ref()),
                    "root_module": module_tree(prior),
                },
            }),
        );
        o.insert("configuration".into(), configuration);
        o.insert("applyable".into(), json!(plan.has_changes()));
        o.insert("complete".into(), json!(true));
    }
    out
}

fn sensitive_variable(configuration: &Json, name: &str) -> bool {
    configuration["root_module"]["variables"][name]["sensitive"] == json!(true)
}

/// An output value as the values representation shows it: with its type once known, without
/// its value when sensitive or unknown.
fn output_json(v: &Value, sensitive: bool) -> Json {
    let mut entry = Map::new();
    entry.insert("sensitive".into(), json!(sensitive));
    if !contains_unknown(v) {
        entry.insert("type".into(), type_of(v));
        if !sensitive {
            entry.insert("value".into(), v.to_json());
        }
    }
    Json::Object(entry)
}

fn contains_unknown(v: &Value) -> bool {
    match v {
        Value::Unknown => true,
        Value::List(items) => items.iter().any(contains_unknown),
        Value::Object(map) => map.values().any(contains_unknown),
        _ => false,
    }
}

/// The value with every schema attribute present, as Terraform shows an object; a planned
/// attribute that is still unknown stays unknown.
fn filled(registry: &Registry, mode: Mode, type_name: &str, v: &Value) -> Value {
    let Some((_, schema)) = registry.schema(mode, type_name) else {
        return v.clone();
    };
    let (Value::Object(given), Value::Object(mut all)) =
        (v, labform_state::with_every_attribute(schema, v))
    else {
        return v.clone();
    };
    for (name, value) in given {
        if contains_unknown(value) {
            all.insert(name.clone(), value.clone());
        }
    }
    Value::Object(all)
}

/// The recorded marks with the attributes the schema declares sensitive.
fn marks_of(registry: &Registry, mode: Mode, type_name: &str, v: &Value, recorded: Marks) -> Marks {
    let mut marks = recorded;
    if let Some((_, schema)) = registry.schema(mode, type_name) {
        marks.union(&schema_marks(schema, v));
    }
    marks
}

fn instance_json(
    addr: &labform_state::InstanceAddr,
    provider_name: &str,
    schema_version: u64,
    values: &Value,
    marks: &Marks,
) -> Json {
    let mut o = Map::new();
    o.insert("address".into(), json!(addr.to_string()));
    o.insert(
        "mode".into(),
        json!(if addr.mode == Mode::Data {
            "data"
        } else {
            "managed"
        }),
    );
    o.insert("type".into(), json!(addr.type_name));
    o.insert("name".into(), json!(addr.name));
    if let Some(key) = &addr.key {
        let index = match key {
            labform_state::IndexKey::Int(i) => json!(i),
            labform_state::IndexKey::Str(s) => json!(s),
        };
        o.insert("index".into(), index);
    }
    o.insert("provider_name".into(), json!(provider_name));
    o.insert("schema_version".into(), json!(schema_version));
    o.insert(
        "values".into(),
        redacted_json(&without_unknowns(values), marks),
    );
    o.insert("sensitive_values".into(), sensitive_tree(values, marks));
    Json::Object(o)
}

/// Terraform leaves unknown attributes out of planned values, and shows an unknown element of
/// a list as null.
fn without_unknowns(v: &Value) -> Value {
    match v {
        Value::Unknown => Value::Null,
        Value::List(items) => Value::List(items.iter().map(without_unknowns).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, item)| !item.is_unknown())
                .map(|(k, item)| (k.clone(), without_unknowns(item)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// `provider["registry.terraform.io/hashicorp/aws"].west` -> `registry.terraform.io/hashicorp/aws`.
fn source_of_state_provider(provider: &str) -> String {
    provider
        .strip_prefix("provider[\"")
        .and_then(|rest| rest.split_once("\"]"))
        .map_or_else(|| provider.to_string(), |(source, _)| source.to_string())
}

/// The root module with its resources and, nested by path, every child module instance
/// (`child_modules`, each with its `address`); resources and modules sorted by address.
fn module_tree(shown: Vec<Shown>) -> Json {
    module_at(0, None, shown)
}

fn module_at(depth: usize, address: Option<String>, shown: Vec<Shown>) -> Json {
    let mut resources = Vec::new();
    let mut children: BTreeMap<String, Vec<Shown>> = BTreeMap::new();
    for s in shown {
        if s.module.0.len() == depth {
            resources.push(s.json);
        } else {
            let prefix = ModulePath(s.module.0[..=depth].to_vec()).to_string();
            children.entry(prefix).or_default().push(s);
        }
    }
    resources.sort_by_key(|r| r["address"].as_str().unwrap_or_default().to_string());
    let mut o = Map::new();
    if !resources.is_empty() {
        o.insert("resources".into(), Json::Array(resources));
    }
    if !children.is_empty() {
        let modules = children
            .into_iter()
            .map(|(addr, shown)| module_at(depth + 1, Some(addr), shown))
            .collect();
        o.insert("child_modules".into(), Json::Array(modules));
    }
    if let Some(a) = address {
        o.insert("address".into(), json!(a));
    }
    Json::Object(o)
}
