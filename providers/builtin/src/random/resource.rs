//! One generic [`Resource`] for every random_* type: the value is made once at create and lives
//! only in state (read, update and delete touch nothing outside it).

use std::marker::PhantomData;

use labform_sdk::{
    async_trait, AttrPath, BlockSchema, OpContext, PlannedChange, ProviderError, Resource, Result,
    Typed, Value,
};

use super::plan::{keepers_require_replace, plan_with_extra};

/// What distinguishes one random_* type.
pub trait Kind: Send + Sync + 'static {
    const TYPE: &'static str;
    fn schema() -> BlockSchema;
    fn validate(_config: &Value) -> Result<()> {
        Ok(())
    }
    /// Rewrites the configuration before planning (attributes kept in sync with each other).
    fn normalize(config: &Value) -> Result<Value> {
        Ok(config.clone())
    }
    /// Replace reasons beyond `force_new` attributes and keepers.
    fn extra_replace(_prior: &Value, _config: &Value, _planned: &Value) -> Vec<AttrPath> {
        Vec::new()
    }
    /// Fills every computed attribute of a planned value.
    fn generate(planned: &Value) -> Result<Value>;
    /// The state for `terraform import`-style ids; `None` when the type has no import.
    fn import(_id: &str) -> Option<Result<Value>> {
        None
    }
}

pub struct RandomResource<K: Kind> {
    schema: BlockSchema,
    kind: PhantomData<K>,
}

impl<K: Kind> RandomResource<K> {
    pub fn new() -> Self {
        RandomResource {
            schema: K::schema(),
            kind: PhantomData,
        }
    }
}

impl<K: Kind> Typed for RandomResource<K> {
    fn type_name(&self) -> &'static str {
        K::TYPE
    }

    fn schema(&self) -> &BlockSchema {
        &self.schema
    }
}

#[async_trait]
impl<K: Kind> Resource for RandomResource<K> {
    /// Nothing outside state: an interrupted create left nothing to find.
    async fn find_interrupted(&self, _intent: &Value, _token: &str) -> Result<Option<Value>> {
        Ok(None)
    }

    fn validate(&self, config: &Value) -> Result<()> {
        K::validate(config)?;
        K::normalize(config).map(|_| ())
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        let config = K::normalize(config)?;
        Ok(plan_with_extra(
            &self.schema,
            prior,
            &config,
            |prior, planned| {
                let mut reasons = Vec::new();
                if keepers_require_replace(prior.get("keepers"), planned.get("keepers")) {
                    reasons.push(vec!["keepers".to_string()]);
                }
                reasons.extend(K::extra_replace(prior, &config, planned));
                reasons
            },
        ))
    }

    async fn create(&self, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        let state = K::generate(planned)?;
        known(state)
    }

    async fn read(&self, current: &Value) -> Result<Option<Value>> {
        Ok(Some(current.clone()))
    }

    async fn update(&self, prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        // Only keepers (and override_special null <-> "") change in place: the generated values
        // stay; anything the plan left unknown keeps its prior value.
        let mut state = planned.clone();
        for name in self.schema.attributes.keys() {
            if state.get(name).is_unknown() {
                state.set(name.clone(), prior.get(name).clone());
            }
        }
        known(state)
    }

    async fn delete(&self, _prior: &Value, _ctx: &OpContext) -> Result<()> {
        Ok(())
    }

    async fn import(&self, id: &str) -> Result<Value> {
        match K::import(id) {
            Some(result) => result,
            None => Err(ProviderError::unsupported(format!(
                "`{}` does not support import",
                K::TYPE
            ))),
        }
    }

    fn has_remote_object(&self) -> bool {
        false
    }
}

fn known(state: Value) -> Result<Value> {
    if state.is_wholly_known() {
        Ok(state)
    } else {
        Err(
            ProviderError::invalid("a value this resource needs is still unknown at apply")
                .with_hint("make sure every attribute it depends on is known before apply"),
        )
    }
}

/// Reads a whole-number attribute that the schema requires.
pub fn int_attr(value: &Value, name: &str) -> Result<i64> {
    match value.get(name) {
        Value::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => Ok(*n as i64),
        Value::Null => Err(ProviderError::invalid(format!("`{name}` is required"))),
        other => Err(ProviderError::invalid(format!(
            "`{name}` must be a whole number, got `{other}`"
        ))),
    }
}

/// A whole-number attribute that may be null.
pub fn opt_int_attr(value: &Value, name: &str) -> Result<Option<i64>> {
    match value.get(name) {
        Value::Null | Value::Unknown => Ok(None),
        _ => int_attr(value, name).map(Some),
    }
}
