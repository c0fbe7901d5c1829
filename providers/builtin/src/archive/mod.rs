//! The `archive` provider (hashicorp/archive): `archive_file` as a data source and a resource,
//! zip archives whose bytes depend only on the sources' names, contents and modes.

mod build;
mod data;
mod deflate;
mod file;
mod glob;
mod schema;
mod source;
mod walk;
mod zip;

#[cfg(test)]
mod golden_tests;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::sync::Arc;

use labform_sdk::{
    async_trait, BlockSchema, ConfiguredProvider, Provider, ProviderContext, ProviderError,
    ResourceSet, Value,
};

pub struct ArchiveProvider;

#[async_trait]
impl Provider for ArchiveProvider {
    fn name(&self) -> &'static str {
        "archive"
    }
    fn source(&self) -> &'static str {
        "registry.terraform.io/hashicorp/archive"
    }
    fn schema_version(&self) -> &'static str {
        "2.8.0"
    }

    fn config_schema(&self) -> BlockSchema {
        BlockSchema::new()
    }

    fn resource_schemas(&self) -> BTreeMap<&'static str, BlockSchema> {
        BTreeMap::from([("archive_file", schema::schema(true))])
    }

    fn data_source_schemas(&self) -> BTreeMap<&'static str, BlockSchema> {
        BTreeMap::from([("archive_file", schema::schema(false))])
    }

    async fn configure(
        &self,
        _config: &Value,
        ctx: &ProviderContext,
    ) -> Result<Arc<dyn ConfiguredProvider>, ProviderError> {
        Ok(Arc::new(
            ResourceSet::new()
                .resource(file::ArchiveFile::new(ctx.clone()))
                .data_source(data::ArchiveFileData::new(ctx.clone())),
        ))
    }
}
