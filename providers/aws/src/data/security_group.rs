//! `data "aws_security_group"`: exactly one security group by id, name, VPC, filters or tags.

use std::sync::Arc;

use labform_sdk::{async_trait, Attribute, BlockSchema, DataSource, ProviderError, Value};

use crate::client::Aws;
use crate::data::{exactly_one, filters};
use crate::ec2::{arn, filter, tag_map};
use crate::errors;
use crate::schema_util::{self as su, s, smap};

pub struct SecurityGroupData {
    aws: Arc<Aws>,
    schema: BlockSchema,
}

pub fn schema() -> BlockSchema {
    let sc = BlockSchema::new()
        .attr("name", Attribute::optional_computed(s()))
        .attr("vpc_id", Attribute::optional_computed(s()))
        .attr("tags", Attribute::optional_computed(smap()))
        .attr("arn", Attribute::computed(s()))
        .attr("description", Attribute::computed(s()));
    su::timeouts(
        su::filter_block(su::regional(sc)).attr("id", Attribute::optional_computed(s())),
        &["read"],
    )
}

impl SecurityGroupData {
    pub fn new(aws: Arc<Aws>) -> Self {
        SecurityGroupData {
            aws,
            schema: schema(),
        }
    }
}

#[async_trait]
impl DataSource for SecurityGroupData {
    fn type_name(&self) -> &'static str {
        "aws_security_group"
    }
    fn schema(&self) -> &BlockSchema {
        &self.schema
    }
    async fn read(&self, config: &Value) -> Result<Value, ProviderError> {
        let mut flt = filters(config, true);
        if let Some(n) = config.str_attr("name") {
            flt.push(filter("group-name", &[n]));
        }
        if let Some(v) = config.str_attr("vpc_id") {
            flt.push(filter("vpc-id", &[v]));
        }
        let mut req = self
            .aws
            .ec2
            .describe_security_groups()
            .set_filters(if flt.is_empty() { None } else { Some(flt) });
        if let Some(id) = config.str_attr("id") {
            req = req.group_ids(id);
        }
        let out = req
            .send()
            .await
            .map_err(|e| errors::sdk("looking up security groups", e))?;
        if let Some(e) = exactly_one("security group", out.security_groups().len()) {
            return Err(e);
        }
        let g = &out.security_groups()[0];
        let id = g.group_id().unwrap_or("");
        let mut v = config.clone();
        v.set("id", id.into());
        v.set("region", self.aws.region.as_str().into());
        v.set(
            "arn",
            arn(&self.aws, g.owner_id().unwrap_or(""), "security-group", id).into(),
        );
        v.set("name", g.group_name().unwrap_or("").into());
        v.set("description", g.description().unwrap_or("").into());
        v.set("vpc_id", g.vpc_id().unwrap_or("").into());
        v.set("tags", Value::string_map(tag_map(g.tags())));
        Ok(su::known(v))
    }
}
