//! `aws_kinesis_firehose_delivery_stream`: a Firehose delivery stream fed by a Kinesis stream
//! (`kinesis_source_configuration`) or by direct puts, delivering to S3 (`destination =
//! "extended_s3"`; the other destinations are not implemented yet). Its id is its ARN, which is
//! also its import id. Create and update wait for `ACTIVE`; a destination change goes through
//! UpdateDestination with the version id and destination id the stream reports at that moment.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use aws_sdk_firehose::types::{
    DeliveryStreamDescription, DeliveryStreamStatus, DeliveryStreamType,
    KinesisStreamSourceConfiguration,
};
use labform_sdk::{
    async_trait, by_id, Attribute, BlockSchema, Marked, NestedBlock, OpContext, PlannedChange,
    ProviderError, Resource, Result, StackFilter, Value,
};

use crate::client::Aws;
use crate::firehose::delivery_stream_api as api;
use crate::firehose::extended_s3::{self, Destination};
use crate::schema_util::{self as su, s, timeout};
use crate::{adopt, errors, retry, tags};

/// The provider's default timeouts: create 30 minutes, update 10, delete 30.
const CREATE: Duration = Duration::from_secs(30 * 60);
const UPDATE: Duration = Duration::from_secs(10 * 60);
const DELETE: Duration = Duration::from_secs(30 * 60);

const EXTENDED_S3: &str = "extended_s3";

/// The destinations the provider knows, each with the block it requires.
const DESTINATIONS: [(&str, &str); 9] = [
    ("elasticsearch", "elasticsearch_configuration"),
    (EXTENDED_S3, "extended_s3_configuration"),
    ("http_endpoint", "http_endpoint_configuration"),
    ("iceberg", "iceberg_configuration"),
    ("opensearch", "opensearch_configuration"),
    ("opensearchserverless", "opensearchserverless_configuration"),
    ("redshift", "redshift_configuration"),
    ("snowflake", "snowflake_configuration"),
    ("splunk", "splunk_configuration"),
];

/// The hint when the name of a create is taken.
const TAKEN: &str = "choose another `name`, or import the existing stream by its ARN";

labform_sdk::typed! {
    pub struct DeliveryStream("aws_kinesis_firehose_delivery_stream", "firehose delivery stream") {
        aws: Arc<Aws>,
    }
    schema: schema()
}

pub fn schema() -> BlockSchema {
    let source = BlockSchema::new().attrs(
        &["kinesis_stream_arn", "role_arn"],
        Attribute::required(s()).force_new(),
    );
    let sc = BlockSchema::new()
        .attrs(
            &["name", "destination"],
            Attribute::required(s()).force_new(),
        )
        .attrs(
            &["arn", "destination_id", "version_id"],
            Attribute::optional_computed(s()),
        )
        .block(
            "kinesis_source_configuration",
            NestedBlock::list(source).max(1).force_new(),
        )
        .block(
            "extended_s3_configuration",
            NestedBlock::list(extended_s3::schema()).max(1),
        );
    su::timeouts(
        su::tagged(su::regional(sc)),
        &["create", "update", "delete"],
    )
}

fn s3_block(v: &Value) -> Option<&Value> {
    v.single_block("extended_s3_configuration")
}

impl DeliveryStream {
    fn value_of(
        &self,
        d: &DeliveryStreamDescription,
        remote_tags: BTreeMap<String, String>,
        current: &Value,
    ) -> Value {
        let (tags, tags_all) = tags::split_remote(&self.aws, remote_tags, current.get("tags"));
        let mut v = self.schema.empty_value();
        su::keep(&mut v, current, &["timeouts"]);
        v.set("id", d.delivery_stream_arn().into());
        v.set("arn", d.delivery_stream_arn().into());
        v.set("name", d.delivery_stream_name().into());
        v.set("region", self.aws.region.as_str().into());
        v.set("version_id", d.version_id().into());
        let source = d
            .source()
            .and_then(|s| s.kinesis_stream_source_description())
            .map(|k| {
                Value::from_pairs([
                    (
                        "kinesis_stream_arn",
                        k.kinesis_stream_arn().map_or(Value::Null, Value::from),
                    ),
                    ("role_arn", k.role_arn().map_or(Value::Null, Value::from)),
                ])
            });
        v.set(
            "kinesis_source_configuration",
            Value::List(source.into_iter().collect()),
        );
        // Only the S3 destination is implemented; another one reads as its name alone, so
        // a plan names the difference.
        let first = d.destinations().first();
        let destination = match first {
            Some(dest) if dest.extended_s3_destination_description().is_some() => EXTENDED_S3,
            Some(dest) if dest.redshift_destination_description().is_some() => "redshift",
            Some(dest) if dest.splunk_destination_description().is_some() => "splunk",
            Some(dest) if dest.http_endpoint_destination_description().is_some() => "http_endpoint",
            Some(_) => "unsupported",
            None => "",
        };
        if !destination.is_empty() {
            v.set("destination", destination.into());
        }
        if let Some(dest) = first {
            v.set("destination_id", dest.destination_id().into());
        }
        let s3 = first
            .and_then(|dest| dest.extended_s3_destination_description())
            .map(|e| extended_s3::value_of(e, s3_block(current)));
        v.set(
            "extended_s3_configuration",
            Value::List(s3.into_iter().collect()),
        );
        v.set("tags", tags);
        v.set("tags_all", tags_all);
        v
    }

