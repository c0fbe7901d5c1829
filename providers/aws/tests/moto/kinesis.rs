//! aws_kinesis_stream against moto, read back with boto3.

use labform_sdk::Value;

use crate::common::*;

/// The stream's summary and tags as boto3 sees them: `[summary, {key: value}]`.
fn remote(name: &str) -> serde_json::Value {
    py(&format!(
        "s=kinesis.describe_stream_summary(StreamName={name:?})['StreamDescriptionSummary']\nt=kinesis.list_tags_for_stream(StreamName={name:?})['Tags']\nout([s, {{x['Key']: x['Value'] for x in t}}])"
    ))
}

fn metrics(summary: &serde_json::Value) -> Vec<String> {
    let mut m: Vec<String> = summary["EnhancedMonitoring"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|e| {
            e["ShardLevelMetrics"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .filter_map(|m| m.as_str().map(str::to_string))
        .collect();
    m.sort();
    m
}

fn streams_named(names: &[&str]) -> serde_json::Value {
    py(&names_among(
        "kinesis.list_streams(Limit=10000)['StreamNames']",
        names,
    ))
}

#[tokio::test]
async fn kinesis_stream_life_cycle() {
    let (stack, _, r) = stack_of("kinesis", "aws_kinesis_stream").await;
    let name = unique("lf-stream");
    let cfg = |shards: i64, hours: i64, m: &[&str], team: &str| {
        config(
            &r,
            &[
                ("name", name.as_str().into()),
                ("shard_count", Value::from(shards)),
                ("retention_period", Value::from(hours)),
                ("shard_level_metrics", strs(m)),
                ("tags", tags(&[("team", team)])),
            ],
        )
    };

    // Create, read back as declared.
    let v = create(&r, &cfg(1, 48, &["IncomingBytes", "OutgoingBytes"], "data")).await;
    let arn = format!("arn:aws:kinesis:us-east-1:123456789012:stream/{name}");
    assert_eq!(v.str_attr("id"), Some(arn.as_str()));
    assert_eq!(v.str_attr("arn"), Some(arn.as_str()));
    let [s, t] =
        <[serde_json::Value; 2]>::try_from(remote(&name).as_array().unwrap().clone()).unwrap();
    assert_eq!(s["StreamStatus"], "ACTIVE");
    assert_eq!(s["RetentionPeriodHours"], 48);
    assert_eq!(s["OpenShardCount"], 1);
    assert_eq!(metrics(&s), ["IncomingBytes", "OutgoingBytes"]);
    assert_eq!(t["team"], "data");
    assert_eq!(t["managed-by"], "labform");
    assert_eq!(t["labform-stack"].as_str(), Some(stack.as_str()));
    assert_eq!(v.get("tags"), &tags(&[("team", "data")]));

    // Update in place: retention (down and up), shards, metrics, tags.
    let v = update(&r, &v, &cfg(2, 72, &["IncomingBytes"], "ml")).await;
    let [s, t] =
        <[serde_json::Value; 2]>::try_from(remote(&name).as_array().unwrap().clone()).unwrap();
    assert_eq!(s["RetentionPeriodHours"], 72);
    assert_eq!(s["OpenShardCount"], 2);
    assert_eq!(metrics(&s), ["IncomingBytes"]);
    assert_eq!(t["team"], "ml");
    assert_eq!(t["managed-by"], "labform");
    let v = update(&r, &v, &cfg(2, 24, &["IncomingBytes"], "ml")).await;
    assert_eq!(remote(&name)[0]["RetentionPeriodHours"], 24);

    // Drift: changed outside, planned back.
    py(&format!(
        "kinesis.increase_stream_retention_period(StreamName={name:?}, RetentionPeriodHours=100)\nkinesis.disable_enhanced_monitoring(StreamName={name:?}, ShardLevelMetrics=['IncomingBytes'])\nout(1)"
    ));
    let v = assert_drift_fixed(&r, &v, &cfg(2, 24, &["IncomingBytes"], "ml")).await;
    let s = &remote(&name)[0];
    assert_eq!(s["RetentionPeriodHours"], 24);
    assert_eq!(metrics(s), ["IncomingBytes"]);

    // Import by name (as `terraform import` takes it): the same object, id the ARN.
    assert_imported(
        &r,
        &name,
        &v,
        &[
            "id",
            "arn",
            "name",
            "shard_count",
            "retention_period",
            "shard_level_metrics",
            "tags_all",
        ],
    )
    .await;

    // Force-new: the name.
    let name2 = unique("lf-stream2");
    let cfg2 = config(
        &r,
        &[
            ("name", name2.as_str().into()),
            ("shard_count", Value::from(1)),
        ],
    );
    // Then the sweep finds it by its marks; destroy leaves nothing.
    let names = [name.as_str(), &name2];
    assert_renamed_swept_destroyed(&r, &stack, &v, &cfg2, "name", names, streams_named).await;
}

#[tokio::test]
async fn on_demand_stream_and_mode_drift() {
    let r = lone_resource("kinesis-od", "aws_kinesis_stream").await;
    let name = unique("lf-od");
    let mode = |m: &str| Value::List(vec![Value::from_pairs([("stream_mode", Value::from(m))])]);
    let od = config(
        &r,
        &[
            ("name", name.as_str().into()),
            ("stream_mode_details", mode("ON_DEMAND")),
        ],
    );
    let v = create(&r, &od).await;
    assert_eq!(v.get("shard_count"), &Value::Null);
    let s = &remote(&name)[0];
    assert_eq!(s["StreamModeDetails"]["StreamMode"], "ON_DEMAND");

    // Switched outside to provisioned: planned back to on demand.
    py(&format!(
        "kinesis.update_stream_mode(StreamARN={arn:?}, StreamModeDetails={{'StreamMode': 'PROVISIONED'}})\nout(1)",
        arn = v.str_attr("arn").unwrap()
    ));
    let v = assert_drift_fixed(&r, &v, &od).await;
    assert_eq!(
        remote(&name)[0]["StreamModeDetails"]["StreamMode"],
        "ON_DEMAND"
    );
    delete(&r, &v).await;
}

#[tokio::test]
async fn bad_configurations_are_named() {
    let r = lone_resource("kinesis-bad", "aws_kinesis_stream").await;
    let err = |pairs: &[(&str, Value)]| refusal(&r, &[("name", Value::from("s"))], pairs).message;
    assert!(err(&[]).contains("`shard_count` must be at least 1"));
    let on_demand = Value::List(vec![Value::from_pairs([(
        "stream_mode",
        Value::from("ON_DEMAND"),
    )])]);
    assert!(err(&[
        ("shard_count", Value::from(2)),
        ("stream_mode_details", on_demand)
    ])
    .contains("must not be set"));
    let one = ("shard_count", Value::from(1));
    assert!(
        err(&[one.clone(), ("max_record_size_in_kib", Value::from(2048))])
            .contains("`max_record_size_in_kib`")
    );
    assert!(
        err(&[one.clone(), ("retention_period", Value::from(12))]).contains("between 24 and 8760")
    );
    assert!(err(&[one.clone(), ("encryption_type", Value::from("KMS"))]).contains("`kms_key_id`"));
    assert!(err(&[one, ("encryption_type", Value::from("AES"))]).contains("`AES`"));
}

#[tokio::test]
async fn encryption_starts_and_stops() {
    let r = lone_resource("kinesis-kms", "aws_kinesis_stream").await;
    let name = unique("lf-kms");
    let cfg = |kind: &str, key: Option<&str>| {
        config(
            &r,
            &[
                ("name", name.as_str().into()),
                ("shard_count", Value::from(1)),
                ("encryption_type", kind.into()),
                ("kms_key_id", key.map_or(Value::Null, Value::from)),
            ],
        )
    };
    let v = create(&r, &cfg("KMS", Some("alias/aws/kinesis"))).await;
    let s = &remote(&name)[0];
    assert_eq!(s["EncryptionType"], "KMS");
    assert_eq!(s["KeyId"], "alias/aws/kinesis");
    // The type compares without case, as the provider's does.
    assert_no_change(&r, &v, &cfg("kms", Some("alias/aws/kinesis"))).await;
    let v = update(&r, &v, &cfg("NONE", None)).await;
    assert_eq!(remote(&name)[0]["EncryptionType"], "NONE");
    delete(&r, &v).await;
}
