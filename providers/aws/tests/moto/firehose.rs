//! aws_kinesis_firehose_delivery_stream against moto, read back with boto3.

use std::sync::Arc;

use labform_sdk::{BlockSchema, Resource, Value};

use crate::common::*;

const ACCOUNT: &str = "123456789012";

/// Runs `script` with a boto3 `fh` (firehose) client beside the usual ones. An update made
/// here sends the whole destination back: moto derives the stream's plain S3 description from
/// each ExtendedS3 update, and one missing `RoleARN` or `BucketARN` makes an answer the SDK
/// cannot read (AWS keeps what an update leaves out).
fn fh(script: &str) -> serde_json::Value {
    py(&format!(
        "fh=boto3.client('firehose', endpoint_url=E)\n{script}"
    ))
}

/// The stream's description and tags as boto3 sees them: `[description, {key: value}]`.
fn remote(name: &str) -> (serde_json::Value, serde_json::Value) {
    let v = fh(&format!(
        "d=fh.describe_delivery_stream(DeliveryStreamName={name:?})['DeliveryStreamDescription']\nt=fh.list_tags_for_delivery_stream(DeliveryStreamName={name:?})['Tags']\nout([d, {{x['Key']: x['Value'] for x in t}}])"
    ));
    (v[0].clone(), v[1].clone())
}

fn streams_named(names: &[&str]) -> serde_json::Value {
    fh(&names_among(
        "fh.list_delivery_streams(Limit=10000)['DeliveryStreamNames']",
        names,
    ))
}

/// An object of the nested block `path` (every attribute null, every block empty), then `pairs`.
fn block(r: &Arc<dyn Resource>, path: &[&str], pairs: &[(&str, Value)]) -> Value {
    let mut schema: &BlockSchema = r.schema();
    for name in path {
        schema = &schema.blocks[*name].block;
    }
    let mut v = schema.empty_value();
    for (k, x) in pairs {
        v.set(*k, x.clone());
    }
    v
}

fn one(v: Value) -> Value {
    Value::List(vec![v])
}

fn arn(service: &str, what: &str) -> String {
    // IAM is global: its ARNs name no region.
    let region = if service == "iam" { "" } else { "us-east-1" };
    format!("arn:aws:{service}:{region}:{ACCOUNT}:{what}")
}

/// The lab's S3 destination: prefixes, buffering, a Lambda processor (or processing disabled)
/// and CloudWatch logging.
fn s3_config(r: &Arc<dyn Resource>, prefix: &str, size: i64, with_lambda: bool) -> Value {
    let path = ["extended_s3_configuration"];
    let role = arn("iam", "role/lf-firehose");
    let mut pairs = vec![
        ("role_arn", Value::from(role.as_str())),
        ("bucket_arn", Value::from("arn:aws:s3:::lf-lake")),
        ("prefix", Value::from(prefix)),
        ("error_output_prefix", Value::from("errors/")),
        ("buffering_size", Value::from(size)),
        ("buffering_interval", Value::from(60)),
        (
            "cloudwatch_logging_options",
            one(block(
                r,
                &[path[0], "cloudwatch_logging_options"],
                &[
                    ("enabled", true.into()),
                    ("log_group_name", "/aws/kinesisfirehose/lf".into()),
                    ("log_stream_name", "DestinationDelivery".into()),
                ],
            )),
        ),
    ];
    if with_lambda {
        let pc = [path[0], "processing_configuration"];
        let pr = [pc[0], pc[1], "processors"];
        let param = block(
            r,
            &[pr[0], pr[1], pr[2], "parameters"],
            &[
                ("parameter_name", "LambdaArn".into()),
                (
                    "parameter_value",
                    arn("lambda", "function:lf-transform:$LATEST")
                        .as_str()
                        .into(),
                ),
            ],
        );
        let processor = block(
            r,
            &pr,
            &[("type", "Lambda".into()), ("parameters", one(param))],
        );
        pairs.push((
            "processing_configuration",
            one(block(
                r,
                &pc,
                &[("enabled", true.into()), ("processors", one(processor))],
            )),
        ));
    } else {
        // As with hashicorp/aws, leaving the block out keeps what the stream has (the provider
        // suppresses that difference): a processor is removed by a disabled, empty block.
        pairs.push((
            "processing_configuration",
            one(block(
                r,
                &[path[0], "processing_configuration"],
                &[("enabled", false.into())],
            )),
        ));
    }
    one(block(r, &path, &pairs))
}

