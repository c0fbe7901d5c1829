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

use labform_sdk::ResourceSet;

no_config_provider! {
    pub struct ArchiveProvider("registry.terraform.io/hashicorp/archive", "2.8.0");
    resources(ctx) => ResourceSet::new()
        .resource(file::ArchiveFile::new(ctx.clone()))
        .data_source(data::ArchiveFileData::new(ctx.clone()))
}
