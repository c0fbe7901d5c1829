//! `aws_iam_role_policy_attachment`: a managed policy (customer or AWS managed) attached to a
//! role. The attachment is the pair itself: its id is `<role>-<policy arn>` (what the provider
//! records after an import), and an interrupted create is adopted when the pair exists.

use std::sync::Arc;

use labform_sdk::{
    async_trait, Attribute, BlockSchema, OpContext, PlannedChange, ProviderError, ReadBack,
    Resource, Result, Value,
};

use crate::client::Aws;
use crate::schema_util::{self as su, s};
use crate::{errors, retry};

labform_sdk::typed! {
    pub struct RolePolicyAttachment("aws_iam_role_policy_attachment") { aws: Arc<Aws> }
    schema: schema()
}

pub fn schema() -> BlockSchema {
    BlockSchema::new()
        .attr("id", Attribute::computed(s()))
        .attrs(
            &["policy_arn", "role"],
            Attribute::required(s()).force_new(),
        )
}

impl RolePolicyAttachment {
    /// The attachment, `None` when the role is gone or the policy is not attached to it.
    async fn read_pair(&self, role: &str, arn: &str) -> Result<Option<Value>> {
        let pages = self
            .aws
            .iam
            .list_attached_role_policies()
            .role_name(role)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await;
        let attached = match pages {
            Ok(items) => items,
            Err(e) if errors::is_not_found(&e) => return Ok(None),
            Err(e) => {
                return Err(errors::sdk(
                    &format!("listing policies of iam role `{role}`"),
                    e,
                ))
            }
        };
        Ok(attached
            .iter()
            .any(|p| p.policy_arn() == Some(arn))
            .then(|| value(role, arn)))
    }
}

fn value(role: &str, arn: &str) -> Value {
    Value::from_pairs([
        ("id", format!("{role}-{arn}").into()),
        ("policy_arn", arn.into()),
        ("role", role.into()),
    ])
}

fn what(role: &str, arn: &str) -> String {
    format!("attachment of `{arn}` to iam role `{role}`")
}

#[async_trait]
impl Resource for RolePolicyAttachment {
    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        let mut p = su::plan(&self.aws, &self.schema, prior, config)?;
        if let (None, Some(role), Some(arn)) = (
            prior,
            config.str_attr("role"),
            config.str_attr("policy_arn"),
        ) {
            p.planned.set("id", format!("{role}-{arn}").into());
        }
        Ok(p)
    }

    /// The pair is the object: attached means made.
    async fn find_interrupted(&self, intent: &Value, _token: &str) -> Result<Option<Value>> {
        self.read_pair(su::req(intent, "role")?, su::req(intent, "policy_arn")?)
            .await
    }

    async fn create(&self, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        let role = su::req(planned, "role")?;
        let arn = su::req(planned, "policy_arn")?;
        self.aws
            .iam
            .attach_role_policy()
            .role_name(role)
            .policy_arn(arn)
            .send()
            .await
            .map_err(|e| {
                let not_found = errors::is_not_found(&e);
                let err = errors::sdk(&format!("attaching `{arn}` to iam role `{role}`"), e);
                if not_found {
                    err.with_hint("check that the role and the policy exist (AWS-managed policies are `arn:aws:iam::aws:policy/...`)")
                } else {
                    err
                }
            })?;
        self.read_pair(role, arn)
            .await?
            .or_vanished(&what(role, arn))
    }

    async fn read(&self, current: &Value) -> Result<Option<Value>> {
        match (current.str_attr("role"), current.str_attr("policy_arn")) {
            (Some(role), Some(arn)) => self.read_pair(role, arn).await,
            _ => Ok(None),
        }
    }

    async fn update(&self, _prior: &Value, _planned: &Value, _ctx: &OpContext) -> Result<Value> {
        Err(ProviderError::unsupported(
            "`aws_iam_role_policy_attachment` has nothing to update in place: every argument forces a new attachment",
        ))
    }

    async fn delete(&self, prior: &Value, _ctx: &OpContext) -> Result<()> {
        let (Some(role), Some(arn)) = (prior.str_attr("role"), prior.str_attr("policy_arn")) else {
            return Ok(());
        };
        retry::delete(&format!("detaching `{arn}` from iam role `{role}`"), || {
            self.aws
                .iam
                .detach_role_policy()
                .role_name(role)
                .policy_arn(arn)
                .send()
        })
        .await
    }

    /// Imported by `<role>/<policy arn>`, as the provider does.
    async fn import(&self, id: &str) -> Result<Value> {
        let Some((role, arn)) = id
            .split_once('/')
            .filter(|(r, a)| !r.is_empty() && !a.is_empty())
        else {
            return Err(ProviderError::invalid(format!(
                "`{id}` is not an `aws_iam_role_policy_attachment` import id: expected `<role name>/<policy arn>`"
            )));
        };
        self.read_pair(role, arn).await?.or_absent(&what(role, arn))
    }
}
