//! aws_s3_bucket and aws_s3_object against moto.

use labform_sdk::{ErrorKind, OpContext, Value};

use crate::common::*;

fn bucket_tags(bucket: &str) -> std::collections::BTreeMap<String, String> {
    let j = py(&format!("r=s3.get_bucket_tagging(Bucket={bucket:?})['TagSet']\nout({{t['Key']:t['Value'] for t in r}})"));
    serde_json::from_value(j).unwrap_or_default()
}

fn bucket_exists(bucket: &str) -> bool {
    listed("s3.list_buckets()['Buckets']", "Name", bucket)
}

#[tokio::test]
async fn bucket_create_update_drift_replace_destroy() {
    let (stack, _, r) = stack_of("s3life", "aws_s3_bucket").await;
    let name = unique("lf-bucket");
    // The bucket `bucket` with `extra`.
    let bucket_cfg = |bucket: &str, extra: &[(&str, Value)]| {
        let mut pairs = vec![("bucket", Value::from(bucket))];
        pairs.extend_from_slice(extra);
        config(&r, &pairs)
    };
    let team = |team: &str| ("tags", tags(&[("team", team)]));
    // boto3 finds the bucket marked, with the tag `team = team`.
    let assert_tagged = |team: &str| {
        let t = bucket_tags(&name);
        assert_marked(&t, &stack);
        assert_eq!(t.get("team").map(String::as_str), Some(team));
    };
    let cfg = bucket_cfg(&name, &[team("data")]);

    let planned = plan(&r, None, &cfg).planned;
    let all = planned
        .get("tags_all")
        .as_object()
        .expect("tags_all known at plan time");
    assert_eq!(all.get("labform-stack"), Some(&Value::from(stack.as_str())));
    assert_eq!(
        planned.get("arn"),
        &Value::from(format!("arn:aws:s3:::{name}"))
    );

    let v = create(&r, &cfg).await;
    assert_eq!(
        v.str_attr("bucket_regional_domain_name"),
        Some(format!("{name}.s3.us-east-1.amazonaws.com").as_str())
    );
    assert_eq!(v.str_attr("region"), Some("us-east-1"));
    assert_tagged("data");

    // In place: tags.
    let cfg2 = bucket_cfg(&name, &[team("ml")]);
    let v = update(&r, &v, &cfg2).await;
    assert_tagged("ml");

    // Drift: a tag changed and the mark removed outside labform.
    py(&format!("s3.put_bucket_tagging(Bucket={name:?}, Tagging={{'TagSet':[{{'Key':'team','Value':'hacked'}}]}})\nout(1)"));
    let v = assert_drift_fixed(&r, &v, &cfg2).await;
    assert_tagged("ml");

    // force_destroy is local: an in-place change.
    let force_destroy = ("force_destroy", Value::from(true));
    let cfg3 = bucket_cfg(&name, &[team("ml"), force_destroy.clone()]);
    let v = update(&r, &v, &cfg3).await;

    // Force-new: another name replaces the bucket.
    let name2 = unique("lf-bucket");
    let cfg4 = bucket_cfg(&name2, &[force_destroy]);
    let v2 = replace(&r, &v, &cfg4, "bucket").await;
    assert!(!bucket_exists(&name) && bucket_exists(&name2));

    // Deleted outside labform: read says gone, so the plan recreates it.
    py(&format!("s3.delete_bucket(Bucket={name2:?})\nout(1)"));
    assert!(r.read(&v2).await.unwrap().is_none());
    delete(&r, &v2).await;
}

#[tokio::test]
async fn bucket_prefix_generates_a_unique_valid_name() {
    let r = lone_resource("s3prefix", "aws_s3_bucket").await;
    let cfg = config(&r, &[("bucket_prefix", "lf-lake-".into())]);
    let v = create(&r, &cfg).await;
    let name = v.str_attr("bucket").unwrap().to_string();
    assert!(
        name.starts_with("lf-lake-") && name.len() == 8 + 26,
        "{name}"
    );
    assert!(bucket_exists(&name));
    delete(&r, &v).await;
}

#[tokio::test]
async fn bad_bucket_names_fail_before_any_call() {
    let r = lone_resource("s3names", "aws_s3_bucket").await;
    for bad in [
        "My_Bucket",
        "ab",
        "bucket..name",
        "192.168.1.1",
        "-leading",
        "xn--punycode",
    ] {
        let cfg = config(&r, &[("bucket", bad.into())]);
        let e = r.validate(&cfg).expect_err(bad);
        assert_eq!(e.kind, ErrorKind::InvalidConfig, "{bad}");
        assert!(e.message.contains(bad), "{}", e.message);
        assert!(!bucket_exists(&bad.to_lowercase()));
    }
    let both = config(
        &r,
        &[
            ("bucket", "abc-def".into()),
            ("bucket_prefix", "abc-".into()),
        ],
    );
    assert!(r.validate(&both).is_err());
}

#[tokio::test]
async fn a_name_taken_by_another_account_says_names_are_global() {
    let r = lone_resource("s3taken", "aws_s3_bucket").await;
    let name = unique("lf-taken");
    // Another account (moto's x-moto-account-id) owns the name.
    py(&format!(
        "def hdr(request, **kw): request.headers['x-moto-account-id']='111122223333'\n\
         s3.meta.events.register('before-sign.s3.*', hdr)\n\
         s3.create_bucket(Bucket={name:?})\nout(1)"
    ));
    let cfg = config(&r, &[("bucket", name.as_str().into())]);
    let planned = plan(&r, None, &cfg).planned;
    let e = r
        .create(&planned, &OpContext::silent())
        .await
        .expect_err("taken");
    assert_eq!(e.kind, ErrorKind::Conflict);
    assert!(e.message.contains("global"), "{}", e.message);
    assert!(e.hint.unwrap_or_default().contains("bucket_prefix"));

    // One of our own: a different message.
    let own = unique("lf-own");
    py(&format!("s3.create_bucket(Bucket={own:?})\nout(1)"));
    let cfg = config(&r, &[("bucket", own.as_str().into())]);
    let e = r
        .create(&plan(&r, None, &cfg).planned, &OpContext::silent())
        .await
        .expect_err("ours");
    assert!(
        e.message.contains("already exists in your account"),
        "{}",
        e.message
    );
}

