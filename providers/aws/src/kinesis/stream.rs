//! `aws_kinesis_stream`: a Kinesis data stream, provisioned (`shard_count`) or on demand. Its
//! id is its ARN; it is imported by name. Every change waits for `ACTIVE`, as the provider does.

use std::sync::Arc;
use std::time::Duration;

use aws_sdk_kinesis::types::{
    EncryptionType, MetricsName, ScalingType, StreamDescriptionSummary, StreamMode,
    StreamModeDetails, StreamStatus,
};
use labform_sdk::{
    async_trait, by_id, Attribute, BlockSchema, Marked, NestedBlock, OpContext, PlannedChange,
    ProviderError, Resource, Result, StackFilter, Value,
};

use crate::adopt;
use crate::client::Aws;
use crate::kinesis::stream_api as api;
use crate::schema_util::{self as su, b, n, s, sset, timeout};
use crate::{errors, retry, tags};

/// The provider's default timeouts: create 5 minutes, update and delete 120.
const CREATE: Duration = Duration::from_secs(5 * 60);
const UPDATE: Duration = Duration::from_secs(120 * 60);
const DELETE: Duration = Duration::from_secs(120 * 60);

const PROVISIONED: &str = "PROVISIONED";

/// The hint when the name of a create is taken.
const TAKEN: &str = "choose another `name`, or import the existing stream";

labform_sdk::typed! {
    pub struct Stream("aws_kinesis_stream", "kinesis stream") { aws: Arc<Aws> }
    schema: schema()
}

pub fn schema() -> BlockSchema {
    let sc = BlockSchema::new()
        .attr("name", Attribute::required(s()).force_new())
        .attr("arn", Attribute::optional_computed(s()))
        .attr("shard_count", Attribute::optional(n()))
        .attr("retention_period", Attribute::optional(n()).default(24))
        .attr("shard_level_metrics", Attribute::optional(sset()))
        .attr("encryption_type", Attribute::optional(s()).default("NONE"))
        .attr("kms_key_id", Attribute::optional(s()))
        .attr(
            "enforce_consumer_deletion",
            Attribute::optional(b()).default(false),
        )
        .attr("max_record_size_in_kib", Attribute::optional_computed(n()))
        .block(
            "stream_mode_details",
            NestedBlock::list(BlockSchema::new().attr("stream_mode", Attribute::required(s())))
                .max(1)
                .computed(),
        );
    // Schema version 1 as hashicorp/aws's (its upgrade from 0 only adds
    // enforce_consumer_deletion = false, which every read here records). Warm throughput
    // (CreateStream's WarmThroughputMiBps, UpdateStreamWarmThroughput) is not implemented: it
    // is recorded as null.
    su::timeouts(
        su::tagged(su::regional(sc)),
        &["create", "update", "delete"],
    )
    .version(1)
    .unimplemented(&["warm_throughput_mib_ps"])
}

/// The configured stream mode: `PROVISIONED` unless a `stream_mode_details` block says otherwise.
fn mode_of(v: &Value) -> &str {
    v.list_attr("stream_mode_details")
        .first()
        .and_then(|d| d.str_attr("stream_mode"))
        .unwrap_or(PROVISIONED)
}

fn metrics_of(v: &Value) -> Vec<String> {
    v.string_list_attr("shard_level_metrics")
}

fn int(v: &Value, name: &str) -> Option<i32> {
    v.i64_attr(name).and_then(|i| i32::try_from(i).ok())
}

