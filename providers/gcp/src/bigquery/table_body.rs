//! `google_bigquery_table` <-> BigQuery JSON: the insert body, the PATCH body (exactly the
//! fields that changed), the full body for a PUT, and the state read back.

use std::collections::BTreeMap;

use labform_sdk::Value;
use serde_json::{json, Map, Value as Json};

use super::dataset_body::{patch_or_put, put_body_with, shared_state, Change, Field};
use super::schema_json;
use crate::conv::{json_int_string, json_str, json_strings, num, put, string, strings};
use crate::labels;

fn schema_field(planned: &Value) -> Option<Json> {
    let text = planned.str_attr("schema")?;
    let fields = schema_json::parse(text).ok()?;
    Some(json!({ "fields": fields }))
}

fn partitioning(planned: &Value) -> Option<Json> {
    let p = planned.single_block("time_partitioning")?;
    let mut m = Map::new();
    put(&mut m, "type", json_str(p.get("type")));
    put(&mut m, "field", json_str(p.get("field")));
    // Zero means unset, as in the google provider.
    put(
        &mut m,
        "expirationMs",
        json_int_string(p.get("expiration_ms")).filter(|v| v != "0"),
    );
    Some(Json::Object(m))
}

fn clustering(planned: &Value) -> Option<Json> {
    json_strings(planned.get("clustering"))
        .filter(|f| f.as_array().is_some_and(|a| !a.is_empty()))
        .map(|f| json!({ "fields": f }))
}

fn external(planned: &Value) -> Option<Json> {
    let e = planned.single_block("external_data_configuration")?;
    let mut m = Map::new();
    put(&mut m, "sourceUris", json_strings(e.get("source_uris")));
    put(&mut m, "sourceFormat", json_str(e.get("source_format")));
    m.insert("autodetect".into(), json!(e.bool_attr("autodetect", false)));
    put(&mut m, "compression", json_str(e.get("compression")));
    if e.bool_attr("ignore_unknown_values", false) {
        m.insert("ignoreUnknownValues".into(), json!(true));
    }
    put(
        &mut m,
        "maxBadRecords",
        e.get("max_bad_records")
            .as_i64()
            .filter(|n| *n != 0)
            .map(|n| json!(n)),
    );
    Some(Json::Object(m))
}

/// The `tables.insert` body.
/// `labels` are what the create sends (the planned effective labels and the instance mark).
pub fn insert_body(planned: &Value, project: &str, labels: &BTreeMap<String, String>) -> Json {
    let mut b = Map::new();
    b.insert(
        "tableReference".into(),
        json!({
            "projectId": project,
            "datasetId": planned.str_attr("dataset_id").unwrap_or_default(),
            "tableId": planned.str_attr("table_id").unwrap_or_default(),
        }),
    );
    put(
        &mut b,
        "friendlyName",
        json_str(planned.get("friendly_name")),
    );
    put(&mut b, "description", json_str(planned.get("description")));
    b.insert("labels".into(), labels::to_json(labels));
    put(&mut b, "schema", schema_field(planned));
    put(&mut b, "timePartitioning", partitioning(planned));
    put(&mut b, "clustering", clustering(planned));
    put(
        &mut b,
        "expirationTime",
        json_int_string(planned.get("expiration_time")),
    );
    put(&mut b, "externalDataConfiguration", external(planned));
    Json::Object(b)
}

/// What to send to take `prior` to `planned`.
pub fn change(prior: &Value, planned: &Value) -> Change {
    let whole: [(&str, &str, Field); 5] = [
        ("schema", "schema", schema_field),
        ("time_partitioning", "timePartitioning", partitioning),
        ("clustering", "clustering", clustering),
        ("expiration_time", "expirationTime", |p| {
            json_int_string(p.get("expiration_time"))
        }),
        (
            "external_data_configuration",
            "externalDataConfiguration",
            external,
        ),
    ];
    patch_or_put(prior, planned, &whole)
}

/// The body of a full `tables.update`: the current table with the planned fields.
pub fn put_body(current: &Json, planned: &Value) -> Json {
    let mut own = vec![
        ("timePartitioning", partitioning(planned)),
        ("clustering", clustering(planned)),
        ("externalDataConfiguration", external(planned)),
    ];
    if planned.str_attr("schema").is_some() {
        own.push(("schema", schema_field(planned)));
    }
    if !planned.get("expiration_time").is_null() {
        let expiration = json_int_string(planned.get("expiration_time"));
        own.push(("expirationTime", expiration));
    }
    put_body_with(current, planned, own)
}

