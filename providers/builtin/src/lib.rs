//! Providers that need no credentials: `terraform` (terraform_data), `random`, `local`,
//! `time` (time_sleep), `tls` (tls_private_key) and `archive` (archive_file).
//!
//! They behave as Terraform's own (`terraform.io/builtin/terraform`, hashicorp/random,
//! hashicorp/local, hashicorp/time, hashicorp/tls, hashicorp/archive), so one stack file gives
//! the same results under both tools.

#[macro_use]
mod no_config;

mod archive;
mod checksum;
mod crc64;
mod encode;
mod gorand;
mod local;
mod random;
mod rng;
mod terraform;
#[cfg(test)]
mod test_stack;
mod time;
mod tls;

pub use archive::ArchiveProvider;
pub use local::LocalProvider;
pub use random::RandomProvider;
pub use terraform::TerraformProvider;
pub use time::TimeProvider;
pub use tls::TlsProvider;

/// The providers, for the engine's provider registry: `terraform`, `random`, `local`, `time`,
/// `tls`, `archive`.
pub fn providers() -> Vec<Box<dyn labform_sdk::Provider>> {
    vec![
        Box::new(TerraformProvider),
        Box::new(RandomProvider),
        Box::new(LocalProvider),
        Box::new(TimeProvider),
        Box::new(TlsProvider),
        Box::new(ArchiveProvider),
    ]
}

#[cfg(test)]
mod tests {
    #[test]
    fn providers_are_terraform_random_and_local_with_their_types() {
        let all = super::providers();
        let names: Vec<&str> = all.iter().map(|p| p.name()).collect();
        assert_eq!(
            names,
            ["terraform", "random", "local", "time", "tls", "archive"]
        );
        for p in &all {
            let schemas = p.resource_schemas();
            assert!(!schemas.is_empty(), "{}", p.name());
            for t in schemas.keys() {
                assert!(
                    t.starts_with(&format!("{}_", p.name())),
                    "{t} under {}",
                    p.name()
                );
            }
            assert!(
                p.config_schema().attributes.is_empty(),
                "{} needs no configuration",
                p.name()
            );
        }
    }
}
