//! `aws_s3_bucket_public_access_block`: the four public-access switches of a bucket.

use aws_sdk_s3::types::PublicAccessBlockConfiguration;
use labform_sdk::{async_trait, Attribute, BlockSchema, Result, Value};

use crate::errors;
use crate::retry;
use crate::s3::setting::{At, BucketSetting, Setting};
use crate::schema_util::{self as su, b, s};

const FLAGS: [&str; 4] = [
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
];

pub type PublicAccessBlock = Setting<PublicAccess>;

pub fn schema() -> BlockSchema {
    let mut sc = BlockSchema::new()
        .attr("bucket", Attribute::required(s()).force_new())
        .attr("skip_destroy", Attribute::optional(b()));
    for f in FLAGS {
        sc = sc.attr(f, Attribute::optional(b()).default(false));
    }
    su::regional(sc)
}

pub struct PublicAccess;

#[async_trait]
impl BucketSetting for PublicAccess {
    const TYPE_NAME: &'static str = "aws_s3_bucket_public_access_block";
    const NOUN: &'static str = "public access block";
    const KEPT: &'static [&'static str] = &["skip_destroy"];
    const SCHEMA: fn() -> BlockSchema = schema;

    async fn put(at: At<'_>) -> Result<()> {
        let (aws, bucket, planned) = (at.aws, at.bucket, at.value);
        let cfg = PublicAccessBlockConfiguration::builder()
            .block_public_acls(planned.bool_attr("block_public_acls", false))
            .block_public_policy(planned.bool_attr("block_public_policy", false))
            .ignore_public_acls(planned.bool_attr("ignore_public_acls", false))
            .restrict_public_buckets(planned.bool_attr("restrict_public_buckets", false))
            .build();
        aws.s3
            .put_public_access_block()
            .bucket(bucket)
            .public_access_block_configuration(cfg)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| {
                errors::sdk(
                    &format!("setting the public access block of bucket `{bucket}`"),
                    e,
                )
            })
    }

    async fn get(at: At<'_>, out: &mut Value) -> Result<bool> {
        let (aws, bucket) = (at.aws, at.bucket);
        let found = errors::found(
            &format!("reading the public access block of bucket `{bucket}`"),
            aws.s3.get_public_access_block().bucket(bucket).send().await,
        )?;
        let Some(c) = found.and_then(|o| o.public_access_block_configuration) else {
            return Ok(false);
        };
        let flags = [
            c.block_public_acls(),
            c.block_public_policy(),
            c.ignore_public_acls(),
            c.restrict_public_buckets(),
        ];
        for (name, on) in FLAGS.into_iter().zip(flags) {
            out.set(name, on.unwrap_or(false).into());
        }
        Ok(true)
    }

    async fn remove(at: At<'_>) -> Result<()> {
        let (aws, bucket, prior) = (at.aws, at.bucket, at.value);
        if prior.bool_attr("skip_destroy", false) {
            return Ok(());
        }
        retry::delete(
            &format!("deleting the public access block of bucket `{bucket}`"),
            || aws.s3.delete_public_access_block().bucket(bucket).send(),
        )
        .await
    }
}
