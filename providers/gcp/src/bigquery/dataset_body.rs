//! `google_bigquery_dataset` <-> BigQuery JSON: the insert body, the PATCH body (exactly the
//! fields that changed), the full body for a PUT, and the state read back.

use std::collections::BTreeMap;

use labform_sdk::Value;
use serde_json::{json, Map, Value as Json};

use crate::conv::{json_int_string, json_str, num, put_attrs, string};
use crate::labels;

/// The `datasets.insert` body.
/// `labels` are what the create sends (the planned effective labels and the instance mark).
pub fn insert_body(planned: &Value, project: &str, labels: &BTreeMap<String, String>) -> Json {
    let mut b = Map::new();
    b.insert(
        "datasetReference".into(),
        json!({"projectId": project, "datasetId": planned.str_attr("dataset_id").unwrap_or_default()}),
    );
    put_attrs(
        &mut b,
        planned,
        &[
            ("location", "location", json_str),
            ("friendlyName", "friendly_name", json_str),
            ("description", "description", json_str),
            (
                "defaultTableExpirationMs",
                "default_table_expiration_ms",
                json_int_string,
            ),
            (
                "defaultPartitionExpirationMs",
                "default_partition_expiration_ms",
                json_int_string,
            ),
        ],
    );
    b.insert("labels".into(), labels::to_json(labels));
    Json::Object(b)
}

/// How an update is sent.
#[derive(Debug, PartialEq)]
pub enum Change {
    /// Nothing the API holds changed (only client-side attributes).
    None,
    /// `datasets.patch` with exactly these fields.
    Patch(Json),
    /// A field must be removed (a label key, an expiration): JSON cannot say "remove" through
    /// the typed client, so the whole resource is PUT (as the google provider always does).
    Put,
}

/// The PATCH fields datasets and tables share: `friendlyName` and `description` when they
/// changed (an empty string clears one, as the google provider sends it), and the whole label
/// map when it changed (right whether the server merges, as BigQuery does, or replaces, as the
/// emulator does). `None` when a label key went: only a PUT removes it.
fn shared_patch(prior: &Value, planned: &Value) -> Option<Map<String, Json>> {
    let mut b = Map::new();
    for (attr, field) in [
        ("friendly_name", "friendlyName"),
        ("description", "description"),
    ] {
        if prior.get(attr) != planned.get(attr) {
            b.insert(
                field.into(),
                json!(planned.str_attr(attr).unwrap_or_default()),
            );
        }
    }
    let (old, new) = (
        prior.string_map_attr("effective_labels"),
        planned.string_map_attr("effective_labels"),
    );
    if old != new {
        if old.keys().any(|k| !new.contains_key(k)) {
            return None;
        }
        b.insert("labels".into(), labels::to_json(&new));
    }
    Some(b)
}

/// The body of a full update (PUT) of a dataset or a table: the `current` resource with the
/// planned fields both have (`friendlyName`, `description`, the whole label map) and the type's
/// `own` fields, each removed when `None`. The instance mark the object carries stays.
pub fn put_body_with(current: &Json, planned: &Value, own: Vec<(&str, Option<Json>)>) -> Json {
    let mut b = current.as_object().cloned().unwrap_or_default();
    let shared = [
        ("friendlyName", json_str(planned.get("friendly_name"))),
        ("description", json_str(planned.get("description"))),
    ];
    for (field, value) in shared.into_iter().chain(own) {
        match value {
            Some(v) => b.insert(field.into(), v),
            None => b.remove(field),
        };
    }
    b.insert(
        "labels".into(),
        labels::to_json(&planned.string_map_attr("effective_labels")),
    );
    let mut body = Json::Object(b);
    labels::keep_instance_mark(&mut body, current);
    body
}

/// How a body field is built from the planned value; `None` when it is unset.
pub type Field = fn(&Value) -> Option<Json>;

/// What to send to take a dataset or a table from `prior` to `planned`: the fields both have
/// ([`shared_patch`]) and those of `fields` (attribute, body field, how it is built) that
/// changed. Removing a field needs a null the typed client cannot send: then the whole
/// resource is PUT.
pub fn patch_or_put(prior: &Value, planned: &Value, fields: &[(&str, &str, Field)]) -> Change {
    let Some(mut b) = shared_patch(prior, planned) else {
        return Change::Put;
    };
    for (attr, field, build) in fields {
        if prior.get(attr) != planned.get(attr) {
            match build(planned) {
                Some(v) => {
                    b.insert(field.to_string(), v);
                }
                None => return Change::Put,
            }
        }
    }
    if b.is_empty() {
        Change::None
    } else {
        Change::Patch(Json::Object(b))
    }
}

/// What to send to take `prior` to `planned`.
pub fn change(prior: &Value, planned: &Value) -> Change {
    patch_or_put(
        prior,
        planned,
        &[
            (
                "default_table_expiration_ms",
                "defaultTableExpirationMs",
                |p| json_int_string(p.get("default_table_expiration_ms")),
            ),
            (
                "default_partition_expiration_ms",
                "defaultPartitionExpirationMs",
                |p| json_int_string(p.get("default_partition_expiration_ms")),
            ),
        ],
    )
}

