//! The label model of label-bearing resources: `labels` stays what the user wrote,
//! `terraform_labels` and `effective_labels` are the user's labels plus labform's mark, known at
//! plan time.

use std::collections::BTreeMap;

use labform_sdk::{
    default_plan, Attribute, BlockSchema, Marked, OpContext, PlannedChange, Result, StackFilter,
    Type, Value,
};
use serde_json::Value as Json;

use crate::names;

/// A block schema holding the three label attributes: a label-bearing resource adds its own to
/// it, so that the trio is declared alike everywhere.
pub fn base_schema() -> BlockSchema {
    BlockSchema::new()
        .attr("labels", Attribute::optional(Type::map(Type::String)))
        .attrs(
            &["terraform_labels", "effective_labels"],
            Attribute::computed(Type::map(Type::String)),
        )
}

/// The labels every object gets, on top of the user's (the mark wins a key clash so that a
/// sweep can always find the object).
pub fn effective(
    user: &BTreeMap<String, String>,
    mark: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let mut out = user.clone();
    out.extend(mark.iter().map(|(k, v)| (k.clone(), v.clone())));
    out
}

/// The default plan plus known `terraform_labels` / `effective_labels` (provider
/// `default_labels`, then the resource's `labels`, then the mark).
pub fn plan_with_labels(
    schema: &BlockSchema,
    prior: Option<&Value>,
    config: &Value,
    defaults: &BTreeMap<String, String>,
    mark: &BTreeMap<String, String>,
) -> Result<PlannedChange> {
    let labels = config.get("labels");
    if let Some(map) = labels.as_object() {
        let known: BTreeMap<String, String> = map
            .iter()
            .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
            .collect();
        names::check_labels(known.iter())?;
    }
    let mut change = default_plan(schema, prior, config);
    let (managed, all) = if labels.is_wholly_known() {
        let mut user = defaults.clone();
        user.extend(config.string_map_attr("labels"));
        let managed = effective(&user, mark);
        let all = match prior {
            Some(p) => keep_unmanaged(p, &managed),
            None => managed.clone(),
        };
        (Value::string_map(managed), Value::string_map(all))
    } else {
        (Value::Unknown, Value::Unknown)
    };
    let prior_effective = prior.map(|p| p.get("effective_labels").clone());
    change.planned.set("terraform_labels", managed);
    change.planned.set("effective_labels", all.clone());
    // A change of the mark alone (a renamed stack) is still an update.
    if change.requires_replace.is_empty()
        && prior.is_some()
        && prior_effective.as_ref() != Some(&all)
    {
        mark_changing(schema, config, &mut change.planned);
    }
    Ok(change)
}

/// The labels an object will carry: as the Terraform google provider (5.x and later) keeps them,
/// `labels` is not authoritative. Labels set outside labform (the console, another tool) stay;
/// of the labels labform managed (`terraform_labels`), those no longer configured are removed.
fn keep_unmanaged(prior: &Value, managed: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut all = prior.string_map_attr("effective_labels");
    for key in prior.string_map_attr("terraform_labels").keys() {
        if !managed.contains_key(key) {
            all.remove(key);
        }
    }
    all.extend(managed.iter().map(|(k, v)| (k.clone(), v.clone())));
    all
}

/// `terraform_labels` read back: the keys labform managed, values from the API. With nothing
/// known of them (an import), none: labels found on an imported object are not labform's.
pub fn refresh_managed_labels(known: &Value, api: &BTreeMap<String, String>) -> Value {
    match known.as_object() {
        Some(_) => refresh_user_labels(known, api),
        None => Value::Object(Default::default()),
    }
}

/// Computed attributes the API recomputes on update become unknown.
fn mark_changing(schema: &BlockSchema, config: &Value, planned: &mut Value) {
    for (name, attr) in &schema.attributes {
        if attr.is_computed() && !attr.use_state_for_unknown && config.get(name).is_null() {
            planned.set(name.clone(), Value::Unknown);
        }
    }
}

