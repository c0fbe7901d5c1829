//! Terraform-shaped states of the AWS iam and kinesis types (issue 13): a course's role with a
//! trust policy, an inline policy, a customer policy attached, an instance profile holding the
//! role and a Kinesis stream, made by another client (boto3, against moto), and the
//! `terraform.tfstate` Terraform with hashicorp/aws 6.58 would have written for them after a
//! refresh: each attribute as the provider's read function sets it from that API answer (""
//! / 0 / false / [] where it sets a zero value, null where it sets nothing), policies as the
//! provider normalises them (the role's managed_policy_arns and inline_policy listing what the
//! attachment and the role policy added), the policy documents' data sources recorded too.
//! labform reads it in place, plans no change and destroys every object. A second test has
//! labform apply the same configuration and checks its state against the provider's schemas.

use serde_json::{json, Value as Json};

use crate::aws_stacks::boto3;
use crate::common::Stack;
use crate::provider_schema::{assert_state_matches_provider_schemas, take_over, terraform_state};

/// The configuration a course would write: the role's trust and inline policies through
/// `data "aws_iam_policy_document"`, the customer policy through `jsonencode`, every name
/// from the stack's `id`.
fn main_tf(id: &str) -> String {
    format!(
        r#"
provider "aws" {{
  region = "us-east-1"
}}

data "aws_iam_policy_document" "trust" {{
  statement {{
    actions = ["sts:AssumeRole"]
    principals {{
      type        = "Service"
      identifiers = ["glue.amazonaws.com"]
    }}
  }}
}}

data "aws_iam_policy_document" "logs" {{
  statement {{
    actions   = ["logs:PutLogEvents"]
    resources = ["*"]
  }}
}}

resource "aws_iam_role" "app" {{
  name               = "{id}-app"
  assume_role_policy = data.aws_iam_policy_document.trust.json
  tags               = {{ course = "de" }}
}}

resource "aws_iam_role_policy" "logs" {{
  name   = "logs"
  role   = aws_iam_role.app.name
  policy = data.aws_iam_policy_document.logs.json
}}

resource "aws_iam_policy" "read" {{
  name = "{id}-read"
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = ["s3:GetObject", "s3:ListBucket"], Resource = "*" }}]
  }})
  tags = {{ course = "de" }}
}}

resource "aws_iam_role_policy_attachment" "read" {{
  role       = aws_iam_role.app.name
  policy_arn = aws_iam_policy.read.arn
}}

resource "aws_iam_instance_profile" "app" {{
  name = "{id}-app"
  role = aws_iam_role.app.name
  tags = {{ course = "de" }}
}}

resource "aws_kinesis_stream" "events" {{
  name        = "{id}-events"
  shard_count = 1
  tags        = {{ course = "de" }}
}}
"#
    )
}

/// What is left of the stack's objects, read with boto3.
fn left(id: &str) -> Json {
    boto3(&format!(
        r#"iam = aws('iam'); k = aws('kinesis')
roles = [r['RoleName'] for r in iam.list_roles()['Roles'] if r['RoleName'] == '{id}-app']
policies = [p['PolicyName'] for p in iam.list_policies(Scope='Local')['Policies'] if p['PolicyName'] == '{id}-read']
profiles = [p['InstanceProfileName'] for p in iam.list_instance_profiles()['InstanceProfiles'] if p['InstanceProfileName'] == '{id}-app']
streams = [n for n in k.list_streams()['StreamNames'] if n == '{id}-events']
print(json.dumps({{'roles': roles, 'policies': policies, 'profiles': profiles, 'streams': streams}}))"#
    ))
}

/// A `data "aws_iam_policy_document"` instance as Terraform records it: the configured
/// statement (every unset set empty, `sid` ""), the rendered document and its hash id.
fn policy_document(name: &str, rendered: &Json, statement: Json) -> Json {
    let mut statement = statement;
    for (k, empty) in [
        ("actions", json!([])),
        ("condition", json!([])),
        ("effect", json!("Allow")),
        ("not_actions", json!([])),
        ("not_principals", json!([])),
        ("not_resources", json!([])),
        ("principals", json!([])),
        ("resources", json!([])),
        ("sid", json!("")),
    ] {
        if statement.get(k).is_none() {
            statement[k] = empty;
        }
    }
    json!({
        "mode": "data",
        "type": "aws_iam_policy_document",
        "name": name,
        "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
        "instances": [{
            "schema_version": 0,
            "attributes": {
                "id": rendered["id"], "json": rendered["json"],
                "minified_json": rendered["minified_json"],
                "override_json": null, "override_policy_documents": null, "policy_id": null,
                "source_json": null, "source_policy_documents": null,
                "statement": [statement], "version": "2012-10-17"
            },
            "sensitive_attributes": []
        }]
    })
}

