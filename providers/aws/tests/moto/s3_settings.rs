//! The split bucket resources: versioning, public access block, lifecycle, encryption.

use std::sync::Arc;

use labform_sdk::{Resource, Value};

use crate::common::*;

fn block(pairs: &[(&str, Value)]) -> Value {
    Value::List(vec![Value::from_pairs(pairs.iter().cloned())])
}

/// Creates `cfg(values[0])` and updates it to each further value in turn, checking after each
/// step that `remote()` (boto3) reads that value; the last state.
async fn assert_each_applied(
    r: &Arc<dyn Resource>,
    cfg: impl Fn(&str) -> Value,
    values: &[&str],
    remote: impl Fn() -> serde_json::Value,
) -> Value {
    let mut v = create(r, &cfg(values[0])).await;
    assert_eq!(remote(), values[0]);
    for value in &values[1..] {
        v = update(r, &v, &cfg(value)).await;
        assert_eq!(remote(), *value);
    }
    v
}

#[tokio::test]
async fn versioning_enable_suspend_and_destroy() {
    let (_, r, name, bucket) =
        on_scratch_bucket("s3ver", "lf-settings", "aws_s3_bucket_versioning").await;
    let cfg = |status: &str| {
        config(
            &r,
            &[
                ("bucket", name.as_str().into()),
                (
                    "versioning_configuration",
                    block(&[("status", status.into()), ("mfa_delete", Value::Null)]),
                ),
            ],
        )
    };
    let status = || {
        py(&format!(
            "out(s3.get_bucket_versioning(Bucket={name:?}).get('Status'))"
        ))
    };
    let v = assert_each_applied(&r, &cfg, &["Enabled", "Suspended", "Enabled"], &status).await;
    // Drift: suspended outside.
    py(&format!("s3.put_bucket_versioning(Bucket={name:?}, VersioningConfiguration={{'Status':'Suspended'}})\nout(1)"));
    let v = assert_drift_fixed(&r, &v, &cfg("Enabled")).await;
    assert_eq!(status(), "Enabled");
    // Destroy suspends (S3 cannot turn versioning off).
    r.delete(&v, &labform_sdk::OpContext::silent())
        .await
        .unwrap();
    assert_eq!(status(), "Suspended");
    delete(&bucket.0, &bucket.1).await;
}

#[tokio::test]
async fn public_access_block_update_drift_destroy() {
    let (_, r, name, bucket) =
        on_scratch_bucket("s3pab", "lf-settings", "aws_s3_bucket_public_access_block").await;
    let all = |on: bool| {
        config(
            &r,
            &[
                ("bucket", name.as_str().into()),
                ("block_public_acls", on.into()),
                ("block_public_policy", on.into()),
                ("ignore_public_acls", on.into()),
                ("restrict_public_buckets", true.into()),
            ],
        )
    };
    let read = || {
        py(&format!(
            "out(s3.get_public_access_block(Bucket={name:?})['PublicAccessBlockConfiguration'])"
        ))
    };
    let v = create(&r, &all(true)).await;
    assert_eq!(read()["BlockPublicAcls"], true);
    let v = update(&r, &v, &all(false)).await;
    assert_eq!(read()["BlockPublicAcls"], false);
    assert_eq!(read()["RestrictPublicBuckets"], true);
    // Defaults: unset flags are false.
    let only = config(
        &r,
        &[
            ("bucket", name.as_str().into()),
            ("block_public_acls", true.into()),
        ],
    );
    let v = update(&r, &v, &only).await;
    assert_eq!(read()["RestrictPublicBuckets"], false);
    // Removed outside: read says gone (the plan recreates it).
    py(&format!(
        "s3.delete_public_access_block(Bucket={name:?})\nout(1)"
    ));
    assert!(r.read(&v).await.unwrap().is_none());
    let v = create(&r, &all(true)).await;
    delete(&r, &v).await;
    let gone = py(&format!(
        "try:\n    s3.get_public_access_block(Bucket={name:?})\n    out(False)\nexcept s3.exceptions.ClientError as e:\n    out(e.response['Error']['Code'])"
    ));
    assert_eq!(gone, "NoSuchPublicAccessBlockConfiguration");
    delete(&bucket.0, &bucket.1).await;
}