/// The state from the API's JSON; `known` gives client-side attributes and the user's keys.
pub fn state(api: &Json, known: &Value, empty: Value) -> Value {
    let mut s = empty;
    let r = &api["tableReference"];
    let (project, dataset, table) = (
        r["projectId"].as_str().unwrap_or_default(),
        r["datasetId"].as_str().unwrap_or_default(),
        r["tableId"].as_str().unwrap_or_default(),
    );
    s.set(
        "id",
        Value::from(format!(
            "projects/{project}/datasets/{dataset}/tables/{table}"
        )),
    );
    s.set("project", Value::from(project));
    s.set("dataset_id", Value::from(dataset));
    s.set("table_id", Value::from(table));
    shared_state(&mut s, api, known);
    s.set("expiration_time", num(&api["expirationTime"]));
    s.set(
        "schema",
        schema_state(&api["schema"]["fields"], known.get("schema")),
    );
    s.set("clustering", strings(&api["clustering"]["fields"]));
    if let Some(p) = api["timePartitioning"].as_object() {
        let get = |k: &str| p.get(k).unwrap_or(&Json::Null);
        s.set(
            "time_partitioning",
            Value::List(vec![Value::from_pairs([
                ("type", string(get("type"))),
                ("field", string(get("field"))),
                ("expiration_ms", num(get("expirationMs"))),
            ])]),
        );
    }
    if let Some(e) = api["externalDataConfiguration"].as_object() {
        let get = |k: &str| e.get(k).unwrap_or(&Json::Null);
        let known_e = known
            .single_block("external_data_configuration")
            .cloned()
            .unwrap_or_default();
        let compression = get("compression")
            .as_str()
            .filter(|c| !c.is_empty())
            .unwrap_or("NONE");
        s.set(
            "external_data_configuration",
            Value::List(vec![Value::from_pairs([
                (
                    "autodetect",
                    Value::Bool(get("autodetect").as_bool().unwrap_or(false)),
                ),
                ("source_uris", strings(get("sourceUris"))),
                ("source_format", string(get("sourceFormat"))),
                ("compression", Value::from(compression)),
                (
                    "ignore_unknown_values",
                    if get("ignoreUnknownValues").as_bool() == Some(true) {
                        Value::Bool(true)
                    } else {
                        known_e.get("ignore_unknown_values").clone().known_or_null()
                    },
                ),
                ("max_bad_records", num(get("maxBadRecords"))),
            ])]),
        );
    }
    s.set(
        "deletion_protection",
        Value::Bool(known.bool_attr("deletion_protection", true)),
    );
    s.set("location", string(&api["location"]));
    s.set("num_bytes", num(&api["numBytes"]));
    s.set("num_rows", num(&api["numRows"]));
    s.set("num_long_term_bytes", num(&api["numLongTermBytes"]));
    s.set("type", string(&api["type"]));
    s
}

/// The schema in state: the user's own text when the API's columns are equivalent to it (so an
/// equivalent schema is no diff), else the API's columns as compact JSON.
fn schema_state(api_fields: &Json, known: &Value) -> Value {
    let Some(fields) = api_fields.as_array() else {
        return match known {
            Value::String(s) if schema_json::parse(s).is_ok_and(|f| f.is_empty()) => known.clone(),
            _ => Value::Null,
        };
    };
    let api_text = Json::Array(fields.clone()).to_string();
    match known.as_str() {
        Some(k) if schema_json::equivalent(k, &api_text) => Value::from(k),
        _ => Value::from(api_text),
    }
}

trait KnownOrNull {
    fn known_or_null(self) -> Value;
}

impl KnownOrNull for Value {
    fn known_or_null(self) -> Value {
        if self.is_wholly_known() {
            self
        } else {
            Value::Null
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bigquery::body_checks::{assert_patch, assert_sent_as_built};
    use google_cloud_bigquery_v2::model::Table;

    fn table() -> Value {
        let mut v = crate::bigquery::table::schema().empty_value();
        v.set("dataset_id", Value::from("d"));
        v.set("table_id", Value::from("t"));
        v.set("schema", Value::from(r#"[{"name":"id","type":"INTEGER"}]"#));
        v.set(
            "effective_labels",
            Value::string_map([("managed-by", "labform")]),
        );
        v
    }

    #[test]
    fn description_and_labels() {
        let a = table();
        let mut b = table();
        b.set("description", Value::from("x"));
        b.set(
            "effective_labels",
            Value::string_map([("managed-by", "labform"), ("env", "dev")]),
        );
        assert_patch::<Table>(
            change(&a, &b),
            json!({"description": "x", "labels": {"env": "dev", "managed-by": "labform"}}),
        );
    }

    #[test]
    fn schema_clustering_and_partitioning() {
        let a = table();
        let mut b = table();
        b.set(
            "schema",
            Value::from(r#"[{"name":"id","type":"INTEGER"},{"name":"ts","type":"TIMESTAMP"}]"#),
        );
        b.set("clustering", Value::List(vec![Value::from("id")]));
        b.set(
            "time_partitioning",
            Value::List(vec![Value::from_pairs([
                ("type", Value::from("DAY")),
                ("field", Value::from("ts")),
                ("expiration_ms", Value::Number(0.0)),
            ])]),
        );
        assert_patch::<Table>(
            change(&a, &b),
            json!({
                "schema": {"fields": [{"name": "id", "type": "INTEGER"}, {"name": "ts", "type": "TIMESTAMP"}]},
                "clustering": {"fields": ["id"]},
                "timePartitioning": {"type": "DAY", "field": "ts"}
            }),
        );
        // Dropping clustering needs a PUT.
        assert_eq!(
            change(&b, &{
                let mut c = b.clone();
                c.set("clustering", Value::Null);
                c
            }),
            Change::Put
        );
    }

    #[test]
    fn external_tables_and_client_side_changes() {
        let mut a = table();
        a.set("schema", Value::Null);
        a.set(
            "external_data_configuration",
            Value::List(vec![Value::from_pairs([
                ("autodetect", Value::Bool(true)),
                ("source_format", Value::from("PARQUET")),
                (
                    "source_uris",
                    Value::List(vec![Value::from("gs://b/y/*.parquet")]),
                ),
                ("compression", Value::from("NONE")),
            ])]),
        );
        let body = insert_body(&a, "p-123456", &a.string_map_attr("effective_labels"));
        assert_eq!(
            body["externalDataConfiguration"],
            json!({"sourceUris": ["gs://b/y/*.parquet"], "sourceFormat": "PARQUET", "autodetect": true, "compression": "NONE"})
        );
        assert_sent_as_built::<Table>(&body);
        let mut b = a.clone();
        b.set("deletion_protection", Value::Bool(false));
        assert_eq!(change(&a, &b), Change::None);
    }
}
