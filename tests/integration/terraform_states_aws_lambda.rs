//! A course's streaming directory that Terraform with hashicorp/aws and hashicorp/archive
//! managed: a Lambda function made from the zip `archive_file` builds, a permission for S3 to
//! invoke it, and a Firehose delivery stream from a Kinesis stream to S3 through that function.
//! The objects are made by another client (boto3, against moto) and the `terraform.tfstate` is
//! written as the providers' read functions would have set it from those API answers. labform
//! reads it in place: a refresh keeps every value it implements, a plan shows no change, and
//! destroy removes the objects (boto3 then finds none).

use labform_sdk::BlockSchema;
use serde_json::{json, Value as Json};

use crate::aws_stacks::boto3;
use crate::common::Stack;
use crate::provider_schema::{take_over, terraform_state};

const CODE: &str = "def lambda_handler(event, context):\n    return event\n";

#[test]
fn a_terraform_state_of_a_lambda_and_its_firehose_plans_no_change_and_destroys() {
    let s = Stack::new();
    let id = s.name().to_lowercase();
    let dir = s.path().display().to_string();
    let region = "us-east-1";
    s.file("transform.py", CODE);
    // labform's zips are byte-identical to hashicorp/archive's (Go's deflate, ported in
    // providers/builtin/src/archive/deflate), so the function's code is the zip labform builds
    // from the same source, as Terraform's would be; a different zip would make
    // `source_code_hash` differ from the recorded one and the plan upload the same code again.
    Stack::with(&format!(
        r#"
data "archive_file" "code" {{
  type        = "zip"
  source_file = "{dir}/transform.py"
  output_path = "{dir}/build/transform.zip"
}}
data "archive_file" "notes" {{
  type                    = "zip"
  source_content          = "read me"
  source_content_filename = "notes.txt"
  output_path             = "{dir}/build/notes.zip"
}}
"#
    ))
    .run(&["plan"])
    .ok();
    let made = boto3(&format!(
        r#"import hashlib, base64
def sums(path):
    b = open(path, 'rb').read()
    sha1 = hashlib.sha1(b).hexdigest()
    return {{'id': sha1, 'output_sha': sha1, 'output_size': len(b), 'output_md5': hashlib.md5(b).hexdigest(),
        'output_sha256': hashlib.sha256(b).hexdigest(), 'output_base64sha256': base64.b64encode(hashlib.sha256(b).digest()).decode(),
        'output_sha512': hashlib.sha512(b).hexdigest(), 'output_base64sha512': base64.b64encode(hashlib.sha512(b).digest()).decode()}}
iam = aws('iam'); lam = aws('lambda'); fh = aws('firehose')
trust = lambda svc: json.dumps({{'Version': '2012-10-17', 'Statement': [{{'Effect': 'Allow', 'Principal': {{'Service': svc}}, 'Action': 'sts:AssumeRole'}}]}})
fn_role = iam.create_role(RoleName='{id}-fn', AssumeRolePolicyDocument=trust('lambda.amazonaws.com'))['Role']['Arn']
fh_role = iam.create_role(RoleName='{id}-fh', AssumeRolePolicyDocument=trust('firehose.amazonaws.com'))['Role']['Arn']
account = aws('sts').get_caller_identity()['Account']
aws('s3').create_bucket(Bucket='{id}-lake')
aws('kinesis').create_stream(StreamName='{id}-events', ShardCount=1)
stream = aws('kinesis').describe_stream_summary(StreamName='{id}-events')['StreamDescriptionSummary']['StreamARN']
lam.create_function(FunctionName='{id}-transform', Runtime='python3.12', Role=fn_role, Handler='transform.lambda_handler',
    Code={{'ZipFile': open('{dir}/build/transform.zip', 'rb').read()}}, Timeout=60, MemorySize=128,
    Environment={{'Variables': {{'TARGET_PREFIX': 'events'}}}}, Tags={{'course': 'de'}})
fn = lam.get_function(FunctionName='{id}-transform')
latest = lam.list_versions_by_function(FunctionName='{id}-transform')['Versions'][-1]
lam.add_permission(FunctionName='{id}-transform', StatementId='AllowInvokeFromDataLake', Action='lambda:InvokeFunction',
    Principal='s3.amazonaws.com', SourceArn='arn:aws:s3:::{id}-lake', SourceAccount=account)
statement = json.loads(lam.get_policy(FunctionName='{id}-transform')['Policy'])['Statement'][0]
fn_arn = fn['Configuration']['FunctionArn']
# The Lambda processor's parameters as AWS completes them (moto keeps what it is sent): the
# provider leaves the defaults out of state.
fh.create_delivery_stream(DeliveryStreamName='{id}-to-lake', DeliveryStreamType='KinesisStreamAsSource',
    KinesisStreamSourceConfiguration={{'KinesisStreamARN': stream, 'RoleARN': fh_role}},
    ExtendedS3DestinationConfiguration={{'RoleARN': fh_role, 'BucketARN': 'arn:aws:s3:::{id}-lake', 'Prefix': 'events/',
        'ErrorOutputPrefix': 'errors/', 'BufferingHints': {{'SizeInMBs': 64, 'IntervalInSeconds': 60}},
        'CompressionFormat': 'UNCOMPRESSED', 'S3BackupMode': 'Disabled',
        'CloudWatchLoggingOptions': {{'Enabled': True, 'LogGroupName': '/aws/kinesisfirehose/{id}-to-lake', 'LogStreamName': 'DestinationDelivery'}},
        'ProcessingConfiguration': {{'Enabled': True, 'Processors': [{{'Type': 'Lambda', 'Parameters': [
            {{'ParameterName': 'LambdaArn', 'ParameterValue': fn_arn + ':$LATEST'}},
            {{'ParameterName': 'NumberOfRetries', 'ParameterValue': '3'}},
            {{'ParameterName': 'RoleArn', 'ParameterValue': fh_role}},
            {{'ParameterName': 'BufferSizeInMBs', 'ParameterValue': '1'}},
            {{'ParameterName': 'BufferIntervalInSeconds', 'ParameterValue': '60'}}]}}]}}}},
    Tags=[{{'Key': 'course', 'Value': 'de'}}])
d = fh.describe_delivery_stream(DeliveryStreamName='{id}-to-lake')['DeliveryStreamDescription']
# A stream without processing or logging, as AWS describes one: both reported disabled.
fh.create_delivery_stream(DeliveryStreamName='{id}-raw', DeliveryStreamType='DirectPut',
    ExtendedS3DestinationConfiguration={{'RoleARN': fh_role, 'BucketARN': 'arn:aws:s3:::{id}-lake', 'Prefix': 'raw/',
        'BufferingHints': {{'SizeInMBs': 5, 'IntervalInSeconds': 300}}, 'CompressionFormat': 'UNCOMPRESSED',
        'S3BackupMode': 'Disabled', 'CloudWatchLoggingOptions': {{'Enabled': False}},
        'ProcessingConfiguration': {{'Enabled': False, 'Processors': []}}}})
raw = fh.describe_delivery_stream(DeliveryStreamName='{id}-raw')['DeliveryStreamDescription']
print(json.dumps({{'account': account, 'fn_role': fn_role, 'fh_role': fh_role, 'stream': stream, 'fn': fn['Configuration'],
    'latest': latest['FunctionArn'], 'latest_version': latest['Version'], 'statement': statement, 'firehose': d, 'raw': raw,
    'code': sums('{dir}/build/transform.zip'), 'notes': sums('{dir}/build/notes.zip')}}, default=str))"#
    ));
    let str_of = |v: &Json| v.as_str().unwrap_or_default().to_string();
    let account = str_of(&made["account"]);
    let (fn_role, fh_role) = (str_of(&made["fn_role"]), str_of(&made["fh_role"]));
    let stream = str_of(&made["stream"]);
    let bucket_arn = format!("arn:aws:s3:::{id}-lake");
    let f = &made["fn"];
    let fn_arn = str_of(&f["FunctionArn"]);
    let gateway = |arn: &str, api: &str, action: &str| {
        format!("arn:aws:apigateway:{region}:lambda:path/{api}/functions/{arn}/{action}")
    };
    let latest = str_of(&made["latest"]);
    let course = json!({"course": "de"});
    let code = &made["code"];
    let zip_path = "./build/transform.zip";

    let mut state = terraform_state(&[
        (
            "archive_file",
            "notes",
            archive(
                &made["notes"],
                json!({
                    "type": "zip", "source_content": "read me", "source_content_filename": "notes.txt",
                    "output_path": "./build/notes.zip", "source": []
                }),
            ),
        ),
        (
            "aws_lambda_function",
            "transform",
            // resourceFunctionFlatten from GetFunction: what the API leaves out is "" or [];
            // filename, source_code_hash and publish stay as configured.
            json!({
                "id": format!("{id}-transform"), "function_name": format!("{id}-transform"),
                "arn": fn_arn, "architectures": f["Architectures"], "role": fn_role,
                "handler": f["Handler"], "runtime": f["Runtime"], "description": f["Description"],
                "timeout": f["Timeout"], "memory_size": f["MemorySize"], "package_type": f["PackageType"],
                "code_sha256": f["CodeSha256"], "source_code_size": f["CodeSize"],
                "last_modified": f["LastModified"], "filename": zip_path,
                "source_code_hash": code["output_base64sha256"], "publish": false,
                "code_signing_config_arn": "", "image_uri": "", "kms_key_arn": "",
                "signing_job_arn": "", "signing_profile_version_arn": "", "source_kms_key_arn": "",
                "layers": [], "reserved_concurrent_executions": -1, "skip_destroy": false,
                "invoke_arn": gateway(&fn_arn, "2015-03-31", "invocations"),
                "response_streaming_invoke_arn": gateway(&fn_arn, "2021-11-15", "response-streaming-invocations"),
                "qualified_arn": latest, "qualified_invoke_arn": gateway(&latest, "2015-03-31", "invocations"),
                "version": made["latest_version"], "region": region,
                "tags": course, "tags_all": course,
                "environment": [{"variables": f["Environment"]["Variables"]}],
                "ephemeral_storage": [{"size": f["EphemeralStorage"]["Size"]}],
                "tracing_config": [{"mode": f["TracingConfig"]["Mode"]}],
            }),
        ),
        (
            "aws_lambda_permission",
            "from_lake",
            // resourcePermissionFlatten: a StringEquals condition sets all four of its keys.
            json!({
                "id": "AllowInvokeFromDataLake", "statement_id": "AllowInvokeFromDataLake",
                "statement_id_prefix": "", "function_name": format!("{id}-transform"),
                "qualifier": "", "action": made["statement"]["Action"],
                "principal": made["statement"]["Principal"]["Service"],
                "source_arn": bucket_arn, "source_account": account,
                "event_source_token": "", "function_url_auth_type": "", "principal_org_id": "",
                "region": region
            }),
        ),
        (
            "aws_kinesis_firehose_delivery_stream",
            "to_lake",
            firehose(&made["firehose"], &fh_role, region, &course),
        ),
        (
            "aws_kinesis_firehose_delivery_stream",
            "raw",
            firehose(&made["raw"], &fh_role, region, &Json::Null),
        ),
    ]);
    // The course's data source, as Terraform records it.
    if let Some(resources) = state["resources"].as_array_mut() {
        resources.insert(
            0,
            json!({
                "mode": "data", "type": "archive_file", "name": "transform",
                "provider": "provider[\"registry.terraform.io/hashicorp/archive\"]",
                "instances": [{
                    "schema_version": 0, "sensitive_attributes": [],
                    "attributes": archive(code, json!({
                        "type": "zip", "source_file": "./transform.py", "output_path": zip_path,
                        "source": [], "source_content": null, "source_content_filename": null
                    }))
                }]
            }),
        );
    }
    let main_tf = format!(
        r#"
provider "aws" {{
  region = "{region}"
}}

data "archive_file" "transform" {{
  type        = "zip"
  source_file = "${{path.module}}/transform.py"
  output_path = "${{path.module}}/build/transform.zip"
}}

resource "archive_file" "notes" {{
  type                    = "zip"
  source_content          = "read me"
  source_content_filename = "notes.txt"
  output_path             = "${{path.module}}/build/notes.zip"
}}

resource "aws_lambda_function" "transform" {{
  function_name    = "{id}-transform"
  role             = "{fn_role}"
  handler          = "transform.lambda_handler"
  runtime          = "python3.12"
  filename         = data.archive_file.transform.output_path
  source_code_hash = data.archive_file.transform.output_base64sha256
  timeout          = 60
  memory_size      = 128
  environment {{
    variables = {{
      TARGET_PREFIX = "events"
    }}
  }}
  tags = {{ course = "de" }}
}}

resource "aws_lambda_permission" "from_lake" {{
  statement_id   = "AllowInvokeFromDataLake"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.transform.function_name
  principal      = "s3.amazonaws.com"
  source_arn     = "{bucket_arn}"
  source_account = "{account}"
}}

resource "aws_kinesis_firehose_delivery_stream" "to_lake" {{
  name        = "{id}-to-lake"
  destination = "extended_s3"

  kinesis_source_configuration {{
    kinesis_stream_arn = "{stream}"
    role_arn           = "{fh_role}"
  }}

  extended_s3_configuration {{
    role_arn            = "{fh_role}"
    bucket_arn          = "{bucket_arn}"
    prefix              = "events/"
    error_output_prefix = "errors/"
    buffering_size      = 64
    buffering_interval  = 60

    processing_configuration {{
      enabled = true
      processors {{
        type = "Lambda"
        parameters {{
          parameter_name  = "LambdaArn"
          parameter_value = "${{aws_lambda_function.transform.arn}}:$LATEST"
        }}
      }}
    }}

    cloudwatch_logging_options {{
      enabled         = true
      log_group_name  = "/aws/kinesisfirehose/{id}-to-lake"
      log_stream_name = "DestinationDelivery"
    }}
  }}
  tags = {{ course = "de" }}
}}

resource "aws_kinesis_firehose_delivery_stream" "raw" {{
  name        = "{id}-raw"
  destination = "extended_s3"

  extended_s3_configuration {{
    role_arn   = "{fh_role}"
    bucket_arn = "{bucket_arn}"
    prefix     = "raw/"
  }}
}}
"#
    );
    // What labform reads from the API is what the providers wrote: a refresh keeps every
    // recorded value (computed ones too, which a plan does not compare).
    s.file(
        "terraform.tfstate",
        &serde_json::to_string_pretty(&state).unwrap_or_default(),
    );
    s.file("main.tf", &main_tf);
    s.run(&["refresh"]).ok();
    let refreshed: Json = serde_json::from_str(&s.read("terraform.tfstate")).expect("state JSON");
    let mut differences = Vec::new();
    let key = |r: &Json| [&r["mode"], &r["type"], &r["name"]].map(str_of);
    for before in state["resources"].as_array().into_iter().flatten() {
        let after = refreshed["resources"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| key(r) == key(before))
            .unwrap_or(&Json::Null);
        let (mode, type_name) = (str_of(&before["mode"]), str_of(&before["type"]));
        let at = format!("{type_name}.{}", str_of(&before["name"]));
        same(
            &labform_schema(&mode, &type_name),
            &before["instances"][0]["attributes"],
            &after["instances"][0]["attributes"],
            &at,
            &mut differences,
        );
    }
    assert!(
        differences.is_empty(),
        "the refresh changed what Terraform recorded:\n{}",
        differences.join("\n")
    );
    take_over(&s, &state, &main_tf, 5);
    let left = boto3(&format!(
        r#"lam = aws('lambda'); fh = aws('firehose'); iam = aws('iam')
functions = [f['FunctionName'] for f in lam.list_functions()['Functions'] if f['FunctionName'] == '{id}-transform']
streams = [n for n in fh.list_delivery_streams()['DeliveryStreamNames'] if n.startswith('{id}-')]
for role in ('{id}-fn', '{id}-fh'):
    iam.delete_role(RoleName=role)
aws('kinesis').delete_stream(StreamName='{id}-events')
aws('s3').delete_bucket(Bucket='{id}-lake')
print(json.dumps({{'functions': functions, 'streams': streams}}))"#
    ));
    assert_eq!(left, json!({"functions": [], "streams": []}));
}

