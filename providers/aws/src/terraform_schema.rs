//! What the Terraform provider's schema (hashicorp/aws 6.58) declares beyond what labform implements, and
//! each type's schema version. State files carry both (see `BlockSchema::unimplemented`), so
//! that Terraform with the real provider reads labform's state as its own. Read from the
//! provider's schema; checked by the integration tests against tests/provider-schemas/.

use labform_sdk::{BlockSchema, Nesting};

/// A managed resource type's schema, completed with what labform does not implement.
pub fn resource(type_name: &str, schema: BlockSchema) -> BlockSchema {
    match type_name {
        "aws_db_instance" => schema
            .version(2)
            .unimplemented(&[
                "allow_major_version_upgrade",
                "backup_target",
                "ca_cert_identifier",
                "character_set_name",
                "custom_iam_instance_profile",
                "customer_owned_ip_enabled",
                "database_insights_mode",
                "dedicated_log_volume",
                "domain",
                "domain_auth_secret_arn",
                "domain_dns_ips",
                "domain_fqdn",
                "domain_iam_role_name",
                "domain_ou",
                "enabled_cloudwatch_logs_exports",
                "engine_lifecycle_support",
                "iam_database_authentication_enabled",
                "iops",
                "kms_key_id",
                "latest_restorable_time",
                "license_model",
                "listener_endpoint",
                "manage_master_user_password",
                "master_user_secret",
                "master_user_secret_kms_key_id",
                "max_allocated_storage",
                "monitoring_interval",
                "monitoring_role_arn",
                "nchar_character_set_name",
                "network_type",
                "option_group_name",
                "password_wo",
                "password_wo_version",
                "performance_insights_enabled",
                "performance_insights_kms_key_id",
                "performance_insights_retention_period",
                "replica_mode",
                "replicas",
                "replicate_source_db",
                "snapshot_identifier",
                "storage_throughput",
                "timezone",
                "upgrade_storage_config",
            ])
            .unimplemented_blocks(
                Nesting::List,
                &["blue_green_update", "restore_to_point_in_time", "s3_import"],
            ),
        "aws_glue_catalog_database" => schema.unimplemented_blocks(
            Nesting::List,
            &[
                "create_table_default_permission",
                "federated_database",
                "target_database",
            ],
        ),
        "aws_glue_catalog_table" => schema
            .unimplemented_blocks(
                Nesting::List,
                &[
                    "open_table_format_input",
                    "partition_index",
                    "target_table",
                    "view_definition",
                ],
            )
            .nested("storage_descriptor", |b| {
                b.unimplemented(&["additional_locations"])
                    .unimplemented_blocks(Nesting::List, &["schema_reference", "skewed_info"])
            }),
        "aws_glue_connection" => schema
            .unimplemented(&["athena_properties"])
            .unimplemented_blocks(Nesting::List, &["authentication_configuration"]),
        "aws_glue_crawler" => schema
            .unimplemented(&["security_configuration"])
            .unimplemented_blocks(
                Nesting::List,
                &[
                    "catalog_target",
                    "delta_target",
                    "dynamodb_target",
                    "hudi_target",
                    "iceberg_target",
                    "lake_formation_configuration",
                    "lineage_configuration",
                    "mongodb_target",
                ],
            )
            .nested("s3_target", |b| {
                b.unimplemented(&["dlq_event_queue_arn", "event_queue_arn"])
            })
            .nested("jdbc_target", |b| {
                b.unimplemented(&["enable_additional_metadata"])
            }),
        "aws_glue_job" => schema
            .unimplemented(&[
                "job_mode",
                "job_run_queuing_enabled",
                "maintenance_window",
                "security_configuration",
            ])
            .unimplemented_blocks(
                Nesting::List,
                &["notification_property", "source_control_details"],
            )
            .nested("command", |b| b.unimplemented(&["runtime"])),
        "aws_instance" => schema
            .version(2)
            .unimplemented(&[
                "ebs_optimized",
                "enable_primary_ipv6",
                "hibernation",
                "host_id",
                "host_resource_group_arn",
                "iam_instance_profile",
                "instance_initiated_shutdown_behavior",
                "ipv6_address_count",
                "ipv6_addresses",
                "placement_group",
                "placement_group_id",
                "placement_partition_number",
                "secondary_private_ips",
                "spot_instance_request_id",
                "tenancy",
            ])
            .unimplemented_blocks(
                Nesting::List,
                &[
                    "capacity_reservation_specification",
                    "cpu_options",
                    "credit_specification",
                    "enclave_options",
                    "instance_market_options",
                    "launch_template",
                    "maintenance_options",
                    "metadata_options",
                    "primary_network_interface",
                    "private_dns_name_options",
                ],
            )
            .unimplemented_blocks(
                Nesting::Set,
                &[
                    "ebs_block_device",
                    "ephemeral_block_device",
                    "network_interface",
                    "secondary_network_interface",
                ],
            )
            .nested("root_block_device", |b| {
                b.unimplemented(&["tags", "tags_all"])
            }),
        "aws_key_pair" => schema.version(1),
        "aws_kinesis_firehose_delivery_stream" => schema
            .version(1)
            .unimplemented_blocks(
                Nesting::List,
                &[
                    "elasticsearch_configuration",
                    "http_endpoint_configuration",
                    "iceberg_configuration",
                    "msk_source_configuration",
                    "opensearch_configuration",
                    "opensearchserverless_configuration",
                    "redshift_configuration",
                    "server_side_encryption",
                    "snowflake_configuration",
                    "splunk_configuration",
                ],
            )
            .nested("extended_s3_configuration", |b| {
                b.unimplemented_blocks(
                    Nesting::List,
                    &[
                        "data_format_conversion_configuration",
                        "dynamic_partitioning_configuration",
                        "s3_backup_configuration",
                    ],
                )
            }),
        "aws_lambda_function" => schema
            .unimplemented(&[
                "code_signing_config_arn",
                "image_uri",
                "kms_key_arn",
                "publish_to",
                "replace_security_groups_on_destroy",
                "replacement_security_group_ids",
                "reserved_concurrent_executions",
                "signing_job_arn",
                "signing_profile_version_arn",
                "skip_destroy",
                "source_kms_key_arn",
                "use_resource_timeout_for_propagation",
            ])
            .unimplemented_blocks(
                Nesting::List,
                &[
                    "capacity_provider_config",
                    "dead_letter_config",
                    "durable_config",
                    "file_system_config",
                    "image_config",
                    "logging_config",
                    "snap_start",
                    "tenancy_config",
                    "vpc_config",
                ],
            ),
        "aws_lambda_permission" => schema.unimplemented(&[
            "function_url_auth_type",
            "invoked_via_function_url",
            "principal_org_id",
        ]),
        "aws_redshift_cluster" => schema.unimplemented(&[
            "aqua_configuration_status",
            "availability_zone_relocation_enabled",
            "cluster_nodes",
            "default_iam_role_arn",
            "elastic_ip",
            "enhanced_vpc_routing",
            "kms_key_id",
            "maintenance_track_name",
            "manage_master_password",
            "manual_snapshot_retention_period",
            "master_password_secret_arn",
            "master_password_secret_kms_key_id",
            "master_password_wo",
            "master_password_wo_version",
            "multi_az",
            "owner_account",
            "snapshot_arn",
            "snapshot_cluster_identifier",
            "snapshot_identifier",
        ]),
        "aws_s3_bucket" => schema
            .unimplemented(&[
                "acceleration_status",
                "acl",
                "bucket_namespace",
                "policy",
                "request_payer",
                "website_domain",
                "website_endpoint",
            ])
            .unimplemented_blocks(
                Nesting::List,
                &[
                    "cors_rule",
                    "lifecycle_rule",
                    "logging",
                    "object_lock_configuration",
                    "replication_configuration",
                    "server_side_encryption_configuration",
                    "versioning",
                    "website",
                ],
            )
            .unimplemented_blocks(Nesting::Set, &["grant"]),
        "aws_s3_bucket_lifecycle_configuration" => schema.version(1),
        "aws_s3_bucket_server_side_encryption_configuration" => {
            schema.nested("rule", |b| b.unimplemented(&["blocked_encryption_types"]))
        }
        "aws_s3_object" => schema
            .unimplemented(&[
                "acl",
                "bucket_key_enabled",
                "checksum_algorithm",
                "checksum_crc32",
                "checksum_crc32c",
                "checksum_crc64nvme",
                "checksum_sha1",
                "checksum_sha256",
                "kms_key_id",
                "object_lock_legal_hold_status",
                "object_lock_mode",
                "object_lock_retain_until_date",
                "website_redirect",
            ])
            .unimplemented_blocks(Nesting::List, &["override_provider"]),
        "aws_security_group" => schema.version(1),
        "aws_security_group_rule" => schema.version(2),
        "aws_subnet" => schema.version(1).unimplemented(&[
            "customer_owned_ipv4_pool",
            "enable_lni_at_device_index",
            "ipv4_ipam_pool_id",
            "ipv4_netmask_length",
            "ipv6_ipam_pool_id",
            "ipv6_netmask_length",
            "map_customer_owned_ip_on_launch",
            "outpost_arn",
        ]),
        "aws_vpc" => schema.version(1).unimplemented(&[
            "ipv4_ipam_pool_id",
            "ipv4_netmask_length",
            "ipv6_cidr_block_network_border_group",
            "ipv6_ipam_pool_id",
            "ipv6_netmask_length",
        ]),
        _ => schema,
    }
}

/// A data source's schema, completed with what labform does not implement.
pub fn data_source(type_name: &str, schema: BlockSchema) -> BlockSchema {
    match type_name {
        "aws_ami" => schema.unimplemented(&["uefi_data"]),
        "aws_subnet" => schema.unimplemented(&["enable_lni_at_device_index"]),
        "aws_vpc" => schema.unimplemented(&["ipv6_cidr_block_associations"]),
        _ => schema,
    }
}
