//! Reading Terraform's state v4 shape: the lenient input forms that become our types (unknown
//! fields such as `check_results` or `private` are ignored; what we cannot represent is refused).

use std::collections::BTreeMap;

use labform_sdk::Value;
use serde::Deserialize;

use crate::addr::{IndexKey, Mode};
use crate::file::{ResourceKey, StateFile, STATE_VERSION};
use crate::resource::{InstanceState, OutputState, Pending, ResourceState, Status};

#[derive(Deserialize)]
pub(crate) struct InstanceWire {
    #[serde(default)]
    index_key: Option<IndexKey>,
    #[serde(default)]
    schema_version: u64,
    #[serde(default)]
    attributes: Option<Value>,
    #[serde(default)]
    attributes_flat: Option<serde_json::Value>,
    #[serde(default)]
    sensitive_attributes: Option<Vec<Vec<serde_json::Value>>>,
    #[serde(default)]
    dependencies: Option<Vec<String>>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    pending: Option<Pending>,
    #[serde(default)]
    create_token: Option<String>,
    #[serde(default)]
    created_at: Option<String>,
    #[serde(default)]
    deposed: Option<String>,
    #[serde(flatten)]
    extra: serde_json::Map<String, serde_json::Value>,
}

impl TryFrom<InstanceWire> for InstanceState {
    type Error = String;

    fn try_from(w: InstanceWire) -> Result<Self, String> {
        if let Some(deposed) = w.deposed {
            return Err(format!(
                "an instance holds a deposed object `{deposed}`, which labform does not support; \
                 finish that replacement with the tool that started it"
            ));
        }
        if w.attributes.is_none() && w.attributes_flat.is_some() {
            return Err(
                "an instance holds legacy flat attributes (`attributes_flat`), which labform \
                        does not read; refresh the state with terraform 0.12 or later first"
                    .to_string(),
            );
        }
        let status = match w.status.as_deref() {
            None | Some("") => None,
            Some("tainted") => Some(Status::Tainted),
            Some(other) => return Err(format!("unknown instance status `{other}`")),
        };
        Ok(InstanceState {
            index_key: w.index_key,
            schema_version: w.schema_version,
            attributes: w.attributes.unwrap_or(Value::Null),
            sensitive_attributes: w
                .sensitive_attributes
                .unwrap_or_default()
                .iter()
                .map(|path| path.iter().map(path_step).collect())
                .collect(),
            dependencies: w.dependencies.unwrap_or_default(),
            status,
            pending: w.pending,
            create_token: w.create_token,
            created_at: w.created_at,
            extra: without_defaults(w.extra),
        })
    }
}

/// One step of a sensitive attribute path: ours are plain strings; Terraform writes
/// `{"type":"get_attr","value":"password"}` or `{"type":"index","value":{"value":0,"type":"number"}}`.
fn path_step(step: &serde_json::Value) -> String {
    fn scalar(v: &serde_json::Value) -> String {
        match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
    match step.get("value") {
        Some(inner) => match inner.get("value") {
            Some(innermost) => scalar(innermost),
            None => scalar(inner),
        },
        None => scalar(step),
    }
}

#[derive(Deserialize)]
pub(crate) struct ResourceWire {
    #[serde(default)]
    module: Option<String>,
    mode: Mode,
    #[serde(rename = "type")]
    type_name: String,
    name: String,
    #[serde(default)]
    provider: String,
    #[serde(default)]
    instances: Option<Vec<InstanceState>>,
    #[serde(flatten)]
    extra: serde_json::Map<String, serde_json::Value>,
}

impl TryFrom<ResourceWire> for ResourceState {
    type Error = String;

    fn try_from(w: ResourceWire) -> Result<Self, String> {
        let module = match w.module.as_deref() {
            None | Some("") => crate::module_path::ModulePath::root(),
            Some(text) => text
                .parse()
                .map_err(|e| format!("invalid `module` of a resource: {e}"))?,
        };
        let mut resource = ResourceState {
            module,
            mode: w.mode,
            type_name: w.type_name,
            name: w.name,
            provider: w.provider,
            instances: BTreeMap::new(),
            extra: w.extra,
        };
        for instance in w.instances.unwrap_or_default() {
            let key = instance.index_key.clone();
            if resource.instances.insert(key.clone(), instance).is_some() {
                return Err(format!(
                    "instance `{}` is listed twice",
                    resource.addr(key.as_ref())
                ));
            }
        }
        Ok(resource)
    }
}

#[derive(Deserialize)]
pub(crate) struct StateWire {
    version: u32,
    #[serde(default)]
    terraform_version: String,
    #[serde(default)]
    serial: u64,
    #[serde(default)]
    lineage: String,
    #[serde(default)]
    outputs: Option<BTreeMap<String, OutputState>>,
    #[serde(default)]
    resources: Option<Vec<ResourceState>>,
    #[serde(flatten)]
    extra: serde_json::Map<String, serde_json::Value>,
}

impl TryFrom<StateWire> for StateFile {
    type Error = String;

    fn try_from(w: StateWire) -> Result<Self, String> {
        if w.version != STATE_VERSION {
            return Err(format!("unsupported state format version `{}`", w.version));
        }
        let mut state = StateFile {
            version: w.version,
            terraform_version: w.terraform_version,
            serial: w.serial,
            lineage: w.lineage,
            outputs: w.outputs.unwrap_or_default(),
            resources: BTreeMap::new(),
            extra: without_defaults(w.extra),
        };
        for resource in w.resources.unwrap_or_default() {
            let key = ResourceKey::of(&resource);
            if let Some(prior) = state.resources.get_mut(&key) {
                // Terraform lists a resource once; tolerate a split listing unless keys collide.
                for (k, instance) in resource.instances {
                    if prior.instances.insert(k.clone(), instance).is_some() {
                        return Err(format!(
                            "instance `{}` is listed twice",
                            prior.addr(k.as_ref())
                        ));
                    }
                }
            } else {
                state.resources.insert(key, resource);
            }
        }
        Ok(state)
    }
}

/// Drops the fields that hold what labform writes anyway (`check_results: null`,
/// `identity_schema_version: 0`), so that a state reads back equal to what was written.
fn without_defaults(
    mut extra: serde_json::Map<String, serde_json::Value>,
) -> serde_json::Map<String, serde_json::Value> {
    extra.retain(|key, value| match key.as_str() {
        "check_results" => !value.is_null(),
        "identity_schema_version" => value.as_u64() != Some(0),
        _ => true,
    });
    extra
}

/// Just the version, to explain a file whose shape is not v4.
#[derive(Deserialize)]
pub(crate) struct VersionProbe {
    pub version: u32,
}
