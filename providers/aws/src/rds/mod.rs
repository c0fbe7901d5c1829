//! Amazon RDS: DB subnet groups and DB instances, and what they share (tags by ARN).

use std::collections::BTreeMap;

use labform_sdk::Result;

use crate::client::Aws;
use crate::errors;

pub mod instance;
mod instance_api;
pub mod subnet_group;

crate::arn_tags::arn_tags!(
    aws_sdk_rds,
    rds,
    untag: remove_tags_from_resource,
    tag: add_tags_to_resource
);

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
