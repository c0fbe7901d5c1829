//! Terraform-shaped states of the AWS rds types (issue 13): a course's source database and
//! warehouse (RDS subnet group and postgres instance, Redshift subnet group and cluster) made
//! by another client (boto3, against moto), and the `terraform.tfstate` Terraform with
//! hashicorp/aws 6.58 would have written for them: each attribute as the provider's read
//! function sets it from that API answer ("" / 0 / false / [] where it sets a zero value, null
//! where it sets nothing), the passwords kept from configuration and marked sensitive. labform
//! reads it in place, plans no change, never shows a password, and destroys the objects.

use serde_json::{json, Value as Json};

use crate::aws_stacks::boto3;
use crate::common::Stack;
use crate::provider_schema::{take_over, terraform_state};

const DB_PASSWORD: &str = "Src-db-pw-4821";
const WAREHOUSE_PASSWORD: &str = "Warehouse-pw-7360";

/// `state` with the attribute `name` of the resource `type_name` marked sensitive, as
/// Terraform 1.15 records a sensitive attribute.
fn mark_sensitive(state: &mut Json, type_name: &str, name: &str) {
    for resource in state["resources"].as_array_mut().into_iter().flatten() {
        if resource["type"] == type_name {
            for instance in resource["instances"].as_array_mut().into_iter().flatten() {
                instance["sensitive_attributes"] = json!([[{"type": "get_attr", "value": name}]]);
            }
        }
    }
}