/// The body of a full `datasets.update`: the current resource with the planned fields.
pub fn put_body(current: &Json, planned: &Value) -> Json {
    let expiration = |attr| json_int_string(planned.get(attr));
    put_body_with(
        current,
        planned,
        vec![
            (
                "defaultTableExpirationMs",
                expiration("default_table_expiration_ms"),
            ),
            (
                "defaultPartitionExpirationMs",
                expiration("default_partition_expiration_ms"),
            ),
        ],
    )
}

/// Sets in state `s` the attributes datasets and tables both read back from the API's JSON: names,
/// labels (the user's keys from `known`), times, etag and self link.
pub fn shared_state(s: &mut Value, api: &Json, known: &Value) {
    s.set("friendly_name", string(&api["friendlyName"]));
    s.set("description", string(&api["description"]));
    labels::set_state(s, known, api);
    s.set("creation_time", num(&api["creationTime"]));
    s.set("last_modified_time", num(&api["lastModifiedTime"]));
    s.set("etag", string(&api["etag"]));
    s.set("self_link", string(&api["selfLink"]));
}

/// The state from the API's JSON; `known` gives client-side attributes and the user's keys.
pub fn state(api: &Json, known: &Value, empty: Value) -> Value {
    let mut s = empty;
    let r = &api["datasetReference"];
    let project = r["projectId"].as_str().unwrap_or_default();
    let id = r["datasetId"].as_str().unwrap_or_default();
    s.set(
        "id",
        Value::from(format!("projects/{project}/datasets/{id}")),
    );
    s.set("dataset_id", Value::from(id));
    s.set("project", Value::from(project));
    // BigQuery answers `US` when no location was given; keep the user's spelling when it is the
    // same location (the google provider compares case-insensitively).
    let location = api["location"].as_str().unwrap_or("US");
    let location = match known.str_attr("location") {
        Some(k) if k.eq_ignore_ascii_case(location) => k.to_string(),
        _ => location.to_string(),
    };
    s.set("location", Value::from(location));
    shared_state(&mut s, api, known);
    s.set(
        "default_table_expiration_ms",
        num(&api["defaultTableExpirationMs"]),
    );
    s.set(
        "default_partition_expiration_ms",
        num(&api["defaultPartitionExpirationMs"]),
    );
    s.set(
        "delete_contents_on_destroy",
        Value::Bool(known.bool_attr("delete_contents_on_destroy", false)),
    );
    // Absent from the API's answer means empty to the user (and keeps an unset field unset).
    for k in ["friendly_name", "description"] {
        if s.get(k).is_null() && known.get(k).as_str() == Some("") {
            s.set(k, Value::from(""));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bigquery::body_checks::{assert_patch, assert_sent_as_built};
    use google_cloud_bigquery_v2::model::Dataset;

    fn ds(desc: Option<&str>, exp: Option<f64>, labels: &[(&str, &str)]) -> Value {
        let mut v = crate::bigquery::dataset::schema().empty_value();
        v.set("dataset_id", Value::from("d"));
        v.set("description", desc.map(Value::from).unwrap_or(Value::Null));
        v.set(
            "default_table_expiration_ms",
            exp.map(Value::Number).unwrap_or(Value::Null),
        );
        v.set(
            "effective_labels",
            Value::string_map(labels.iter().copied()),
        );
        v
    }

    #[test]
    fn patch_carries_only_what_changed() {
        let a = ds(Some("a"), Some(3_600_000.0), &[("managed-by", "labform")]);
        let b = ds(Some("b"), Some(3_600_000.0), &[("managed-by", "labform")]);
        assert_patch::<Dataset>(change(&a, &b), json!({"description": "b"}));
    }

    #[test]
    fn labels_go_whole_and_expirations_as_int64_strings() {
        let a = ds(None, None, &[("managed-by", "labform")]);
        let b = ds(
            None,
            Some(7_200_000.0),
            &[("managed-by", "labform"), ("env", "dev")],
        );
        assert_patch::<Dataset>(
            change(&a, &b),
            json!({"defaultTableExpirationMs": "7200000", "labels": {"env": "dev", "managed-by": "labform"}}),
        );
    }

    #[test]
    fn clearing_a_description_sends_an_empty_string() {
        assert_patch::<Dataset>(
            change(&ds(Some("a"), None, &[]), &ds(None, None, &[])),
            json!({"description": ""}),
        );
    }

    #[test]
    fn removals_need_a_put_and_nothing_is_nothing() {
        assert_eq!(
            change(
                &ds(None, None, &[("a", "1"), ("b", "2")]),
                &ds(None, None, &[("a", "1")])
            ),
            Change::Put
        );
        assert_eq!(
            change(&ds(None, Some(3_600_000.0), &[]), &ds(None, None, &[])),
            Change::Put
        );
        let a = ds(Some("x"), None, &[("a", "1")]);
        assert_eq!(change(&a, &a), Change::None);
    }

    #[test]
    fn insert_body_round_trips_through_the_model() {
        let mut p = ds(Some("w"), Some(3_600_000.0), &[("managed-by", "labform")]);
        p.set("location", Value::from("EU"));
        let body = insert_body(&p, "proj-123456", &p.string_map_attr("effective_labels"));
        assert_eq!(
            body,
            json!({
                "datasetReference": {"projectId": "proj-123456", "datasetId": "d"},
                "location": "EU", "description": "w", "defaultTableExpirationMs": "3600000",
                "labels": {"managed-by": "labform"}
            })
        );
        assert_sent_as_built::<Dataset>(&body);
    }
}
