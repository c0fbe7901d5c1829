//! `aws_s3_bucket_server_side_encryption_configuration`: a bucket's default encryption. Destroy
//! deletes it; S3 then falls back to SSE-S3.

use aws_sdk_s3::types::{
    ServerSideEncryption, ServerSideEncryptionByDefault, ServerSideEncryptionConfiguration,
    ServerSideEncryptionRule,
};
use labform_sdk::{async_trait, Attribute, BlockSchema, NestedBlock, ProviderError, Result, Value};

use crate::errors;
use crate::retry;
use crate::s3::built;
use crate::s3::setting::{At, BucketSetting, Setting};
use crate::schema_util::{self as su, b, s};

pub type Encryption = Setting<DefaultEncryption>;

pub fn schema() -> BlockSchema {
    let by_default = BlockSchema::new()
        .attr("sse_algorithm", Attribute::required(s()))
        .attr("kms_master_key_id", Attribute::optional_computed(s()));
    let rule = BlockSchema::new()
        .attr("bucket_key_enabled", Attribute::optional_computed(b()))
        .block(
            "apply_server_side_encryption_by_default",
            NestedBlock::list(by_default).max(1),
        );
    let sc = BlockSchema::new()
        .attr("bucket", Attribute::required(s()).force_new())
        .attr(
            "expected_bucket_owner",
            Attribute::optional(s()).force_new(),
        )
        .block("rule", NestedBlock::set(rule).min(1));
    su::regional(sc)
}

pub struct DefaultEncryption;

#[async_trait]
impl BucketSetting for DefaultEncryption {
    const TYPE_NAME: &'static str = "aws_s3_bucket_server_side_encryption_configuration";
    const NOUN: &'static str = "encryption configuration";
    const KEPT: &'static [&'static str] = &["expected_bucket_owner"];
    const SCHEMA: fn() -> BlockSchema = schema;

    fn validate(config: &Value) -> Result<()> {
        for rule in config.list_attr("rule") {
            if let Some(alg) = rule
                .single_block("apply_server_side_encryption_by_default")
                .and_then(|d| d.str_attr("sse_algorithm"))
            {
                if !matches!(alg, "AES256" | "aws:kms" | "aws:kms:dsse") {
                    return Err(ProviderError::invalid(format!(
                        "`sse_algorithm` is `{alg}`: it must be `AES256`, `aws:kms` or `aws:kms:dsse`"
                    )));
                }
            }
        }
        Ok(())
    }

    async fn put(at: At<'_>) -> Result<()> {
        let (aws, bucket, planned) = (at.aws, at.bucket, at.value);
        let mut rules = Vec::new();
        for rule in planned.list_attr("rule") {
            let mut r = ServerSideEncryptionRule::builder()
                .set_bucket_key_enabled(rule.get("bucket_key_enabled").as_bool());
            if let Some(d) = rule.single_block("apply_server_side_encryption_by_default") {
                let alg = d.str_attr("sse_algorithm").unwrap_or("AES256");
                r = r.apply_server_side_encryption_by_default(built(
                    ServerSideEncryptionByDefault::builder()
                        .sse_algorithm(ServerSideEncryption::from(alg))
                        .set_kms_master_key_id(d.str_attr("kms_master_key_id").map(str::to_string))
                        .build(),
                )?);
            }
            rules.push(r.build());
        }
        let cfg = built(
            ServerSideEncryptionConfiguration::builder()
                .set_rules(Some(rules))
                .build(),
        )?;
        aws.s3
            .put_bucket_encryption()
            .bucket(bucket)
            .server_side_encryption_configuration(cfg)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| errors::sdk(&format!("setting the encryption of bucket `{bucket}`"), e))
    }

    async fn get(at: At<'_>, out: &mut Value) -> Result<bool> {
        let (aws, bucket) = (at.aws, at.bucket);
        let found = errors::found(
            &format!("reading the encryption of bucket `{bucket}`"),
            aws.s3.get_bucket_encryption().bucket(bucket).send().await,
        )?;
        let Some(cfg) = found.and_then(|o| o.server_side_encryption_configuration) else {
            return Ok(false);
        };
        let mut rules = Vec::new();
        for r in cfg.rules() {
            let by_default = match r.apply_server_side_encryption_by_default() {
                Some(d) => Value::List(vec![Value::from_pairs([
                    ("sse_algorithm", d.sse_algorithm().as_str().into()),
                    (
                        "kms_master_key_id",
                        d.kms_master_key_id().unwrap_or("").into(),
                    ),
                ])]),
                None => Value::List(vec![]),
            };
            rules.push(Value::from_pairs([
                (
                    "bucket_key_enabled",
                    r.bucket_key_enabled().unwrap_or(false).into(),
                ),
                ("apply_server_side_encryption_by_default", by_default),
            ]));
        }
        out.set("rule", su::set_of(rules));
        Ok(true)
    }

    async fn remove(at: At<'_>) -> Result<()> {
        let (aws, bucket) = (at.aws, at.bucket);
        retry::delete(
            &format!("deleting the encryption of bucket `{bucket}`"),
            || aws.s3.delete_bucket_encryption().bucket(bucket).send(),
        )
        .await
    }
}
