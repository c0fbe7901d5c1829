//! The AWS kill campaign: applies and destroys of a few dozen objects against moto, killed with
//! SIGKILL at random moments, counted after each step by boto3 (a separate client) through the
//! stack's mark. Zero orphans, zero duplicates, and a converging apply and destroy.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::campaign::Campaign;
use crate::common::{harness_env, Stack};

const VPCS: usize = 12;
const GROUPS: usize = 4;
const OBJECTS: usize = 4;
const ROLES: usize = 3;
/// What the stack makes that carries its mark: VPCs and subnets, security groups, an internet
/// gateway, a route table, an instance, a bucket and its objects, IAM roles, a policy, an
/// instance profile and a Kinesis stream.
const MARKED: usize = VPCS * 2 + GROUPS + 1 + 1 + 1 + 1 + OBJECTS + ROLES + 1 + 1 + 1;

/// `stack` names what must be unique in the (shared) account: the Kinesis stream.
fn stack_tf(stack: &str) -> String {
    format!(
        r#"
provider "aws" {{
  region = "us-east-1"
}}

data "aws_iam_policy_document" "assume" {{
  statement {{
    actions = ["sts:AssumeRole"]
    principals {{
      type        = "Service"
      identifiers = ["glue.amazonaws.com", "ec2.amazonaws.com"]
    }}
  }}
}}

resource "aws_iam_role" "r" {{
  count              = {ROLES}
  name_prefix        = "kill-"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}}

resource "aws_iam_policy" "p" {{
  name_prefix = "kill-"
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = ["s3:GetObject"], Resource = "${{aws_s3_bucket.b.arn}}/*" }}]
  }})
}}

resource "aws_iam_role_policy_attachment" "a" {{
  count      = {ROLES}
  role       = aws_iam_role.r[count.index].name
  policy_arn = aws_iam_policy.p.arn
}}

resource "aws_iam_instance_profile" "ip" {{
  name_prefix = "kill-"
  role        = aws_iam_role.r[0].name
}}

resource "aws_kinesis_stream" "k" {{
  name        = "{stack}-events"
  shard_count = 1
}}

data "aws_ami" "al2" {{
  most_recent = true
  owners      = ["amazon"]
  filter {{
    name   = "name"
    values = ["amzn2-ami-hvm-*-x86_64-gp2"]
  }}
}}

resource "aws_vpc" "v" {{
  count      = {VPCS}
  cidr_block = "10.${{count.index}}.0.0/16"
  tags       = {{ Name = "kill-${{count.index}}" }}
}}

resource "aws_subnet" "s" {{
  count      = {VPCS}
  vpc_id     = aws_vpc.v[count.index].id
  cidr_block = "10.${{count.index}}.1.0/24"
}}

resource "aws_security_group" "g" {{
  count       = {GROUPS}
  name_prefix = "kill-"
  vpc_id      = aws_vpc.v[count.index].id
  ingress {{
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }}
}}

resource "aws_internet_gateway" "gw" {{
  vpc_id = aws_vpc.v[0].id
}}

resource "aws_route_table" "rt" {{
  vpc_id = aws_vpc.v[0].id
  route {{
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.gw.id
  }}
}}

resource "aws_route_table_association" "a" {{
  subnet_id      = aws_subnet.s[0].id
  route_table_id = aws_route_table.rt.id
}}

resource "aws_instance" "i" {{
  ami                    = data.aws_ami.al2.id
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.s[1].id
  vpc_security_group_ids = [aws_security_group.g[1].id]
}}

resource "aws_s3_bucket" "b" {{
  bucket_prefix = "kill-"
  force_destroy = true
}}

resource "aws_s3_object" "o" {{
  count   = {OBJECTS}
  bucket  = aws_s3_bucket.b.id
  key     = "raw/${{count.index}}.csv"
  content = "n,${{count.index}}"
}}
"#
    )
}