#[test]
fn a_terraform_state_of_iam_objects_and_a_stream_plans_no_change_and_destroys() {
    let s = Stack::new();
    let id = format!("lf-{}", s.name().to_lowercase());
    let region = "us-east-1";
    // The documents as the provider renders and records them: the data source's json (Go's
    // MarshalIndent in its struct order) with the hash of it as id, the role's trust policy
    // normalised (keys sorted, compact), the inline policy with "Version" first.
    let made = boto3(&format!(
        r#"import zlib
iam = aws('iam'); k = aws('kinesis')
course = [{{'Key': 'course', 'Value': 'de'}}]
def doc(statement): return {{'Version': '2012-10-17', 'Statement': [statement]}}
def rendered(d):
    text = json.dumps(d, indent=2)
    return {{'json': text, 'minified_json': json.dumps(d, separators=(',', ':')), 'id': str(zlib.crc32(text.encode()))}}
def normal(d): return json.dumps(d, separators=(',', ':'), sort_keys=True)
def legacy(d):
    rest = normal({{k: v for k, v in d.items() if k != 'Version'}})
    return '{{"Version":"2012-10-17",' + rest[1:]
trust = doc({{'Effect': 'Allow', 'Action': 'sts:AssumeRole', 'Principal': {{'Service': 'glue.amazonaws.com'}}}})
logs = doc({{'Effect': 'Allow', 'Action': 'logs:PutLogEvents', 'Resource': '*'}})
read = doc({{'Effect': 'Allow', 'Action': ['s3:GetObject', 's3:ListBucket'], 'Resource': '*'}})
role = iam.create_role(RoleName='{id}-app', AssumeRolePolicyDocument=rendered(trust)['json'], Tags=course)['Role']
iam.put_role_policy(RoleName='{id}-app', PolicyName='logs', PolicyDocument=rendered(logs)['json'])
policy = iam.create_policy(PolicyName='{id}-read', PolicyDocument=normal(read), Tags=course)['Policy']
iam.attach_role_policy(RoleName='{id}-app', PolicyArn=policy['Arn'])
policy = iam.get_policy(PolicyArn=policy['Arn'])['Policy']
profile = iam.create_instance_profile(InstanceProfileName='{id}-app', Tags=course)['InstanceProfile']
iam.add_role_to_instance_profile(InstanceProfileName='{id}-app', RoleName='{id}-app')
k.create_stream(StreamName='{id}-events', ShardCount=1)
k.add_tags_to_stream(StreamName='{id}-events', Tags={{'course': 'de'}})
stream = k.describe_stream_summary(StreamName='{id}-events')['StreamDescriptionSummary']
seconds = lambda t: t.strftime('%Y-%m-%dT%H:%M:%SZ')
print(json.dumps({{'role': role, 'role_created': seconds(role['CreateDate']), 'policy': policy,
  'profile': profile, 'profile_created': seconds(profile['CreateDate']), 'stream': stream,
  'trust': rendered(trust), 'logs': rendered(logs), 'trust_normal': normal(trust),
  'logs_legacy': legacy(logs), 'read_normal': normal(read)}}, default=str))"#
    ));
    let (role, policy, profile, stream) = (
        &made["role"],
        &made["policy"],
        &made["profile"],
        &made["stream"],
    );
    let course = json!({"course": "de"});
    let mut state = terraform_state(&[
        (
            "aws_iam_role",
            "app",
            json!({
                "id": format!("{id}-app"), "name": format!("{id}-app"), "name_prefix": "",
                "arn": role["Arn"], "unique_id": role["RoleId"], "path": "/",
                "create_date": made["role_created"], "description": "",
                "assume_role_policy": made["trust_normal"], "force_detach_policies": false,
                "max_session_duration": 3600, "permissions_boundary": "",
                "managed_policy_arns": [policy["Arn"]],
                "inline_policy": [{"name": "logs", "policy": made["logs_legacy"]}],
                "tags": course, "tags_all": course
            }),
        ),
        (
            "aws_iam_role_policy",
            "logs",
            json!({
                "id": format!("{id}-app:logs"), "name": "logs", "name_prefix": "",
                "role": format!("{id}-app"), "policy": made["logs_legacy"]
            }),
        ),
        (
            "aws_iam_policy",
            "read",
            json!({
                "id": policy["Arn"], "arn": policy["Arn"], "name": format!("{id}-read"),
                "name_prefix": "", "path": "/", "description": "",
                "policy": made["read_normal"], "policy_id": policy["PolicyId"],
                "attachment_count": policy["AttachmentCount"],
                "tags": course, "tags_all": course
            }),
        ),
        (
            "aws_iam_role_policy_attachment",
            "read",
            json!({
                "id": format!("{id}-app/{}", policy["Arn"].as_str().unwrap_or_default()),
                "role": format!("{id}-app"), "policy_arn": policy["Arn"]
            }),
        ),
        (
            "aws_iam_instance_profile",
            "app",
            json!({
                "id": format!("{id}-app"), "name": format!("{id}-app"), "name_prefix": "",
                "arn": profile["Arn"], "unique_id": profile["InstanceProfileId"], "path": "/",
                "create_date": made["profile_created"], "role": format!("{id}-app"),
                "tags": course, "tags_all": course
            }),
        ),
        (
            "aws_kinesis_stream",
            "events",
            json!({
                "id": stream["StreamARN"], "arn": stream["StreamARN"],
                "name": format!("{id}-events"), "region": region,
                "encryption_type": stream["EncryptionType"], "kms_key_id": "",
                "enforce_consumer_deletion": false, "max_record_size_in_kib": 0,
                "retention_period": stream["RetentionPeriodHours"],
                "shard_count": stream["OpenShardCount"], "shard_level_metrics": [],
                "stream_mode_details": [{"stream_mode": stream["StreamModeDetails"]["StreamMode"]}],
                "tags": course, "tags_all": course
            }),
        ),
    ]);
    if let Some(resources) = state["resources"].as_array_mut() {
        resources.push(policy_document(
            "trust",
            &made["trust"],
            json!({
                "actions": ["sts:AssumeRole"],
                "principals": [{"type": "Service", "identifiers": ["glue.amazonaws.com"]}]
            }),
        ));
        resources.push(policy_document(
            "logs",
            &made["logs"],
            json!({"actions": ["logs:PutLogEvents"], "resources": ["*"]}),
        ));
    }
    take_over(&s, &state, &main_tf(&id), 6);
    assert_eq!(
        left(&id),
        json!({"roles": [], "policies": [], "profiles": [], "streams": []})
    );
}

