//! Builds the archive a configuration describes, writes it to `output_path` and fills the
//! computed attributes, as both the data source and the resource do on every read.

use labform_sdk::{ProviderContext, ProviderError, Result, Value};

use super::schema::OUTPUTS;
use super::source;
use super::zip;
use crate::checksum::Checksums;

/// Writes the archive and returns `config` with `output_size`, the checksums and `id` set.
pub async fn build(config: &Value, ctx: &ProviderContext) -> Result<Value> {
    // The computed attributes are recomputed here: a planned value holds them unknown.
    let mut config = config.clone();
    for name in OUTPUTS.iter().chain(&["output_size"]) {
        config.set(*name, Value::Null);
    }
    let config = &config;
    if !config.is_wholly_known() {
        return Err(ProviderError::invalid(
            "an `archive_file` argument is still unknown when the archive is built",
        ));
    }
    source::validate(config)?;
    let output = config.str_attr("output_path").unwrap_or_default();
    if output.is_empty() {
        return Err(ProviderError::invalid("`output_path` is required"));
    }
    let path = ctx.resolve_path(output);
    let config_owned = config.clone();
    let base = ctx.stack_dir.clone();
    // Reading and deflating a source tree is blocking work.
    let bytes = tokio::task::spawn_blocking(move || {
        let entries = source::entries(&config_owned, &base)?;
        zip::write(&entries)
            .map_err(|e| ProviderError::invalid(format!("error creating archive: {e}")))
    })
    .await
    .map_err(|e| ProviderError::api(format!("archive building stopped: {e}")))??;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if tokio::fs::metadata(parent).await.is_err() {
            let mut dir = tokio::fs::DirBuilder::new();
            dir.recursive(true).mode(0o755);
            dir.create(parent).await.map_err(|e| {
                ProviderError::api(format!(
                    "error creating output path `{}`: {e}",
                    parent.display()
                ))
            })?;
        }
    }
    tokio::fs::write(&path, &bytes)
        .await
        .map_err(|e| ProviderError::api(format!("cannot write `{}`: {e}", path.display())))?;
    let mut value = config.clone();
    value.set("output_size", Value::Number(bytes.len() as f64));
    Checksums::of(&bytes).set(&mut value, "output_", "sha");
    Ok(value)
}
