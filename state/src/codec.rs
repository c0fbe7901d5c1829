//! A state file's bytes as Terraform reads and writes them. Terraform encodes attribute values by
//! their schema (a `dynamic` value carries its type), so the engine hands a store the schemas of
//! the resource types it knows; a type without one is written and read as it is.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use labform_sdk::BlockSchema;
use serde_json::{json, Value as Json};

use crate::addr::Mode;
use crate::error::StateError;
use crate::file::StateFile;
use crate::tf_value;

/// The schemas of the resource types whose attributes a store encodes.
pub trait SchemaSource: Send + Sync {
    /// The schema of `type_name` in `mode`; `None` for a type labform does not implement.
    fn resource_schema(&self, mode: Mode, type_name: &str) -> Option<Arc<BlockSchema>>;
}

/// Reads and writes state files in Terraform's encoding.
#[derive(Clone, Default)]
pub struct Codec {
    schemas: Option<Arc<dyn SchemaSource>>,
}

impl fmt::Debug for Codec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Codec")
            .field("schemas", &self.schemas.is_some())
            .finish()
    }
}

impl Codec {
    pub fn new(schemas: Arc<dyn SchemaSource>) -> Self {
        Codec {
            schemas: Some(schemas),
        }
    }

    fn schema(&self, mode: Mode, type_name: &str) -> Option<Arc<BlockSchema>> {
        self.schemas
            .as_ref()
            .and_then(|s| s.resource_schema(mode, type_name))
    }

    /// Parses a state file ([`StateFile::parse`]) and decodes the attributes of every type
    /// with a schema: a dynamic value `{"value":..,"type":..}` becomes the value.
    pub fn parse(&self, bytes: &[u8], path: &Path) -> Result<StateFile, StateError> {
        let mut state = StateFile::parse(bytes, path)?;
        if self.schemas.is_some() {
            for resource in state.resources.values_mut() {
                let Some(schema) = self.schema(resource.mode, &resource.type_name) else {
                    continue;
                };
                for instance in resource.instances.values_mut() {
                    instance.attributes = tf_value::decode_block(&schema, &instance.attributes);
                }
            }
        }
        Ok(state)
    }

    /// The file's bytes as Terraform writes them: indented JSON with a final newline, every
    /// schema attribute present, dynamic values with their type, sensitive paths as path steps,
    /// `check_results` and `identity_schema_version` present.
    pub fn to_bytes(&self, state: &StateFile) -> Vec<u8> {
        let mut json = self.to_json(state);
        if let Some(map) = json.as_object_mut() {
            map.entry("check_results").or_insert(Json::Null);
        }
        // Serialising JSON values (string keys, finite numbers) cannot fail.
        let mut bytes = serde_json::to_vec_pretty(&json).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }

    /// The state as Terraform's JSON (see [`Codec::to_bytes`]).
    pub fn to_json(&self, state: &StateFile) -> Json {
        let mut json = serde_json::to_value(state).unwrap_or(Json::Null);
        let Some(resources) = json.get_mut("resources").and_then(Json::as_array_mut) else {
            return json;
        };
        for (resource_json, resource) in resources.iter_mut().zip(state.resources()) {
            let schema = self.schema(resource.mode, &resource.type_name);
            let Some(instances) = resource_json
                .get_mut("instances")
                .and_then(Json::as_array_mut)
            else {
                continue;
            };
            for (instance_json, instance) in instances.iter_mut().zip(resource.instances()) {
                let Some(map) = instance_json.as_object_mut() else {
                    continue;
                };
                if let Some(schema) = &schema {
                    if !instance.attributes.is_null() {
                        map.insert(
                            "attributes".to_string(),
                            tf_value::encode_block(schema, &instance.attributes),
                        );
                        // The attributes are written in the schema's current shape, whatever
                        // version they were read under (a newer one is left as it is).
                        if instance.schema_version < schema.version {
                            map.insert("schema_version".to_string(), json!(schema.version));
                        }
                    }
                }
                map.insert(
                    "sensitive_attributes".to_string(),
                    tf_value::encode_paths(
                        schema.as_deref(),
                        &instance.attributes,
                        &instance.sensitive_attributes,
                    ),
                );
                map.entry("identity_schema_version").or_insert(json!(0));
            }
        }
        json
    }
}
