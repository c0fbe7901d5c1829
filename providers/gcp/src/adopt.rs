//! Adopting the object of an interrupted create: every type here has a unique name, so the
//! object is looked up by it, and taken only when it carries the create token that very create
//! wrote on it (a label, or object metadata).

use labform_sdk::{ProviderError, Result};
use serde_json::Value as Json;

/// Where an API object keeps the create token.
pub type TokenOf = fn(&Json) -> Option<&str>;

/// The token among an object's `labels` (buckets, datasets, tables).
pub fn in_labels(api: &Json) -> Option<&str> {
    crate::labels::instance_token(&api["labels"])
}

/// The token among an object's custom `metadata` (bucket objects have no labels).
pub fn in_metadata(api: &Json) -> Option<&str> {
    crate::labels::instance_token(&api["metadata"])
}

/// Judges what a lookup by name found for an interrupted create that carried `token`:
/// nothing (`None`: the create never happened), the object that create made, or an object of
/// that name someone else made, which is never adopted. `what` names the object and `remove`
/// is the command that deletes it.
pub fn judge(
    found: Option<Json>,
    token: &str,
    token_of: TokenOf,
    what: &str,
    remove: &str,
) -> Result<Option<Json>> {
    match found {
        None => Ok(None),
        Some(api) if token_of(&api) == Some(token) => Ok(Some(api)),
        Some(_) => Err(ProviderError::conflict(format!(
            "{what} exists, but labform did not make it: it lacks the mark the interrupted create wrote"
        ))
        .with_hint(format!(
            "if it is a leftover nobody needs, delete it (`{remove}`) and apply again; if it is someone else's, drop the interrupted create with `labform state rm <address>` and choose another name"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_the_object_carrying_the_token_is_adopted() {
        let ours = json!({"name": "b", "labels": {"labform-instance": "t1"}});
        let found = judge(Some(ours.clone()), "t1", in_labels, "bucket `b`", "rm b").unwrap();
        assert_eq!(found, Some(ours));
        assert_eq!(
            judge(None, "t1", in_labels, "bucket `b`", "rm b").unwrap(),
            None
        );

        for other in [
            json!({"name": "b", "labels": {"labform-instance": "t0"}}),
            json!({"name": "b", "labels": {"env": "dev"}}),
            json!({"name": "b"}),
        ] {
            let e = judge(Some(other), "t1", in_labels, "bucket `b`", "rm b").unwrap_err();
            assert!(
                e.message
                    .contains("bucket `b` exists, but labform did not make it"),
                "{}",
                e.message
            );
            assert!(e.hint.unwrap_or_default().contains("`rm b`"));
        }
        let object = json!({"name": "o", "metadata": {"labform-instance": "t1"}});
        assert!(judge(Some(object), "t1", in_metadata, "o", "rm o")
            .unwrap()
            .is_some());
    }
}
