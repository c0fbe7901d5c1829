//! `random_string`: a random string that is not secret (`result` is shown in plans).

use labform_sdk::{Attribute, BlockSchema, Result, Type, Value};

use super::strings::{self, StringKind};

pub struct RandomString;

impl StringKind for RandomString {
    const TYPE: &'static str = "random_string";

    fn schema() -> BlockSchema {
        strings::base_schema()
            .attrs(&["result", "id"], Attribute::computed(Type::String))
            .version(2)
    }

    fn set_result(state: &mut Value, result: &str) -> Result<()> {
        state.set("result", result.into());
        state.set("id", result.into());
        Ok(())
    }
}
