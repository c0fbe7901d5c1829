//! `aws_security_group`: a security group with inline `ingress`/`egress` rules. Without any
//! block of a kind, those rules are left alone (rule resources may manage them); on create the
//! default allow-all egress rule is removed, as Terraform does.

use std::sync::Arc;

use aws_sdk_ec2::types::{IpPermission, ResourceType};
use labform_sdk::{
    async_trait, by_id, Attribute, BlockSchema, Marked, NestedBlock, OpContext, PlannedChange,
    ProviderError, ReadBack, Resource, Result, StackFilter, Value,
};

use crate::adopt;
use crate::client::Aws;
use crate::ec2::holders::group_dependents;
use crate::ec2::permissions::{canonical_set, from_permissions, rule_block_schema, to_permission};
use crate::ec2::sg_api::{self, Rules, Side};
use crate::ec2::{arn, or_held, retag, some_str, tag_map, tag_spec};
use crate::names::name_or_prefixed;
use crate::retry;
use crate::schema_util::{self as su, b, s};
use crate::unfinished::{made, read_back};
use crate::{errors, tags};

labform_sdk::typed! {
    pub struct SecurityGroup("aws_security_group", "security group") { aws: Arc<Aws> }
    schema: schema()
}

/// `revoke_rules_on_delete` as a group reads before configuration sets it.
const REVOKE_DEFAULT: &[(&str, bool)] = &[("revoke_rules_on_delete", false)];

pub fn schema() -> BlockSchema {
    let sc = BlockSchema::new()
        .attrs(
            &["name", "name_prefix"],
            Attribute::optional_computed(s()).force_new(),
        )
        .attr(
            "description",
            Attribute::optional(s())
                .default("Managed by Terraform")
                .force_new(),
        )
        .attr("vpc_id", Attribute::optional_computed(s()).force_new())
        .attr(
            "revoke_rules_on_delete",
            Attribute::optional(b()).default(false),
        )
        .attrs(&["arn", "owner_id"], Attribute::computed(s()))
        .block("ingress", NestedBlock::set(rule_block_schema()))
        .block("egress", NestedBlock::set(rule_block_schema()));
    su::timeouts(su::tagged(su::regional(sc)), &["create", "delete"])
}

impl SecurityGroup {
    async fn authorize(&self, id: &str, side: Side, perms: Vec<IpPermission>) -> Result<()> {
        if perms.is_empty() {
            return Ok(());
        }
        let what = format!("adding rules to security group `{id}`");
        match sg_api::authorize(&self.aws, id, side, perms, None, &what).await {
            Err(f) if f.code.as_deref() != Some("InvalidPermission.Duplicate") => Err(f.error),
            _ => Ok(()),
        }
    }

    async fn revoke(&self, id: &str, side: Side, perms: Vec<IpPermission>) -> Result<()> {
        if perms.is_empty() {
            return Ok(());
        }
        let what = format!("removing rules from security group `{id}`");
        sg_api::revoke(&self.aws, id, side, Rules::Permissions(perms), &what).await
    }

    async fn describe(&self, id: &str) -> Result<Option<aws_sdk_ec2::types::SecurityGroup>> {
        match self
            .aws
            .ec2
            .describe_security_groups()
            .group_ids(id)
            .send()
            .await
        {
            Ok(o) => Ok(o.security_groups().first().cloned()),
            Err(e) if errors::is_not_found(&e) => Ok(None),
            Err(e) => Err(errors::sdk(&format!("reading security group `{id}`"), e)),
        }
    }

