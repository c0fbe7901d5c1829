//! `data "aws_vpc"`: exactly one VPC by id, CIDR, `default`, filters or tags.

use std::sync::Arc;

use aws_sdk_ec2::types::VpcAttributeName;
use labform_sdk::{async_trait, Attribute, BlockSchema, DataSource, ProviderError, Type, Value};

use crate::client::Aws;
use crate::data::{exactly_one, filters};
use crate::ec2::{arn, filter, tag_map};
use crate::errors;
use crate::schema_util::{self as su, b, s, smap};

pub struct VpcData {
    aws: Arc<Aws>,
    schema: BlockSchema,
}

pub fn schema() -> BlockSchema {
    let sc = BlockSchema::new()
        .attr("cidr_block", Attribute::optional_computed(s()))
        .attr("default", Attribute::optional_computed(b()))
        .attr("dhcp_options_id", Attribute::optional_computed(s()))
        .attr("state", Attribute::optional_computed(s()))
        .attr("tags", Attribute::optional_computed(smap()))
        .attr("arn", Attribute::computed(s()))
        .attr(
            "cidr_block_associations",
            Attribute::computed(Type::list(Type::Any)),
        )
        .attr("enable_dns_hostnames", Attribute::computed(b()))
        .attr("enable_dns_support", Attribute::computed(b()))
        .attr(
            "enable_network_address_usage_metrics",
            Attribute::computed(b()),
        )
        .attr("instance_tenancy", Attribute::computed(s()))
        .attr("ipv6_association_id", Attribute::computed(s()))
        .attr("ipv6_cidr_block", Attribute::computed(s()))
        .attr("main_route_table_id", Attribute::computed(s()))
        .attr("owner_id", Attribute::computed(s()));
    su::timeouts(
        su::filter_block(su::regional(sc)).attr("id", Attribute::optional_computed(s())),
        &["read"],
    )
}

impl VpcData {
    pub fn new(aws: Arc<Aws>) -> Self {
        VpcData {
            aws,
            schema: schema(),
        }
    }

    async fn flag(&self, id: &str, attr: VpcAttributeName) -> bool {
        match self
            .aws
            .ec2
            .describe_vpc_attribute()
            .vpc_id(id)
            .attribute(attr.clone())
            .send()
            .await
        {
            Ok(o) => match attr {
                VpcAttributeName::EnableDnsSupport => o.enable_dns_support(),
                VpcAttributeName::EnableDnsHostnames => o.enable_dns_hostnames(),
                _ => o.enable_network_address_usage_metrics(),
            }
            .and_then(|b| b.value())
            .unwrap_or(false),
            Err(_) => false,
        }
    }
}

#[async_trait]
impl DataSource for VpcData {
    fn type_name(&self) -> &'static str {
        "aws_vpc"
    }
    fn schema(&self) -> &BlockSchema {
        &self.schema
    }
    async fn read(&self, config: &Value) -> Result<Value, ProviderError> {
        let mut flt = filters(config, true);
        for (attr, name) in [
            ("cidr_block", "cidr"),
            ("dhcp_options_id", "dhcp-options-id"),
            ("state", "state"),
        ] {
            if let Some(x) = config.str_attr(attr) {
                flt.push(filter(name, &[x]));
            }
        }
        if config.get("default").as_bool() == Some(true) {
            flt.push(filter("is-default", &["true"]));
        }
        let mut req =
            self.aws
                .ec2
                .describe_vpcs()
                .set_filters(if flt.is_empty() { None } else { Some(flt) });
        if let Some(id) = config.str_attr("id") {
            req = req.vpc_ids(id);
        }
        let out = req
            .send()
            .await
            .map_err(|e| errors::sdk("looking up vpcs", e))?;
        if let Some(e) = exactly_one("vpc", out.vpcs().len()) {
            return Err(e);
        }
        let vpc = &out.vpcs()[0];
        let id = vpc.vpc_id().unwrap_or("");
        let owner = vpc.owner_id().unwrap_or("");
        let main_rt = self
            .aws
            .ec2
            .describe_route_tables()
            .filters(filter("vpc-id", &[id]))
            .filters(filter("association.main", &["true"]))
            .send()
            .await
            .ok()
            .and_then(|o| {
                o.route_tables()
                    .first()
                    .and_then(|t| t.route_table_id())
                    .map(str::to_string)
            })
            .unwrap_or_default();
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
        let ipv6 = vpc.ipv6_cidr_block_association_set().first();
        let mut v = config.clone();
        v.set("id", id.into());
        v.set("region", self.aws.region.as_str().into());
        v.set("arn", arn(&self.aws, owner, "vpc", id).into());
        v.set("owner_id", owner.into());
        v.set("cidr_block", vpc.cidr_block().unwrap_or("").into());
        v.set("default", vpc.is_default().unwrap_or(false).into());
        v.set(
            "dhcp_options_id",
            vpc.dhcp_options_id().unwrap_or("").into(),
        );
        v.set(
            "state",
            vpc.state().map(|s| s.as_str()).unwrap_or("").into(),
        );
        v.set(
            "instance_tenancy",
            vpc.instance_tenancy()
                .map(|s| s.as_str())
                .unwrap_or("")
                .into(),
        );
        v.set("tags", Value::string_map(tag_map(vpc.tags())));
        v.set("cidr_block_associations", Value::List(assocs));
        v.set(
            "enable_dns_support",
            self.flag(id, VpcAttributeName::EnableDnsSupport)
                .await
                .into(),
        );
        v.set(
            "enable_dns_hostnames",
            self.flag(id, VpcAttributeName::EnableDnsHostnames)
                .await
                .into(),
        );
        v.set(
            "enable_network_address_usage_metrics",
            self.flag(id, VpcAttributeName::EnableNetworkAddressUsageMetrics)
                .await
                .into(),
        );
        v.set(
            "ipv6_association_id",
            ipv6.and_then(|a| a.association_id()).unwrap_or("").into(),
        );
        v.set(
            "ipv6_cidr_block",
            ipv6.and_then(|a| a.ipv6_cidr_block()).unwrap_or("").into(),
        );
        v.set("main_route_table_id", main_rt.into());
        Ok(su::known(v))
    }
}
