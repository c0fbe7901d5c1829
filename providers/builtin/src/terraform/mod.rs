//! The built-in `terraform` provider: `terraform_data`.

mod data;

#[cfg(test)]
mod tests;

use labform_sdk::{NoConfigProvider, ProviderContext, ResourceSet};

pub struct TerraformProvider;

impl NoConfigProvider for TerraformProvider {
    const SOURCE: &'static str = "terraform.io/builtin/terraform";
    const SCHEMA_VERSION: &'static str = "1.15.0";

    fn resources(_ctx: &ProviderContext) -> ResourceSet {
        ResourceSet::new().resource(data::TerraformData::new())
    }
}
