//! `stacks/dlai-modules`, laid out as the DeepLearning.AI labs are (two local modules, state in
//! an S3 bucket made beforehand, a VPC and subnet made outside read through data sources),
//! through the binary against moto; checked with boto3 as a separate client.

use serde_json::Value as Json;

use crate::aws_stacks::boto3;
use crate::common::copy_stack;

#[test]
fn dlai_lab_with_modules_and_s3_state_applies_plans_clean_and_destroys() {
    let s = copy_stack("dlai-modules");
    let id = s.name().to_lowercase();
    let state_bucket = format!("{id}-tfstate");
    let project = format!("dl{}", &id[id.len().saturating_sub(8)..]);
    // What the lab account has before the lab: the state bucket, a VPC and a subnet.
    let made = boto3(&format!(
        "s3 = aws('s3'); ec2 = aws('ec2')\n\
         s3.create_bucket(Bucket='{state_bucket}')\n\
         vpc = ec2.create_vpc(CidrBlock='10.20.0.0/16')['Vpc']['VpcId']\n\
         sn = ec2.create_subnet(VpcId=vpc, CidrBlock='10.20.1.0/24', AvailabilityZone='us-east-1a')['Subnet']['SubnetId']\n\
         print(json.dumps({{'vpc': vpc, 'subnet': sn}}))"
    ));
    let vars = [
        format!("project={project}"),
        format!("vpc_id={}", made["vpc"].as_str().unwrap()),
        format!("private_subnet_a_id={}", made["subnet"].as_str().unwrap()),
    ];
    let with_vars = |cmd: &[&str]| {
        let mut a: Vec<&str> = cmd.to_vec();
        for v in &vars {
            a.extend(["-var", v.as_str()]);
        }
        s.run(&a)
    };

    s.run(&["init", &format!("-backend-config=bucket={state_bucket}")])
        .ok()
        .stdout_has(&format!("bucket={state_bucket}"));
    with_vars(&["apply", "-auto-approve"])
        .ok()
        .stdout_has("module.data_lake.aws_s3_bucket.data_lake")
        .stdout_has("lab_vpc_cidr         = \"10.20.0.0/16\"");

    // The state is in the bucket (nothing local), with Terraform's module addresses.
    assert!(!s.path().join(".labform/state.json").exists());
    let state = boto3(&format!(
        "print(aws('s3').get_object(Bucket='{state_bucket}', Key='de-c1w2/terraform.tfstate')['Body'].read().decode())"
    ));
    let modules: Vec<&str> = state["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["module"].as_str())
        .collect();
    assert!(modules.contains(&"module.data_lake"), "{modules:?}");
    assert!(modules.contains(&"module.access"), "{modules:?}");

    // What the modules made, read back.
    let bucket = state["outputs"]["data_lake_bucket"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(bucket.starts_with(&format!("{project}-")), "{bucket}");
    let seen = boto3(&format!(
        "s3 = aws('s3'); ec2 = aws('ec2')\n\
         body = s3.get_object(Bucket='{bucket}', Key='raw/ratings/ratings.csv')['Body'].read().decode()\n\
         sg = ec2.describe_security_groups(Filters=[{{'Name': 'group-name', 'Values': ['{project}-db']}}])['SecurityGroups'][0]\n\
         role = aws('iam').get_role(RoleName='{project}-glue-role')['Role']\n\
         print(json.dumps({{'versioning': s3.get_bucket_versioning(Bucket='{bucket}').get('Status'), 'body': body, 'sg_vpc': sg['VpcId'], 'sg_cidr': sg['IpPermissions'][0]['IpRanges'][0]['CidrIp'], 'glue': aws('glue').get_database(Name='{db}')['Database']['LocationUri'], 'trust': role['AssumeRolePolicyDocument']['Statement'][0]['Principal']['Service']}}))",
        db = format!("{project}_analytics").replace('-', "_"),
    ));
    assert_eq!(seen["versioning"], "Enabled");
    assert!(seen["body"]
        .as_str()
        .unwrap()
        .starts_with("user_id,movie_id,rating"));
    assert_eq!(seen["sg_vpc"], made["vpc"]);
    assert_eq!(seen["sg_cidr"], "10.20.0.0/16");
    assert_eq!(
        seen["glue"],
        Json::String(format!("s3://{bucket}/curated/"))
    );
    assert_eq!(seen["trust"], "glue.amazonaws.com");

    with_vars(&["plan", "-detailed-exitcode"]).code(0);

    with_vars(&["destroy", "-auto-approve"])
        .ok()
        .stdout_has("Nothing is left in state");
    let left = boto3(&format!(
        "ec2 = aws('ec2')\n\
         print(json.dumps({{'buckets': [b['Name'] for b in aws('s3').list_buckets()['Buckets'] if b['Name'] == '{bucket}'], 'sgs': len(ec2.describe_security_groups(Filters=[{{'Name': 'group-name', 'Values': ['{project}-db']}}])['SecurityGroups']), 'roles': [r['RoleName'] for r in aws('iam').list_roles()['Roles'] if r['RoleName'] == '{project}-glue-role'], 'vpc': len(ec2.describe_vpcs(VpcIds=['{vpc}'])['Vpcs'])}}))",
        vpc = made["vpc"].as_str().unwrap(),
    ));
    assert_eq!(left["buckets"], serde_json::json!([]));
    assert_eq!(left["sgs"], 0);
    assert_eq!(left["roles"], serde_json::json!([]));
    // What the lab did not make stays.
    assert_eq!(left["vpc"], 1);
}