/// Each place where `after` differs from `before` in what labform implements of `schema`
/// (what it declares unimplemented it does not read), taking null, "", false, 0 and an empty
/// list or map as the same (the plugin SDK's zero values for unset), as `at.path: before -> after`.
fn same(schema: &BlockSchema, before: &Json, after: &Json, at: &str, out: &mut Vec<String>) {
    for (name, b) in before.as_object().into_iter().flatten() {
        if schema.unimplemented.contains_key(name) {
            continue;
        }
        let a = &after[name.as_str()];
        let path = format!("{at}.{name}");
        match (schema.blocks.get(name), b, a) {
            (Some(nested), Json::Array(bs), Json::Array(as_)) if bs.len() == as_.len() => {
                for (i, (b, a)) in bs.iter().zip(as_).enumerate() {
                    same(&nested.block, b, a, &format!("{path}[{i}]"), out);
                }
            }
            _ if b == a || (unset(b) && unset(a)) => {}
            _ => out.push(format!("{path}: {b} -> {a}")),
        }
    }
}

fn unset(v: &Json) -> bool {
    match v {
        Json::Null => true,
        Json::String(s) => s.is_empty(),
        Json::Bool(b) => !b,
        Json::Number(n) => n.as_f64() == Some(0.0),
        Json::Array(items) => items.is_empty(),
        Json::Object(map) => map.is_empty(),
    }
}

