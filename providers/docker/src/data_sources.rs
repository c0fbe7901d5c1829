//! `data "docker_image"` and `data "docker_network"`: things that already exist, looked up locally.

use std::collections::BTreeMap;
use std::sync::Arc;

use labform_sdk::{
    async_trait, Attribute, BlockSchema, DataSource, ProviderError, Result, Type, Value,
};

use crate::client::Client;
use crate::image::pull;
use crate::network;

pub fn image_schema() -> BlockSchema {
    BlockSchema::new()
        .attr("name", Attribute::required(Type::String))
        .attrs(&["id", "repo_digest"], Attribute::computed(Type::String))
}

pub fn network_schema() -> BlockSchema {
    let ipam = Type::Object(
        ["aux_address", "gateway", "ip_range", "subnet"]
            .into_iter()
            .map(|k| {
                let ty = if k == "aux_address" {
                    Type::map(Type::String)
                } else {
                    Type::String
                };
                (
                    k.to_string(),
                    labform_sdk::types::ObjectAttr {
                        ty,
                        optional: true,
                        default: None,
                    },
                )
            })
            .collect(),
    );
    let container = Type::Object(
        [
            "container_id",
            "endpoint_id",
            "ipv4_address",
            "ipv6_address",
            "mac_address",
            "name",
        ]
        .into_iter()
        .map(|k| {
            (
                k.to_string(),
                labform_sdk::types::ObjectAttr {
                    ty: Type::String,
                    optional: true,
                    default: None,
                },
            )
        })
        .collect(),
    );
    BlockSchema::new()
        .attr("name", Attribute::required(Type::String))
        .attrs(&["id", "driver"], Attribute::computed(Type::String))
        .attr("options", Attribute::computed(Type::map(Type::String)))
        .attr("internal", Attribute::computed(Type::Bool))
        .attr("ipam_config", Attribute::computed(Type::set(ipam)))
        .attr("scope", Attribute::computed(Type::String))
        .attr("containers", Attribute::computed(Type::list(container)))
}

labform_sdk::typed! {
    pub struct ImageData("docker_image") { client: Arc<Client> }
    schema: image_schema()
}

#[async_trait]
impl DataSource for ImageData {
    async fn read(&self, config: &Value) -> Result<Value> {
        let name = config.str_attr("name").unwrap_or_default();
        let image = pull::inspect(&self.client, name).await?.ok_or_else(|| {
            ProviderError::not_found(format!("image `{name}` is not present on the docker engine"))
                .with_hint(format!("`data \"docker_image\"` never pulls: pull it first (`docker pull {name}`) or use `resource \"docker_image\"`"))
        })?;
        let mut out = self.schema.empty_value();
        out.set("name", name.into());
        out.set("id", image.id.clone().unwrap_or_default().into());
        out.set("repo_digest", pull::repo_digest(&image, name).into());
        Ok(out)
    }
}

labform_sdk::typed! {
    pub struct NetworkData("docker_network") { client: Arc<Client> }
    schema: network_schema()
}

#[async_trait]
impl DataSource for NetworkData {
    async fn read(&self, config: &Value) -> Result<Value> {
        let name = config.str_attr("name").unwrap_or_default();
        // By id when the name is duplicated, so "ambiguous" never reaches the user.
        let target = network::resolve(&self.client, name).await?;
        let n =
            network::inspect(&self.client, &target)
                .await?
                .ok_or_else(|| {
                    ProviderError::not_found(format!(
                "network `{name}` does not exist on the docker engine"
            ))
            .with_hint(format!("create it with `docker network create {name}` (or `resource \"docker_network\"`)"))
                })?;
        let mut out = self.schema.empty_value();
        out.set(
            "name",
            n.name.clone().unwrap_or_else(|| name.to_string()).into(),
        );
        out.set("id", n.id.clone().into());
        out.set("driver", n.driver.clone().into());
        let options: BTreeMap<_, _> = n.options.iter().flatten().collect();
        out.set("options", crate::labels::map_value(options));
        out.set("internal", n.internal.unwrap_or(false).into());
        out.set("ipam_config", Value::List(network::ipam_values(&n)));
        out.set("scope", n.scope.clone().into());
        let mut containers: Vec<(String, Value)> = n
            .containers
            .iter()
            .flatten()
            .map(|(id, c)| {
                let s = |v: &Option<String>| Value::from(v.clone().unwrap_or_default());
                let v = Value::from_pairs([
                    ("container_id", Value::from(id.as_str())),
                    ("endpoint_id", s(&c.endpoint_id)),
                    ("ipv4_address", s(&c.ipv4_address)),
                    ("ipv6_address", s(&c.ipv6_address)),
                    ("mac_address", s(&c.mac_address)),
                    ("name", s(&c.name)),
                ]);
                (id.clone(), v)
            })
            .collect();
        containers.sort_by(|a, b| a.0.cmp(&b.0));
        out.set(
            "containers",
            Value::List(containers.into_iter().map(|(_, v)| v).collect()),
        );
        Ok(out)
    }
}
