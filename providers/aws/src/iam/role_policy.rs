//! `aws_iam_role_policy`: an inline policy of a role, id `role:name`. Inline policies carry no
//! tags: an interrupted create is adopted when the policy exists under its name with exactly
//! the planned document.

use std::sync::Arc;

use labform_sdk::{
    async_trait, Attribute, BlockSchema, OpContext, PlannedChange, ProviderError, ReadBack,
    Resource, Result, Value,
};

use crate::client::Aws;
use crate::iam::equivalence::equivalent;
use crate::iam::{
    check_named_policy, decoded, legacy_policy_value, name_for, named, plan_policy, recorded_prefix,
};
use crate::schema_util::{self as su, s};
use crate::{errors, retry};

labform_sdk::typed! {
    pub struct RolePolicy("aws_iam_role_policy") { aws: Arc<Aws> }
    schema: schema()
}

pub fn schema() -> BlockSchema {
    BlockSchema::new()
        .attr("id", Attribute::computed(s()))
        .attrs(
            &["name", "name_prefix"],
            Attribute::optional_computed(s()).force_new(),
        )
        .attr("policy", Attribute::required(s()))
        .attr("role", Attribute::required(s()).force_new())
}

/// `role:name` split in two.
fn parse_id(id: &str) -> Result<(&str, &str)> {
    match id.split_once(':') {
        Some((role, name)) if !role.is_empty() && !name.is_empty() => Ok((role, name)),
        _ => Err(ProviderError::invalid(format!(
            "`{id}` is not an `aws_iam_role_policy` id: expected `<role name>:<policy name>`"
        ))),
    }
}

impl RolePolicy {
    /// The policy's document as IAM holds it, `None` when the role or the policy is gone.
    async fn document(&self, role: &str, name: &str) -> Result<Option<String>> {
        let out = errors::found(
            &format!("reading policy `{name}` of iam role `{role}`"),
            self.aws
                .iam
                .get_role_policy()
                .role_name(role)
                .policy_name(name)
                .send()
                .await,
        )?;
        Ok(out.map(|o| o.policy_document))
    }

    async fn read_policy(&self, role: &str, name: &str, current: &Value) -> Result<Option<Value>> {
        let Some(document) = self.document(role, name).await? else {
            return Ok(None);
        };
        Ok(Some(Value::from_pairs([
            ("id", format!("{role}:{name}").into()),
            ("name", name.into()),
            ("name_prefix", recorded_prefix(current)),
            (
                "policy",
                legacy_policy_value(&document, current.get("policy")),
            ),
            ("role", role.into()),
        ])))
    }

    async fn put(&self, role: &str, name: &str, document: &str) -> Result<()> {
        self.aws
            .iam
            .put_role_policy()
            .role_name(role)
            .policy_name(name)
            .policy_document(document)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| errors::sdk(&format!("putting policy `{name}` on iam role `{role}`"), e))
    }
}

#[async_trait]
impl Resource for RolePolicy {
    fn validate(&self, config: &Value) -> Result<()> {
        check_named_policy(config)
    }

    /// A policy that is the same policy as the recorded one keeps the recorded text.
    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        let (mut p, config) = plan_policy(&self.aws, &self.schema, prior, config)?;
        if prior.is_none() {
            if let (Some(role), Some(name)) = (config.str_attr("role"), config.str_attr("name")) {
                p.planned.set("id", format!("{role}:{name}").into());
                p.planned.set("name_prefix", "".into());
            }
        }
        Ok(p)
    }

    /// A generated name is derived from the create token, so a policy under it is this
    /// create's; a given name is adopted only when the policy holds the planned document.
    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        let role = su::req(intent, "role")?;
        let name = name_for(intent, Some(token));
        let Some(document) = self.document(role, &name).await? else {
            return Ok(None);
        };
        let planned = intent.str_attr("policy").unwrap_or_default();
        if named(intent) && !equivalent(&decoded(&document), planned) {
            return Err(ProviderError::conflict(format!(
                "policy `{name}` of iam role `{role}` exists with another document, so the interrupted create cannot be shown to have made it"
            ))
            .with_hint(format!(
                "if it is a leftover, remove it (`aws iam delete-role-policy --role-name {role} --policy-name {name}`) and run again; to keep it, import it as `{role}:{name}` after `labform state rm`"
            )));
        }
        self.read_policy(role, &name, intent).await
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let role = su::req(planned, "role")?;
        let name = name_for(planned, ctx.create_token());
        self.put(role, &name, su::req(planned, "policy")?).await?;
        self.read_policy(role, &name, planned)
            .await?
            .or_vanished(&format!("policy `{name}` of iam role `{role}`"))
    }

    async fn read(&self, current: &Value) -> Result<Option<Value>> {
        let Some(id) = current.str_attr("id") else {
            return Ok(None);
        };
        let (role, name) = parse_id(id)?;
        self.read_policy(role, name, current).await
    }

    async fn update(&self, prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        let (role, name) = parse_id(su::req(prior, "id")?)?;
        self.put(role, name, su::req(planned, "policy")?).await?;
        self.read_policy(role, name, planned)
            .await?
            .or_gone(&format!("policy `{name}` of iam role `{role}`"))
    }

    async fn delete(&self, prior: &Value, _ctx: &OpContext) -> Result<()> {
        let Some(id) = prior.str_attr("id") else {
            return Ok(());
        };
        let (role, name) = parse_id(id)?;
        retry::delete(
            &format!("deleting policy `{name}` of iam role `{role}`"),
            || {
                self.aws
                    .iam
                    .delete_role_policy()
                    .role_name(role)
                    .policy_name(name)
                    .send()
            },
        )
        .await
    }

    async fn import(&self, id: &str) -> Result<Value> {
        let (role, name) = parse_id(id)?;
        self.read_policy(role, name, &self.schema.empty_value())
            .await?
            .or_absent(&format!("policy `{name}` of iam role `{role}`"))
    }
}
