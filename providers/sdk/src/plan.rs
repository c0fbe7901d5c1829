//! The default plan: what a resource will look like after apply, and what forces replacement.

use std::collections::BTreeMap;

use crate::schema::{BlockSchema, Nesting};
use crate::value::Value;

/// A path to an attribute inside a resource value: `["versioning", "0", "enabled"]`.
pub type AttrPath = Vec<String>;

/// A provider's answer to "what will this resource be after apply?".
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedChange {
    /// The value after apply; attributes only the API can tell are `Unknown`.
    pub planned: Value,
    /// Attributes whose change cannot be made in place. Non-empty means replace.
    pub requires_replace: Vec<AttrPath>,
}

/// Plans a resource from its prior state (`None` when it is to be created) and its configuration.
///
/// Unset attributes take their default; unset computed attributes keep their prior value on
/// update (or become unknown when marked `changes_on_update` and something changed) and are
/// unknown on create. A changed `force_new` attribute or block is listed in `requires_replace`,
/// and then the planned value is that of a fresh create.
pub fn default_plan(schema: &BlockSchema, prior: Option<&Value>, config: &Value) -> PlannedChange {
    let mut requires_replace = Vec::new();
    let mut planned = plan_block(
        schema,
        prior,
        config,
        &mut Vec::new(),
        &mut requires_replace,
    );
    match prior {
        Some(_) if !requires_replace.is_empty() => {
            planned = plan_block(schema, None, config, &mut Vec::new(), &mut Vec::new());
        }
        Some(prior) if &planned != prior => mark_recomputed(schema, config, &mut planned),
        _ => {}
    }
    PlannedChange {
        planned,
        requires_replace,
    }
}

fn plan_block(
    schema: &BlockSchema,
    prior: Option<&Value>,
    config: &Value,
    path: &mut Vec<String>,
    replace: &mut Vec<AttrPath>,
) -> Value {
    let mut out = BTreeMap::new();
    for (name, attr) in &schema.attributes {
        let configured = config.get(name);
        let before = prior.map(|p| p.get(name));
        let value = if !configured.is_null() {
            configured.clone()
        } else if let Some(default) = &attr.default {
            default.clone()
        } else if attr.is_computed() {
            match before {
                Some(v) => v.clone(),
                None => Value::Unknown,
            }
        } else {
            // Unset and empty mean the same for an optional collection: keep what the API said.
            // So do unset and a zero value: Terraform's plugin SDK records an unset string,
            // bool or number as "", false or 0, and a state it wrote plans no change.
            match before {
                Some(v) if is_empty_collection(v) || is_zero(v) => v.clone(),
                _ => Value::Null,
            }
        };
        if attr.force_new {
            if let Some(before) = before {
                if &value != before {
                    replace.push(child(path, name));
                }
            }
        }
        out.insert(name.clone(), value);
    }
    for (name, nested) in &schema.blocks {
        let configured = config.get(name);
        let before = prior.map(|p| p.get(name));
        path.push(name.clone());
        let value = match nested.nesting {
            Nesting::Single => match configured {
                Value::Null => Value::Null,
                block => {
                    let prior_block = before.filter(|b| !b.is_null());
                    plan_block(&nested.block, prior_block, block, path, replace)
                }
            },
            Nesting::List | Nesting::Set => {
                let prior_items = before.and_then(Value::as_list).unwrap_or(&[]);
                let items = match configured.as_list().unwrap_or(&[]) {
                    [] if nested.computed => prior_items,
                    items => items,
                };
                let planned = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        path.push(i.to_string());
                        let v = plan_block(&nested.block, prior_items.get(i), item, path, replace);
                        path.pop();
                        v
                    })
                    .collect();
                Value::List(planned)
            }
        };
        path.pop();
        if nested.force_new {
            if let Some(before) = before {
                if !same_block(&value, before) {
                    replace.push(child(path, name));
                }
            }
        }
        out.insert(name.clone(), value);
    }
    Value::Object(out)
}

fn is_zero(v: &Value) -> bool {
    match v {
        Value::String(s) => s.is_empty(),
        Value::Bool(b) => !b,
        Value::Number(n) => *n == 0.0,
        _ => false,
    }
}

