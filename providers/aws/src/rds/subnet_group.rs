//! `aws_db_subnet_group`: the subnets (of one VPC) an RDS instance may be placed in. Its id is
//! its name (from `name`, or `name_prefix` plus a suffix); it is imported by name.

use std::sync::Arc;

use aws_sdk_rds::types::DbSubnetGroup;
use labform_sdk::{
    async_trait, by_id, Attribute, BlockSchema, Marked, OpContext, PlannedChange, ProviderError,
    ReadById, Resource, StackFilter, Value,
};

use crate::client::Aws;
use crate::names::{check_name_or_prefix, name_or_prefixed, plan_named, UNIQUE_SUFFIX_LEN};
use crate::rds::{rds_tags, retag, tags_of};
use crate::schema_util::{self as su, s, sset};
use crate::{adopt, errors, retry, tags};

const DEFAULT_DESCRIPTION: &str = "Managed by Terraform";

pub struct SubnetGroup {
    aws: Arc<Aws>,
    schema: BlockSchema,
}

pub fn schema() -> BlockSchema {
    let sc = BlockSchema::new()
        .attr("name", Attribute::optional_computed(s()).force_new())
        .attr("name_prefix", Attribute::optional_computed(s()).force_new())
        .attr(
            "description",
            Attribute::optional(s()).default(DEFAULT_DESCRIPTION),
        )
        .attr("subnet_ids", Attribute::required(sset()))
        .attr("arn", Attribute::computed(s()))
        .attr("vpc_id", Attribute::computed(s()))
        .attr("supported_network_types", Attribute::computed(sset()));
    su::tagged(su::regional(sc))
}