#[tokio::test]
async fn delivery_stream_life_cycle() {
    let (stack, _, r) = stack_of("firehose", "aws_kinesis_firehose_delivery_stream").await;
    let name = unique("lf-hose");
    let source = |stream: &str| {
        one(block(
            &r,
            &["kinesis_source_configuration"],
            &[
                (
                    "kinesis_stream_arn",
                    arn("kinesis", &format!("stream/{stream}")).as_str().into(),
                ),
                ("role_arn", arn("iam", "role/lf-firehose").as_str().into()),
            ],
        ))
    };
    let cfg = |prefix: &str, size: i64, lambda: bool, team: &str| {
        config(
            &r,
            &[
                ("name", name.as_str().into()),
                ("destination", "extended_s3".into()),
                ("kinesis_source_configuration", source("events")),
                (
                    "extended_s3_configuration",
                    s3_config(&r, prefix, size, lambda),
                ),
                ("tags", tags(&[("team", team)])),
            ],
        )
    };

    // Create, read back as declared.
    let v = create(&r, &cfg("events/", 64, true, "data")).await;
    let stream_arn = arn("firehose", &format!("deliverystream/{name}"));
    assert_eq!(v.str_attr("id"), Some(stream_arn.as_str()));
    assert_eq!(v.str_attr("arn"), Some(stream_arn.as_str()));
    assert_eq!(v.str_attr("version_id"), Some("1"));
    let (d, t) = remote(&name);
    assert_eq!(d["DeliveryStreamStatus"], "ACTIVE");
    assert_eq!(d["DeliveryStreamType"], "KinesisStreamAsSource");
    assert_eq!(
        d["Source"]["KinesisStreamSourceDescription"]["KinesisStreamARN"],
        arn("kinesis", "stream/events")
    );
    let s3 = &d["Destinations"][0]["ExtendedS3DestinationDescription"];
    assert_eq!(s3["BucketARN"], "arn:aws:s3:::lf-lake");
    assert_eq!(s3["Prefix"], "events/");
    assert_eq!(s3["ErrorOutputPrefix"], "errors/");
    assert_eq!(s3["BufferingHints"]["SizeInMBs"], 64);
    assert_eq!(s3["BufferingHints"]["IntervalInSeconds"], 60);
    assert_eq!(s3["CompressionFormat"], "UNCOMPRESSED");
    assert_eq!(s3["CloudWatchLoggingOptions"]["Enabled"], true);
    assert_eq!(
        s3["CloudWatchLoggingOptions"]["LogGroupName"],
        "/aws/kinesisfirehose/lf"
    );
    let proc = &s3["ProcessingConfiguration"];
    assert_eq!(proc["Enabled"], true);
    assert_eq!(proc["Processors"][0]["Type"], "Lambda");
    assert_eq!(
        proc["Processors"][0]["Parameters"][0]["ParameterValue"],
        arn("lambda", "function:lf-transform:$LATEST")
    );
    assert_eq!(t["team"], "data");
    assert_eq!(t["managed-by"], "labform");
    assert_eq!(t["labform-stack"].as_str(), Some(stack.as_str()));

    // AWS adds the processor's default parameters (moto does not): still no change planned.
    let role = arn("iam", "role/lf-firehose");
    let lambda = arn("lambda", "function:lf-transform:$LATEST");
    fh(&format!(
        "d=fh.describe_delivery_stream(DeliveryStreamName={name:?})['DeliveryStreamDescription']\nps=[{{'ParameterName':'LambdaArn','ParameterValue':{lambda:?}}},{{'ParameterName':'NumberOfRetries','ParameterValue':'3'}},{{'ParameterName':'RoleArn','ParameterValue':{role:?}}},{{'ParameterName':'BufferSizeInMBs','ParameterValue':'1'}},{{'ParameterName':'BufferIntervalInSeconds','ParameterValue':'60'}}]\nfh.update_destination(DeliveryStreamName={name:?}, CurrentDeliveryStreamVersionId=d['VersionId'], DestinationId=d['Destinations'][0]['DestinationId'], ExtendedS3DestinationUpdate=dict(d['Destinations'][0]['ExtendedS3DestinationDescription'], ProcessingConfiguration={{'Enabled': True, 'Processors': [{{'Type': 'Lambda', 'Parameters': ps}}]}}))\nout(1)"
    ));
    let v = r.read(&v).await.unwrap().expect("stream gone");
    assert_eq!(v.str_attr("version_id"), Some("2"));
    assert_no_change(&r, &v, &cfg("events/", 64, true, "data")).await;

    // Update in place: prefix, buffering, the processor removed, tags.
    let v = update(&r, &v, &cfg("raw/", 32, false, "ml")).await;
    assert_eq!(v.str_attr("version_id"), Some("3"));
    let (d, t) = remote(&name);
    let s3 = &d["Destinations"][0]["ExtendedS3DestinationDescription"];
    assert_eq!(s3["Prefix"], "raw/");
    assert_eq!(s3["BufferingHints"]["SizeInMBs"], 32);
    assert_eq!(s3["ProcessingConfiguration"]["Enabled"], false);
    assert_eq!(
        s3["ProcessingConfiguration"]["Processors"],
        serde_json::json!([])
    );
    assert_eq!(t["team"], "ml");
    assert_eq!(t["managed-by"], "labform");
    // And back: the processor added again.
    let v = update(&r, &v, &cfg("raw/", 32, true, "ml")).await;
    let (d, _) = remote(&name);
    assert_eq!(
        d["Destinations"][0]["ExtendedS3DestinationDescription"]["ProcessingConfiguration"]
            ["Enabled"],
        true
    );

    // Drift: the prefix and buffering changed outside, planned back.
    fh(&format!(
        "d=fh.describe_delivery_stream(DeliveryStreamName={name:?})['DeliveryStreamDescription']\nfh.update_destination(DeliveryStreamName={name:?}, CurrentDeliveryStreamVersionId=d['VersionId'], DestinationId=d['Destinations'][0]['DestinationId'], ExtendedS3DestinationUpdate=dict(d['Destinations'][0]['ExtendedS3DestinationDescription'], Prefix='elsewhere/', BufferingHints={{'SizeInMBs': 5, 'IntervalInSeconds': 300}}))\nout(1)"
    ));
    let v = assert_drift_fixed(&r, &v, &cfg("raw/", 32, true, "ml")).await;
    let (d, _) = remote(&name);
    let s3 = &d["Destinations"][0]["ExtendedS3DestinationDescription"];
    assert_eq!(s3["Prefix"], "raw/");
    assert_eq!(s3["BufferingHints"]["SizeInMBs"], 32);

    // Import by ARN (as `terraform import` takes it): the same object.
    assert_imported(
        &r,
        &stream_arn,
        &v,
        &[
            "id",
            "arn",
            "name",
            "destination",
            "destination_id",
            "version_id",
            "kinesis_source_configuration",
            "extended_s3_configuration",
            "tags_all",
        ],
    )
    .await;
    let by_name = r.import(&name).await.unwrap_err();
    assert!(
        by_name.message.contains("not a delivery stream ARN"),
        "{by_name}"
    );
    assert!(r
        .import(&arn("firehose", "deliverystream/lf-no-such-hose"))
        .await
        .is_err());

    // Force-new: the source stream.
    let mut moved = cfg("raw/", 32, true, "ml");
    moved.set("kinesis_source_configuration", source("other"));
    let v2 = replace(&r, &v, &moved, "kinesis_source_configuration").await;
    let (d, _) = remote(&name);
    assert_eq!(
        d["Source"]["KinesisStreamSourceDescription"]["KinesisStreamARN"],
        arn("kinesis", "stream/other")
    );

    // Sweep finds it by its marks; destroy leaves nothing.
    assert_swept_then_destroyed(&r, &stack, &v2, || streams_named(&[&name])).await;
}

