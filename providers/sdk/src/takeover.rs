//! Objects labform did not make (taken over from a Terraform state) carry none of its marks.
//! Planning them would add the marks (`tags_all`, `effective_labels`, Docker `labels`) and
//! show a change on every object of a directory Terraform handed over; instead an object whose
//! only difference is the marks it never had is left as it is. It is then not marked: `sweep`
//! never touches it (the state records it), and the next real update of it adds the marks.

use crate::mark::{EXPIRES_KEY, MANAGED_BY_KEY, STACK_ID_KEY, STACK_KEY};
use crate::value::Value;

const MARK_KEYS: [&str; 4] = [MANAGED_BY_KEY, STACK_KEY, STACK_ID_KEY, EXPIRES_KEY];

/// Whether `planned` is `prior` plus labform's marks, added where `prior` carries none of them:
/// as map entries (`tags_all = {"managed-by" = "labform", ...}`) or as elements of a list of
/// label objects (`labels { label = "managed-by" value = "labform" }`). Attributes planned
/// unknown (recomputed by an update: `etag`, `updated`) would be unknown only because of them.
pub fn differs_only_by_marks(prior: &Value, planned: &Value) -> bool {
    let mut marks_added = false;
    same_but_marks(prior, planned, &mut marks_added) && marks_added
}

fn same_but_marks(prior: &Value, planned: &Value, marks_added: &mut bool) -> bool {
    match (prior, planned) {
        (_, Value::Unknown) => true,
        (Value::Object(before), Value::Object(after)) => {
            let unmarked = !before.keys().any(|k| is_mark(k));
            let all_kept = after.iter().all(|(k, v)| match before.get(k) {
                Some(b) => same_but_marks(b, v, marks_added),
                None if unmarked && is_mark(k) => {
                    *marks_added = true;
                    true
                }
                None => v.is_null(),
            });
            all_kept
                && before
                    .iter()
                    .all(|(k, b)| after.contains_key(k) || b.is_null())
        }
        (Value::List(before), Value::List(after)) => {
            let unmarked = !before.iter().any(names_a_mark);
            let kept: Vec<&Value> = after
                .iter()
                .filter(|v| !(unmarked && names_a_mark(v)))
                .collect();
            if kept.len() < after.len() {
                *marks_added = true;
            }
            kept.len() == before.len()
                && kept
                    .iter()
                    .zip(before)
                    .all(|(a, b)| same_but_marks(b, a, marks_added))
        }
        _ => prior == planned,
    }
}

fn is_mark(key: &str) -> bool {
    MARK_KEYS.contains(&key)
}

/// A label object (`{label = "managed-by", value = ...}`) of one of labform's marks.
fn names_a_mark(v: &Value) -> bool {
    match v {
        Value::Object(map) => map
            .values()
            .any(|x| matches!(x, Value::String(s) if is_mark(s))),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(pairs: &[(&str, Value)]) -> Value {
        Value::from_pairs(pairs.iter().cloned())
    }
    fn tags(pairs: &[(&str, &str)]) -> Value {
        Value::string_map(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }
    fn label(k: &str, v: &str) -> Value {
        obj(&[("label", k.into()), ("value", v.into())])
    }

    #[test]
    fn marks_added_to_an_unmarked_object_are_no_difference() {
        let prior = obj(&[("tags_all", tags(&[("course", "de")]))]);
        let planned = obj(&[(
            "tags_all",
            tags(&[
                ("course", "de"),
                ("managed-by", "labform"),
                ("labform-stack", "x"),
            ]),
        )]);
        assert!(differs_only_by_marks(&prior, &planned));
        // An attribute an update recomputes is unknown only because of the marks.
        let with_etag = |tags: Value, etag: Value| obj(&[("tags_all", tags), ("etag", etag)]);
        assert!(differs_only_by_marks(
            &with_etag(prior.get("tags_all").clone(), "a".into()),
            &with_etag(planned.get("tags_all").clone(), Value::Unknown),
        ));
        let labels = |items: Vec<Value>| obj(&[("labels", Value::List(items))]);
        assert!(differs_only_by_marks(
            &labels(vec![label("app", "db")]),
            &labels(vec![label("app", "db"), label("managed-by", "labform")]),
        ));
    }

    #[test]
    fn any_other_difference_or_a_marked_object_is_a_difference() {
        let prior = obj(&[("tags_all", tags(&[("course", "de")]))]);
        let other = obj(&[(
            "tags_all",
            tags(&[("course", "ml"), ("managed-by", "labform")]),
        )]);
        assert!(!differs_only_by_marks(&prior, &other));
        // A marked object whose marks change (a new expiry) is planned as a change.
        let marked = obj(&[("tags_all", tags(&[("managed-by", "labform")]))]);
        let expiring = obj(&[(
            "tags_all",
            tags(&[
                ("managed-by", "labform"),
                ("labform-expires", "20261204t183000z"),
            ]),
        )]);
        assert!(!differs_only_by_marks(&marked, &expiring));
        assert!(!differs_only_by_marks(&prior, &prior));
        // Unknown alone (no mark added) is a change the provider planned.
        let etag = obj(&[("etag", "a".into())]);
        assert!(!differs_only_by_marks(
            &etag,
            &obj(&[("etag", Value::Unknown)])
        ));
    }
}
