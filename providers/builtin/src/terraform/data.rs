//! `terraform_data`: a value kept in state, replaced when `triggers_replace` changes.
//!
//! The v1.16 alpha `store` block is not implemented: it exists in no released Terraform yet.

use labform_sdk::{
    async_trait, Attribute, BlockSchema, OpContext, PlannedChange, ProviderError, Resource, Result,
    Type, Value,
};

use crate::rng;

labform_sdk::typed! {
    pub struct TerraformData("terraform_data") {}
    schema: schema()
}

pub fn schema() -> BlockSchema {
    BlockSchema::new()
        .attr("id", Attribute::computed(Type::String))
        .attr("input", Attribute::optional(Type::Any))
        .attr("output", Attribute::computed(Type::Any))
        .attr("triggers_replace", Attribute::optional(Type::Any))
}

/// The planned value of a new instance: new id, output unknown (null when input is null).
fn fresh(config: &Value) -> Value {
    let input = config.get("input").clone();
    let output = if input.is_null() {
        Value::Null
    } else {
        Value::Unknown
    };
    Value::from_pairs([
        ("id", Value::Unknown),
        ("input", input),
        ("output", output),
        ("triggers_replace", config.get("triggers_replace").clone()),
    ])
}

/// Replace when triggers_replace differs (an unknown value differs too); otherwise an input
/// change updates in place with output unknown until apply; no change keeps the prior value.
pub fn plan(prior: Option<&Value>, config: &Value) -> PlannedChange {
    let Some(prior) = prior else {
        return PlannedChange {
            planned: fresh(config),
            requires_replace: Vec::new(),
        };
    };
    let triggers = config.get("triggers_replace");
    if triggers.is_unknown() || triggers != prior.get("triggers_replace") {
        return PlannedChange {
            planned: fresh(config),
            requires_replace: vec![vec!["triggers_replace".to_string()]],
        };
    }
    let mut planned = prior.clone();
    let input = config.get("input");
    if input != prior.get("input") {
        let output = if input.is_null() {
            Value::Null
        } else {
            Value::Unknown
        };
        planned.set("input", input.clone());
        planned.set("output", output);
    }
    PlannedChange {
        planned,
        requires_replace: Vec::new(),
    }
}

/// The state after apply: every unknown filled, output = input.
fn applied(planned: &Value, id: Value) -> Result<Value> {
    let input = planned.get("input");
    if !input.is_wholly_known() || !planned.get("triggers_replace").is_wholly_known() {
        return Err(ProviderError::invalid(
            "`input` or `triggers_replace` is still unknown at apply",
        ));
    }
    let mut state = planned.clone();
    state.set("id", id);
    state.set("output", input.clone());
    Ok(state)
}

#[async_trait]
impl Resource for TerraformData {
    /// Nothing outside state: an interrupted create left nothing to find.
    async fn find_interrupted(&self, _intent: &Value, _token: &str) -> Result<Option<Value>> {
        Ok(None)
    }

    fn validate(&self, config: &Value) -> Result<()> {
        for name in ["id", "output"] {
            if !config.get(name).is_null() {
                return Err(ProviderError::invalid(format!(
                    "`{name}` of `terraform_data` is read-only"
                ))
                .with_hint(format!("remove `{name}` from the configuration")));
            }
        }
        Ok(())
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        Ok(plan(prior, config))
    }

    async fn create(&self, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        applied(planned, rng::go_uuid()?.into())
    }

    async fn read(&self, current: &Value) -> Result<Option<Value>> {
        Ok(Some(current.clone()))
    }

    async fn update(&self, prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        applied(planned, prior.get("id").clone())
    }

    async fn delete(&self, _prior: &Value, _ctx: &OpContext) -> Result<()> {
        Ok(())
    }

    /// Any id is accepted verbatim; input, output and triggers_replace cannot be recovered.
    async fn import(&self, id: &str) -> Result<Value> {
        let mut state = self.schema.empty_value();
        state.set("id", id.into());
        Ok(state)
    }

    fn has_remote_object(&self) -> bool {
        false
    }
}
