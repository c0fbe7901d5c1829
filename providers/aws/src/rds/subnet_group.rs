//! `aws_db_subnet_group`: the subnets (of one VPC) an RDS instance may be placed in. Its id is
//! its name (from `name`, or `name_prefix` plus a suffix); it is imported by name. The skeleton
//! it shares with Redshift's is [`crate::subnet_group`]; here are RDS's calls and name rules.
//! Its tags are read by ARN: neither the listing nor DescribeDBSubnetGroups carries them.

use aws_sdk_rds::types::DbSubnetGroup;
use labform_sdk::{async_trait, Attribute, BlockSchema, ProviderError, Result, Value};

use crate::client::Aws;
use crate::names::UNIQUE_SUFFIX_LEN;
use crate::rds::{retag, sdk_tags, tags_of};
use crate::schema_util::{s, sset};
use crate::subnet_group::{self, sorted, Found, More, Service};
use crate::subnet_group_calls::{subnet_group_calls, Calls};

/// RDS's calls and rules for the shared subnet group.
pub struct Db;

pub type SubnetGroup = subnet_group::SubnetGroup<Db>;

pub fn schema() -> BlockSchema {
    subnet_group::schema::<Db>()
}

subnet_group_calls!(
    Db,
    rds,
    DbSubnetGroup {
        describe: describe_db_subnet_groups,
        create: create_db_subnet_group,
        modify: modify_db_subnet_group,
        delete: delete_db_subnet_group,
        groups: db_subnet_groups,
        name: db_subnet_group_name,
        description: db_subnet_group_description,
        sdk_tags: sdk_tags,
    }
);

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

    /// The ARN the group answers, its tags read by that ARN, its VPC and network types.
    async fn more(aws: &Aws, g: &DbSubnetGroup) -> Result<More> {
        let arn = g.db_subnet_group_arn().unwrap_or_default();
        Ok(More {
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

    /// Read again for its tags (the listing has none), `None` when it is gone since.
    async fn listed(aws: &Aws, g: &DbSubnetGroup) -> Result<Option<Found>> {
        subnet_group::describe::<Self>(aws, &Self::basics(g).0).await
    }

    async fn retag(aws: &Aws, arn: &str, prior: &Value, planned: &Value) -> Result<()> {
        retag(aws, arn, prior, planned).await
    }
}
