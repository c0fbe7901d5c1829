//! S3 and Glue: a create interrupted after the call is found again by name (and mark) or by
//! its bucket, and adopted once; see `interrupted.rs`.

use std::sync::Arc;

use labform_sdk::{ConfiguredProvider, Value, INSTANCE_KEY};

use crate::common::*;
use crate::interrupted::{
    adopt, glue_object_is_adopted, interrupted_create_is_adopted, py_count, FoundBy,
};

/// How many buckets carry `labform-instance = token`.
fn buckets_marked(token: &str) -> usize {
    py_count(&format!(
        "n=0\nfor b in s3.list_buckets()['Buckets']:\n    try:\n        t=s3.get_bucket_tagging(Bucket=b['Name'])['TagSet']\n    except Exception:\n        continue\n    n+=any(x['Key']=={INSTANCE_KEY:?} and x['Value']=={token:?} for x in t)\nout(n)"
    ))
}

fn block(pairs: &[(&str, Value)]) -> Value {
    Value::List(vec![Value::from_pairs(pairs.iter().cloned())])
}

#[tokio::test]
async fn bucket_by_name_and_by_prefix_is_adopted() {
    let r = lone_resource("adopt-s3", "aws_s3_bucket").await;
    let name = unique("lf-adopt");
    let cfg = config(
        &r,
        &[
            ("bucket", name.as_str().into()),
            ("force_destroy", true.into()),
        ],
    );
    let named = interrupted_create_is_adopted(&r, &cfg, FoundBy::Name, buckets_marked).await;
    assert_eq!(named.state.str_attr("id"), Some(name.as_str()));

    let cfg = config(&r, &[("bucket_prefix", "lf-adopt-".into())]);
    let prefixed = interrupted_create_is_adopted(&r, &cfg, FoundBy::Token, buckets_marked).await;
    let generated = prefixed
        .state
        .str_attr("id")
        .unwrap_or_default()
        .to_string();
    assert_eq!(generated.len(), "lf-adopt-".len() + 26, "{generated}");
    assert!(generated.starts_with("lf-adopt-"));
    // PutBucketTagging replaces the whole set: an in-place tag change keeps the mark.
    let mut retag = cfg.clone();
    retag.set("tags", tags(&[("layer", "raw")]));
    update(&r, &prefixed.state, &retag).await;
    assert_eq!(buckets_marked(&prefixed.token), 1, "the mark was dropped");

    // Killed between CreateBucket and the tagging call (moto ignores tags on create): a name
    // derived from the token is still this create's.
    py(&format!(
        "s3.delete_bucket_tagging(Bucket={generated:?})\nout(1)"
    ));
    let again = r
        .find_interrupted(&prefixed.intent, &prefixed.token)
        .await
        .unwrap()
        .expect("the untagged bucket with the derived name");
    assert_eq!(again.str_attr("id"), Some(generated.as_str()));
    // A configured name without the mark may be anybody's: never adopted silently.
    py(&format!(
        "s3.delete_bucket_tagging(Bucket={name:?})\nout(1)"
    ));
    let e = r
        .find_interrupted(&named.intent, &named.token)
        .await
        .expect_err("an unmarked bucket is not adopted");
    assert!(e.message.contains(&format!("bucket `{name}`")), "{e}");
    assert!(e.hint.unwrap_or_default().contains("aws s3 rb"));

    delete(&r, &named.state).await;
    delete(&r, &prefixed.state).await;
}

/// Adopts the `type_name` setting of the bucket `bucket`, configured by `pairs` besides: the
/// bucket is its key, so any token finds it; `present` is a boto3 script printing how many
/// there are (0 or 1). Returns the adopted state.
async fn setting_is_adopted(
    p: &Arc<dyn ConfiguredProvider>,
    type_name: &str,
    bucket: &str,
    pairs: &[(&str, Value)],
    present: String,
) -> Value {
    let mut all = vec![("bucket", Value::from(bucket))];
    all.extend_from_slice(pairs);
    let count = move |_: &str| py_count(&present);
    adopt(p, type_name, &all, FoundBy::Key, count).await.1.state
}

