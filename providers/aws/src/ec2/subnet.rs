//! `aws_subnet`: a subnet of a VPC and its launch-time attributes.

use std::sync::Arc;

use aws_sdk_ec2::types::{AttributeBooleanValue, HostnameType, ResourceType};
use labform_sdk::{
    async_trait, by_id, Attribute, BlockSchema, Marked, OpContext, PlannedChange, ProviderError,
    ReadBack, Resource, Result, StackFilter, Value,
};

use crate::adopt;
use crate::client::Aws;
use crate::ec2::holders::subnet_dependents;
use crate::ec2::{or_held, retag, some_str, tag_map, tag_spec};
use crate::retry;
use crate::schema_util::{self as su, b, s};
use crate::unfinished::made;
use crate::{errors, tags};

/// Launch attributes that default to false and are changed with ModifySubnetAttribute.
const BOOL_ATTRS: [&str; 4] = [
    "map_public_ip_on_launch",
    "enable_dns64",
    "enable_resource_name_dns_a_record_on_launch",
    "enable_resource_name_dns_aaaa_record_on_launch",
];

labform_sdk::typed! {
    pub struct Subnet("aws_subnet", "subnet") { aws: Arc<Aws> }
    schema: schema()
}

pub fn schema() -> BlockSchema {
    let mut sc = BlockSchema::new()
        .attr("vpc_id", Attribute::required(s()).force_new())
        .attr("cidr_block", Attribute::optional_computed(s()).force_new())
        .attr(
            "availability_zone",
            Attribute::optional_computed(s()).force_new(),
        )
        .attr(
            "availability_zone_id",
            Attribute::optional_computed(s()).force_new(),
        )
        .attr(
            "assign_ipv6_address_on_creation",
            Attribute::optional(b()).default(false),
        )
        .attr(
            "ipv6_native",
            Attribute::optional(b()).default(false).force_new(),
        )
        .attr(
            "private_dns_hostname_type_on_launch",
            Attribute::optional_computed(s()),
        )
        .attrs(
            &[
                "ipv6_cidr_block",
                "ipv6_cidr_block_association_id",
                "arn",
                "owner_id",
            ],
            Attribute::computed(s()),
        );
    for a in BOOL_ATTRS {
        sc = sc.attr(a, Attribute::optional(b()).default(false));
    }
    su::timeouts(su::tagged(su::regional(sc)), &["create", "delete"])
}

/// Checks an IPv4 CIDR: a network address (host bits zero) with a prefix in `min..=max`.
pub fn check_cidr(cidr: &str, min: u8, max: u8, attr: &str) -> Result<()> {
    let bad = |why: String| {
        Err(ProviderError::invalid(format!(
            "`{attr}` is `{cidr}`: {why}"
        )))
    };
    let Some((ip, len)) = cidr.split_once('/') else {
        return bad("an IPv4 CIDR such as `10.0.0.0/16` is required".into());
    };
    let Ok(addr) = ip.parse::<std::net::Ipv4Addr>() else {
        return bad("the address is not an IPv4 address".into());
    };
    let Ok(len) = len.parse::<u8>() else {
        return bad("the prefix length is not a number".into());
    };
    if len > 32 {
        return bad("the prefix length must be at most 32".into());
    }
    if len < min || len > max {
        return bad(format!(
            "the prefix length must be between /{min} and /{max}"
        ));
    }
    let bits = u32::from(addr);
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    if bits & !mask != 0 {
        let net = std::net::Ipv4Addr::from(bits & mask);
        return Err(
            ProviderError::invalid(format!("`{attr}` is `{cidr}`: host bits are set"))
                .with_hint(format!("use the network address `{net}/{len}`")),
        );
    }
    Ok(())
}

impl Subnet {
    async fn modify(&self, id: &str, name: &str, value: &Value) -> Result<()> {
        let mut req = self.aws.ec2.modify_subnet_attribute().subnet_id(id);
        let flag = || {
            AttributeBooleanValue::builder()
                .value(value.as_bool().unwrap_or(false))
                .build()
        };
        req = match name {
            "map_public_ip_on_launch" => req.map_public_ip_on_launch(flag()),
            "enable_dns64" => req.enable_dns64(flag()),
            "enable_resource_name_dns_a_record_on_launch" => {
                req.enable_resource_name_dns_a_record_on_launch(flag())
            }
            "enable_resource_name_dns_aaaa_record_on_launch" => {
                req.enable_resource_name_dns_aaaa_record_on_launch(flag())
            }
            "assign_ipv6_address_on_creation" => req.assign_ipv6_address_on_creation(flag()),
            "private_dns_hostname_type_on_launch" => req.private_dns_hostname_type_on_launch(
                HostnameType::from(value.as_str().unwrap_or("ip-name")),
            ),
            _ => return Ok(()),
        };
        req.send()
            .await
            .map(|_| ())
            .map_err(|e| errors::sdk(&format!("setting `{name}` on subnet `{id}`"), e))
    }

