//! `aws_s3_bucket_lifecycle_configuration`: a bucket's lifecycle rules (expiration,
//! transitions, noncurrent versions, multipart cleanup).

use aws_sdk_s3::types as t;
use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use labform_sdk::{async_trait, Attribute, BlockSchema, NestedBlock, ProviderError, Result, Value};

use crate::errors;
use crate::retry;
use crate::s3::built;
use crate::s3::setting::{At, BucketSetting, Setting};
use crate::schema_util::{self as su, b, n, s, smap};

pub type Lifecycle = Setting<LifecycleRules>;

pub fn schema() -> BlockSchema {
    let one = |blk: BlockSchema| NestedBlock::list(blk).max(1);
    let and = BlockSchema::new()
        .attr(
            "object_size_greater_than",
            Attribute::optional_computed(n()),
        )
        .attr("object_size_less_than", Attribute::optional_computed(n()))
        .attr("prefix", Attribute::optional_computed(s()))
        .attr("tags", Attribute::optional(smap()));
    let filter = BlockSchema::new()
        .attr(
            "object_size_greater_than",
            Attribute::optional_computed(n()),
        )
        .attr("object_size_less_than", Attribute::optional_computed(n()))
        .attr("prefix", Attribute::optional_computed(s()))
        .block("and", one(and))
        .block(
            "tag",
            one(BlockSchema::new()
                .attr("key", Attribute::required(s()))
                .attr("value", Attribute::required(s()))),
        );
    let rule = BlockSchema::new()
        .attr("id", Attribute::required(s()))
        .attr("prefix", Attribute::optional_computed(s()))
        .attr("status", Attribute::required(s()))
        .block(
            "abort_incomplete_multipart_upload",
            one(BlockSchema::new().attr("days_after_initiation", Attribute::optional(n()))),
        )
        .block(
            "expiration",
            one(BlockSchema::new()
                .attr("date", Attribute::optional(s()))
                .attr("days", Attribute::optional_computed(n()))
                .attr(
                    "expired_object_delete_marker",
                    Attribute::optional_computed(b()),
                )),
        )
        .block("filter", one(filter))
        .block(
            "noncurrent_version_expiration",
            one(BlockSchema::new()
                .attr("newer_noncurrent_versions", Attribute::optional(n()))
                .attr("noncurrent_days", Attribute::required(n()))),
        )
        .block(
            "noncurrent_version_transition",
            NestedBlock::set(
                BlockSchema::new()
                    .attr("newer_noncurrent_versions", Attribute::optional(n()))
                    .attr("noncurrent_days", Attribute::required(n()))
                    .attr("storage_class", Attribute::required(s())),
            ),
        )
        .block(
            "transition",
            NestedBlock::set(
                BlockSchema::new()
                    .attr("date", Attribute::optional(s()))
                    .attr("days", Attribute::optional_computed(n()))
                    .attr("storage_class", Attribute::required(s())),
            ),
        );
    let sc = BlockSchema::new()
        .attr("bucket", Attribute::required(s()).force_new())
        .attr(
            "expected_bucket_owner",
            Attribute::optional(s()).force_new(),
        )
        .attr(
            "transition_default_minimum_object_size",
            Attribute::optional_computed(s()),
        )
        .block("rule", NestedBlock::list(rule).min(1));
    su::timeouts(su::regional(sc), &["create", "update"])
}

/// S3's default for `transition_default_minimum_object_size`.
const DEFAULT_MIN_SIZE: &str = "all_storage_classes_128K";

fn i32_of(v: &Value, name: &str) -> Option<i32> {
    v.i64_attr(name).and_then(|x| i32::try_from(x).ok())
}

fn date_of(v: &Value, name: &str) -> Result<Option<DateTime>> {
    match v.str_attr(name) {
        None | Some("") => Ok(None),
        Some(d) => {
            let text = if d.len() == 10 {
                format!("{d}T00:00:00Z")
            } else {
                d.to_string()
            };
            DateTime::from_str(&text, Format::DateTime)
                .map(Some)
                .map_err(|_| ProviderError::invalid(format!("`{name}` is `{d}`: an RFC 3339 date is required, e.g. `2030-01-01T00:00:00Z`")))
        }
    }
}

