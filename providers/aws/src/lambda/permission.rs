//! `aws_lambda_permission`: one statement of a function's resource policy. Its id is the
//! statement id; it is imported as `function/statement` (or `function:qualifier/statement`).
//! A statement has no tags of its own: it is found through its function (GetPolicy), and
//! deleting the function removes it, so a sweep of the function covers it. A statement id
//! generated from `statement_id_prefix` (or `terraform-`) is derived from the create token,
//! so an interrupted create finds its statement again by that id.

use std::sync::Arc;

use labform_sdk::{
    async_trait, by_id, Attribute, BlockSchema, OpContext, PlannedChange, ProviderError, Resource,
    Result, Value,
};

use crate::client::Aws;
use crate::names;
use crate::schema_util::{self as su, s};
use crate::{errors, retry};

labform_sdk::typed! {
    pub struct Permission("aws_lambda_permission", "lambda permission") { aws: Arc<Aws> }
    schema: schema()
}

pub fn schema() -> BlockSchema {
    let fixed = |a: Attribute| a.force_new();
    let sc = su::regional(
        BlockSchema::new()
            .attrs(
                &["action", "function_name", "principal"],
                fixed(Attribute::required(s())),
            )
            .attrs(
                &[
                    "qualifier",
                    "source_account",
                    "source_arn",
                    "event_source_token",
                ],
                fixed(Attribute::optional(s())),
            )
            .attr("statement_id", fixed(Attribute::optional_computed(s())))
            .attr("statement_id_prefix", fixed(Attribute::optional(s()))),
    );
    su::timeouts(sc, &["create", "read", "delete"])
}

impl Permission {
    /// The statement `sid` of the policy of `function` (at `qualifier`), as JSON.
    async fn statement(
        &self,
        function: &str,
        qualifier: Option<&str>,
        sid: &str,
    ) -> Result<Option<serde_json::Value>> {
        let out = errors::found(
            &format!("reading the policy of lambda function `{function}`"),
            self.aws
                .lambda
                .get_policy()
                .function_name(function)
                .set_qualifier(qualifier.map(str::to_string))
                .send()
                .await,
        )?;
        let Some(text) = out.and_then(|o| o.policy) else {
            return Ok(None);
        };
        let policy: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
            ProviderError::api(format!(
                "the policy of lambda function `{function}` is not JSON: {e}"
            ))
        })?;
        Ok(policy["Statement"]
            .as_array()
            .and_then(|all| all.iter().find(|st| st["Sid"] == sid).cloned()))
    }

    /// The state value of statement `st`; `current` supplies the function and qualifier as
    /// configured, and the principal as written where AWS shows it in another form.
    fn value_of(&self, st: &serde_json::Value, sid: &str, current: &Value) -> Value {
        let mut v = self.schema.empty_value();
        su::keep(
            &mut v,
            current,
            &[
                "function_name",
                "qualifier",
                "statement_id_prefix",
                "timeouts",
            ],
        );
        v.set("id", sid.into());
        v.set("statement_id", sid.into());
        v.set("region", self.aws.region.as_str().into());
        v.set("action", st["Action"].as_str().unwrap_or_default().into());
        v.set("principal", principal(&st["Principal"], current).into());
        let condition = |op: &str, key: &str| {
            st["Condition"][op][key]
                .as_str()
                .map_or(Value::Null, Value::from)
        };
        v.set("source_arn", condition("ArnLike", "AWS:SourceArn"));
        v.set(
            "source_account",
            condition("StringEquals", "AWS:SourceAccount"),
        );
        v.set(
            "event_source_token",
            condition("StringEquals", "lambda:EventSourceToken"),
        );
        v
    }
}

/// The principal of a statement: a service, `*`, or an account, which AWS writes as
/// `arn:aws:iam::<account>:root` where the configuration may give the bare account id.
fn principal(p: &serde_json::Value, current: &Value) -> String {
    let found = p
        .as_str()
        .or_else(|| p["Service"].as_str())
        .or_else(|| p["AWS"].as_str())
        .unwrap_or_default();
    match current.str_attr("principal") {
        Some(account) if found == format!("arn:aws:iam::{account}:root") => account.to_string(),
        _ => found.to_string(),
    }
}

#[async_trait]
impl Resource for Permission {
    /// `id` is the statement id; the function comes from `current`.
    async fn read_id(&self, id: &str, current: &Value) -> Result<Option<Value>> {
        let function = su::req(current, "function_name")?;
        let st = self.statement(function, qualifier(current), id).await?;
        Ok(st.map(|st| self.value_of(&st, id, current)))
    }

