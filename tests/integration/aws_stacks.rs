//! The AWS stacks through the binary, against moto's server started by the test harness;
//! checked with boto3 (from the harness's venv) as a separate client.

use std::process::Command;

use serde_json::Value as Json;

use crate::common::{copy_stack, harness_env as env, Stack};

/// Runs a boto3 snippet that prints one JSON document; `aws` is a function making clients.
pub(crate) fn boto3(code: &str) -> Json {
    let script = format!(
        "import boto3, json, os\ndef aws(s): return boto3.client(s, endpoint_url=os.environ['AWS_ENDPOINT_URL'], region_name='us-east-1')\n{code}"
    );
    let out = Command::new(env("LABFORM_TEST_PYTHON"))
        .args(["-c", &script])
        .output()
        .expect("python");
    assert!(
        out.status.success(),
        "boto3 failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&out.stdout)))
}

fn run_with(s: &Stack, cmd: &[&str], vars: &[String]) -> crate::common::Run {
    let mut a: Vec<&str> = cmd.to_vec();
    for v in vars {
        a.extend(["-var", v.as_str()]);
    }
    s.run(&a)
}

#[test]
fn aws_datalake_applies_and_destroys_a_versioned_bucket_holding_versions() {
    let s = copy_stack("aws-datalake");
    let id = s.name().to_lowercase();
    let bucket = format!("{id}-lake");
    let vars = vec![
        format!("bucket_name={bucket}"),
        format!("glue_database_name={}_db", id.replace('-', "_")),
    ];
    run_with(&s, &["apply", "-auto-approve"], &vars).ok();
    crate::provider_schema::assert_state_matches_provider_schemas(&s.state());

    let b = boto3(&format!(
        "s3 = aws('s3')\nprint(json.dumps({{'tags': s3.get_bucket_tagging(Bucket='{bucket}')['TagSet'], 'versioning': s3.get_bucket_versioning(Bucket='{bucket}').get('Status'), 'block': s3.get_public_access_block(Bucket='{bucket}')['PublicAccessBlockConfiguration'], 'rules': len(s3.get_bucket_lifecycle_configuration(Bucket='{bucket}')['Rules'])}}))"
    ));
    assert!(
        b["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["Key"] == "managed-by" && t["Value"] == "labform"),
        "{b}"
    );
    assert!(
        b["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["Key"] == "labform-stack" && t["Value"] == s.name()),
        "{b}"
    );
    assert_eq!(b["versioning"], "Enabled");
    assert_eq!(b["block"]["BlockPublicAcls"], true);
    assert!(b["rules"].as_u64().unwrap_or(0) >= 1);
    let db = boto3(&format!(
        "print(json.dumps(aws('glue').get_database(Name='{}_db')['Database']['Name']))",
        id.replace('-', "_")
    ));
    assert_eq!(db, Json::String(format!("{}_db", id.replace('-', "_"))));

    run_with(&s, &["plan", "-detailed-exitcode"], &vars).code(0);

    // Versions and a delete marker written outside labform; force_destroy removes them all.
    boto3(&format!(
        "s3 = aws('s3')\nfor i in range(3): s3.put_object(Bucket='{bucket}', Key='raw/a.csv', Body=str(i).encode())\ns3.delete_object(Bucket='{bucket}', Key='raw/a.csv')\nprint('1')"
    ));
    run_with(&s, &["destroy", "-auto-approve"], &vars)
        .ok()
        .stdout_has("Nothing is left in state");
    let left = boto3(&format!("print(json.dumps([b['Name'] for b in aws('s3').list_buckets()['Buckets'] if b['Name'] == '{bucket}']))"));
    assert_eq!(left, serde_json::json!([]));
}

#[test]
fn aws_vpc_ec2_stack_runs_end_to_end_and_tears_down_in_order() {
    let s = copy_stack("aws-vpc-ec2");
    let name = s.name();
    let vars = vec![
        "ssh_cidr=203.0.113.7/32".to_string(),
        format!("project={}", name.to_lowercase()),
    ];
    run_with(&s, &["apply", "-auto-approve"], &vars)
        .ok()
        .stdout_has("instance_public_ip");
    crate::provider_schema::assert_state_matches_provider_schemas(&s.state());
    let filter = format!("[{{'Name': 'tag:labform-stack', 'Values': ['{name}']}}]");
    let found = boto3(&format!(
        "ec2 = aws('ec2')\nf = {filter}\nprint(json.dumps({{'vpcs': len(ec2.describe_vpcs(Filters=f)['Vpcs']), 'subnets': len(ec2.describe_subnets(Filters=f)['Subnets']), 'running': [i['State']['Name'] for r in ec2.describe_instances(Filters=f)['Reservations'] for i in r['Instances']]}}))"
    ));
    assert_eq!(found["vpcs"], 1, "{found}");
    assert_eq!(found["subnets"], 1, "{found}");
    assert_eq!(found["running"], serde_json::json!(["running"]), "{found}");

    run_with(&s, &["plan", "-detailed-exitcode"], &vars).code(0);
    run_with(&s, &["destroy", "-auto-approve"], &vars)
        .ok()
        .stdout_has("Nothing is left in state")
        .nowhere("DependencyViolation");
    let after = boto3(&format!(
        "ec2 = aws('ec2')\nf = {filter}\nprint(json.dumps({{'vpcs': len(ec2.describe_vpcs(Filters=f)['Vpcs']), 'live': [i['State']['Name'] for r in ec2.describe_instances(Filters=f)['Reservations'] for i in r['Instances'] if i['State']['Name'] != 'terminated']}}))"
    ));
    assert_eq!(after["vpcs"], 0, "{after}");
    assert_eq!(after["live"], serde_json::json!([]), "{after}");
}

/// The labs' IAM shape: a role trusting Glue through `data "aws_iam_policy_document"`, an
/// AWS-managed policy attached, a customer policy attached, an inline policy, an instance
/// profile. Applies, plans clean (the rendered JSON is stable), destroys to nothing.
#[test]
fn aws_iam_role_with_policies_applies_plans_clean_and_destroys() {
    let s = Stack::new();
    let role = format!("lf-{}", s.name().to_lowercase());
    s.file(
        "main.tf",
        &format!(
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

data "aws_iam_policy_document" "lake" {{
  statement {{
    sid       = "ReadLake"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = ["arn:aws:s3:::lake", "arn:aws:s3:::lake/*"]
  }}
}}

resource "aws_iam_role" "glue" {{
  name               = "{role}"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}}

resource "aws_iam_role_policy_attachment" "service" {{
  role       = aws_iam_role.glue.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"
}}

resource "aws_iam_policy" "lake" {{
  name_prefix = "lf-lake-"
  policy      = data.aws_iam_policy_document.lake.json
}}

resource "aws_iam_role_policy_attachment" "lake" {{
  role       = aws_iam_role.glue.name
  policy_arn = aws_iam_policy.lake.arn
}}

resource "aws_iam_role_policy" "inline" {{
  name   = "logs"
  role   = aws_iam_role.glue.id
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = "logs:PutLogEvents", Resource = "*" }}]
  }})
}}

