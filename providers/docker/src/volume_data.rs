//! `data "docker_volume"`: a volume made outside the stack, read and never changed. labform's own
//! data source (kreuzwerker's provider has none): Compose's `external: true` volumes need a read
//! that fails when the volume is missing, where a container mount would create it silently.

use std::collections::BTreeMap;
use std::sync::Arc;

use labform_sdk::{
    async_trait, Attribute, BlockSchema, DataSource, ProviderError, Result, Type, Value,
};

use crate::client::Client;
use crate::errors;

pub fn schema() -> BlockSchema {
    BlockSchema::new()
        .attr("name", Attribute::required(Type::String))
        .attrs(
            &["id", "driver", "mountpoint"],
            Attribute::computed(Type::String),
        )
        .attr("labels", Attribute::computed(Type::map(Type::String)))
}

labform_sdk::typed! {
    pub struct VolumeData("docker_volume") { client: Arc<Client> }
    schema: schema()
}

#[async_trait]
impl DataSource for VolumeData {
    async fn read(&self, config: &Value) -> Result<Value> {
        let name = config.str_attr("name").unwrap_or_default();
        let v = match self.client.docker.inspect_volume(name).await {
            Ok(v) => v,
            Err(e) if errors::is_not_found(&e) => {
                return Err(ProviderError::not_found(format!(
                    "volume `{name}` does not exist on the docker engine"
                ))
                .with_hint(format!(
                    "an external volume is made outside the stack: create it with `docker volume create {name}`"
                )))
            }
            Err(e) => return Err(errors::api(&format!("reading volume `{name}`"), e)),
        };
        let mut out = self.schema.empty_value();
        out.set("name", v.name.clone().into());
        out.set("id", v.name.clone().into());
        out.set("driver", v.driver.clone().into());
        out.set("mountpoint", v.mountpoint.clone().into());
        let labels: BTreeMap<_, _> = v.labels.iter().collect();
        out.set("labels", crate::labels::map_value(labels));
        Ok(out)
    }
}