    async fn wait_active(&self, name: &str, v: &Value, op: &str, ctx: &OpContext) -> Result<()> {
        let default = if op == "create" { CREATE } else { UPDATE };
        api::wait(
            &self.aws,
            name,
            Some(DeliveryStreamStatus::Active),
            timeout(v, op, default),
            ctx,
        )
        .await
    }

    /// UpdateDestination with the planned S3 destination, against the version and destination
    /// the stream reports now (what state recorded may be stale after a change made outside).
    async fn update_destination(&self, name: &str, planned: &Value) -> Result<()> {
        let Some(block) = s3_block(planned) else {
            return Ok(());
        };
        let d = api::describe(&self.aws, name).await?.ok_or_else(|| {
            ProviderError::api(format!("firehose delivery stream `{name}` is gone"))
        })?;
        let destination_id = d
            .destinations()
            .first()
            .map(|x| x.destination_id().to_string())
            .unwrap_or_else(|| "destinationId-000000000001".to_string());
        self.aws
            .firehose
            .update_destination()
            .delivery_stream_name(name)
            .current_delivery_stream_version_id(d.version_id())
            .destination_id(destination_id)
            .extended_s3_destination_update(Destination::from_block(block, true)?.for_update())
            .send()
            .await
            .map_err(|e| {
                errors::sdk(
                    &format!("updating the destination of firehose delivery stream `{name}`"),
                    e,
                )
            })?;
        Ok(())
    }
}

#[async_trait]
impl Resource for DeliveryStream {
    /// `id` is the ARN (or the name).
    async fn read_id(&self, id: &str, current: &Value) -> Result<Option<Value>> {
        let name = api::name_of(id);
        let Some(d) = api::describe(&self.aws, name).await? else {
            return Ok(None);
        };
        let remote = api::tags(&self.aws, name).await?;
        Ok(Some(self.value_of(&d, remote, current)))
    }

    fn validate(&self, config: &Value) -> Result<()> {
        for name in ["arn", "destination_id", "version_id"] {
            if !config.get(name).is_null() {
                return Err(ProviderError::unsupported(format!(
                    "`{name}` on `aws_kinesis_firehose_delivery_stream` is not supported yet"
                ))
                .with_hint(format!("remove `{name}`: AWS sets it")));
            }
        }
        if let Some(name) = config.str_attr("name") {
            if name.is_empty() || name.len() > 64 {
                return Err(ProviderError::invalid(format!(
                    "`name` is `{name}`: it must be 1 to 64 characters long"
                )));
            }
        }
        let Some(dest) = config.str_attr("destination") else {
            return Ok(());
        };
        let dest = dest.to_ascii_lowercase();
        let Some((_, block)) = DESTINATIONS.iter().find(|(d, _)| *d == dest) else {
            let known: Vec<&str> = DESTINATIONS.iter().map(|(d, _)| *d).collect();
            return Err(ProviderError::invalid(format!(
                "`destination` is `{dest}`: expected one of {}",
                known.join(", ")
            )));
        };
        if dest != EXTENDED_S3 {
            return Err(ProviderError::unsupported(format!(
                "`destination = \"{dest}\"` (with `{block}`) is not supported yet"
            ))
            .with_hint("use `destination = \"extended_s3\"` with `extended_s3_configuration`"));
        }
        match s3_block(config) {
            Some(b) => extended_s3::validate(b),
            None => Err(ProviderError::invalid(
                "when `destination` is `extended_s3`, `extended_s3_configuration` is required",
            )
            .with_hint("add an `extended_s3_configuration { role_arn, bucket_arn }` block")),
        }
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        // As the provider, `destination` is recorded in lower case.
        let mut config = config.clone();
        if let Some(d) = config.str_attr("destination") {
            let lower = d.to_ascii_lowercase();
            config.set("destination", lower.into());
        }
        su::plan(&self.aws, &self.schema, prior, &config)
    }

