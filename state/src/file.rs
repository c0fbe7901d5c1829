//! The state file: serial, lineage, resources and outputs, in Terraform's state v4 JSON shape.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::addr::{InstanceAddr, Mode};
use crate::error::StateError;
use crate::module_path::ModulePath;
use crate::resource::{serialize_values, InstanceState, OutputState, ResourceState};
use crate::wire;

/// The state format version labform reads and writes (Terraform's v4).
pub const STATE_VERSION: u32 = 4;

/// Orders resources in the file and finds them: module, mode, type, name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct ResourceKey {
    module: ModulePath,
    mode: Mode,
    type_name: String,
    name: String,
}

impl ResourceKey {
    pub(crate) fn of(resource: &ResourceState) -> Self {
        ResourceKey {
            module: resource.module.clone(),
            mode: resource.mode,
            type_name: resource.type_name.clone(),
            name: resource.name.clone(),
        }
    }

    fn from_addr(addr: &InstanceAddr) -> Self {
        ResourceKey {
            module: addr.module.clone(),
            mode: addr.mode,
            type_name: addr.type_name.clone(),
            name: addr.name.clone(),
        }
    }
}

/// Recorded state. Resources are indexed by address (lookups are logarithmic) and serialise as
/// Terraform's `resources` list; change them only through the methods here (or a
/// [`crate::StateWriter`], which also makes each change durable).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "wire::StateWire")]
pub struct StateFile {
    /// Always [`STATE_VERSION`].
    pub version: u32,
    /// The Terraform language version labform is compatible with, e.g. `1.9.0`.
    pub terraform_version: String,
    /// Grows by one with every committed change; a saved plan records it.
    pub serial: u64,
    /// A UUID fixed when the state is first created; tells unrelated states apart.
    pub lineage: String,
    pub outputs: BTreeMap<String, OutputState>,
    #[serde(serialize_with = "serialize_values")]
    pub(crate) resources: BTreeMap<ResourceKey, ResourceState>,
    /// Fields labform does not interpret (`check_results`, and whatever a newer Terraform
    /// adds), kept as read so that a rewrite does not drop them.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl StateFile {
    /// An empty state: serial 0 and a fresh lineage.
    pub fn new(terraform_version: &str) -> Self {
        StateFile {
            version: STATE_VERSION,
            terraform_version: terraform_version.to_string(),
            serial: 0,
            lineage: uuid::Uuid::new_v4().to_string(),
            outputs: BTreeMap::new(),
            resources: BTreeMap::new(),
            extra: serde_json::Map::new(),
        }
    }

    /// Parses a state file's bytes; `path` only names the file in errors.
    ///
    /// Errors: [`StateError::Corrupt`] (not JSON, or not state v4; names the line) and
    /// [`StateError::UnsupportedVersion`] (a format version other than 4).
    pub fn parse(bytes: &[u8], path: &Path) -> Result<StateFile, StateError> {
        serde_json::from_slice::<StateFile>(bytes).map_err(|e| {
            match serde_json::from_slice::<wire::VersionProbe>(bytes) {
                Ok(probe) if probe.version != STATE_VERSION => StateError::UnsupportedVersion {
                    path: path.to_path_buf(),
                    version: probe.version,
                },
                _ => StateError::Corrupt {
                    path: path.to_path_buf(),
                    line: Some(e.line()).filter(|l| *l > 0),
                    message: json_error_message(&e),
                    backup: None,
                },
            }
        })
    }

    /// The file's bytes: indented JSON with a final newline, as Terraform writes it. Attribute
    /// values are written as they are: a store with schemas ([`crate::Codec`]) encodes them
    /// as Terraform does.
    pub fn to_json_bytes(&self) -> Vec<u8> {
        crate::codec::Codec::default().to_bytes(self)
    }

    /// The resources, ordered by module (root first), mode (managed first), type and name.
    pub fn resources(&self) -> impl Iterator<Item = &ResourceState> {
        self.resources.values()
    }

    /// The resource that `addr` is an instance of (its key is ignored).
    pub fn resource(&self, addr: &InstanceAddr) -> Option<&ResourceState> {
        self.resources.get(&ResourceKey::from_addr(addr))
    }

    /// The instance at `addr` and the resource it belongs to; `None` when not recorded.
    pub fn instance(&self, addr: &InstanceAddr) -> Option<(&ResourceState, &InstanceState)> {
        let resource = self.resource(addr)?;
        let instance = resource.instances.get(&addr.key)?;
        Some((resource, instance))
    }

    /// Every recorded instance with its address, in file order.
    pub fn instances(
        &self,
    ) -> impl Iterator<Item = (InstanceAddr, &ResourceState, &InstanceState)> {
        self.resources.values().flat_map(|resource| {
            resource
                .instances
                .iter()
                .map(move |(key, instance)| (resource.addr(key.as_ref()), resource, instance))
        })
    }

