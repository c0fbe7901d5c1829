//! `aws_vpc`: a VPC, its DNS attributes, and the ids of the defaults AWS makes with it (main
//! route table, default security group, default network ACL).

use std::sync::Arc;

use aws_sdk_ec2::types::{AttributeBooleanValue, ResourceType, Tenancy, VpcAttributeName};
use labform_sdk::{
    async_trait, by_id, Attribute, BlockSchema, Marked, OpContext, PlannedChange, ProviderError,
    ReadBack, Resource, Result, StackFilter, Value,
};

use crate::adopt;
use crate::client::Aws;
use crate::ec2::{arn, filter, or_held, retag, tag_map, tag_spec, vpc_dependents};
use crate::retry;
use crate::schema_util::{self as su, b, s};
use crate::unfinished::made;
use crate::{errors, tags};

labform_sdk::typed! {
    pub struct Vpc("aws_vpc", "vpc") { aws: Arc<Aws> }
    schema: schema()
}

pub fn schema() -> BlockSchema {
    let sc = BlockSchema::new()
        .attr("cidr_block", Attribute::optional_computed(s()).force_new())
        .attr("enable_dns_support", Attribute::optional(b()).default(true))
        .attr("enable_dns_hostnames", Attribute::optional_computed(b()))
        .attr(
            "enable_network_address_usage_metrics",
            Attribute::optional_computed(b()),
        )
        .attr(
            "instance_tenancy",
            Attribute::optional(s()).default("default"),
        )
        .attr("assign_generated_ipv6_cidr_block", Attribute::optional(b()))
        .attrs(
            &[
                "arn",
                "owner_id",
                "main_route_table_id",
                "default_route_table_id",
                "default_security_group_id",
                "default_network_acl_id",
                "dhcp_options_id",
                "ipv6_association_id",
                "ipv6_cidr_block",
            ],
            Attribute::computed(s()),
        );
    su::tagged(su::regional(sc))
}

impl Vpc {
    async fn set_bool(&self, id: &str, attr: VpcAttributeName, value: bool) -> Result<()> {
        let v = AttributeBooleanValue::builder().value(value).build();
        let mut req = self.aws.ec2.modify_vpc_attribute().vpc_id(id);
        req = match attr {
            VpcAttributeName::EnableDnsSupport => req.enable_dns_support(v),
            VpcAttributeName::EnableDnsHostnames => req.enable_dns_hostnames(v),
            _ => req.enable_network_address_usage_metrics(v),
        };
        req.send()
            .await
            .map(|_| ())
            .map_err(|e| errors::sdk(&format!("setting {} on vpc `{id}`", attr.as_str()), e))
    }

    async fn get_bool(&self, id: &str, attr: VpcAttributeName) -> Result<bool> {
        let out = self
            .aws
            .ec2
            .describe_vpc_attribute()
            .vpc_id(id)
            .attribute(attr.clone())
            .send()
            .await
            .map_err(|e| errors::sdk(&format!("reading {} of vpc `{id}`", attr.as_str()), e))?;
        let v = match attr {
            VpcAttributeName::EnableDnsSupport => out.enable_dns_support(),
            VpcAttributeName::EnableDnsHostnames => out.enable_dns_hostnames(),
            _ => out.enable_network_address_usage_metrics(),
        };
        Ok(v.and_then(|v| v.value()).unwrap_or(false))
    }
}

