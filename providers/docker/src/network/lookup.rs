//! Finding networks: by exact name (the engine accepts duplicates and its filter matches
//! substrings), by id, and their IPAM settings as values.

use std::collections::BTreeMap;

use bollard::models::NetworkInspect;
use bollard::query_parameters::{InspectNetworkOptions, ListNetworksOptionsBuilder};
use labform_sdk::types::normalize_set;
use labform_sdk::{ProviderError, Result, Value};

use crate::client::Client;
use crate::errors;
use crate::labels;

/// The networks named exactly `name` (the engine's name filter matches substrings).
pub async fn find_by_name(client: &Client, name: &str) -> Result<Vec<NetworkInspect>> {
    let filters = std::collections::HashMap::from([("name".to_string(), vec![name.to_string()])]);
    list(client, filters).await.map(|all| {
        all.into_iter()
            .filter(|n| n.name.as_deref() == Some(name))
            .collect()
    })
}

/// What to hand the engine for the network `name_or_id` (a container joining it, a data source):
/// the string itself when it names one network or is an id, else the id of the one this stack
/// made, so a duplicated name never stops a stack with "ambiguous". Several networks of that name,
/// none of them this stack's: a clear error naming them.
pub async fn resolve(client: &Client, name_or_id: &str) -> Result<String> {
    let found = find_by_name(client, name_or_id).await?;
    if found.len() <= 1 {
        return Ok(name_or_id.to_string());
    }
    if let Some(id) = super::duplicates::pick_own(&found, &client.stack).and_then(|n| n.id.clone())
    {
        return Ok(id);
    }
    let ids: Vec<String> = found
        .iter()
        .map(|n| format!("`{}`", super::duplicates::short_id(n)))
        .collect();
    Err(ProviderError::conflict(format!(
        "{} networks are named `{name_or_id}` ({}) and none was made by this stack",
        found.len(),
        ids.join(", ")
    ))
    .with_hint("remove the ones you do not need with `docker network rm <id>`, or refer to the network by its id"))
}

/// Lists networks matching `filters`, each inspected (the list omits attached containers).
pub async fn list(
    client: &Client,
    filters: std::collections::HashMap<String, Vec<String>>,
) -> Result<Vec<NetworkInspect>> {
    let opts = ListNetworksOptionsBuilder::new().filters(&filters).build();
    let listed = client
        .docker
        .list_networks(Some(opts))
        .await
        .map_err(|e| errors::api("listing networks", e))?;
    let mut out = Vec::new();
    for n in listed {
        if let Some(found) = inspect(client, n.id.as_deref().unwrap_or_default()).await? {
            out.push(found);
        }
    }
    Ok(out)
}

/// Inspects a network by id or name; `None` when it does not exist.
pub async fn inspect(client: &Client, id: &str) -> Result<Option<NetworkInspect>> {
    match client
        .docker
        .inspect_network(id, None::<InspectNetworkOptions>)
        .await
    {
        Ok(n) => Ok(Some(n)),
        Err(e) if errors::is_not_found(&e) => Ok(None),
        Err(e) => Err(errors::api(&format!("reading network `{id}`"), e)),
    }
}

/// The ipam_config entries of a network, keeping only the non-empty fields.
pub fn ipam_values(n: &NetworkInspect) -> Vec<Value> {
    let configs = n
        .ipam
        .as_ref()
        .and_then(|i| i.config.clone())
        .unwrap_or_default();
    let items = configs
        .iter()
        .map(|c| {
            let opt = |s: &Option<String>| {
                s.as_deref()
                    .filter(|s| !s.is_empty())
                    .map(Value::from)
                    .unwrap_or_default()
            };
            let aux: BTreeMap<_, _> = c.auxiliary_addresses.iter().flatten().collect();
            Value::from_pairs([
                ("subnet", opt(&c.subnet)),
                ("ip_range", opt(&c.ip_range)),
                ("gateway", opt(&c.gateway)),
                (
                    "aux_address",
                    if aux.is_empty() {
                        Value::Null
                    } else {
                        labels::map_value(aux)
                    },
                ),
            ])
        })
        .collect();
    normalize_set(items)
}

/// ipam_config as the configuration wrote it: when it was left out the engine picks a subnet,
/// which is not a change; fields left unset (a gateway the engine chose) stay unset.
pub fn ipam_read_back(n: &NetworkInspect, current: Option<&Value>) -> Vec<Value> {
    let engine = ipam_values(n);
    let Some(current) = current else {
        return engine;
    };
    let configured = current.list_attr("ipam_config");
    if configured.is_empty() {
        return Vec::new();
    }
    let masked = engine
        .into_iter()
        .map(|mut item| {
            let twin = configured
                .iter()
                .find(|c| c.get("subnet") == item.get("subnet") || c.get("subnet").is_null());
            if let Some(twin) = twin {
                for key in ["subnet", "ip_range", "gateway", "aux_address"] {
                    if twin.get(key).is_null() {
                        item.set(key, Value::Null);
                    }
                }
            }
            item
        })
        .collect();
    normalize_set(masked)
}

/// An optional bool read back: false stays null when the configuration left it unset.
pub fn flag(engine: Option<bool>, current: Option<&Value>, key: &str) -> Value {
    let on = engine.unwrap_or(false);
    match current.map(|c| c.get(key)) {
        Some(Value::Null) | None if !on => Value::Null,
        _ => Value::Bool(on),
    }
}
