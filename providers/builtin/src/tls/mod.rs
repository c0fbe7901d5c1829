//! The `tls` provider (hashicorp/tls): `tls_private_key` and `data "tls_public_key"`.
//!
//! Keys are generated on this machine and kept only in state, as hashicorp/tls does.

mod ec;
mod export;
mod key;
mod parse;
mod pem;
mod private_key;
mod public_key;

#[cfg(test)]
mod tests;

use labform_sdk::{NoConfigProvider, ProviderContext, ResourceSet};

pub struct TlsProvider;

impl NoConfigProvider for TlsProvider {
    const SOURCE: &'static str = "registry.terraform.io/hashicorp/tls";
    const SCHEMA_VERSION: &'static str = "4.2.1";

    fn resources(_ctx: &ProviderContext) -> ResourceSet {
        ResourceSet::new()
            .resource(private_key::TlsPrivateKey::new())
            .data_source(public_key::TlsPublicKey::new())
    }
}
