//! `google_storage_bucket` <-> Cloud Storage JSON: the insert body, the PATCH body (exactly the
//! fields that changed) and the state read back from the API.

use std::collections::BTreeMap;

use labform_sdk::Value;
use serde_json::{json, Map, Value as Json};

use crate::conv::{
    json_num, json_positive, json_str, json_strings, num, put, put_attrs, string, strings,
};
use crate::labels;

/// The `buckets.insert` body for a planned bucket.
pub fn insert_body(planned: &Value, effective_labels: &BTreeMap<String, String>) -> Json {
    let mut b = Map::new();
    b.insert(
        "name".into(),
        json!(planned.str_attr("name").unwrap_or_default()),
    );
    b.insert(
        "location".into(),
        json!(planned.str_attr("location").unwrap_or_default()),
    );
    b.insert(
        "storageClass".into(),
        json!(planned.str_attr("storage_class").unwrap_or("STANDARD")),
    );
    b.insert("labels".into(), labels::to_json(effective_labels));
    // Terraform always sends uniform access on create (false when unset).
    let mut iam = Map::new();
    iam.insert(
        "uniformBucketLevelAccess".into(),
        json!({"enabled": planned.bool_attr("uniform_bucket_level_access", false)}),
    );
    put(
        &mut iam,
        "publicAccessPrevention",
        json_str(planned.get("public_access_prevention")),
    );
    b.insert("iamConfiguration".into(), Json::Object(iam));
    if let Some(v) = planned.single_block("versioning") {
        b.insert(
            "versioning".into(),
            json!({"enabled": v.bool_attr("enabled", false)}),
        );
    }
    if !planned.list_attr("lifecycle_rule").is_empty() {
        b.insert("lifecycle".into(), lifecycle_json(planned));
    }
    put(
        &mut b,
        "retentionPolicy",
        planned.single_block("retention_policy").map(retention_json),
    );
    if !planned.list_attr("cors").is_empty() {
        b.insert("cors".into(), cors_json(planned));
    }
    put(
        &mut b,
        "website",
        planned.single_block("website").map(website_json),
    );
    Json::Object(b)
}

/// The `buckets.patch` body taking `prior` (state) to `planned`: only what changed. Label keys
/// that go away are sent as null (that is how the JSON API removes one label).
pub fn patch_body(prior: &Value, planned: &Value) -> Json {
    let mut b = Map::new();
    let changed = |k: &str| prior.get(k) != planned.get(k);
    if changed("storage_class") {
        put(
            &mut b,
            "storageClass",
            json_str(planned.get("storage_class")),
        );
    }
    let (old, new) = (
        prior.string_map_attr("effective_labels"),
        planned.string_map_attr("effective_labels"),
    );
    if old != new {
        let mut l = Map::new();
        for (k, v) in &new {
            if old.get(k) != Some(v) {
                l.insert(k.clone(), json!(v));
            }
        }
        for k in old.keys().filter(|k| !new.contains_key(*k)) {
            l.insert(k.clone(), Json::Null);
        }
        b.insert("labels".into(), Json::Object(l));
    }
    let mut iam = Map::new();
    if changed("uniform_bucket_level_access")
        && !planned.get("uniform_bucket_level_access").is_null()
    {
        iam.insert(
            "uniformBucketLevelAccess".into(),
            json!({"enabled": planned.bool_attr("uniform_bucket_level_access", false)}),
        );
    }
    if changed("public_access_prevention") {
        if let Some(p) = planned.str_attr("public_access_prevention") {
            iam.insert("publicAccessPrevention".into(), json!(p));
        }
    }
    if !iam.is_empty() {
        b.insert("iamConfiguration".into(), Json::Object(iam));
    }
    if changed("versioning") {
        if let Some(v) = planned.single_block("versioning") {
            b.insert(
                "versioning".into(),
                json!({"enabled": v.bool_attr("enabled", false)}),
            );
        }
    }
    if changed("lifecycle_rule") {
        b.insert("lifecycle".into(), lifecycle_json(planned));
    }
    if changed("retention_policy") {
        b.insert(
            "retentionPolicy".into(),
            planned
                .single_block("retention_policy")
                .map(retention_json)
                .unwrap_or(Json::Null),
        );
    }
    if changed("cors") {
        b.insert("cors".into(), cors_json(planned));
    }
    if changed("website") {
        b.insert(
            "website".into(),
            planned
                .single_block("website")
                .map(website_json)
                .unwrap_or(Json::Null),
        );
    }
    Json::Object(b)
}