#[async_trait]
impl Resource for Vpc {
    async fn read_id(&self, id: &str, current: &Value) -> Result<Option<Value>> {
        let Some(out) = errors::found(
            &format!("reading vpc `{id}`"),
            self.aws.ec2.describe_vpcs().vpc_ids(id).send().await,
        )?
        else {
            return Ok(None);
        };
        let Some(vpc) = out.vpcs().first() else {
            return Ok(None);
        };
        let owner = vpc.owner_id().unwrap_or("").to_string();
        let by_vpc = filter("vpc-id", &[id]);
        let main_rt = self
            .aws
            .ec2
            .describe_route_tables()
            .filters(by_vpc.clone())
            .filters(filter("association.main", &["true"]))
            .send()
            .await
            .map_err(|e| errors::sdk(&format!("reading the main route table of vpc `{id}`"), e))?
            .route_tables()
            .first()
            .and_then(|t| t.route_table_id())
            .unwrap_or("")
            .to_string();
        let default_sg = self
            .aws
            .ec2
            .describe_security_groups()
            .filters(by_vpc.clone())
            .filters(filter("group-name", &["default"]))
            .send()
            .await
            .map_err(|e| {
                errors::sdk(
                    &format!("reading the default security group of vpc `{id}`"),
                    e,
                )
            })?
            .security_groups()
            .first()
            .and_then(|g| g.group_id())
            .unwrap_or("")
            .to_string();
        let default_acl = match self
            .aws
            .ec2
            .describe_network_acls()
            .filters(by_vpc)
            .filters(filter("default", &["true"]))
            .send()
            .await
        {
            Ok(o) => o
                .network_acls()
                .first()
                .and_then(|a| a.network_acl_id())
                .unwrap_or("")
                .to_string(),
            Err(_) => String::new(),
        };
        let dns_support = self
            .get_bool(id, VpcAttributeName::EnableDnsSupport)
            .await?;
        let dns_hostnames = self
            .get_bool(id, VpcAttributeName::EnableDnsHostnames)
            .await?;
        let usage_metrics = self
            .get_bool(id, VpcAttributeName::EnableNetworkAddressUsageMetrics)
            .await
            .unwrap_or(false);
        let (tags, tags_all) =
            tags::split_remote(&self.aws, tag_map(vpc.tags()), current.get("tags"));
        let ipv6 = vpc.ipv6_cidr_block_association_set().first();
        let mut v = self.schema.empty_value();
        su::keep(&mut v, current, &["assign_generated_ipv6_cidr_block"]);
        v.set("id", id.into());
        v.set("arn", arn(&self.aws, &owner, "vpc", id).into());
        v.set("owner_id", owner.into());
        v.set("region", self.aws.region.as_str().into());
        v.set("cidr_block", vpc.cidr_block().unwrap_or("").into());
        v.set(
            "instance_tenancy",
            vpc.instance_tenancy()
                .map(|t| t.as_str())
                .unwrap_or("default")
                .into(),
        );
        v.set(
            "dhcp_options_id",
            vpc.dhcp_options_id().unwrap_or("").into(),
        );
        v.set("enable_dns_support", dns_support.into());
        v.set("enable_dns_hostnames", dns_hostnames.into());
        v.set("enable_network_address_usage_metrics", usage_metrics.into());
        v.set("main_route_table_id", main_rt.as_str().into());
        v.set("default_route_table_id", main_rt.into());
        v.set("default_security_group_id", default_sg.into());
        v.set("default_network_acl_id", default_acl.into());
        v.set(
            "ipv6_association_id",
            ipv6.and_then(|a| a.association_id()).unwrap_or("").into(),
        );
        v.set(
            "ipv6_cidr_block",
            ipv6.and_then(|a| a.ipv6_cidr_block()).unwrap_or("").into(),
        );
        v.set("tags", tags);
        v.set("tags_all", tags_all);
        Ok(Some(v))
    }

