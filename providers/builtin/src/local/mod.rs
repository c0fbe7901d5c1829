//! The `local` provider (hashicorp/local): files on the machine that runs labform.

mod data;
mod digest;
mod file;
mod perm;
mod variant;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::sync::Arc;

use labform_sdk::{
    async_trait, BlockSchema, ConfiguredProvider, Provider, ProviderContext, ProviderError,
    ResourceSet, Value,
};

use variant::Variant;

pub struct LocalProvider;

#[async_trait]
impl Provider for LocalProvider {
    fn name(&self) -> &'static str {
        "local"
    }
    fn source(&self) -> &'static str {
        "registry.terraform.io/hashicorp/local"
    }
    fn schema_version(&self) -> &'static str {
        "2.5.3"
    }

    fn config_schema(&self) -> BlockSchema {
        BlockSchema::new()
    }

    fn resource_schemas(&self) -> BTreeMap<&'static str, BlockSchema> {
        [Variant::File, Variant::SensitiveFile]
            .into_iter()
            .map(|v| (v.type_name(), v.schema()))
            .collect()
    }

    fn data_source_schemas(&self) -> BTreeMap<&'static str, BlockSchema> {
        [Variant::File, Variant::SensitiveFile]
            .into_iter()
            .map(|v| (v.type_name(), data::schema(v)))
            .collect()
    }

    async fn configure(
        &self,
        _config: &Value,
        ctx: &ProviderContext,
    ) -> Result<Arc<dyn ConfiguredProvider>, ProviderError> {
        let mut set = ResourceSet::new();
        for v in [Variant::File, Variant::SensitiveFile] {
            set = set
                .resource(file::LocalFile::new(v, ctx.clone()))
                .data_source(data::LocalFileData::new(v, ctx.clone()));
        }
        Ok(Arc::new(set))
    }
}
