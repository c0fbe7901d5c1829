//! Attribute values as Terraform's state encodes them, given the resource type's schema: a
//! value of type `dynamic` (`any`) carries its type (`{"value": "hello", "type": "string"}`),
//! every schema attribute is present (null when unset), nested blocks are lists (or an object
//! for single nesting), and sensitive paths are lists of Terraform's path steps.

use std::collections::BTreeMap;

use labform_sdk::{BlockSchema, Nesting, Type, Unimplemented, Value};
use serde_json::{json, Map, Value as Json};

/// Terraform's JSON type of a value it infers the type of: `"string"`, `["tuple",[...]]`,
/// `["object",{...}]`; null is `"dynamic"`.
pub fn type_of(v: &Value) -> Json {
    match v {
        Value::Null | Value::Unknown => json!("dynamic"),
        Value::Bool(_) => json!("bool"),
        Value::Number(_) => json!("number"),
        Value::String(_) => json!("string"),
        Value::List(items) => json!(["tuple", items.iter().map(type_of).collect::<Vec<_>>()]),
        Value::Object(map) => json!([
            "object",
            map.iter()
                .map(|(k, v)| (k.clone(), type_of(v)))
                .collect::<Map<_, _>>()
        ]),
    }
}

/// The attributes of an instance as Terraform writes them for `schema`. Attributes outside the
/// schema are kept as they are (labform never writes any; a newer provider may have).
pub fn encode_block(schema: &BlockSchema, v: &Value) -> Json {
    let mut out = Map::new();
    for (name, attr) in &schema.attributes {
        out.insert(name.clone(), encode_typed(&attr.ty, v.get(name)));
    }
    for (name, nested) in &schema.blocks {
        let inner = v.get(name);
        let encoded = match (nested.nesting, inner) {
            (Nesting::Single, Value::Null) => Json::Null,
            (Nesting::Single, Value::List(items)) => match items.first() {
                Some(item) => encode_block(&nested.block, item),
                None => Json::Null,
            },
            (Nesting::Single, one) => encode_block(&nested.block, one),
            (_, Value::List(items)) => Json::Array(
                items
                    .iter()
                    .map(|item| encode_block(&nested.block, item))
                    .collect(),
            ),
            (_, Value::Null) => json!([]),
            (_, one) => json!([encode_block(&nested.block, one)]),
        };
        out.insert(name.clone(), encoded);
    }
    for (name, kind) in &schema.unimplemented {
        let absent = match kind {
            Unimplemented::Block(Nesting::List | Nesting::Set) => json!([]),
            Unimplemented::Attribute | Unimplemented::Block(Nesting::Single) => Json::Null,
        };
        out.insert(name.clone(), absent);
    }
    if let Value::Object(map) = v {
        for (name, value) in map {
            if !out.contains_key(name) {
                out.insert(name.clone(), value.to_json());
            }
        }
    }
    Json::Object(out)
}

fn encode_typed(ty: &Type, v: &Value) -> Json {
    match (ty, v) {
        (_, Value::Null | Value::Unknown) => Json::Null,
        (Type::Any, v) => json!({ "value": v.to_json(), "type": type_of(v) }),
        (Type::List(elem) | Type::Set(elem), Value::List(items)) => {
            Json::Array(items.iter().map(|i| encode_typed(elem, i)).collect())
        }
        (Type::Tuple(elems), Value::List(items)) => Json::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| encode_typed(elems.get(i).unwrap_or(&Type::Any), item))
                .collect(),
        ),
        (Type::Map(elem), Value::Object(map)) => Json::Object(
            map.iter()
                .map(|(k, item)| (k.clone(), encode_typed(elem, item)))
                .collect(),
        ),
        (Type::Object(attrs), Value::Object(map)) => {
            let mut out = Map::new();
            for (name, attr) in attrs {
                out.insert(name.clone(), encode_typed(&attr.ty, v.get(name)));
            }
            for (name, item) in map {
                if !out.contains_key(name) {
                    out.insert(name.clone(), item.to_json());
                }
            }
            Json::Object(out)
        }
        (_, v) => v.to_json(),
    }
}

/// The attributes as labform holds them, with every attribute of `schema` present (null when
/// unset, those labform does not implement too) and nested blocks as lists: what Terraform
/// shows of an object (`show -json`).
pub fn with_every_attribute(schema: &BlockSchema, v: &Value) -> Value {
    decode(schema, &Value::from_json(&encode_block(schema, v)), false)
}

/// The attributes Terraform wrote, as labform holds them: dynamic values without their type,
/// and without the attributes and blocks labform does not implement (it cannot manage them;
/// Terraform's next refresh reads them again). Also reads labform's own earlier files, whose
/// dynamic values carry no type.
pub fn decode_block(schema: &BlockSchema, v: &Value) -> Value {
    decode(schema, v, true)
}