/// On read, `labels` keeps only the keys the user wrote (values from the API).
pub fn refresh_user_labels(prior_labels: &Value, api: &BTreeMap<String, String>) -> Value {
    match prior_labels.as_object() {
        Some(map) => Value::Object(
            map.keys()
                .filter_map(|k| api.get(k).map(|v| (k.clone(), Value::String(v.clone()))))
                .collect(),
        ),
        None => Value::Null,
    }
}

/// Sets the three label attributes of state `s` from the labels of `api` (the object's JSON):
/// `labels` and `terraform_labels` keep to what `known` (state or configuration) has of them,
/// `effective_labels` holds all.
pub fn set_state(s: &mut Value, known: &Value, api: &Json) {
    let api_labels = from_json(&api["labels"]);
    s.set(
        "labels",
        refresh_user_labels(known.get("labels"), &api_labels),
    );
    s.set(
        "terraform_labels",
        refresh_managed_labels(known.get("terraform_labels"), &api_labels),
    );
    s.set("effective_labels", Value::string_map(api_labels));
}

/// The JSON object of labels to send.
pub fn to_json(labels: &BTreeMap<String, String>) -> Json {
    Json::Object(
        labels
            .iter()
            .map(|(k, v)| (k.clone(), v.clone().into()))
            .collect(),
    )
}

/// Labels from an API object's `labels` field, without labform's per-instance mark: it is
/// labform's own bookkeeping and never part of `labels`, `effective_labels` or a plan.
pub fn from_json(json: &Json) -> BTreeMap<String, String> {
    labform_sdk::without_instance_mark(
        json.as_object()
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                    .collect()
            })
            .unwrap_or_default(),
    )
}

/// The objects of a listing whose labels carry what `filter` asks for, each with its state and
/// creation time as `found` gives them.
pub fn marked<'a>(
    listed: impl IntoIterator<Item = &'a Json>,
    filter: &StackFilter,
    found: impl Fn(&Json) -> (Value, Option<String>),
) -> Vec<Marked> {
    listed
        .into_iter()
        .filter_map(|object| {
            let marks = from_json(&object["labels"]);
            filter.matches(&marks).then(|| {
                let (state, created) = found(object);
                Marked::new(state, marks).created(created)
            })
        })
        .collect()
}

/// The create token an object's `labels` (or object `metadata`) field carries, if any.
pub fn instance_token(json: &Json) -> Option<&str> {
    json[labform_sdk::INSTANCE_KEY].as_str()
}

/// The labels a create sends: the planned effective labels plus, when the engine gave the call
/// a create token, the per-instance mark that lets an interrupted run find the object again.
pub fn for_create(planned: &Value, ctx: &OpContext) -> BTreeMap<String, String> {
    let mut labels = planned.string_map_attr("effective_labels");
    if let Some((k, v)) = ctx.instance_mark() {
        labels.insert(k.to_string(), v.to_string());
    }
    labels
}