    /// The value of one described object (`current` supplies what the API does not return).
    pub(crate) fn value_of(&self, sn: &aws_sdk_ec2::types::Subnet, current: &Value) -> Value {
        let id = sn.subnet_id().unwrap_or("");
        let (tags, tags_all) =
            tags::split_remote(&self.aws, tag_map(sn.tags()), current.get("tags"));
        let owner = sn.owner_id().unwrap_or("").to_string();
        let dns = sn.private_dns_name_options_on_launch();
        let ipv6 = sn.ipv6_cidr_block_association_set().first();
        let mut v = self.schema.empty_value();
        su::keep(&mut v, current, &["timeouts"]);
        v.set("id", id.into());
        v.set(
            "arn",
            sn.subnet_arn()
                .map(str::to_string)
                .unwrap_or_else(|| crate::ec2::arn(&self.aws, &owner, "subnet", id))
                .into(),
        );
        v.set("owner_id", owner.into());
        v.set("region", self.aws.region.as_str().into());
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
            "map_public_ip_on_launch",
            sn.map_public_ip_on_launch().unwrap_or(false).into(),
        );
        v.set(
            "assign_ipv6_address_on_creation",
            sn.assign_ipv6_address_on_creation().unwrap_or(false).into(),
        );
        v.set("enable_dns64", sn.enable_dns64().unwrap_or(false).into());
        v.set("ipv6_native", sn.ipv6_native().unwrap_or(false).into());
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
        v.set(
            "ipv6_cidr_block",
            ipv6.and_then(|a| a.ipv6_cidr_block()).unwrap_or("").into(),
        );
        v.set(
            "ipv6_cidr_block_association_id",
            ipv6.and_then(|a| a.association_id()).unwrap_or("").into(),
        );
        v.set("tags", tags);
        v.set("tags_all", tags_all);
        v
    }
}

#[async_trait]
impl Resource for Subnet {
    async fn read_id(&self, id: &str, current: &Value) -> Result<Option<Value>> {
        let answer = self.aws.ec2.describe_subnets().subnet_ids(id).send().await;
        errors::found_first(&format!("reading subnet `{id}`"), answer, |out| {
            out.subnets().first().map(|x| self.value_of(x, current))
        })
    }

    /// Found by the per-instance mark its create wrote through `TagSpecifications`.
    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        adopt::ec2_read_by_mark(self, &self.aws, ResourceType::Subnet, token, intent).await
    }

    fn validate(&self, config: &Value) -> Result<()> {
        if let Some(cidr) = config.str_attr("cidr_block") {
            check_cidr(cidr, 16, 28, "cidr_block")?;
        }
        labform_sdk::validate::at_most_one(config, &["availability_zone", "availability_zone_id"])?;
        Ok(())
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        su::plan(&self.aws, &self.schema, prior, config)
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let vpc = su::req(planned, "vpc_id")?;
        let all = tags::for_create(&self.aws, planned.get("tags"), ctx);
        let out = self
            .aws
            .ec2
            .create_subnet()
            .vpc_id(vpc)
            .set_cidr_block(some_str(planned, "cidr_block"))
            .set_availability_zone(some_str(planned, "availability_zone"))
            .set_availability_zone_id(some_str(planned, "availability_zone_id"))
            .set_ipv6_native(planned.get("ipv6_native").as_bool().filter(|b| *b))
            .tag_specifications(tag_spec(ResourceType::Subnet, &all))
            .send()
            .await
            .map_err(|e| errors::sdk(&format!("creating a subnet in vpc `{vpc}`"), e))?;
        let id = out
            .subnet()
            .and_then(|s| s.subnet_id())
            .unwrap_or("")
            .to_string();
        let partial = |e: ProviderError| e.with_partial(made(planned, &id));
        for a in BOOL_ATTRS
            .iter()
            .chain(["assign_ipv6_address_on_creation"].iter())
        {
            if planned.get(a).as_bool() == Some(true) {
                self.modify(&id, a, planned.get(a)).await.map_err(partial)?;
            }
        }
        if let Some(h) = planned
            .str_attr("private_dns_hostname_type_on_launch")
            .filter(|h| *h != "ip-name")
        {
            self.modify(&id, "private_dns_hostname_type_on_launch", &Value::from(h))
                .await
                .map_err(partial)?;
        }
        self.read_id(&id, planned)
            .await
            .map_err(partial)?
            .or_vanished(&format!("subnet `{id}`"))
    }

    async fn update(&self, prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        let id = su::req(prior, "id")?;
        for a in BOOL_ATTRS.iter().chain(
            [
                "assign_ipv6_address_on_creation",
                "private_dns_hostname_type_on_launch",
            ]
            .iter(),
        ) {
            let want = planned.get(a);
            if want.is_wholly_known() && !want.is_null() && prior.get(a) != want {
                self.modify(id, a, want).await?;
            }
        }
        retag(&self.aws, id, prior, planned).await?;
        by_id::updated(self, id, planned).await
    }

    async fn delete(&self, prior: &Value, _ctx: &OpContext) -> Result<()> {
        let Some(id) = prior.str_attr("id") else {
            return Ok(());
        };
        let r = retry::delete(&format!("deleting subnet `{id}`"), || {
            self.aws.ec2.delete_subnet().subnet_id(id).send()
        })
        .await;
        or_held(r, || subnet_dependents(&self.aws, id)).await
    }

    async fn list_marked(&self, filter: &StackFilter) -> Result<Vec<Marked>> {
        let empty = self.schema.empty_value();
        crate::ec2::list_described(
            filter,
            "subnets",
            |f| self.aws.ec2.describe_subnets().set_filters(Some(f)).send(),
            |out| {
                out.subnets()
                    .iter()
                    .map(|x| self.value_of(x, &empty))
                    .collect()
            },
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidrs_are_checked_like_aws() {
        assert!(check_cidr("10.0.0.0/16", 16, 28, "cidr_block").is_ok());
        assert!(check_cidr("10.0.1.0/24", 16, 28, "cidr_block").is_ok());
        assert!(check_cidr("10.0.0.1/24", 16, 28, "cidr_block")
            .unwrap_err()
            .hint
            .unwrap()
            .contains("10.0.0.0/24"));
        assert!(check_cidr("10.0.0.0/8", 16, 28, "cidr_block").is_err());
        assert!(check_cidr("10.0.0.0", 16, 28, "cidr_block").is_err());
    }
}
