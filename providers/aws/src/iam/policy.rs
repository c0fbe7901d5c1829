//! `aws_iam_policy`: a customer-managed policy. A changed document becomes a new default
//! version (the oldest version pruned first at the limit of five), as the provider does.

use std::sync::Arc;
use std::time::Duration;

use aws_sdk_iam::types::Policy as IamPolicy;
use labform_sdk::{
    async_trait, by_id, Attribute, BlockSchema, OpContext, PlannedChange, ProviderError, Resource,
    Result, Value,
};

use crate::adopt;
use crate::client::Aws;
use crate::iam::{
    check_named_policy, iam_tags, marked, name_for, plan_policy, policy_value, recorded_prefix,
    retag, tag_map,
};
use crate::paging::all_items;
use crate::schema_util::{self as su, n, s};
use crate::{errors, retry, tags};

/// The hint when the name of a create is taken.
const TAKEN: &str = "choose another `name`, or import the existing policy";

labform_sdk::typed! {
    pub struct Policy("aws_iam_policy", "iam policy") { aws: Arc<Aws> }
    schema: schema()
}

pub fn schema() -> BlockSchema {
    su::tagged(
        BlockSchema::new()
            .attrs(&["id", "arn"], Attribute::computed(s()))
            .attr("attachment_count", Attribute::computed(n()))
            .attr(
                "delay_after_policy_creation_in_ms",
                Attribute::optional(n()),
            )
            .attr("description", Attribute::optional(s()).force_new())
            .attrs(
                &["name", "name_prefix"],
                Attribute::optional_computed(s()).force_new(),
            )
            .attr("path", Attribute::optional(s()).default("/").force_new())
            .attr("policy", Attribute::required(s()))
            .attr("policy_id", Attribute::computed(s())),
    )
}

impl Policy {
    async fn get(&self, arn: &str) -> Result<Option<IamPolicy>> {
        let out = errors::found(
            &format!("reading iam policy `{arn}`"),
            self.aws.iam.get_policy().policy_arn(arn).send().await,
        )?;
        Ok(out.and_then(|o| o.policy))
    }

    fn value_of(&self, p: &IamPolicy, document: &str, current: &Value) -> Value {
        let (tags, tags_all) =
            tags::split_remote(&self.aws, tag_map(p.tags()), current.get("tags"));
        let mut v = self.schema.empty_value();
        su::keep(&mut v, current, &["delay_after_policy_creation_in_ms"]);
        let arn = p.arn().unwrap_or_default();
        v.set("id", arn.into());
        v.set("arn", arn.into());
        v.set(
            "attachment_count",
            Value::from(i64::from(p.attachment_count().unwrap_or(0))),
        );
        v.set(
            "description",
            p.description()
                .filter(|d| !d.is_empty())
                .map(Value::from)
                .unwrap_or(Value::Null),
        );
        v.set("name", p.policy_name().unwrap_or_default().into());
        v.set("name_prefix", recorded_prefix(current));
        v.set("path", p.path().unwrap_or("/").into());
        v.set("policy", policy_value(document, current.get("policy")));
        v.set("policy_id", p.policy_id().unwrap_or_default().into());
        v.set("tags", tags);
        v.set("tags_all", tags_all);
        v
    }

    /// Every customer-managed policy (all pages), optionally under one path.
    async fn list(&self, path: Option<&str>) -> Result<Vec<IamPolicy>> {
        all_items!(
            "listing iam policies",
            self.aws
                .iam
                .list_policies()
                .scope(aws_sdk_iam::types::PolicyScopeType::Local)
                .set_path_prefix(path.map(str::to_string))
        )
    }

    /// Deletes the oldest non-default version when the policy holds the maximum of five, so a
    /// new one fits.
    async fn prune(&self, arn: &str) -> Result<()> {
        let versions = self.versions(arn).await?;
        if versions.len() < 5 {
            return Ok(());
        }
        let oldest = versions
            .iter()
            .filter(|v| !v.is_default_version())
            .min_by_key(|v| v.create_date().map(|d| (d.secs(), d.subsec_nanos())));
        if let Some(id) = oldest.and_then(|v| v.version_id()) {
            self.delete_version(arn, id).await?;
        }
        Ok(())
    }

    async fn versions(&self, arn: &str) -> Result<Vec<aws_sdk_iam::types::PolicyVersion>> {
        all_items!(
            &format!("listing versions of iam policy `{arn}`"),
            self.aws.iam.list_policy_versions().policy_arn(arn)
        )
    }

    async fn delete_version(&self, arn: &str, id: &str) -> Result<()> {
        retry::delete(
            &format!("deleting version `{id}` of iam policy `{arn}`"),
            || {
                self.aws
                    .iam
                    .delete_policy_version()
                    .policy_arn(arn)
                    .version_id(id)
                    .send()
            },
        )
        .await
    }

    /// Makes `document` the default version; with a delay, the version is created first and
    /// made the default after it (the provider's remedy for slow propagation).
    async fn new_version(&self, arn: &str, document: &str, delay_ms: Option<i64>) -> Result<()> {
        let context = format!("updating iam policy `{arn}`");
        let out = self
            .aws
            .iam
            .create_policy_version()
            .policy_arn(arn)
            .policy_document(document)
            .set_as_default(delay_ms.is_none())
            .send()
            .await
            .map_err(|e| errors::sdk(&context, e))?;
        if let Some(ms) = delay_ms {
            tokio::time::sleep(Duration::from_millis(ms.max(0) as u64)).await;
            let id = out
                .policy_version()
                .and_then(|v| v.version_id())
                .ok_or_else(|| ProviderError::api(format!("{context}: no version id came back")))?;
            self.aws
                .iam
                .set_default_policy_version()
                .policy_arn(arn)
                .version_id(id)
                .send()
                .await
                .map_err(|e| errors::sdk(&context, e))?;
        }
        Ok(())
    }
}

