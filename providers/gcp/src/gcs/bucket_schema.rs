//! The schema of `google_storage_bucket` (hashicorp/google names, defaults and force-new).

use labform_sdk::{Attribute, BlockSchema, NestedBlock, Type};

pub fn schema() -> BlockSchema {
    let s = || Attribute::optional(Type::String);
    let n = || Attribute::optional(Type::Number);
    let strings = || Attribute::optional(Type::list(Type::String));
    let action = BlockSchema::new()
        .attr("type", Attribute::required(Type::String))
        .attr("storage_class", s());
    let condition = BlockSchema::new()
        .attr("age", n())
        .attrs(&["created_before", "custom_time_before"], s())
        .attrs(
            &["days_since_custom_time", "days_since_noncurrent_time"],
            n(),
        )
        .attr("noncurrent_time_before", s())
        .attr("with_state", Attribute::optional_computed(Type::String))
        .attrs(
            &["matches_storage_class", "matches_prefix", "matches_suffix"],
            strings(),
        )
        .attr("num_newer_versions", n());
    let lifecycle_rule = BlockSchema::new()
        .block("action", NestedBlock::set(action).min(1).max(1))
        .block("condition", NestedBlock::set(condition).min(1).max(1));
    crate::labels::base_schema()
        .attrs(
            &["name", "location"],
            Attribute::required(Type::String).force_new(),
        )
        .attr(
            "project",
            Attribute::optional_computed(Type::String).force_new(),
        )
        .attr("project_number", Attribute::computed(Type::Number))
        .attrs(
            &["id", "self_link", "url", "time_created"],
            Attribute::computed(Type::String),
        )
        .attr(
            "updated",
            Attribute::computed(Type::String).changes_on_update(),
        )
        .attr(
            "force_destroy",
            Attribute::optional(Type::Bool).default(false),
        )
        .attr(
            "storage_class",
            Attribute::optional(Type::String).default("STANDARD"),
        )
        .attr(
            "uniform_bucket_level_access",
            Attribute::optional_computed(Type::Bool),
        )
        .attr(
            "public_access_prevention",
            Attribute::optional_computed(Type::String),
        )
        .block("lifecycle_rule", NestedBlock::list(lifecycle_rule).max(100))
        .block(
            "versioning",
            NestedBlock::list(BlockSchema::new().attr("enabled", Attribute::required(Type::Bool)))
                .max(1),
        )
        .block(
            "website",
            NestedBlock::list(
                BlockSchema::new()
                    .attr("main_page_suffix", s())
                    .attr("not_found_page", s()),
            )
            .max(1),
        )
        .block(
            "retention_policy",
            NestedBlock::list(
                BlockSchema::new()
                    .attr("is_locked", Attribute::optional(Type::Bool).default(false))
                    .attr("retention_period", Attribute::required(Type::String)),
            )
            .max(1),
        )
        .block(
            "cors",
            NestedBlock::list(
                BlockSchema::new()
                    .attrs(&["origin", "method", "response_header"], strings())
                    .attr("max_age_seconds", n()),
            ),
        )
}
