//! Amazon Redshift: cluster subnet groups and clusters, and what they share (tags written by
//! ARN, read from the Describe answers, which carry them; ARNs built as the provider builds them).

use labform_sdk::Result;

use crate::client::Aws;

pub mod cluster;
mod cluster_api;
pub mod subnet_group;

crate::arn_tags::arn_tags!(aws_sdk_redshift, redshift, untag: delete_tags, tag: create_tags);

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
