//! `docker_container`: create (image ensured, networks joined, files uploaded, started, waited on),
//! read-back with drift (removed by hand: gone; stopped: `must_run` reads false), in-place update
//! of restart policy and resources, and destroy within the grace period.

mod adopt;
mod conflict;
mod lifecycle;
mod networks;
mod schema;
mod spec;
mod state;
mod upload;
mod validate;
mod wait;

use std::sync::Arc;
use std::time::Duration;

use bollard::models::{ContainerInspectResponse, ContainerUpdateBody};
use bollard::query_parameters::{
    CreateContainerOptionsBuilder, ListContainersOptionsBuilder, StopContainerOptionsBuilder,
};
use labform_sdk::{
    async_trait, Marked, OpContext, PlannedChange, ProviderError, Resource, Result, StackFilter,
    Value,
};

use crate::client::Client;
use crate::errors;
use crate::image::pull;
use crate::labels;

use lifecycle::{minimal, BringUpError};
pub use schema::schema;

labform_sdk::typed! {
    pub struct ContainerResource("docker_container") { client: Arc<Client> }
    schema: schema()
}

impl ContainerResource {
    async fn inspect(&self, id: &str) -> Result<Option<ContainerInspectResponse>> {
        match self.client.docker.inspect_container(id, None).await {
            Ok(c) => Ok(Some(c)),
            Err(e) if errors::is_not_found(&e) => Ok(None),
            Err(e) => Err(errors::api(&format!("reading container `{id}`"), e)),
        }
    }

    /// The state of an inspected container, laid over `current`.
    async fn state_of(&self, current: &Value, c: &ContainerInspectResponse) -> Result<Value> {
        let image_env = match c.image.as_deref() {
            Some(image) => pull::inspect(&self.client, image)
                .await?
                .and_then(|i| i.config.and_then(|cfg| cfg.env))
                .unwrap_or_default(),
            None => Vec::new(),
        };
        let mut base = self.schema.empty_value();
        if let Value::Object(map) = current {
            for (k, v) in map {
                base.set(
                    k.clone(),
                    if v.is_unknown() {
                        Value::Null
                    } else {
                        v.clone()
                    },
                );
            }
        }
        Ok(state::read_back(&base, c, &image_env))
    }

    /// Reads the container `id` back as state, or a minimal state when it cannot be read.
    async fn state_after(&self, planned: &Value, id: &str) -> Value {
        match self.inspect(id).await {
            Ok(Some(c)) => match self.state_of(planned, &c).await {
                Ok(v) => v,
                Err(_) => minimal(planned, id),
            },
            _ => minimal(planned, id),
        }
    }
}

