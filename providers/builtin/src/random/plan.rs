//! Plan rules shared by the random_* types: `keepers` replace only on a real change, and the
//! generic "default plan plus extra replace reasons" step.

use labform_sdk::{default_plan, AttrPath, BlockSchema, PlannedChange, Value};

/// The random provider's keepers modifier: replace when a prior key is removed or its value
/// changes, or a key is added with a non-null value. Adding only null-valued keys (so also
/// null -> `{}`) updates in place. An unknown value replaces (it may differ after apply).
pub fn keepers_require_replace(prior: &Value, planned: &Value) -> bool {
    if prior == planned {
        return false;
    }
    let empty = Default::default();
    let before = match prior {
        Value::Object(map) => map,
        _ => &empty,
    };
    let after = match planned {
        Value::Object(map) => map,
        Value::Null => &empty,
        _ => return true,
    };
    let changed_or_removed = before.iter().any(|(k, v)| after.get(k) != Some(v));
    let added_non_null = after
        .iter()
        .any(|(k, v)| !before.contains_key(k) && !v.is_null());
    changed_or_removed || added_non_null
}

/// The default plan, then `extra` replace reasons (computed from prior and planned values);
/// when any exist the planned value becomes that of a fresh create.
pub fn plan_with_extra(
    schema: &BlockSchema,
    prior: Option<&Value>,
    config: &Value,
    extra: impl Fn(&Value, &Value) -> Vec<AttrPath>,
) -> PlannedChange {
    let mut change = default_plan(schema, prior, config);
    if let Some(prior) = prior {
        let reasons = extra(prior, &change.planned);
        if !reasons.is_empty() {
            if change.requires_replace.is_empty() {
                change.planned = default_plan(schema, None, config).planned;
            }
            change.requires_replace.extend(reasons);
        }
    }
    change
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, Value)]) -> Value {
        Value::from_pairs(pairs.iter().map(|(k, v)| (*k, v.clone())))
    }

    #[test]
    fn null_ish_keeper_changes_do_not_replace() {
        assert!(!keepers_require_replace(&Value::Null, &Value::object()));
        assert!(!keepers_require_replace(
            &Value::Null,
            &map(&[("a", Value::Null)])
        ));
        assert!(!keepers_require_replace(&Value::object(), &Value::Null));
        let a = map(&[("a", "1".into())]);
        assert!(!keepers_require_replace(
            &a,
            &map(&[("a", "1".into()), ("b", Value::Null)])
        ));
    }

    #[test]
    fn real_keeper_changes_replace() {
        let a = map(&[("a", "1".into())]);
        assert!(keepers_require_replace(&a, &map(&[("a", "2".into())])));
        assert!(keepers_require_replace(&a, &Value::Null));
        assert!(keepers_require_replace(
            &a,
            &map(&[("a", "1".into()), ("b", "x".into())])
        ));
        assert!(keepers_require_replace(
            &Value::Null,
            &map(&[("b", "x".into())])
        ));
        assert!(keepers_require_replace(&a, &map(&[("a", Value::Unknown)])));
        assert!(keepers_require_replace(&a, &Value::Unknown));
    }
}