fn lifecycle_json(planned: &Value) -> Json {
    let rules: Vec<Json> = planned
        .list_attr("lifecycle_rule")
        .iter()
        .map(|rule| {
            let mut action = Map::new();
            if let Some(a) = rule.list_attr("action").first() {
                put(&mut action, "type", json_str(a.get("type")));
                put(
                    &mut action,
                    "storageClass",
                    a.str_attr("storage_class")
                        .filter(|s| !s.is_empty())
                        .map(|s| json!(s)),
                );
            }
            let mut cond = Map::new();
            if let Some(c) = rule.list_attr("condition").first() {
                // Zero means "not set" for the counters, as in the google provider.
                put_attrs(
                    &mut cond,
                    c,
                    &[
                        ("age", "age", json_positive),
                        ("createdBefore", "created_before", json_str),
                        ("customTimeBefore", "custom_time_before", json_str),
                        (
                            "daysSinceCustomTime",
                            "days_since_custom_time",
                            json_positive,
                        ),
                        (
                            "daysSinceNoncurrentTime",
                            "days_since_noncurrent_time",
                            json_positive,
                        ),
                        ("noncurrentTimeBefore", "noncurrent_time_before", json_str),
                        ("numNewerVersions", "num_newer_versions", json_positive),
                    ],
                );
                match c.str_attr("with_state") {
                    Some("LIVE") => put(&mut cond, "isLive", Some(json!(true))),
                    Some("ARCHIVED") => put(&mut cond, "isLive", Some(json!(false))),
                    _ => {}
                }
                put_attrs(
                    &mut cond,
                    c,
                    &[
                        ("matchesStorageClass", "matches_storage_class", json_strings),
                        ("matchesPrefix", "matches_prefix", json_strings),
                        ("matchesSuffix", "matches_suffix", json_strings),
                    ],
                );
            }
            json!({"action": action, "condition": cond})
        })
        .collect();
    json!({ "rule": rules })
}

fn retention_json(r: &Value) -> Json {
    json!({"retentionPeriod": r.str_attr("retention_period").unwrap_or("0")})
}

fn website_json(w: &Value) -> Json {
    let mut m = Map::new();
    put_attrs(
        &mut m,
        w,
        &[
            ("mainPageSuffix", "main_page_suffix", json_str),
            ("notFoundPage", "not_found_page", json_str),
        ],
    );
    Json::Object(m)
}

fn cors_json(planned: &Value) -> Json {
    Json::Array(
        planned
            .list_attr("cors")
            .iter()
            .map(|c| {
                let mut m = Map::new();
                put_attrs(
                    &mut m,
                    c,
                    &[
                        ("origin", "origin", json_strings),
                        ("method", "method", json_strings),
                        ("responseHeader", "response_header", json_strings),
                        ("maxAgeSeconds", "max_age_seconds", json_num),
                    ],
                );
                Json::Object(m)
            })
            .collect(),
    )
}

