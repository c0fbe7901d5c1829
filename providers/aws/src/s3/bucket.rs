//! `aws_s3_bucket`: the bucket itself, its tags, and `force_destroy`.

use std::sync::Arc;

use aws_sdk_s3::types::{BucketLocationConstraint, CreateBucketConfiguration, Tag as S3Tag};
use labform_sdk::{
    async_trait, Attribute, BlockSchema, Marked, OpContext, PlannedChange, ProviderError, ReadBack,
    Resource, Result, StackFilter, Value,
};

use crate::adopt;
use crate::client::Aws;
use crate::names::{check_bucket_name, check_bucket_prefix, derived_name, unique_name};
use crate::retry::with_backoff_when;
use crate::s3::{bucket_exists, bucket_tags, built, empty::empty_bucket, tagging};
use crate::schema_util::{self as su, b, s};
use crate::{errors, tags};

labform_sdk::typed! {
    pub struct Bucket("aws_s3_bucket") { aws: Arc<Aws> }
    schema: schema()
}

pub fn schema() -> BlockSchema {
    let sc = BlockSchema::new()
        .attr("bucket", Attribute::optional_computed(s()).force_new())
        .attr(
            "bucket_prefix",
            Attribute::optional_computed(s()).force_new(),
        )
        .attr("force_destroy", Attribute::optional(b()).default(false))
        .attr(
            "object_lock_enabled",
            Attribute::optional_computed(b()).force_new(),
        )
        .attrs(
            &[
                "arn",
                "bucket_domain_name",
                "bucket_regional_domain_name",
                "bucket_region",
                "hosted_zone_id",
            ],
            Attribute::computed(s()),
        );
    su::timeouts(
        su::tagged(su::regional(sc)),
        &["create", "read", "update", "delete"],
    )
}

impl Bucket {
    /// The bucket's full state from S3, keeping configuration-only attributes of `current`.
    async fn read_bucket(&self, name: &str, current: &Value) -> Result<Option<Value>> {
        if !bucket_exists(&self.aws, name).await? {
            return Ok(None);
        }
        let remote = bucket_tags(&self.aws, name).await?;
        let (tags, tags_all) = tags::split_remote(&self.aws, remote, current.get("tags"));
        let lock = match self
            .aws
            .s3
            .get_object_lock_configuration()
            .bucket(name)
            .send()
            .await
        {
            Ok(out) => out
                .object_lock_configuration()
                .and_then(|c| c.object_lock_enabled())
                .is_some_and(|e| e.as_str() == "Enabled"),
            Err(_) => false,
        };
        let region = &self.aws.region;
        let mut v = self.schema.empty_value();
        su::keep(
            &mut v,
            current,
            &["bucket_prefix", "force_destroy", "timeouts"],
        );
        let mut v = su::bool_defaults(v, &[("force_destroy", false)]);
        v.set("bucket", name.into());
        v.set("id", name.into());
        v.set("region", region.as_str().into());
        v.set("bucket_region", region.as_str().into());
        v.set(
            "arn",
            format!("arn:{}:s3:::{name}", self.aws.partition()).into(),
        );
        v.set(
            "bucket_domain_name",
            format!("{name}.s3.amazonaws.com").into(),
        );
        v.set(
            "bucket_regional_domain_name",
            format!("{name}.s3.{region}.amazonaws.com").into(),
        );
        v.set("hosted_zone_id", hosted_zone_id(region).into());
        v.set("object_lock_enabled", lock.into());
        v.set("tags", tags);
        v.set("tags_all", tags_all);
        Ok(Some(v))
    }
}