    /// The value of one described object (`current` supplies what the API does not return).
    pub(crate) fn value_of(&self, g: &aws_sdk_ec2::types::SecurityGroup, current: &Value) -> Value {
        let id = g.group_id().unwrap_or("");
        let owner = g.owner_id().unwrap_or("").to_string();
        let (tags, tags_all) =
            tags::split_remote(&self.aws, tag_map(g.tags()), current.get("tags"));
        let ingress = from_permissions(g.ip_permissions(), id, current.list_attr("ingress"));
        let egress = from_permissions(g.ip_permissions_egress(), id, current.list_attr("egress"));
        let mut v = self.schema.empty_value();
        su::keep(
            &mut v,
            current,
            &["name_prefix", "revoke_rules_on_delete", "timeouts"],
        );
        let mut v = su::bool_defaults(v, REVOKE_DEFAULT);
        if !v.get("name_prefix").is_wholly_known() || v.get("name_prefix").is_null() {
            v.set("name_prefix", "".into());
        }
        v.set("id", id.into());
        v.set("arn", arn(&self.aws, &owner, "security-group", id).into());
        v.set("owner_id", owner.into());
        v.set("region", self.aws.region.as_str().into());
        v.set("name", g.group_name().unwrap_or("").into());
        v.set("description", g.description().unwrap_or("").into());
        v.set("vpc_id", g.vpc_id().unwrap_or("").into());
        v.set("ingress", Value::List(ingress));
        v.set("egress", Value::List(egress));
        v.set("tags", tags);
        v.set("tags_all", tags_all);
        v
    }

    /// Makes one side's rules go from `old` to `new`.
    async fn sync_rules(&self, id: &str, side: Side, old: &[Value], new: &[Value]) -> Result<()> {
        let (old, new) = (canonical_set(old), canonical_set(new));
        let gone: Vec<IpPermission> = old
            .iter()
            .filter(|r| !new.contains(r))
            .map(|r| to_permission(r, id))
            .collect();
        let added: Vec<IpPermission> = new
            .iter()
            .filter(|r| !old.contains(r))
            .map(|r| to_permission(r, id))
            .collect();
        self.revoke(id, side, gone).await?;
        self.authorize(id, side, added).await
    }
}

#[async_trait]
impl Resource for SecurityGroup {
    fn blank(&self) -> Value {
        su::bool_defaults(self.schema.empty_value(), REVOKE_DEFAULT)
    }

    async fn read_id(&self, id: &str, current: &Value) -> Result<Option<Value>> {
        let Some(g) = self.describe(id).await? else {
            return Ok(None);
        };
        Ok(Some(self.value_of(&g, current)))
    }

