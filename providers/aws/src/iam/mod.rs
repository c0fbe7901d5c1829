//! IAM: roles and their policies. IAM is global: these types have no `region`.

use std::collections::BTreeMap;

use aws_sdk_iam::types::Tag;
use labform_sdk::{ProviderError, Value};

pub mod go_json;
pub mod policy_doc;
pub mod role;

/// IAM tags for a create or tag call.
pub fn iam_tags(tags: &BTreeMap<String, String>) -> Result<Vec<Tag>, ProviderError> {
    tags.iter()
        .map(|(k, v)| {
            Tag::builder()
                .key(k)
                .value(v)
                .build()
                .map_err(|e| ProviderError::api(format!("building an iam tag: {e}")))
        })
        .collect()
}

/// Tags of an IAM object as a map.
pub fn tag_map(tags: &[Tag]) -> BTreeMap<String, String> {
    tags.iter()
        .map(|t| (t.key().to_string(), t.value().to_string()))
        .collect()
}

/// A policy document as IAM returns it (URL-encoded JSON) made readable.
pub fn decoded(document: &str) -> String {
    percent_encoding::percent_decode_str(document)
        .decode_utf8_lossy()
        .into_owned()
}

/// The policy document to record: the configured text when it means the same JSON as what IAM
/// holds (IAM reformats documents; Terraform then keeps yours, so plans stay clean), else what
/// IAM holds.
pub fn policy_value(remote: &str, configured: &Value) -> Value {
    let remote = decoded(remote);
    if let Some(mine) = configured.as_str() {
        if same_json(mine, &remote) {
            return mine.into();
        }
    }
    remote.into()
}

fn same_json(a: &str, b: &str) -> bool {
    match (
        serde_json::from_str::<serde_json::Value>(a),
        serde_json::from_str::<serde_json::Value>(b),
    ) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// Checks that a policy argument holds a JSON object, as the API would.
pub fn check_policy(name: &str, config: &Value) -> Result<(), ProviderError> {
    let Some(text) = config.str_attr(name) else {
        return Ok(());
    };
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(_)) => Ok(()),
        _ => Err(
            ProviderError::invalid(format!("`{name}` is not a JSON policy document")).with_hint(
                "build it with `jsonencode({...})` or `data \"aws_iam_policy_document\"`",
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_that_mean_the_same_keep_the_configured_text() {
        let mine = r#"{"Version":"2012-10-17","Statement":[]}"#;
        let remote = "%7B%22Statement%22%3A%20%5B%5D%2C%20%22Version%22%3A%20%222012-10-17%22%7D";
        assert_eq!(policy_value(remote, &mine.into()), Value::from(mine));
        let other = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}"#;
        assert_eq!(policy_value(other, &mine.into()), Value::from(other));
        assert!(check_policy("p", &Value::from_pairs([("p", Value::from("[]"))])).is_err());
    }
}
