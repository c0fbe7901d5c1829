//! `aws_vpc_security_group_ingress_rule` / `aws_vpc_security_group_egress_rule`: one rule with
//! one source, its own id (`sgr-...`) and tags; changed in place with ModifySecurityGroupRules.

use std::sync::Arc;

use aws_sdk_ec2::types::{
    IpPermission, ResourceType, SecurityGroupRuleRequest, SecurityGroupRuleUpdate,
};
use labform_sdk::{
    async_trait, by_id, Attribute, BlockSchema, OpContext, PlannedChange, ProviderError, Resource,
    Result, Typed, Value,
};

use crate::adopt;
use crate::client::Aws;
use crate::ec2::permissions::{self, int, normalize_protocol, Peers};
use crate::ec2::sg_api::{self, Rules};
use crate::ec2::{filter, retag, some_str, sync_tags, tag_map, tag_spec};
use crate::schema_util::{self as su, n, s, smap};
use crate::{errors, tags};

/// Which of the pair: inbound or outbound rules.
pub use crate::ec2::sg_api::Side as Direction;

pub struct VpcSgRule {
    aws: Arc<Aws>,
    dir: Direction,
    schema: BlockSchema,
}

impl Typed for VpcSgRule {
    fn type_name(&self) -> &'static str {
        match self.dir {
            Direction::Ingress => "aws_vpc_security_group_ingress_rule",
            Direction::Egress => "aws_vpc_security_group_egress_rule",
        }
    }

    fn schema(&self) -> &BlockSchema {
        &self.schema
    }

    fn noun(&self) -> &'static str {
        "security group rule"
    }
}

const SOURCES: [&str; 4] = [
    "cidr_ipv4",
    "cidr_ipv6",
    "prefix_list_id",
    "referenced_security_group_id",
];

pub fn schema() -> BlockSchema {
    let sc = BlockSchema::new()
        .attr("security_group_id", Attribute::required(s()).force_new())
        .attr("ip_protocol", Attribute::required(s()))
        .attrs(&["from_port", "to_port"], Attribute::optional(n()))
        .attrs(
            &[
                "cidr_ipv4",
                "cidr_ipv6",
                "prefix_list_id",
                "referenced_security_group_id",
                "description",
            ],
            Attribute::optional(s()),
        )
        .attrs(&["arn", "security_group_rule_id"], Attribute::computed(s()))
        .attr("tags", Attribute::optional(smap()))
        .attr("tags_all", Attribute::computed(smap()));
    su::regional(sc)
}

impl VpcSgRule {
    pub fn new(aws: Arc<Aws>, dir: Direction) -> Self {
        VpcSgRule {
            aws,
            dir,
            schema: schema(),
        }
    }

    fn request(v: &Value) -> SecurityGroupRuleRequest {
        SecurityGroupRuleRequest::builder()
            .set_ip_protocol(v.str_attr("ip_protocol").map(normalize_protocol))
            .set_from_port(int(v, "from_port"))
            .set_to_port(int(v, "to_port"))
            .set_cidr_ipv4(some_str(v, "cidr_ipv4"))
            .set_cidr_ipv6(some_str(v, "cidr_ipv6"))
            .set_prefix_list_id(some_str(v, "prefix_list_id"))
            .set_referenced_group_id(some_str(v, "referenced_security_group_id"))
            .set_description(some_str(v, "description"))
            .build()
    }

    fn permission(v: &Value) -> IpPermission {
        let one = |name| some_str(v, name).into_iter().collect();
        let peers = Peers {
            ipv4: one("cidr_ipv4"),
            ipv6: one("cidr_ipv6"),
            prefix_lists: one("prefix_list_id"),
            groups: some_str(v, "referenced_security_group_id")
                .map(|g| (None, g))
                .into_iter()
                .collect(),
        };
        permissions::permission(
            &normalize_protocol(v.str_attr("ip_protocol").unwrap_or("-1")),
            (int(v, "from_port"), int(v, "to_port")),
            peers,
            some_str(v, "description"),
        )
    }