/// The same configuration applied by labform: its state is what the provider's schemas
/// describe (every attribute, the stream at schema version 1); after a refresh the role
/// records, as the provider's read does, the policy the attachment added and the inline
/// policy; a plan changes nothing and destroy leaves nothing.
#[test]
fn labform_writes_iam_and_kinesis_states_of_the_providers_schemas() {
    let s = Stack::new();
    let id = format!("lf-{}", s.name().to_lowercase());
    s.file("main.tf", &main_tf(&id));
    s.run(&["apply", "-auto-approve"]).ok();
    let checked = assert_state_matches_provider_schemas(&s.state());
    assert_eq!(checked, 8, "six resources and two data sources");
    s.run(&["refresh"]).ok();
    let state = s.state();
    assert_state_matches_provider_schemas(&state);
    let attributes = |type_name: &str| {
        state["resources"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["type"] == type_name)
            .map(|r| r["instances"][0]["attributes"].clone())
            .unwrap_or_default()
    };
    let (role, policy) = (attributes("aws_iam_role"), attributes("aws_iam_policy"));
    assert_eq!(
        role["managed_policy_arns"],
        json!([policy["arn"]]),
        "{role}"
    );
    assert_eq!(role["inline_policy"][0]["name"], "logs", "{role}");
    s.run(&["plan", "-detailed-exitcode"])
        .code(0)
        .stdout_has("No changes");
    s.run(&["destroy", "-auto-approve"])
        .ok()
        .stdout_has("6 destroyed");
    assert_eq!(
        left(&id),
        json!({"roles": [], "policies": [], "profiles": [], "streams": []})
    );
}
