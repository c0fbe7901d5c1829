//! `aws_redshift_subnet_group`: the subnets (of one VPC) a Redshift cluster may be placed in.
//! Its id is its name; it is imported by name. Its tags come with DescribeClusterSubnetGroups,
//! so a listing is one call.

use std::sync::Arc;

use aws_sdk_redshift::types::ClusterSubnetGroup;
use labform_sdk::{
    async_trait, by_id, Attribute, BlockSchema, Marked, OpContext, PlannedChange, ProviderError,
    ReadById, Resource, StackFilter, Value,
};

use crate::client::Aws;
use crate::redshift::{arn, redshift_tags, retag, tag_map};
use crate::schema_util::{self as su, s, sset};
use crate::{adopt, errors, retry, tags};

const DEFAULT_DESCRIPTION: &str = "Managed by Terraform";

pub struct SubnetGroup {
    aws: Arc<Aws>,
    schema: BlockSchema,
}

pub fn schema() -> BlockSchema {
    let sc = BlockSchema::new()
        .attr("name", Attribute::required(s()).force_new())
        .attr(
            "description",
            Attribute::optional(s()).default(DEFAULT_DESCRIPTION),
        )
        .attr("subnet_ids", Attribute::required(sset()))
        .attr("arn", Attribute::computed(s()));
    su::tagged(su::regional(sc))
}

/// Checks a subnet group `name` as the provider does: 1 to 255 lowercase letters, digits and
/// hyphens, not `default`.
fn check_name(name: &str) -> Result<(), ProviderError> {
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
        "invalid `name` `{name}`: {why}"
    )))
}

impl SubnetGroup {
    pub fn new(aws: Arc<Aws>) -> Self {
        SubnetGroup {
            aws,
            schema: schema(),
        }
    }

    async fn describe(&self, name: &str) -> Result<Option<ClusterSubnetGroup>, ProviderError> {
        errors::found_first(
            &format!("reading redshift subnet group `{name}`"),
            self.aws
                .redshift
                .describe_cluster_subnet_groups()
                .cluster_subnet_group_name(name)
                .send()
                .await,
            |o| o.cluster_subnet_groups().first().cloned(),
        )
    }

    async fn value_of(
        &self,
        g: &ClusterSubnetGroup,
        current: &Value,
    ) -> Result<Value, ProviderError> {
        let (tags, tags_all) =
            tags::split_remote(&self.aws, tag_map(g.tags()), current.get("tags"));
        let name = g.cluster_subnet_group_name().unwrap_or_default();
        let mut ids: Vec<&str> = g
            .subnets()
            .iter()
            .filter_map(|s| s.subnet_identifier())
            .collect();
        ids.sort_unstable();
        let mut v = self.schema.empty_value();
        v.set("id", name.into());
        v.set("name", name.into());
        v.set("region", self.aws.region.as_str().into());
        v.set("description", g.description().unwrap_or_default().into());
        v.set(
            "subnet_ids",
            Value::List(ids.into_iter().map(Value::from).collect()),
        );
        v.set("arn", arn(&self.aws, "subnetgroup", name).await?.into());
        v.set("tags", tags);
        v.set("tags_all", tags_all);
        Ok(v)
    }
}

#[async_trait]
impl ReadById for SubnetGroup {
    const NOUN: &'static str = "redshift subnet group";

    async fn read_id(&self, id: &str, current: &Value) -> Result<Option<Value>, ProviderError> {
        match self.describe(id).await? {
            Some(g) => Ok(Some(self.value_of(&g, current).await?)),
            None => Ok(None),
        }
    }
}

