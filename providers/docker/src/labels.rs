//! Labels: kreuzwerker's set of `{ label, value }` blocks, the engine's map, labform's mark and
//! the per-instance mark a create call writes (never read back into state).

use std::collections::{BTreeMap, HashMap};

use labform_sdk::types::normalize_set;
use labform_sdk::{OpContext, Value, EXPIRES_KEY, INSTANCE_KEY};

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

/// The labels a create call writes: the user's, the stack's mark, and this create's per-instance
/// mark (when the engine gave a token), so an interrupted run finds the object by it.
pub fn for_create(
    planned: &Value,
    key: &str,
    mark: &BTreeMap<String, String>,
    ctx: &OpContext,
) -> HashMap<String, String> {
    let mut all = with_mark(from_blocks(planned, key), mark);
    if let Some((k, v)) = ctx.instance_mark() {
        all.insert(k.to_string(), v.to_string());
    }
    to_hash(&all)
}

/// Labels read back from the engine as sorted `{label, value}` blocks, without the per-instance
/// mark: it is labform's bookkeeping and must never show in a plan.
pub fn read_back<'a>(labels: impl IntoIterator<Item = (&'a String, &'a String)>) -> Value {
    let map: BTreeMap<String, String> = labels
        .into_iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let map = labform_sdk::without_instance_mark(map);
    to_blocks(&map)
}

/// Whether an object's labels carry the per-instance mark `token`.
pub fn has_token(labels: Option<&HashMap<String, String>>, token: &str) -> bool {
    labels
        .and_then(|l| l.get(INSTANCE_KEY))
        .is_some_and(|t| t == token)
}

/// Whether an object's labels carry any per-instance mark (made by a create that had a token).
pub fn has_any_token(labels: Option<&HashMap<String, String>>) -> bool {
    labels.is_some_and(|l| l.contains_key(INSTANCE_KEY))
}

/// `filters` for list calls that select the object a create with `token` made.
pub fn token_filter(token: &str) -> HashMap<String, Vec<String>> {
    HashMap::from([("label".to_string(), vec![format!("{INSTANCE_KEY}={token}")])])
}

/// Adds the mark to the `{label, value}` blocks of `key` in a planned value (when known), for a
/// new object or one that already carries it. An object made outside labform and imported
/// (`prior` without the mark) is not marked: labels force replacement, and adopting it must not
/// replace it. The expiry is not compared: an existing object keeps its own.
pub fn plan_marked_blocks(
    planned: &mut Value,
    key: &str,
    mark: &BTreeMap<String, String>,
    prior: Option<&Value>,
) {
    if !planned.get(key).is_wholly_known() {
        return;
    }
    let mut mark = mark.clone();
    if let Some(prior) = prior {
        let recorded = from_blocks(prior, key);
        let differs = |(k, v): (&String, &String)| k != EXPIRES_KEY && recorded.get(k) != Some(v);
        if mark.iter().any(differs) {
            return;
        }
        // Labels force replacement: an existing object keeps the expiry it was made with rather
        // than be replaced for a new `-ttl` (state records the stack's current expiry).
        mark.remove(EXPIRES_KEY);
        if let Some(e) = recorded.get(EXPIRES_KEY) {
            mark.insert(EXPIRES_KEY.to_string(), e.clone());
        }
    }
    let all = with_mark(from_blocks(planned, key), &mark);
    planned.set(key, to_blocks(&all));
}

pub fn to_hash(labels: &BTreeMap<String, String>) -> HashMap<String, String> {
    labels.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// An object's labels (absent: none) as a sorted map.
pub fn labels_of(labels: Option<&HashMap<String, String>>) -> BTreeMap<String, String> {
    labels
        .map(|l| l.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
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
        plan_marked_blocks(&mut planned, "labels", &mark, None);
        let got = from_blocks(&planned, "labels");
        assert_eq!(got, mark);
    }

    #[test]
    fn an_imported_object_without_the_mark_is_not_planned_with_it() {
        let mark = labform_sdk::mark_labels("s");
        let config = Value::from_pairs([("labels", Value::List(Vec::new()))]);
        let mut planned = config.clone();
        plan_marked_blocks(&mut planned, "labels", &mark, Some(&config));
        assert!(from_blocks(&planned, "labels").is_empty());
        // A marked object keeps its mark.
        let mut marked = config.clone();
        plan_marked_blocks(&mut marked, "labels", &mark, None);
        let mut planned = config;
        plan_marked_blocks(&mut planned, "labels", &mark, Some(&marked));
        assert_eq!(from_blocks(&planned, "labels"), mark);
    }

    #[test]
    fn owner_reads_the_mark() {
        let labels = to_hash(&labform_sdk::mark_labels("a"));
        assert_eq!(owner(Some(&labels)), Some("a".to_string()));
        assert!(is_marked_for(Some(&labels), "a"));
        assert!(!is_marked_for(Some(&labels), "b"));
        assert!(describe_owner(None, "a").contains("not created by labform"));
    }

    #[test]
    fn the_instance_mark_is_written_on_create_and_never_read_back() {
        let planned = Value::from_pairs([("labels", Value::List(Vec::new()))]);
        let ctx = OpContext::silent().with_create_token("t-1");
        let written = for_create(&planned, "labels", &labform_sdk::mark_labels("s"), &ctx);
        assert_eq!(written.get(INSTANCE_KEY).map(String::as_str), Some("t-1"));
        assert!(has_token(Some(&written), "t-1"));
        assert!(!has_token(Some(&written), "t-2"));
        assert!(has_any_token(Some(&written)));
        let back = read_back(written.iter());
        assert_eq!(
            from_blocks(&Value::from_pairs([("labels", back)]), "labels"),
            labform_sdk::mark_labels("s")
        );
        let silent = for_create(
            &planned,
            "labels",
            &labform_sdk::mark_labels("s"),
            &OpContext::silent(),
        );
        assert!(!has_any_token(Some(&silent)));
    }
}
