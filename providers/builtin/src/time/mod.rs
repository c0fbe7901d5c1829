//! Provider `time` (hashicorp/time): `time_sleep`, which waits on create and/or destroy, as
//! course stacks do to let a just-created service settle.

mod sleep;

use std::collections::BTreeMap;
use std::sync::Arc;

use labform_sdk::{
    async_trait, BlockSchema, ConfiguredProvider, Provider, ProviderContext, ProviderError,
    ResourceSet, Value,
};

pub struct TimeProvider;

#[async_trait]
impl Provider for TimeProvider {
    fn name(&self) -> &'static str {
        "time"
    }
    fn source(&self) -> &'static str {
        "registry.terraform.io/hashicorp/time"
    }
    fn schema_version(&self) -> &'static str {
        "0.13.1"
    }

    fn config_schema(&self) -> BlockSchema {
        BlockSchema::new()
    }

    fn resource_schemas(&self) -> BTreeMap<&'static str, BlockSchema> {
        BTreeMap::from([("time_sleep", sleep::schema())])
    }

    async fn configure(
        &self,
        _config: &Value,
        _ctx: &ProviderContext,
    ) -> Result<Arc<dyn ConfiguredProvider>, ProviderError> {
        Ok(Arc::new(
            ResourceSet::new().resource(sleep::TimeSleep::new()),
        ))
    }
}
