//! Small conversions between state values and API JSON (int64 fields travel as strings).

use labform_sdk::Value;
use serde_json::Value as Json;

/// A JSON number or decimal string as a state number; `Null` when absent.
pub fn num(j: &Json) -> Value {
    match j {
        Json::Number(n) => n.as_f64().map(Value::Number).unwrap_or(Value::Null),
        Json::String(s) => s.parse::<f64>().map(Value::Number).unwrap_or(Value::Null),
        _ => Value::Null,
    }
}

/// A JSON string as a state string; `Null` when absent.
pub fn string(j: &Json) -> Value {
    j.as_str().map(Value::from).unwrap_or(Value::Null)
}

/// A JSON list of strings as a state list; `Null` when absent.
pub fn strings(j: &Json) -> Value {
    match j.as_array() {
        Some(items) => Value::List(
            items
                .iter()
                .filter_map(|i| i.as_str().map(Value::from))
                .collect(),
        ),
        None => Value::Null,
    }
}

/// A state string as JSON.
pub fn json_str(v: &Value) -> Option<Json> {
    v.as_str().map(|s| Json::String(s.to_string()))
}

/// A state number as a JSON integer (or float when it has a fraction).
pub fn json_num(v: &Value) -> Option<Json> {
    match v {
        Value::Number(_) => Some(v.to_json()),
        _ => None,
    }
}

/// A state number as a JSON decimal string (BigQuery's int64 encoding).
pub fn json_int_string(v: &Value) -> Option<Json> {
    v.as_f64()
        .map(|n| Json::String(labform_sdk::value::format_number(n)))
}

/// A state list of strings as JSON.
pub fn json_strings(v: &Value) -> Option<Json> {
    v.as_list().map(|items| {
        Json::Array(
            items
                .iter()
                .filter_map(|i| i.as_str().map(|s| Json::String(s.to_string())))
                .collect(),
        )
    })
}

/// Sets `key` on a JSON object when `value` is present.
pub fn put(obj: &mut serde_json::Map<String, Json>, key: &str, value: Option<Json>) {
    if let Some(v) = value {
        obj.insert(key.to_string(), v);
    }
}

/// How a body field is made from a state attribute; `None` leaves the field out.
pub type ToJson = fn(&Value) -> Option<Json>;

/// Sets each `(field, attribute, to_json)` of `fields` on a JSON object: `v`'s attribute as the
/// field, when it gives one.
pub fn put_attrs(
    obj: &mut serde_json::Map<String, Json>,
    v: &Value,
    fields: &[(&str, &str, ToJson)],
) {
    for (field, attr, to_json) in fields {
        put(obj, field, to_json(v.get(attr)));
    }
}

/// A state number above zero as JSON: for counters where zero means "not set", as in the google
/// provider.
pub fn json_positive(v: &Value) -> Option<Json> {
    json_num(v).filter(|j| j.as_f64().is_some_and(|n| n > 0.0))
}
