//! Bringing a created container up (networks, uploads, start, waits), removing one, and the
//! port-conflict message on start.

use std::time::Duration;

use bollard::models::NetworkConnectRequest;
use bollard::query_parameters::RemoveContainerOptionsBuilder;
use labform_sdk::{OpContext, ProviderError, Result, Value};

use super::{conflict, spec, upload, wait, ContainerResource};
use crate::errors;

impl ContainerResource {
    pub(super) async fn remove(
        &self,
        id: &str,
        remove_volumes: bool,
    ) -> Result<(), bollard::errors::Error> {
        let opts = RemoveContainerOptionsBuilder::new()
            .force(true)
            .v(remove_volumes)
            .build();
        match self.client.docker.remove_container(id, Some(opts)).await {
            Ok(()) => Ok(()),
            Err(e) if errors::is_not_found(&e) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Starts the container; a port conflict becomes a message naming the port.
    pub(super) async fn start(&self, id: &str, name: &str) -> Result<()> {
        match self.client.docker.start_container(id, None).await {
            Ok(()) => Ok(()),
            Err(e) => {
                let msg = errors::message(&e);
                match conflict::taken_address(&msg) {
                    Some(addr) => Err(conflict::port_taken(&self.client, name, &addr, &msg).await),
                    None => Err(errors::api(&format!("starting container `{name}`"), e)),
                }
            }
        }
    }

    /// Everything after the container exists: more networks, uploads, start, waits. An error
    /// before the container ever ran comes back as `NeverRan`.
    pub(super) async fn bring_up(
        &self,
        id: &str,
        planned: &Value,
        ctx: &OpContext,
    ) -> Result<Option<String>, BringUpError> {
        self.prepare(id, planned)
            .await
            .map_err(BringUpError::NeverRan)?;
        if !planned.bool_attr("start", true) {
            return Ok(None);
        }
        let name = planned.str_attr("name").unwrap_or_default();
        self.start(id, name).await.map_err(BringUpError::NeverRan)?;
        self.after_start(id, planned, ctx)
            .await
            .map_err(BringUpError::Ran)
    }

    pub(super) async fn prepare(&self, id: &str, planned: &Value) -> Result<()> {
        let name = planned.str_attr("name").unwrap_or_default();
        for net in planned.list_attr("networks_advanced").iter().skip(1) {
            let net_name = net.str_attr("name").unwrap_or_default();
            let req = NetworkConnectRequest {
                container: id.to_string(),
                endpoint_config: Some(spec::endpoint(net)),
            };
            self.client
                .docker
                .connect_network(net_name, req)
                .await
                .map_err(|e| {
                    errors::api(
                        &format!("connecting container `{name}` to network `{net_name}`"),
                        e,
                    )
                })?;
        }
        upload::upload_all(&self.client, id, planned.list_attr("upload")).await
    }

    pub(super) async fn after_start(
        &self,
        id: &str,
        planned: &Value,
        ctx: &OpContext,
    ) -> Result<Option<String>> {
        let name = planned.str_attr("name").unwrap_or_default();
        let timeout =
            Duration::from_secs(planned.i64_attr("wait_timeout").unwrap_or(60).max(0) as u64);
        if planned.bool_attr("wait", false) {
            wait::healthy(&self.client, id, name, timeout, ctx).await?;
        }
        if planned.bool_attr("attach", false) {
            wait::exited(&self.client, id, name, Duration::from_secs(20 * 60)).await?;
            if planned.bool_attr("logs", false) {
                return Ok(Some(wait::logs(&self.client, id, 0).await?));
            }
        }
        Ok(None)
    }
}

pub(super) enum BringUpError {
    NeverRan(ProviderError),
    Ran(ProviderError),
}

/// What state must hold about a container that exists but could not be read.
pub(super) fn minimal(planned: &Value, id: &str) -> Value {
    let mut v = planned.clone();
    if let Value::Object(map) = &mut v {
        for value in map.values_mut() {
            if !value.is_wholly_known() {
                *value = Value::Null;
            }
        }
    }
    v.set("id", id.into());
    v
}
