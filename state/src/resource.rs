//! What state records about one resource, its instances and the stack's outputs.

use std::collections::BTreeMap;

use labform_sdk::Value;
use serde::{Deserialize, Serialize, Serializer};

use crate::addr::{IndexKey, InstanceAddr, Mode};
use crate::module_path::ModulePath;
use crate::wire;

/// Why an instance is not a plain, healthy object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The object exists but must be replaced (a create or update failed halfway).
    Tainted,
}

/// A labform extension: an action whose intent is recorded but whose outcome is not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Pending {
    /// A create was about to be called; the object may or may not exist. `attributes` hold the
    /// planned value (name and mark), so the next run can look for it instead of orphaning it.
    Create,
}

/// One instance of a resource: its attributes as last seen.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "wire::InstanceWire")]
pub struct InstanceState {
    /// The `count`/`for_each` key; kept equal to the key of the address it is stored under.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_key: Option<IndexKey>,
    pub schema_version: u64,
    /// Wholly known (state never holds `Unknown`).
    pub attributes: Value,
    /// Paths of sensitive attributes, e.g. `[["password"], ["env", "0"]]`.
    pub sensitive_attributes: Vec<Vec<String>>,
    /// Addresses (`type.name`, `data.type.name`) of resources this one depends on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pending: Option<Pending>,
    /// A labform extension, set with `pending`: the create token the create call carries (as
    /// the object's `labform-instance` mark or the API's idempotency token), by which the next
    /// run finds an object whose create was interrupted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_token: Option<String>,
    /// A labform extension: when labform started creating the object (RFC 3339, UTC), for
    /// `labform status` ("up since"). `None` for objects recorded before labform kept it, and
    /// for imported ones (their create time is not known).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Fields labform does not interpret (`private`, `identity`, and whatever a newer
    /// Terraform adds), kept as read so that a rewrite does not drop them.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl InstanceState {
    /// A healthy instance with these attributes and nothing else recorded.
    pub fn new(attributes: Value) -> Self {
        InstanceState {
            attributes,
            ..InstanceState::default()
        }
    }

    pub fn is_tainted(&self) -> bool {
        self.status == Some(Status::Tainted)
    }
}

/// A resource (all its instances) as Terraform's state v4 lists it.
///
/// Instances are kept in a map by key, so that lookups stay logarithmic for a `count` of
/// thousands; they serialise as Terraform's `instances` list, ordered by key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "wire::ResourceWire")]
pub struct ResourceState {
    /// The module instance (`module.etl`), written as Terraform's `module` key; left out for
    /// the root module.
    #[serde(
        skip_serializing_if = "ModulePath::is_root",
        serialize_with = "serialize_display"
    )]
    pub module: ModulePath,
    pub mode: Mode,
    #[serde(rename = "type")]
    pub type_name: String,
    pub name: String,
    /// The provider configuration, e.g. `provider["registry.terraform.io/hashicorp/aws"]`.
    pub provider: String,
    #[serde(serialize_with = "serialize_values")]
    pub(crate) instances: BTreeMap<Option<IndexKey>, InstanceState>,
    /// Fields labform does not interpret (`each` of older files, whatever a newer Terraform
    /// adds), kept as read.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl ResourceState {
    pub(crate) fn empty(addr: &InstanceAddr, provider: &str) -> Self {
        ResourceState {
            module: addr.module.clone(),
            mode: addr.mode,
            type_name: addr.type_name.clone(),
            name: addr.name.clone(),
            provider: provider.to_string(),
            instances: BTreeMap::new(),
            extra: serde_json::Map::new(),
        }
    }

    /// The instances, ordered by key (no key first, then numbers, then strings).
    pub fn instances(&self) -> impl Iterator<Item = &InstanceState> {
        self.instances.values()
    }

    /// The instance with this key (`None`: the resource has no `count`/`for_each`).
    pub fn instance(&self, key: Option<&IndexKey>) -> Option<&InstanceState> {
        self.instances.get(&key.cloned())
    }

    pub fn instance_count(&self) -> usize {
        self.instances.len()
    }

    /// The address of the instance with key `key` of this resource.
    pub fn addr(&self, key: Option<&IndexKey>) -> InstanceAddr {
        InstanceAddr {
            module: self.module.clone(),
            mode: self.mode,
            type_name: self.type_name.clone(),
            name: self.name.clone(),
            key: key.cloned(),
        }
    }

    /// `type.name` or `data.type.name`, after the module path if any.
    pub fn resource_addr(&self) -> String {
        self.addr(None).resource_addr()
    }
}

/// One output value of the stack.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutputState {
    pub value: Value,
    /// The value's type in Terraform's JSON type syntax, e.g. `"string"` or `["list","string"]`.
    #[serde(rename = "type", default)]
    pub ty: serde_json::Value,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sensitive: bool,
}

pub(crate) fn serialize_values<K, V: Serialize, S: Serializer>(
    map: &BTreeMap<K, V>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(map.values())
}

fn serialize_display<T: std::fmt::Display, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}