    fn validate(&self, config: &Value) -> Result<()> {
        if !config.get("statement_id").is_null() && !config.get("statement_id_prefix").is_null() {
            return Err(ProviderError::invalid(
                "`statement_id` conflicts with `statement_id_prefix`",
            )
            .with_hint("set one of them, or neither for a generated id"));
        }
        Ok(())
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        su::plan(&self.aws, &self.schema, prior, config)
    }

    /// A configured `statement_id` is a natural key (AWS cannot tell whose statement it is);
    /// a generated one is derived from the create token.
    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        let sid = statement_id(intent, Some(token));
        self.read_id(&sid, intent).await
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let function = su::req(planned, "function_name")?;
        let sid = statement_id(planned, ctx.create_token());
        self.aws
            .lambda
            .add_permission()
            .function_name(function)
            .statement_id(&sid)
            .action(su::req(planned, "action")?)
            .principal(su::req(planned, "principal")?)
            .set_qualifier(qualifier(planned).map(str::to_string))
            .set_source_arn(planned.str_attr("source_arn").map(str::to_string))
            .set_source_account(planned.str_attr("source_account").map(str::to_string))
            .set_event_source_token(planned.str_attr("event_source_token").map(str::to_string))
            .send()
            .await
            .map_err(|e| match errors::code(&e).as_deref() {
                Some("ResourceConflictException") => ProviderError::conflict(format!(
                    "the policy of lambda function `{function}` already has a statement `{sid}`"
                ))
                .with_hint("choose another `statement_id`, or import the existing statement"),
                _ => errors::sdk(
                    &format!("adding permission `{sid}` to lambda function `{function}`"),
                    e,
                ),
            })?;
        by_id::created(self, &sid, planned).await
    }

    /// Every argument forces a new statement: nothing changes in place.
    async fn update(&self, _prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        by_id::updated(self, su::req(planned, "id")?, planned).await
    }

    async fn delete(&self, prior: &Value, _ctx: &OpContext) -> Result<()> {
        let (Some(function), Some(sid)) = (prior.str_attr("function_name"), prior.str_attr("id"))
        else {
            return Ok(());
        };
        retry::delete(
            &format!("removing permission `{sid}` from lambda function `{function}`"),
            || {
                self.aws
                    .lambda
                    .remove_permission()
                    .function_name(function)
                    .statement_id(sid)
                    .set_qualifier(qualifier(prior).map(str::to_string))
                    .send()
            },
        )
        .await
    }

    /// `function/statement` or `function:qualifier/statement`.
    async fn import(&self, id: &str) -> Result<Value> {
        let bad = || {
            ProviderError::invalid(format!(
                "import id `{id}` is not `FUNCTION/STATEMENT_ID` (or `FUNCTION:QUALIFIER/STATEMENT_ID`)"
            ))
        };
        let (function, sid) = id.split_once('/').ok_or_else(bad)?;
        if function.is_empty() || sid.is_empty() {
            return Err(bad());
        }
        let (name, qualifier) = match function.rsplit_once(':') {
            Some((n, q)) if !function.starts_with("arn:") => (n, Some(q)),
            _ => (function, None),
        };
        let mut blank = self.blank();
        blank.set("function_name", name.into());
        blank.set("qualifier", qualifier.map_or(Value::Null, Value::from));
        self.read_id(sid, &blank).await?.ok_or_else(|| {
            ProviderError::not_found(format!("lambda permission `{id}` does not exist"))
        })
    }
}

/// The function version or alias the statement is on. Terraform's provider records the
/// unqualified function's as `""`, which the API would take as a qualifier of its own.
fn qualifier(v: &Value) -> Option<&str> {
    v.str_attr("qualifier").filter(|q| !q.is_empty())
}

/// The statement id a create uses: the configured one, or the prefix (`terraform-` by
/// default) followed by a suffix derived from the create token (random without one).
fn statement_id(v: &Value, token: Option<&str>) -> String {
    if let Some(sid) = v.str_attr("statement_id") {
        return sid.to_string();
    }
    let prefix = v.str_attr("statement_id_prefix").unwrap_or("terraform-");
    match token {
        Some(t) => names::derived_name(prefix, t),
        None => names::unique_name(Some(prefix)),
    }
}
