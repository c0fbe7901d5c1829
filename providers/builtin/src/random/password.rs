//! `random_password`: random_string whose `result` is sensitive, with a bcrypt hash of it.

use labform_sdk::{AttrPath, Attribute, BlockSchema, ProviderError, Result, Type, Value};

use super::charset;
use super::resource::Kind;
use super::strings;

/// Go's bcrypt default cost, which Terraform uses.
const BCRYPT_COST: u32 = 10;

pub struct RandomPassword;

impl Kind for RandomPassword {
    const TYPE: &'static str = "random_password";

    fn schema() -> BlockSchema {
        strings::base_schema()
            .attrs(
                &["result", "bcrypt_hash"],
                Attribute::computed(Type::String).sensitive(),
            )
            .attr("id", Attribute::computed(Type::String))
            .version(3)
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
        state.set("bcrypt_hash", bcrypt_hash(&result)?.into());
        state.set("result", result.into());
        state.set("id", "none".into());
        Ok(state)
    }

    fn import(id: &str) -> Option<Result<Value>> {
        let mut state = strings::imported(&Self::schema(), id);
        state.set("id", "none".into());
        Some(bcrypt_hash(id).map(|hash| {
            state.set("bcrypt_hash", hash.into());
            state
        }))
    }
}

/// `$2a$10$...` over the first 72 bytes (bcrypt's limit; Terraform truncates the same way).
pub fn bcrypt_hash(password: &str) -> Result<String> {
    let bytes = password.as_bytes();
    let input = &bytes[..bytes.len().min(72)];
    bcrypt::hash_with_result(input, BCRYPT_COST)
        .map(|h| h.format_for_version(bcrypt::Version::TwoA))
        .map_err(|e| ProviderError::api(format!("cannot compute the bcrypt hash: {e}")))
}
