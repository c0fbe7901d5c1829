//! Table schemas (the `schema` JSON string): checking, and the equivalence the google provider
//! uses so that a schema written differently but meaning the same is no diff.
//!
//! Equivalent: columns compared as sets keyed by name (order ignored, nested `fields` too);
//! missing `mode` is `NULLABLE`; types and modes compare case-insensitively with `INTEGER` =
//! `INT64`, `FLOAT` = `FLOAT64`, `BOOLEAN` = `BOOL`, `RECORD` = `STRUCT`; a missing
//! `description` is `""`; empty `policyTags` is missing.

use labform_sdk::{ProviderError, Result};
use serde_json::{Map, Value as Json};

/// Parses a schema string: a JSON array of field objects.
pub fn parse(text: &str) -> Result<Vec<Json>> {
    let json: Json = serde_json::from_str(text).map_err(|e| {
        ProviderError::invalid(format!("`schema` is not valid JSON (line {}, column {})", e.line(), e.column()))
            .with_hint("write it with jsonencode([{ name = \"id\", type = \"INTEGER\" }, ...]) or file(\"schema.json\")")
    })?;
    match json {
        Json::Array(items) if items.iter().all(|i| i.is_object() && i["name"].is_string()) => {
            Ok(items)
        }
        Json::Null => Ok(Vec::new()),
        _ => Err(ProviderError::invalid(
            "`schema` must be a JSON array of objects that each have a `name`",
        )
        .with_hint("e.g. [{\"name\": \"id\", \"type\": \"INTEGER\", \"mode\": \"REQUIRED\"}]")),
    }
}

/// The canonical form used to compare two schemas.
pub fn normalize(fields: &[Json]) -> Json {
    let mut out: Vec<Json> = fields.iter().map(normalize_field).collect();
    out.sort_by(|a, b| {
        a["name"]
            .as_str()
            .unwrap_or_default()
            .cmp(b["name"].as_str().unwrap_or_default())
    });
    Json::Array(out)
}

fn normalize_field(f: &Json) -> Json {
    let mut m: Map<String, Json> = f.as_object().cloned().unwrap_or_default();
    let ty = m
        .get("type")
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_uppercase();
    let ty = match ty.as_str() {
        "INTEGER" => "INT64",
        "FLOAT" => "FLOAT64",
        "BOOLEAN" => "BOOL",
        "RECORD" => "STRUCT",
        other => other,
    }
    .to_string();
    m.insert("type".into(), Json::String(ty));
    let mode = m
        .get("mode")
        .and_then(Json::as_str)
        .unwrap_or("NULLABLE")
        .to_uppercase();
    m.insert("mode".into(), Json::String(mode));
    if m.get("description").is_none_or(Json::is_null) {
        m.insert("description".into(), Json::String(String::new()));
    }
    let empty_tags = m
        .get("policyTags")
        .is_some_and(|t| t.is_null() || t["names"].as_array().is_none_or(Vec::is_empty));
    if empty_tags {
        m.remove("policyTags");
    }
    if let Some(nested) = m.get("fields").and_then(Json::as_array).cloned() {
        if nested.is_empty() {
            m.remove("fields");
        } else {
            m.insert("fields".into(), normalize(&nested));
        }
    }
    Json::Object(m)
}

/// Whether two schema strings mean the same columns.
pub fn equivalent(a: &str, b: &str) -> bool {
    match (parse(a), parse(b)) {
        (Ok(a), Ok(b)) => normalize(&a) == normalize(&b),
        _ => false,
    }
}

/// Whether going from schema `old` to `new` cannot be done in place: a column dropped, its type
/// changed, its mode changed other than REQUIRED to NULLABLE, or a REQUIRED column added (as
/// the google provider decides; it drops top-level columns in place with SQL, we replace).
pub fn needs_replacement(old: &str, new: &str) -> bool {
    match (parse(old), parse(new)) {
        (Ok(a), Ok(b)) => fields_need_replacement(&normalize(&a), &normalize(&b)),
        _ => false,
    }
}

fn fields_need_replacement(old: &Json, new: &Json) -> bool {
    let (Some(old), Some(new)) = (old.as_array(), new.as_array()) else {
        return false;
    };
    let find = |name: &Json| new.iter().find(|f| &f["name"] == name);
    for o in old {
        let Some(n) = find(&o["name"]) else {
            return true;
        };
        if o["type"] != n["type"] {
            return true;
        }
        if o["mode"] != n["mode"] && !(o["mode"] == "REQUIRED" && n["mode"] == "NULLABLE") {
            return true;
        }
        if fields_need_replacement(&o["fields"], &n["fields"]) {
            return true;
        }
    }
    new.iter()
        .any(|n| n["mode"] == "REQUIRED" && !old.iter().any(|o| o["name"] == n["name"]))
}

#[cfg(test)]
mod tests {
    #[test]
    fn which_schema_changes_replace_the_table() {
        let base =
            r#"[{"name":"id","type":"INTEGER","mode":"REQUIRED"},{"name":"zone","type":"STRING"}]"#;
        assert!(!needs_replacement(
            base,
            r#"[{"name":"id","type":"INT64","mode":"NULLABLE"},{"name":"zone","type":"STRING"},{"name":"fare","type":"FLOAT"}]"#
        ));
        assert!(needs_replacement(
            base,
            r#"[{"name":"id","type":"STRING","mode":"REQUIRED"},{"name":"zone","type":"STRING"}]"#
        ));
        assert!(needs_replacement(
            base,
            r#"[{"name":"id","type":"INTEGER","mode":"REQUIRED"}]"#
        ));
        assert!(needs_replacement(
            base,
            r#"[{"name":"id","type":"INTEGER","mode":"REQUIRED"},{"name":"zone","type":"STRING"},{"name":"x","type":"STRING","mode":"REQUIRED"}]"#
        ));
    }

    use super::*;

    #[test]
    fn order_case_and_defaults_do_not_matter() {
        let a =
            r#"[{"name":"id","type":"INTEGER","mode":"REQUIRED"},{"name":"city","type":"string"}]"#;
        let b = r#"[{"name":"city","type":"STRING","mode":"NULLABLE","description":""},{"name":"id","type":"INT64","mode":"required"}]"#;
        assert!(equivalent(a, b));
    }

    #[test]
    fn a_type_change_is_a_difference() {
        assert!(!equivalent(
            r#"[{"name":"id","type":"INTEGER"}]"#,
            r#"[{"name":"id","type":"STRING"}]"#
        ));
    }

    #[test]
    fn bad_schemas_are_refused() {
        assert!(parse("{").is_err());
        assert!(parse(r#"{"name":"x"}"#).is_err());
    }
}