#[tokio::test]
async fn force_destroy_removes_every_version_and_delete_marker() {
    let (_, vr, name, (r, v)) =
        on_scratch_bucket("s3force", "lf-versioned", "aws_s3_bucket_versioning").await;
    let vcfg = config(
        &vr,
        &[
            ("bucket", name.as_str().into()),
            (
                "versioning_configuration",
                Value::List(vec![Value::from_pairs([
                    ("status", "Enabled".into()),
                    ("mfa_delete", Value::Null),
                ])]),
            ),
        ],
    );
    let ver = create(&vr, &vcfg).await;
    let counts = py(&format!(
        "b={name:?}\n\
         for i in range(3):\n\
         \x20   s3.put_object(Bucket=b, Key='raw/a.csv', Body=('v%d' % i).encode())\n\
         \x20   s3.put_object(Bucket=b, Key='raw/b%d.csv' % i, Body=b'x')\n\
         s3.delete_object(Bucket=b, Key='raw/a.csv')\n\
         s3.delete_object(Bucket=b, Key='raw/b0.csv')\n\
         r=s3.list_object_versions(Bucket=b)\n\
         out([len(r.get('Versions',[])), len(r.get('DeleteMarkers',[]))])"
    ));
    assert_eq!(counts, serde_json::json!([6, 2]));

    // Without force_destroy: a clear refusal.
    let mut no_force = v.clone();
    no_force.set("force_destroy", false.into());
    let e = r
        .delete(&no_force, &OpContext::silent())
        .await
        .expect_err("not empty");
    assert!(e.message.contains("not empty"), "{}", e.message);
    assert!(e.hint.unwrap_or_default().contains("force_destroy"));

    // As a destroy runs it: the versioning resource goes first (versioning suspended).
    vr.delete(&ver, &OpContext::silent()).await.unwrap();
    assert_eq!(
        py(&format!(
            "out(s3.get_bucket_versioning(Bucket={name:?}).get('Status'))"
        )),
        "Suspended"
    );
    delete(&r, &v).await;
    assert!(!bucket_exists(&name));
}

#[tokio::test]
async fn objects_upload_update_and_delete() {
    let (stack, r, name, (b, bucket)) =
        on_scratch_bucket("s3obj", "lf-objects", "aws_s3_object").await;
    // The object `key`, configured by `pairs` besides.
    let object_cfg = |key: &str, pairs: &[(&str, Value)]| {
        let mut all = vec![("bucket", Value::from(name.as_str())), ("key", key.into())];
        all.extend_from_slice(pairs);
        config(&r, &all)
    };
    // The body of the object `key`, from boto3.
    let body = |key: &str| {
        py(&format!(
            "out(s3.get_object(Bucket={name:?}, Key={key:?})['Body'].read().decode())"
        ))
    };
    let json = |content: &str| {
        object_cfg(
            "config/settings.json",
            &[
                ("content", content.into()),
                ("content_type", "application/json".into()),
            ],
        )
    };

    let cfg = json("{\"a\":1}");
    let planned = plan(&r, None, &cfg).planned;
    assert!(
        planned.get("etag").as_str().is_some(),
        "etag known at plan time"
    );
    let v = create(&r, &cfg).await;
    let got = py(&format!(
        "o=s3.get_object(Bucket={name:?}, Key='config/settings.json')\nt=s3.get_object_tagging(Bucket={name:?}, Key='config/settings.json')['TagSet']\nout([o['Body'].read().decode(), o['ContentType'], o['ETag'].strip('\"'), {{x['Key']:x['Value'] for x in t}}])"
    ));
    assert_eq!(got[0], "{\"a\":1}");
    assert_eq!(got[1], "application/json");
    assert_eq!(got[2].as_str(), v.str_attr("etag"));
    assert_eq!(got[3]["labform-stack"].as_str(), Some(stack.as_str()));

    // New content: re-uploaded in place.
    let v = update(&r, &v, &json("{\"a\":2}")).await;
    assert_eq!(body("config/settings.json"), "{\"a\":2}");

    // From a file, under another key: a replacement.
    let dir = std::env::temp_dir().join(unique("lf-src"));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("data.csv");
    std::fs::write(&file, "id,value\n1,2\n").unwrap();
    let cfg3 = object_cfg(
        "raw/data.csv",
        &[("source", file.to_string_lossy().as_ref().into())],
    );
    let v3 = replace(&r, &v, &cfg3, "key").await;
    assert_eq!(body("raw/data.csv"), "id,value\n1,2\n");
    // Changing the file is seen by the plan (etag).
    std::fs::write(&file, "id,value\n1,3\n").unwrap();
    let v3 = update(&r, &v3, &cfg3).await;
    assert_eq!(body("raw/data.csv"), "id,value\n1,3\n");
    std::fs::remove_dir_all(&dir).ok();

    // Deleted outside: gone.
    py(&format!(
        "s3.delete_object(Bucket={name:?}, Key='raw/data.csv')\nout(1)"
    ));
    assert!(r.read(&v3).await.unwrap().is_none());
    delete(&r, &v3).await;
    delete(&b, &bucket).await;
}