resource "aws_iam_instance_profile" "p" {{
  name = "{role}"
  role = aws_iam_role.glue.name
}}

output "trust" {{
  value = data.aws_iam_policy_document.trust.json
}}
"#
        ),
    );
    s.run(&["apply", "-auto-approve"]).ok();

    let got = boto3(&format!(
        "iam = aws('iam')\nr = iam.get_role(RoleName='{role}')['Role']\nprint(json.dumps({{'trust': r['AssumeRolePolicyDocument'], 'attached': sorted(p['PolicyArn'].split('/')[-1][:7] for p in iam.list_attached_role_policies(RoleName='{role}')['AttachedPolicies']), 'inline': iam.list_role_policies(RoleName='{role}')['PolicyNames'], 'profile': [x['RoleName'] for x in iam.get_instance_profile(InstanceProfileName='{role}')['InstanceProfile']['Roles']]}}))"
    ));
    assert_eq!(
        got["trust"]["Statement"][0]["Principal"]["Service"], "glue.amazonaws.com",
        "{got}"
    );
    assert_eq!(got["attached"], serde_json::json!(["AWSGlue", "lf-lake"]));
    assert_eq!(got["inline"], serde_json::json!(["logs"]));
    assert_eq!(got["profile"], serde_json::json!([role]));
    // The rendered document is the provider's text, byte for byte.
    s.run(&["output", "-raw", "trust"]).ok().stdout_has(
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"sts:AssumeRole\",\n      \"Principal\": {\n        \"Service\": \"glue.amazonaws.com\"\n      }\n    }\n  ]\n}",
    );

    s.run(&["plan", "-detailed-exitcode"]).code(0);

    // As Terraform's state may leave it: no recorded dependencies. Destroy still deletes the
    // profile and the attachments before the role, from the configuration's references.
    let mut state = s.state();
    for r in state["resources"].as_array_mut().expect("resources") {
        for i in r["instances"].as_array_mut().expect("instances") {
            if let Some(o) = i.as_object_mut() {
                o.remove("dependencies");
            }
        }
    }
    s.file(".labform/state.json", &state.to_string());
    s.run(&["destroy", "-auto-approve"])
        .ok()
        .stdout_has("Nothing is left in state");
    let left = boto3(&format!(
        "iam = aws('iam')\nprint(json.dumps({{'roles': [r['RoleName'] for r in iam.list_roles()['Roles'] if r['RoleName'] == '{role}'], 'policies': [p['PolicyName'] for p in iam.list_policies(Scope='Local')['Policies'] if p['PolicyName'].startswith('lf-lake-') and any(t['Key'] == 'labform-stack' and t['Value'] == '{stack}' for t in iam.list_policy_tags(PolicyArn=p['Arn'])['Tags'])], 'profiles': [p['InstanceProfileName'] for p in iam.list_instance_profiles()['InstanceProfiles'] if p['InstanceProfileName'] == '{role}']}}))",
        stack = s.name()
    ));
    assert_eq!(
        left,
        serde_json::json!({"roles": [], "policies": [], "profiles": []})
    );
}
