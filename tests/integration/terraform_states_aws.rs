//! A directory that Terraform with hashicorp/aws managed: objects made by another client
//! (boto3, against moto), and the `terraform.tfstate` Terraform would have written for them,
//! attribute by attribute from the provider's schema. labform reads it in place, plans no
//! change against the real API, and destroys the objects.

use serde_json::json;

use crate::aws_stacks::boto3;
use crate::common::Stack;
use crate::provider_schema::{take_over, terraform_state};

#[test]
fn a_terraform_state_of_aws_objects_plans_no_change_and_destroys() {
    let s = Stack::new();
    let id = s.name().to_lowercase();
    let bucket = format!("{id}-tf");
    let db = format!("{}_tf", id.replace('-', "_"));
    let made = boto3(&format!(
        r#"s3 = aws('s3'); ec2 = aws('ec2'); glue = aws('glue')
s3.create_bucket(Bucket='{bucket}')
s3.put_bucket_tagging(Bucket='{bucket}', Tagging={{'TagSet': [{{'Key': 'course', 'Value': 'de'}}]}})
s3.put_bucket_versioning(Bucket='{bucket}', VersioningConfiguration={{'Status': 'Enabled'}})
s3.put_public_access_block(Bucket='{bucket}', PublicAccessBlockConfiguration={{'BlockPublicAcls': True, 'BlockPublicPolicy': True, 'IgnorePublicAcls': True, 'RestrictPublicBuckets': True}})
glue.create_database(DatabaseInput={{'Name': '{db}'}})
account = aws('sts').get_caller_identity()['Account']
tags = [{{'ResourceType': t, 'Tags': [{{'Key': 'Name', 'Value': '{id}'}}]}} for t in ('vpc', 'subnet', 'security-group')]
vpc = ec2.create_vpc(CidrBlock='10.42.0.0/16', TagSpecifications=[tags[0]])['Vpc']
ec2.modify_vpc_attribute(VpcId=vpc['VpcId'], EnableDnsHostnames={{'Value': True}})
sn = ec2.create_subnet(VpcId=vpc['VpcId'], CidrBlock='10.42.1.0/24', AvailabilityZone='us-east-1a', TagSpecifications=[tags[1]])['Subnet']
sg = ec2.create_security_group(GroupName='{id}-sg', Description='Managed by Terraform', VpcId=vpc['VpcId'], TagSpecifications=[tags[2]])['GroupId']
rts = ec2.describe_route_tables(Filters=[{{'Name': 'vpc-id', 'Values': [vpc['VpcId']]}}])['RouteTables']
acls = ec2.describe_network_acls(Filters=[{{'Name': 'vpc-id', 'Values': [vpc['VpcId']]}}])['NetworkAcls']
sgs = ec2.describe_security_groups(Filters=[{{'Name': 'vpc-id', 'Values': [vpc['VpcId']]}}, {{'Name': 'group-name', 'Values': ['default']}}])['SecurityGroups']
egress = ec2.describe_security_groups(GroupIds=[sg])['SecurityGroups'][0]['IpPermissionsEgress']
print(json.dumps({{'account': account, 'vpc': vpc['VpcId'], 'dhcp': vpc.get('DhcpOptionsId', ''), 'subnet': sn['SubnetId'], 'az_id': sn.get('AvailabilityZoneId', ''), 'sg': sg, 'route_table': rts[0]['RouteTableId'], 'acl': acls[0]['NetworkAclId'], 'default_sg': sgs[0]['GroupId'], 'egress': len(egress)}}))"#
    ));
    let account = made["account"].as_str().expect("account");
    let (vpc, subnet, sg) = (&made["vpc"], &made["subnet"], &made["sg"]);
    let region = "us-east-1";
    let name_tag = json!({"Name": id});
    let egress_all = if made["egress"] == 0 {
        json!([])
    } else {
        json!([{
            "cidr_blocks": ["0.0.0.0/0"], "description": "", "from_port": 0,
            "ipv6_cidr_blocks": [], "prefix_list_ids": [], "protocol": "-1",
            "security_groups": [], "self": false, "to_port": 0
        }])
    };
    let state = terraform_state(&[
        (
            "aws_s3_bucket",
            "lake",
            json!({
                "id": bucket, "bucket": bucket, "bucket_prefix": "",
                "arn": format!("arn:aws:s3:::{bucket}"),
                "bucket_domain_name": format!("{bucket}.s3.amazonaws.com"),
                "bucket_regional_domain_name": format!("{bucket}.s3.{region}.amazonaws.com"),
                "hosted_zone_id": "Z3AQBSTGFYJSTF", "region": region, "bucket_region": region,
                "force_destroy": true, "object_lock_enabled": false,
                "acceleration_status": "", "request_payer": "BucketOwner", "policy": "",
                "tags": {"course": "de"}, "tags_all": {"course": "de"},
                "grant": [{"id": "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a",
                           "permissions": ["FULL_CONTROL"], "type": "CanonicalUser", "uri": ""}],
                "versioning": [{"enabled": true, "mfa_delete": false}],
                "server_side_encryption_configuration": [{"rule": [{
                    "apply_server_side_encryption_by_default": [{"kms_master_key_id": "", "sse_algorithm": "AES256"}],
                    "bucket_key_enabled": false}]}]
            }),
        ),
        (
            "aws_s3_bucket_versioning",
            "lake",
            json!({
                "id": bucket, "bucket": bucket, "expected_bucket_owner": "", "region": region,
                "versioning_configuration": [{"mfa_delete": "Disabled", "status": "Enabled"}]
            }),
        ),
        (
            "aws_s3_bucket_public_access_block",
            "lake",
            json!({
                "id": bucket, "bucket": bucket, "region": region,
                "block_public_acls": true, "block_public_policy": true,
                "ignore_public_acls": true, "restrict_public_buckets": true
            }),
        ),
        (
            "aws_glue_catalog_database",
            "lake",
            json!({
                "id": format!("{account}:{db}"), "name": db, "catalog_id": account,
                "arn": format!("arn:aws:glue:{region}:{account}:database/{db}"),
                "description": "", "location_uri": "", "parameters": {}, "region": region,
                "tags": {}, "tags_all": {},
                "create_table_default_permission": [{"permissions": ["ALL"],
                    "principal": [{"data_lake_principal_identifier": "IAM_ALLOWED_PRINCIPALS"}]}]
            }),
        ),
        (
            "aws_vpc",
            "main",
            json!({
                "id": vpc, "arn": format!("arn:aws:ec2:{region}:{account}:vpc/{}", vpc.as_str().unwrap_or_default()),
                "cidr_block": "10.42.0.0/16", "assign_generated_ipv6_cidr_block": false,
                "default_network_acl_id": made["acl"], "default_route_table_id": made["route_table"],
                "default_security_group_id": made["default_sg"], "dhcp_options_id": made["dhcp"],
                "enable_dns_hostnames": true, "enable_dns_support": true,
                "enable_network_address_usage_metrics": false, "instance_tenancy": "default",
                "ipv6_association_id": "", "ipv6_cidr_block": "",
                "ipv6_cidr_block_network_border_group": "", "ipv6_ipam_pool_id": "",
                "ipv6_netmask_length": 0, "main_route_table_id": made["route_table"],
                "owner_id": account, "region": region, "tags": name_tag, "tags_all": name_tag
            }),
        ),
        (
            "aws_subnet",
            "public",
            json!({
                "id": subnet, "arn": format!("arn:aws:ec2:{region}:{account}:subnet/{}", subnet.as_str().unwrap_or_default()),
                "vpc_id": vpc, "cidr_block": "10.42.1.0/24", "availability_zone": "us-east-1a",
                "availability_zone_id": made["az_id"], "assign_ipv6_address_on_creation": false,
                "customer_owned_ipv4_pool": "", "enable_dns64": false,
                "enable_lni_at_device_index": 0,
                "enable_resource_name_dns_a_record_on_launch": false,
                "enable_resource_name_dns_aaaa_record_on_launch": false,
                "ipv6_cidr_block": "", "ipv6_cidr_block_association_id": "", "ipv6_native": false,
                "map_customer_owned_ip_on_launch": false, "map_public_ip_on_launch": false,
                "outpost_arn": "", "owner_id": account, "private_dns_hostname_type_on_launch": "ip-name",
                "region": region, "tags": name_tag, "tags_all": name_tag
            }),
        ),
        (
            "aws_security_group",
            "web",
            json!({
                "id": sg, "arn": format!("arn:aws:ec2:{region}:{account}:security-group/{}", sg.as_str().unwrap_or_default()),
                "name": format!("{id}-sg"), "name_prefix": "", "description": "Managed by Terraform",
                "vpc_id": vpc, "owner_id": account, "region": region, "revoke_rules_on_delete": false,
                "ingress": [], "egress": egress_all, "tags": name_tag, "tags_all": name_tag
            }),
        ),
    ]);
    take_over(
        &s,
        &state,
        &format!(
            r#"
provider "aws" {{
  region = "{region}"
}}
resource "aws_s3_bucket" "lake" {{
  bucket        = "{bucket}"
  force_destroy = true
  tags          = {{ course = "de" }}
}}
resource "aws_s3_bucket_versioning" "lake" {{
  bucket = aws_s3_bucket.lake.id
  versioning_configuration {{
    status = "Enabled"
  }}
}}
resource "aws_s3_bucket_public_access_block" "lake" {{
  bucket                  = aws_s3_bucket.lake.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}}
resource "aws_glue_catalog_database" "lake" {{
  name = "{db}"
}}
resource "aws_vpc" "main" {{
  cidr_block           = "10.42.0.0/16"
  enable_dns_hostnames = true
  tags                 = {{ Name = "{id}" }}
}}
resource "aws_subnet" "public" {{
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.42.1.0/24"
  availability_zone = "us-east-1a"
  tags              = {{ Name = "{id}" }}
}}
resource "aws_security_group" "web" {{
  name   = "{id}-sg"
  vpc_id = aws_vpc.main.id
  tags   = {{ Name = "{id}" }}
}}
"#
        ),
        7,
    );
    let left = boto3(&format!(
        "ec2 = aws('ec2')\nprint(json.dumps({{'buckets': [b['Name'] for b in aws('s3').list_buckets()['Buckets'] if b['Name'] == '{bucket}'], 'dbs': [d['Name'] for d in aws('glue').get_databases()['DatabaseList'] if d['Name'] == '{db}'], 'vpcs': len(ec2.describe_vpcs(Filters=[{{'Name': 'vpc-id', 'Values': ['{}']}}])['Vpcs'])}}))",
        vpc.as_str().unwrap_or_default()
    ));
    assert_eq!(left, json!({"buckets": [], "dbs": [], "vpcs": 0}));
}