/// The state of a bucket from the API's JSON. `known` is the prior state or the planned value
/// (client-side attributes and which label keys the user wrote come from it).
pub fn state(api: &Json, known: &Value, project: &str, empty: Value) -> Value {
    let mut s = empty;
    let name = api["name"].as_str().unwrap_or_default().to_string();
    s.set("id", Value::from(name.clone()));
    s.set("name", Value::from(name.clone()));
    s.set("url", Value::from(format!("gs://{name}")));
    s.set(
        "location",
        Value::from(api["location"].as_str().unwrap_or_default().to_uppercase()),
    );
    s.set("project", Value::from(project));
    s.set("project_number", num(&api["projectNumber"]));
    s.set("self_link", string(&api["selfLink"]));
    s.set("time_created", string(&api["timeCreated"]));
    s.set("updated", string(&api["updated"]));
    s.set(
        "force_destroy",
        Value::Bool(known.bool_attr("force_destroy", false)),
    );
    s.set("storage_class", string(&api["storageClass"]));
    labels::set_state(&mut s, known, api);
    let iam = &api["iamConfiguration"];
    s.set(
        "uniform_bucket_level_access",
        Value::Bool(
            iam["uniformBucketLevelAccess"]["enabled"]
                .as_bool()
                .unwrap_or(false),
        ),
    );
    s.set(
        "public_access_prevention",
        string(&iam["publicAccessPrevention"]),
    );
    let had_block = |k: &str| !known.list_attr(k).is_empty();
    let versioning = api["versioning"]["enabled"].as_bool().unwrap_or(false);
    if had_block("versioning") || versioning {
        s.set(
            "versioning",
            Value::List(vec![Value::from_pairs([(
                "enabled",
                Value::Bool(versioning),
            )])]),
        );
    }
    let rules: Vec<Value> = api["lifecycle"]["rule"]
        .as_array()
        .map(|r| r.iter().map(rule_state).collect())
        .unwrap_or_default();
    s.set("lifecycle_rule", Value::List(rules));
    if let Some(r) = api["retentionPolicy"].as_object() {
        let period = match &r["retentionPeriod"] {
            Json::String(p) => p.clone(),
            other => other.to_string(),
        };
        s.set(
            "retention_policy",
            Value::List(vec![Value::from_pairs([
                ("retention_period", Value::from(period)),
                (
                    "is_locked",
                    Value::Bool(r.get("isLocked").and_then(Json::as_bool).unwrap_or(false)),
                ),
            ])]),
        );
    }
    if let Some(w) = api["website"].as_object().filter(|w| !w.is_empty()) {
        s.set(
            "website",
            Value::List(vec![Value::from_pairs([
                (
                    "main_page_suffix",
                    string(w.get("mainPageSuffix").unwrap_or(&Json::Null)),
                ),
                (
                    "not_found_page",
                    string(w.get("notFoundPage").unwrap_or(&Json::Null)),
                ),
            ])]),
        );
    }
    let cors: Vec<Value> = api["cors"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|c| {
                    Value::from_pairs([
                        ("origin", strings(&c["origin"])),
                        ("method", strings(&c["method"])),
                        ("response_header", strings(&c["responseHeader"])),
                        ("max_age_seconds", num(&c["maxAgeSeconds"])),
                    ])
                })
                .collect()
        })
        .unwrap_or_default();
    s.set("cors", Value::List(cors));
    s
}

