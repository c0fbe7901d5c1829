//! The schema of a Glue table's `storage_descriptor` and `partition_keys` blocks, and their
//! mapping to and from the API's `StorageDescriptor` and `Column`s.

use aws_sdk_glue::types::{Column, Order, SerDeInfo, StorageDescriptor};
use labform_sdk::{Attribute, BlockSchema, NestedBlock, ProviderError, Result, Value};

use crate::glue::api::{int, map_value, opt_str, str_list, string_map};
use crate::schema_util::{b, n, s, slist, smap};

/// A column (`columns` of the storage descriptor, `partition_keys`).
pub fn column_schema() -> BlockSchema {
    BlockSchema::new()
        .attr("name", Attribute::required(s()))
        .attrs(&["type", "comment"], Attribute::optional(s()))
        .attr("parameters", Attribute::optional(smap()))
}

pub fn storage_descriptor_schema() -> NestedBlock {
    let serde = BlockSchema::new()
        .attr("name", Attribute::optional(s()))
        .attr("parameters", Attribute::optional(smap()))
        .attr("serialization_library", Attribute::optional(s()));
    let sort = BlockSchema::new()
        .attr("column", Attribute::required(s()))
        .attr("sort_order", Attribute::required(n()));
    NestedBlock::list(
        BlockSchema::new()
            .attr("bucket_columns", Attribute::optional(slist()))
            .attr("compressed", Attribute::optional(b()))
            .attrs(&["input_format", "location"], Attribute::optional(s()))
            .attr("number_of_buckets", Attribute::optional(n()))
            .attr("output_format", Attribute::optional(s()))
            .attr("parameters", Attribute::optional(smap()))
            .attr("stored_as_sub_directories", Attribute::optional(b()))
            .block("columns", NestedBlock::list(column_schema()).computed())
            .block("ser_de_info", NestedBlock::list(serde).max(1))
            .block("sort_columns", NestedBlock::list(sort)),
    )
    .max(1)
    .computed()
}

fn bad(e: impl std::fmt::Display) -> ProviderError {
    ProviderError::api(format!("building a glue table request: {e}"))
}

/// The API's columns of the blocks `items`.
pub fn columns(items: &[Value]) -> Result<Vec<Column>> {
    items
        .iter()
        .map(|c| {
            Column::builder()
                .name(c.str_attr("name").unwrap_or_default())
                .set_type(c.str_attr("type").map(str::to_string))
                .set_comment(c.str_attr("comment").map(str::to_string))
                .set_parameters(string_map(c, "parameters"))
                .build()
                .map_err(bad)
        })
        .collect()
}

/// The blocks of the API's columns.
pub fn column_values(cols: &[Column], current: &[Value]) -> Value {
    Value::List(
        cols.iter()
            .enumerate()
            .map(|(i, c)| {
                let prior = current.get(i).cloned().unwrap_or(Value::Null);
                Value::from_pairs([
                    ("name", Value::from(c.name())),
                    ("type", opt_str(c.r#type())),
                    ("comment", opt_str(c.comment())),
                    (
                        "parameters",
                        map_value(c.parameters(), &prior, "parameters"),
                    ),
                ])
            })
            .collect(),
    )
}

/// The API's storage descriptor of the `storage_descriptor` block `sd`.
pub fn storage_descriptor(sd: &Value) -> Result<StorageDescriptor> {
    let serde = sd.list_attr("ser_de_info").first().map(|x| {
        SerDeInfo::builder()
            .set_name(x.str_attr("name").map(str::to_string))
            .set_serialization_library(x.str_attr("serialization_library").map(str::to_string))
            .set_parameters(string_map(x, "parameters"))
            .build()
    });
    let sort = sd
        .list_attr("sort_columns")
        .iter()
        .map(|o| {
            Order::builder()
                .column(o.str_attr("column").unwrap_or_default())
                .sort_order(int(o, "sort_order").unwrap_or_default())
                .build()
                .map_err(bad)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(StorageDescriptor::builder()
        .set_columns(Some(columns(sd.list_attr("columns"))?))
        .set_location(sd.str_attr("location").map(str::to_string))
        .set_input_format(sd.str_attr("input_format").map(str::to_string))
        .set_output_format(sd.str_attr("output_format").map(str::to_string))
        .set_compressed(sd.get("compressed").as_bool())
        .set_number_of_buckets(int(sd, "number_of_buckets"))
        .set_serde_info(serde)
        .set_bucket_columns(Some(sd.string_list_attr("bucket_columns")))
        .set_sort_columns(Some(sort))
        .set_parameters(string_map(sd, "parameters"))
        .set_stored_as_sub_directories(sd.get("stored_as_sub_directories").as_bool())
        .build())
}

/// The `storage_descriptor` block of the API's storage descriptor; `current` is the block as
/// recorded or configured (for maps left unset).
pub fn storage_descriptor_value(sd: &StorageDescriptor, current: &Value) -> Value {
    let serde = sd.serde_info().map(|x| {
        let prior = current
            .list_attr("ser_de_info")
            .first()
            .cloned()
            .unwrap_or(Value::Null);
        Value::from_pairs([
            ("name", opt_str(x.name())),
            ("serialization_library", opt_str(x.serialization_library())),
            (
                "parameters",
                map_value(x.parameters(), &prior, "parameters"),
            ),
        ])
    });
    let sort = sd
        .sort_columns()
        .iter()
        .map(|o| {
            Value::from_pairs([
                ("column", Value::from(o.column())),
                ("sort_order", Value::from(i64::from(o.sort_order()))),
            ])
        })
        .collect();
    Value::from_pairs([
        ("bucket_columns", str_list(sd.bucket_columns())),
        ("compressed", Value::from(sd.compressed())),
        ("input_format", opt_str(sd.input_format())),
        ("location", opt_str(sd.location())),
        (
            "number_of_buckets",
            Value::from(i64::from(sd.number_of_buckets())),
        ),
        ("output_format", opt_str(sd.output_format())),
        (
            "parameters",
            map_value(sd.parameters(), current, "parameters"),
        ),
        (
            "stored_as_sub_directories",
            Value::from(sd.stored_as_sub_directories()),
        ),
        (
            "columns",
            column_values(sd.columns(), current.list_attr("columns")),
        ),
        ("ser_de_info", Value::List(serde.into_iter().collect())),
        ("sort_columns", Value::List(sort)),
    ])
}