/// Checks a subnet group `name` (or, with `prefix`, a `name_prefix`) as the provider does.
fn check_name(attr: &str, name: &str, prefix: bool) -> Result<(), ProviderError> {
    let max = if prefix { 255 - UNIQUE_SUFFIX_LEN } else { 255 };
    let why = if name.is_empty() || name.len() > max {
        Some(format!("it must be 1 to {max} characters long"))
    } else if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '_'))
    {
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

fn sorted(mut items: Vec<String>) -> Value {
    items.sort();
    Value::List(items.into_iter().map(Value::from).collect())
}

impl SubnetGroup {
    pub fn new(aws: Arc<Aws>) -> Self {
        SubnetGroup {
            aws,
            schema: schema(),
        }
    }

    async fn describe(&self, name: &str) -> Result<Option<DbSubnetGroup>, ProviderError> {
        errors::found_first(
            &format!("reading db subnet group `{name}`"),
            self.aws
                .rds
                .describe_db_subnet_groups()
                .db_subnet_group_name(name)
                .send()
                .await,
            |o| o.db_subnet_groups().first().cloned(),
        )
    }

    fn value_of(
        &self,
        g: &DbSubnetGroup,
        remote_tags: std::collections::BTreeMap<String, String>,
        current: &Value,
    ) -> Value {
        let (tags, tags_all) = tags::split_remote(&self.aws, remote_tags, current.get("tags"));
        let name = g.db_subnet_group_name().unwrap_or_default();
        let mut v = self.schema.empty_value();
        v.set("id", name.into());
        v.set("name", name.into());
        v.set(
            "name_prefix",
            match current.get("name_prefix") {
                Value::String(p) => p.as_str().into(),
                _ => "".into(),
            },
        );
        v.set("region", self.aws.region.as_str().into());
        v.set(
            "description",
            g.db_subnet_group_description().unwrap_or_default().into(),
        );
        v.set(
            "subnet_ids",
            sorted(
                g.subnets()
                    .iter()
                    .filter_map(|s| s.subnet_identifier().map(str::to_string))
                    .collect(),
            ),
        );
        v.set("arn", g.db_subnet_group_arn().unwrap_or_default().into());
        v.set("vpc_id", g.vpc_id().unwrap_or_default().into());
        v.set(
            "supported_network_types",
            sorted(g.supported_network_types().to_vec()),
        );
        v.set("tags", tags);
        v.set("tags_all", tags_all);
        v
    }
}

#[async_trait]
impl ReadById for SubnetGroup {
    const NOUN: &'static str = "db subnet group";

    async fn read_id(&self, id: &str, current: &Value) -> Result<Option<Value>, ProviderError> {
        let Some(g) = self.describe(id).await? else {
            return Ok(None);
        };
        let remote = tags_of(&self.aws, g.db_subnet_group_arn().unwrap_or_default()).await?;
        Ok(Some(self.value_of(&g, remote, current)))
    }
}

#[async_trait]
impl Resource for SubnetGroup {
    fn type_name(&self) -> &'static str {
        "aws_db_subnet_group"
    }
    fn schema(&self) -> &BlockSchema {
        &self.schema
    }

    fn validate(&self, config: &Value) -> Result<(), ProviderError> {
        check_name_or_prefix(config, "name", "name_prefix", check_name)?;
        if config.get("subnet_ids").is_wholly_known() && config.list_attr("subnet_ids").is_empty() {
            return Err(
                ProviderError::invalid("`subnet_ids` must name at least one subnet")
                    .with_hint("list subnets in at least two availability zones"),
            );
        }
        Ok(())
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange, ProviderError> {
        let mut p = su::plan(&self.aws, &self.schema, prior, config)?;
        if prior.is_none() {
            plan_named(&mut p.planned, config, "name", "name_prefix", true);
        }
        Ok(p)
    }

    /// Found by its name (from `name`, or the prefix and the create token), adopted only
    /// when it carries this create's mark.
    async fn find_interrupted(
        &self,
        intent: &Value,
        token: &str,
    ) -> Result<Option<Value>, ProviderError> {
        let name = name_or_prefixed(intent, "name", "name_prefix", Some(token));
        let Some(g) = self.describe(&name).await? else {
            return Ok(None);
        };
        let remote = tags_of(&self.aws, g.db_subnet_group_arn().unwrap_or_default()).await?;
        adopt::check_ours(
            &format!("db subnet group `{name}`"),
            &remote,
            token,
            &format!("aws rds delete-db-subnet-group --db-subnet-group-name {name}"),
        )?;
        Ok(Some(self.value_of(&g, remote, intent)))
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value, ProviderError> {
        let name = name_or_prefixed(planned, "name", "name_prefix", ctx.create_token());
        let all = tags::for_create(&self.aws, planned.get("tags"), ctx);
        self.aws
            .rds
            .create_db_subnet_group()
            .db_subnet_group_name(&name)
            .db_subnet_group_description(
                planned
                    .str_attr("description")
                    .unwrap_or(DEFAULT_DESCRIPTION),
            )
            .set_subnet_ids(Some(planned.string_list_attr("subnet_ids")))
            .set_tags(Some(rds_tags(&all)))
            .send()
            .await
            .map_err(|e| match errors::code(&e).as_deref() {
                Some("DBSubnetGroupAlreadyExists") => {
                    ProviderError::conflict(format!("db subnet group `{name}` already exists"))
                        .with_hint("choose another `name`, or import the existing group")
                }
                _ => errors::sdk(&format!("creating db subnet group `{name}`"), e),
            })?;
        by_id::created(self, &name, planned).await
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
                .rds
                .modify_db_subnet_group()
                .db_subnet_group_name(name)
                .db_subnet_group_description(
                    planned
                        .str_attr("description")
                        .unwrap_or(DEFAULT_DESCRIPTION),
                )
                .set_subnet_ids(Some(planned.string_list_attr("subnet_ids")))
                .send()
                .await
                .map_err(|e| errors::sdk(&format!("updating db subnet group `{name}`"), e))?;
        }
        retag(&self.aws, su::req(prior, "arn")?, prior, planned).await?;
        by_id::updated(self, name, planned).await
    }

    async fn delete(&self, prior: &Value, _ctx: &OpContext) -> Result<(), ProviderError> {
        let Some(name) = prior.str_attr("id") else {
            return Ok(());
        };
        retry::delete(&format!("deleting db subnet group `{name}`"), || {
            self.aws
                .rds
                .delete_db_subnet_group()
                .db_subnet_group_name(name)
                .send()
        })
        .await
    }

    async fn import(&self, id: &str) -> Result<Value, ProviderError> {
        by_id::import(self, id).await
    }

    /// Every subnet group of the region, each read for its tags (the listing has none).
    async fn list_marked(&self, filter: &StackFilter) -> Result<Vec<Marked>, ProviderError> {
        let groups = self
            .aws
            .rds
            .describe_db_subnet_groups()
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(|e| errors::sdk("listing db subnet groups", e))?;
        let names: Vec<String> = groups
            .iter()
            .filter_map(|g| g.db_subnet_group_name().map(str::to_string))
            .collect();
        let all = by_id::read_all(self, &names).await?;
        Ok(tags::marked(all, filter))
    }
}