impl Stream {
    fn value_of(
        &self,
        st: &StreamDescriptionSummary,
        remote_tags: std::collections::BTreeMap<String, String>,
        current: &Value,
    ) -> Value {
        let (tags, tags_all) = tags::split_remote(&self.aws, remote_tags, current.get("tags"));
        let mode = st
            .stream_mode_details()
            .map_or(PROVISIONED, |d| d.stream_mode().as_str());
        let mut v = self.schema.empty_value();
        su::keep(&mut v, current, &["enforce_consumer_deletion", "timeouts"]);
        if v.get("enforce_consumer_deletion").is_null() {
            v.set("enforce_consumer_deletion", false.into());
        }
        v.set("id", st.stream_arn().into());
        v.set("arn", st.stream_arn().into());
        v.set("name", st.stream_name().into());
        v.set("region", self.aws.region.as_str().into());
        v.set(
            "retention_period",
            Value::from(i64::from(st.retention_period_hours())),
        );
        v.set(
            "shard_count",
            if mode == PROVISIONED {
                Value::from(i64::from(st.open_shard_count()))
            } else {
                Value::Null
            },
        );
        let mut metrics: Vec<&str> = st
            .enhanced_monitoring()
            .iter()
            .flat_map(|m| m.shard_level_metrics())
            .map(MetricsName::as_str)
            .collect();
        metrics.sort_unstable();
        metrics.dedup();
        v.set(
            "shard_level_metrics",
            if metrics.is_empty() && current.get("shard_level_metrics").is_null() {
                Value::Null
            } else {
                Value::List(metrics.into_iter().map(Value::from).collect())
            },
        );
        v.set(
            "encryption_type",
            st.encryption_type().map_or("NONE", |e| e.as_str()).into(),
        );
        v.set(
            "kms_key_id",
            st.key_id()
                .filter(|k| !k.is_empty())
                .map_or(Value::Null, Value::from),
        );
        // The provider records an absent size as 0 (a nil *int32 through the plugin SDK).
        v.set(
            "max_record_size_in_kib",
            Value::from(i64::from(st.max_record_size_in_kib().unwrap_or(0))),
        );
        // The provider records the mode whenever the API answers one; the block is optional
        // and computed, so a configuration without it keeps what was read.
        v.set(
            "stream_mode_details",
            Value::List(
                st.stream_mode_details()
                    .map(|d| {
                        Value::from_pairs([("stream_mode", Value::from(d.stream_mode().as_str()))])
                    })
                    .into_iter()
                    .collect(),
            ),
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
            Some(StreamStatus::Active),
            timeout(v, op, default),
            ctx,
        )
        .await
    }

    async fn set_retention(&self, name: &str, from: i32, to: i32) -> Result<()> {
        let k = &self.aws.kinesis;
        let context = format!("changing the retention period of kinesis stream `{name}`");
        if to > from {
            k.increase_stream_retention_period()
                .stream_name(name)
                .retention_period_hours(to)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| errors::sdk(&context, e))
        } else {
            k.decrease_stream_retention_period()
                .stream_name(name)
                .retention_period_hours(to)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| errors::sdk(&context, e))
        }
    }

    /// Turns shard-level metrics on (`enable`) or off.
    async fn monitoring(&self, name: &str, metrics: Vec<String>, enable: bool) -> Result<()> {
        if metrics.is_empty() {
            return Ok(());
        }
        let metrics: Vec<MetricsName> = metrics
            .iter()
            .map(|m| MetricsName::from(m.as_str()))
            .collect();
        let k = &self.aws.kinesis;
        let context = format!("changing the shard-level metrics of kinesis stream `{name}`");
        if enable {
            k.enable_enhanced_monitoring()
                .stream_name(name)
                .set_shard_level_metrics(Some(metrics))
                .send()
                .await
                .map(|_| ())
                .map_err(|e| errors::sdk(&context, e))
        } else {
            k.disable_enhanced_monitoring()
                .stream_name(name)
                .set_shard_level_metrics(Some(metrics))
                .send()
                .await
                .map(|_| ())
                .map_err(|e| errors::sdk(&context, e))
        }
    }

    /// Starts KMS encryption with `key`, or stops the encryption `prior` had.
    async fn encryption(&self, name: &str, prior: &Value, planned: &Value) -> Result<()> {
        let k = &self.aws.kinesis;
        let context = format!("changing the encryption of kinesis stream `{name}`");
        if planned
            .str_attr("encryption_type")
            .is_some_and(|t| t.eq_ignore_ascii_case("KMS"))
        {
            k.start_stream_encryption()
                .stream_name(name)
                .encryption_type(EncryptionType::Kms)
                .key_id(su::req(planned, "kms_key_id")?)
                .send()
                .await
                .map_err(|e| errors::sdk(&context, e))?;
        } else {
            k.stop_stream_encryption()
                .stream_name(name)
                .encryption_type(EncryptionType::Kms)
                .key_id(prior.str_attr("kms_key_id").unwrap_or_default())
                .send()
                .await
                .map_err(|e| errors::sdk(&context, e))?;
        }
        Ok(())
    }
}

#[async_trait]
impl Resource for Stream {
    /// `id` is the ARN, or the name (an import).
    async fn read_id(&self, id: &str, current: &Value) -> Result<Option<Value>> {
        let Some(st) = api::summary(&self.aws, id).await? else {
            return Ok(None);
        };
        let remote = api::tags(&self.aws, st.stream_name()).await?;
        Ok(Some(self.value_of(&st, remote, current)))
    }