#[tokio::test]
async fn lifecycle_rules_round_trip() {
    let (_, r, name, bucket) = on_scratch_bucket(
        "s3lc",
        "lf-settings",
        "aws_s3_bucket_lifecycle_configuration",
    )
    .await;
    let rs = r.schema().blocks["rule"].block.clone();
    let empty_rule = rs.empty_value();
    let mut raw = empty_rule.clone();
    raw.set("id", "raw-retention".into());
    raw.set("status", "Enabled".into());
    let mut filter = rs.blocks["filter"].block.empty_value();
    filter.set("prefix", "raw/".into());
    raw.set("filter", Value::List(vec![filter]));
    let mut tr = rs.blocks["transition"].block.empty_value();
    tr.set("days", Value::Number(30.0));
    tr.set("storage_class", "STANDARD_IA".into());
    raw.set("transition", Value::List(vec![tr]));
    let mut exp = rs.blocks["expiration"].block.empty_value();
    exp.set("days", Value::Number(365.0));
    raw.set("expiration", Value::List(vec![exp]));
    let mut nve = rs.blocks["noncurrent_version_expiration"]
        .block
        .empty_value();
    nve.set("noncurrent_days", Value::Number(30.0));
    raw.set("noncurrent_version_expiration", Value::List(vec![nve]));
    let mut abort = empty_rule.clone();
    abort.set("id", "abort-uploads".into());
    abort.set("status", "Enabled".into());
    abort.set(
        "filter",
        Value::List(vec![rs.blocks["filter"].block.empty_value()]),
    );
    let mut a = rs.blocks["abort_incomplete_multipart_upload"]
        .block
        .empty_value();
    a.set("days_after_initiation", Value::Number(7.0));
    abort.set("abort_incomplete_multipart_upload", Value::List(vec![a]));

    let cfg = config(
        &r,
        &[
            ("bucket", name.as_str().into()),
            ("rule", Value::List(vec![raw.clone(), abort.clone()])),
        ],
    );
    let v = create(&r, &cfg).await;
    let rules = py(&format!(
        "out(s3.get_bucket_lifecycle_configuration(Bucket={name:?})['Rules'])"
    ));
    assert_eq!(rules.as_array().map(Vec::len), Some(2));
    assert_eq!(rules[0]["ID"], "raw-retention");
    assert_eq!(rules[0]["Filter"]["Prefix"], "raw/");
    assert_eq!(rules[0]["Transitions"][0]["Days"], 30);
    assert_eq!(rules[0]["Expiration"]["Days"], 365);
    assert_eq!(
        rules[1]["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"],
        7
    );

    // In place: disable one rule.
    let mut raw_off = raw.clone();
    raw_off.set("status", "Disabled".into());
    let cfg2 = config(
        &r,
        &[
            ("bucket", name.as_str().into()),
            ("rule", Value::List(vec![raw_off, abort])),
        ],
    );
    let v = update(&r, &v, &cfg2).await;
    assert_eq!(
        py(&format!(
            "out(s3.get_bucket_lifecycle_configuration(Bucket={name:?})['Rules'][0]['Status'])"
        )),
        "Disabled"
    );
    delete(&r, &v).await;
    delete(&bucket.0, &bucket.1).await;
}

#[tokio::test]
async fn default_encryption_round_trip() {
    let (_, r, name, bucket) = on_scratch_bucket(
        "s3enc",
        "lf-settings",
        "aws_s3_bucket_server_side_encryption_configuration",
    )
    .await;
    let rs = r.schema().blocks["rule"].block.clone();
    let rule = |alg: &str| {
        let mut d = rs.blocks["apply_server_side_encryption_by_default"]
            .block
            .empty_value();
        d.set("sse_algorithm", alg.into());
        let mut rule = rs.empty_value();
        rule.set(
            "apply_server_side_encryption_by_default",
            Value::List(vec![d]),
        );
        config(
            &r,
            &[
                ("bucket", name.as_str().into()),
                ("rule", Value::List(vec![rule])),
            ],
        )
    };
    let alg = || {
        py(&format!(
            "out(s3.get_bucket_encryption(Bucket={name:?})['ServerSideEncryptionConfiguration']['Rules'][0]['ApplyServerSideEncryptionByDefault']['SSEAlgorithm'])"
        ))
    };
    let v = assert_each_applied(&r, &rule, &["AES256", "aws:kms"], &alg).await;
    assert!(r.validate(&rule("rot13")).is_err());
    delete(&r, &v).await;
    delete(&bucket.0, &bucket.1).await;
}