#[async_trait]
impl Resource for ContainerResource {
    /// By the per-instance label the create call wrote (see `adopt`).
    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        self.find_by_token(intent, token).await
    }

    fn validate(&self, config: &Value) -> Result<()> {
        validate::validate(config)
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        Ok(self.client.plan_marked(&self.schema, prior, config))
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let name = planned.str_attr("name").unwrap_or_default().to_string();
        let image = planned.str_attr("image").unwrap_or_default();
        if image.starts_with("sha256:") {
            if pull::inspect(&self.client, image).await?.is_none() {
                return Err(ProviderError::not_found(format!("image `{image}` is not present on the docker engine"))
                    .with_hint("an image id only works for a local image: refer to it by name, or apply its `docker_image` again"));
            }
        } else {
            pull::ensure(&self.client, image, "", ctx).await?;
        }
        // The engine gets ids for duplicated network names; state keeps the names as configured.
        let for_engine = networks::resolved(&self.client, planned).await?;
        let mut mark = self.client.mark().clone();
        if let Some((key, token)) = ctx.instance_mark() {
            mark.insert(key.to_string(), token.to_string());
        }
        let body = spec::create_body(&for_engine, &mark);
        let opts = CreateContainerOptionsBuilder::new().name(&name).build();
        let mut result = self
            .client
            .docker
            .create_container(Some(opts.clone()), body.clone())
            .await;
        if matches!(&result, Err(e) if errors::status(e) == Some(409))
            && self.remove_half_made(&name, ctx).await?
        {
            result = self.client.docker.create_container(Some(opts), body).await;
        }
        let created = match result {
            Ok(c) => c,
            Err(e) if errors::status(&e) == Some(409) => {
                return Err(conflict::name_in_use(&self.client, &name).await)
            }
            Err(e) => return Err(errors::api(&format!("creating container `{name}`"), e)),
        };
        let id = created.id;
        match self.bring_up(&id, &for_engine, ctx).await {
            Ok(logs) => {
                let mut state = self.state_after(planned, &id).await;
                state.set("container_logs", logs.map(Value::from).unwrap_or_default());
                if planned.bool_attr("rm", false) && planned.bool_attr("attach", false) {
                    // An attached rm container is gone by now; state keeps what it reported.
                    state.set("must_run", planned.get("must_run").clone());
                }
                Ok(state)
            }
            Err(BringUpError::NeverRan(err)) => {
                // The container never ran: remove it so the next apply starts clean.
                match self.remove(&id, true).await {
                    Ok(()) => Err(err),
                    Err(_) => Err(err.with_partial(minimal(planned, &id))),
                }
            }
            Err(BringUpError::Ran(err)) => {
                let state = self.state_after(planned, &id).await;
                Err(err.with_partial(state))
            }
        }
    }

    async fn read(&self, current: &Value) -> Result<Option<Value>> {
        let found = match current.str_attr("id") {
            Some(id) => self.inspect(id).await?,
            None => {
                // An interrupted create: find it by name, if it carries this stack's mark.
                let Some(name) = current.str_attr("name") else {
                    return Ok(None);
                };
                self.inspect(name).await?.filter(|c| {
                    let l = c.config.as_ref().and_then(|cfg| cfg.labels.clone());
                    labels::is_marked_for(l.as_ref(), &self.client.stack)
                })
            }
        };
        match found {
            Some(c) if adopt::is_removing(&c) => Ok(None),
            Some(c) => Ok(Some(self.state_of(current, &c).await?)),
            None => Ok(None),
        }
    }

    async fn update(&self, prior: &Value, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let id = prior.str_attr("id").unwrap_or_default().to_string();
        let name = planned.str_attr("name").unwrap_or_default().to_string();
        let resources_changed = [
            "restart",
            "max_retry_count",
            "memory",
            "memory_swap",
            "cpu_shares",
        ]
        .iter()
        .any(|k| prior.get(k) != planned.get(k));
        if resources_changed {
            let memory = planned.i64_attr("memory").filter(|m| *m > 0);
            let body = ContainerUpdateBody {
                restart_policy: Some(spec::restart_policy(planned)),
                memory: Some(memory.map(|m| m * 1024 * 1024).unwrap_or(0)),
                // Raising memory above an old swap limit is refused unless swap moves with it.
                memory_swap: match planned.i64_attr("memory_swap") {
                    Some(s) if s > 0 => Some(s * 1024 * 1024),
                    Some(s) => Some(s),
                    None if memory.is_some() => Some(-1),
                    None => None,
                },
                cpu_shares: planned.i64_attr("cpu_shares"),
                ..Default::default()
            };
            self.client
                .docker
                .update_container(&id, body)
                .await
                .map_err(|e| errors::api(&format!("updating container `{name}`"), e))?;
        }
        let c = self.inspect(&id).await?.ok_or_else(|| {
            ProviderError::not_found(format!("container `{name}` disappeared during the update"))
        })?;
        let should_start = planned.bool_attr("must_run", true)
            && planned.bool_attr("start", true)
            && !state::is_running(&c);
        if should_start {
            ctx.progress(&format!("starting stopped container `{name}`"));
            self.start(&id, &name).await?;
            if planned.bool_attr("wait", false) {
                let timeout = Duration::from_secs(
                    planned.i64_attr("wait_timeout").unwrap_or(60).max(0) as u64,
                );
                wait::healthy(&self.client, &id, &name, timeout, ctx).await?;
            }
        }
        let mut state = self.state_after(planned, &id).await;
        state.set("container_logs", prior.get("container_logs").clone());
        Ok(state)
    }

    async fn delete(&self, prior: &Value, ctx: &OpContext) -> Result<()> {
        let Some(id) = prior.str_attr("id") else {
            return Ok(());
        };
        let name = prior.str_attr("name").unwrap_or(id);
        if !prior.bool_attr("attach", false) {
            // Unset grace: the container's own stop timeout or the engine's 10 s, where
            // kreuzwerker kills at once (0 s) and cuts databases off mid-write.
            let mut opts = StopContainerOptionsBuilder::new();
            if let Some(grace) = prior.i64_attr("destroy_grace_seconds") {
                opts = opts.t(grace.clamp(0, i32::MAX as i64) as i32);
            }
            ctx.progress(&format!("stopping container `{name}`"));
            match self
                .client
                .docker
                .stop_container(id, Some(opts.build()))
                .await
            {
                Ok(()) => {}
                Err(e) if matches!(errors::status(&e), Some(404) | Some(304)) => {}
                Err(e) => return Err(errors::api(&format!("stopping container `{name}`"), e)),
            }
        }
        let remove_volumes = prior.bool_attr("remove_volumes", true);
        // An `rm` container may be removing itself already.
        let busy = |e: &bollard::errors::Error| errors::status(e) == Some(409);
        let remove = || self.remove(id, remove_volumes);
        match errors::remove_when_free(busy, Duration::from_millis(500), None, remove).await {
            Ok(()) => {
                // Gone, or already gone before this run (killed after the delete): confirm.
                let what = format!("container `{name}`");
                let exists = async {
                    Ok(self
                        .inspect(id)
                        .await?
                        .is_some_and(|c| !adopt::is_removing(&c)))
                };
                errors::confirm_gone(&what, exists).await
            }
            Err(e) => Err(errors::api(&format!("removing container `{name}`"), e)),
        }
    }

    async fn import(&self, id: &str) -> Result<Value> {
        let c = self
            .inspect(id)
            .await?
            .ok_or_else(|| ProviderError::not_found(format!("container `{id}` does not exist")))?;
        // What only the configuration says (`start`, `must_run`, `wait`, ...) reads as its
        // default, as if the container had been made from a configuration that left it out;
        // what the engine reports is read from it, so that an imported container, or its
        // generated configuration, plans no replacement.
        let mut base = self.schema.empty_value();
        for (k, attr) in &self.schema.attributes {
            if let Some(d) = &attr.default {
                base.set(k, d.clone());
            }
        }
        let config = c.config.clone().unwrap_or_default();
        let host = c.host_config.clone().unwrap_or_default();
        base.set("tty", config.tty.unwrap_or(false).into());
        base.set("stdin_open", config.open_stdin.unwrap_or(false).into());
        base.set("read_only", host.readonly_rootfs.unwrap_or(false).into());
        if let Some(mode) = host
            .network_mode
            .filter(|m| !m.is_empty() && m != "default")
        {
            base.set("network_mode", mode.into());
        }
        let l = c
            .config
            .as_ref()
            .and_then(|cfg| cfg.labels.clone())
            .unwrap_or_default();
        base.set("labels", labels::read_back(l.iter()));
        self.state_of(&base, &c).await
    }

    async fn list_marked(&self, filter: &StackFilter) -> Result<Vec<Marked>> {
        let mut out = Vec::new();
        for filters in Client::mark_filters(filter) {
            let opts = ListContainersOptionsBuilder::new()
                .all(true)
                .filters(&filters)
                .build();
            let list = self
                .client
                .docker
                .list_containers(Some(opts))
                .await
                .map_err(|e| errors::api("listing containers", e))?;
            for c in list {
                let mut v = self.schema.empty_value();
                v.set("id", c.id.clone().into());
                let name = c
                    .names
                    .as_ref()
                    .and_then(|n| n.first())
                    .map(|n| n.trim_start_matches('/').to_string());
                v.set("name", name.into());
                v.set("image", c.image.clone().into());
                v.set("remove_volumes", true.into());
                v.set("attach", false.into());
                let marks = crate::labels::labels_of(c.labels.as_ref());
                let at = c.created.map(|s| (s * 1000).to_string());
                out.push(Marked::new(v, marks).created(at));
            }
        }
        Ok(filter.select(out))
    }
}