fn date_value(d: Option<&DateTime>) -> Value {
    d.and_then(|d| d.fmt(Format::DateTime).ok())
        .map(Value::from)
        .unwrap_or(Value::Null)
}

fn tag(k: &str, v: &str) -> Result<t::Tag> {
    built(t::Tag::builder().key(k).value(v).build())
}

fn to_api(rule: &Value) -> Result<t::LifecycleRule> {
    let status = rule.str_attr("status").unwrap_or("Enabled");
    let mut r = t::LifecycleRule::builder()
        .set_id(rule.str_attr("id").map(str::to_string))
        .status(t::ExpirationStatus::from(status));
    if let Some(a) = rule.single_block("abort_incomplete_multipart_upload") {
        r = r.abort_incomplete_multipart_upload(
            t::AbortIncompleteMultipartUpload::builder()
                .set_days_after_initiation(i32_of(a, "days_after_initiation"))
                .build(),
        );
    }
    if let Some(e) = rule.single_block("expiration") {
        let mut x = t::LifecycleExpiration::builder().set_date(date_of(e, "date")?);
        if e.get("expired_object_delete_marker").as_bool() == Some(true) {
            x = x.expired_object_delete_marker(true);
        } else if let Some(days) = i32_of(e, "days").filter(|d| *d > 0) {
            x = x.days(days);
        }
        r = r.expiration(x.build());
    }
    match rule.single_block("filter") {
        Some(f) => {
            let mut fb = t::LifecycleRuleFilter::builder()
                .set_object_size_greater_than(f.i64_attr("object_size_greater_than"))
                .set_object_size_less_than(f.i64_attr("object_size_less_than"))
                .set_prefix(f.str_attr("prefix").map(str::to_string));
            if let Some(tg) = f.single_block("tag") {
                fb = fb.tag(tag(
                    tg.str_attr("key").unwrap_or(""),
                    tg.str_attr("value").unwrap_or(""),
                )?);
            }
            if let Some(a) = f.single_block("and") {
                let mut ab = t::LifecycleRuleAndOperator::builder()
                    .set_object_size_greater_than(a.i64_attr("object_size_greater_than"))
                    .set_object_size_less_than(a.i64_attr("object_size_less_than"))
                    .set_prefix(a.str_attr("prefix").map(str::to_string));
                for (k, v) in a.string_map_attr("tags") {
                    ab = ab.tags(tag(&k, &v)?);
                }
                fb = fb.and(ab.build());
            }
            r = r.filter(fb.build());
        }
        None => match rule.str_attr("prefix") {
            Some(p) if !p.is_empty() => {
                #[allow(deprecated)]
                {
                    r = r.prefix(p);
                }
            }
            _ => r = r.filter(t::LifecycleRuleFilter::builder().prefix("").build()),
        },
    }
    if let Some(nv) = rule.single_block("noncurrent_version_expiration") {
        r = r.noncurrent_version_expiration(
            t::NoncurrentVersionExpiration::builder()
                .set_noncurrent_days(i32_of(nv, "noncurrent_days"))
                .set_newer_noncurrent_versions(i32_of(nv, "newer_noncurrent_versions"))
                .build(),
        );
    }
    for nt in rule.list_attr("noncurrent_version_transition") {
        r = r.noncurrent_version_transitions(
            t::NoncurrentVersionTransition::builder()
                .set_noncurrent_days(i32_of(nt, "noncurrent_days"))
                .set_newer_noncurrent_versions(i32_of(nt, "newer_noncurrent_versions"))
                .set_storage_class(
                    nt.str_attr("storage_class")
                        .map(t::TransitionStorageClass::from),
                )
                .build(),
        );
    }
    for tr in rule.list_attr("transition") {
        let date = date_of(tr, "date")?;
        let days = if date.is_some() {
            None
        } else {
            i32_of(tr, "days")
        };
        r = r.transitions(
            t::Transition::builder()
                .set_date(date)
                .set_days(days)
                .set_storage_class(
                    tr.str_attr("storage_class")
                        .map(t::TransitionStorageClass::from),
                )
                .build(),
        );
    }
    built(r.build())
}