/// labform's schema of the resource (`managed`) or data source (`data`) type.
fn labform_schema(mode: &str, type_name: &str) -> BlockSchema {
    labform::providers::all()
        .iter()
        .find_map(|p| {
            let all = match mode {
                "data" => p.data_source_schemas(),
                _ => p.resource_schemas(),
            };
            all.get(type_name).cloned()
        })
        .unwrap_or_else(|| panic!("labform has no {mode} {type_name}"))
}

/// An `archive_file` as hashicorp/archive records it: the `given` arguments, the checksums of
/// the file (`sums`, computed by the other client), every other argument null.
fn archive(sums: &Json, given: Json) -> Json {
    let mut out = json!({
        "excludes": null, "exclude_symlink_directories": null, "output_file_mode": null,
        "source_dir": null, "source_file": null
    });
    for part in [sums, &given] {
        for (k, v) in part.as_object().into_iter().flatten() {
            out[k] = v.clone();
        }
    }
    out
}

/// The delivery stream as resourceDeliveryStreamFlatten sets it from DescribeDeliveryStream
/// `d`: the Lambda processor's parameters without the defaults AWS adds (retries 3, interval
/// 60, size 1, the destination's role), server-side encryption as one disabled block, the log
/// group and stream only of enabled logging, "" for an absent string.
fn firehose(d: &Json, role: &str, region: &str, tags: &Json) -> Json {
    let text = |v: &Json| json!(v.as_str().unwrap_or_default());
    let dest = &d["Destinations"][0];
    let s3 = &dest["ExtendedS3DestinationDescription"];
    let defaults = [
        ("NumberOfRetries", "3"),
        ("BufferIntervalInSeconds", "60"),
        ("BufferSizeInMBs", "1"),
        ("RoleArn", role),
    ];
    let processors: Vec<Json> = s3["ProcessingConfiguration"]["Processors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            let parameters: Vec<Json> = p["Parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|x| {
                    !defaults.iter().any(|(name, value)| {
                        x["ParameterName"] == *name && x["ParameterValue"] == *value
                    })
                })
                .map(|x| json!({"parameter_name": x["ParameterName"], "parameter_value": x["ParameterValue"]}))
                .collect();
            json!({"type": p["Type"], "parameters": parameters})
        })
        .collect();
    let logging = &s3["CloudWatchLoggingOptions"];
    let logging = match logging["Enabled"].as_bool() {
        Some(true) => json!([{
            "enabled": true, "log_group_name": logging["LogGroupName"],
            "log_stream_name": logging["LogStreamName"]
        }]),
        Some(false) => json!([{"enabled": false}]),
        None => json!([]),
    };
    let processing = match &s3["ProcessingConfiguration"] {
        Json::Null => json!([]),
        p => json!([{"enabled": p["Enabled"], "processors": processors}]),
    };
    let source = &d["Source"]["KinesisStreamSourceDescription"];
    let source = match source {
        Json::Null => json!([]),
        k => json!([{"kinesis_stream_arn": k["KinesisStreamARN"], "role_arn": k["RoleARN"]}]),
    };
    json!({
        "id": d["DeliveryStreamARN"], "arn": d["DeliveryStreamARN"], "name": d["DeliveryStreamName"],
        "destination": "extended_s3", "destination_id": dest["DestinationId"],
        "version_id": d["VersionId"], "region": region,
        "tags": tags, "tags_all": if tags.is_null() { json!({}) } else { tags.clone() },
        "kinesis_source_configuration": source,
        "server_side_encryption": [{"enabled": false, "key_type": "AWS_OWNED_CMK", "key_arn": null}],
        "extended_s3_configuration": [{
            "bucket_arn": s3["BucketARN"], "role_arn": s3["RoleARN"],
            "prefix": text(&s3["Prefix"]), "error_output_prefix": text(&s3["ErrorOutputPrefix"]),
            "file_extension": "",
            "buffering_interval": s3["BufferingHints"]["IntervalInSeconds"],
            "buffering_size": s3["BufferingHints"]["SizeInMBs"],
            "compression_format": s3["CompressionFormat"], "s3_backup_mode": s3["S3BackupMode"],
            "custom_time_zone": "UTC",
            "cloudwatch_logging_options": logging, "processing_configuration": processing,
            "data_format_conversion_configuration": [], "dynamic_partitioning_configuration": [],
            "s3_backup_configuration": []
        }]
    })
}