    /// Found by the per-instance mark its create wrote through `TagSpecifications`.
    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        adopt::ec2_read_by_mark(self, &self.aws, ResourceType::SecurityGroup, token, intent).await
    }

    fn validate(&self, config: &Value) -> Result<()> {
        labform_sdk::validate::at_most_one(config, &["name", "name_prefix"])?;
        for attr in ["name", "name_prefix"] {
            if let Some(n) = config.str_attr(attr) {
                if n.starts_with("sg-") {
                    return Err(ProviderError::invalid(format!(
                        "security group `{attr}` `{n}` must not start with `sg-`"
                    )));
                }
                if n.len() > 255 {
                    return Err(ProviderError::invalid(format!(
                        "security group `{attr}` must be at most 255 characters long"
                    )));
                }
            }
        }
        if config
            .str_attr("description")
            .is_some_and(|d| d.len() > 255)
        {
            return Err(ProviderError::invalid(
                "security group `description` must be at most 255 characters long",
            ));
        }
        Ok(())
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        let mut config = config.clone();
        for side in ["ingress", "egress"] {
            let rules = canonical_set(config.list_attr(side));
            config.set(side, Value::List(rules));
        }
        let mut p = su::plan(&self.aws, &self.schema, prior, &config)?;
        for side in ["ingress", "egress"] {
            if config.list_attr(side).is_empty() {
                if let Some(prior) = prior.filter(|_| p.requires_replace.is_empty()) {
                    p.planned.set(side, prior.get(side).clone());
                }
            }
        }
        if prior.is_none() || !p.requires_replace.is_empty() {
            if let Some(name) = config.str_attr("name") {
                p.planned.set("name", name.into());
                p.planned.set("name_prefix", "".into());
            }
        }
        Ok(p)
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        // A random suffix: the group is found again by the mark its create wrote.
        let name = name_or_prefixed(planned, "name", "name_prefix", None);
        let all = tags::for_create(&self.aws, planned.get("tags"), ctx);
        let out = self
            .aws
            .ec2
            .create_security_group()
            .group_name(&name)
            .description(
                planned
                    .str_attr("description")
                    .unwrap_or("Managed by Terraform"),
            )
            .set_vpc_id(some_str(planned, "vpc_id"))
            .tag_specifications(tag_spec(ResourceType::SecurityGroup, &all))
            .send()
            .await
            .map_err(|e| match errors::code(&e).as_deref() {
                Some("InvalidGroup.Duplicate") => ProviderError::conflict(format!(
                    "a security group named `{name}` already exists in this vpc"
                ))
                .with_hint("choose another `name`, or use `name_prefix` for a unique one"),
                _ => errors::sdk(&format!("creating security group `{name}`"), e),
            })?;
        let id = out.group_id().unwrap_or("").to_string();
        let mut state = made(planned, &id);
        state.set("name", name.as_str().into());
        let steps = async {
            // Terraform semantics: egress is only what the configuration says.
            if let Some(g) = self.describe(&id).await? {
                self.revoke(&id, Side::Egress, g.ip_permissions_egress().to_vec())
                    .await?;
            }
            let ingress = canonical_set(planned.list_attr("ingress"));
            let egress = canonical_set(planned.list_attr("egress"));
            self.authorize(
                &id,
                Side::Ingress,
                ingress.iter().map(|r| to_permission(r, &id)).collect(),
            )
            .await?;
            self.authorize(
                &id,
                Side::Egress,
                egress.iter().map(|r| to_permission(r, &id)).collect(),
            )
            .await
        };
        if let Err(e) = steps.await {
            return Err(read_back(self, &id, state, e).await);
        }
        self.read_id(&id, &state)
            .await?
            .or_vanished(&format!("security group `{id}`"))
    }

    async fn update(&self, prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        let id = su::req(prior, "id")?;
        if prior.get("ingress") != planned.get("ingress") {
            self.sync_rules(
                id,
                Side::Ingress,
                prior.list_attr("ingress"),
                planned.list_attr("ingress"),
            )
            .await?;
        }
        if prior.get("egress") != planned.get("egress") {
            self.sync_rules(
                id,
                Side::Egress,
                prior.list_attr("egress"),
                planned.list_attr("egress"),
            )
            .await?;
        }
        retag(&self.aws, id, prior, planned).await?;
        by_id::updated(self, id, planned).await
    }

    async fn delete(&self, prior: &Value, _ctx: &OpContext) -> Result<()> {
        let Some(id) = prior.str_attr("id") else {
            return Ok(());
        };
        if prior.bool_attr("revoke_rules_on_delete", false) {
            if let Some(g) = self.describe(id).await? {
                self.revoke(id, Side::Ingress, g.ip_permissions().to_vec())
                    .await?;
                self.revoke(id, Side::Egress, g.ip_permissions_egress().to_vec())
                    .await?;
            }
        }
        let r = retry::delete(&format!("deleting security group `{id}`"), || {
            self.aws.ec2.delete_security_group().group_id(id).send()
        })
        .await;
        or_held(r, || group_dependents(&self.aws, id)).await
    }

    async fn list_marked(&self, filter: &StackFilter) -> Result<Vec<Marked>> {
        let empty = self.schema.empty_value();
        crate::ec2::list_described(
            filter,
            "security groups",
            |f| {
                self.aws
                    .ec2
                    .describe_security_groups()
                    .set_filters(Some(f))
                    .send()
            },
            |out| {
                out.security_groups()
                    .iter()
                    .map(|x| self.value_of(x, &empty))
                    .collect()
            },
        )
        .await
    }
}
