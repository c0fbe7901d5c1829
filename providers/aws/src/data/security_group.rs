//! `data "aws_security_group"`: exactly one security group by id, name, VPC, filters or tags.

use std::sync::Arc;

use labform_sdk::{async_trait, Attribute, BlockSchema, DataSource, Resource, Result, Value};

use crate::client::Aws;
use crate::data::{filters, from_resource, lookup_schema, some_filters, the_one};
use crate::ec2::security_group::SecurityGroup;
use crate::ec2::tag_map;
use crate::errors;
use crate::schema_util::{self as su, s, smap};

labform_sdk::typed! {
    pub struct SecurityGroupData("aws_security_group") {
        aws: Arc<Aws>,
        /// Maps the describe answer as the resource does.
        resource: SecurityGroup,
    }
    schema: schema()
}

pub fn schema() -> BlockSchema {
    let sc = BlockSchema::new()
        .attrs(&["name", "vpc_id"], Attribute::optional_computed(s()))
        .attr("tags", Attribute::optional_computed(smap()))
        .attrs(&["arn", "description"], Attribute::computed(s()));
    lookup_schema(sc, Attribute::optional_computed(s()))
}

#[async_trait]
impl DataSource for SecurityGroupData {
    async fn read(&self, config: &Value) -> Result<Value> {
        let by = [("name", "group-name"), ("vpc_id", "vpc-id")];
        let out = self
            .aws
            .ec2
            .describe_security_groups()
            .set_filters(some_filters(filters(config, true), config, &by))
            .set_group_ids(config.str_attr("id").map(|id| vec![id.to_string()]))
            .send()
            .await
            .map_err(|e| errors::sdk("looking up security groups", e))?;
        let g = the_one("security group", out.security_groups())?;
        let blank = self.resource.blank();
        let mut v = from_resource(&self.schema, config, &self.resource.value_of(g, &blank));
        v.set("tags", Value::string_map(tag_map(g.tags())));
        Ok(su::known(v))
    }
}