#[async_trait]
impl Resource for Bucket {
    /// Found by its name: the configured `bucket`, or the one derived from `bucket_prefix` and
    /// the token. A configured name is adopted only when the bucket carries this create's mark;
    /// a derived name is this create's by construction (it also covers an endpoint that ignores
    /// tags on CreateBucket, killed before the tagging call).
    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        let name = bucket_name(intent, Some(token));
        match probe(&self.aws, &name).await? {
            Probe::Missing | Probe::Others => return Ok(None),
            Probe::Ours => {}
        }
        if intent.str_attr("bucket").is_some() {
            adopt::check_ours(
                &format!("bucket `{name}`"),
                &bucket_tags(&self.aws, &name).await?,
                token,
                &format!("aws s3 rb s3://{name} --force"),
            )?;
        }
        self.read_bucket(&name, intent).await
    }

    fn validate(&self, config: &Value) -> Result<()> {
        if let (Some(_), Some(_)) = (config.str_attr("bucket"), config.str_attr("bucket_prefix")) {
            return Err(
                ProviderError::invalid("`bucket` and `bucket_prefix` cannot both be set")
                    .with_hint(
                    "keep `bucket` for a fixed name or `bucket_prefix` for a generated unique one",
                ),
            );
        }
        if let Some(name) = config.str_attr("bucket") {
            check_bucket_name(name)?;
        }
        if let Some(prefix) = config.str_attr("bucket_prefix") {
            check_bucket_prefix(prefix)?;
        }
        Ok(())
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        let mut p = su::plan(&self.aws, &self.schema, prior, config)?;
        if prior.is_none() {
            // Known at plan time when the name is given.
            if let Some(name) = config.str_attr("bucket") {
                let region = &self.aws.region;
                p.planned.set("id", name.into());
                p.planned.set(
                    "arn",
                    format!("arn:{}:s3:::{name}", self.aws.partition()).into(),
                );
                p.planned.set(
                    "bucket_domain_name",
                    format!("{name}.s3.amazonaws.com").into(),
                );
                p.planned.set(
                    "bucket_regional_domain_name",
                    format!("{name}.s3.{region}.amazonaws.com").into(),
                );
                p.planned.set("bucket_prefix", Value::Null);
            }
            p.planned
                .set("bucket_region", self.aws.region.as_str().into());
            p.planned
                .set("hosted_zone_id", hosted_zone_id(&self.aws.region).into());
            if config.get("object_lock_enabled").is_null() {
                p.planned.set("object_lock_enabled", false.into());
            }
        }
        Ok(p)
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        self.validate(planned)?;
        let name = bucket_name(planned, ctx.create_token());
        check_bucket_name(&name)?;
        let region = self.aws.region.clone();
        if region == "us-east-1" {
            // In us-east-1 CreateBucket on an owned bucket succeeds silently: probe first.
            match probe(&self.aws, &name).await? {
                Probe::Missing => {}
                Probe::Ours => return Err(already_yours(&name)),
                Probe::Others => return Err(taken(&name)),
            }
        }
        // The tags (with the per-instance mark) go in the create call itself; the tagging call
        // below repeats them for endpoints that ignore tags here.
        let all = tags::for_create(&self.aws, planned.get("tags"), ctx);
        let mut conf = CreateBucketConfiguration::builder();
        if region != "us-east-1" {
            conf = conf.location_constraint(BucketLocationConstraint::from(region.as_str()));
        }
        for (k, v) in &all {
            conf = conf.tags(built(S3Tag::builder().key(k).value(v).build())?);
        }
        let mut req = self
            .aws
            .s3
            .create_bucket()
            .bucket(&name)
            .create_bucket_configuration(conf.build());
        if planned.bool_attr("object_lock_enabled", false) {
            req = req.object_lock_enabled_for_bucket(true);
        }
        if let Err(e) = req.send().await {
            return Err(match errors::code(&e).as_deref() {
                Some("BucketAlreadyExists") => taken(&name),
                Some("BucketAlreadyOwnedByYou") => already_yours(&name),
                _ => errors::sdk(&format!("creating bucket `{name}`"), e),
            });
        }
        let mut state = self.schema.empty_value();
        su::keep(
            &mut state,
            planned,
            &["bucket_prefix", "force_destroy", "tags", "timeouts"],
        );
        state.set("bucket", name.as_str().into());
        state.set("id", name.as_str().into());
        let put = self
            .aws
            .s3
            .put_bucket_tagging()
            .bucket(&name)
            .tagging(tagging(&all)?)
            .send()
            .await;
        if let Err(e) = put {
            let partial = self
                .read_bucket(&name, &state)
                .await
                .ok()
                .flatten()
                .unwrap_or_else(|| su::known(state.clone()));
            return Err(errors::sdk(&format!("tagging bucket `{name}`"), e).with_partial(partial));
        }
        self.read_bucket(&name, &state)
            .await?
            .or_vanished(&format!("bucket `{name}`"))
    }

    async fn read(&self, current: &Value) -> Result<Option<Value>> {
        match current.str_attr("id").or(current.str_attr("bucket")) {
            Some(name) => self.read_bucket(name, current).await,
            None => Ok(None),
        }
    }

    async fn update(&self, prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        let name = su::req(prior, "id")?.to_string();
        let all = tags::merged(&self.aws, planned.get("tags"));
        if tags::as_map(prior.get("tags_all")) != all {
            // PutBucketTagging replaces the whole set: keep the per-instance mark.
            let all = tags::keeping_mark(&bucket_tags(&self.aws, &name).await?, all);
            self.aws
                .s3
                .put_bucket_tagging()
                .bucket(&name)
                .tagging(tagging(&all)?)
                .send()
                .await
                .map_err(|e| errors::sdk(&format!("tagging bucket `{name}`"), e))?;
        }
        self.read_bucket(&name, planned)
            .await?
            .or_gone(&format!("bucket `{name}`"))
    }

    async fn delete(&self, prior: &Value, ctx: &OpContext) -> Result<()> {
        let Some(name) = prior.str_attr("id").or(prior.str_attr("bucket")) else {
            return Ok(());
        };
        let force = prior.bool_attr("force_destroy", false);
        // Objects written while emptying make the delete fail: go round again, for a while.
        let again =
            |e: &ProviderError| crate::retry::is_retryable(e) || e.has_code("BucketNotEmpty");
        with_backoff_when(again, || async {
            if force {
                empty_bucket(&self.aws, name, ctx).await?;
            }
            match self.aws.s3.delete_bucket().bucket(name).send().await {
                Ok(_) => Ok(()),
                Err(e) if errors::is_not_found(&e) => Ok(()),
                Err(e) if errors::code(&e).as_deref() == Some("BucketNotEmpty") && force => {
                    Err(ProviderError::conflict(format!("bucket `{name}` {STILL_HOLDS}"))
                        .with_code("BucketNotEmpty"))
                }
                Err(e) if errors::code(&e).as_deref() == Some("BucketNotEmpty") => {
                    Err(ProviderError::conflict(format!("bucket `{name}` is not empty"))
                        .with_hint(format!("it holds objects: empty it (`aws s3 rm s3://{name} --recursive`) and run again, or, while the stack's configuration has it, set `force_destroy = true` on it and apply first")))
                }
                Err(e) => Err(errors::sdk(&format!("deleting bucket `{name}`"), e)),
            }
        })
        .await
    }

    async fn import(&self, id: &str) -> Result<Value> {
        let mut current = self.schema.empty_value();
        current.set("force_destroy", false.into());
        self.read_bucket(id, &current)
            .await?
            .or_absent(&format!("bucket `{id}`"))
    }

    async fn list_marked(&self, filter: &StackFilter) -> Result<Vec<Marked>> {
        let out = self
            .aws
            .s3
            .list_buckets()
            .send()
            .await
            .map_err(|e| errors::sdk("listing buckets", e))?;
        let mut found = Vec::new();
        for b in out.buckets() {
            let Some(name) = b.name() else { continue };
            // A bucket without tags (or one we may not read) is no labform bucket.
            let Ok(t) = bucket_tags(&self.aws, name).await else {
                continue;
            };
            if filter.matches(&t) {
                if let Ok(v) = self.import(name).await {
                    let created = b.creation_date().map(|d| d.to_string());
                    found.push(Marked::new(v, t).created(created));
                }
            }
        }
        Ok(found)
    }
}