    /// Found by its name (unique in the account and region), adopted only when it carries this
    /// create's mark.
    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        let name = su::req(intent, "name")?;
        if api::describe(&self.aws, name).await?.is_none() {
            return Ok(None);
        }
        adopt::check_ours(
            &format!("firehose delivery stream `{name}`"),
            &api::tags(&self.aws, name).await?,
            token,
            &format!("aws firehose delete-delivery-stream --delivery-stream-name {name}"),
        )?;
        self.read_id(name, intent).await
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let name = su::req(planned, "name")?;
        let what = format!("firehose delivery stream `{name}`");
        let s3 = s3_block(planned)
            .ok_or_else(|| ProviderError::invalid("`extended_s3_configuration` must be set"))?;
        let all = tags::for_create(&self.aws, planned.get("tags"), ctx);
        let source = match planned.single_block("kinesis_source_configuration") {
            Some(k) => Some(
                KinesisStreamSourceConfiguration::builder()
                    .kinesis_stream_arn(su::req(k, "kinesis_stream_arn")?)
                    .role_arn(su::req(k, "role_arn")?)
                    .build()
                    .map_err(|e| {
                        ProviderError::invalid(format!("building a firehose request: {e}"))
                    })?,
            ),
            None => None,
        };
        self.aws
            .firehose
            .create_delivery_stream()
            .delivery_stream_name(name)
            .delivery_stream_type(if source.is_some() {
                DeliveryStreamType::KinesisStreamAsSource
            } else {
                DeliveryStreamType::DirectPut
            })
            .set_kinesis_stream_source_configuration(source)
            .extended_s3_destination_configuration(
                Destination::from_block(s3, false)?.for_create()?,
            )
            .set_tags(Some(api::tag_list(all)))
            .send()
            .await
            .map_err(errors::on_create(&what, "ResourceInUseException", TAKEN))?;
        self.wait_active(name, planned, "create", ctx).await?;
        by_id::created(self, name, planned).await
    }

    async fn update(&self, prior: &Value, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let name = su::req(prior, "name")?;
        if prior.get("extended_s3_configuration") != planned.get("extended_s3_configuration") {
            self.update_destination(name, planned).await?;
            self.wait_active(name, planned, "update", ctx).await?;
        }
        let (set, removed) = tags::changes(&self.aws, prior, planned);
        api::write_tags(&self.aws, name, set, removed).await?;
        by_id::updated(self, name, planned).await
    }

    async fn delete(&self, prior: &Value, ctx: &OpContext) -> Result<()> {
        let Some(name) = prior.str_attr("name") else {
            return Ok(());
        };
        retry::delete(
            &format!("deleting firehose delivery stream `{name}`"),
            || {
                self.aws
                    .firehose
                    .delete_delivery_stream()
                    .delivery_stream_name(name)
                    .send()
            },
        )
        .await?;
        api::wait(&self.aws, name, None, timeout(prior, "delete", DELETE), ctx).await
    }

    /// The import id is the ARN, as the provider's
    /// (`arn:aws:firehose:REGION:ACCOUNT:deliverystream/NAME`).
    async fn import(&self, id: &str) -> Result<Value> {
        if !id.starts_with("arn:") || !id.contains(":deliverystream/") {
            return Err(ProviderError::invalid(format!(
                "import id `{id}` is not a delivery stream ARN"
            ))
            .with_hint("use `arn:aws:firehose:REGION:ACCOUNT:deliverystream/NAME`"));
        }
        by_id::import(self, id).await
    }

    /// Every delivery stream of the region, each read for its tags.
    async fn list_marked(&self, filter: &StackFilter) -> Result<Vec<Marked>> {
        let names = api::names(&self.aws).await?;
        let all = by_id::read_all(self, &names).await?;
        Ok(tags::marked(all, filter))
    }
}
