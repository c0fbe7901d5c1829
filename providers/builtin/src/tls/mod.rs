//! The `tls` provider (hashicorp/tls): `tls_private_key` and `data "tls_public_key"`.
//!
//! Keys are generated on this machine and kept only in state, as hashicorp/tls does.

mod ec;
mod export;
mod key;
mod parse;
mod pem;
mod private_key;
mod public_key;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::sync::Arc;

use labform_sdk::{
    async_trait, BlockSchema, ConfiguredProvider, Provider, ProviderContext, ProviderError,
    Resource, ResourceSet, Value,
};

pub struct TlsProvider;

#[async_trait]
impl Provider for TlsProvider {
    fn name(&self) -> &'static str {
        "tls"
    }
    fn source(&self) -> &'static str {
        "registry.terraform.io/hashicorp/tls"
    }
    fn schema_version(&self) -> &'static str {
        "4.2.1"
    }

    fn config_schema(&self) -> BlockSchema {
        BlockSchema::new()
    }

    fn resource_schemas(&self) -> BTreeMap<&'static str, BlockSchema> {
        let key = private_key::TlsPrivateKey::new();
        BTreeMap::from([(key.type_name(), key.schema().clone())])
    }

    fn data_source_schemas(&self) -> BTreeMap<&'static str, BlockSchema> {
        BTreeMap::from([("tls_public_key", public_key::schema())])
    }

    async fn configure(
        &self,
        _config: &Value,
        _ctx: &ProviderContext,
    ) -> Result<Arc<dyn ConfiguredProvider>, ProviderError> {
        Ok(Arc::new(
            ResourceSet::new()
                .resource(private_key::TlsPrivateKey::new())
                .data_source(public_key::TlsPublicKey::new()),
        ))
    }
}
