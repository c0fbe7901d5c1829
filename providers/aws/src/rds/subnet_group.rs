//! `aws_db_subnet_group`: the subnets (of one VPC) an RDS instance may be placed in. Its id is
//! its name (from `name`, or `name_prefix` plus a suffix); it is imported by name. The skeleton
//! it shares with Redshift's is [`crate::subnet_group`]; here are RDS's calls and name rules.
//! Its tags are read by ARN: neither the listing nor DescribeDBSubnetGroups carries them.

use std::collections::BTreeMap;

use aws_sdk_rds::types::DbSubnetGroup;
use labform_sdk::{async_trait, Attribute, BlockSchema, ProviderError, Result, Value};

use crate::client::Aws;
use crate::names::UNIQUE_SUFFIX_LEN;
use crate::paging::all_items;
use crate::rds::{rds_tags, retag, tags_of};
use crate::schema_util::{s, sset};
use crate::subnet_group::{self, sorted, Found, Service, Spec};
use crate::{errors, retry};

/// RDS's calls and rules for the shared subnet group.
pub struct Db;

pub type SubnetGroup = subnet_group::SubnetGroup<Db>;

pub fn schema() -> BlockSchema {
    subnet_group::schema::<Db>()
}

impl Db {
    async fn found(aws: &Aws, g: &DbSubnetGroup) -> Result<Found> {
        let arn = g.db_subnet_group_arn().unwrap_or_default();
        Ok(Found {
            name: g.db_subnet_group_name().unwrap_or_default().to_string(),
            description: g
                .db_subnet_group_description()
                .unwrap_or_default()
                .to_string(),
            subnet_ids: g
                .subnets()
                .iter()
                .filter_map(|s| s.subnet_identifier().map(str::to_string))
                .collect(),
            arn: arn.to_string(),
            tags: tags_of(aws, arn).await?,
            extra: vec![
                ("vpc_id", g.vpc_id().unwrap_or_default().into()),
                (
                    "supported_network_types",
                    sorted(g.supported_network_types().to_vec()),
                ),
            ],
        })
    }
}

#[async_trait]
impl Service for Db {
    const TYPE_NAME: &'static str = "aws_db_subnet_group";
    const NOUN: &'static str = "db subnet group";
    const PREFIX: bool = true;
    const ALREADY_EXISTS: &'static str = "DBSubnetGroupAlreadyExists";
    const SUBNETS_HINT: &'static str = "list subnets in at least two availability zones";

    fn more_schema(schema: BlockSchema) -> BlockSchema {
        schema
            .attr("vpc_id", Attribute::computed(s()))
            .attr("supported_network_types", Attribute::computed(sset()))
    }

    fn check_name(attr: &str, name: &str, prefix: bool) -> Result<()> {
        let max = if prefix { 255 - UNIQUE_SUFFIX_LEN } else { 255 };
        let why = if name.is_empty() || name.len() > max {
            Some(format!("it must be 1 to {max} characters long"))
        } else if !name.chars().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '_')
        }) {
            Some(
                "only lowercase letters, digits, spaces, periods, underscores and hyphens are allowed"
                    .to_string(),
            )
        } else if !prefix && name.eq_ignore_ascii_case("default") {
            Some("`default` is a reserved name".to_string())
        } else {
            None
        };
        match why {
            Some(why) => Err(ProviderError::invalid(format!(
                "invalid `{attr}` `{name}`: {why}"
            ))),
            None => Ok(()),
        }
    }

    fn delete_command(name: &str) -> String {
        format!("aws rds delete-db-subnet-group --db-subnet-group-name {name}")
    }

    async fn describe(aws: &Aws, name: &str) -> Result<Option<Found>> {
        let found = errors::found_first(
            &format!("reading db subnet group `{name}`"),
            aws.rds
                .describe_db_subnet_groups()
                .db_subnet_group_name(name)
                .send()
                .await,
            |o| o.db_subnet_groups().first().cloned(),
        )?;
        match found {
            Some(g) => Ok(Some(Self::found(aws, &g).await?)),
            None => Ok(None),
        }
    }

    /// Each group of the listing read again for its tags (the listing has none), leaving out
    /// those gone since.
    async fn list(aws: &Aws) -> Result<Vec<Found>> {
        let groups = all_items!(
            "listing db subnet groups",
            aws.rds.describe_db_subnet_groups()
        )?;
        let mut all = Vec::new();
        for name in groups.iter().filter_map(|g| g.db_subnet_group_name()) {
            all.extend(Self::describe(aws, name).await?);
        }
        Ok(all)
    }

    async fn create(
        aws: &Aws,
        group: Spec<'_>,
        tags: &BTreeMap<String, String>,
        doing: &str,
    ) -> Result<()> {
        aws.rds
            .create_db_subnet_group()
            .db_subnet_group_name(group.name)
            .db_subnet_group_description(group.description)
            .set_subnet_ids(Some(group.subnet_ids))
            .set_tags(Some(rds_tags(tags)))
            .send()
            .await
            .map_err(|e| errors::sdk(doing, e))?;
        Ok(())
    }

    async fn modify(aws: &Aws, group: Spec<'_>, doing: &str) -> Result<()> {
        aws.rds
            .modify_db_subnet_group()
            .db_subnet_group_name(group.name)
            .db_subnet_group_description(group.description)
            .set_subnet_ids(Some(group.subnet_ids))
            .send()
            .await
            .map_err(|e| errors::sdk(doing, e))?;
        Ok(())
    }

    async fn delete(aws: &Aws, name: &str, doing: &str) -> Result<()> {
        retry::delete(doing, || {
            aws.rds
                .delete_db_subnet_group()
                .db_subnet_group_name(name)
                .send()
        })
        .await
    }

    async fn retag(aws: &Aws, arn: &str, prior: &Value, planned: &Value) -> Result<()> {
        retag(aws, arn, prior, planned).await
    }
}
