//! `aws_redshift_subnet_group`: the subnets (of one VPC) a Redshift cluster may be placed in.
//! Its id is its name; it is imported by name. The skeleton it shares with RDS's is
//! [`crate::subnet_group`]; here are Redshift's calls and name rules. Its tags come with
//! DescribeClusterSubnetGroups, so a listing is one call.

use aws_sdk_redshift::types::ClusterSubnetGroup;
use labform_sdk::{async_trait, BlockSchema, ProviderError, Result, Value};

use crate::client::Aws;
use crate::redshift::{arn, retag, sdk_tags, tag_map};
use crate::subnet_group::{self, More, Service};
use crate::subnet_group_calls::subnet_group_calls;

/// Redshift's calls and rules for the shared subnet group.
pub struct Redshift;

pub type SubnetGroup = subnet_group::SubnetGroup<Redshift>;

pub fn schema() -> BlockSchema {
    subnet_group::schema::<Redshift>()
}

subnet_group_calls!(
    Redshift,
    redshift,
    ClusterSubnetGroup {
        describe: describe_cluster_subnet_groups,
        create: create_cluster_subnet_group,
        modify: modify_cluster_subnet_group,
        delete: delete_cluster_subnet_group,
        groups: cluster_subnet_groups,
        name: cluster_subnet_group_name,
        description: description,
        sdk_tags: sdk_tags,
    }
);

#[async_trait]
impl Service for Redshift {
    const TYPE_NAME: &'static str = "aws_redshift_subnet_group";
    const NOUN: &'static str = "redshift subnet group";
    const PREFIX: bool = false;
    const ALREADY_EXISTS: &'static str = "ClusterSubnetGroupAlreadyExists";
    const SUBNETS_HINT: &'static str = "list the subnets of the VPC the cluster is to run in";

    /// 1 to 255 lowercase letters, digits and hyphens, not `default` (there is no prefix).
    fn check_name(attr: &str, name: &str, _prefix: bool) -> Result<()> {
        let why = if name.is_empty() || name.len() > 255 {
            "it must be 1 to 255 characters long"
        } else if !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            "only lowercase letters, digits and hyphens are allowed"
        } else if name == "default" {
            "`default` is a reserved name"
        } else {
            return Ok(());
        };
        Err(ProviderError::invalid(format!(
            "invalid `{attr}` `{name}`: {why}"
        )))
    }

    fn delete_command(name: &str) -> String {
        format!("aws redshift delete-cluster-subnet-group --cluster-subnet-group-name {name}")
    }

    /// The ARN built as the provider builds it, and the tags the answer carries.
    async fn more(aws: &Aws, g: &ClusterSubnetGroup) -> Result<More> {
        let name = g.cluster_subnet_group_name().unwrap_or_default();
        Ok(More {
            arn: arn(aws, "subnetgroup", name).await?,
            tags: tag_map(g.tags()),
            extra: Vec::new(),
        })
    }

    async fn retag(aws: &Aws, arn: &str, prior: &Value, planned: &Value) -> Result<()> {
        retag(aws, arn, prior, planned).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_provider_rules() {
        let check = |name: &str| Redshift::check_name("name", name, false);
        assert!(check("lab-redshift-1").is_ok());
        for bad in ["Lab", "lab_group", "lab group", "default", ""] {
            assert!(check(bad).is_err(), "{bad}");
        }
        assert!(check(&"a".repeat(256)).is_err());
    }
}
