//! `aws_security_group_rule`: one rule (possibly several sources) added to a security group.
//! Every argument but `description` replaces it.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use labform_sdk::{
    async_trait, Attribute, BlockSchema, OpContext, PlannedChange, ProviderError, Resource, Value,
};

use crate::client::Aws;
use crate::ec2::permissions::{canonical, from_permissions, to_permission};
use crate::ec2::sg_api::{self, Side};
use crate::errors;
use crate::schema_util::{self as su, b, n, s, slist};

pub struct SecurityGroupRule {
    aws: Arc<Aws>,
    schema: BlockSchema,
}

pub fn schema() -> BlockSchema {
    let sc = BlockSchema::new()
        .attr("type", Attribute::required(s()).force_new())
        .attr("security_group_id", Attribute::required(s()).force_new())
        .attr("protocol", Attribute::required(s()).force_new())
        .attr("from_port", Attribute::required(n()).force_new())
        .attr("to_port", Attribute::required(n()).force_new())
        .attr("cidr_blocks", Attribute::optional(slist()).force_new())
        .attr("ipv6_cidr_blocks", Attribute::optional(slist()).force_new())
        .attr("prefix_list_ids", Attribute::optional(slist()).force_new())
        .attr("self", Attribute::optional(b()).default(false).force_new())
        .attr(
            "source_security_group_id",
            Attribute::optional_computed(s()).force_new(),
        )
        .attr("description", Attribute::optional(s()))
        .attr("security_group_rule_id", Attribute::computed(s()));
    su::timeouts(su::regional(sc), &["create"])
}

/// The rule as an inline-style rule object.
fn as_rule(v: &Value) -> Value {
    let groups = match v.str_attr("source_security_group_id") {
        Some(g) if !g.is_empty() => Value::List(vec![g.into()]),
        _ => Value::List(vec![]),
    };
    canonical(&Value::from_pairs([
        ("protocol", v.get("protocol").clone()),
        ("from_port", v.get("from_port").clone()),
        ("to_port", v.get("to_port").clone()),
        ("cidr_blocks", v.get("cidr_blocks").clone()),
        ("ipv6_cidr_blocks", v.get("ipv6_cidr_blocks").clone()),
        ("prefix_list_ids", v.get("prefix_list_ids").clone()),
        ("security_groups", groups),
        ("self", v.get("self").clone()),
        ("description", v.get("description").clone()),
    ]))
}

/// `sgrule-` + a hash of what identifies the rule.
fn rule_id(v: &Value) -> String {
    let mut r = as_rule(v);
    r.set("description", "".into());
    let mut h = DefaultHasher::new();
    (
        v.str_attr("security_group_id"),
        v.str_attr("type"),
        r.to_json().to_string(),
    )
        .hash(&mut h);
    format!("sgrule-{}", h.finish() % 4_294_967_296)
}

impl SecurityGroupRule {
    pub fn new(aws: Arc<Aws>) -> Self {
        SecurityGroupRule {
            aws,
            schema: schema(),
        }
    }

    async fn read_rule(&self, current: &Value) -> Result<Option<Value>, ProviderError> {
        let group = su::req(current, "security_group_id")?;
        let Some(out) = errors::found(
            &format!("reading security group `{group}`"),
            self.aws
                .ec2
                .describe_security_groups()
                .group_ids(group)
                .send()
                .await,
        )?
        else {
            return Ok(None);
        };
        let Some(g) = out.security_groups().first() else {
            return Ok(None);
        };
        let perms = if current.str_attr("type") == Some("egress") {
            g.ip_permissions_egress()
        } else {
            g.ip_permissions()
        };
        let mine = as_rule(current);
        let rules = from_permissions(perms, group, std::slice::from_ref(&mine));
        let mut no_desc = mine.clone();
        no_desc.set("description", "".into());
        let found = rules.iter().find(|r| {
            let mut r2 = (*r).clone();
            r2.set("description", "".into());
            r2 == no_desc
        });
        let Some(found) = found else {
            // Merged with other rules of the same ports: present when all our sources are there.
            let all_there = perms.iter().any(|p| {
                let single = from_permissions(std::slice::from_ref(p), group, &[]);
                single.iter().any(|r| {
                    [
                        "cidr_blocks",
                        "ipv6_cidr_blocks",
                        "prefix_list_ids",
                        "security_groups",
                    ]
                    .iter()
                    .all(|k| {
                        mine.string_list_attr(k)
                            .iter()
                            .all(|x| r.string_list_attr(k).contains(x))
                    }) && r.get("protocol") == mine.get("protocol")
                        && r.get("from_port") == mine.get("from_port")
                        && r.get("to_port") == mine.get("to_port")
                        && (!mine.bool_attr("self", false) || r.bool_attr("self", false))
                })
            });
            return Ok(if all_there {
                Some(self.state(current))
            } else {
                None
            });
        };
        let mut v = self.state(current);
        let desc = found.str_attr("description").unwrap_or("");
        v.set(
            "description",
            if desc.is_empty() && current.get("description").is_null() {
                Value::Null
            } else {
                desc.into()
            },
        );
        Ok(Some(v))
    }

