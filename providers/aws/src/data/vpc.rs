//! `data "aws_vpc"`: exactly one VPC by id, CIDR, `default`, filters or tags.

use std::sync::Arc;

use labform_sdk::{
    async_trait, Attribute, BlockSchema, DataSource, ProviderError, Resource, Result, Type, Value,
};

use crate::client::Aws;
use crate::data::{filters, from_resource, lookup_schema, some_filters, the_one};
use crate::ec2::vpc::Vpc;
use crate::ec2::{filter, tag_map};
use crate::errors;
use crate::schema_util::{self as su, b, s, smap};

labform_sdk::typed! {
    pub struct VpcData("aws_vpc") {
        aws: Arc<Aws>,
        /// Reads the VPC (its DNS attributes, main route table) as the resource does.
        resource: Vpc,
    }
    schema: schema()
}

pub fn schema() -> BlockSchema {
    let sc = BlockSchema::new()
        .attr("cidr_block", Attribute::optional_computed(s()))
        .attr("default", Attribute::optional_computed(b()))
        .attrs(
            &["dhcp_options_id", "state"],
            Attribute::optional_computed(s()),
        )
        .attr("tags", Attribute::optional_computed(smap()))
        .attr("arn", Attribute::computed(s()))
        .attr(
            "cidr_block_associations",
            Attribute::computed(Type::list(Type::object(&[
                ("association_id", s()),
                ("cidr_block", s()),
                ("state", s()),
            ]))),
        )
        .attrs(
            &["enable_dns_hostnames", "enable_dns_support"],
            Attribute::computed(b()),
        )
        .attr(
            "enable_network_address_usage_metrics",
            Attribute::computed(b()),
        )
        .attrs(
            &[
                "instance_tenancy",
                "ipv6_association_id",
                "ipv6_cidr_block",
                "main_route_table_id",
                "owner_id",
            ],
            Attribute::computed(s()),
        );
    lookup_schema(sc, Attribute::optional_computed(s()))
}

#[async_trait]
impl DataSource for VpcData {
    async fn read(&self, config: &Value) -> Result<Value> {
        let mut flt = filters(config, true);
        if config.get("default").as_bool() == Some(true) {
            flt.push(filter("is-default", &["true"]));
        }
        let by = [
            ("cidr_block", "cidr"),
            ("dhcp_options_id", "dhcp-options-id"),
            ("state", "state"),
        ];
        let out = self
            .aws
            .ec2
            .describe_vpcs()
            .set_filters(some_filters(flt, config, &by))
            .set_vpc_ids(config.str_attr("id").map(|id| vec![id.to_string()]))
            .send()
            .await
            .map_err(|e| errors::sdk("looking up vpcs", e))?;
        let vpc = the_one("vpc", out.vpcs())?;
        let id = vpc.vpc_id().unwrap_or("");
        let Some(mapped) = self.resource.read_id(id, &self.resource.blank()).await? else {
            return Err(ProviderError::not_found(format!(
                "vpc `{id}` vanished while it was read"
            )));
        };
        let assocs: Vec<Value> = vpc
            .cidr_block_association_set()
            .iter()
            .map(|a| {
                Value::from_pairs([
                    ("association_id", a.association_id().unwrap_or("").into()),
                    ("cidr_block", a.cidr_block().unwrap_or("").into()),
                    (
                        "state",
                        a.cidr_block_state()
                            .and_then(|s| s.state())
                            .map(|s| s.as_str())
                            .unwrap_or("")
                            .into(),
                    ),
                ])
            })
            .collect();
        let mut v = from_resource(&self.schema, config, &mapped);
        v.set("default", vpc.is_default().unwrap_or(false).into());
        v.set(
            "state",
            vpc.state().map(|s| s.as_str()).unwrap_or("").into(),
        );
        v.set("tags", Value::string_map(tag_map(vpc.tags())));
        v.set("cidr_block_associations", Value::List(assocs));
        Ok(su::known(v))
    }
}
