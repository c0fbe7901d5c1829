//! Amazon RDS: DB subnet groups and DB instances, and what they share (tags by ARN).

use std::collections::BTreeMap;

use aws_sdk_rds::types::Tag;
use labform_sdk::{Result, Value};

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
pub async fn tags_of(aws: &Aws, arn: &str) -> Result<BTreeMap<String, String>> {
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
pub async fn retag(aws: &Aws, arn: &str, prior: &Value, planned: &Value) -> Result<()> {
    let client = &aws.rds;
    tags::write(
        &format!("`{arn}`"),
        tags::changes(aws, prior, planned),
        tags::UNLIMITED,
        |keys| {
            client
                .remove_tags_from_resource()
                .resource_name(arn)
                .set_tag_keys(Some(keys))
                .send()
        },
        |set| {
            client
                .add_tags_to_resource()
                .resource_name(arn)
                .set_tags(Some(rds_tags(&set)))
                .send()
        },
    )
    .await
}