/// The bucket's name: `bucket` when configured, else `bucket_prefix` (default `terraform-`)
/// plus a suffix derived from the create token (random without one).
fn bucket_name(v: &Value, token: Option<&str>) -> String {
    if let Some(n) = v.str_attr("bucket") {
        return n.to_string();
    }
    let prefix = v.str_attr("bucket_prefix").unwrap_or("terraform-");
    match token {
        Some(t) => derived_name(prefix, t),
        None => unique_name(Some(prefix)),
    }
}

const STILL_HOLDS: &str = "still holds objects after emptying";

fn taken(name: &str) -> ProviderError {
    ProviderError::conflict(format!(
        "bucket name `{name}` is already taken: S3 bucket names are global across all AWS accounts"
    ))
    .with_hint(
        "choose another name, or set `bucket_prefix` instead of `bucket` to get a unique one",
    )
}

/// Who holds a bucket name.
enum Probe {
    Missing,
    Ours,
    Others,
}

async fn probe(aws: &Aws, name: &str) -> Result<Probe> {
    match aws.s3.head_bucket().bucket(name).send().await {
        Err(e) if errors::is_not_found(&e) => return Ok(Probe::Missing),
        Err(e) if matches!(&e, aws_smithy_runtime_api::client::result::SdkError::ServiceError(se) if se.raw().status().as_u16() == 403) => {
            return Ok(Probe::Others)
        }
        Err(e) => return Err(errors::sdk(&format!("looking up bucket `{name}`"), e)),
        Ok(_) => {}
    }
    // Visible, but maybe not ours: only our own listing says.
    let out = aws
        .s3
        .list_buckets()
        .prefix(name)
        .send()
        .await
        .map_err(|e| errors::sdk("listing buckets", e))?;
    if out.buckets().iter().any(|b| b.name() == Some(name)) {
        Ok(Probe::Ours)
    } else {
        Ok(Probe::Others)
    }
}

fn already_yours(name: &str) -> ProviderError {
    ProviderError::conflict(format!("bucket `{name}` already exists in your account"))
        .with_hint("import it into the state, delete it, or choose another name")
}

/// The Route 53 hosted zone of S3 website endpoints per region.
fn hosted_zone_id(region: &str) -> &'static str {
    match region {
        "us-east-1" => "Z3AQBSTGFYJSTF",
        "us-east-2" => "Z2O1EMRO9K5GLX",
        "us-west-1" => "Z2F56UZL2M1ACD",
        "us-west-2" => "Z3BJ6K6RIION7M",
        "ca-central-1" => "Z1QDHH18159H29",
        "eu-west-1" => "Z1BKCTXD74EZPE",
        "eu-west-2" => "Z3GKZC51ZF0DB4",
        "eu-west-3" => "Z3R1K369G5AVDG",
        "eu-central-1" => "Z21DNDUVLTQW6Q",
        "eu-north-1" => "Z3BAZG2TWCNX0D",
        "ap-south-1" => "Z11RGJOFQNVJUP",
        "ap-southeast-1" => "Z3O0J2DXBE1FTB",
        "ap-southeast-2" => "Z1WCIGYICN2BYD",
        "ap-northeast-1" => "Z2M4EHUR26P7ZW",
        "ap-northeast-2" => "Z3W03O7B5YMIYP",
        "sa-east-1" => "Z7KQH4QJS55SO",
        _ => "",
    }
}