    fn validate(&self, config: &Value) -> Result<()> {
        for name in ["arn", "max_record_size_in_kib"] {
            if !config.get(name).is_null() {
                return Err(ProviderError::unsupported(format!(
                    "`{name}` on `aws_kinesis_stream` is not supported yet"
                ))
                .with_hint(format!(
                    "remove `{name}`: the stream is created with AWS's value"
                )));
            }
        }
        let mode = mode_of(config);
        if !matches!(mode, "PROVISIONED" | "ON_DEMAND") {
            return Err(ProviderError::invalid(format!(
                "`stream_mode_details.stream_mode` is `{mode}`: expected `PROVISIONED` or `ON_DEMAND`"
            )));
        }
        match (mode, config.get("shard_count")) {
            (_, Value::Unknown) => {}
            (PROVISIONED, count) if count.as_i64().unwrap_or(0) < 1 => {
                return Err(ProviderError::invalid(
                    "`shard_count` must be at least 1 when the stream mode is `PROVISIONED`",
                )
                .with_hint("set `shard_count`, or add `stream_mode_details { stream_mode = \"ON_DEMAND\" }`"))
            }
            ("ON_DEMAND", count) if count.as_i64().unwrap_or(0) > 0 => {
                return Err(ProviderError::invalid(
                    "`shard_count` must not be set when the stream mode is `ON_DEMAND`",
                )
                .with_hint("remove `shard_count`: an on-demand stream scales by itself"))
            }
            _ => {}
        }
        if let Some(r) = config.i64_attr("retention_period") {
            if !(24..=8760).contains(&r) {
                return Err(ProviderError::invalid(format!(
                    "`retention_period` is {r}: it must be between 24 and 8760 hours"
                )));
            }
        }
        match config.str_attr("encryption_type") {
            Some(t) if !t.eq_ignore_ascii_case("KMS") && !t.eq_ignore_ascii_case("NONE") => {
                return Err(ProviderError::invalid(format!(
                    "`encryption_type` is `{t}`: expected `NONE` or `KMS`"
                )))
            }
            Some(t) if t.eq_ignore_ascii_case("KMS") && config.get("kms_key_id").is_null() => {
                return Err(ProviderError::invalid(
                    "`kms_key_id` must be set when `encryption_type` is `KMS`",
                )
                .with_hint("use a key id, ARN or alias such as `alias/aws/kinesis`"))
            }
            _ => {}
        }
        Ok(())
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        let mut config = config.clone();
        if let Some(prior) = prior {
            // As the provider: `encryption_type` compares without case, and a removed
            // `stream_mode_details` block is no change while the stream is provisioned.
            let (was, now) = (
                prior.str_attr("encryption_type"),
                config.str_attr("encryption_type"),
            );
            if let (Some(was), Some(now)) = (was, now) {
                if was.eq_ignore_ascii_case(now) {
                    config.set("encryption_type", was.into());
                }
            }
            if config.list_attr("stream_mode_details").is_empty() && mode_of(prior) == PROVISIONED {
                config.set(
                    "stream_mode_details",
                    prior.get("stream_mode_details").clone(),
                );
            }
        }
        su::plan(&self.aws, &self.schema, prior, &config)
    }

