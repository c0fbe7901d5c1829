//! Amazon RDS: DB subnet groups and DB instances, and what they share (tags by ARN, the
//! identifier rules).

use std::collections::BTreeMap;

use aws_sdk_rds::types::Tag;
use labform_sdk::{ProviderError, Value};

use crate::client::Aws;
use crate::{errors, tags};

pub mod instance;
mod instance_api;
pub mod subnet_group;

/// RDS tags for a create or tag call.
pub fn rds_tags(tags: &BTreeMap<String, String>) -> Vec<Tag> {
    tags.iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
}

/// Tags of an RDS object as a map.
pub fn tag_map(tags: &[Tag]) -> BTreeMap<String, String> {
    tags.iter()
        .filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or("").to_string())))
        .collect()
}

/// Every tag of the object `arn`.
pub async fn tags_of(aws: &Aws, arn: &str) -> Result<BTreeMap<String, String>, ProviderError> {
    let out = aws
        .rds
        .list_tags_for_resource()
        .resource_name(arn)
        .send()
        .await
        .map_err(|e| errors::sdk(&format!("reading the tags of `{arn}`"), e))?;
    Ok(tag_map(out.tag_list()))
}

/// Brings the tags of the object `arn` from what `prior` recorded to what `planned` asks for.
pub async fn retag(
    aws: &Aws,
    arn: &str,
    prior: &Value,
    planned: &Value,
) -> Result<(), ProviderError> {
    let (set, removed) = tags::changes(aws, prior, planned);
    if !removed.is_empty() {
        aws.rds
            .remove_tags_from_resource()
            .resource_name(arn)
            .set_tag_keys(Some(removed))
            .send()
            .await
            .map_err(|e| errors::sdk(&format!("untagging `{arn}`"), e))?;
    }
    if !set.is_empty() {
        aws.rds
            .add_tags_to_resource()
            .resource_name(arn)
            .set_tags(Some(rds_tags(&set)))
            .send()
            .await
            .map_err(|e| errors::sdk(&format!("tagging `{arn}`"), e))?;
    }
    Ok(())
}

/// Checks a DB instance `identifier` (or, with `prefix`, an `identifier_prefix`) as the
/// provider does: lowercase letters, digits and hyphens, a letter first, no two hyphens in a
/// row, no hyphen at the end (a prefix may end in one), at most 63 characters with the suffix.
pub fn check_identifier(attr: &str, id: &str, prefix: bool) -> Result<(), ProviderError> {
    let max = if prefix {
        63 - crate::names::UNIQUE_SUFFIX_LEN
    } else {
        63
    };
    let why = if id.is_empty() || id.len() > max {
        Some(format!("it must be 1 to {max} characters long"))
    } else if !id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        Some("only lowercase letters, digits and hyphens are allowed".to_string())
    } else if !id.starts_with(|c: char| c.is_ascii_lowercase()) {
        Some("the first character must be a letter".to_string())
    } else if id.contains("--") {
        Some("it cannot contain two consecutive hyphens".to_string())
    } else if !prefix && id.ends_with('-') {
        Some("it cannot end with a hyphen".to_string())
    } else {
        None
    };
    match why {
        Some(why) => Err(ProviderError::invalid(format!(
            "invalid `{attr}` `{id}`: {why}"
        ))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_follow_the_rds_rules() {
        assert!(check_identifier("identifier", "lab-db-1", false).is_ok());
        assert!(check_identifier("identifier_prefix", "lab-", true).is_ok());
        for bad in ["Lab", "1lab", "lab--db", "lab-", "lab_db", ""] {
            assert!(check_identifier("identifier", bad, false).is_err(), "{bad}");
        }
        assert!(check_identifier("identifier_prefix", &"a".repeat(38), true).is_err());
    }
}