    /// The addresses of the recorded managed instances (data sources left out): what a
    /// destroy deletes and what a stack is judged by.
    pub fn managed_addresses(&self) -> Vec<String> {
        self.instances()
            .filter(|(a, _, _)| a.mode == Mode::Managed)
            .map(|(a, _, _)| a.to_string())
            .collect()
    }

    /// How many instances are recorded.
    pub fn instance_count(&self) -> usize {
        self.resources
            .values()
            .map(ResourceState::instance_count)
            .sum()
    }

    /// The stack id recorded by the first apply (`labform.stack_id`, beside Terraform's fields,
    /// which Terraform ignores): it stays the stack's mark when the directory moves.
    pub fn stack_id(&self) -> Option<&str> {
        self.extra.get("labform")?.get("stack_id")?.as_str()
    }

    /// Records the stack id; written with the next commit (or when the state is first stored).
    pub fn set_stack_id(&mut self, id: &str) {
        let entry = self
            .extra
            .entry("labform")
            .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
        if let Some(map) = entry.as_object_mut() {
            map.insert("stack_id".into(), serde_json::Value::String(id.to_string()));
        }
    }

    /// The stack's expiry (`labform.expires`, a `labform-expires` mark value such as
    /// `20261204t183000z`), when `apply -ttl` or the stack's `labform { ttl }` set one.
    pub fn expires(&self) -> Option<&str> {
        self.extra.get("labform")?.get("expires")?.as_str()
    }

    /// Records the stack's expiry, or removes it (`None`); written with the next commit.
    pub fn set_expires(&mut self, expires: Option<&str>) {
        let entry = self
            .extra
            .entry("labform")
            .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
        if let Some(map) = entry.as_object_mut() {
            match expires {
                Some(e) => map.insert("expires".into(), serde_json::Value::String(e.to_string())),
                None => map.remove("expires"),
            };
        }
    }

    /// True when no resource is recorded (outputs are not counted).
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
    }

    /// Records `instance` at `addr`, replacing what was there; `provider` becomes the resource's
    /// provider. The instance's `index_key` is set to the address's key.
    pub fn put_instance(
        &mut self,
        addr: &InstanceAddr,
        provider: &str,
        mut instance: InstanceState,
    ) {
        instance.index_key = addr.key.clone();
        let resource = self
            .resources
            .entry(ResourceKey::from_addr(addr))
            .or_insert_with(|| ResourceState::empty(addr, provider));
        if resource.provider != provider {
            resource.provider = provider.to_string();
        }
        resource.instances.insert(addr.key.clone(), instance);
    }

    /// Forgets the instance at `addr` (and its resource when it was the last instance);
    /// returns it, or `None` when it was not recorded.
    pub fn remove_instance(&mut self, addr: &InstanceAddr) -> Option<InstanceState> {
        let key = ResourceKey::from_addr(addr);
        let resource = self.resources.get_mut(&key)?;
        let removed = resource.instances.remove(&addr.key);
        if resource.instances.is_empty() {
            self.resources.remove(&key);
        }
        removed
    }

    /// Moves the instance at `from` to `to` (`state mv`), keeping its provider.
    ///
    /// Errors: [`StateError::NotFound`] when `from` is not recorded, [`StateError::AlreadyExists`]
    /// when `to` is, [`StateError::InvalidMove`] when the mode or resource type differ.
    pub fn move_instance(
        &mut self,
        from: &InstanceAddr,
        to: &InstanceAddr,
    ) -> Result<(), StateError> {
        self.check_move(from, to)?;
        if from == to {
            return Ok(());
        }
        let provider = self
            .resource(from)
            .map(|r| r.provider.clone())
            .unwrap_or_default();
        let instance = self
            .remove_instance(from)
            .ok_or_else(|| StateError::NotFound(from.clone()))?;
        self.put_instance(to, &provider, instance);
        Ok(())
    }

    /// The checks of [`StateFile::move_instance`], without moving.
    pub(crate) fn check_move(
        &self,
        from: &InstanceAddr,
        to: &InstanceAddr,
    ) -> Result<(), StateError> {
        let invalid = |reason: &str| StateError::InvalidMove {
            from: from.to_string(),
            to: to.to_string(),
            reason: reason.to_string(),
        };
        if from.mode != to.mode {
            return Err(invalid(
                "one is a data source and the other a managed resource",
            ));
        }
        if from.type_name != to.type_name {
            return Err(invalid("the resource types differ"));
        }
        if self.instance(from).is_none() {
            return Err(StateError::NotFound(from.clone()));
        }
        if from != to && self.instance(to).is_some() {
            return Err(StateError::AlreadyExists(to.clone()));
        }
        Ok(())
    }
}

/// serde_json's message without its " at line L column C" tail (the line is reported apart).
pub(crate) fn json_error_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let tail = format!(" at line {} column {}", e.line(), e.column());
    match text.strip_suffix(&tail) {
        Some(head) => format!("{head} (column {})", e.column()),
        None => text,
    }
}