    /// Found by its name (unique in the account and region), adopted only when it carries this
    /// create's mark.
    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        let name = su::req(intent, "name")?;
        if api::summary(&self.aws, name).await?.is_none() {
            return Ok(None);
        }
        adopt::check_ours(
            &format!("kinesis stream `{name}`"),
            &api::tags(&self.aws, name).await?,
            token,
            &format!("aws kinesis delete-stream --stream-name {name}"),
        )?;
        self.read_id(name, intent).await
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let name = su::req(planned, "name")?;
        let what = format!("kinesis stream `{name}`");
        let mode = mode_of(planned);
        let all = tags::for_create(&self.aws, planned.get("tags"), ctx);
        self.aws
            .kinesis
            .create_stream()
            .stream_name(name)
            .set_shard_count(if mode == PROVISIONED {
                int(planned, "shard_count")
            } else {
                None
            })
            .stream_mode_details(
                StreamModeDetails::builder()
                    .stream_mode(StreamMode::from(mode))
                    .build()
                    .map_err(|e| ProviderError::api(format!("building a kinesis request: {e}")))?,
            )
            .set_tags(Some(all.clone().into_iter().collect()))
            .send()
            .await
            .map_err(errors::on_create(&what, "ResourceInUseException", TAKEN))?;
        self.wait_active(name, planned, "create", ctx).await?;
        // CreateStream carries the tags; an implementation that drops them (moto) gets them
        // here, so the marks are there whatever answered.
        let remote = api::tags(&self.aws, name).await?;
        let (missing, _) = tags::diff(&remote, &all);
        api::write_tags(&self.aws, name, missing, vec![]).await?;
        let retention = int(planned, "retention_period").unwrap_or(24);
        if retention != 24 {
            self.set_retention(name, 24, retention).await?;
            self.wait_active(name, planned, "create", ctx).await?;
        }
        if !metrics_of(planned).is_empty() {
            self.monitoring(name, metrics_of(planned), true).await?;
            self.wait_active(name, planned, "create", ctx).await?;
        }
        if planned
            .str_attr("encryption_type")
            .is_some_and(|t| t.eq_ignore_ascii_case("KMS"))
        {
            self.encryption(name, planned, planned).await?;
            self.wait_active(name, planned, "create", ctx).await?;
        }
        by_id::created(self, name, planned).await
    }

    async fn update(&self, prior: &Value, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let name = su::req(prior, "name")?;
        let arn = su::req(prior, "arn")?;
        let k = &self.aws.kinesis;
        let mode = mode_of(planned);
        if mode != mode_of(prior) {
            k.update_stream_mode()
                .stream_arn(arn)
                .stream_mode_details(
                    StreamModeDetails::builder()
                        .stream_mode(StreamMode::from(mode))
                        .build()
                        .map_err(|e| {
                            ProviderError::api(format!("building a kinesis request: {e}"))
                        })?,
                )
                .send()
                .await
                .map_err(|e| {
                    errors::sdk(&format!("changing the mode of kinesis stream `{name}`"), e)
                })?;
            self.wait_active(name, planned, "update", ctx).await?;
        }
        if let (PROVISIONED, Some(count)) = (mode, int(planned, "shard_count")) {
            if planned.get("shard_count") != prior.get("shard_count") {
                k.update_shard_count()
                    .stream_name(name)
                    .target_shard_count(count)
                    .scaling_type(ScalingType::UniformScaling)
                    .send()
                    .await
                    .map_err(|e| {
                        errors::sdk(
                            &format!("changing the shard count of kinesis stream `{name}`"),
                            e,
                        )
                    })?;
                self.wait_active(name, planned, "update", ctx).await?;
            }
        }
        let (from, to) = (
            int(prior, "retention_period"),
            int(planned, "retention_period"),
        );
        if let (Some(from), Some(to)) = (from, to) {
            if from != to {
                self.set_retention(name, from, to).await?;
                self.wait_active(name, planned, "update", ctx).await?;
            }
        }
        let (was, now) = (metrics_of(prior), metrics_of(planned));
        let off: Vec<String> = was.iter().filter(|m| !now.contains(m)).cloned().collect();
        let on: Vec<String> = now.iter().filter(|m| !was.contains(m)).cloned().collect();
        for (metrics, enable) in [(off, false), (on, true)] {
            if !metrics.is_empty() {
                self.monitoring(name, metrics, enable).await?;
                self.wait_active(name, planned, "update", ctx).await?;
            }
        }
        if ["encryption_type", "kms_key_id"]
            .iter()
            .any(|a| prior.get(a) != planned.get(a))
        {
            self.encryption(name, prior, planned).await?;
            self.wait_active(name, planned, "update", ctx).await?;
        }
        let (set, removed) = tags::changes(&self.aws, prior, planned);
        api::write_tags(&self.aws, name, set, removed).await?;
        by_id::updated(self, arn, planned).await
    }

    async fn delete(&self, prior: &Value, ctx: &OpContext) -> Result<()> {
        let Some(name) = prior.str_attr("name") else {
            return Ok(());
        };
        let enforce = prior.bool_attr("enforce_consumer_deletion", false);
        retry::delete(&format!("deleting kinesis stream `{name}`"), || {
            self.aws
                .kinesis
                .delete_stream()
                .stream_name(name)
                .enforce_consumer_deletion(enforce)
                .send()
        })
        .await?;
        api::wait(&self.aws, name, None, timeout(prior, "delete", DELETE), ctx).await
    }

    /// Every stream of the region, each read for its tags.
    async fn list_marked(&self, filter: &StackFilter) -> Result<Vec<Marked>> {
        let names = api::names(&self.aws).await?;
        let all = by_id::read_all(self, &names).await?;
        Ok(tags::marked(all, filter))
    }
}
