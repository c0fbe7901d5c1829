//! `random_string`: a random string that is not secret (`result` is shown in plans).

use labform_sdk::{AttrPath, Attribute, BlockSchema, Result, Type, Value};

use super::charset;
use super::resource::Kind;
use super::strings;

pub struct RandomString;

impl Kind for RandomString {
    const TYPE: &'static str = "random_string";

    fn schema() -> BlockSchema {
        strings::base_schema()
            .attrs(&["result", "id"], Attribute::computed(Type::String))
            .version(2)
    }

    fn validate(config: &Value) -> Result<()> {
        strings::validate(config)
    }

    fn normalize(config: &Value) -> Result<Value> {
        strings::normalize(config)
    }

    fn extra_replace(prior: &Value, config: &Value, _planned: &Value) -> Vec<AttrPath> {
        strings::override_special_replace(prior, config)
    }

    fn generate(planned: &Value) -> Result<Value> {
        let result = charset::generate(&strings::params(planned)?)?;
        let mut state = planned.clone();
        state.set("result", result.clone().into());
        state.set("id", result.into());
        Ok(state)
    }

    fn import(id: &str) -> Option<Result<Value>> {
        let mut state = strings::imported(&Self::schema(), id);
        state.set("id", id.into());
        Some(Ok(state))
    }
}