fn decode(schema: &BlockSchema, v: &Value, drop_unimplemented: bool) -> Value {
    let Value::Object(map) = v else {
        return v.clone();
    };
    let mut out = BTreeMap::new();
    for (name, value) in map {
        if drop_unimplemented && schema.unimplemented.contains_key(name) {
            continue;
        }
        let decoded = if let Some(attr) = schema.attributes.get(name) {
            decode_typed(&attr.ty, value)
        } else if let Some(nested) = schema.blocks.get(name) {
            match value {
                Value::List(items) => Value::List(
                    items
                        .iter()
                        .map(|item| decode(&nested.block, item, drop_unimplemented))
                        .collect(),
                ),
                other => decode(&nested.block, other, drop_unimplemented),
            }
        } else {
            value.clone()
        };
        out.insert(name.clone(), decoded);
    }
    Value::Object(out)
}

fn decode_typed(ty: &Type, v: &Value) -> Value {
    match (ty, v) {
        (Type::Any, Value::Object(map)) => match (map.get("value"), map.get("type")) {
            (Some(inner), Some(t)) if map.len() == 2 => decode_by_type_json(&t.to_json(), inner),
            _ => v.clone(),
        },
        (Type::List(elem) | Type::Set(elem), Value::List(items)) => {
            Value::List(items.iter().map(|i| decode_typed(elem, i)).collect())
        }
        (Type::Tuple(elems), Value::List(items)) => Value::List(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| decode_typed(elems.get(i).unwrap_or(&Type::Any), item))
                .collect(),
        ),
        (Type::Map(elem), Value::Object(map)) => Value::Object(
            map.iter()
                .map(|(k, item)| (k.clone(), decode_typed(elem, item)))
                .collect(),
        ),
        (Type::Object(attrs), Value::Object(map)) => Value::Object(
            map.iter()
                .map(|(k, item)| {
                    let decoded = match attrs.get(k) {
                        Some(attr) => decode_typed(&attr.ty, item),
                        None => item.clone(),
                    };
                    (k.clone(), decoded)
                })
                .collect(),
        ),
        (_, v) => v.clone(),
    }
}

/// A value whose Terraform type is given in JSON: only positions typed `"dynamic"` carry a
/// nested `{"value","type"}` wrapper, so the type is followed down to them.
fn decode_by_type_json(ty: &Json, v: &Value) -> Value {
    match (ty, v) {
        (Json::String(t), _) if t == "dynamic" => decode_typed(&Type::Any, v),
        (Json::Array(parts), _) => match (parts.first().and_then(Json::as_str), parts.get(1)) {
            (Some("list" | "set"), Some(elem)) => match v {
                Value::List(items) => {
                    Value::List(items.iter().map(|i| decode_by_type_json(elem, i)).collect())
                }
                other => other.clone(),
            },
            (Some("map"), Some(elem)) => match v {
                Value::Object(map) => Value::Object(
                    map.iter()
                        .map(|(k, i)| (k.clone(), decode_by_type_json(elem, i)))
                        .collect(),
                ),
                other => other.clone(),
            },
            (Some("tuple"), Some(Json::Array(elems))) => match v {
                Value::List(items) => Value::List(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| match elems.get(i) {
                            Some(t) => decode_by_type_json(t, item),
                            None => item.clone(),
                        })
                        .collect(),
                ),
                other => other.clone(),
            },
            (Some("object"), Some(Json::Object(attrs))) => match v {
                Value::Object(map) => Value::Object(
                    map.iter()
                        .map(|(k, item)| {
                            let decoded = match attrs.get(k) {
                                Some(t) => decode_by_type_json(t, item),
                                None => item.clone(),
                            };
                            (k.clone(), decoded)
                        })
                        .collect(),
                ),
                other => other.clone(),
            },
            _ => v.clone(),
        },
        _ => v.clone(),
    }
}

/// Sensitive paths as Terraform's path steps: `get_attr` into objects and blocks, `index` with a
/// number into lists and with a string into maps. The step kinds follow the schema where it
/// knows them, else the value's shape.
pub fn encode_paths(schema: Option<&BlockSchema>, attrs: &Value, paths: &[Vec<String>]) -> Json {
    Json::Array(
        paths
            .iter()
            .map(|path| Json::Array(encode_path(schema, attrs, path)))
            .collect(),
    )
}

