//! The two file resource types hashicorp/local has, and their schemas.

use labform_sdk::{Attribute, BlockSchema, Type};

use super::digest;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// `local_file`: `content` shown in plans, permissions `0777` by default.
    File,
    /// `local_sensitive_file`: content sensitive, permissions `0700` by default.
    SensitiveFile,
}

impl Variant {
    pub fn type_name(self) -> &'static str {
        match self {
            Variant::File => "local_file",
            Variant::SensitiveFile => "local_sensitive_file",
        }
    }

    /// The attributes that may give the content, in the order the bytes are taken from.
    pub fn sources(self) -> &'static [&'static str] {
        match self {
            Variant::File => &["sensitive_content", "content_base64", "source", "content"],
            Variant::SensitiveFile => &["content_base64", "source", "content"],
        }
    }

    fn default_permission(self) -> &'static str {
        match self {
            Variant::File => "0777",
            Variant::SensitiveFile => "0700",
        }
    }

    pub fn schema(self) -> BlockSchema {
        let secret = |a: Attribute| {
            if self == Variant::SensitiveFile {
                a.sensitive()
            } else {
                a
            }
        };
        let mut schema = BlockSchema::new()
            .attr("filename", Attribute::required(Type::String).force_new())
            .attr(
                "content",
                secret(Attribute::optional(Type::String).force_new()),
            )
            .attr(
                "content_base64",
                secret(Attribute::optional(Type::String).force_new()),
            )
            .attr("source", Attribute::optional(Type::String).force_new());
        if self == Variant::File {
            schema = schema.attr(
                "sensitive_content",
                Attribute::optional(Type::String).force_new().sensitive(),
            );
        }
        for perm in ["file_permission", "directory_permission"] {
            let attr = Attribute::optional_computed(Type::String)
                .default(self.default_permission())
                .force_new();
            schema = schema.attr(perm, attr);
        }
        for name in digest::ATTRIBUTES {
            // Recomputed whenever the file is rewritten: no use-state-for-unknown in Terraform.
            schema = schema.attr(name, Attribute::computed(Type::String).changes_on_update());
        }
        schema
    }
}
