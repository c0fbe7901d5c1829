//! `local_file` and `local_sensitive_file`: a file on this machine, written once (every
//! attribute forces replacement) and re-created when it is removed or edited by hand.

use std::io::ErrorKind as IoKind;
use std::path::PathBuf;

use labform_sdk::{
    async_trait, BlockSchema, OpContext, ProviderContext, ProviderError, Resource, Result, Typed,
    Value,
};
use tokio::io::AsyncWriteExt;

use super::digest;
use super::perm;
use super::variant::Variant;
use crate::encode;

pub struct LocalFile {
    variant: Variant,
    schema: BlockSchema,
    ctx: ProviderContext,
}

impl LocalFile {
    pub fn new(variant: Variant, ctx: ProviderContext) -> Self {
        LocalFile {
            variant,
            schema: variant.schema(),
            ctx,
        }
    }

    fn path(&self, value: &Value) -> Result<PathBuf> {
        match value.str_attr("filename") {
            Some(name) if !name.is_empty() => Ok(self.ctx.resolve_path(name)),
            _ => Err(ProviderError::invalid("`filename` is required")),
        }
    }

    /// The bytes to write: the first set source in Terraform's order.
    async fn content(&self, value: &Value) -> Result<Vec<u8>> {
        for source in self.variant.sources() {
            if value.get(source).is_unknown() {
                return Err(ProviderError::invalid(format!(
                    "`{source}` is still unknown at apply"
                )));
            }
            let Some(text) = value.str_attr(source) else {
                continue;
            };
            return match *source {
                "content_base64" => encode::decode_b64_std(text).map_err(|e| {
                    ProviderError::invalid(format!(
                        "`content_base64` is not valid padded base64: {e}"
                    ))
                    .with_hint("encode it with `base64encode(...)`")
                }),
                "source" => {
                    let path = self.ctx.resolve_path(text);
                    tokio::fs::read(&path).await.map_err(|e| {
                        ProviderError::invalid(format!(
                            "cannot read `source` file `{}`: {e}",
                            path.display()
                        ))
                    })
                }
                _ => Ok(text.as_bytes().to_vec()),
            };
        }
        Err(self.exactly_one_error())
    }

    fn exactly_one_error(&self) -> ProviderError {
        let names: Vec<String> = self
            .variant
            .sources()
            .iter()
            .map(|s| format!("`{s}`"))
            .collect();
        ProviderError::invalid(format!(
            "`{}` needs exactly one of {}",
            self.variant.type_name(),
            names.join(", ")
        ))
    }

    fn mode(value: &Value, attr: &str) -> Result<u32> {
        perm::parse(attr, value.str_attr(attr).unwrap_or("0777"))
    }

    async fn write(&self, planned: &Value) -> Result<Value> {
        let bytes = self.content(planned).await?;
        let path = self.path(planned)?;
        let file_mode = Self::mode(planned, "file_permission")?;
        let dir_mode = Self::mode(planned, "directory_permission")?;
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            if tokio::fs::metadata(parent).await.is_err() {
                let mut builder = tokio::fs::DirBuilder::new();
                builder.recursive(true).mode(dir_mode);
                builder.create(parent).await.map_err(|e| {
                    ProviderError::api(format!(
                        "cannot create directory `{}`: {e}",
                        parent.display()
                    ))
                })?;
            }
        }
        let mut state = planned.clone();
        digest::set_all(&mut state, &bytes);
        let fail = |e: std::io::Error| {
            ProviderError::api(format!("cannot write `{}`: {e}", path.display()))
        };
        // Like Go's os.WriteFile: the mode applies only to a new file (minus the umask).
        let mut file = tokio::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(file_mode)
            .open(&path)
            .await
            .map_err(fail)?;
        // From here the file exists: a failure still records it, so it is cleaned up later.
        file.write_all(&bytes)
            .await
            .map_err(|e| fail(e).with_partial(state.clone()))?;
        file.flush()
            .await
            .map_err(|e| fail(e).with_partial(state.clone()))?;
        Ok(state)
    }
}

impl Typed for LocalFile {
    fn type_name(&self) -> &'static str {
        self.variant.type_name()
    }

    fn schema(&self) -> &BlockSchema {
        &self.schema
    }
}

#[async_trait]
impl Resource for LocalFile {
    /// The file's path is its unique name: an interrupted create left it there or not.
    async fn find_interrupted(&self, intent: &Value, _token: &str) -> Result<Option<Value>> {
        self.read(intent).await
    }

    fn validate(&self, config: &Value) -> Result<()> {
        let set = self
            .variant
            .sources()
            .iter()
            .filter(|s| !config.get(s).is_null())
            .count();
        if set != 1 {
            return Err(self.exactly_one_error());
        }
        for attr in ["file_permission", "directory_permission"] {
            if let Some(text) = config.str_attr(attr) {
                perm::parse(attr, text)?;
            }
        }
        Ok(())
    }

    async fn create(&self, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        self.write(planned).await
    }

    /// Gone when the file is missing or its bytes no longer hash to `id`; the next plan then
    /// re-creates it. Otherwise the recorded value stays as it is, as hashicorp/local's read
    /// leaves state alone. A value from an interrupted create (no `id`) is matched on the content
    /// the configuration asks for, and gets the checksums create would have recorded.
    async fn read(&self, current: &Value) -> Result<Option<Value>> {
        let path = self.path(current)?;
        let bytes = match tokio::fs::read(&path).await {
            Ok(bytes) => bytes,
            // A path under something that is not a directory cannot exist either.
            Err(e) if matches!(e.kind(), IoKind::NotFound | IoKind::NotADirectory) => {
                return Ok(None)
            }
            Err(e) => {
                return Err(ProviderError::api(format!(
                    "cannot read `{}`: {e}",
                    path.display()
                )))
            }
        };
        let found = digest::sha1_hex(&bytes);
        if let Some(id) = current.str_attr("id") {
            return Ok(Some(current.clone()).filter(|_| found == id));
        }
        match self.content(current).await {
            Ok(wanted) if digest::sha1_hex(&wanted) == found => {
                let mut state = current.clone();
                digest::set_all(&mut state, &bytes);
                Ok(Some(state))
            }
            _ => Ok(None),
        }
    }

    /// Unreachable in practice (every attribute forces replacement): rewrites the file.
    async fn update(&self, _prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        self.write(planned).await
    }

    /// Removes the file; errors are ignored as in Terraform, and created directories stay.
    async fn delete(&self, prior: &Value, _ctx: &OpContext) -> Result<()> {
        if let Ok(path) = self.path(prior) {
            let _ = tokio::fs::remove_file(path).await;
        }
        Ok(())
    }
}