#[async_trait]
impl Resource for Policy {
    /// The policy and its default version's document, `None` when the policy is gone.
    async fn read_id(&self, arn: &str, current: &Value) -> Result<Option<Value>> {
        let Some(p) = self.get(arn).await? else {
            return Ok(None);
        };
        let version = p.default_version_id().unwrap_or("v1");
        let doc = errors::found(
            &format!("reading the document of iam policy `{arn}`"),
            self.aws
                .iam
                .get_policy_version()
                .policy_arn(arn)
                .version_id(version)
                .send()
                .await,
        )?;
        let Some(document) = doc.and_then(|d| d.policy_version?.document) else {
            return Ok(None);
        };
        Ok(Some(self.value_of(&p, &document, current)))
    }

    fn validate(&self, config: &Value) -> Result<()> {
        check_named_policy(config)
    }

    /// A policy that is the same policy as the recorded one keeps the recorded text.
    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        let (mut p, config) = plan_policy(&self.aws, &self.schema, prior, config)?;
        if prior.is_none() && config.str_attr("name").is_some() {
            p.planned.set("name_prefix", "".into());
        }
        Ok(p)
    }

    /// Found by its name (given, or derived from the create token) and adopted only when it
    /// carries this create's mark, which CreatePolicy wrote among its tags.
    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        let name = name_for(intent, Some(token));
        let found = self.list(intent.str_attr("path")).await?;
        let Some(p) = found
            .iter()
            .find(|p| p.policy_name() == Some(name.as_str()))
        else {
            return Ok(None);
        };
        let arn = p.arn().unwrap_or_default().to_string();
        let Some(full) = self.get(&arn).await? else {
            return Ok(None);
        };
        adopt::check_ours(
            &format!("iam policy `{name}`"),
            &tag_map(full.tags()),
            token,
            &format!("aws iam delete-policy --policy-arn {arn}"),
        )?;
        self.read_id(&arn, intent).await
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let name = name_for(planned, ctx.create_token());
        let what = format!("iam policy `{name}`");
        let all = tags::for_create(&self.aws, planned.get("tags"), ctx);
        let out = self
            .aws
            .iam
            .create_policy()
            .policy_name(&name)
            .path(planned.str_attr("path").unwrap_or("/"))
            .policy_document(su::req(planned, "policy")?)
            .set_description(planned.str_attr("description").map(str::to_string))
            .set_tags(Some(iam_tags(&all)?))
            .send()
            .await
            .map_err(errors::on_create(&what, "EntityAlreadyExists", TAKEN))?;
        let arn = out
            .policy()
            .and_then(|p| p.arn())
            .ok_or_else(|| ProviderError::api(format!("creating iam policy `{name}`: no arn")))?;
        by_id::created(self, arn, planned).await
    }

    async fn read(&self, current: &Value) -> Result<Option<Value>> {
        match current.str_attr("arn").or(current.str_attr("id")) {
            Some(arn) => self.read_id(arn, current).await,
            None => Ok(None),
        }
    }

    async fn update(&self, prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        let arn = su::req(prior, "id")?;
        let iam = &self.aws.iam;
        if prior.get("policy") != planned.get("policy") {
            self.prune(arn).await?;
            self.new_version(
                arn,
                su::req(planned, "policy")?,
                planned.i64_attr("delay_after_policy_creation_in_ms"),
            )
            .await?;
        }
        retag(
            &self.aws,
            &format!("iam policy `{arn}`"),
            prior,
            planned,
            |keys| {
                iam.untag_policy()
                    .policy_arn(arn)
                    .set_tag_keys(Some(keys))
                    .send()
            },
            |tags| iam.tag_policy().policy_arn(arn).set_tags(Some(tags)).send(),
        )
        .await?;
        by_id::updated(self, arn, planned).await
    }

    async fn delete(&self, prior: &Value, _ctx: &OpContext) -> Result<()> {
        let Some(arn) = prior.str_attr("id") else {
            return Ok(());
        };
        if self.get(arn).await?.is_none() {
            return Ok(());
        }
        for v in self.versions(arn).await? {
            if let (false, Some(id)) = (v.is_default_version(), v.version_id()) {
                self.delete_version(arn, id).await?;
            }
        }
        retry::delete(&format!("deleting iam policy `{arn}`"), || {
            self.aws.iam.delete_policy().policy_arn(arn).send()
        })
        .await
        .map_err(|e| {
            if e.has_code("DeleteConflict") {
                e.with_hint("the policy is still attached: destroy its `aws_iam_role_policy_attachment`s first")
            } else {
                e
            }
        })
    }

    /// Every page of ListPolicies (customer-managed only), each read for its tags.
    async fn list_marked(
        &self,
        filter: &labform_sdk::StackFilter,
    ) -> Result<Vec<labform_sdk::Marked>> {
        let arns: Vec<String> = self
            .list(None)
            .await?
            .iter()
            .filter_map(|p| p.arn().map(str::to_string))
            .collect();
        let all = by_id::read_all(self, &arns).await?;
        Ok(marked(all, filter))
    }
}
