//! IAM: roles, policies, their attachments and instance profiles, and what these share (names
//! from `name`/`name_prefix`, tags, policy documents). IAM is global: these types have no `region`.

use std::collections::BTreeMap;
use std::future::Future;

use aws_sdk_iam::types::Tag;
use labform_sdk::{BlockSchema, PlannedChange, ProviderError, Result, Value};

use crate::client::Aws;
use crate::schema_util as su;
use crate::{errors, tags};
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

pub mod equivalence;
pub mod go_json;
pub mod instance_profile;
pub mod policy;
pub mod policy_doc;
pub mod role;
pub mod role_policy;
pub mod role_policy_attachment;

/// The name a create uses: `name`, else `name_prefix` (default `terraform-`) plus a suffix
/// derived from the create token, so an interrupted create finds its object again by name.
pub fn name_for(v: &Value, token: Option<&str>) -> String {
    crate::names::name_or_prefixed(v, "name", "name_prefix", token)
}

/// Whether the name comes from configuration (not generated from a prefix).
pub fn named(v: &Value) -> bool {
    v.str_attr("name").is_some_and(|n| !n.is_empty())
}

/// `name_prefix` as recorded: what configuration gave, else empty.
pub fn recorded_prefix(current: &Value) -> Value {
    match current.get("name_prefix") {
        Value::String(p) => Value::from(p.as_str()),
        _ => "".into(),
    }
}

/// An IAM timestamp as Terraform records it: RFC 3339 in whole seconds (the provider formats
/// with Go's `time.RFC3339`, which writes no fraction).
pub fn date(t: Option<&aws_smithy_types::DateTime>) -> Value {
    t.map(|t| aws_smithy_types::DateTime::from_secs(t.secs()))
        .and_then(|t| t.fmt(aws_smithy_types::date_time::Format::DateTime).ok())
        .unwrap_or_default()
        .into()
}

/// Brings an object's tags from `prior`'s `tags_all` to what `planned` asks for: `untag` gets
/// the keys to remove, `tag` the tags to set (each called only when there is something to do).
pub async fn retag<UF, TF, U, T, E1, E2, R1, R2>(
    aws: &Aws,
    what: &str,
    prior: &Value,
    planned: &Value,
    untag: impl FnOnce(Vec<String>) -> UF,
    tag: impl FnOnce(Vec<Tag>) -> TF,
) -> Result<()>
where
    UF: Future<Output = Result<U, SdkError<E1, R1>>>,
    TF: Future<Output = Result<T, SdkError<E2, R2>>>,
    E1: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    E2: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R1: errors::HasStatus + std::fmt::Debug,
    R2: errors::HasStatus + std::fmt::Debug,
{
    let (set, removed) = tags::changes(aws, prior, planned);
    if !removed.is_empty() {
        untag(removed)
            .await
            .map_err(|e| errors::sdk(&format!("untagging {what}"), e))?;
    }
    if !set.is_empty() {
        tag(iam_tags(&set)?)
            .await
            .map_err(|e| errors::sdk(&format!("tagging {what}"), e))?;
    }
    Ok(())
}

/// The values (read with `tags_all`) that `filter` selects, with their `create_date` as age.
pub fn marked(values: Vec<Value>, filter: &labform_sdk::StackFilter) -> Vec<labform_sdk::Marked> {
    tags::marked(values, filter)
        .into_iter()
        .map(|m| {
            let at = m.value.str_attr("create_date").map(str::to_string);
            m.created(at)
        })
        .collect()
}

/// IAM tags for a create or tag call.
pub fn iam_tags(tags: &BTreeMap<String, String>) -> Result<Vec<Tag>> {
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

/// The policy document to record, as hashicorp/aws's `verify.PolicyToSet` does: the recorded
/// text when it is the same policy as what IAM holds (IAM reformats documents; Terraform then
/// keeps yours, so plans stay clean), else IAM's document normalised.
pub fn policy_value(remote: &str, recorded: &Value) -> Value {
    let remote = decoded(remote);
    match recorded.as_str() {
        Some(mine) if equivalence::equivalent(mine, &remote) => mine.into(),
        _ => equivalence::normalized(&remote).into(),
    }
}

/// [`policy_value`] for inline role policies, which the provider normalises with
/// `verify.LegacyPolicyNormalize` (`"Version"` first).
pub fn legacy_policy_value(remote: &str, recorded: &Value) -> Value {
    let remote = decoded(remote);
    match recorded.as_str() {
        Some(mine) if equivalence::equivalent(mine, &remote) => mine.into(),
        _ => equivalence::legacy_normalized(&remote).into(),
    }
}

/// `config` with each of `names` (policy texts) set to the prior text when both are the same
/// policy: the provider suppresses such a diff (`verify.SuppressEquivalentPolicyDiffs`), and a
/// state Terraform wrote holds the normalised text, not the configured one.
pub fn keep_equivalent(prior: Option<&Value>, config: &Value, names: &[&str]) -> Value {
    let mut config = config.clone();
    for name in names {
        if let (Some(before), Some(mine)) =
            (prior.and_then(|p| p.str_attr(name)), config.str_attr(name))
        {
            if equivalence::equivalent(before, mine) {
                config.set(*name, before.into());
            }
        }
    }
    config
}

/// Checks the configuration of a named policy document (`aws_iam_policy`,
/// `aws_iam_role_policy`): at most one of `name` and `name_prefix`, and a JSON policy in
/// `policy`.
pub fn check_named_policy(config: &Value) -> Result<()> {
    labform_sdk::validate::at_most_one(config, &["name", "name_prefix"])?;
    check_policy("policy", config)
}

/// The plan of a type holding a policy document in `policy`: one that is the same policy as
/// the recorded one keeps the recorded text. The configuration so kept comes back too.
pub fn plan_policy(
    aws: &Aws,
    schema: &BlockSchema,
    prior: Option<&Value>,
    config: &Value,
) -> Result<(PlannedChange, Value)> {
    let config = keep_equivalent(prior, config, &["policy"]);
    Ok((su::plan(aws, schema, prior, &config)?, config))
}

/// Whether two texts hold the same JSON (or are equal, when either is not JSON).
pub fn same_json(a: &str, b: &str) -> bool {
    match (
        serde_json::from_str::<serde_json::Value>(a),
        serde_json::from_str::<serde_json::Value>(b),
    ) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// Checks that a policy argument holds a JSON object, as the API would.
pub fn check_policy(name: &str, config: &Value) -> Result<()> {
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
        assert_eq!(
            policy_value(other, &mine.into()),
            Value::from(r#"{"Statement":[{"Effect":"Allow"}],"Version":"2012-10-17"}"#)
        );
        assert_eq!(legacy_policy_value(other, &mine.into()), Value::from(other));
        assert!(check_policy("p", &Value::from_pairs([("p", Value::from("[]"))])).is_err());
    }
}
