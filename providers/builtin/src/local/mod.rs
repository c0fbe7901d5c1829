//! The `local` provider (hashicorp/local): files on the machine that runs labform.

mod data;
mod digest;
mod file;
mod perm;
mod variant;

#[cfg(test)]
mod tests;

use labform_sdk::ResourceSet;

use variant::Variant;

no_config_provider! {
    pub struct LocalProvider("registry.terraform.io/hashicorp/local", "2.5.3");
    resources(ctx) => {
        let mut set = ResourceSet::new();
        for v in [Variant::File, Variant::SensitiveFile] {
            set = set
                .resource(file::LocalFile::new(v, ctx.clone()))
                .data_source(data::LocalFileData::new(v, ctx.clone()));
        }
        set
    }
}
