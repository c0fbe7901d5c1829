//! `data "aws_subnet"`: exactly one subnet by id, VPC, zone, CIDR, filters or tags.

use std::sync::Arc;

use labform_sdk::{async_trait, Attribute, BlockSchema, DataSource, ProviderError, Value};

use crate::client::Aws;
use crate::data::{exactly_one, filters};
use crate::ec2::{filter, tag_map};
use crate::errors;
use crate::schema_util::{self as su, b, n, s, smap};

pub struct SubnetData {
    aws: Arc<Aws>,
    schema: BlockSchema,
}

pub fn schema() -> BlockSchema {
    let mut sc = BlockSchema::new()
        .attr("availability_zone", Attribute::optional_computed(s()))
        .attr("availability_zone_id", Attribute::optional_computed(s()))
        .attr("cidr_block", Attribute::optional_computed(s()))
        .attr("default_for_az", Attribute::optional_computed(b()))
        .attr("ipv6_cidr_block", Attribute::optional_computed(s()))
        .attr("state", Attribute::optional_computed(s()))
        .attr("vpc_id", Attribute::optional_computed(s()))
        .attr("tags", Attribute::optional_computed(smap()))
        .attr("available_ip_address_count", Attribute::computed(n()));
    for a in [
        "arn",
        "customer_owned_ipv4_pool",
        "ipv6_cidr_block_association_id",
        "outpost_arn",
        "owner_id",
        "private_dns_hostname_type_on_launch",
    ] {
        sc = sc.attr(a, Attribute::computed(s()));
    }
    for a in [
        "assign_ipv6_address_on_creation",
        "enable_dns64",
        "enable_resource_name_dns_a_record_on_launch",
        "enable_resource_name_dns_aaaa_record_on_launch",
        "ipv6_native",
        "map_customer_owned_ip_on_launch",
        "map_public_ip_on_launch",
    ] {
        sc = sc.attr(a, Attribute::computed(b()));
    }
    su::timeouts(
        su::filter_block(su::regional(sc)).attr("id", Attribute::optional_computed(s())),
        &["read"],
    )
}

impl SubnetData {
    pub fn new(aws: Arc<Aws>) -> Self {
        SubnetData {
            aws,
            schema: schema(),
        }
    }
}

#[async_trait]
impl DataSource for SubnetData {
    fn type_name(&self) -> &'static str {
        "aws_subnet"
    }
    fn schema(&self) -> &BlockSchema {
        &self.schema
    }
    async fn read(&self, config: &Value) -> Result<Value, ProviderError> {
        let mut flt = filters(config, true);
        for (attr, name) in [
            ("availability_zone", "availability-zone"),
            ("availability_zone_id", "availability-zone-id"),
            ("cidr_block", "cidr-block"),
            (
                "ipv6_cidr_block",
                "ipv6-cidr-block-association.ipv6-cidr-block",
            ),
            ("state", "state"),
            ("vpc_id", "vpc-id"),
        ] {
            if let Some(x) = config.str_attr(attr) {
                flt.push(filter(name, &[x]));
            }
        }
        if let Some(d) = config.get("default_for_az").as_bool() {
            flt.push(filter(
                "default-for-az",
                &[if d { "true" } else { "false" }],
            ));
        }
        let mut req = self
            .aws
            .ec2
            .describe_subnets()
            .set_filters(if flt.is_empty() { None } else { Some(flt) });
        if let Some(id) = config.str_attr("id") {
            req = req.subnet_ids(id);
        }
        let out = req
            .send()
            .await
            .map_err(|e| errors::sdk("looking up subnets", e))?;
        if let Some(e) = exactly_one("subnet", out.subnets().len()) {
            return Err(e);
        }
        let sn = &out.subnets()[0];
        let id = sn.subnet_id().unwrap_or("");
        let owner = sn.owner_id().unwrap_or("");
        let dns = sn.private_dns_name_options_on_launch();
        let ipv6 = sn.ipv6_cidr_block_association_set().first();
        let mut v = config.clone();
        v.set("id", id.into());
        v.set("region", self.aws.region.as_str().into());
        v.set(
            "arn",
            sn.subnet_arn()
                .map(str::to_string)
                .unwrap_or_else(|| crate::ec2::arn(&self.aws, owner, "subnet", id))
                .into(),
        );
        v.set("owner_id", owner.into());
        v.set("vpc_id", sn.vpc_id().unwrap_or("").into());
        v.set("cidr_block", sn.cidr_block().unwrap_or("").into());
        v.set(
            "availability_zone",
            sn.availability_zone().unwrap_or("").into(),
        );
        v.set(
            "availability_zone_id",
            sn.availability_zone_id().unwrap_or("").into(),
        );
        v.set(
            "default_for_az",
            sn.default_for_az().unwrap_or(false).into(),
        );
        v.set("state", sn.state().map(|s| s.as_str()).unwrap_or("").into());
        v.set(
            "available_ip_address_count",
            Value::Number(f64::from(sn.available_ip_address_count().unwrap_or(0))),
        );
        v.set(
            "customer_owned_ipv4_pool",
            sn.customer_owned_ipv4_pool().unwrap_or("").into(),
        );
        v.set("outpost_arn", sn.outpost_arn().unwrap_or("").into());
        v.set(
            "ipv6_cidr_block",
            ipv6.and_then(|a| a.ipv6_cidr_block()).unwrap_or("").into(),
        );
        v.set(
            "ipv6_cidr_block_association_id",
            ipv6.and_then(|a| a.association_id()).unwrap_or("").into(),
        );
        v.set(
            "assign_ipv6_address_on_creation",
            sn.assign_ipv6_address_on_creation().unwrap_or(false).into(),
        );
        v.set("enable_dns64", sn.enable_dns64().unwrap_or(false).into());
        v.set("ipv6_native", sn.ipv6_native().unwrap_or(false).into());
        v.set(
            "map_customer_owned_ip_on_launch",
            sn.map_customer_owned_ip_on_launch().unwrap_or(false).into(),
        );
        v.set(
            "map_public_ip_on_launch",
            sn.map_public_ip_on_launch().unwrap_or(false).into(),
        );
        v.set(
            "enable_resource_name_dns_a_record_on_launch",
            dns.and_then(|d| d.enable_resource_name_dns_a_record())
                .unwrap_or(false)
                .into(),
        );
        v.set(
            "enable_resource_name_dns_aaaa_record_on_launch",
            dns.and_then(|d| d.enable_resource_name_dns_aaaa_record())
                .unwrap_or(false)
                .into(),
        );
        v.set(
            "private_dns_hostname_type_on_launch",
            dns.and_then(|d| d.hostname_type())
                .map(|h| h.as_str())
                .unwrap_or("ip-name")
                .into(),
        );
        v.set("tags", Value::string_map(tag_map(sn.tags())));
        Ok(su::known(v))
    }
}
