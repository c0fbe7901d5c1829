//! `aws_s3_bucket_public_access_block`: the four public-access switches of a bucket.

use std::sync::Arc;

use aws_sdk_s3::types::PublicAccessBlockConfiguration;
use labform_sdk::{
    async_trait, Attribute, BlockSchema, OpContext, PlannedChange, ProviderError, Resource, Value,
};

use crate::client::Aws;
use crate::errors;
use crate::retry::{self, with_backoff};
use crate::schema_util::{self as su, b, s};

const FLAGS: [&str; 4] = [
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
];

pub struct PublicAccessBlock {
    aws: Arc<Aws>,
    schema: BlockSchema,
}

pub fn schema() -> BlockSchema {
    let mut sc = BlockSchema::new()
        .attr("bucket", Attribute::required(s()).force_new())
        .attr("skip_destroy", Attribute::optional(b()));
    for f in FLAGS {
        sc = sc.attr(f, Attribute::optional(b()).default(false));
    }
    su::regional(sc)
}

impl PublicAccessBlock {
    pub fn new(aws: Arc<Aws>) -> Self {
        PublicAccessBlock {
            aws,
            schema: schema(),
        }
    }
}

#[async_trait]
impl Resource for PublicAccessBlock {
    /// A bucket holds one public access block: found by the bucket (which state holds, so it is ours).
    /// Whatever the interrupted create left is adopted; the next plan corrects any difference.
    async fn find_interrupted(
        &self,
        intent: &Value,
        _token: &str,
    ) -> Result<Option<Value>, ProviderError> {
        self.read(intent).await
    }

    fn type_name(&self) -> &'static str {
        "aws_s3_bucket_public_access_block"
    }
    fn schema(&self) -> &BlockSchema {
        &self.schema
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
        let cfg = PublicAccessBlockConfiguration::builder()
            .block_public_acls(planned.bool_attr("block_public_acls", false))
            .block_public_policy(planned.bool_attr("block_public_policy", false))
            .ignore_public_acls(planned.bool_attr("ignore_public_acls", false))
            .restrict_public_buckets(planned.bool_attr("restrict_public_buckets", false))
            .build();
        // A bucket created a moment ago may not be visible yet everywhere.
        with_backoff(|| async {
            self.aws
                .s3
                .put_public_access_block()
                .bucket(bucket)
                .public_access_block_configuration(cfg.clone())
                .send()
                .await
                .map_err(|e| {
                    errors::sdk(
                        &format!("setting the public access block of bucket `{bucket}`"),
                        e,
                    )
                })
        })
        .await?;
        let mut current = planned.clone();
        current.set("id", bucket.into());
        self.read(&current).await?.ok_or_else(|| {
            ProviderError::not_found(format!(
                "the public access block of bucket `{bucket}` did not appear"
            ))
        })
    }

    async fn read(&self, current: &Value) -> Result<Option<Value>, ProviderError> {
        let Some(bucket) = current.str_attr("bucket") else {
            return Ok(None);
        };
        let Some(out) = errors::found(
            &format!("reading the public access block of bucket `{bucket}`"),
            self.aws
                .s3
                .get_public_access_block()
                .bucket(bucket)
                .send()
                .await,
        )?
        else {
            return Ok(None);
        };
        let Some(c) = out.public_access_block_configuration() else {
            return Ok(None);
        };
        let mut v = self.schema.empty_value();
        su::keep(&mut v, current, &["skip_destroy"]);
        v.set("bucket", bucket.into());
        v.set("id", bucket.into());
        v.set("region", self.aws.region.as_str().into());
        v.set(
            "block_public_acls",
            c.block_public_acls().unwrap_or(false).into(),
        );
        v.set(
            "block_public_policy",
            c.block_public_policy().unwrap_or(false).into(),
        );
        v.set(
            "ignore_public_acls",
            c.ignore_public_acls().unwrap_or(false).into(),
        );
        v.set(
            "restrict_public_buckets",
            c.restrict_public_buckets().unwrap_or(false).into(),
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
        if prior.bool_attr("skip_destroy", false) {
            return Ok(());
        }
        retry::delete(
            &format!("deleting the public access block of bucket `{bucket}`"),
            || {
                self.aws
                    .s3
                    .delete_public_access_block()
                    .bucket(bucket)
                    .send()
            },
        )
        .await
    }

    async fn import(&self, id: &str) -> Result<Value, ProviderError> {
        let mut current = self.schema.empty_value();
        current.set("bucket", id.into());
        self.read(&current).await?.ok_or_else(|| {
            ProviderError::not_found(format!("bucket `{id}` has no public access block"))
        })
    }
}