/// Where a path step stands: what the schema says of the position, if anything.
#[derive(Clone, Copy)]
enum Pos<'a> {
    Block(&'a BlockSchema),
    /// A list or set of nested blocks: indexed next, then the block applies.
    Blocks(&'a BlockSchema),
    Typed(&'a Type),
    Unknown,
}

fn encode_path(schema: Option<&BlockSchema>, attrs: &Value, path: &[String]) -> Vec<Json> {
    let mut pos = schema.map_or(Pos::Unknown, Pos::Block);
    let mut value = attrs;
    let mut steps = Vec::with_capacity(path.len());
    for step in path {
        let number = || match step.parse::<u64>() {
            Ok(i) => json!({"type": "index", "value": {"value": i, "type": "number"}}),
            Err(_) => json!({"type": "index", "value": {"value": step, "type": "string"}}),
        };
        let key = || json!({"type": "index", "value": {"value": step, "type": "string"}});
        let get_attr = || json!({"type": "get_attr", "value": step});
        let (encoded, next) = match pos {
            Pos::Block(block) => match (block.attributes.get(step), block.blocks.get(step)) {
                (Some(attr), _) => (get_attr(), Pos::Typed(&attr.ty)),
                (None, Some(nested)) if nested.nesting == Nesting::Single => {
                    (get_attr(), Pos::Block(&nested.block))
                }
                (None, Some(nested)) => (get_attr(), Pos::Blocks(&nested.block)),
                (None, None) => (get_attr(), Pos::Unknown),
            },
            Pos::Blocks(block) => (number(), Pos::Block(block)),
            Pos::Typed(Type::Map(elem)) => (key(), Pos::Typed(elem)),
            Pos::Typed(Type::List(elem) | Type::Set(elem)) => (number(), Pos::Typed(elem)),
            Pos::Typed(Type::Tuple(elems)) => {
                let next = step
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| elems.get(i))
                    .map_or(Pos::Unknown, Pos::Typed);
                (number(), next)
            }
            Pos::Typed(Type::Object(attrs)) => (
                get_attr(),
                attrs.get(step).map_or(Pos::Unknown, |a| Pos::Typed(&a.ty)),
            ),
            // A dynamic value's type is inferred: tuples are indexed, objects have attributes.
            // An attribute name never starts with a digit: a number step is an index.
            Pos::Typed(_) | Pos::Unknown => match value {
                Value::List(_) => (number(), Pos::Unknown),
                _ if step.parse::<u64>().is_ok() => (number(), Pos::Unknown),
                _ => (get_attr(), Pos::Unknown),
            },
        };
        steps.push(encoded);
        value = match value {
            Value::List(items) => step
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get(i))
                .unwrap_or(&Value::Null),
            other => other.get(step),
        };
        pos = next;
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use labform_sdk::{Attribute, NestedBlock};

    fn data_schema() -> BlockSchema {
        BlockSchema::new()
            .attr("id", Attribute::computed(Type::String))
            .attr("input", Attribute::optional(Type::Any))
            .attr("tags", Attribute::optional(Type::map(Type::String)))
            .block(
                "rule",
                NestedBlock::list(
                    BlockSchema::new().attr("secret", Attribute::optional(Type::String)),
                ),
            )
    }

    #[test]
    fn dynamic_values_carry_their_type_and_read_back_without_it() {
        let v = Value::from_pairs([
            ("id", Value::from("x")),
            (
                "input",
                Value::from_pairs([("a", Value::Number(1.0)), ("n", Value::Null)]),
            ),
        ]);
        let encoded = encode_block(&data_schema(), &v);
        assert_eq!(
            encoded,
            json!({"id": "x", "input": {"value": {"a": 1, "n": null},
                   "type": ["object", {"a": "number", "n": "dynamic"}]},
                   "tags": null, "rule": []})
        );
        let back = decode_block(&data_schema(), &Value::from_json(&encoded));
        assert_eq!(back.get("input"), v.get("input"));
        assert_eq!(back.get("tags"), &Value::Null);
    }

    #[test]
    fn sensitive_paths_use_terraforms_steps() {
        let v = Value::from_pairs([
            ("tags", Value::string_map([("k-1", "v")])),
            (
                "rule",
                Value::List(vec![Value::from_pairs([("secret", Value::from("s"))])]),
            ),
            ("input", Value::List(vec![Value::from("a")])),
        ]);
        let paths = vec![
            vec!["tags".to_string(), "k-1".to_string()],
            vec!["rule".to_string(), "0".to_string(), "secret".to_string()],
            vec!["input".to_string(), "0".to_string()],
        ];
        assert_eq!(
            encode_paths(Some(&data_schema()), &v, &paths),
            json!([
                [{"type": "get_attr", "value": "tags"},
                 {"type": "index", "value": {"value": "k-1", "type": "string"}}],
                [{"type": "get_attr", "value": "rule"},
                 {"type": "index", "value": {"value": 0, "type": "number"}},
                 {"type": "get_attr", "value": "secret"}],
                [{"type": "get_attr", "value": "input"},
                 {"type": "index", "value": {"value": 0, "type": "number"}}]
            ])
        );
    }
}