#[test]
fn a_terraform_state_of_rds_and_redshift_objects_plans_no_change_and_destroys() {
    let s = Stack::new();
    let id = s.name().to_lowercase();
    let region = "us-east-1";
    let made = boto3(&format!(
        r#"ec2 = aws('ec2'); rds = aws('rds'); rs = aws('redshift')
course = [{{'Key': 'course', 'Value': 'de'}}]
vpc = ec2.create_vpc(CidrBlock='10.93.0.0/16')['Vpc']['VpcId']
a = ec2.create_subnet(VpcId=vpc, CidrBlock='10.93.1.0/24', AvailabilityZone='us-east-1a')['Subnet']['SubnetId']
b = ec2.create_subnet(VpcId=vpc, CidrBlock='10.93.2.0/24', AvailabilityZone='us-east-1b')['Subnet']['SubnetId']
rds.create_db_subnet_group(DBSubnetGroupName='{id}-db', DBSubnetGroupDescription='Managed by Terraform', SubnetIds=[a, b], Tags=course)
rds.create_db_instance(DBInstanceIdentifier='{id}-db', Engine='postgres', EngineVersion='16.2', DBInstanceClass='db.t3.micro', AllocatedStorage=20, DBName='lab', MasterUsername='lab', MasterUserPassword='{DB_PASSWORD}', DBSubnetGroupName='{id}-db', PubliclyAccessible=False, AutoMinorVersionUpgrade=True, CopyTagsToSnapshot=False, DeletionProtection=False, Tags=course)
d = rds.describe_db_instances(DBInstanceIdentifier='{id}-db')['DBInstances'][0]
rs.create_cluster_subnet_group(ClusterSubnetGroupName='{id}-dw', Description='Managed by Terraform', SubnetIds=[a, b], Tags=course)
rs.create_cluster(ClusterIdentifier='{id}-dw', NodeType='dc2.large', ClusterType='single-node', DBName='lab', MasterUsername='lab_admin', MasterUserPassword='{WAREHOUSE_PASSWORD}', ClusterSubnetGroupName='{id}-dw', Encrypted=True, PubliclyAccessible=False, AllowVersionUpgrade=True, ClusterVersion='1.0', AutomatedSnapshotRetentionPeriod=1, PreferredMaintenanceWindow='mon:03:00-mon:03:30', Tags=course)
c = rs.describe_clusters(ClusterIdentifier='{id}-dw')['Clusters'][0]
print(json.dumps({{'account': aws('sts').get_caller_identity()['Account'], 'vpc': vpc, 'subnets': sorted([a, b]), 'db': d, 'dw': c}}, default=str))"#
    ));
    let account = made["account"].as_str().expect("account");
    let (d, c) = (&made["db"], &made["dw"]);
    let subnets = &made["subnets"];
    let course = json!({"course": "de"});
    let text = |v: &Json| v.as_str().unwrap_or_default().to_string();
    let db_address = text(&d["Endpoint"]["Address"]);
    let dw_address = text(&c["Endpoint"]["Address"]);
    // RFC 3339 in seconds, as the provider formats it.
    let restorable = format!(
        "{}Z",
        text(&d["LatestRestorableTime"])
            .replacen(' ', "T", 1)
            .chars()
            .take(19)
            .collect::<String>()
    );
    let mut state = terraform_state(&[
        (
            "aws_db_subnet_group",
            "source",
            json!({
                "id": format!("{id}-db"), "name": format!("{id}-db"), "name_prefix": "",
                "arn": format!("arn:aws:rds:{region}:{account}:subgrp:{id}-db"),
                "description": "Managed by Terraform", "subnet_ids": subnets,
                "supported_network_types": [], "vpc_id": made["vpc"], "region": region,
                "tags": course, "tags_all": course
            }),
        ),
        (
            "aws_db_instance",
            "source",
            json!({
                "id": d["DbiResourceId"], "resource_id": d["DbiResourceId"],
                "identifier": format!("{id}-db"), "identifier_prefix": "",
                "arn": d["DBInstanceArn"], "status": "available", "region": region,
                "engine": "postgres", "engine_version": "16.2", "engine_version_actual": "16.2",
                "engine_lifecycle_support": "", "instance_class": "db.t3.micro",
                "allocated_storage": 20, "max_allocated_storage": 0, "storage_type": d["StorageType"],
                "storage_encrypted": false, "storage_throughput": 0, "iops": 0, "kms_key_id": "",
                "db_name": "lab", "username": "lab", "password": DB_PASSWORD,
                "address": db_address, "port": 5432, "hosted_zone_id": "",
                "endpoint": format!("{db_address}:5432"), "listener_endpoint": [],
                "publicly_accessible": false, "network_type": "", "customer_owned_ip_enabled": false,
                "vpc_security_group_ids": d["VpcSecurityGroups"].as_array().into_iter().flatten()
                    .map(|g| g["VpcSecurityGroupId"].clone()).collect::<Vec<_>>(),
                "db_subnet_group_name": format!("{id}-db"),
                "parameter_group_name": d["DBParameterGroups"][0]["DBParameterGroupName"],
                "option_group_name": d["OptionGroupMemberships"][0]["OptionGroupName"],
                "availability_zone": d["AvailabilityZone"], "multi_az": false,
                "backup_retention_period": d["BackupRetentionPeriod"], "backup_target": "",
                "backup_window": d["PreferredBackupWindow"],
                "maintenance_window": d["PreferredMaintenanceWindow"],
                "latest_restorable_time": restorable,
                "auto_minor_version_upgrade": true, "copy_tags_to_snapshot": false,
                "deletion_protection": false, "dedicated_log_volume": false,
                "ca_cert_identifier": d["CACertificateIdentifier"], "license_model": d["LicenseModel"],
                "character_set_name": "", "nchar_character_set_name": "", "timezone": "",
                "custom_iam_instance_profile": "", "database_insights_mode": "",
                "domain": "", "domain_auth_secret_arn": "", "domain_dns_ips": [], "domain_fqdn": "",
                "domain_iam_role_name": "", "domain_ou": "",
                "enabled_cloudwatch_logs_exports": [], "iam_database_authentication_enabled": false,
                "master_user_secret": [], "monitoring_interval": 0, "monitoring_role_arn": "",
                "performance_insights_enabled": false, "performance_insights_kms_key_id": "",
                "performance_insights_retention_period": 0,
                "replica_mode": "", "replicas": [], "replicate_source_db": "",
                "upgrade_rollout_order": "",
                "apply_immediately": false, "skip_final_snapshot": true,
                "delete_automated_backups": true,
                "tags": course, "tags_all": course
            }),
        ),
        (
            "aws_redshift_subnet_group",
            "warehouse",
            json!({
                "id": format!("{id}-dw"), "name": format!("{id}-dw"),
                "arn": format!("arn:aws:redshift:{region}:{account}:subnetgroup:{id}-dw"),
                "description": "Managed by Terraform", "subnet_ids": subnets, "region": region,
                "tags": course, "tags_all": course
            }),
        ),
        (
            "aws_redshift_cluster",
            "warehouse",
            json!({
                "id": format!("{id}-dw"), "cluster_identifier": format!("{id}-dw"),
                "arn": format!("arn:aws:redshift:{region}:{account}:cluster:{id}-dw"),
                "region": region, "node_type": "dc2.large", "number_of_nodes": 1,
                "cluster_type": "single-node", "cluster_version": "1.0",
                "cluster_nodes": [], "cluster_namespace_arn": "", "cluster_public_key": "",
                "cluster_revision_number": "",
                "cluster_parameter_group_name": c["ClusterParameterGroups"][0]["ParameterGroupName"],
                "cluster_subnet_group_name": format!("{id}-dw"),
                "database_name": "lab", "master_username": "lab_admin",
                "master_password": WAREHOUSE_PASSWORD, "master_password_secret_arn": "",
                "master_password_secret_kms_key_id": "",
                "dns_name": dw_address, "port": 5439, "endpoint": format!("{dw_address}:5439"),
                "availability_zone": c["AvailabilityZone"],
                "availability_zone_relocation_enabled": false, "multi_az": false,
                "encrypted": "true", "kms_key_id": "", "enhanced_vpc_routing": false,
                "publicly_accessible": false, "vpc_security_group_ids": [], "iam_roles": [],
                "default_iam_role_arn": "", "allow_version_upgrade": true,
                "automated_snapshot_retention_period": 1, "manual_snapshot_retention_period": 0,
                "maintenance_track_name": "", "preferred_maintenance_window": "mon:03:00-mon:03:30",
                "apply_immediately": false, "skip_final_snapshot": true,
                "tags": course, "tags_all": course
            }),
        ),
    ]);
    mark_sensitive(&mut state, "aws_db_instance", "password");
    mark_sensitive(&mut state, "aws_redshift_cluster", "master_password");
    take_over(
        &s,
        &state,
        &format!(
            r#"
provider "aws" {{
  region = "{region}"
}}
variable "warehouse_password" {{
  type      = string
  sensitive = true
  default   = "{WAREHOUSE_PASSWORD}"
}}
resource "aws_db_subnet_group" "source" {{
  name       = "{id}-db"
  subnet_ids = {subnets}
  tags       = {{ course = "de" }}
}}
resource "aws_db_instance" "source" {{
  identifier           = "{id}-db"
  engine               = "postgres"
  engine_version       = "16.2"
  instance_class       = "db.t3.micro"
  allocated_storage    = 20
  db_name              = "lab"
  username             = "lab"
  password             = "{DB_PASSWORD}"
  db_subnet_group_name = aws_db_subnet_group.source.name
  skip_final_snapshot  = true
  tags                 = {{ course = "de" }}
}}
resource "aws_redshift_subnet_group" "warehouse" {{
  name       = "{id}-dw"
  subnet_ids = {subnets}
  tags       = {{ course = "de" }}
}}
resource "aws_redshift_cluster" "warehouse" {{
  cluster_identifier           = "{id}-dw"
  node_type                    = "dc2.large"
  database_name                = "lab"
  master_username              = "lab_admin"
  master_password              = var.warehouse_password
  cluster_subnet_group_name    = aws_redshift_subnet_group.warehouse.name
  preferred_maintenance_window = "mon:03:00-mon:03:30"
  skip_final_snapshot          = true
  tags                         = {{ course = "de" }}
}}
"#
        ),
        4,
    );
    let left = boto3(&format!(
        r#"rds = aws('rds'); rs = aws('redshift'); ec2 = aws('ec2')
dbs = [i['DBInstanceIdentifier'] for i in rds.describe_db_instances()['DBInstances'] if i['DBInstanceIdentifier'] == '{id}-db']
db_groups = [g['DBSubnetGroupName'] for g in rds.describe_db_subnet_groups()['DBSubnetGroups'] if g['DBSubnetGroupName'] == '{id}-db']
clusters = [x['ClusterIdentifier'] for x in rs.describe_clusters()['Clusters'] if x['ClusterIdentifier'] == '{id}-dw']
dw_groups = [g['ClusterSubnetGroupName'] for g in rs.describe_cluster_subnet_groups()['ClusterSubnetGroups'] if g['ClusterSubnetGroupName'] == '{id}-dw']
for subnet in {subnets}: ec2.delete_subnet(SubnetId=subnet)
ec2.delete_vpc(VpcId='{vpc}')
print(json.dumps({{'dbs': dbs, 'db_groups': db_groups, 'clusters': clusters, 'dw_groups': dw_groups}}))"#,
        vpc = text(&made["vpc"]),
    ));
    assert_eq!(
        left,
        json!({"dbs": [], "db_groups": [], "clusters": [], "dw_groups": []})
    );
}