fn num(x: Option<i64>) -> Value {
    x.map(|n| Value::Number(n as f64)).unwrap_or(Value::Null)
}

fn from_api(r: &t::LifecycleRule, prior: Option<&Value>) -> Value {
    let list = |v: Option<Value>| Value::List(v.into_iter().collect());
    let abort = r.abort_incomplete_multipart_upload().map(|a| {
        Value::from_pairs([(
            "days_after_initiation",
            num(a.days_after_initiation().map(i64::from)),
        )])
    });
    let expiration = r.expiration().map(|e| {
        Value::from_pairs([
            ("date", date_value(e.date())),
            ("days", num(e.days().map(i64::from))),
            (
                "expired_object_delete_marker",
                e.expired_object_delete_marker()
                    .map(Value::Bool)
                    .unwrap_or(Value::Null),
            ),
        ])
    });
    let prior_had_filter = prior.and_then(|p| p.single_block("filter")).is_some();
    let filter = r.filter().and_then(|f| {
        let empty = f.prefix().unwrap_or("").is_empty()
            && f.tag().is_none()
            && f.and().is_none()
            && f.object_size_greater_than().is_none()
            && f.object_size_less_than().is_none();
        if empty && !prior_had_filter {
            return None;
        }
        let tag = f
            .tag()
            .map(|tg| Value::from_pairs([("key", tg.key().into()), ("value", tg.value().into())]));
        let and = f.and().map(|a| {
            Value::from_pairs([
                (
                    "object_size_greater_than",
                    num(a.object_size_greater_than()),
                ),
                ("object_size_less_than", num(a.object_size_less_than())),
                ("prefix", a.prefix().map(Value::from).unwrap_or(Value::Null)),
                (
                    "tags",
                    if a.tags().is_empty() {
                        Value::Null
                    } else {
                        Value::string_map(a.tags().iter().map(|tg| (tg.key(), tg.value())))
                    },
                ),
            ])
        });
        Some(Value::from_pairs([
            (
                "object_size_greater_than",
                num(f.object_size_greater_than()),
            ),
            ("object_size_less_than", num(f.object_size_less_than())),
            ("prefix", f.prefix().map(Value::from).unwrap_or(Value::Null)),
            ("tag", list(tag)),
            ("and", list(and)),
        ]))
    });
    let nve = r.noncurrent_version_expiration().map(|x| {
        Value::from_pairs([
            ("noncurrent_days", num(x.noncurrent_days().map(i64::from))),
            (
                "newer_noncurrent_versions",
                num(x.newer_noncurrent_versions().map(i64::from)),
            ),
        ])
    });
    let nvt: Vec<Value> = r
        .noncurrent_version_transitions()
        .iter()
        .map(|x| {
            Value::from_pairs([
                ("noncurrent_days", num(x.noncurrent_days().map(i64::from))),
                (
                    "newer_noncurrent_versions",
                    num(x.newer_noncurrent_versions().map(i64::from)),
                ),
                (
                    "storage_class",
                    x.storage_class()
                        .map(|c| Value::from(c.as_str()))
                        .unwrap_or(Value::Null),
                ),
            ])
        })
        .collect();
    let tr: Vec<Value> = r
        .transitions()
        .iter()
        .map(|x| {
            Value::from_pairs([
                ("date", date_value(x.date())),
                ("days", num(x.days().map(i64::from))),
                (
                    "storage_class",
                    x.storage_class()
                        .map(|c| Value::from(c.as_str()))
                        .unwrap_or(Value::Null),
                ),
            ])
        })
        .collect();
    #[allow(deprecated)]
    let prefix = r.prefix().unwrap_or("").to_string();
    Value::from_pairs([
        ("id", r.id().unwrap_or("").into()),
        ("status", r.status().as_str().into()),
        ("prefix", prefix.into()),
        ("abort_incomplete_multipart_upload", list(abort)),
        ("expiration", list(expiration)),
        ("filter", list(filter)),
        ("noncurrent_version_expiration", list(nve)),
        ("noncurrent_version_transition", su::set_of(nvt)),
        ("transition", su::set_of(tr)),
    ])
}

