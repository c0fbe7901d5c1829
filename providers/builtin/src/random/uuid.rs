//! `random_uuid`: 16 random bytes in UUID text form (hashicorp/go-uuid: no version bits).

use labform_sdk::{Attribute, BlockSchema, ProviderError, Result, Type, Value};

use super::keepers;
use super::resource::Kind;
use crate::rng;

pub struct RandomUuid;

impl Kind for RandomUuid {
    const TYPE: &'static str = "random_uuid";

    fn schema() -> BlockSchema {
        keepers::base_schema().attrs(&["result", "id"], Attribute::computed(Type::String))
    }

    fn generate(planned: &Value) -> Result<Value> {
        let id = rng::go_uuid()?;
        let mut state = planned.clone();
        state.set("result", id.clone().into());
        state.set("id", id.into());
        Ok(state)
    }

    fn import(id: &str) -> Option<Result<Value>> {
        Some(parse_uuid(id).map(|text| {
            let mut state = Self::schema().empty_value();
            state.set("result", text.clone().into());
            state.set("id", text.into());
            state
        }))
    }
}

/// Accepts 36 characters with `-` at 8, 13, 18 and 23 and hex elsewhere; answers it lower-cased.
pub fn parse_uuid(text: &str) -> Result<String> {
    let ok = text.len() == 36
        && text.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        });
    if ok {
        Ok(text.to_ascii_lowercase())
    } else {
        Err(ProviderError::invalid(format!("`{text}` is not a uuid"))
            .with_hint("use the 36-character form `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`"))
    }
}
