//! `docker_network`: a user network. The engine accepts two networks with one name, so create
//! sorts out the networks already holding the name first (see `duplicates`), writes this create's
//! per-instance mark, and everything after it works by id, never by name.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use bollard::models::{Ipam, IpamConfig, NetworkCreateRequest, NetworkInspect};
use labform_sdk::{
    async_trait, Attribute, BlockSchema, Marked, NestedBlock, OpContext, PlannedChange,
    ProviderError, Resource, Result, StackFilter, Type, Value,
};

mod duplicates;
mod lookup;

use lookup::{find_by_name, flag, ipam_read_back, list};
pub use lookup::{inspect, ipam_values, resolve};

use crate::client::Client;
use crate::errors;
use crate::labels;

pub fn schema() -> BlockSchema {
    let label = BlockSchema::new().attrs(
        &["label", "value"],
        Attribute::required(Type::String).force_new(),
    );
    let ipam = BlockSchema::new()
        .attrs(
            &["subnet", "ip_range", "gateway"],
            Attribute::optional(Type::String).force_new(),
        )
        .attr(
            "aux_address",
            Attribute::optional(Type::map(Type::String)).force_new(),
        );
    BlockSchema::new()
        .attr("id", Attribute::computed(Type::String))
        .attr("name", Attribute::required(Type::String).force_new())
        .attr(
            "driver",
            Attribute::optional_computed(Type::String).force_new(),
        )
        .attr(
            "options",
            Attribute::optional_computed(Type::map(Type::String)).force_new(),
        )
        .attr(
            "internal",
            Attribute::optional_computed(Type::Bool).force_new(),
        )
        .attrs(
            &["attachable", "ingress", "ipv6"],
            Attribute::optional(Type::Bool).force_new(),
        )
        .attr(
            "ipam_driver",
            Attribute::optional(Type::String)
                .force_new()
                .default("default"),
        )
        .attr(
            "ipam_options",
            Attribute::optional(Type::map(Type::String)).force_new(),
        )
        .attr("scope", Attribute::computed(Type::String))
        .block("labels", NestedBlock::set(label).force_new())
        .block("ipam_config", NestedBlock::set(ipam).force_new().computed())
}

labform_sdk::typed! {
    pub struct NetworkResource("docker_network") { client: Arc<Client> }
    schema: schema()
}

impl NetworkResource {
    /// State from an inspected network; `configured_ipam` keeps ipam_config as configured when the
    /// configuration left it out (the engine then picks a subnet, which is not a change).
    fn state(&self, n: &NetworkInspect, current: Option<&Value>) -> Value {
        let mut out = self.schema.empty_value();
        out.set("id", n.id.clone().into());
        out.set("name", n.name.clone().into());
        out.set("driver", n.driver.clone().into());
        let options: BTreeMap<_, _> = n.options.iter().flatten().collect();
        out.set("options", labels::map_value(options));
        out.set("internal", n.internal.unwrap_or(false).into());
        out.set("attachable", flag(n.attachable, current, "attachable"));
        out.set("ingress", flag(n.ingress, current, "ingress"));
        out.set("ipv6", flag(n.enable_ipv6, current, "ipv6"));
        let ipam = n.ipam.as_ref();
        out.set(
            "ipam_driver",
            ipam.and_then(|i| i.driver.clone())
                .unwrap_or_else(|| "default".into())
                .into(),
        );
        let ipam_opts: BTreeMap<_, _> = ipam
            .and_then(|i| i.options.as_ref())
            .into_iter()
            .flatten()
            .collect();
        out.set(
            "ipam_options",
            if ipam_opts.is_empty() {
                Value::Null
            } else {
                labels::map_value(ipam_opts)
            },
        );
        out.set("scope", n.scope.clone().into());
        out.set("labels", labels::read_back(n.labels.iter().flatten()));
        out.set("ipam_config", Value::List(ipam_read_back(n, current)));
        out
    }
}

