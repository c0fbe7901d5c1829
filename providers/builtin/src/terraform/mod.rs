//! The built-in `terraform` provider: `terraform_data`.

mod data;

#[cfg(test)]
mod tests;

use labform_sdk::ResourceSet;

no_config_provider! {
    pub struct TerraformProvider("terraform.io/builtin/terraform", "1.15.0");
    resources(_ctx) => ResourceSet::new().resource(data::TerraformData::new())
}
