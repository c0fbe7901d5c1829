//! Labels: kreuzwerker's set of `{ label, value }` blocks, the engine's map, and labform's mark.

use std::collections::{BTreeMap, HashMap};

use labform_sdk::types::normalize_set;
use labform_sdk::Value;

/// The `{label, value}` blocks of `key` as a map.
pub fn from_blocks(value: &Value, key: &str) -> BTreeMap<String, String> {
    value
        .list_attr(key)
        .iter()
        .filter_map(|b| {
            Some((
                b.str_attr("label")?.to_string(),
                b.str_attr("value")?.to_string(),
            ))
        })
        .collect()
}

/// A map as a sorted set of `{label, value}` blocks.
pub fn to_blocks<'a>(labels: impl IntoIterator<Item = (&'a String, &'a String)>) -> Value {
    let items = labels
        .into_iter()
        .map(|(k, v)| {
            Value::from_pairs([
                ("label", Value::from(k.as_str())),
                ("value", Value::from(v.as_str())),
            ])
        })
        .collect();
    Value::List(normalize_set(items))
}

/// The user's labels with the mark on top (the mark wins: sweeps rely on it).
pub fn with_mark(
    user: BTreeMap<String, String>,
    mark: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let mut all = user;
    all.extend(mark.iter().map(|(k, v)| (k.clone(), v.clone())));
    all
}

/// Adds the mark to the `{label, value}` blocks of `key` in a planned value (when known).
pub fn plan_marked_blocks(planned: &mut Value, key: &str, mark: &BTreeMap<String, String>) {
    if !planned.get(key).is_wholly_known() {
        return;
    }
    let all = with_mark(from_blocks(planned, key), mark);
    planned.set(key, to_blocks(&all));
}

pub fn to_hash(labels: &BTreeMap<String, String>) -> HashMap<String, String> {
    labels.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// Whether an object's labels carry the mark of `stack`.
pub fn is_marked_for(labels: Option<&HashMap<String, String>>, stack: &str) -> bool {
    owner(labels).as_deref() == Some(stack)
}

/// The labform stack that owns an object, from its labels.
pub fn owner(labels: Option<&HashMap<String, String>>) -> Option<String> {
    let labels = labels?;
    if labels.get(labform_sdk::MANAGED_BY_KEY).map(String::as_str)
        != Some(labform_sdk::MANAGED_BY_VALUE)
    {
        return None;
    }
    labels.get(labform_sdk::STACK_KEY).cloned()
}

/// Who owns an object, in words, for conflict messages.
pub fn describe_owner(labels: Option<&HashMap<String, String>>, stack: &str) -> String {
    match owner(labels) {
        Some(s) if s == stack => {
            format!("this stack (`{stack}`), but labform's state does not record it")
        }
        Some(s) => format!("the labform stack `{s}`"),
        None => "nothing labform knows (it was not created by labform)".to_string(),
    }
}

/// A string map as an object value.
pub fn map_value<'a>(map: impl IntoIterator<Item = (&'a String, &'a String)>) -> Value {
    Value::Object(
        map.into_iter()
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mark_is_merged_and_wins() {
        let mut planned = Value::from_pairs([(
            "labels",
            Value::List(vec![Value::from_pairs([
                ("label", "managed-by".into()),
                ("value", "me".into()),
            ])]),
        )]);
        let mark = labform_sdk::mark_labels("s");
        plan_marked_blocks(&mut planned, "labels", &mark);
        let got = from_blocks(&planned, "labels");
        assert_eq!(got, mark);
    }

    #[test]
    fn owner_reads_the_mark() {
        let labels = to_hash(&labform_sdk::mark_labels("a"));
        assert_eq!(owner(Some(&labels)), Some("a".to_string()));
        assert!(is_marked_for(Some(&labels), "a"));
        assert!(!is_marked_for(Some(&labels), "b"));
        assert!(describe_owner(None, "a").contains("not created by labform"));
    }
}
