//! The `archive_file` schema (hashicorp/archive 2.x): the resource's arguments all force
//! replacement except `exclude_symlink_directories`; the data source has the same shape.

use labform_sdk::{Attribute, BlockSchema, NestedBlock, Type};

/// The computed checksum attributes, each over the written archive's bytes.
pub const OUTPUTS: [&str; 7] = [
    "id",
    "output_md5",
    "output_sha",
    "output_sha256",
    "output_base64sha256",
    "output_sha512",
    "output_base64sha512",
];

/// `resource = true` adds the resource's replace-on-change rules.
pub fn schema(resource: bool) -> BlockSchema {
    let replaces = |a: Attribute| if resource { a.force_new() } else { a };
    let source = BlockSchema::new().attrs(
        &["content", "filename"],
        replaces(Attribute::required(Type::String)),
    );
    let mut schema = BlockSchema::new()
        .block("source", NestedBlock::set(source))
        .attr("type", replaces(Attribute::required(Type::String)))
        .attr(
            "source_content",
            replaces(Attribute::optional(Type::String)),
        )
        .attr(
            "source_content_filename",
            replaces(Attribute::optional(Type::String)),
        )
        .attrs(
            &["source_file", "source_dir"],
            replaces(Attribute::optional(Type::String)),
        )
        .attr(
            "excludes",
            replaces(Attribute::optional(Type::Set(Box::new(Type::String)))),
        )
        .attr(
            "exclude_symlink_directories",
            Attribute::optional(Type::Bool),
        )
        .attr("output_path", replaces(Attribute::required(Type::String)))
        .attr(
            "output_file_mode",
            replaces(Attribute::optional(Type::String)),
        )
        .attr("output_size", Attribute::computed(Type::Number));
    for name in OUTPUTS {
        schema = schema.attr(name, Attribute::computed(Type::String));
    }
    schema
}