#[test]
fn a_terraform_state_of_network_key_and_bucket_settings_plans_no_change_and_destroys() {
    let s = Stack::new();
    let id = s.name().to_lowercase();
    let bucket = format!("{id}-set");
    let made = boto3(&format!(
        r#"s3 = aws('s3'); ec2 = aws('ec2')
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives import serialization
pub = ed25519.Ed25519PrivateKey.generate().public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()
account = aws('sts').get_caller_identity()['Account']
vpc = ec2.create_vpc(CidrBlock='10.43.0.0/16')['Vpc']['VpcId']
sn = ec2.create_subnet(VpcId=vpc, CidrBlock='10.43.1.0/24', AvailabilityZone='us-east-1a')['Subnet']['SubnetId']
igw = ec2.create_internet_gateway(TagSpecifications=[{{'ResourceType': 'internet-gateway', 'Tags': [{{'Key': 'Name', 'Value': '{id}'}}]}}])['InternetGateway']['InternetGatewayId']
ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
rt = ec2.create_route_table(VpcId=vpc)['RouteTable']['RouteTableId']
ec2.create_route(RouteTableId=rt, DestinationCidrBlock='0.0.0.0/0', GatewayId=igw)
assoc = ec2.associate_route_table(RouteTableId=rt, SubnetId=sn)['AssociationId']
sg = ec2.create_security_group(GroupName='{id}-web', Description='web', VpcId=vpc)['GroupId']
rule = ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{{'IpProtocol': 'tcp', 'FromPort': 443, 'ToPort': 443, 'IpRanges': [{{'CidrIp': '10.0.0.0/8', 'Description': 'https'}}]}}])['SecurityGroupRules'][0]['SecurityGroupRuleId']
key = ec2.import_key_pair(KeyName='{id}-key', PublicKeyMaterial=pub.encode())
s3.create_bucket(Bucket='{bucket}')
s3.put_object(Bucket='{bucket}', Key='raw/a.csv', Body=b'n,1\n', ContentType='text/csv')
head = s3.head_object(Bucket='{bucket}', Key='raw/a.csv')
s3.put_bucket_lifecycle_configuration(Bucket='{bucket}', LifecycleConfiguration={{'Rules': [{{'ID': 'expire-raw', 'Status': 'Enabled', 'Filter': {{'Prefix': 'raw/'}}, 'Expiration': {{'Days': 30}}}}]}})
s3.put_bucket_encryption(Bucket='{bucket}', ServerSideEncryptionConfiguration={{'Rules': [{{'ApplyServerSideEncryptionByDefault': {{'SSEAlgorithm': 'AES256'}}}}]}})
print(json.dumps({{'account': account, 'vpc': vpc, 'subnet': sn, 'igw': igw, 'rt': rt, 'assoc': assoc, 'sg': sg, 'rule': rule, 'pub': pub, 'fingerprint': key['KeyFingerprint'], 'key_pair_id': key.get('KeyPairId', ''), 'etag': head['ETag'].strip('"')}}))"#
    ));
    let account = made["account"].as_str().expect("account");
    let region = "us-east-1";
    let str_of = |k: &str| made[k].as_str().unwrap_or_default().to_string();
    let (vpc, subnet, igw, rt, sg) = (
        str_of("vpc"),
        str_of("subnet"),
        str_of("igw"),
        str_of("rt"),
        str_of("sg"),
    );
    let name_tag = json!({"Name": id});
    let route_to_igw = json!({
        "carrier_gateway_id": "", "cidr_block": "0.0.0.0/0", "core_network_arn": "",
        "destination_prefix_list_id": "", "egress_only_gateway_id": "", "gateway_id": igw,
        "ipv6_cidr_block": "", "local_gateway_id": "", "nat_gateway_id": "",
        "network_interface_id": "", "odb_network_arn": "", "transit_gateway_id": "",
        "vpc_endpoint_id": "", "vpc_peering_connection_id": ""
    });
    let state = terraform_state(&[
        (
            "aws_internet_gateway",
            "gw",
            json!({
                "id": igw, "arn": format!("arn:aws:ec2:{region}:{account}:internet-gateway/{igw}"),
                "owner_id": account, "region": region, "vpc_id": vpc,
                "tags": name_tag, "tags_all": name_tag
            }),
        ),
        (
            "aws_route_table",
            "public",
            json!({
                "id": rt, "arn": format!("arn:aws:ec2:{region}:{account}:route-table/{rt}"),
                "owner_id": account, "region": region, "vpc_id": vpc,
                "propagating_vgws": [], "route": [route_to_igw], "tags": {}, "tags_all": {}
            }),
        ),
        (
            "aws_route_table_association",
            "public",
            json!({
                "id": made["assoc"], "route_table_id": rt, "subnet_id": subnet,
                "gateway_id": "", "region": region
            }),
        ),
        (
            "aws_vpc_security_group_ingress_rule",
            "https",
            json!({
                "id": made["rule"], "security_group_rule_id": made["rule"],
                "arn": format!("arn:aws:ec2:{region}:{account}:security-group-rule/{}", str_of("rule")),
                "security_group_id": sg, "cidr_ipv4": "10.0.0.0/8", "description": "https",
                "from_port": 443, "to_port": 443, "ip_protocol": "tcp", "region": region,
                "tags": null, "tags_all": {}
            }),
        ),
        (
            "aws_key_pair",
            "lab",
            json!({
                "id": format!("{id}-key"), "key_name": format!("{id}-key"), "key_name_prefix": "",
                "arn": format!("arn:aws:ec2:{region}:{account}:key-pair/{id}-key"),
                "fingerprint": made["fingerprint"], "key_pair_id": made["key_pair_id"],
                "key_type": "ed25519", "public_key": made["pub"], "region": region,
                "tags": {}, "tags_all": {}
            }),
        ),
        (
            "aws_s3_object",
            "raw",
            json!({
                "id": format!("{bucket}/raw/a.csv"), "bucket": bucket, "key": "raw/a.csv",
                "arn": format!("arn:aws:s3:::{bucket}/raw/a.csv"),
                "content": "n,1\n", "content_type": "text/csv", "etag": made["etag"],
                "force_destroy": false, "region": region, "storage_class": "STANDARD",
                "server_side_encryption": "", "bucket_key_enabled": false,
                "acl": null, "kms_key_id": "", "version_id": "", "metadata": {},
                "tags": {}, "tags_all": {}
            }),
        ),
        (
            "aws_s3_bucket_lifecycle_configuration",
            "lake",
            json!({
                "id": bucket, "bucket": bucket, "expected_bucket_owner": "", "region": region,
                "transition_default_minimum_object_size": "all_storage_classes_128K",
                "rule": [{
                    "id": "expire-raw", "status": "Enabled", "prefix": "",
                    "filter": [{"prefix": "raw/", "object_size_greater_than": null, "object_size_less_than": null}],
                    "expiration": [{"days": 30, "expired_object_delete_marker": null}]
                }]
            }),
        ),
        (
            "aws_s3_bucket_server_side_encryption_configuration",
            "lake",
            json!({
                "id": bucket, "bucket": bucket, "expected_bucket_owner": "", "region": region,
                "rule": [{"bucket_key_enabled": false, "blocked_encryption_types": [],
                    "apply_server_side_encryption_by_default": [{"sse_algorithm": "AES256", "kms_master_key_id": ""}]}]
            }),
        ),
    ]);
    take_over(
        &s,
        &state,
        &format!(
            r#"
provider "aws" {{
  region = "{region}"
}}
resource "aws_internet_gateway" "gw" {{
  vpc_id = "{vpc}"
  tags   = {{ Name = "{id}" }}
}}
resource "aws_route_table" "public" {{
  vpc_id = "{vpc}"
  route {{
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.gw.id
  }}
}}
resource "aws_route_table_association" "public" {{
  subnet_id      = "{subnet}"
  route_table_id = aws_route_table.public.id
}}
resource "aws_vpc_security_group_ingress_rule" "https" {{
  security_group_id = "{sg}"
  cidr_ipv4         = "10.0.0.0/8"
  description       = "https"
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}}
resource "aws_key_pair" "lab" {{
  key_name   = "{id}-key"
  public_key = "{pub}"
}}
resource "aws_s3_object" "raw" {{
  bucket       = "{bucket}"
  key          = "raw/a.csv"
  content      = "n,1\n"
  content_type = "text/csv"
}}
resource "aws_s3_bucket_lifecycle_configuration" "lake" {{
  bucket = "{bucket}"
  rule {{
    id     = "expire-raw"
    status = "Enabled"
    filter {{
      prefix = "raw/"
    }}
    expiration {{
      days = 30
    }}
  }}
}}
resource "aws_s3_bucket_server_side_encryption_configuration" "lake" {{
  bucket = "{bucket}"
  rule {{
    apply_server_side_encryption_by_default {{
      sse_algorithm = "AES256"
    }}
  }}
}}
"#,
            pub = str_of("pub"),
        ),
        8,
    );
    let left = boto3(&format!(
        "ec2 = aws('ec2'); s3 = aws('s3')\n\
         igws = ec2.describe_internet_gateways(Filters=[{{'Name': 'internet-gateway-id', 'Values': ['{igw}']}}])['InternetGateways']\n\
         keys = [k for k in ec2.describe_key_pairs()['KeyPairs'] if k['KeyName'] == '{id}-key']\n\
         objects = s3.list_objects_v2(Bucket='{bucket}').get('KeyCount', 0)\n\
         print(json.dumps({{'igws': len(igws), 'keys': len(keys), 'objects': objects}}))"
    ));
    assert_eq!(left, json!({"igws": 0, "keys": 0, "objects": 0}));
}
