//! `aws_redshift_subnet_group`: the subnets (of one VPC) a Redshift cluster may be placed in.
//! Its id is its name; it is imported by name. The skeleton it shares with RDS's is
//! [`crate::subnet_group`]; here are Redshift's calls and name rules. Its tags come with
//! DescribeClusterSubnetGroups, so a listing is one call.

use std::collections::BTreeMap;

use aws_sdk_redshift::types::ClusterSubnetGroup;
use labform_sdk::{async_trait, BlockSchema, ProviderError, Result, Value};

use crate::client::Aws;
use crate::paging::all_items;
use crate::redshift::{arn, redshift_tags, retag, tag_map};
use crate::subnet_group::{self, Found, Service, Spec};
use crate::{errors, retry};

/// Redshift's calls and rules for the shared subnet group.
pub struct Redshift;

pub type SubnetGroup = subnet_group::SubnetGroup<Redshift>;

pub fn schema() -> BlockSchema {
    subnet_group::schema::<Redshift>()
}

impl Redshift {
    async fn found(aws: &Aws, g: &ClusterSubnetGroup) -> Result<Found> {
        let name = g.cluster_subnet_group_name().unwrap_or_default();
        Ok(Found {
            name: name.to_string(),
            description: g.description().unwrap_or_default().to_string(),
            subnet_ids: g
                .subnets()
                .iter()
                .filter_map(|s| s.subnet_identifier().map(str::to_string))
                .collect(),
            arn: arn(aws, "subnetgroup", name).await?,
            tags: tag_map(g.tags()),
            extra: Vec::new(),
        })
    }
}

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

    async fn describe(aws: &Aws, name: &str) -> Result<Option<Found>> {
        let found = errors::found_first(
            &format!("reading redshift subnet group `{name}`"),
            aws.redshift
                .describe_cluster_subnet_groups()
                .cluster_subnet_group_name(name)
                .send()
                .await,
            |o| o.cluster_subnet_groups().first().cloned(),
        )?;
        match found {
            Some(g) => Ok(Some(Self::found(aws, &g).await?)),
            None => Ok(None),
        }
    }

    async fn list(aws: &Aws) -> Result<Vec<Found>> {
        let groups = all_items!(
            "listing redshift subnet groups",
            aws.redshift.describe_cluster_subnet_groups()
        )?;
        let mut all = Vec::new();
        for g in &groups {
            all.push(Self::found(aws, g).await?);
        }
        Ok(all)
    }

    async fn create(
        aws: &Aws,
        group: Spec<'_>,
        tags: &BTreeMap<String, String>,
        doing: &str,
    ) -> Result<()> {
        aws.redshift
            .create_cluster_subnet_group()
            .cluster_subnet_group_name(group.name)
            .description(group.description)
            .set_subnet_ids(Some(group.subnet_ids))
            .set_tags(Some(redshift_tags(tags)))
            .send()
            .await
            .map_err(|e| errors::sdk(doing, e))?;
        Ok(())
    }

    async fn modify(aws: &Aws, group: Spec<'_>, doing: &str) -> Result<()> {
        aws.redshift
            .modify_cluster_subnet_group()
            .cluster_subnet_group_name(group.name)
            .description(group.description)
            .set_subnet_ids(Some(group.subnet_ids))
            .send()
            .await
            .map_err(|e| errors::sdk(doing, e))?;
        Ok(())
    }

    async fn delete(aws: &Aws, name: &str, doing: &str) -> Result<()> {
        retry::delete(doing, || {
            aws.redshift
                .delete_cluster_subnet_group()
                .cluster_subnet_group_name(name)
                .send()
        })
        .await
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
