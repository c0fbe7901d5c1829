//! The networks a container joins, handed to the engine so it never finds them ambiguous: a name
//! two networks share (left by an interrupted run) becomes the id of the one this stack made.

use labform_sdk::{Result, Value};

use crate::client::Client;
use crate::network;

/// Network modes the engine defines itself; anything else names a user network.
fn is_builtin_mode(mode: &str) -> bool {
    matches!(mode, "" | "bridge" | "default" | "host" | "none") || mode.starts_with("container:")
}

/// `planned` with every network name in `networks_advanced` and a user-network `network_mode`
/// resolved (see [`network::resolve`]); unchanged when every name is unique. Only the engine
/// sees the result: state keeps the names as configured.
pub async fn resolved(client: &Client, planned: &Value) -> Result<Value> {
    let mut out = planned.clone();
    let mut nets = planned.list_attr("networks_advanced").to_vec();
    for net in nets.iter_mut() {
        if let Some(name) = net.str_attr("name").map(str::to_string) {
            net.set("name", network::resolve(client, &name).await?.into());
        }
    }
    if !nets.is_empty() {
        out.set("networks_advanced", Value::List(nets));
    }
    if let Some(mode) = planned.str_attr("network_mode").map(str::to_string) {
        if !is_builtin_mode(&mode) {
            out.set(
                "network_mode",
                network::resolve(client, &mode).await?.into(),
            );
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_user_networks_are_resolved() {
        for mode in ["bridge", "host", "none", "default", "container:db", ""] {
            assert!(is_builtin_mode(mode), "{mode}");
        }
        assert!(!is_builtin_mode("killnet-6"));
    }
}