    fn state(&self, current: &Value) -> Value {
        let mut v = su::known(current.clone());
        v.set("id", rule_id(current).into());
        v.set("region", self.aws.region.as_str().into());
        if v.get("source_security_group_id").is_null() {
            v.set("source_security_group_id", "".into());
        }
        if v.get("security_group_rule_id").is_null() {
            v.set("security_group_rule_id", "".into());
        }
        if v.get("self").is_null() {
            v.set("self", false.into());
        }
        if let Some(p) = current.str_attr("protocol") {
            v.set(
                "protocol",
                crate::ec2::permissions::normalize_protocol(p).into(),
            );
        }
        v
    }
}

#[async_trait]
impl Resource for SecurityGroupRule {
    /// A rule has no tags (its old-style API) and AWS refuses a second identical permission, so
    /// the permission itself is the unique key: found in the group when every source of the
    /// intent is there.
    async fn find_interrupted(
        &self,
        intent: &Value,
        _token: &str,
    ) -> Result<Option<Value>, ProviderError> {
        self.read(intent).await
    }

    fn type_name(&self) -> &'static str {
        "aws_security_group_rule"
    }
    fn schema(&self) -> &BlockSchema {
        &self.schema
    }

    fn validate(&self, config: &Value) -> Result<(), ProviderError> {
        if let Some(t) = config.str_attr("type") {
            if t != "ingress" && t != "egress" {
                return Err(ProviderError::invalid(format!(
                    "`type` is `{t}`: it must be `ingress` or `egress`"
                )));
            }
        }
        if config.is_wholly_known() {
            let sources = ["cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids"]
                .iter()
                .any(|a| !config.list_attr(a).is_empty())
                || config.bool_attr("self", false)
                || config.str_attr("source_security_group_id").is_some();
            if !sources {
                return Err(ProviderError::invalid(
                    "one of `cidr_blocks`, `ipv6_cidr_blocks`, `prefix_list_ids`, `self` or `source_security_group_id` must be set",
                ));
            }
        }
        Ok(())
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange, ProviderError> {
        let mut config = config.clone();
        if let Some(p) = config.str_attr("protocol") {
            let p = crate::ec2::permissions::normalize_protocol(p);
            config.set("protocol", p.into());
        }
        let mut p = su::plan(&self.aws, &self.schema, prior, &config)?;
        if config.is_wholly_known() {
            p.planned.set("id", rule_id(&config).into());
            if config.get("source_security_group_id").is_null() {
                p.planned.set("source_security_group_id", "".into());
            }
        }
        Ok(p)
    }

    async fn create(&self, planned: &Value, _ctx: &OpContext) -> Result<Value, ProviderError> {
        let group = su::req(planned, "security_group_id")?;
        let perm = to_permission(&as_rule(planned), group);
        let what = format!("adding a rule to security group `{group}`");
        let side = Side::of_type(planned.str_attr("type"));
        let r = sg_api::authorize(&self.aws, group, side, vec![perm], &what).await;
        let sgr = r.map_err(|f| match f.code.as_deref() {
            Some("InvalidPermission.Duplicate") => ProviderError::conflict(format!("security group `{group}` already has this rule"))
                .with_hint("inline `ingress`/`egress` blocks and rule resources must not describe the same rule"),
            _ => f.error,
        })?;
        let mut current = planned.clone();
        let sgr = sgr.into_iter().next().unwrap_or_default();
        current.set("security_group_rule_id", sgr.into());
        self.read_rule(&current).await?.ok_or_else(|| {
            ProviderError::api(format!(
                "the new rule of security group `{group}` could not be found"
            ))
        })
    }

    async fn read(&self, current: &Value) -> Result<Option<Value>, ProviderError> {
        if current.str_attr("security_group_id").is_none() {
            return Ok(None);
        }
        self.read_rule(current).await
    }

    async fn update(
        &self,
        prior: &Value,
        planned: &Value,
        ctx: &OpContext,
    ) -> Result<Value, ProviderError> {
        // Only the description changes in place: revoke and add again.
        self.delete(prior, ctx).await?;
        self.create(planned, ctx).await
    }

    async fn delete(&self, prior: &Value, _ctx: &OpContext) -> Result<(), ProviderError> {
        let Some(group) = prior.str_attr("security_group_id") else {
            return Ok(());
        };
        let perm = to_permission(&as_rule(prior), group);
        let what = format!("removing a rule from security group `{group}`");
        let side = Side::of_type(prior.str_attr("type"));
        sg_api::revoke(&self.aws, group, side, vec![perm], &what).await
    }
}
