//! The provider block (`host`) and the set of resources and data sources it configures.

use std::collections::BTreeMap;
use std::sync::Arc;

use labform_sdk::{
    async_trait, Attribute, BlockSchema, ConfiguredProvider, Provider, ProviderContext,
    ResourceSet, Result, Type, Value,
};

use crate::client::Client;
use crate::container::ContainerResource;
use crate::data_sources::{ImageData, NetworkData};
use crate::image::ImageResource;
use crate::network::NetworkResource;
use crate::volume::VolumeResource;
use crate::volume_data::VolumeData;

/// `provider "docker" {}`.
pub struct DockerProvider;

#[async_trait]
impl Provider for DockerProvider {
    fn source(&self) -> &'static str {
        "registry.terraform.io/kreuzwerker/docker"
    }
    fn schema_version(&self) -> &'static str {
        "4.5.0"
    }

    fn config_schema(&self) -> BlockSchema {
        BlockSchema::new().attr(
            "host",
            Attribute::optional(Type::String)
                .describe("engine address (unix:///path or tcp://host:port); default DOCKER_HOST, then unix:///var/run/docker.sock"),
        )
    }

    /// The local engine, found by `DOCKER_HOST` or its socket without a provider block.
    fn searched_unconfigured(&self) -> bool {
        true
    }

    fn resource_schemas(&self) -> BTreeMap<&'static str, BlockSchema> {
        let implemented = BTreeMap::from([
            ("docker_container", crate::container::schema()),
            ("docker_image", crate::image::schema()),
            ("docker_network", crate::network::schema()),
            ("docker_volume", crate::volume::schema()),
        ]);
        labform_sdk::completed(implemented, crate::terraform_schema::resource)
    }

    fn data_source_schemas(&self) -> BTreeMap<&'static str, BlockSchema> {
        BTreeMap::from([
            ("docker_image", crate::data_sources::image_schema()),
            ("docker_network", crate::data_sources::network_schema()),
            ("docker_volume", crate::volume_data::schema()),
        ])
    }

    async fn configure(
        &self,
        config: &Value,
        ctx: &ProviderContext,
    ) -> Result<Arc<dyn ConfiguredProvider>> {
        let client = Arc::new(Client::connect(config.str_attr("host"), ctx).await?);
        Ok(Arc::new(resource_set(client)))
    }
}

fn resource_set(client: Arc<Client>) -> ResourceSet {
    ResourceSet::new()
        .resource(ContainerResource::new(client.clone()))
        .resource(ImageResource::new(client.clone()))
        .resource(NetworkResource::new(client.clone()))
        .resource(VolumeResource::new(client.clone()))
        .data_source(ImageData::new(client.clone()))
        .data_source(NetworkData::new(client.clone()))
        .data_source(VolumeData::new(client))
}
