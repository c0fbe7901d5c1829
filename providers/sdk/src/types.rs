//! Type constraints (Terraform's `string`, `list(number)`, `object({...})`, ...) and the
//! conversion of values to them.

use std::collections::BTreeMap;
use std::fmt;

use crate::joined::write_joined;
use crate::value::{format_number, Value};

/// A type constraint. `Any` is Terraform's `any` / `dynamic`.
#[derive(Clone, Debug, PartialEq)]
pub enum Type {
    Any,
    String,
    Number,
    Bool,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Object(BTreeMap<String, ObjectAttr>),
    Tuple(Vec<Type>),
}

/// One attribute of an object type; `optional(T, default)` sets `optional` and `default`.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectAttr {
    pub ty: Type,
    pub optional: bool,
    pub default: Option<Value>,
}

impl Type {
    pub fn list(t: Type) -> Type {
        Type::List(Box::new(t))
    }
    pub fn set(t: Type) -> Type {
        Type::Set(Box::new(t))
    }
    pub fn map(t: Type) -> Type {
        Type::Map(Box::new(t))
    }
    /// An object type whose attributes are all required.
    pub fn object(attrs: &[(&str, Type)]) -> Type {
        Type::Object(
            attrs
                .iter()
                .map(|(name, ty)| {
                    let attr = ObjectAttr {
                        ty: ty.clone(),
                        optional: false,
                        default: None,
                    };
                    (name.to_string(), attr)
                })
                .collect(),
        )
    }

    /// Converts `value` to this type as Terraform does: numbers and bools to strings and back
    /// where the text allows, tuples to lists, objects to maps, lists to sets (sorted, unique).
    /// Null converts to null; unknown stays unknown. The error says what was expected.
    pub fn convert(&self, value: &Value) -> Result<Value, String> {
        if matches!(value, Value::Null | Value::Unknown) {
            return Ok(value.clone());
        }
        match self {
            Type::Any => Ok(value.clone()),
            Type::String => match value {
                Value::String(_) => Ok(value.clone()),
                Value::Number(n) => Ok(Value::String(format_number(*n))),
                Value::Bool(b) => Ok(Value::String(b.to_string())),
                _ => Err(format!("a string is required, got {}", describe(value))),
            },
            Type::Number => match value {
                Value::Number(_) => Ok(value.clone()),
                Value::String(s) => s
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|n| n.is_finite() && s.trim() == s)
                    .map(Value::Number)
                    .ok_or_else(|| format!("a number is required, got the string {s:?}")),
                _ => Err(format!("a number is required, got {}", describe(value))),
            },
            Type::Bool => match value {
                Value::Bool(_) => Ok(value.clone()),
                Value::String(s) if s == "true" => Ok(Value::Bool(true)),
                Value::String(s) if s == "false" => Ok(Value::Bool(false)),
                _ => Err(format!("a bool is required, got {}", describe(value))),
            },
            Type::List(elem) | Type::Set(elem) => {
                let items = match value {
                    Value::List(items) => items,
                    _ => return Err(format!("a {} is required, got {}", self, describe(value))),
                };
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    out.push(
                        elem.convert(item)
                            .map_err(|e| format!("element {i}: {e}"))?,
                    );
                }
                if matches!(self, Type::Set(_)) {
                    out = normalize_set(out);
                }
                Ok(Value::List(out))
            }
            Type::Map(elem) => {
                let map = match value {
                    Value::Object(map) => map,
                    _ => return Err(format!("a {} is required, got {}", self, describe(value))),
                };
                let mut out = BTreeMap::new();
                for (k, v) in map {
                    out.insert(
                        k.clone(),
                        elem.convert(v).map_err(|e| format!("key {k:?}: {e}"))?,
                    );
                }
                Ok(Value::Object(out))
            }
            Type::Object(attrs) => {
                let map = match value {
                    Value::Object(map) => map,
                    _ => return Err(format!("an object is required, got {}", describe(value))),
                };
                let mut out = BTreeMap::new();
                for (name, attr) in attrs {
                    match map.get(name) {
                        Some(v) if !v.is_null() => {
                            out.insert(
                                name.clone(),
                                attr.ty
                                    .convert(v)
                                    .map_err(|e| format!("attribute {name:?}: {e}"))?,
                            );
                        }
                        _ if attr.optional => {
                            let default = attr.default.clone().unwrap_or(Value::Null);
                            out.insert(name.clone(), attr.ty.convert(&default)?);
                        }
                        _ => return Err(format!("attribute {name:?} is required")),
                    }
                }
                Ok(Value::Object(out))
            }
            Type::Tuple(elems) => {
                let items = match value {
                    Value::List(items) if items.len() == elems.len() => items,
                    _ => return Err(format!("a {} is required, got {}", self, describe(value))),
                };
                let out = elems
                    .iter()
                    .zip(items)
                    .enumerate()
                    .map(|(i, (t, v))| t.convert(v).map_err(|e| format!("element {i}: {e}")))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Value::List(out))
            }
        }
    }
}

