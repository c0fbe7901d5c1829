//! `data "aws_availability_zones"`: the zones of the region, sorted by name.

use std::sync::Arc;

use labform_sdk::{async_trait, Attribute, BlockSchema, DataSource, Result, Value};

use crate::client::Aws;
use crate::data::{filters, lookup_schema};
use crate::errors;
use crate::schema_util::{self as su, b, s, slist, sset};

labform_sdk::typed! {
    pub struct AvailabilityZones("aws_availability_zones") { aws: Arc<Aws> }
    schema: schema()
}

pub fn schema() -> BlockSchema {
    let sc = BlockSchema::new()
        .attr("all_availability_zones", Attribute::optional(b()))
        .attrs(
            &["exclude_names", "exclude_zone_ids"],
            Attribute::optional(sset()),
        )
        .attr("state", Attribute::optional(s()))
        .attr("group_names", Attribute::computed(sset()))
        .attrs(&["names", "zone_ids"], Attribute::computed(slist()));
    lookup_schema(sc, Attribute::computed(s()))
}

#[async_trait]
impl DataSource for AvailabilityZones {
    async fn read(&self, config: &Value) -> Result<Value> {
        let mut flt = filters(config, false);
        if let Some(state) = config.str_attr("state") {
            flt.push(crate::ec2::filter("state", &[state]));
        }
        let out = self
            .aws
            .ec2
            .describe_availability_zones()
            .set_all_availability_zones(config.get("all_availability_zones").as_bool())
            .set_filters(if flt.is_empty() { None } else { Some(flt) })
            .send()
            .await
            .map_err(|e| errors::sdk("listing availability zones", e))?;
        let exclude_names = config.string_list_attr("exclude_names");
        let exclude_ids = config.string_list_attr("exclude_zone_ids");
        let mut zones: Vec<_> = out
            .availability_zones()
            .iter()
            .filter(|z| {
                !exclude_names
                    .iter()
                    .any(|n| Some(n.as_str()) == z.zone_name())
            })
            .filter(|z| !exclude_ids.iter().any(|n| Some(n.as_str()) == z.zone_id()))
            .collect();
        zones.sort_by_key(|z| z.zone_name().unwrap_or("").to_string());
        let names: Vec<Value> = zones
            .iter()
            .map(|z| z.zone_name().unwrap_or("").into())
            .collect();
        let ids: Vec<Value> = zones
            .iter()
            .map(|z| z.zone_id().unwrap_or("").into())
            .collect();
        let groups: Vec<Value> = zones
            .iter()
            .filter_map(|z| z.group_name())
            .map(Value::from)
            .collect();
        let mut v = config.clone();
        v.set("id", self.aws.region.as_str().into());
        v.set("region", self.aws.region.as_str().into());
        v.set("names", Value::List(names));
        v.set("zone_ids", Value::List(ids));
        v.set("group_names", su::set_of(groups));
        Ok(su::known(v))
    }
}