fn rule_state(rule: &Json) -> Value {
    let a = &rule["action"];
    let c = &rule["condition"];
    let with_state = match c["isLive"].as_bool() {
        Some(true) => "LIVE",
        Some(false) => "ARCHIVED",
        None => "ANY",
    };
    let action = Value::from_pairs([
        ("type", string(&a["type"])),
        ("storage_class", string(&a["storageClass"])),
    ]);
    let condition = Value::from_pairs([
        ("age", num(&c["age"])),
        ("created_before", string(&c["createdBefore"])),
        ("custom_time_before", string(&c["customTimeBefore"])),
        ("days_since_custom_time", num(&c["daysSinceCustomTime"])),
        (
            "days_since_noncurrent_time",
            num(&c["daysSinceNoncurrentTime"]),
        ),
        ("noncurrent_time_before", string(&c["noncurrentTimeBefore"])),
        ("with_state", Value::from(with_state)),
        ("matches_storage_class", strings(&c["matchesStorageClass"])),
        ("matches_prefix", strings(&c["matchesPrefix"])),
        ("matches_suffix", strings(&c["matchesSuffix"])),
        ("num_newer_versions", num(&c["numNewerVersions"])),
    ]);
    Value::from_pairs([
        ("action", Value::List(vec![action])),
        ("condition", Value::List(vec![condition])),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gcs::bucket_schema::schema;

    fn bucket(labels: &[(&str, &str)], class: &str) -> Value {
        let mut v = schema().empty_value();
        v.set("name", Value::from("b"));
        v.set("location", Value::from("US"));
        v.set("storage_class", Value::from(class));
        v.set(
            "effective_labels",
            Value::string_map(labels.iter().copied()),
        );
        v.set("uniform_bucket_level_access", Value::Bool(true));
        v
    }

    #[test]
    fn nothing_changed_sends_nothing() {
        let a = bucket(&[("managed-by", "labform")], "STANDARD");
        assert_eq!(patch_body(&a, &a), json!({}));
    }

    #[test]
    fn labels_send_changes_and_nulls_for_removed_keys() {
        let a = bucket(
            &[("managed-by", "labform"), ("env", "dev"), ("team", "x")],
            "STANDARD",
        );
        let b = bucket(
            &[("managed-by", "labform"), ("env", "prod"), ("new", "1")],
            "STANDARD",
        );
        assert_eq!(
            patch_body(&a, &b),
            json!({"labels": {"env": "prod", "new": "1", "team": null}})
        );
    }

    #[test]
    fn storage_class_alone() {
        let a = bucket(&[], "STANDARD");
        let b = bucket(&[], "NEARLINE");
        assert_eq!(patch_body(&a, &b), json!({"storageClass": "NEARLINE"}));
    }

    #[test]
    fn lifecycle_is_sent_whole_and_cleared_with_an_empty_list() {
        let a = bucket(&[], "STANDARD");
        let mut b = a.clone();
        let rule = Value::from_pairs([
            (
                "action",
                Value::List(vec![Value::from_pairs([("type", Value::from("Delete"))])]),
            ),
            (
                "condition",
                Value::List(vec![Value::from_pairs([
                    ("age", Value::Number(30.0)),
                    ("with_state", Value::from("ANY")),
                ])]),
            ),
        ]);
        b.set("lifecycle_rule", Value::List(vec![rule]));
        assert_eq!(
            patch_body(&a, &b),
            json!({"lifecycle": {"rule": [{"action": {"type": "Delete"}, "condition": {"age": 30}}]}})
        );
        assert_eq!(patch_body(&b, &a), json!({"lifecycle": {"rule": []}}));
    }

    #[test]
    fn versioning_uniform_access_and_retention() {
        let a = bucket(&[], "STANDARD");
        let mut b = a.clone();
        b.set(
            "versioning",
            Value::List(vec![Value::from_pairs([("enabled", Value::Bool(true))])]),
        );
        b.set("uniform_bucket_level_access", Value::Bool(false));
        b.set(
            "retention_policy",
            Value::List(vec![Value::from_pairs([(
                "retention_period",
                Value::from("3600"),
            )])]),
        );
        assert_eq!(
            patch_body(&a, &b),
            json!({
                "versioning": {"enabled": true},
                "iamConfiguration": {"uniformBucketLevelAccess": {"enabled": false}},
                "retentionPolicy": {"retentionPeriod": "3600"}
            })
        );
        // Removing the retention block clears it with null.
        assert_eq!(
            patch_body(&b, &a),
            json!({"iamConfiguration": {"uniformBucketLevelAccess": {"enabled": true}}, "retentionPolicy": null})
        );
    }

    #[test]
    fn insert_carries_everything_configured() {
        let mut p = bucket(&[("managed-by", "labform")], "STANDARD");
        p.set(
            "versioning",
            Value::List(vec![Value::from_pairs([("enabled", Value::Bool(true))])]),
        );
        let body = insert_body(&p, &p.string_map_attr("effective_labels"));
        assert_eq!(
            body,
            json!({
                "name": "b", "location": "US", "storageClass": "STANDARD",
                "labels": {"managed-by": "labform"},
                "iamConfiguration": {"uniformBucketLevelAccess": {"enabled": true}},
                "versioning": {"enabled": true}
            })
        );
    }
}