#[tokio::test]
async fn bucket_settings_and_objects_are_adopted() {
    let p = configure(&unique("adopt-s3set")).await;
    let (b, name, bucket) = scratch_bucket(&p, "lf-adopt-set").await;
    let n = name.as_str();
    let versioning = setting_is_adopted(
        &p,
        "aws_s3_bucket_versioning",
        n,
        &[(
            "versioning_configuration",
            block(&[("status", "Enabled".into()), ("mfa_delete", Value::Null)]),
        )],
        format!("out(int(s3.get_bucket_versioning(Bucket={n:?}).get('Status')=='Enabled'))"),
    )
    .await;

    let pab = setting_is_adopted(
        &p,
        "aws_s3_bucket_public_access_block",
        n,
        &[("block_public_acls", true.into())],
        format!(
            "out(int(s3.get_public_access_block(Bucket={n:?})['PublicAccessBlockConfiguration']['BlockPublicAcls']))"
        ),
    )
    .await;

    let r = resource(&p, "aws_s3_bucket_server_side_encryption_configuration");
    let rs = r.schema().blocks["rule"].block.clone();
    let mut by_default = rs.blocks["apply_server_side_encryption_by_default"]
        .block
        .empty_value();
    by_default.set("sse_algorithm", "AES256".into());
    let mut rule = rs.empty_value();
    rule.set(
        "apply_server_side_encryption_by_default",
        Value::List(vec![by_default]),
    );
    let enc = setting_is_adopted(
        &p,
        r.type_name(),
        n,
        &[("rule", Value::List(vec![rule]))],
        format!(
            "out(len(s3.get_bucket_encryption(Bucket={n:?})['ServerSideEncryptionConfiguration']['Rules']))"
        ),
    )
    .await;

    let r = resource(&p, "aws_s3_bucket_lifecycle_configuration");
    let rule = {
        let mut rule = r.schema().blocks["rule"].block.empty_value();
        rule.set("id", "expire-tmp".into());
        rule.set("status", "Enabled".into());
        let mut exp = r.schema().blocks["rule"].block.blocks["expiration"]
            .block
            .empty_value();
        exp.set("days", Value::Number(7.0));
        rule.set("expiration", Value::List(vec![exp]));
        let mut filter = r.schema().blocks["rule"].block.blocks["filter"]
            .block
            .empty_value();
        filter.set("prefix", "tmp/".into());
        rule.set("filter", Value::List(vec![filter]));
        Value::List(vec![rule])
    };
    let lifecycle = setting_is_adopted(
        &p,
        r.type_name(),
        n,
        &[("rule", rule)],
        format!("out(len(s3.get_bucket_lifecycle_configuration(Bucket={n:?})['Rules']))"),
    )
    .await;

    let r = resource(&p, "aws_s3_object");
    let cfg = config(
        &r,
        &[
            ("bucket", n.into()),
            ("key", "raw/data.csv".into()),
            ("content", "a,b\n1,2\n".into()),
            ("tags", tags(&[("layer", "raw")])),
        ],
    );
    let object = interrupted_create_is_adopted(&r, &cfg, FoundBy::Name, |t| {
        py_count(&format!(
            "L=s3.list_objects_v2(Bucket={n:?}, Prefix='raw/').get('Contents', [])\nout(len([o for o in L if {{x['Key']:x['Value'] for x in s3.get_object_tagging(Bucket={n:?}, Key=o['Key'])['TagSet']}}.get({INSTANCE_KEY:?})=={t:?}]))"
        ))
    })
    .await
    .state;
    // An in-place tag change keeps the mark (S3 replaces the whole tag set).
    let mut retag = cfg.clone();
    retag.set("tags", tags(&[("layer", "bronze")]));
    let object = update(&r, &object, &retag).await;
    let kept = py(&format!(
        "out({{x['Key']:x['Value'] for x in s3.get_object_tagging(Bucket={n:?}, Key='raw/data.csv')['TagSet']}})"
    ));
    assert!(
        kept.get(INSTANCE_KEY).is_some(),
        "the mark was dropped: {kept}"
    );
    assert_eq!(kept.get("layer"), Some(&serde_json::json!("bronze")));

    delete(&r, &object).await;
    let settings = [
        ("aws_s3_bucket_lifecycle_configuration", lifecycle),
        ("aws_s3_bucket_server_side_encryption_configuration", enc),
        ("aws_s3_bucket_public_access_block", pab),
    ];
    for (t, v) in &settings {
        delete(&resource(&p, t), v).await;
    }
    // Suspending is what deleting versioning does; the bucket then goes.
    let vr = resource(&p, "aws_s3_bucket_versioning");
    let silent = labform_sdk::OpContext::silent();
    vr.delete(&versioning, &silent).await.unwrap();
    delete(&b, &bucket).await;
    // A destroy killed after the bucket went, before state noted its settings gone: deleting
    // them again succeeds.
    vr.delete(&versioning, &silent).await.unwrap();
    for (t, v) in &settings {
        resource(&p, t).delete(v, &silent).await.unwrap();
    }
    resource(&p, "aws_s3_object")
        .delete(&object, &silent)
        .await
        .unwrap();
}

#[tokio::test]
async fn glue_database_is_adopted() {
    glue_object_is_adopted(
        "adopt-glue",
        "aws_glue_catalog_database",
        &unique("lf_adopt").replace('-', "_"),
        &[("tags", tags(&[("layer", "raw")]))],
        (
            "database",
            "[d['Name'] for d in glue.get_databases()['DatabaseList']]",
        ),
    )
    .await;
}
