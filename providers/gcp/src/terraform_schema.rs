//! What the Terraform provider's schema (hashicorp/google 7.45) declares beyond what labform implements, and
//! each type's schema version. State files carry both (see `BlockSchema::unimplemented`), so
//! that Terraform with the real provider reads labform's state as its own. Read from the
//! provider's schema; checked by the integration tests against tests/provider-schemas/.

use labform_sdk::{BlockSchema, Nesting};

/// A managed resource type's schema, completed with what labform does not implement.
pub fn resource(type_name: &str, schema: BlockSchema) -> BlockSchema {
    match type_name {
        "google_bigquery_dataset" => schema
            .unimplemented(&[
                "default_collation",
                "deletion_policy",
                "is_case_insensitive",
                "max_time_travel_hours",
                "resource_tags",
                "storage_billing_model",
            ])
            .unimplemented_blocks(
                Nesting::List,
                &[
                    "default_encryption_configuration",
                    "external_catalog_dataset_options",
                    "external_dataset_reference",
                ],
            )
            .unimplemented_blocks(Nesting::Set, &["access"])
            .unimplemented_blocks(Nesting::Single, &["timeouts"]),
        "google_bigquery_table" => schema
            .unimplemented(&[
                "deletion_policy",
                "generated_schema_columns",
                "ignore_auto_generated_schema",
                "ignore_schema_changes",
                "max_staleness",
                "require_partition_filter",
                "resource_tags",
                "table_metadata_view",
            ])
            .unimplemented_blocks(
                Nesting::List,
                &[
                    "biglake_configuration",
                    "encryption_configuration",
                    "external_catalog_table_options",
                    "materialized_view",
                    "range_partitioning",
                    "schema_foreign_type_info",
                    "table_constraints",
                    "table_replication_info",
                    "view",
                ],
            )
            .nested("external_data_configuration", |b| {
                b.unimplemented(&[
                    "connection_id",
                    "decimal_target_types",
                    "file_set_spec_type",
                    "json_extension",
                    "metadata_cache_mode",
                    "object_metadata",
                    "reference_file_schema_uri",
                    "schema",
                ])
                .unimplemented_blocks(
                    Nesting::List,
                    &[
                        "avro_options",
                        "bigtable_options",
                        "csv_options",
                        "google_sheets_options",
                        "hive_partitioning_options",
                        "json_options",
                        "parquet_options",
                    ],
                )
            })
            .nested("time_partitioning", |b| {
                b.unimplemented(&["require_partition_filter"])
            }),
        "google_storage_bucket" => schema
            .version(4)
            .unimplemented(&[
                "default_event_based_hold",
                "deletion_policy",
                "enable_object_retention",
                "requester_pays",
                "rpo",
            ])
            .unimplemented_blocks(
                Nesting::List,
                &[
                    "autoclass",
                    "custom_placement_config",
                    "encryption",
                    "hierarchical_namespace",
                    "ip_filter",
                    "logging",
                    "soft_delete_policy",
                ],
            )
            .unimplemented_blocks(Nesting::Single, &["timeouts"])
            .nested("lifecycle_rule", |b| {
                b.nested("condition", |b| {
                    b.unimplemented(&[
                        "send_age_if_zero",
                        "send_days_since_custom_time_if_zero",
                        "send_days_since_noncurrent_time_if_zero",
                        "send_num_newer_versions_if_zero",
                        "size_above_bytes",
                        "size_below_bytes",
                    ])
                })
            }),
        "google_storage_bucket_object" => schema
            .unimplemented(&[
                "cache_control",
                "content_disposition",
                "content_encoding",
                "content_language",
                "deletion_policy",
                "event_based_hold",
                "force_empty_content_type",
                "kms_key_name",
                "metadata",
                "source_md5hash",
                "temporary_hold",
            ])
            .unimplemented_blocks(
                Nesting::List,
                &["contexts", "customer_encryption", "retention"],
            )
            .unimplemented_blocks(Nesting::Single, &["timeouts"]),
        _ => schema,
    }
}