#[tokio::test]
async fn direct_put_stream_and_name_change() {
    let r = lone_resource("firehose-dp", "aws_kinesis_firehose_delivery_stream").await;
    let cfg = |name: &str| {
        config(
            &r,
            &[
                ("name", name.into()),
                // Recorded in lower case, as the provider does.
                ("destination", "EXTENDED_S3".into()),
                ("extended_s3_configuration", s3_config(&r, "dp/", 5, false)),
            ],
        )
    };
    let name = unique("lf-dp");
    let v = create(&r, &cfg(&name)).await;
    assert_eq!(v.str_attr("destination"), Some("extended_s3"));
    let (d, _) = remote(&name);
    assert_eq!(d["DeliveryStreamType"], "DirectPut");
    let name2 = unique("lf-dp2");
    let v2 = assert_renamed(&r, &v, &cfg(&name2), "name", [&name, &name2], streams_named).await;
    delete(&r, &v2).await;
}

#[tokio::test]
async fn bad_configurations_are_named() {
    let r = lone_resource("firehose-bad", "aws_kinesis_firehose_delivery_stream").await;
    let err = |pairs: &[(&str, Value)]| refusal(&r, &[("name", Value::from("s"))], pairs).message;
    let s3 = ("extended_s3_configuration", s3_config(&r, "dp/", 5, true));
    assert!(err(&[("destination", "redshift".into())]).contains("`redshift_configuration`"));
    assert!(err(&[("destination", "s4".into())]).contains("expected one of"));
    assert!(err(&[("destination", "extended_s3".into())])
        .contains("`extended_s3_configuration` is required"));
    let mut backup = s3_config(&r, "dp/", 5, false);
    if let Value::List(items) = &mut backup {
        items[0].set("s3_backup_mode", "Enabled".into());
    }
    assert!(err(&[
        ("destination", "extended_s3".into()),
        ("extended_s3_configuration", backup)
    ])
    .contains("`s3_backup_configuration`"));
    assert!(err(&[
        ("destination", "extended_s3".into()),
        s3.clone(),
        ("version_id", "1".into())
    ])
    .contains("`version_id`"));
    r.validate(&config(
        &r,
        &[
            ("name", "s".into()),
            ("destination", "extended_s3".into()),
            s3,
        ],
    ))
    .unwrap();
}