#[async_trait]
impl Resource for SubnetGroup {
    fn type_name(&self) -> &'static str {
        "aws_redshift_subnet_group"
    }
    fn schema(&self) -> &BlockSchema {
        &self.schema
    }

    fn validate(&self, config: &Value) -> Result<(), ProviderError> {
        if let Some(name) = config.str_attr("name") {
            check_name(name)?;
        }
        if config.get("subnet_ids").is_wholly_known() && config.list_attr("subnet_ids").is_empty() {
            return Err(
                ProviderError::invalid("`subnet_ids` must name at least one subnet")
                    .with_hint("list the subnets of the VPC the cluster is to run in"),
            );
        }
        Ok(())
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange, ProviderError> {
        let mut p = su::plan(&self.aws, &self.schema, prior, config)?;
        if prior.is_none() {
            // The id is the name, known as soon as the name is.
            let name = config.get("name").clone();
            p.planned.set("id", name);
        }
        Ok(p)
    }

    /// Found by its name, adopted only when it carries this create's mark.
    async fn find_interrupted(
        &self,
        intent: &Value,
        token: &str,
    ) -> Result<Option<Value>, ProviderError> {
        let name = su::req(intent, "name")?;
        let Some(g) = self.describe(name).await? else {
            return Ok(None);
        };
        adopt::check_ours(
            &format!("redshift subnet group `{name}`"),
            &tag_map(g.tags()),
            token,
            &format!("aws redshift delete-cluster-subnet-group --cluster-subnet-group-name {name}"),
        )?;
        Ok(Some(self.value_of(&g, intent).await?))
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value, ProviderError> {
        let name = su::req(planned, "name")?;
        let all = tags::for_create(&self.aws, planned.get("tags"), ctx);
        self.aws
            .redshift
            .create_cluster_subnet_group()
            .cluster_subnet_group_name(name)
            .description(
                planned
                    .str_attr("description")
                    .unwrap_or(DEFAULT_DESCRIPTION),
            )
            .set_subnet_ids(Some(planned.string_list_attr("subnet_ids")))
            .set_tags(Some(redshift_tags(&all)))
            .send()
            .await
            .map_err(|e| match errors::code(&e).as_deref() {
                Some("ClusterSubnetGroupAlreadyExists") => ProviderError::conflict(format!(
                    "redshift subnet group `{name}` already exists"
                ))
                .with_hint("choose another `name`, or import the existing group"),
                _ => errors::sdk(&format!("creating redshift subnet group `{name}`"), e),
            })?;
        by_id::created(self, name, planned).await
    }

    async fn read(&self, current: &Value) -> Result<Option<Value>, ProviderError> {
        by_id::read(self, current).await
    }

    async fn update(
        &self,
        prior: &Value,
        planned: &Value,
        _ctx: &OpContext,
    ) -> Result<Value, ProviderError> {
        let name = su::req(prior, "id")?;
        if ["description", "subnet_ids"]
            .iter()
            .any(|a| prior.get(a) != planned.get(a))
        {
            self.aws
                .redshift
                .modify_cluster_subnet_group()
                .cluster_subnet_group_name(name)
                .description(
                    planned
                        .str_attr("description")
                        .unwrap_or(DEFAULT_DESCRIPTION),
                )
                .set_subnet_ids(Some(planned.string_list_attr("subnet_ids")))
                .send()
                .await
                .map_err(|e| errors::sdk(&format!("updating redshift subnet group `{name}`"), e))?;
        }
        retag(&self.aws, su::req(prior, "arn")?, prior, planned).await?;
        by_id::updated(self, name, planned).await
    }

    async fn delete(&self, prior: &Value, _ctx: &OpContext) -> Result<(), ProviderError> {
        let Some(name) = prior.str_attr("id") else {
            return Ok(());
        };
        retry::delete(&format!("deleting redshift subnet group `{name}`"), || {
            self.aws
                .redshift
                .delete_cluster_subnet_group()
                .cluster_subnet_group_name(name)
                .send()
        })
        .await
    }

    async fn import(&self, id: &str) -> Result<Value, ProviderError> {
        by_id::import(self, id).await
    }

    /// Every subnet group of the region, with the tags the listing carries.
    async fn list_marked(&self, filter: &StackFilter) -> Result<Vec<Marked>, ProviderError> {
        let groups = self
            .aws
            .redshift
            .describe_cluster_subnet_groups()
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(|e| errors::sdk("listing redshift subnet groups", e))?;
        let blank = self.blank();
        let mut all = Vec::new();
        for g in &groups {
            all.push(self.value_of(g, &blank).await?);
        }
        Ok(tags::marked(all, filter))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_provider_rules() {
        assert!(check_name("lab-redshift-1").is_ok());
        for bad in ["Lab", "lab_group", "lab group", "default", ""] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
        assert!(check_name(&"a".repeat(256)).is_err());
    }
}