    /// Found by the per-instance mark its create wrote through `TagSpecifications`.
    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        adopt::ec2_read_by_mark(self, &self.aws, ResourceType::Vpc, token, intent).await
    }

    fn validate(&self, config: &Value) -> Result<()> {
        if let Some(cidr) = config.str_attr("cidr_block") {
            crate::ec2::subnet::check_cidr(cidr, 16, 28, "cidr_block")?;
        }
        if let Some(t) = config.str_attr("instance_tenancy") {
            if t != "default" && t != "dedicated" {
                return Err(ProviderError::invalid(format!(
                    "`instance_tenancy` is `{t}`: it must be `default` or `dedicated`"
                )));
            }
        }
        if config.get("cidr_block").is_null() {
            return Err(ProviderError::invalid(
                "`cidr_block` must be set (IPAM pools are not supported yet)",
            ));
        }
        Ok(())
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        let mut p = su::plan(&self.aws, &self.schema, prior, config)?;
        // instance_tenancy: only dedicated -> default is possible in place.
        if let Some(prior) = prior {
            let (old, new) = (
                prior.str_attr("instance_tenancy"),
                p.planned.str_attr("instance_tenancy"),
            );
            let in_place = old == Some("dedicated") && new == Some("default");
            if old.is_some() && new.is_some() && old != new && !in_place {
                let mut fresh = su::plan(&self.aws, &self.schema, None, config)?;
                fresh.requires_replace.push(vec!["instance_tenancy".into()]);
                p = fresh;
            }
        }
        if p.planned.get("id").is_unknown() {
            // A new VPC: the API defaults are known.
            for name in [
                "enable_dns_hostnames",
                "enable_network_address_usage_metrics",
            ] {
                if config.get(name).is_null() {
                    p.planned.set(name, false.into());
                }
            }
        }
        Ok(p)
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let cidr = su::req(planned, "cidr_block")?;
        let all = tags::for_create(&self.aws, planned.get("tags"), ctx);
        let mut req = self
            .aws
            .ec2
            .create_vpc()
            .cidr_block(cidr)
            .instance_tenancy(Tenancy::from(
                planned.str_attr("instance_tenancy").unwrap_or("default"),
            ))
            .tag_specifications(tag_spec(ResourceType::Vpc, &all));
        if planned.bool_attr("assign_generated_ipv6_cidr_block", false) {
            req = req.amazon_provided_ipv6_cidr_block(true);
        }
        let out = req
            .send()
            .await
            .map_err(|e| errors::sdk("creating vpc", e))?;
        let id = out.vpc().and_then(|v| v.vpc_id()).unwrap_or("").to_string();
        let partial = |e: ProviderError| e.with_partial(made(planned, &id));
        if !planned.bool_attr("enable_dns_support", true) {
            self.set_bool(&id, VpcAttributeName::EnableDnsSupport, false)
                .await
                .map_err(partial)?;
        }
        if planned.get("enable_dns_hostnames").as_bool() == Some(true) {
            self.set_bool(&id, VpcAttributeName::EnableDnsHostnames, true)
                .await
                .map_err(partial)?;
        }
        if planned
            .get("enable_network_address_usage_metrics")
            .as_bool()
            == Some(true)
        {
            self.set_bool(
                &id,
                VpcAttributeName::EnableNetworkAddressUsageMetrics,
                true,
            )
            .await
            .map_err(partial)?;
        }
        self.read_id(&id, planned)
            .await
            .map_err(partial)?
            .or_vanished(&format!("vpc `{id}`"))
    }

    async fn update(&self, prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        let id = su::req(prior, "id")?;
        for (name, attr) in [
            ("enable_dns_support", VpcAttributeName::EnableDnsSupport),
            ("enable_dns_hostnames", VpcAttributeName::EnableDnsHostnames),
            (
                "enable_network_address_usage_metrics",
                VpcAttributeName::EnableNetworkAddressUsageMetrics,
            ),
        ] {
            if let Some(want) = planned.get(name).as_bool() {
                if prior.get(name).as_bool() != Some(want) {
                    self.set_bool(id, attr, want).await?;
                }
            }
        }
        if prior.str_attr("instance_tenancy") != planned.str_attr("instance_tenancy") {
            self.aws
                .ec2
                .modify_vpc_tenancy()
                .vpc_id(id)
                .instance_tenancy(aws_sdk_ec2::types::VpcTenancy::Default)
                .send()
                .await
                .map_err(|e| errors::sdk(&format!("changing the tenancy of vpc `{id}`"), e))?;
        }
        retag(&self.aws, id, prior, planned).await?;
        by_id::updated(self, id, planned).await
    }

    async fn delete(&self, prior: &Value, _ctx: &OpContext) -> Result<()> {
        let Some(id) = prior.str_attr("id") else {
            return Ok(());
        };
        let r = retry::delete(&format!("deleting vpc `{id}`"), || {
            self.aws.ec2.delete_vpc().vpc_id(id).send()
        })
        .await;
        or_held(r, || vpc_dependents(&self.aws, id)).await
    }

    async fn list_marked(&self, filter: &StackFilter) -> Result<Vec<Marked>> {
        // The DNS attributes need a call each: read every vpc in full.
        crate::ec2::list_read(
            self,
            filter,
            "vpcs",
            |f| self.aws.ec2.describe_vpcs().set_filters(Some(f)).send(),
            |out| {
                // A VPC's answer does not say when it was made.
                out.vpcs()
                    .iter()
                    .filter_map(|x| Some((x.vpc_id()?.to_string(), None)))
                    .collect()
            },
        )
        .await
    }
}
