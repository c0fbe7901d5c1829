//! `data "aws_region"`: the provider's region (or the one named), its endpoint and description.

use std::sync::Arc;

use labform_sdk::{async_trait, Attribute, BlockSchema, DataSource, Result, Value};

use crate::client::Aws;
use crate::schema_util::s;

labform_sdk::typed! {
    pub struct RegionData("aws_region") { aws: Arc<Aws> }
    schema: schema()
}

pub fn schema() -> BlockSchema {
    BlockSchema::new()
        .attr("description", Attribute::computed(s()))
        .attrs(
            &["endpoint", "id", "name", "region"],
            Attribute::optional_computed(s()),
        )
}

fn description(region: &str) -> &'static str {
    match region {
        "us-east-1" => "US East (N. Virginia)",
        "us-east-2" => "US East (Ohio)",
        "us-west-1" => "US West (N. California)",
        "us-west-2" => "US West (Oregon)",
        "ca-central-1" => "Canada (Central)",
        "eu-west-1" => "Europe (Ireland)",
        "eu-west-2" => "Europe (London)",
        "eu-west-3" => "Europe (Paris)",
        "eu-central-1" => "Europe (Frankfurt)",
        "eu-north-1" => "Europe (Stockholm)",
        "ap-south-1" => "Asia Pacific (Mumbai)",
        "ap-southeast-1" => "Asia Pacific (Singapore)",
        "ap-southeast-2" => "Asia Pacific (Sydney)",
        "ap-northeast-1" => "Asia Pacific (Tokyo)",
        "ap-northeast-2" => "Asia Pacific (Seoul)",
        "sa-east-1" => "South America (Sao Paulo)",
        _ => "",
    }
}

#[async_trait]
impl DataSource for RegionData {
    async fn read(&self, config: &Value) -> Result<Value> {
        let from_endpoint = config
            .str_attr("endpoint")
            .and_then(|e| e.strip_prefix("ec2."))
            .and_then(|e| e.split('.').next());
        let region = config
            .str_attr("region")
            .or(config.str_attr("name"))
            .or(from_endpoint)
            .unwrap_or(&self.aws.region)
            .to_string();
        Ok(Value::from_pairs([
            ("description", description(&region).into()),
            ("endpoint", format!("ec2.{region}.amazonaws.com").into()),
            ("id", region.as_str().into()),
            ("name", region.as_str().into()),
            ("region", region.into()),
        ]))
    }
}
