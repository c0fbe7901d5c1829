//! The skeleton every split bucket configuration resource shares (`aws_s3_bucket_versioning`,
//! `..._public_access_block`, `..._lifecycle_configuration`, `..._server_side_encryption_...`):
//! one object per bucket, its id the bucket name, create and update one put, read one get,
//! import by bucket name. Each setting says only what is particular to it ([`BucketSetting`]).

use std::marker::PhantomData;
use std::sync::Arc;

use labform_sdk::{
    async_trait, BlockSchema, OpContext, PlannedChange, ProviderError, Resource, Result, Typed,
    Value,
};

use crate::client::Aws;
use crate::retry::with_backoff;
use crate::schema_util as su;

/// What one bucket setting adds to the skeleton.
#[async_trait]
pub trait BucketSetting: Send + Sync + 'static {
    /// The Terraform type name.
    const TYPE_NAME: &'static str;
    /// What the setting is called in messages (`lifecycle rules`).
    const NOUN: &'static str;
    /// Attributes read back from the prior value (the API does not return them).
    const KEPT: &'static [&'static str];
    /// The resource's schema.
    const SCHEMA: fn() -> BlockSchema;

    fn validate(_config: &Value) -> Result<()> {
        Ok(())
    }

    /// The configuration with what the API defaults filled in, before the default plan.
    fn with_defaults(config: &Value) -> Value {
        config.clone()
    }

    /// Writes the setting of the planned value on the bucket.
    async fn put(at: At<'_>) -> Result<()>;

    /// Sets the setting's own attributes on `out` (which already holds bucket, id, region and
    /// [`Self::KEPT`]); `Ok(false)` when the bucket has no such setting.
    async fn get(at: At<'_>, out: &mut Value) -> Result<bool>;

    /// Takes the setting off the bucket on destroy; a bucket already gone counts as done.
    async fn remove(at: At<'_>) -> Result<()>;

    /// Whether a value read after an interrupted create shows that create's work (and not the
    /// bucket's untouched default).
    fn was_set(_found: &Value) -> bool {
        true
    }
}

/// What a setting's call works on: the clients, the bucket, and the value (planned for a put,
/// prior for a get or remove).
#[derive(Clone, Copy)]
pub struct At<'a> {
    pub aws: &'a Aws,
    pub bucket: &'a str,
    pub value: &'a Value,
}

/// A bucket setting as a [`Resource`].
pub struct Setting<S> {
    aws: Arc<Aws>,
    schema: BlockSchema,
    kind: PhantomData<S>,
}

impl<S: BucketSetting> Setting<S> {
    pub fn new(aws: Arc<Aws>) -> Self {
        Setting {
            aws,
            schema: (S::SCHEMA)(),
            kind: PhantomData,
        }
    }

    fn at<'a>(&'a self, bucket: &'a str, value: &'a Value) -> At<'a> {
        At {
            aws: &self.aws,
            bucket,
            value,
        }
    }

    async fn read_bucket(&self, bucket: &str, current: &Value) -> Result<Option<Value>> {
        let mut v = self.schema.empty_value();
        su::keep(&mut v, current, S::KEPT);
        v.set("bucket", bucket.into());
        v.set("id", bucket.into());
        v.set("region", self.aws.region.as_str().into());
        Ok(S::get(self.at(bucket, current), &mut v).await?.then_some(v))
    }

    fn missing(&self, bucket: &str) -> ProviderError {
        ProviderError::not_found(format!("bucket `{bucket}` has no {}", S::NOUN))
    }
}

impl<S: BucketSetting> Typed for Setting<S> {
    fn type_name(&self) -> &'static str {
        S::TYPE_NAME
    }

    fn schema(&self) -> &BlockSchema {
        &self.schema
    }
}

#[async_trait]
impl<S: BucketSetting> Resource for Setting<S> {
    /// A bucket holds one such setting: found by the bucket (which state holds, so it is ours).
    /// Whatever the interrupted create left is adopted; the next plan corrects any difference.
    async fn find_interrupted(&self, intent: &Value, _token: &str) -> Result<Option<Value>> {
        Ok(self.read(intent).await?.filter(S::was_set))
    }

    fn validate(&self, config: &Value) -> Result<()> {
        S::validate(config)
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        let config = S::with_defaults(config);
        let mut p = su::plan(&self.aws, &self.schema, prior, &config)?;
        if prior.is_none() {
            if let Some(bucket) = config.str_attr("bucket") {
                p.planned.set("id", bucket.into());
            }
        }
        Ok(p)
    }

    async fn create(&self, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        let bucket = su::req(planned, "bucket")?;
        // A bucket created a moment ago may not be visible yet everywhere.
        with_backoff(|| S::put(self.at(bucket, planned))).await?;
        self.read_bucket(bucket, planned)
            .await?
            .ok_or_else(|| self.missing(bucket))
    }

    async fn read(&self, current: &Value) -> Result<Option<Value>> {
        match current.str_attr("bucket") {
            Some(bucket) => self.read_bucket(bucket, current).await,
            None => Ok(None),
        }
    }

    async fn update(&self, _prior: &Value, planned: &Value, ctx: &OpContext) -> Result<Value> {
        self.create(planned, ctx).await
    }

    async fn delete(&self, prior: &Value, _ctx: &OpContext) -> Result<()> {
        match prior.str_attr("bucket") {
            Some(bucket) => S::remove(self.at(bucket, prior)).await,
            None => Ok(()),
        }
    }

    /// The import id is the bucket name, optionally followed by `,<expected_bucket_owner>`.
    async fn import(&self, id: &str) -> Result<Value> {
        let bucket = id.split(',').next().unwrap_or(id);
        self.read_bucket(bucket, &self.schema.empty_value())
            .await?
            .ok_or_else(|| self.missing(bucket))
    }
}