/// Sorts and de-duplicates set elements so equal sets compare equal.
pub fn normalize_set(mut items: Vec<Value>) -> Vec<Value> {
    items.sort_by_key(|v| v.to_json().to_string());
    items.dedup();
    items
}

fn describe(value: &Value) -> String {
    match value {
        Value::String(s) if s.len() <= 40 => format!("the string {s:?}"),
        Value::List(items) => format!("a list of {} elements", items.len()),
        other => format!("a {}", other.kind_name()),
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Any => f.write_str("any"),
            Type::String => f.write_str("string"),
            Type::Number => f.write_str("number"),
            Type::Bool => f.write_str("bool"),
            Type::List(t) => write!(f, "list({t})"),
            Type::Set(t) => write!(f, "set({t})"),
            Type::Map(t) => write!(f, "map({t})"),
            Type::Object(attrs) => write_joined(f, "object({", attrs, "})", |f, (k, a)| {
                if a.optional {
                    write!(f, "{k} = optional({})", a.ty)
                } else {
                    write!(f, "{k} = {}", a.ty)
                }
            }),
            Type::Tuple(elems) => write_joined(f, "tuple([", elems, "])", |f, t| write!(f, "{t}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primitives_convert_like_terraform() {
        assert_eq!(
            Type::String.convert(&Value::Number(5.0)),
            Ok(Value::from("5"))
        );
        assert_eq!(
            Type::Number.convert(&Value::from("2.5")),
            Ok(Value::Number(2.5))
        );
        assert!(Type::Number.convert(&Value::from("abc")).is_err());
        assert_eq!(
            Type::Bool.convert(&Value::from("true")),
            Ok(Value::Bool(true))
        );
    }

    #[test]
    fn sets_are_sorted_and_unique() {
        let v = Value::List(vec!["b".into(), "a".into(), "b".into()]);
        assert_eq!(
            Type::set(Type::String).convert(&v),
            Ok(Value::List(vec!["a".into(), "b".into()]))
        );
    }

    #[test]
    fn optional_object_attributes_take_defaults() {
        let t = Type::Object(BTreeMap::from([
            (
                "a".to_string(),
                ObjectAttr {
                    ty: Type::String,
                    optional: false,
                    default: None,
                },
            ),
            (
                "b".to_string(),
                ObjectAttr {
                    ty: Type::Number,
                    optional: true,
                    default: Some(Value::Number(1.0)),
                },
            ),
        ]));
        let v = Value::from_pairs([("a", Value::from("x"))]);
        assert_eq!(t.convert(&v).unwrap().get("b"), &Value::Number(1.0));
        assert!(t
            .convert(&Value::object())
            .unwrap_err()
            .contains("\"a\" is required"));
    }
}
