//! `random_id`: random bytes in several encodings.

use labform_sdk::{Attribute, BlockSchema, ProviderError, Result, Type, Value};

use super::keepers;
use super::resource::{int_attr, Kind};
use crate::encode;
use crate::rng;

pub struct RandomId;

impl Kind for RandomId {
    const TYPE: &'static str = "random_id";

    fn schema() -> BlockSchema {
        keepers::base_schema()
            .attr("byte_length", Attribute::required(Type::Number).force_new())
            .attr("prefix", Attribute::optional(Type::String).force_new())
            .attrs(
                &["b64_url", "b64_std", "hex", "dec", "id"],
                Attribute::computed(Type::String),
            )
    }

    fn validate(config: &Value) -> Result<()> {
        match config.get("byte_length") {
            Value::Unknown => Ok(()),
            _ => byte_length(config).map(|_| ()),
        }
    }

    fn generate(planned: &Value) -> Result<Value> {
        let bytes = rng::bytes(byte_length(planned)?)?;
        let prefix = planned.str_attr("prefix").unwrap_or("");
        Ok(encoded(planned.clone(), prefix, &bytes))
    }

    fn import(id: &str) -> Option<Result<Value>> {
        let (prefix, b64) = match id.rsplit_once(',') {
            Some((prefix, b64)) => (prefix, b64),
            None => ("", id),
        };
        let result = encode::decode_b64_url(b64)
            .map_err(|e| {
                ProviderError::invalid(format!("cannot decode the import id `{b64}` as unpadded url-safe base64: {e}"))
                    .with_hint("use `<b64_url>` or `<prefix>,<b64_url>` (the `id` attribute, without the prefix)")
            })
            .map(|bytes| {
                let mut base = Self::schema().empty_value();
                base.set("byte_length", Value::Number(bytes.len() as f64));
                if !prefix.is_empty() {
                    base.set("prefix", prefix.into());
                }
                encoded(base, prefix, &bytes)
            });
        Some(result)
    }
}

fn byte_length(value: &Value) -> Result<usize> {
    let n = int_attr(value, "byte_length")?;
    usize::try_from(n).map_err(|_| {
        ProviderError::invalid(format!("`byte_length` must not be negative, got `{n}`"))
    })
}

/// Sets the encodings of `bytes`: the prefix goes verbatim in front of each, except `id`.
fn encoded(mut value: Value, prefix: &str, bytes: &[u8]) -> Value {
    let url = encode::b64_url(bytes);
    value.set("b64_url", format!("{prefix}{url}").into());
    value.set(
        "b64_std",
        format!("{prefix}{}", encode::b64_std(bytes)).into(),
    );
    value.set("hex", format!("{prefix}{}", encode::hex(bytes)).into());
    value.set(
        "dec",
        format!("{prefix}{}", encode::big_endian_decimal(bytes)).into(),
    );
    value.set("id", url.into());
    value
}