    /// Finds the rule just authorised when the API did not return its id.
    async fn find_rule(&self, group: &str, v: &Value) -> Result<Option<String>> {
        let out = self
            .aws
            .ec2
            .describe_security_group_rules()
            .filters(filter("group-id", &[group]))
            .send()
            .await
            .map_err(|e| {
                errors::sdk(&format!("listing the rules of security group `{group}`"), e)
            })?;
        let egress = self.dir == Direction::Egress;
        Ok(out
            .security_group_rules()
            .iter()
            .find(|r| {
                r.is_egress() == Some(egress)
                    && r.ip_protocol().map(normalize_protocol)
                        == v.str_attr("ip_protocol").map(normalize_protocol)
                    && r.cidr_ipv4() == v.str_attr("cidr_ipv4")
                    && r.cidr_ipv6() == v.str_attr("cidr_ipv6")
                    && r.prefix_list_id() == v.str_attr("prefix_list_id")
                    && r.referenced_group_info().and_then(|g| g.group_id())
                        == v.str_attr("referenced_security_group_id")
            })
            .and_then(|r| r.security_group_rule_id())
            .map(str::to_string))
    }
}

#[async_trait]
impl Resource for VpcSgRule {
    async fn read_id(&self, id: &str, current: &Value) -> Result<Option<Value>> {
        let Some(out) = errors::found(
            &format!("reading security group rule `{id}`"),
            self.aws
                .ec2
                .describe_security_group_rules()
                .security_group_rule_ids(id)
                .send()
                .await,
        )?
        else {
            return Ok(None);
        };
        let Some(r) = out
            .security_group_rules()
            .iter()
            .find(|r| r.security_group_rule_id() == Some(id))
        else {
            return Ok(None);
        };
        let (tags, tags_all) =
            tags::split_remote(&self.aws, tag_map(r.tags()), current.get("tags"));
        let proto = r.ip_protocol().unwrap_or("-1").to_string();
        let configured_proto = current
            .str_attr("ip_protocol")
            .filter(|p| normalize_protocol(p) == normalize_protocol(&proto));
        let port = |p: Option<i32>, name: &str| match p {
            Some(-1) | None if current.get(name).is_null() => Value::Null,
            Some(x) => Value::Number(f64::from(x)),
            None => Value::Null,
        };
        let opt = |x: Option<&str>| {
            x.filter(|s| !s.is_empty())
                .map(Value::from)
                .unwrap_or(Value::Null)
        };
        // The API's ARN, else one built as the Terraform provider builds it: with the
        // caller's account (an API that leaves out the group's owner left it empty).
        let arn = match r.security_group_rule_arn() {
            Some(arn) => arn.to_string(),
            None => {
                let owner = match r.group_owner_id().filter(|o| !o.is_empty()) {
                    Some(o) => o.to_string(),
                    None => self.aws.account_id().await?,
                };
                crate::ec2::arn(&self.aws, &owner, "security-group-rule", id)
            }
        };
        let mut v = self.schema.empty_value();
        v.set("id", id.into());
        v.set("security_group_rule_id", id.into());
        v.set("arn", arn.into());
        v.set("region", self.aws.region.as_str().into());
        v.set("security_group_id", r.group_id().unwrap_or("").into());
        v.set(
            "ip_protocol",
            configured_proto.map(str::to_string).unwrap_or(proto).into(),
        );
        v.set("from_port", port(r.from_port(), "from_port"));
        v.set("to_port", port(r.to_port(), "to_port"));
        v.set("cidr_ipv4", opt(r.cidr_ipv4()));
        v.set("cidr_ipv6", opt(r.cidr_ipv6()));
        v.set("prefix_list_id", opt(r.prefix_list_id()));
        v.set(
            "referenced_security_group_id",
            opt(r.referenced_group_info().and_then(|g| g.group_id())),
        );
        v.set("description", opt(r.description()));
        v.set("tags", tags);
        v.set("tags_all", tags_all);
        Ok(Some(v))
    }

