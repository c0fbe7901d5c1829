//! `data "aws_subnet"`: exactly one subnet by id, VPC, zone, CIDR, filters or tags.

use std::sync::Arc;

use labform_sdk::{async_trait, Attribute, BlockSchema, DataSource, Resource, Result, Value};

use crate::client::Aws;
use crate::data::{filters, from_resource, lookup_schema, some_filters, the_one};
use crate::ec2::subnet::Subnet;
use crate::ec2::{filter, tag_map};
use crate::errors;
use crate::schema_util::{self as su, b, n, s, smap};

labform_sdk::typed! {
    pub struct SubnetData("aws_subnet") {
        aws: Arc<Aws>,
        /// Maps the describe answer as the resource does.
        resource: Subnet,
    }
    schema: schema()
}

pub fn schema() -> BlockSchema {
    let mut sc = BlockSchema::new()
        .attrs(
            &["availability_zone", "availability_zone_id", "cidr_block"],
            Attribute::optional_computed(s()),
        )
        .attr("default_for_az", Attribute::optional_computed(b()))
        .attrs(
            &["ipv6_cidr_block", "state", "vpc_id"],
            Attribute::optional_computed(s()),
        )
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
    lookup_schema(sc, Attribute::optional_computed(s()))
}

#[async_trait]
impl DataSource for SubnetData {
    async fn read(&self, config: &Value) -> Result<Value> {
        let mut flt = filters(config, true);
        if let Some(d) = config.get("default_for_az").as_bool() {
            flt.push(filter("default-for-az", &[&d.to_string()]));
        }
        let by = [
            ("availability_zone", "availability-zone"),
            ("availability_zone_id", "availability-zone-id"),
            ("cidr_block", "cidr-block"),
            (
                "ipv6_cidr_block",
                "ipv6-cidr-block-association.ipv6-cidr-block",
            ),
            ("state", "state"),
            ("vpc_id", "vpc-id"),
        ];
        let out = self
            .aws
            .ec2
            .describe_subnets()
            .set_filters(some_filters(flt, config, &by))
            .set_subnet_ids(config.str_attr("id").map(|id| vec![id.to_string()]))
            .send()
            .await
            .map_err(|e| errors::sdk("looking up subnets", e))?;
        let sn = the_one("subnet", out.subnets())?;
        let blank = self.resource.blank();
        let mut v = from_resource(&self.schema, config, &self.resource.value_of(sn, &blank));
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
            "map_customer_owned_ip_on_launch",
            sn.map_customer_owned_ip_on_launch().unwrap_or(false).into(),
        );
        v.set("tags", Value::string_map(tag_map(sn.tags())));
        Ok(su::known(v))
    }
}
