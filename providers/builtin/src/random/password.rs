//! `random_password`: random_string whose `result` is sensitive, with a bcrypt hash of it.

use labform_sdk::{Attribute, BlockSchema, ProviderError, Result, Type, Value};

use super::strings::{self, StringKind};

/// Go's bcrypt default cost, which Terraform uses.
const BCRYPT_COST: u32 = 10;

pub struct RandomPassword;

impl StringKind for RandomPassword {
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

    fn set_result(state: &mut Value, result: &str) -> Result<()> {
        state.set("bcrypt_hash", bcrypt_hash(result)?.into());
        state.set("result", result.into());
        state.set("id", "none".into());
        Ok(())
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
