//! `aws_s3_bucket_server_side_encryption_configuration`: a bucket's default encryption. Destroy
//! deletes it; S3 then falls back to SSE-S3.

use std::sync::Arc;

use aws_sdk_s3::types::{
    ServerSideEncryption, ServerSideEncryptionByDefault, ServerSideEncryptionConfiguration,
    ServerSideEncryptionRule,
};
use labform_sdk::{
    async_trait, Attribute, BlockSchema, NestedBlock, OpContext, PlannedChange, ProviderError,
    Resource, Value,
};

use crate::client::Aws;
use crate::errors;
use crate::retry;
use crate::s3::built;
use crate::schema_util::{self as su, b, s};

pub struct Encryption {
    aws: Arc<Aws>,
    schema: BlockSchema,
}

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

impl Encryption {
    pub fn new(aws: Arc<Aws>) -> Self {
        Encryption {
            aws,
            schema: schema(),
        }
    }
}

#[async_trait]
impl Resource for Encryption {
    /// A bucket holds one encryption configuration: found by the bucket (which state holds, so it is ours).
    /// Whatever the interrupted create left is adopted; the next plan corrects any difference.
    async fn find_interrupted(
        &self,
        intent: &Value,
        _token: &str,
    ) -> Result<Option<Value>, ProviderError> {
        self.read(intent).await
    }

    fn type_name(&self) -> &'static str {
        "aws_s3_bucket_server_side_encryption_configuration"
    }
    fn schema(&self) -> &BlockSchema {
        &self.schema
    }

    fn validate(&self, config: &Value) -> Result<(), ProviderError> {
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
        self.aws
            .s3
            .put_bucket_encryption()
            .bucket(bucket)
            .server_side_encryption_configuration(cfg)
            .send()
            .await
            .map_err(|e| errors::sdk(&format!("setting the encryption of bucket `{bucket}`"), e))?;
        self.read(planned).await?.ok_or_else(|| {
            ProviderError::not_found(format!(
                "the encryption of bucket `{bucket}` did not appear"
            ))
        })
    }

    async fn read(&self, current: &Value) -> Result<Option<Value>, ProviderError> {
        let Some(bucket) = current.str_attr("bucket") else {
            return Ok(None);
        };
        let Some(out) = errors::found(
            &format!("reading the encryption of bucket `{bucket}`"),
            self.aws
                .s3
                .get_bucket_encryption()
                .bucket(bucket)
                .send()
                .await,
        )?
        else {
            return Ok(None);
        };
        let Some(cfg) = out.server_side_encryption_configuration() else {
            return Ok(None);
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
        let mut v = self.schema.empty_value();
        su::keep(&mut v, current, &["expected_bucket_owner"]);
        v.set("bucket", bucket.into());
        v.set("id", bucket.into());
        v.set("region", self.aws.region.as_str().into());
        v.set(
            "rule",
            Value::List(labform_sdk::types::normalize_set(rules)),
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
        retry::delete(
            &format!("deleting the encryption of bucket `{bucket}`"),
            || self.aws.s3.delete_bucket_encryption().bucket(bucket).send(),
        )
        .await
    }

    async fn import(&self, id: &str) -> Result<Value, ProviderError> {
        let bucket = id.split(',').next().unwrap_or(id);
        let mut current = self.schema.empty_value();
        current.set("bucket", bucket.into());
        self.read(&current).await?.ok_or_else(|| {
            ProviderError::not_found(format!("bucket `{bucket}` has no encryption configuration"))
        })
    }
}
