//! The built-in `terraform` provider: `terraform_data`.

mod data;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::sync::Arc;

use labform_sdk::{
    async_trait, BlockSchema, ConfiguredProvider, Provider, ProviderContext, ProviderError,
    ResourceSet, Value,
};

pub struct TerraformProvider;

#[async_trait]
impl Provider for TerraformProvider {
    fn name(&self) -> &'static str {
        "terraform"
    }
    fn source(&self) -> &'static str {
        "terraform.io/builtin/terraform"
    }
    fn schema_version(&self) -> &'static str {
        "1.15.0"
    }

    fn config_schema(&self) -> BlockSchema {
        BlockSchema::new()
    }

    fn resource_schemas(&self) -> BTreeMap<&'static str, BlockSchema> {
        BTreeMap::from([("terraform_data", data::schema())])
    }

    async fn configure(
        &self,
        _config: &Value,
        _ctx: &ProviderContext,
    ) -> Result<Arc<dyn ConfiguredProvider>, ProviderError> {
        Ok(Arc::new(
            ResourceSet::new().resource(data::TerraformData::new()),
        ))
    }
}
