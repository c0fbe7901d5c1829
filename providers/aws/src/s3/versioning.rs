//! `aws_s3_bucket_versioning`: the versioning status of a bucket. Destroy suspends versioning
//! (S3 cannot turn it off again).

use aws_sdk_s3::types::{BucketVersioningStatus, MfaDelete, VersioningConfiguration};
use labform_sdk::{async_trait, Attribute, BlockSchema, NestedBlock, ProviderError, Result, Value};

use crate::client::Aws;
use crate::errors;
use crate::s3::setting::{At, BucketSetting, Setting};
use crate::schema_util::{self as su, s};

pub type Versioning = Setting<VersioningStatus>;

pub fn schema() -> BlockSchema {
    let sc = BlockSchema::new()
        .attr("bucket", Attribute::required(s()).force_new())
        .attr(
            "expected_bucket_owner",
            Attribute::optional(s()).force_new(),
        )
        .attr("mfa", Attribute::optional(s()))
        .block(
            "versioning_configuration",
            NestedBlock::list(
                BlockSchema::new()
                    .attr("status", Attribute::required(s()))
                    .attr("mfa_delete", Attribute::optional_computed(s())),
            )
            .min(1)
            .max(1),
        );
    su::regional(sc)
}

async fn put(
    aws: &Aws,
    bucket: &str,
    status: &str,
    mfa_delete: Option<&str>,
    mfa: Option<&str>,
) -> Result<()> {
    let mut cfg = VersioningConfiguration::builder().status(BucketVersioningStatus::from(status));
    if let Some(m) = mfa_delete {
        cfg = cfg.mfa_delete(MfaDelete::from(m));
    }
    aws.s3
        .put_bucket_versioning()
        .bucket(bucket)
        .versioning_configuration(cfg.build())
        .set_mfa(mfa.map(str::to_string))
        .send()
        .await
        .map(|_| ())
        .map_err(|e| errors::sdk(&format!("setting versioning on bucket `{bucket}`"), e))
}

fn status_of(v: &Value) -> Option<&str> {
    v.single_block("versioning_configuration")
        .and_then(|b| b.str_attr("status"))
}

pub struct VersioningStatus;

#[async_trait]
impl BucketSetting for VersioningStatus {
    const TYPE_NAME: &'static str = "aws_s3_bucket_versioning";
    const NOUN: &'static str = "versioning";
    const KEPT: &'static [&'static str] = &["expected_bucket_owner", "mfa"];
    const SCHEMA: fn() -> BlockSchema = schema;

    fn validate(config: &Value) -> Result<()> {
        if let Some(block) = config.single_block("versioning_configuration") {
            if let Some(st) = block.str_attr("status") {
                if !matches!(st, "Enabled" | "Suspended" | "Disabled") {
                    return Err(ProviderError::invalid(format!(
                        "`versioning_configuration.status` is `{st}`: it must be `Enabled`, `Suspended` or `Disabled`"
                    )));
                }
            }
            if let Some(m) = block.str_attr("mfa_delete") {
                if !matches!(m, "Enabled" | "Disabled") {
                    return Err(ProviderError::invalid(format!(
                        "`mfa_delete` is `{m}`: it must be `Enabled` or `Disabled`"
                    )));
                }
            }
        }
        Ok(())
    }

    async fn put(at: At<'_>) -> Result<()> {
        let (aws, bucket, planned) = (at.aws, at.bucket, at.value);
        let block = planned
            .single_block("versioning_configuration")
            .cloned()
            .unwrap_or_default();
        match block.str_attr("status").unwrap_or("Enabled") {
            // Adopting a never-versioned bucket: nothing to send.
            "Disabled" => Ok(()),
            status => {
                put(
                    aws,
                    bucket,
                    status,
                    block.str_attr("mfa_delete"),
                    planned.str_attr("mfa"),
                )
                .await
            }
        }
    }

    async fn get(at: At<'_>, out: &mut Value) -> Result<bool> {
        let (aws, bucket) = (at.aws, at.bucket);
        let Some(got) = errors::found(
            &format!("reading versioning of bucket `{bucket}`"),
            aws.s3.get_bucket_versioning().bucket(bucket).send().await,
        )?
        else {
            return Ok(false);
        };
        let or_disabled = |s: Option<&str>| s.unwrap_or("Disabled").to_string();
        out.set(
            "versioning_configuration",
            Value::List(vec![Value::from_pairs([
                (
                    "status",
                    or_disabled(got.status().map(|s| s.as_str())).into(),
                ),
                (
                    "mfa_delete",
                    or_disabled(got.mfa_delete().map(|s| s.as_str())).into(),
                ),
            ])]),
        );
        Ok(true)
    }

    async fn remove(at: At<'_>) -> Result<()> {
        let (aws, bucket, prior) = (at.aws, at.bucket, at.value);
        if status_of(prior) == Some("Disabled") {
            return Ok(());
        }
        match put(aws, bucket, "Suspended", None, prior.str_attr("mfa")).await {
            Err(e) if e.kind == labform_sdk::ErrorKind::NotFound => Ok(()),
            other => other,
        }
    }

    /// `Disabled` is a bucket whose versioning was never set: nothing was made.
    fn was_set(found: &Value) -> bool {
        status_of(found) != Some("Disabled")
    }
}
