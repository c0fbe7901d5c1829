//! `data "aws_subnets"`: the ids of every subnet matching filters and tags (possibly none).

use std::sync::Arc;

use labform_sdk::{async_trait, Attribute, BlockSchema, DataSource, Result, Value};

use crate::client::Aws;
use crate::data::{filters, lookup_schema};
use crate::ec2::some_list;
use crate::errors;
use crate::schema_util::{self as su, s, slist, smap};

labform_sdk::typed! {
    pub struct SubnetsData("aws_subnets") { aws: Arc<Aws> }
    schema: schema()
}

pub fn schema() -> BlockSchema {
    let sc = BlockSchema::new()
        .attr("ids", Attribute::computed(slist()))
        .attr("tags", Attribute::optional_computed(smap()));
    lookup_schema(sc, Attribute::computed(s()))
}

#[async_trait]
impl DataSource for SubnetsData {
    async fn read(&self, config: &Value) -> Result<Value> {
        let flt = filters(config, true);
        let mut ids = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let out = self
                .aws
                .ec2
                .describe_subnets()
                .set_filters(some_list(&flt))
                .set_next_token(token.clone())
                .send()
                .await
                .map_err(|e| errors::sdk("looking up subnets", e))?;
            ids.extend(
                out.subnets()
                    .iter()
                    .filter_map(|s| s.subnet_id())
                    .map(Value::from),
            );
            token = out
                .next_token()
                .filter(|t| !t.is_empty())
                .map(str::to_string);
            if token.is_none() {
                break;
            }
        }
        let mut v = config.clone();
        v.set("id", self.aws.region.as_str().into());
        v.set("region", self.aws.region.as_str().into());
        v.set("ids", Value::List(ids));
        if v.get("tags").is_null() {
            v.set("tags", Value::object());
        }
        Ok(su::known(v))
    }
}
