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

use labform_sdk::ResourceSet;

no_config_provider! {
    pub struct TlsProvider("registry.terraform.io/hashicorp/tls", "4.2.1");
    resources(_ctx) => ResourceSet::new()
        .resource(private_key::TlsPrivateKey::new())
        .data_source(public_key::TlsPublicKey::new())
}
