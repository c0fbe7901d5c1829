//! `aws_s3_bucket_versioning`: the versioning status of a bucket. Destroy suspends versioning
//! (S3 cannot turn it off again).

use std::sync::Arc;

use aws_sdk_s3::types::{BucketVersioningStatus, MfaDelete, VersioningConfiguration};
use labform_sdk::{
    async_trait, Attribute, BlockSchema, NestedBlock, OpContext, PlannedChange, ProviderError,
    ReadBack, Resource, Value,
};

use crate::client::Aws;
use crate::errors;
use crate::schema_util::{self as su, s};

pub struct Versioning {
    aws: Arc<Aws>,
    schema: BlockSchema,
}

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

impl Versioning {
    pub fn new(aws: Arc<Aws>) -> Self {
        Versioning {
            aws,
            schema: schema(),
        }
    }

    async fn put(
        &self,
        bucket: &str,
        status: &str,
        mfa_delete: Option<&str>,
        mfa: Option<&str>,
    ) -> Result<(), ProviderError> {
        let mut cfg =
            VersioningConfiguration::builder().status(BucketVersioningStatus::from(status));
        if let Some(m) = mfa_delete {
            cfg = cfg.mfa_delete(MfaDelete::from(m));
        }
        self.aws
            .s3
            .put_bucket_versioning()
            .bucket(bucket)
            .versioning_configuration(cfg.build())
            .set_mfa(mfa.map(str::to_string))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| errors::sdk(&format!("setting versioning on bucket `{bucket}`"), e))
    }
}

#[async_trait]
impl Resource for Versioning {
    /// A bucket holds one versioning state: found by the bucket (which state holds, so it is
    /// ours). `Disabled` is a bucket whose versioning was never set: nothing was made.
    async fn find_interrupted(
        &self,
        intent: &Value,
        _token: &str,
    ) -> Result<Option<Value>, ProviderError> {
        let found = self.read(intent).await?;
        let never_set = found.as_ref().is_some_and(|v| {
            v.single_block("versioning_configuration")
                .and_then(|b| b.str_attr("status"))
                == Some("Disabled")
        });
        Ok(found.filter(|_| !never_set))
    }

    fn type_name(&self) -> &'static str {
        "aws_s3_bucket_versioning"
    }
    fn schema(&self) -> &BlockSchema {
        &self.schema
    }

    fn validate(&self, config: &Value) -> Result<(), ProviderError> {
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

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange, ProviderError> {
        let mut p = su::plan(&self.aws, &self.schema, prior, config)?;
        if prior.is_none() {
            if let Some(bucket) = config.str_attr("bucket") {
                p.planned.set("id", bucket.into());
            }
        }
        Ok(p)
    }

    async fn create(&self, planned: &Value, _ctx: &OpContext) -> Result<Value, ProviderError> {
        let bucket = su::req(planned, "bucket")?;
        let block = planned
            .single_block("versioning_configuration")
            .cloned()
            .unwrap_or_default();
        let status = block.str_attr("status").unwrap_or("Enabled");
        if status == "Disabled" {
            // Adopting a never-versioned bucket: nothing to send.
        } else {
            self.put(
                bucket,
                status,
                block.str_attr("mfa_delete"),
                planned.str_attr("mfa"),
            )
            .await?;
        }
        let mut current = planned.clone();
        current.set("id", bucket.into());
        self.read(&current)
            .await?
            .or_absent(&format!("bucket `{bucket}`"))
    }

    async fn read(&self, current: &Value) -> Result<Option<Value>, ProviderError> {
        let Some(bucket) = current.str_attr("bucket") else {
            return Ok(None);
        };
        let Some(out) = errors::found(
            &format!("reading versioning of bucket `{bucket}`"),
            self.aws
                .s3
                .get_bucket_versioning()
                .bucket(bucket)
                .send()
                .await,
        )?
        else {
            return Ok(None);
        };
        let status = out
            .status()
            .map(|s| s.as_str().to_string())
            .unwrap_or_else(|| "Disabled".into());
        let mfa_delete = out
            .mfa_delete()
            .map(|s| s.as_str().to_string())
            .unwrap_or_else(|| "Disabled".into());
        let mut v = self.schema.empty_value();
        su::keep(&mut v, current, &["expected_bucket_owner", "mfa"]);
        v.set("bucket", bucket.into());
        v.set("id", bucket.into());
        v.set("region", self.aws.region.as_str().into());
        v.set(
            "versioning_configuration",
            Value::List(vec![Value::from_pairs([
                ("status", status.into()),
                ("mfa_delete", mfa_delete.into()),
            ])]),
        );
        Ok(Some(v))
    }

    async fn update(
        &self,
        _prior: &Value,
        planned: &Value,
        ctx: &OpContext,
    ) -> Result<Value, ProviderError> {
        self.create(planned, ctx).await
    }

    async fn delete(&self, prior: &Value, _ctx: &OpContext) -> Result<(), ProviderError> {
        let Some(bucket) = prior.str_attr("bucket") else {
            return Ok(());
        };
        let status = prior
            .single_block("versioning_configuration")
            .and_then(|b| b.str_attr("status"));
        if status == Some("Disabled") {
            return Ok(());
        }
        match self
            .put(bucket, "Suspended", None, prior.str_attr("mfa"))
            .await
        {
            Err(e) if e.kind == labform_sdk::ErrorKind::NotFound => Ok(()),
            other => other,
        }
    }

    async fn import(&self, id: &str) -> Result<Value, ProviderError> {
        let bucket = id.split(',').next().unwrap_or(id);
        let mut current = self.schema.empty_value();
        current.set("bucket", bucket.into());
        self.read(&current)
            .await?
            .or_absent(&format!("bucket `{bucket}`"))
    }
}
