//! `docker_volume`: a named volume. Creating an existing volume succeeds silently in the engine,
//! so an existing one is adopted only when it carries this create's token or this stack's mark;
//! the create writes the per-instance mark so an interrupted run finds the volume by it.

use std::sync::Arc;
use std::time::Duration;

use bollard::models::{Volume, VolumeCreateRequest};
use bollard::query_parameters::{ListVolumesOptionsBuilder, RemoveVolumeOptionsBuilder};
use labform_sdk::{
    async_trait, Attribute, BlockSchema, Marked, NestedBlock, OpContext, PlannedChange,
    ProviderError, Resource, Result, StackFilter, Type, Value,
};

use crate::client::Client;
use crate::errors;
use crate::labels;

pub fn schema() -> BlockSchema {
    let label = BlockSchema::new().attrs(
        &["label", "value"],
        Attribute::required(Type::String).force_new(),
    );
    BlockSchema::new()
        .attr("id", Attribute::computed(Type::String))
        .attr(
            "name",
            Attribute::optional_computed(Type::String).force_new(),
        )
        .attr(
            "driver",
            Attribute::optional_computed(Type::String).force_new(),
        )
        .attr(
            "driver_opts",
            Attribute::optional(Type::map(Type::String)).force_new(),
        )
        .attr("mountpoint", Attribute::computed(Type::String))
        .block("labels", NestedBlock::set(label).force_new())
}

labform_sdk::typed! {
    pub struct VolumeResource("docker_volume") { client: Arc<Client> }
    schema: schema()
}

impl VolumeResource {
    fn state(&self, v: &Volume) -> Value {
        let mut out = self.schema.empty_value();
        out.set("id", v.name.as_str().into());
        out.set("name", v.name.as_str().into());
        out.set("driver", v.driver.as_str().into());
        out.set("mountpoint", v.mountpoint.as_str().into());
        let opts: std::collections::BTreeMap<_, _> = v.options.iter().collect();
        out.set(
            "driver_opts",
            if opts.is_empty() {
                Value::Null
            } else {
                labels::map_value(opts)
            },
        );
        out.set("labels", labels::read_back(v.labels.iter()));
        out
    }

    async fn list(
        &self,
        filters: std::collections::HashMap<String, Vec<String>>,
    ) -> Result<Vec<Volume>> {
        let opts = ListVolumesOptionsBuilder::new().filters(&filters).build();
        let list = self
            .client
            .docker
            .list_volumes(Some(opts))
            .await
            .map_err(|e| errors::api("listing volumes", e))?;
        Ok(list.volumes.unwrap_or_default())
    }

    async fn inspect(&self, name: &str) -> Result<Option<Volume>> {
        match self.client.docker.inspect_volume(name).await {
            Ok(v) => Ok(Some(v)),
            Err(e) if errors::is_not_found(&e) => Ok(None),
            Err(e) => Err(errors::api(&format!("reading volume `{name}`"), e)),
        }
    }
}

#[async_trait]
impl Resource for VolumeResource {
    /// By the per-instance mark the create call wrote (a volume without a `name` gets a random
    /// one, so the mark is the only way back to it).
    async fn find_interrupted(&self, _intent: &Value, token: &str) -> Result<Option<Value>> {
        Ok(self
            .list(labels::token_filter(token))
            .await?
            .first()
            .map(|v| self.state(v)))
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        Ok(self.client.plan_marked(&self.schema, prior, config))
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let name = planned.str_attr("name").map(str::to_string);
        if let Some(name) = &name {
            if let Some(existing) = self.inspect(name).await? {
                // Ours: made by this create, or by this stack (its data is kept, not replaced).
                let own = ctx
                    .create_token()
                    .is_some_and(|t| labels::has_token(Some(&existing.labels), t));
                if own || labels::is_marked_for(Some(&existing.labels), &self.client.stack) {
                    return Ok(self.state(&existing));
                }
                return Err(ProviderError::conflict(format!(
                    "volume `{name}` already exists and belongs to {}",
                    labels::describe_owner(Some(&existing.labels), &self.client.stack)
                ))
                .with_hint(format!(
                    "pick another name, or remove the old volume with `docker volume rm {name}` if its data is not needed"
                )));
            }
        }
        let driver_opts = planned.string_map_attr("driver_opts");
        let body = VolumeCreateRequest {
            name: name.clone(),
            driver: planned.str_attr("driver").map(str::to_string),
            driver_opts: (!driver_opts.is_empty()).then(|| labels::to_hash(&driver_opts)),
            labels: Some(labels::for_create(
                planned,
                "labels",
                self.client.mark(),
                ctx,
            )),
            ..Default::default()
        };
        let v = self.client.docker.create_volume(body).await.map_err(|e| {
            errors::api(
                &format!("creating volume `{}`", name.as_deref().unwrap_or("")),
                e,
            )
        })?;
        Ok(self.state(&v))
    }

    async fn read(&self, current: &Value) -> Result<Option<Value>> {
        let Some(name) = current.str_attr("id").or(current.str_attr("name")) else {
            return Ok(None);
        };
        let Some(v) = self.inspect(name).await? else {
            return Ok(None);
        };
        if current.get("id").is_null()
            && !labels::is_marked_for(Some(&v.labels), &self.client.stack)
        {
            return Ok(None);
        }
        Ok(Some(self.state(&v)))
    }

    async fn update(&self, _prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        // Every attribute forces a new volume; nothing changes in place.
        Ok(planned.clone())
    }

    async fn delete(&self, prior: &Value, ctx: &OpContext) -> Result<()> {
        let Some(name) = prior.str_attr("id").or(prior.str_attr("name")) else {
            return Ok(());
        };
        let busy = |e: &bollard::errors::Error| errors::status(e) == Some(409);
        let waiting = format!("volume `{name}` is still in use, waiting");
        let remove = || {
            let opts = RemoveVolumeOptionsBuilder::new().force(true).build();
            self.client.docker.remove_volume(name, Some(opts))
        };
        match errors::remove_when_free(busy, Duration::from_secs(2), Some((ctx, &waiting)), remove)
            .await
        {
            Ok(()) => Ok(()),
            Err(e) if errors::is_not_found(&e) => {
                let what = format!("volume `{name}`");
                let exists = async { Ok(self.inspect(name).await?.is_some()) };
                errors::confirm_gone(&what, exists).await
            }
            Err(e) if busy(&e) => Err(ProviderError::conflict(format!(
                "volume `{name}` is still in use: {}",
                errors::message(&e)
            ))
            .with_hint(format!(
                "remove the containers that use it (`docker ps -a --filter volume={name}`)"
            ))),
            Err(e) => Err(errors::api(&format!("removing volume `{name}`"), e)),
        }
    }

    async fn import(&self, id: &str) -> Result<Value> {
        match self.inspect(id).await? {
            Some(v) => Ok(self.state(&v)),
            None => Err(ProviderError::not_found(format!(
                "volume `{id}` does not exist"
            ))),
        }
    }

    async fn list_marked(&self, filter: &StackFilter) -> Result<Vec<Marked>> {
        let mut found = Vec::new();
        for filters in Client::mark_filters(filter) {
            for v in self.list(filters).await? {
                let marks = v
                    .labels
                    .iter()
                    .map(|(k, x)| (k.clone(), x.clone()))
                    .collect();
                found.push(Marked::new(self.state(&v), marks).created(v.created_at.clone()));
            }
        }
        Ok(filter.select(found))
    }
}
