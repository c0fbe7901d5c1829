//! A directory Terraform with hashicorp/aws managed, with the EC2 types a course's "VPC with an
//! instance" stack adds: an instance, a route of its own, an old-style `aws_security_group_rule`
//! and an `aws_vpc_security_group_egress_rule`. The objects are made by boto3 against moto; the
//! state is what the Go provider's read functions store for them (zero values where the API
//! gives nothing, blocks the API fills, the rule id as the provider hashes it).

use serde_json::json;

use crate::aws_stacks::boto3;
use crate::common::Stack;
use crate::provider_schema::{take_over, terraform_state};

#[test]
fn a_terraform_state_of_an_instance_route_and_rules_plans_no_change_and_destroys() {
    let s = Stack::new();
    let id = s.name().to_lowercase();
    let made = boto3(&format!(
        r#"ec2 = aws('ec2')
import zlib
account = aws('sts').get_caller_identity()['Account']
ami = sorted(i['ImageId'] for i in ec2.describe_images(Owners=['amazon'])['Images'] if i.get('RootDeviceType') == 'ebs')[0]
vpc = ec2.create_vpc(CidrBlock='10.44.0.0/16')['Vpc']['VpcId']
sn = ec2.create_subnet(VpcId=vpc, CidrBlock='10.44.1.0/24', AvailabilityZone='us-east-1a')['Subnet']['SubnetId']
igw = ec2.create_internet_gateway()['InternetGateway']['InternetGatewayId']
ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
rt = ec2.create_route_table(VpcId=vpc)['RouteTable']['RouteTableId']
ec2.create_route(RouteTableId=rt, DestinationCidrBlock='0.0.0.0/0', GatewayId=igw)
sg = ec2.create_security_group(GroupName='{id}-ssh', Description='ssh', VpcId=vpc)['GroupId']
ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{{'IpProtocol': 'tcp', 'FromPort': 22, 'ToPort': 22, 'IpRanges': [{{'CidrIp': '10.0.0.0/8'}}]}}])
out = ec2.authorize_security_group_egress(GroupId=sg, IpPermissions=[{{'IpProtocol': 'tcp', 'FromPort': 5432, 'ToPort': 5432, 'IpRanges': [{{'CidrIp': '10.44.0.0/16', 'Description': 'postgres'}}]}}])
egress = out['SecurityGroupRules'][0]['SecurityGroupRuleId']
i = ec2.run_instances(ImageId=ami, InstanceType='t2.micro', MinCount=1, MaxCount=1, SubnetId=sn, SecurityGroupIds=[sg], TagSpecifications=[{{'ResourceType': 'instance', 'Tags': [{{'Key': 'Name', 'Value': '{id}'}}]}}])['Instances'][0]
i = ec2.describe_instances(InstanceIds=[i['InstanceId']])['Reservations'][0]['Instances'][0]
root = [m for m in i.get('BlockDeviceMappings', []) if m['DeviceName'] == i.get('RootDeviceName')]
vol = ec2.describe_volumes(VolumeIds=[root[0]['Ebs']['VolumeId']])['Volumes'][0] if root else {{}}
print(json.dumps({{'account': account, 'ami': ami, 'vpc': vpc, 'subnet': sn, 'igw': igw, 'rt': rt, 'sg': sg, 'egress': egress,
  'ssh_rule_id': 'sgrule-%d' % zlib.crc32(('%s-22-22-tcp-ingress-10.0.0.0/8-' % sg).encode()),
  'instance': i['InstanceId'], 'az': i['Placement']['AvailabilityZone'], 'tenancy': i['Placement'].get('Tenancy', 'default'),
  'private_ip': i.get('PrivateIpAddress', ''), 'private_dns': i.get('PrivateDnsName', ''),
  'public_ip': i.get('PublicIpAddress', ''), 'public_dns': i.get('PublicDnsName', ''),
  'eni': i['NetworkInterfaces'][0]['NetworkInterfaceId'] if i.get('NetworkInterfaces') else '',
  'root_device': i.get('RootDeviceName', ''), 'root_volume': vol.get('VolumeId', ''),
  'root_size': vol.get('Size', 0), 'root_type': vol.get('VolumeType', ''), 'root_iops': vol.get('Iops', 0),
  'root_encrypted': vol.get('Encrypted', False), 'root_delete': root[0]['Ebs'].get('DeleteOnTermination', True) if root else True,
  'monitoring': i.get('Monitoring', {{}}).get('State', 'disabled') in ('enabled', 'pending'),
  'ebs_optimized': i.get('EbsOptimized', False), 'source_dest_check': i.get('SourceDestCheck', True)}}))"#
    ));
    let account = made["account"].as_str().expect("account");
    let region = "us-east-1";
    let str_of = |k: &str| made[k].as_str().unwrap_or_default().to_string();
    let (vpc, subnet, igw, rt, sg, instance) = (
        str_of("vpc"),
        str_of("subnet"),
        str_of("igw"),
        str_of("rt"),
        str_of("sg"),
        str_of("instance"),
    );
    let name_tag = json!({"Name": id});
    let state = terraform_state(&[
        (
            "aws_route",
            "out",
            json!({
                // The provider's route id: "r-" + route table id + the CRC-32 of the destination.
                "id": format!("r-{rt}1080289494"), "route_table_id": rt,
                "destination_cidr_block": "0.0.0.0/0", "destination_ipv6_cidr_block": "",
                "destination_prefix_list_id": "", "gateway_id": igw,
                "carrier_gateway_id": "", "core_network_arn": "", "egress_only_gateway_id": "",
                "instance_id": "", "instance_owner_id": "", "local_gateway_id": "",
                "nat_gateway_id": "", "network_interface_id": "", "odb_network_arn": "",
                "origin": "CreateRoute", "state": "active", "transit_gateway_id": "",
                "vpc_endpoint_id": "", "vpc_peering_connection_id": "", "region": region
            }),
        ),
        (
            "aws_security_group_rule",
            "ssh",
            json!({
                "id": made["ssh_rule_id"], "security_group_id": sg, "type": "ingress",
                "protocol": "tcp", "from_port": 22, "to_port": 22,
                "cidr_blocks": ["10.0.0.0/8"], "ipv6_cidr_blocks": null, "prefix_list_ids": null,
                "self": false, "source_security_group_id": null, "description": "",
                "security_group_rule_id": "", "region": region
            }),
        ),
        (
            "aws_vpc_security_group_egress_rule",
            "postgres",
            json!({
                "id": made["egress"], "security_group_rule_id": made["egress"],
                "arn": format!("arn:aws:ec2:{region}:{account}:security-group-rule/{}", str_of("egress")),
                "security_group_id": sg, "cidr_ipv4": "10.44.0.0/16", "description": "postgres",
                "from_port": 5432, "to_port": 5432, "ip_protocol": "tcp", "region": region,
                "tags": null, "tags_all": {}
            }),
        ),
        (
            "aws_instance",
            "web",
            json!({
                "id": instance, "arn": format!("arn:aws:ec2:{region}:{account}:instance/{instance}"),
                "ami": made["ami"], "instance_type": "t2.micro", "subnet_id": subnet,
                "availability_zone": made["az"], "tenancy": made["tenancy"],
                "vpc_security_group_ids": [sg], "security_groups": [],
                "associate_public_ip_address": !str_of("public_ip").is_empty(),
                "private_ip": made["private_ip"], "private_dns": made["private_dns"],
                "public_ip": made["public_ip"], "public_dns": made["public_dns"],
                "primary_network_interface_id": made["eni"], "instance_state": "running",
                "key_name": "", "monitoring": made["monitoring"], "ebs_optimized": made["ebs_optimized"],
                "source_dest_check": made["source_dest_check"], "get_password_data": false,
                "password_data": "", "force_destroy": false, "user_data_replace_on_change": false,
                "disable_api_stop": false, "disable_api_termination": false,
                "hibernation": false, "host_id": "", "host_resource_group_arn": "",
                "iam_instance_profile": "", "instance_initiated_shutdown_behavior": "stop",
                "instance_lifecycle": "", "ipv6_address_count": 0, "ipv6_addresses": [],
                "enable_primary_ipv6": null, "outpost_arn": "", "placement_group": "",
                "placement_group_id": "", "placement_partition_number": 0,
                "secondary_private_ips": [], "spot_instance_request_id": "",
                "user_data": null, "user_data_base64": null, "volume_tags": null,
                "region": region, "tags": name_tag, "tags_all": name_tag,
                "root_block_device": [{
                    "delete_on_termination": made["root_delete"], "device_name": made["root_device"],
                    "encrypted": made["root_encrypted"], "iops": made["root_iops"], "kms_key_id": "",
                    "tags": {}, "tags_all": {}, "throughput": 0, "volume_id": made["root_volume"],
                    "volume_size": made["root_size"], "volume_type": made["root_type"]
                }],
                "credit_specification": [{"cpu_credits": "standard"}],
                "metadata_options": [{"http_endpoint": "enabled", "http_protocol_ipv6": "disabled",
                    "http_put_response_hop_limit": 1, "http_tokens": "optional",
                    "instance_metadata_tags": "disabled"}],
                "maintenance_options": [{"auto_recovery": "default"}],
                "enclave_options": [{"enabled": false}],
                "capacity_reservation_specification": [{"capacity_reservation_preference": "open",
                    "capacity_reservation_target": []}],
                "private_dns_name_options": [{"enable_resource_name_dns_a_record": false,
                    "enable_resource_name_dns_aaaa_record": false, "hostname_type": "ip-name"}],
                "cpu_options": [{"amd_sev_snp": "", "core_count": 1, "nested_virtualization": "",
                    "threads_per_core": 1}],
                "primary_network_interface": [{"delete_on_termination": true,
                    "network_interface_id": made["eni"]}]
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
resource "aws_route" "out" {{
  route_table_id         = "{rt}"
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = "{igw}"
}}
resource "aws_security_group_rule" "ssh" {{
  type              = "ingress"
  security_group_id = "{sg}"
  protocol          = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_blocks       = ["10.0.0.0/8"]
}}
resource "aws_vpc_security_group_egress_rule" "postgres" {{
  security_group_id = "{sg}"
  cidr_ipv4         = "10.44.0.0/16"
  description       = "postgres"
  from_port         = 5432
  to_port           = 5432
  ip_protocol       = "tcp"
}}
resource "aws_instance" "web" {{
  ami                    = "{ami}"
  instance_type          = "t2.micro"
  subnet_id              = "{subnet}"
  vpc_security_group_ids = ["{sg}"]
  tags                   = {{ Name = "{id}" }}
}}
"#,
            ami = str_of("ami"),
        ),
        4,
    );
    let left = boto3(&format!(
        "ec2 = aws('ec2')\n\
         i = ec2.describe_instances(InstanceIds=['{instance}'])['Reservations'][0]['Instances'][0]['State']['Name']\n\
         routes = [r for r in ec2.describe_route_tables(RouteTableIds=['{rt}'])['RouteTables'][0]['Routes'] if r.get('DestinationCidrBlock') == '0.0.0.0/0']\n\
         g = ec2.describe_security_groups(GroupIds=['{sg}'])['SecurityGroups'][0]\n\
         print(json.dumps({{'instance': i, 'routes': len(routes), 'ingress': len(g['IpPermissions']), 'egress': [p.get('FromPort') for p in g['IpPermissionsEgress']], 'vpc': '{vpc}' != ''}}))"
    ));
    // Terraform leaves the group's default egress rule (made by AWS, not by the stack) alone.
    assert_eq!(left["instance"], "terminated", "{left}");
    assert_eq!(left["routes"], 0, "{left}");
    assert_eq!(left["ingress"], 0, "{left}");
    assert!(
        !left["egress"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|p| p == 5432),
        "{left}"
    );
}