fn is_empty_collection(v: &Value) -> bool {
    match v {
        Value::List(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

/// Puts a value in canonical order: set-typed attributes and set-nested blocks sorted, so that
/// values from configuration and from an API compare equal when they hold the same elements.
pub fn normalize(schema: &BlockSchema, value: &Value) -> Value {
    let Value::Object(map) = value else {
        return value.clone();
    };
    let mut out = map.clone();
    for (name, attr) in &schema.attributes {
        if let (crate::Type::Set(_), Some(Value::List(items))) = (&attr.ty, map.get(name)) {
            out.insert(
                name.clone(),
                Value::List(crate::types::normalize_set(items.clone())),
            );
        }
    }
    for (name, nested) in &schema.blocks {
        let Some(v) = map.get(name) else { continue };
        let n = match (nested.nesting, v) {
            (Nesting::Single, Value::Object(_)) => normalize(&nested.block, v),
            (Nesting::List, Value::List(items)) => {
                Value::List(items.iter().map(|i| normalize(&nested.block, i)).collect())
            }
            (Nesting::Set, Value::List(items)) => Value::List(crate::types::normalize_set(
                items.iter().map(|i| normalize(&nested.block, i)).collect(),
            )),
            _ => v.clone(),
        };
        out.insert(name.clone(), n);
    }
    Value::Object(out)
}

fn same_block(planned: &Value, prior: &Value) -> bool {
    match (planned, prior) {
        (Value::List(a), Value::Null) | (Value::Null, Value::List(a)) => a.is_empty(),
        _ => planned == prior,
    }
}

fn child(path: &[String], name: &str) -> AttrPath {
    let mut p = path.to_vec();
    p.push(name.to_string());
    p
}

/// On an in-place update, computed attributes that the API recomputes become unknown.
fn mark_recomputed(schema: &BlockSchema, config: &Value, planned: &mut Value) {
    for (name, attr) in &schema.attributes {
        if attr.is_computed() && !attr.use_state_for_unknown && config.get(name).is_null() {
            planned.set(name.clone(), Value::Unknown);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Attribute, NestedBlock};
    use crate::types::Type;

    fn schema() -> BlockSchema {
        BlockSchema::new()
            .attr("name", Attribute::required(Type::String).force_new())
            .attr("labels", Attribute::optional(Type::map(Type::String)))
            .attr(
                "class",
                Attribute::optional(Type::String).default("STANDARD"),
            )
            .attr("id", Attribute::computed(Type::String))
            .attr(
                "etag",
                Attribute::computed(Type::String).changes_on_update(),
            )
            .block(
                "versioning",
                NestedBlock::list(
                    BlockSchema::new().attr("enabled", Attribute::required(Type::Bool)),
                )
                .max(1),
            )
    }

    fn config(name: &str, label: &str) -> Value {
        Value::from_pairs([
            ("name", Value::from(name)),
            ("labels", Value::string_map([("team", label)])),
            ("versioning", Value::List(vec![])),
        ])
    }

    #[test]
    fn create_marks_computed_unknown_and_fills_defaults() {
        let p = default_plan(&schema(), None, &config("b", "x"));
        assert_eq!(p.planned.get("id"), &Value::Unknown);
        assert_eq!(p.planned.get("class"), &Value::from("STANDARD"));
        assert!(p.requires_replace.is_empty());
    }

    /// What applying `config("b", "x")` recorded: its plan with the computed `id` and `etag`.
    fn applied_b_x() -> Value {
        let mut prior = default_plan(&schema(), None, &config("b", "x")).planned;
        prior.set("id", "b".into());
        prior.set("etag", "1".into());
        prior
    }

    #[test]
    fn unchanged_config_plans_the_prior_value() {
        let prior = applied_b_x();
        let p = default_plan(&schema(), Some(&prior), &config("b", "x"));
        assert_eq!(p.planned, prior);
    }

    #[test]
    fn update_in_place_recomputes_only_changing_attributes() {
        let prior = applied_b_x();
        let p = default_plan(&schema(), Some(&prior), &config("b", "y"));
        assert!(p.requires_replace.is_empty());
        assert_eq!(p.planned.get("id"), &Value::from("b"));
        assert_eq!(p.planned.get("etag"), &Value::Unknown);
    }

    #[test]
    fn an_unset_collection_where_the_api_records_an_empty_one_is_no_change() {
        let mut prior = applied_b_x();
        prior.set("labels", Value::object());
        let mut cfg = config("b", "x");
        cfg.set("labels", Value::Null);
        assert_eq!(default_plan(&schema(), Some(&prior), &cfg).planned, prior);
    }

    #[test]
    fn normalize_sorts_set_blocks() {
        let schema = BlockSchema::new().block(
            "rule",
            NestedBlock::set(BlockSchema::new().attr("port", Attribute::required(Type::Number))),
        );
        let a = Value::from_pairs([(
            "rule",
            Value::List(vec![
                Value::from_pairs([("port", Value::Number(443.0))]),
                Value::from_pairs([("port", Value::Number(22.0))]),
            ]),
        )]);
        let b = Value::from_pairs([(
            "rule",
            Value::List(vec![
                Value::from_pairs([("port", Value::Number(22.0))]),
                Value::from_pairs([("port", Value::Number(443.0))]),
            ]),
        )]);
        assert_eq!(normalize(&schema, &a), normalize(&schema, &b));
    }

    #[test]
    fn force_new_change_requires_replace_and_plans_a_create() {
        let mut prior = default_plan(&schema(), None, &config("a", "x")).planned;
        prior.set("id", "a".into());
        let p = default_plan(&schema(), Some(&prior), &config("b", "x"));
        assert_eq!(p.requires_replace, vec![vec!["name".to_string()]]);
        assert_eq!(p.planned.get("id"), &Value::Unknown);
    }
}
