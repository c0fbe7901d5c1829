//! The providers compiled into this binary, and their schemas by type name.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use labform_sdk::{BlockSchema, Provider};

use crate::config::Mode;

/// The registry's schemas, for the state store's Terraform encoding of attribute values.
pub struct StateSchemas(pub Arc<Registry>);

impl labform_state::SchemaSource for StateSchemas {
    fn resource_schema(
        &self,
        mode: labform_state::Mode,
        type_name: &str,
    ) -> Option<Arc<BlockSchema>> {
        self.0.schema(mode, type_name).map(|(_, s)| s.clone())
    }
}

/// Every provider available to stacks, by local name.
pub struct Registry {
    providers: BTreeMap<String, Arc<dyn Provider>>,
    resource_schemas: HashMap<(Mode, String), (String, Arc<BlockSchema>)>,
    config_schemas: HashMap<String, Arc<BlockSchema>>,
}

impl Registry {
    pub fn new(providers: Vec<Box<dyn Provider>>) -> Self {
        let mut r = Registry {
            providers: BTreeMap::new(),
            resource_schemas: HashMap::new(),
            config_schemas: HashMap::new(),
        };
        for p in providers {
            let name = p.name().to_string();
            for (t, s) in p.resource_schemas() {
                r.resource_schemas
                    .insert((Mode::Managed, t.to_string()), (name.clone(), Arc::new(s)));
            }
            for (t, s) in p.data_source_schemas() {
                r.resource_schemas
                    .insert((Mode::Data, t.to_string()), (name.clone(), Arc::new(s)));
            }
            r.config_schemas
                .insert(name.clone(), Arc::new(p.config_schema()));
            r.providers.insert(name, Arc::from(p));
        }
        r
    }

    pub fn provider(&self, name: &str) -> Option<&Arc<dyn Provider>> {
        self.providers.get(name)
    }

    pub fn provider_names(&self) -> impl Iterator<Item = &str> {
        self.providers.keys().map(String::as_str)
    }

    /// The schema of a resource or data source type, and the provider that serves it.
    pub fn schema(&self, mode: Mode, type_name: &str) -> Option<(&str, &Arc<BlockSchema>)> {
        self.resource_schemas
            .get(&(mode, type_name.to_string()))
            .map(|(p, s)| (p.as_str(), s))
    }

    /// The schema version of a type as its Terraform provider declares it (0 when unknown).
    pub fn schema_version(&self, mode: Mode, type_name: &str) -> u64 {
        self.schema(mode, type_name).map_or(0, |(_, s)| s.version)
    }

    pub fn config_schema(&self, provider: &str) -> Option<&Arc<BlockSchema>> {
        self.config_schemas.get(provider)
    }

    /// Every type name of a mode, for "did you mean".
    pub fn type_names(&self, mode: Mode) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .resource_schemas
            .keys()
            .filter(|(m, _)| *m == mode)
            .map(|(_, t)| t.as_str())
            .collect();
        v.sort_unstable();
        v
    }
}

/// Terraform's registry source of a provider local name, as written in state files: the
/// provider's own when compiled in, else the `hashicorp/` namespace Terraform assumes.
pub fn provider_source(name: &str) -> String {
    match crate::providers::identity(name) {
        Some(id) => id.source.to_string(),
        None => format!("registry.terraform.io/hashicorp/{name}"),
    }
}

/// The state file's provider string for a provider key: `provider["registry.terraform.io/hashicorp/aws"].west`.
pub fn state_provider(key: &str) -> String {
    let (name, alias) = match key.split_once('.') {
        Some((n, a)) => (n, Some(a)),
        None => (key, None),
    };
    match alias {
        Some(a) => format!("provider[\"{}\"].{a}", provider_source(name)),
        None => format!("provider[\"{}\"]", provider_source(name)),
    }
}

/// The provider key from a state file's provider string (the inverse of [`state_provider`]).
pub fn key_from_state_provider(s: &str) -> String {
    let inner = s.trim_start_matches("provider[\"");
    let (source, rest) = inner.split_once("\"]").unwrap_or((inner, ""));
    let name = source.rsplit('/').next().unwrap_or(source);
    match rest.strip_prefix('.') {
        Some(alias) if !alias.is_empty() => format!("{name}.{alias}"),
        _ => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_provider_strings_round_trip() {
        assert_eq!(
            state_provider("aws"),
            "provider[\"registry.terraform.io/hashicorp/aws\"]"
        );
        assert_eq!(
            key_from_state_provider(&state_provider("aws.west")),
            "aws.west"
        );
        assert_eq!(key_from_state_provider(&state_provider("docker")), "docker");
    }
}
