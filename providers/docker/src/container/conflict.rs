//! The two pains students hit most, as clear messages: a container name already in use, and a
//! host port already taken.

use bollard::query_parameters::ListContainersOptionsBuilder;
use labform_sdk::ProviderError;

use crate::client::Client;
use crate::labels;

/// The error for a create refused because `name` is taken, saying whose container holds it.
pub async fn name_in_use(client: &Client, name: &str) -> ProviderError {
    let holder = client.docker.inspect_container(name, None).await.ok();
    let holder_labels = holder
        .as_ref()
        .and_then(|c| c.config.as_ref())
        .and_then(|c| c.labels.clone());
    let owner = labels::owner(holder_labels.as_ref());
    let msg = format!(
        "container name `{name}` is already in use by a container that belongs to {}",
        labels::describe_owner(holder_labels.as_ref(), &client.stack)
    );
    let hint = match owner {
        Some(s) if s == client.stack => format!(
            "labform lost track of it (an interrupted run?): remove it with `docker rm -f {name}` and apply again"
        ),
        Some(s) => format!("destroy the stack `{s}` first, or give this container another `name`"),
        None => format!("remove it with `docker rm -f {name}` if you no longer need it, or give this container another `name`"),
    };
    ProviderError::conflict(msg).with_hint(hint)
}

/// The host address a start error says is taken (`127.0.0.1:5432`), if it is a port conflict.
pub fn taken_address(engine_message: &str) -> Option<String> {
    if let Some(rest) = engine_message.split("Bind for ").nth(1) {
        if let Some(addr) = rest.split(" failed").next() {
            return Some(addr.trim().to_string());
        }
    }
    if engine_message.contains("address already in use") {
        for marker in [
            "listen tcp4 ",
            "listen tcp6 ",
            "listen tcp ",
            "listen udp4 ",
            "listen udp ",
        ] {
            if let Some(rest) = engine_message.split(marker).nth(1) {
                if let Some(addr) = rest.split(": bind").next() {
                    return Some(addr.trim().to_string());
                }
            }
        }
    }
    None
}

/// The error for a start refused because a host port is taken, naming the port and its holder.
pub async fn port_taken(
    client: &Client,
    container: &str,
    address: &str,
    engine_message: &str,
) -> ProviderError {
    let port: Option<u16> = address.rsplit(':').next().and_then(|p| p.parse().ok());
    let holder = match port {
        Some(port) => holder_of(client, port, container).await,
        None => None,
    };
    let port_text = port
        .map(|p| p.to_string())
        .unwrap_or_else(|| address.to_string());
    let by = match &holder {
        Some((name, Some(stack))) => format!("container `{name}` of the labform stack `{stack}`"),
        Some((name, None)) => format!("container `{name}` (not created by labform)"),
        None => "another program on this machine".to_string(),
    };
    ProviderError::conflict(format!(
        "host port `{port_text}` (`{address}`) is already taken by {by}; the engine said: {}",
        engine_message.trim()
    ))
    .with_hint(match holder {
        Some((name, _)) => format!("stop `{name}` (`docker stop {name}`), or publish on another port (`external` in `ports`)"),
        None => format!("find it with `ss -ltnp 'sport = :{port_text}'` and stop it, or publish on another port (`external` in `ports`)"),
    })
}

async fn holder_of(client: &Client, port: u16, except: &str) -> Option<(String, Option<String>)> {
    let opts = ListContainersOptionsBuilder::new().all(false).build();
    let list = client.docker.list_containers(Some(opts)).await.ok()?;
    list.into_iter().find_map(|c| {
        let name = c
            .names
            .as_ref()?
            .first()?
            .trim_start_matches('/')
            .to_string();
        if name == except {
            return None;
        }
        let publishes = c
            .ports
            .iter()
            .flatten()
            .any(|p| p.public_port == Some(port));
        publishes.then(|| (name, labels::owner(c.labels.as_ref())))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_taken_address_in_engine_messages() {
        let a = "driver failed programming external connectivity on endpoint db (abc): Bind for 127.0.0.1:5432 failed: port is already allocated";
        assert_eq!(taken_address(a).as_deref(), Some("127.0.0.1:5432"));
        let b = "driver failed programming external connectivity on endpoint x: Error starting userland proxy: listen tcp4 127.0.0.1:8080: bind: address already in use";
        assert_eq!(taken_address(b).as_deref(), Some("127.0.0.1:8080"));
        assert_eq!(taken_address("no such image"), None);
    }
}
