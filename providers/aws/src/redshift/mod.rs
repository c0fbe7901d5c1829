//! Amazon Redshift: cluster subnet groups and clusters, and what they share (tags written by
//! ARN, read from the Describe answers, which carry them; ARNs built as the provider builds them).

use std::collections::BTreeMap;

use aws_sdk_redshift::types::Tag;
use labform_sdk::{Result, Value};

use crate::client::Aws;
use crate::tags;

pub mod cluster;
mod cluster_api;
pub mod subnet_group;

/// Redshift tags for a create or tag call.
pub fn redshift_tags(tags: &BTreeMap<String, String>) -> Vec<Tag> {
    tags.iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
}

/// Tags of a Redshift object as a map.
pub fn tag_map(tags: &[Tag]) -> BTreeMap<String, String> {
    tags.iter()
        .filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or("").to_string())))
        .collect()
}

/// `arn:<partition>:redshift:<region>:<account>:<kind>:<name>`: the API answers no ARN for
/// clusters and subnet groups, so the provider builds it, and so do we.
pub async fn arn(aws: &Aws, kind: &str, name: &str) -> Result<String> {
    Ok(format!(
        "arn:{}:redshift:{}:{}:{kind}:{name}",
        aws.partition(),
        aws.region,
        aws.account_id().await?
    ))
}

/// Brings the tags of the object `arn` from what `prior` recorded to what `planned` asks for.
pub async fn retag(aws: &Aws, arn: &str, prior: &Value, planned: &Value) -> Result<()> {
    let client = &aws.redshift;
    tags::write(
        &format!("`{arn}`"),
        tags::changes(aws, prior, planned),
        tags::UNLIMITED,
        |keys| {
            client
                .delete_tags()
                .resource_name(arn)
                .set_tag_keys(Some(keys))
                .send()
        },
        |set| {
            client
                .create_tags()
                .resource_name(arn)
                .set_tags(Some(redshift_tags(&set)))
                .send()
        },
    )
    .await
}
