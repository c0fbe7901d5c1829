//! `aws_security_group_rule`: one rule (possibly several sources) added to a security group.
//! Every argument but `description` replaces it.

use std::sync::Arc;

use labform_sdk::{
    async_trait, Attribute, BlockSchema, OpContext, PlannedChange, ProviderError, Resource, Result,
    Value,
};

use crate::client::Aws;
use crate::ec2::permissions::{canonical, from_permissions, to_permission};
use crate::ec2::sg_api::{self, Rules, Side};
use crate::errors;
use crate::schema_util::{self as su, b, n, s, slist};

labform_sdk::typed! {
    pub struct SecurityGroupRule("aws_security_group_rule") { aws: Arc<Aws> }
    schema: schema()
}

pub fn schema() -> BlockSchema {
    let sc = BlockSchema::new()
        .attrs(
            &["type", "security_group_id", "protocol"],
            Attribute::required(s()).force_new(),
        )
        .attrs(
            &["from_port", "to_port"],
            Attribute::required(n()).force_new(),
        )
        .attrs(
            &["cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids"],
            Attribute::optional(slist()).force_new(),
        )
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

fn sorted(mut items: Vec<&str>) -> Vec<&str> {
    items.sort_unstable();
    items
}

/// The rule's id as the Terraform provider makes it, so that a rule has one id in both tools:
/// `sgrule-` + the CRC-32 of `<group>-[<from>-][<to>-]<protocol>-<type>-` followed by each
/// source, sorted within its kind (IPv4, IPv6, prefix lists, then `<group id>--` per group).
/// The description is not part of it.
fn rule_id(v: &Value) -> String {
    let group = v.str_attr("security_group_id").unwrap_or_default();
    let perm = to_permission(&as_rule(v), group);
    let mut key = format!("{group}-");
    for port in [perm.from_port(), perm.to_port()].into_iter().flatten() {
        if port > 0 {
            key.push_str(&format!("{port}-"));
        }
    }
    key.push_str(&format!(
        "{}-{}-",
        perm.ip_protocol().unwrap_or_default(),
        v.str_attr("type").unwrap_or_default()
    ));
    let v4 = perm.ip_ranges().iter().filter_map(|r| r.cidr_ip());
    let v6 = perm.ipv6_ranges().iter().filter_map(|r| r.cidr_ipv6());
    let lists = perm
        .prefix_list_ids()
        .iter()
        .filter_map(|r| r.prefix_list_id());
    for source in [
        sorted(v4.collect()),
        sorted(v6.collect()),
        sorted(lists.collect()),
    ]
    .concat()
    {
        key.push_str(&format!("{source}-"));
    }
    let groups = perm.user_id_group_pairs().iter();
    // A pair names its group by id in a VPC; the empty group name still adds its `-`.
    for id in sorted(groups.map(|p| p.group_id().unwrap_or_default()).collect()) {
        key.push_str(&format!("{id}--"));
    }
    format!("sgrule-{}", crc32fast::hash(key.as_bytes()))
}

impl SecurityGroupRule {
    async fn read_rule(&self, current: &Value) -> Result<Option<Value>> {
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
    async fn find_interrupted(&self, intent: &Value, _token: &str) -> Result<Option<Value>> {
        self.read(intent).await
    }

    fn validate(&self, config: &Value) -> Result<()> {
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

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
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

    async fn create(&self, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        let group = su::req(planned, "security_group_id")?;
        let perm = to_permission(&as_rule(planned), group);
        let what = format!("adding a rule to security group `{group}`");
        let side = Side::of_type(planned.str_attr("type"));
        let r = sg_api::authorize(&self.aws, group, side, vec![perm], None, &what).await;
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

    async fn read(&self, current: &Value) -> Result<Option<Value>> {
        if current.str_attr("security_group_id").is_none() {
            return Ok(None);
        }
        self.read_rule(current).await
    }

    async fn update(&self, prior: &Value, planned: &Value, ctx: &OpContext) -> Result<Value> {
        // Only the description changes in place: revoke and add again.
        self.delete(prior, ctx).await?;
        self.create(planned, ctx).await
    }

    async fn delete(&self, prior: &Value, _ctx: &OpContext) -> Result<()> {
        let Some(group) = prior.str_attr("security_group_id") else {
            return Ok(());
        };
        let perm = to_permission(&as_rule(prior), group);
        let what = format!("removing a rule from security group `{group}`");
        let side = Side::of_type(prior.str_attr("type"));
        sg_api::revoke(
            &self.aws,
            group,
            side,
            Rules::Permissions(vec![perm]),
            &what,
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(pairs: &[(&str, Value)]) -> Value {
        let mut v = Value::from_pairs([("security_group_id", "sg-0123".into())]);
        for (k, x) in pairs {
            v.set(*k, x.clone());
        }
        v
    }

    /// The expected ids are the CRC-32 (IEEE) of the key strings the Go provider builds,
    /// computed outside Rust (Python's `zlib.crc32`).
    #[test]
    fn rule_ids_are_the_terraform_providers() {
        let cidrs = Value::List(vec!["10.1.0.0/16".into(), "10.0.0.0/8".into()]);
        let https = rule(&[
            ("type", "ingress".into()),
            ("protocol", "tcp".into()),
            ("from_port", Value::Number(443.0)),
            ("to_port", Value::Number(443.0)),
            ("cidr_blocks", cidrs),
            ("description", "ignored".into()),
        ]);
        // "sg-0123-443-443-tcp-ingress-10.0.0.0/8-10.1.0.0/16-"
        assert_eq!(rule_id(&https), "sgrule-138110824");
        let all_to_self = rule(&[
            ("type", "egress".into()),
            ("protocol", "all".into()),
            ("from_port", Value::Number(0.0)),
            ("to_port", Value::Number(0.0)),
            ("self", true.into()),
        ]);
        // "sg-0123--1-egress-sg-0123--"
        assert_eq!(rule_id(&all_to_self), "sgrule-605203161");
        let ssh_from_group = rule(&[
            ("type", "ingress".into()),
            ("protocol", "6".into()),
            ("from_port", Value::Number(22.0)),
            ("to_port", Value::Number(22.0)),
            ("source_security_group_id", "sg-0001".into()),
        ]);
        // "sg-0123-22-22-tcp-ingress-sg-0001--"
        assert_eq!(rule_id(&ssh_from_group), "sgrule-475336320");
    }
}
