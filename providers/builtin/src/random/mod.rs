//! The `random` provider (hashicorp/random): values made once at create and kept in state.

mod charset;
mod id;
mod integer;
mod keepers;
mod password;
mod pet;
mod plan;
mod resource;
mod seed;
mod shuffle;
mod string;
mod strings;
mod uuid;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::sync::Arc;

use labform_sdk::{
    async_trait, BlockSchema, ConfiguredProvider, Provider, ProviderContext, ProviderError,
    ResourceSet, Value,
};

use resource::RandomResource;

pub struct RandomProvider;

fn resources() -> ResourceSet {
    ResourceSet::new()
        .resource(RandomResource::<id::RandomId>::new())
        .resource(RandomResource::<string::RandomString>::new())
        .resource(RandomResource::<password::RandomPassword>::new())
        .resource(RandomResource::<pet::RandomPet>::new())
        .resource(RandomResource::<integer::RandomInteger>::new())
        .resource(RandomResource::<shuffle::RandomShuffle>::new())
        .resource(RandomResource::<uuid::RandomUuid>::new())
}

fn schema_of<K: resource::Kind>() -> (&'static str, BlockSchema) {
    (K::TYPE, K::schema())
}

#[async_trait]
impl Provider for RandomProvider {
    fn name(&self) -> &'static str {
        "random"
    }
    fn source(&self) -> &'static str {
        "registry.terraform.io/hashicorp/random"
    }
    fn schema_version(&self) -> &'static str {
        "3.7.2"
    }

    fn config_schema(&self) -> BlockSchema {
        BlockSchema::new()
    }

    fn resource_schemas(&self) -> BTreeMap<&'static str, BlockSchema> {
        BTreeMap::from([
            schema_of::<id::RandomId>(),
            schema_of::<string::RandomString>(),
            schema_of::<password::RandomPassword>(),
            schema_of::<pet::RandomPet>(),
            schema_of::<integer::RandomInteger>(),
            schema_of::<shuffle::RandomShuffle>(),
            schema_of::<uuid::RandomUuid>(),
        ])
    }

    async fn configure(
        &self,
        _config: &Value,
        _ctx: &ProviderContext,
    ) -> Result<Arc<dyn ConfiguredProvider>, ProviderError> {
        Ok(Arc::new(resources()))
    }
}