/// Keeps the per-instance mark `current` carries in an update body that sends the whole label
/// map (BigQuery's PUT, and its PATCH on servers that replace the map): an update has no reason
/// to remove it.
pub fn keep_instance_mark(body: &mut Json, current: &Json) {
    let Some(token) = instance_token(&current["labels"]) else {
        return;
    };
    if let Some(labels) = body.get_mut("labels").and_then(Json::as_object_mut) {
        labels.insert(labform_sdk::INSTANCE_KEY.to_string(), Json::from(token));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> BlockSchema {
        base_schema().attr("name", Attribute::required(Type::String))
    }

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_then_labels_then_the_mark() {
        let config = Value::from_pairs([
            ("name", Value::from("b")),
            (
                "labels",
                Value::string_map([("env", "dev"), ("managed-by", "me")]),
            ),
        ]);
        let defaults = map(&[("env", "default"), ("team", "de")]);
        let mark = map(&[("managed-by", "labform"), ("labform-stack", "s")]);
        let p = plan_with_labels(&schema(), None, &config, &defaults, &mark).unwrap();
        assert_eq!(
            p.planned.get("effective_labels"),
            &Value::string_map([
                ("env", "dev"),
                ("labform-stack", "s"),
                ("managed-by", "labform"),
                ("team", "de")
            ])
        );
        assert_eq!(
            p.planned.get("labels"),
            config.get("labels"),
            "labels stay what the user wrote"
        );
    }

    #[test]
    fn labels_set_outside_stay_and_labels_no_longer_configured_go() {
        let prior = Value::from_pairs([
            ("name", Value::from("b")),
            ("labels", Value::string_map([("env", "dev"), ("old", "1")])),
            (
                "terraform_labels",
                Value::string_map([("env", "dev"), ("old", "1"), ("managed-by", "labform")]),
            ),
            (
                "effective_labels",
                Value::string_map([
                    ("env", "dev"),
                    ("old", "1"),
                    ("managed-by", "labform"),
                    ("team", "x"),
                ]),
            ),
        ]);
        let config = Value::from_pairs([
            ("name", Value::from("b")),
            ("labels", Value::string_map([("env", "prod")])),
        ]);
        let mark = map(&[("managed-by", "labform")]);
        let p =
            plan_with_labels(&schema(), Some(&prior), &config, &BTreeMap::new(), &mark).unwrap();
        assert_eq!(
            p.planned.get("effective_labels"),
            &Value::string_map([("env", "prod"), ("managed-by", "labform"), ("team", "x")])
        );
        assert_eq!(
            p.planned.get("terraform_labels"),
            &Value::string_map([("env", "prod"), ("managed-by", "labform")])
        );
        // Imported: nothing was labform's, so nothing found on the object is removed.
        let api = map(&[("team", "x")]);
        assert_eq!(
            refresh_managed_labels(&Value::Null, &api),
            Value::Object(Default::default())
        );
    }

    #[test]
    fn unknown_labels_make_effective_labels_unknown_and_bad_keys_fail() {
        let config = Value::from_pairs([("name", Value::from("b")), ("labels", Value::Unknown)]);
        let p =
            plan_with_labels(&schema(), None, &config, &BTreeMap::new(), &BTreeMap::new()).unwrap();
        assert!(p.planned.get("effective_labels").is_unknown());
        let bad = Value::from_pairs([
            ("name", Value::from("b")),
            ("labels", Value::string_map([("Env", "x")])),
        ]);
        assert!(
            plan_with_labels(&schema(), None, &bad, &BTreeMap::new(), &BTreeMap::new()).is_err()
        );
    }

    #[test]
    fn a_new_mark_alone_is_an_update() {
        let config = Value::from_pairs([("name", Value::from("b")), ("labels", Value::Null)]);
        let old = map(&[("labform-stack", "old")]);
        let prior = plan_with_labels(&schema(), None, &config, &BTreeMap::new(), &old)
            .unwrap()
            .planned;
        let p = plan_with_labels(
            &schema(),
            Some(&prior),
            &config,
            &BTreeMap::new(),
            &map(&[("labform-stack", "new")]),
        )
        .unwrap();
        assert_ne!(p.planned, prior);
        assert!(p.requires_replace.is_empty());
    }

    #[test]
    fn the_instance_mark_is_sent_on_create_kept_on_update_and_never_read_back() {
        let mut planned = schema().empty_value();
        planned.set("effective_labels", Value::string_map([("env", "dev")]));
        let ctx = OpContext::silent().with_create_token("tok-1");
        let sent = for_create(&planned, &ctx);
        assert_eq!(
            sent.get("labform-instance").map(String::as_str),
            Some("tok-1")
        );
        assert_eq!(for_create(&planned, &OpContext::silent()).len(), 1);

        let api = serde_json::json!({"env": "dev", "labform-instance": "tok-1"});
        assert_eq!(from_json(&api), map(&[("env", "dev")]));
        assert_eq!(instance_token(&api), Some("tok-1"));

        let mut body = serde_json::json!({"labels": {"env": "prod"}});
        keep_instance_mark(&mut body, &serde_json::json!({"labels": api}));
        assert_eq!(
            body,
            serde_json::json!({"labels": {"env": "prod", "labform-instance": "tok-1"}})
        );
        let mut no_labels = serde_json::json!({"description": "x"});
        keep_instance_mark(&mut no_labels, &serde_json::json!({"labels": api}));
        assert_eq!(no_labels, serde_json::json!({"description": "x"}));
    }
}