#[async_trait]
impl Resource for NetworkResource {
    /// By the per-instance mark the create call wrote: never by name, which two networks may share.
    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        let found = list(&self.client, labels::token_filter(token)).await?;
        Ok(found.first().map(|n| self.state(n, Some(intent))))
    }

    fn validate(&self, config: &Value) -> Result<()> {
        if let Some(name) = config.str_attr("name") {
            if name.is_empty() {
                return Err(ProviderError::invalid("network `name` must not be empty"));
            }
        }
        Ok(())
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        Ok(self.client.plan_marked(&self.schema, prior, config))
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let name = planned.str_attr("name").unwrap_or_default().to_string();
        let _one_at_a_time = self.client.network_create.lock().await;
        let own =
            duplicates::clear_for_create(&self.client, &name, ctx.create_token(), ctx).await?;
        if let Some(n) = own {
            return Ok(self.state(&n, Some(planned)));
        }
        let ipam_config: Vec<IpamConfig> = planned
            .list_attr("ipam_config")
            .iter()
            .map(|c| {
                let aux = c.string_map_attr("aux_address");
                IpamConfig {
                    subnet: c.str_attr("subnet").map(str::to_string),
                    ip_range: c.str_attr("ip_range").map(str::to_string),
                    gateway: c.str_attr("gateway").map(str::to_string),
                    auxiliary_addresses: (!aux.is_empty()).then(|| labels::to_hash(&aux)),
                }
            })
            .collect();
        let ipam_options = planned.string_map_attr("ipam_options");
        let options = match planned.get("options") {
            Value::Object(_) => Some(labels::to_hash(&planned.string_map_attr("options"))),
            _ => None,
        };
        let body = NetworkCreateRequest {
            name: name.clone(),
            driver: planned.str_attr("driver").map(str::to_string),
            internal: planned.get("internal").as_bool(),
            attachable: planned.get("attachable").as_bool(),
            ingress: planned.get("ingress").as_bool(),
            enable_ipv6: planned.get("ipv6").as_bool().filter(|b| *b),
            options,
            labels: Some(labels::for_create(
                planned,
                "labels",
                self.client.mark(),
                ctx,
            )),
            ipam: Some(Ipam {
                driver: planned.str_attr("ipam_driver").map(str::to_string),
                config: Some(ipam_config),
                options: (!ipam_options.is_empty()).then(|| labels::to_hash(&ipam_options)),
            }),
            ..Default::default()
        };
        let created = self
            .client
            .docker
            .create_network(body)
            .await
            .map_err(|e| errors::api(&format!("creating network `{name}`"), e))?;
        // A run killed mid-create leaves its call running in the engine, which may finish it
        // only after this run looked: clear such late leftovers once more, now that ours exists.
        duplicates::clear_after_create(&self.client, &name, &created.id, ctx).await;
        match inspect(&self.client, &created.id).await? {
            Some(n) => Ok(self.state(&n, Some(planned))),
            None => Err(ProviderError::api(format!(
                "network `{name}` vanished right after it was created"
            ))),
        }
    }

    async fn read(&self, current: &Value) -> Result<Option<Value>> {
        if let Some(id) = current.str_attr("id") {
            return Ok(inspect(&self.client, id)
                .await?
                .map(|n| self.state(&n, Some(current))));
        }
        // An interrupted create from before create tokens: its name and this stack's mark are all
        // there is. Adopt only a single candidate; with several, none is (the create then
        // removes them all and makes one, so the stack converges).
        let Some(name) = current.str_attr("name") else {
            return Ok(None);
        };
        let found: Vec<NetworkInspect> = find_by_name(&self.client, name)
            .await?
            .into_iter()
            .filter(|n| labels::is_marked_for(n.labels.as_ref(), &self.client.stack))
            .collect();
        Ok(match found.as_slice() {
            [only] => Some(self.state(only, Some(current))),
            _ => None,
        })
    }

    async fn update(&self, _prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        // Every argument forces a new network.
        Ok(planned.clone())
    }

    async fn delete(&self, prior: &Value, ctx: &OpContext) -> Result<()> {
        let Some(id) = prior.str_attr("id") else {
            return Ok(());
        };
        let name = prior.str_attr("name").unwrap_or(id);
        let busy = |e: &bollard::errors::Error| errors::message(e).contains("active endpoints");
        let waiting = format!("network `{name}` still has containers attached, waiting");
        let remove = || self.client.docker.remove_network(id);
        match errors::remove_when_free(busy, Duration::from_secs(2), Some((ctx, &waiting)), remove)
            .await
        {
            Ok(()) => Ok(()),
            Err(e) if errors::is_not_found(&e) => {
                let what = format!("network `{name}`");
                let exists = async { Ok(inspect(&self.client, id).await?.is_some()) };
                errors::confirm_gone(&what, exists).await
            }
            Err(e) if busy(&e) => Err(self.in_use(id, name).await),
            Err(e) => Err(errors::api(&format!("removing network `{name}`"), e)),
        }
    }

    async fn import(&self, id: &str) -> Result<Value> {
        match inspect(&self.client, id).await? {
            Some(n) => Ok(self.state(&n, None)),
            None => Err(ProviderError::not_found(format!(
                "network `{id}` does not exist"
            ))),
        }
    }

    async fn list_marked(&self, filter: &StackFilter) -> Result<Vec<Marked>> {
        let mut found = Vec::new();
        for filters in Client::mark_filters(filter) {
            for n in list(&self.client, filters).await? {
                let marks = crate::labels::labels_of(n.labels.as_ref());
                let created = n.created.clone();
                found.push(Marked::new(self.state(&n, None), marks).created(created));
            }
        }
        Ok(filter.select(found))
    }
}

impl NetworkResource {
    /// The "network in use" error, naming the containers still attached.
    async fn in_use(&self, id: &str, name: &str) -> ProviderError {
        let attached = match inspect(&self.client, id).await {
            Ok(Some(n)) => {
                let mut names: Vec<String> = n
                    .containers
                    .iter()
                    .flatten()
                    .filter_map(|(_, c)| c.name.clone())
                    .map(|c| format!("`{c}`"))
                    .collect();
                names.sort();
                names.join(", ")
            }
            _ => String::new(),
        };
        let who = if attached.is_empty() {
            "containers".to_string()
        } else {
            format!("containers {attached}")
        };
        ProviderError::conflict(format!("network `{name}` is still in use by {who}"))
            .with_hint(format!("remove those containers first, or disconnect them with `docker network disconnect {name} <container>`"))
    }
}
