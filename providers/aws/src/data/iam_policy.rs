//! `data "aws_iam_policy"`: a managed policy (customer or AWS managed) by `arn`, or by `name`
//! (and `path_prefix`). The values come from the `aws_iam_policy` resource's read.

use std::sync::Arc;

use labform_sdk::{
    async_trait, Attribute, BlockSchema, DataSource, ProviderError, Resource, Result, Value,
};

use crate::client::Aws;
use crate::data::exactly_one;
use crate::errors;
use crate::iam::policy::Policy;
use crate::schema_util::{n, s, smap};

pub struct PolicyData {
    aws: Arc<Aws>,
    policy: Policy,
    schema: BlockSchema,
}

labform_sdk::typed!(impl PolicyData("aws_iam_policy"));

pub fn schema() -> BlockSchema {
    BlockSchema::new()
        .attr("arn", Attribute::optional_computed(s()))
        .attr("attachment_count", Attribute::computed(n()))
        .attrs(&["description", "id"], Attribute::computed(s()))
        .attr("name", Attribute::optional_computed(s()))
        .attr("path", Attribute::computed(s()))
        .attr("path_prefix", Attribute::optional(s()))
        .attrs(&["policy", "policy_id"], Attribute::computed(s()))
        .attr("tags", Attribute::computed(smap()))
}

impl PolicyData {
    pub fn new(aws: Arc<Aws>) -> Self {
        PolicyData {
            policy: Policy::new(aws.clone()),
            aws,
            schema: schema(),
        }
    }

    /// The ARN of the one policy (of any scope) named `name` under `path_prefix`.
    async fn arn_by_name(&self, name: &str, path: Option<&str>) -> Result<String> {
        let found: Vec<String> = self
            .aws
            .iam
            .list_policies()
            .set_path_prefix(path.map(str::to_string))
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(|e| errors::sdk("listing iam policies", e))?
            .into_iter()
            .filter(|p| p.policy_name() == Some(name))
            .filter_map(|p| p.arn().map(str::to_string))
            .collect();
        if let Some(e) = exactly_one(&format!("iam policy named `{name}`"), found.len()) {
            return Err(e);
        }
        Ok(found.into_iter().next().unwrap_or_default())
    }
}

#[async_trait]
impl DataSource for PolicyData {
    async fn read(&self, config: &Value) -> Result<Value> {
        let arn = match (config.str_attr("arn"), config.str_attr("name")) {
            (Some(_), Some(_)) => {
                return Err(ProviderError::invalid(
                    "only one of `arn` and `name` can be set",
                ))
            }
            (Some(arn), None) => arn.to_string(),
            (None, Some(name)) => {
                self.arn_by_name(name, config.str_attr("path_prefix"))
                    .await?
            }
            (None, None) => {
                return Err(ProviderError::invalid(
                    "one of `arn` and `name` must be set",
                ))
            }
        };
        let Some(p) = self.policy.read_id(&arn, &Value::object()).await? else {
            return Err(ProviderError::not_found(format!("no iam policy `{arn}`")));
        };
        let mut out = config.clone();
        for k in [
            "arn",
            "attachment_count",
            "description",
            "id",
            "name",
            "path",
            "policy",
            "policy_id",
        ] {
            out.set(k, p.get(k).clone());
        }
        // Every tag the policy carries, as the provider reports them.
        out.set("tags", p.get("tags_all").clone());
        if out.get("description").is_null() {
            out.set("description", "".into());
        }
        Ok(out)
    }
}
