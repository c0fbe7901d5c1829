//! Finding the container an interrupted create made, by the per-instance mark its create call
//! wrote as a label (names are unique, but a name alone may be a stranger's container).

use bollard::models::{ContainerInspectResponse, ContainerStateStatusEnum};
use bollard::query_parameters::ListContainersOptionsBuilder;
use labform_sdk::{OpContext, Result, Value};

use super::ContainerResource;
use crate::errors;
use crate::labels;

/// When a container that never ran reports it started (the engine's zero time).
const NEVER_STARTED: &str = "0001-01-01T00:00:00Z";

impl ContainerResource {
    /// The container made by the create that carried `token`, as state over `intent`. A container
    /// the create never started (killed before networks, uploads and start were done) is removed
    /// instead, so the next create starts clean rather than adopting a half-made one.
    pub(super) async fn find_by_token(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        let opts = ListContainersOptionsBuilder::new()
            .all(true)
            .filters(&labels::token_filter(token))
            .build();
        let listed = self
            .client
            .docker
            .list_containers(Some(opts))
            .await
            .map_err(|e| errors::api("listing containers", e))?;
        let Some(id) = listed.into_iter().find_map(|c| c.id) else {
            return Ok(None);
        };
        let Some(c) = self.inspect(&id).await? else {
            return Ok(None);
        };
        if is_removing(&c) {
            return Ok(None);
        }
        if intent.bool_attr("start", true) && never_started(&c) {
            self.remove(&id, true).await.map_err(|e| {
                errors::api(
                    "removing a container an interrupted create left unstarted",
                    e,
                )
            })?;
            return Ok(None);
        }
        Ok(Some(self.state_of(intent, &c).await?))
    }
}

impl ContainerResource {
    /// Removes the container holding `name` when it is a half-made leftover of an interrupted
    /// create of this stack: marked for it, carrying a create token (so labform recorded an intent
    /// for it), never started. Such a create's call can finish in the engine after the killed
    /// run's successor looked for it and found nothing. Returns whether it removed one; any other
    /// holder stays, and the caller reports the name conflict.
    pub(super) async fn remove_half_made(&self, name: &str, ctx: &OpContext) -> Result<bool> {
        let Some(c) = self.inspect(name).await? else {
            return Ok(false);
        };
        let l = c.config.as_ref().and_then(|cfg| cfg.labels.clone());
        let half_made = labels::is_marked_for(l.as_ref(), &self.client.stack)
            && labels::has_any_token(l.as_ref())
            && never_started(&c);
        let Some(id) = c.id.filter(|_| half_made) else {
            return Ok(false);
        };
        ctx.progress(&format!(
            "removing container `{name}`, left unstarted by an interrupted run of this stack"
        ));
        self.remove(&id, true)
            .await
            .map_err(|e| errors::api(&format!("removing container `{name}`"), e))?;
        Ok(true)
    }
}

/// Whether the engine is removing the container already (an `rm` container that exited).
pub(super) fn is_removing(c: &ContainerInspectResponse) -> bool {
    c.state.as_ref().and_then(|s| s.status) == Some(ContainerStateStatusEnum::REMOVING)
}

fn never_started(c: &ContainerInspectResponse) -> bool {
    c.state
        .as_ref()
        .and_then(|s| s.started_at.as_deref())
        .is_none_or(|t| t.is_empty() || t == NEVER_STARTED)
}
