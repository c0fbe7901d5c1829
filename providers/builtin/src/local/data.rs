//! `data "local_file"` and `data "local_sensitive_file"`: read a file's content and checksums.

use labform_sdk::{
    async_trait, Attribute, BlockSchema, DataSource, ProviderContext, ProviderError, Result, Type,
    Typed, Value,
};

use super::digest;
use super::variant::Variant;
use crate::encode;

pub struct LocalFileData {
    variant: Variant,
    schema: BlockSchema,
    ctx: ProviderContext,
}

pub fn schema(variant: Variant) -> BlockSchema {
    let secret = |a: Attribute| {
        if variant == Variant::SensitiveFile {
            a.sensitive()
        } else {
            a
        }
    };
    let mut schema = BlockSchema::new()
        .attr("filename", Attribute::required(Type::String))
        .attrs(
            &["content", "content_base64"],
            secret(Attribute::computed(Type::String)),
        );
    for name in digest::ATTRIBUTES {
        schema = schema.attr(name, Attribute::computed(Type::String));
    }
    schema
}

impl LocalFileData {
    pub fn new(variant: Variant, ctx: ProviderContext) -> Self {
        LocalFileData {
            variant,
            schema: schema(variant),
            ctx,
        }
    }
}

impl Typed for LocalFileData {
    fn type_name(&self) -> &'static str {
        self.variant.type_name()
    }

    fn schema(&self) -> &BlockSchema {
        &self.schema
    }
}

#[async_trait]
impl DataSource for LocalFileData {
    /// A missing or unreadable file is an error. Invalid UTF-8 becomes U+FFFD in `content`;
    /// `content_base64` keeps the exact bytes.
    async fn read(&self, config: &Value) -> Result<Value> {
        let name = config.str_attr("filename").unwrap_or_default();
        let path = self.ctx.resolve_path(name);
        let bytes = tokio::fs::read(&path).await.map_err(|e| {
            ProviderError::not_found(format!("cannot read `{}`: {e}", path.display()))
                .with_hint("check the path: relative paths start at the stack directory")
        })?;
        let mut value = config.clone();
        value.set(
            "content",
            String::from_utf8_lossy(&bytes).into_owned().into(),
        );
        value.set("content_base64", encode::b64_std(&bytes).into());
        digest::set_all(&mut value, &bytes);
        Ok(value)
    }
}
