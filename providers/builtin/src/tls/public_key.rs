//! `data "tls_public_key"`: the public attributes of a given private key (hashicorp/tls).

use labform_sdk::{
    async_trait, Attribute, BlockSchema, DataSource, ProviderError, Result, Type, Value,
};

use super::export;
use super::parse;
use super::private_key::PUBLIC;

labform_sdk::typed! {
    pub struct TlsPublicKey("tls_public_key") {}
    schema: schema()
}

pub fn schema() -> BlockSchema {
    let mut schema = BlockSchema::new()
        .attr(
            "private_key_pem",
            Attribute::optional(Type::String).sensitive(),
        )
        .attr(
            "private_key_openssh",
            Attribute::optional(Type::String).sensitive(),
        )
        .attr("algorithm", Attribute::computed(Type::String));
    for name in PUBLIC {
        schema = schema.attr(name, Attribute::computed(Type::String));
    }
    schema
}

#[async_trait]
impl DataSource for TlsPublicKey {
    async fn read(&self, config: &Value) -> Result<Value> {
        // The messages never quote the key: it is sensitive.
        let key = match (
            config.str_attr("private_key_pem"),
            config.str_attr("private_key_openssh"),
        ) {
            (Some(pem), None) => parse::from_pem(pem),
            (None, Some(openssh)) => parse::from_openssh(openssh),
            _ => return Err(ProviderError::invalid(
                "`tls_public_key` needs exactly one of `private_key_pem`, `private_key_openssh`",
            )),
        }
        .map_err(|e| ProviderError::invalid(format!("cannot read the private key: {e}")))?;
        let mut value = config.clone();
        value.set("algorithm", key.algorithm().into());
        export::set_public(&mut value, &key)?;
        Ok(value)
    }
}
