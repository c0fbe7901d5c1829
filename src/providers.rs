//! The providers compiled into this binary. The only place that names them: everything else
//! asks the providers themselves (name, registry source, schema version).

use std::sync::OnceLock;

use labform_sdk::Provider;

pub fn all() -> Vec<Box<dyn Provider>> {
    #[allow(unused_mut)]
    let mut v: Vec<Box<dyn Provider>> = labform_builtin::providers();
    #[cfg(feature = "docker")]
    v.push(labform_docker::provider());
    #[cfg(feature = "aws")]
    v.push(labform_aws::provider());
    #[cfg(feature = "gcp")]
    v.push(labform_gcp::provider());
    v
}

/// A compiled-in provider's identity.
#[derive(Clone, Copy, Debug)]
pub struct Identity {
    pub name: &'static str,
    pub source: &'static str,
    pub schema_version: &'static str,
}

/// Every compiled-in provider's identity, by local name.
pub fn identities() -> &'static [Identity] {
    static IDS: OnceLock<Vec<Identity>> = OnceLock::new();
    IDS.get_or_init(|| {
        let mut ids: Vec<Identity> = all()
            .iter()
            .map(|p| Identity {
                name: p.name(),
                source: p.source(),
                schema_version: p.schema_version(),
            })
            .collect();
        ids.sort_by_key(|i| i.name);
        ids
    })
}

pub fn identity(name: &str) -> Option<Identity> {
    identities().iter().find(|i| i.name == name).copied()
}

/// The cargo feature that would compile in a provider this binary was built without.
pub fn feature_for_missing(name: &str) -> Option<&'static str> {
    match name {
        #[cfg(not(feature = "aws"))]
        "aws" => Some("aws"),
        #[cfg(not(feature = "gcp"))]
        "google" => Some("gcp"),
        #[cfg(not(feature = "docker"))]
        "docker" => Some("docker"),
        _ => None,
    }
}

/// The cloud provider features compiled into this binary.
fn compiled_features() -> Vec<&'static str> {
    [
        cfg!(feature = "aws").then_some("aws"),
        cfg!(feature = "docker").then_some("docker"),
        cfg!(feature = "gcp").then_some("gcp"),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The exact command that installs this labform again with `feature` added to what it has, from
/// the source it was built from, with the dependency versions of its `Cargo.lock` (`--locked`:
/// without it `cargo install` resolves the newest versions: not what was tested and timed).
pub fn rebuild_command(feature: &str) -> String {
    let mut features = compiled_features();
    features.push(feature);
    features.sort_unstable();
    features.dedup();
    let source = env!("CARGO_MANIFEST_DIR");
    if features.len() == 3 {
        return format!("cargo install --locked --path {source}");
    }
    format!(
        "cargo install --locked --path {source} --no-default-features --features {}",
        features.join(",")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_provider_names_its_own_identity_once() {
        let ids = identities();
        assert_eq!(ids.len(), all().len());
        let mut names: Vec<_> = ids.iter().map(|i| i.name).collect();
        names.dedup();
        assert_eq!(names.len(), ids.len(), "a provider name appears twice");
        let tf = identity("terraform").expect("the builtin terraform provider");
        assert_eq!(tf.source, "terraform.io/builtin/terraform");
        assert_eq!(tf.schema_version, crate::config::version::TERRAFORM_COMPAT);
        #[cfg(feature = "docker")]
        assert_eq!(
            identity("docker").map(|i| i.source),
            Some("registry.terraform.io/kreuzwerker/docker")
        );
        assert!(identity("nope").is_none());
        assert!(feature_for_missing("random").is_none());
    }

    #[test]
    fn the_rebuild_command_adds_the_missing_feature_to_those_compiled_in() {
        let source = env!("CARGO_MANIFEST_DIR");
        #[cfg(all(feature = "aws", feature = "docker", feature = "gcp"))]
        assert_eq!(
            rebuild_command("docker"),
            format!("cargo install --locked --path {source}")
        );
        #[cfg(not(any(feature = "aws", feature = "docker", feature = "gcp")))]
        assert_eq!(
            rebuild_command("gcp"),
            format!("cargo install --locked --path {source} --no-default-features --features gcp")
        );
        let _ = source;
    }
}
