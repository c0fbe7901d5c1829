//! The `local` provider (hashicorp/local): files on the machine that runs labform.

mod data;
mod digest;
mod file;
mod perm;
mod variant;

#[cfg(test)]
mod tests;

use labform_sdk::{NoConfigProvider, ProviderContext, ResourceSet};

use variant::Variant;

pub struct LocalProvider;

impl NoConfigProvider for LocalProvider {
    const SOURCE: &'static str = "registry.terraform.io/hashicorp/local";
    const SCHEMA_VERSION: &'static str = "2.5.3";

    fn resources(ctx: &ProviderContext) -> ResourceSet {
        let mut set = ResourceSet::new();
        for v in [Variant::File, Variant::SensitiveFile] {
            set = set
                .resource(file::LocalFile::new(v, ctx.clone()))
                .data_source(data::LocalFileData::new(v, ctx.clone()));
        }
        set
    }
}