pub struct LifecycleRules;

#[async_trait]
impl BucketSetting for LifecycleRules {
    const TYPE_NAME: &'static str = "aws_s3_bucket_lifecycle_configuration";
    const NOUN: &'static str = "lifecycle rules";
    const KEPT: &'static [&'static str] = &[
        "expected_bucket_owner",
        "timeouts",
        "transition_default_minimum_object_size",
    ];
    const SCHEMA: fn() -> BlockSchema = schema;

    fn validate(config: &Value) -> Result<()> {
        for rule in config.list_attr("rule") {
            if let Some(st) = rule.str_attr("status") {
                if st != "Enabled" && st != "Disabled" {
                    return Err(ProviderError::invalid(format!(
                        "lifecycle rule `status` is `{st}`: it must be `Enabled` or `Disabled`"
                    )));
                }
            }
            if let Some(id) = rule.str_attr("id") {
                if id.is_empty() || id.len() > 255 {
                    return Err(ProviderError::invalid(
                        "lifecycle rule `id` must be 1 to 255 characters long",
                    ));
                }
            }
        }
        Ok(())
    }

    fn with_defaults(config: &Value) -> Value {
        let mut config = config.clone();
        if config
            .get("transition_default_minimum_object_size")
            .is_null()
        {
            config.set(
                "transition_default_minimum_object_size",
                DEFAULT_MIN_SIZE.into(),
            );
        }
        config
    }

    async fn put(at: At<'_>) -> Result<()> {
        let (aws, bucket, planned) = (at.aws, at.bucket, at.value);
        let rules = planned
            .list_attr("rule")
            .iter()
            .map(to_api)
            .collect::<Result<Vec<_>, _>>()?;
        let cfg = built(
            t::BucketLifecycleConfiguration::builder()
                .set_rules(Some(rules))
                .build(),
        )?;
        let min_size = planned
            .str_attr("transition_default_minimum_object_size")
            .map(t::TransitionDefaultMinimumObjectSize::from);
        aws.s3
            .put_bucket_lifecycle_configuration()
            .bucket(bucket)
            .lifecycle_configuration(cfg)
            .set_transition_default_minimum_object_size(min_size)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| {
                errors::sdk(
                    &format!("setting the lifecycle rules of bucket `{bucket}`"),
                    e,
                )
            })
    }

    async fn get(at: At<'_>, v: &mut Value) -> Result<bool> {
        let (aws, bucket, current) = (at.aws, at.bucket, at.value);
        let Some(out) = errors::found(
            &format!("reading the lifecycle rules of bucket `{bucket}`"),
            aws.s3
                .get_bucket_lifecycle_configuration()
                .bucket(bucket)
                .send()
                .await,
        )?
        else {
            return Ok(false);
        };
        let prior_rules = current.list_attr("rule");
        let rules: Vec<Value> = out
            .rules()
            .iter()
            .enumerate()
            .map(|(i, r)| from_api(r, prior_rules.get(i)))
            .collect();
        if let Some(size) = out.transition_default_minimum_object_size() {
            v.set(
                "transition_default_minimum_object_size",
                size.as_str().into(),
            );
        }
        let size = v.get("transition_default_minimum_object_size");
        if !size.is_wholly_known() || size.is_null() {
            v.set(
                "transition_default_minimum_object_size",
                DEFAULT_MIN_SIZE.into(),
            );
        }
        v.set("rule", Value::List(rules));
        *v = su::known(std::mem::take(v));
        Ok(true)
    }

    async fn remove(at: At<'_>) -> Result<()> {
        let (aws, bucket) = (at.aws, at.bucket);
        retry::delete(
            &format!("deleting the lifecycle rules of bucket `{bucket}`"),
            || aws.s3.delete_bucket_lifecycle().bucket(bucket).send(),
        )
        .await
    }
}
