//! When two IAM policy texts mean the same policy, and the text the Terraform provider records
//! for one. hashicorp/aws keeps a recorded policy when IAM's copy is equivalent
//! (awspolicyequivalence: a one-element list is its element, lists of names are unordered, one
//! statement is a list of one) and records it normalised (`structure.NormalizeJsonString`:
//! compact, keys sorted; `verify.LegacyPolicyNormalize` then puts `"Version":"2012-10-17"`
//! first). labform does the same, so a state either tool wrote plans no change.

use serde_json::Value as Serde;

use crate::iam::go_json::Json;

/// Whether `a` and `b` are the same policy: equal once both are canonical (see the module
/// doc); texts that are not JSON are equivalent only when equal.
pub fn equivalent(a: &str, b: &str) -> bool {
    match (
        serde_json::from_str::<Serde>(a),
        serde_json::from_str::<Serde>(b),
    ) {
        (Ok(x), Ok(y)) => canonical(&x, None) == canonical(&y, None),
        _ => a == b,
    }
}

/// A policy as Go's `json.Marshal` writes it after parsing: compact, keys sorted (the provider's
/// `NormalizeJsonString`). A text that is not JSON is returned as it is.
pub fn normalized(text: &str) -> String {
    match serde_json::from_str::<Serde>(text) {
        Ok(v) => Json::from_serde(&v).minified(),
        Err(_) => text.to_string(),
    }
}

/// [`normalized`] with a top-level `"Version":"2012-10-17"` moved first, as the provider's
/// `LegacyPolicyNormalize` stores inline role policies.
pub fn legacy_normalized(text: &str) -> String {
    let Ok(Serde::Object(mut map)) = serde_json::from_str::<Serde>(text) else {
        return normalized(text);
    };
    if map.get("Version").and_then(Serde::as_str) != Some("2012-10-17") {
        return normalized(text);
    }
    map.remove("Version");
    let rest = Json::from_serde(&Serde::Object(map)).minified();
    let inner = rest.trim_start_matches('{').trim_end_matches('}');
    if inner.is_empty() {
        r#"{"Version":"2012-10-17"}"#.to_string()
    } else {
        format!(r#"{{"Version":"2012-10-17",{inner}}}"#)
    }
}

/// The value with what equivalence ignores taken out: lists of strings sorted and
/// deduplicated, a one-element list replaced by its element, a lone statement object put in a
/// list, a `"*"` principal written as `{"AWS": "*"}`.
fn canonical(v: &Serde, key: Option<&str>) -> Serde {
    match v {
        Serde::Object(_) if key == Some("Statement") => {
            Serde::Array(vec![canonical(v, Some("Statement[]"))])
        }
        Serde::String(s) if key == Some("Principal") && s == "*" => {
            serde_json::json!({"AWS": "*"})
        }
        Serde::Object(map) => Serde::Object(
            map.iter()
                .map(|(k, item)| (k.clone(), canonical(item, Some(k))))
                .collect(),
        ),
        Serde::Array(items) if key == Some("Statement") => Serde::Array(
            items
                .iter()
                .map(|s| canonical(s, Some("Statement[]")))
                .collect(),
        ),
        Serde::Array(items) if items.iter().all(Serde::is_string) => {
            let mut names: Vec<&str> = items.iter().filter_map(Serde::as_str).collect();
            names.sort_unstable();
            names.dedup();
            match names.as_slice() {
                [one] => Serde::from(*one),
                _ => Serde::Array(names.into_iter().map(Serde::from).collect()),
            }
        }
        Serde::Array(items) => Serde::Array(items.iter().map(|i| canonical(i, key)).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reformatted_and_reordered_policies_are_equivalent() {
        let mine = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"s3:PutObject\", \"s3:GetObject\"], \"Resource\": \"*\"}]\n}";
        let recorded = r#"{"Statement":{"Action":["s3:GetObject","s3:PutObject"],"Effect":"Allow","Resource":["*"]},"Version":"2012-10-17"}"#;
        assert!(equivalent(mine, recorded));
        assert!(equivalent(
            r#"{"Statement":[{"Principal":"*"}]}"#,
            r#"{"Statement":[{"Principal":{"AWS":["*"]}}]}"#
        ));
        let other = r#"{"Statement":[{"Action":"s3:GetObject","Effect":"Deny","Resource":"*"}],"Version":"2012-10-17"}"#;
        assert!(!equivalent(mine, other));
        assert!(!equivalent("not json", "not  json"));
    }

    #[test]
    fn texts_are_normalised_as_the_provider_stores_them() {
        let mine = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"logs:*\", \"Resource\": \"*\"}]\n}";
        assert_eq!(
            normalized(mine),
            r#"{"Statement":[{"Action":"logs:*","Effect":"Allow","Resource":"*"}],"Version":"2012-10-17"}"#
        );
        assert_eq!(
            legacy_normalized(mine),
            r#"{"Version":"2012-10-17","Statement":[{"Action":"logs:*","Effect":"Allow","Resource":"*"}]}"#
        );
        assert_eq!(
            legacy_normalized(r#"{"Version":"2008-10-17","Statement":[]}"#),
            r#"{"Statement":[],"Version":"2008-10-17"}"#
        );
    }
}