/// How many objects carrying `labform-stack = stack` exist, by boto3 (terminated instances do
/// not count: they stay listed for a while).
fn count_marked(stack: &str) -> usize {
    let script = format!(
        r#"
import boto3, os
E = os.environ["AWS_ENDPOINT_URL"]
ec2 = boto3.client("ec2", endpoint_url=E, region_name="us-east-1")
s3 = boto3.client("s3", endpoint_url=E, region_name="us-east-1")
S = {stack:?}
F = [{{"Name": "tag:labform-stack", "Values": [S]}}]
n = len(ec2.describe_vpcs(Filters=F)["Vpcs"])
n += len(ec2.describe_subnets(Filters=F)["Subnets"])
n += len(ec2.describe_security_groups(Filters=F)["SecurityGroups"])
n += len(ec2.describe_internet_gateways(Filters=F)["InternetGateways"])
n += len(ec2.describe_route_tables(Filters=F)["RouteTables"])
n += len([i for r in ec2.describe_instances(Filters=F)["Reservations"] for i in r["Instances"]
          if i["State"]["Name"] not in ("terminated", "shutting-down")])
def tags(call, **kw):
    try:
        return {{t["Key"]: t["Value"] for t in call(**kw)["TagSet"]}}
    except Exception:
        return {{}}
for b in s3.list_buckets()["Buckets"]:
    if tags(s3.get_bucket_tagging, Bucket=b["Name"]).get("labform-stack") != S:
        continue
    n += 1
    for o in s3.list_objects_v2(Bucket=b["Name"]).get("Contents", []):
        n += tags(s3.get_object_tagging, Bucket=b["Name"], Key=o["Key"]).get("labform-stack") == S
iam = boto3.client("iam", endpoint_url=E, region_name="us-east-1")
def marked(tags):
    return {{t["Key"]: t["Value"] for t in tags}}.get("labform-stack") == S
def every(client, call, key, **kw):
    for page in client.get_paginator(call).paginate(**kw):
        yield from page[key]
for r in every(iam, "list_roles", "Roles"):
    n += marked(iam.list_role_tags(RoleName=r["RoleName"])["Tags"])
for p in every(iam, "list_policies", "Policies", Scope="Local"):
    n += marked(iam.list_policy_tags(PolicyArn=p["Arn"])["Tags"])
for p in every(iam, "list_instance_profiles", "InstanceProfiles"):
    # moto has no ListInstanceProfileTags; GetInstanceProfile carries the tags.
    got = iam.get_instance_profile(InstanceProfileName=p["InstanceProfileName"])
    n += marked(got["InstanceProfile"].get("Tags", []))
kin = boto3.client("kinesis", endpoint_url=E, region_name="us-east-1")
for name in every(kin, "list_streams", "StreamNames"):
    n += marked(kin.list_tags_for_stream(StreamName=name)["Tags"])
print(n)
"#
    );
    let out = Command::new(harness_env("LABFORM_TEST_PYTHON"))
        .args(["-c", &script])
        .output()
        .expect("run the test python");
    assert!(
        out.status.success(),
        "boto3 count failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("boto3 printed no count: {out:?}"))
}

#[test]
fn kill_campaign_on_aws_leaves_no_orphan_and_no_duplicate() {
    // Before anything runs: moto on loopback, or the test fails here saying why.
    harness_env("AWS_ENDPOINT_URL");
    let s = Stack::new();
    let stack = s.name();
    s.file("main.tf", &stack_tf(&stack));
    let count = || count_marked(&stack);

    // The kill window comes from a measured apply and destroy of the whole stack (the second of
    // each: the first calls to moto are slow), the shorter of the two, so that kills land while
    // work is in flight in either.
    s.run(&["apply", "-auto-approve"]).ok();
    assert_eq!(
        count(),
        MARKED,
        "a full apply made another number of objects"
    );
    let timed = |args: &[&str]| {
        let started = Instant::now();
        s.run(args).ok();
        started.elapsed()
    };
    let destroy_time = timed(&["destroy", "-auto-approve"]);
    assert_eq!(count(), 0, "a full destroy left objects");
    let apply_time = timed(&["apply", "-auto-approve"]);
    assert_eq!(
        count(),
        MARKED,
        "a second apply made another number of objects"
    );
    s.run(&["destroy", "-auto-approve"]).ok();
    let window = apply_time.min(destroy_time).max(Duration::from_millis(300));
    eprintln!(
        "[aws] {MARKED} marked objects: a full apply took {apply_time:?}, a full destroy \
         {destroy_time:?}: kill window {window:?}"
    );

    // Some runs finish before their kill (an apply with nothing left to do is quick): twenty
    // attempts give at least ten real kills.
    let mut campaign = Campaign::new(&s, MARKED).window(window);
    campaign.kills = 20;
    let report = campaign.run("aws", count);
    assert!(
        report.kills >= 10,
        "too few runs were still going when killed: {report:?}"
    );
}
