//! The dynamic value that flows between configuration, plans, providers and state.

use std::collections::BTreeMap;
use std::fmt;

use crate::joined::write_joined;

/// A configuration or state value.
///
/// `Unknown` means "known after apply": only plans hold it; state never does. Sets are carried as
/// `List` (sorted and de-duplicated by whoever builds them); maps and objects are both `Object`.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Value {
    #[default]
    Null,
    Unknown,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<Value>),
    Object(BTreeMap<String, Value>),
}

impl Value {
    /// An empty object.
    pub fn object() -> Self {
        Value::Object(BTreeMap::new())
    }

    /// Builds an object from key/value pairs.
    pub fn from_pairs<K: Into<String>>(pairs: impl IntoIterator<Item = (K, Value)>) -> Self {
        Value::Object(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// A map of strings (labels, tags, env maps) as an object of strings.
    pub fn string_map<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Value::Object(
            pairs
                .into_iter()
                .map(|(k, v)| (k.into(), Value::String(v.into())))
                .collect(),
        )
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown)
    }

    /// True when neither this value nor anything inside it is unknown.
    pub fn is_wholly_known(&self) -> bool {
        match self {
            Value::Unknown => false,
            Value::List(items) => items.iter().all(Value::is_wholly_known),
            Value::Object(map) => map.values().all(Value::is_wholly_known),
            _ => true,
        }
    }

    /// The attribute `key` of an object; `Null` for anything else or a missing key.
    pub fn get(&self, key: &str) -> &Value {
        static NULL: Value = Value::Null;
        match self {
            Value::Object(map) => map.get(key).unwrap_or(&NULL),
            _ => &NULL,
        }
    }

    /// Sets `key` on an object (turning `Null` into an object first); ignored on other kinds.
    pub fn set(&mut self, key: impl Into<String>, value: Value) {
        if self.is_null() {
            *self = Value::object();
        }
        if let Value::Object(map) = self {
            map.insert(key.into(), value);
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The number as an integer when it is whole.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => Some(*n as i64),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    /// `get(key)` as a string.
    pub fn str_attr(&self, key: &str) -> Option<&str> {
        self.get(key).as_str()
    }

    /// `get(key)` as a bool, `default` when null or not a bool.
    pub fn bool_attr(&self, key: &str, default: bool) -> bool {
        self.get(key).as_bool().unwrap_or(default)
    }

    /// `get(key)` as an integer.
    pub fn i64_attr(&self, key: &str) -> Option<i64> {
        self.get(key).as_i64()
    }

    /// `get(key)` as a list; empty when null.
    pub fn list_attr(&self, key: &str) -> &[Value] {
        self.get(key).as_list().unwrap_or(&[])
    }

    /// `get(key)` as a map of strings (non-string entries are skipped); empty when null.
    pub fn string_map_attr(&self, key: &str) -> BTreeMap<String, String> {
        self.get(key)
            .as_object()
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `get(key)` as a list of strings (non-strings skipped); empty when null.
    pub fn string_list_attr(&self, key: &str) -> Vec<String> {
        self.list_attr(key)
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    }

    /// The first element of a nested block list (a `max_items = 1` block), if any.
    pub fn single_block(&self, key: &str) -> Option<&Value> {
        match self.get(key) {
            Value::List(items) => items.first(),
            Value::Object(_) => Some(self.get(key)),
            _ => None,
        }
    }

    /// A short name of the value's kind, for error messages.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Unknown => "unknown",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Object(_) => "object",
        }
    }

    /// Converts to JSON. `Unknown` becomes `null`: callers that persist values must check
    /// [`Value::is_wholly_known`] first.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null | Value::Unknown => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => number_to_json(*n),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::List(items) => {
                serde_json::Value::Array(items.iter().map(Value::to_json).collect())
            }
            Value::Object(map) => serde_json::Value::Object(
                map.iter().map(|(k, v)| (k.clone(), v.to_json())).collect(),
            ),
        }
    }

    /// Converts from JSON.
    pub fn from_json(json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(0.0)),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(items) => {
                Value::List(items.iter().map(Value::from_json).collect())
            }
            serde_json::Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }
}

fn number_to_json(n: f64) -> serde_json::Value {
    // Every whole f64 below 2^63 is exactly an i64: written without a fraction, as Terraform.
    if n.fract() == 0.0 && n.abs() < 9.2e18 {
        serde_json::Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null)
    }
}

/// Formats a number the way Terraform prints it: whole numbers without a fraction.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1.0e16 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

impl fmt::Display for Value {
    /// HCL-like rendering, used in messages and plan output.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Unknown => f.write_str("(known after apply)"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => f.write_str(&format_number(*n)),
            Value::String(s) => write!(f, "{s:?}"),
            Value::List(items) => write_joined(f, "[", items, "]", |f, v| write!(f, "{v}")),
            Value::Object(map) => {
                write_joined(f, "{", map, "}", |f, (k, v)| write!(f, "{k} = {v}"))
            }
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<f64> for Value {
    fn from(n: f64) -> Self {
        Value::Number(n)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Number(n as f64)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map(Into::into).unwrap_or(Value::Null)
    }
}

impl From<Vec<Value>> for Value {
    fn from(items: Vec<Value>) -> Self {
        Value::List(items)
    }
}

impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Value {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde_json::Value::deserialize(deserializer).map(|j| Value::from_json(&j))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trip_keeps_whole_numbers_whole() {
        let v = Value::from_pairs([("n", Value::Number(3.0)), ("f", Value::Number(0.5))]);
        assert_eq!(v.to_json().to_string(), r#"{"f":0.5,"n":3}"#);
        assert_eq!(Value::from_json(&v.to_json()), v);
    }

    #[test]
    fn unknown_anywhere_is_detected() {
        let v = Value::List(vec![
            Value::from("a"),
            Value::from_pairs([("x", Value::Unknown)]),
        ]);
        assert!(!v.is_wholly_known());
    }
}
