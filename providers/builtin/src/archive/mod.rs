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

use labform_sdk::{NoConfigProvider, ProviderContext, ResourceSet};

pub struct ArchiveProvider;

impl NoConfigProvider for ArchiveProvider {
    const SOURCE: &'static str = "registry.terraform.io/hashicorp/archive";
    const SCHEMA_VERSION: &'static str = "2.8.0";

    fn resources(ctx: &ProviderContext) -> ResourceSet {
        ResourceSet::new()
            .resource(file::ArchiveFile::new(ctx.clone()))
            .data_source(data::ArchiveFileData::new(ctx.clone()))
    }
}