    /// Found by the per-instance mark its create wrote through `TagSpecifications`.
    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        adopt::ec2_read_by_mark(
            self,
            &self.aws,
            ResourceType::SecurityGroupRule,
            token,
            intent,
        )
        .await
    }

    fn validate(&self, config: &Value) -> Result<()> {
        if !config.is_wholly_known() {
            return Ok(());
        }
        let set = SOURCES.iter().filter(|a| !config.get(a).is_null()).count();
        if set != 1 {
            return Err(ProviderError::invalid(
                "exactly one of `cidr_ipv4`, `cidr_ipv6`, `prefix_list_id` and `referenced_security_group_id` must be set",
            ));
        }
        if let Some(c) = config.str_attr("cidr_ipv4") {
            crate::ec2::subnet::check_cidr(c, 0, 32, "cidr_ipv4")?;
        }
        Ok(())
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        let mut p = su::plan(&self.aws, &self.schema, prior, config)?;
        // Switching the kind of source replaces the rule.
        if let Some(prior) = prior {
            if p.requires_replace.is_empty() {
                let kind = |v: &Value| SOURCES.iter().find(|a| !v.get(a).is_null()).copied();
                if kind(prior) != kind(config) {
                    let mut fresh = su::plan(&self.aws, &self.schema, None, config)?;
                    fresh
                        .requires_replace
                        .push(vec![kind(config).unwrap_or("cidr_ipv4").to_string()]);
                    p = fresh;
                }
            }
        }
        if let Some(prior) = prior {
            // ip_protocol: "-1" and "all", "6" and "tcp" are the same.
            if let (Some(a), Some(b)) = (
                prior.str_attr("ip_protocol"),
                config.str_attr("ip_protocol"),
            ) {
                if normalize_protocol(a) == normalize_protocol(b) {
                    p.planned.set("ip_protocol", a.into());
                }
            }
        }
        Ok(p)
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let group = su::req(planned, "security_group_id")?;
        let spec = tag_spec(
            ResourceType::SecurityGroupRule,
            &tags::for_create(&self.aws, planned.get("tags"), ctx),
        );
        let perm = Self::permission(planned);
        let what = format!("adding a rule to security group `{group}`");
        let made = sg_api::authorize(&self.aws, group, self.dir, vec![perm], Some(spec), &what);
        let ids = made.await.map_err(|f| match f.code.as_deref() {
            Some("InvalidPermission.Duplicate") => ProviderError::conflict(format!(
                "security group `{group}` already has this rule"
            ))
            .with_hint(
                "remove the duplicate rule (inline blocks and rule resources must not describe the same rule)",
            ),
            _ => f.error,
        })?;
        let id = match ids.into_iter().next() {
            Some(id) => id,
            None => self.find_rule(group, planned).await?.ok_or_else(|| {
                ProviderError::api(format!(
                    "the new rule of security group `{group}` could not be found"
                ))
            })?,
        };
        // Tags may not have been applied through the tag specification by every endpoint.
        sync_tags(
            &self.aws,
            &id,
            &Default::default(),
            &tags::for_create(&self.aws, planned.get("tags"), ctx),
        )
        .await
        .ok();
        by_id::created(self, &id, planned).await
    }

    async fn update(&self, prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        let id = su::req(prior, "id")?;
        let group = su::req(planned, "security_group_id")?;
        let changed = [
            "ip_protocol",
            "from_port",
            "to_port",
            "cidr_ipv4",
            "cidr_ipv6",
            "prefix_list_id",
            "referenced_security_group_id",
            "description",
        ]
        .iter()
        .any(|a| prior.get(a) != planned.get(a));
        if changed {
            let update = SecurityGroupRuleUpdate::builder()
                .security_group_rule_id(id)
                .security_group_rule(Self::request(planned))
                .build();
            self.aws
                .ec2
                .modify_security_group_rules()
                .group_id(group)
                .security_group_rules(update)
                .send()
                .await
                .map_err(|e| errors::sdk(&format!("changing security group rule `{id}`"), e))?;
        }
        retag(&self.aws, id, prior, planned).await?;
        by_id::updated(self, id, planned).await
    }

    async fn delete(&self, prior: &Value, _ctx: &OpContext) -> Result<()> {
        let (Some(id), Some(group)) = (prior.str_attr("id"), prior.str_attr("security_group_id"))
        else {
            return Ok(());
        };
        let what = format!("removing security group rule `{id}`");
        let rules = Rules::Ids(vec![id.to_string()]);
        sg_api::revoke(&self.aws, group, self.dir, rules, &what).await
    }
}
