//! From a `backend` block's settings to a [`Backend`]: the one place that knows each backend
//! kind's attributes (the engine passes the kind and the settings, and never names a cloud).

use std::path::{Path, PathBuf};

use labform_sdk::Value;

use crate::backend::{Backend, LocalBackend};
use crate::codec::Codec;
use crate::error::StateError;

/// The backend kinds this build can open.
pub fn backend_kinds() -> Vec<&'static str> {
    let mut kinds = vec!["local"];
    if cfg!(feature = "s3") {
        kinds.push("s3");
    }
    if cfg!(feature = "gcs") {
        kinds.push("gcs");
    }
    kinds
}

/// Opens the backend `kind` with `settings` (an object of the block's attributes, after
/// `-backend-config`). Relative local paths are taken from `stack_dir`. Nothing is called
/// over the network until the backend is used.
///
/// Errors: [`StateError::BackendConfig`] for an unknown kind, a missing required attribute, an
/// attribute labform does not support (never silently ignored), and `dynamodb_table`.
pub fn open_backend(
    kind: &str,
    settings: &Value,
    stack_dir: &Path,
    codec: Codec,
) -> Result<Box<dyn Backend>, StateError> {
    match kind {
        "local" => {
            check_attrs(kind, settings, &["path", "workspace_dir"], &[])?;
            let path = match settings.str_attr("path") {
                Some(p) if Path::new(p).is_absolute() => PathBuf::from(p),
                Some(p) => stack_dir.join(p),
                None => stack_dir.join(".labform").join("state.json"),
            };
            Ok(Box::new(LocalBackend::new(path).with_codec(codec)))
        }
        #[cfg(feature = "s3")]
        "s3" => s3(settings, codec),
        #[cfg(feature = "gcs")]
        "gcs" => gcs(settings, codec),
        #[allow(unreachable_patterns)]
        "s3" | "gcs" => Err(StateError::BackendConfig(format!(
            "the `{kind}` backend is not compiled into this labform\nhint: build labform with its default features (the `{}` feature)",
            if kind == "s3" { "aws" } else { "gcp" }
        ))),
        other => Err(StateError::BackendConfig(format!(
            "the `{other}` backend is not supported by labform\nhint: use one of: {}",
            ["local", "s3", "gcs"].join(", ")
        ))),
    }
}

fn check_attrs(
    kind: &str,
    settings: &Value,
    known: &[&str],
    required: &[&str],
) -> Result<(), StateError> {
    if let Some(map) = settings.as_object() {
        for (name, value) in map {
            if matches!(value, Value::Null) {
                continue;
            }
            if name == "dynamodb_table" {
                return Err(StateError::BackendConfig(
                    "the s3 backend's `dynamodb_table` locking is not supported by labform (Terraform deprecates it too)\nhint: remove `dynamodb_table` and set `use_lockfile = true`: the lock is then an object beside the state, made with S3's conditional writes".into(),
                ));
            }
            if !known.contains(&name.as_str()) {
                return Err(StateError::BackendConfig(format!(
                    "the `{kind}` backend's attribute `{name}` is not supported by labform\nhint: supported attributes: {}",
                    known.join(", ")
                )));
            }
        }
    }
    for name in required {
        if settings.str_attr(name).is_none_or(str::is_empty) {
            return Err(StateError::BackendConfig(format!(
                "the `{kind}` backend needs `{name}`\nhint: set it in the backend block, or pass `-backend-config={name}=...` to `labform init`"
            )));
        }
    }
    Ok(())
}

#[cfg(feature = "s3")]
fn s3(settings: &Value, codec: Codec) -> Result<Box<dyn Backend>, StateError> {
    use crate::remote::s3::{S3Objects, S3Settings};
    use crate::remote::{RemoteBackend, WorkspaceNaming};
    check_attrs(
        "s3",
        settings,
        &[
            "bucket",
            "key",
            "region",
            "encrypt",
            "use_lockfile",
            "workspace_key_prefix",
            "endpoints",
            "endpoint",
            "profile",
            "shared_credentials_files",
            "shared_credentials_file",
            "shared_config_files",
            "access_key",
            "secret_key",
            "token",
            "kms_key_id",
            "use_path_style",
            "force_path_style",
            "skip_credentials_validation",
            "skip_region_validation",
            "skip_metadata_api_check",
            "skip_requesting_account_id",
            "skip_s3_checksum",
            "max_retries",
        ],
        &["bucket", "key"],
    )?;
    let text = |k: &str| settings.str_attr(k).map(str::to_string);
    let mut credentials = settings.string_list_attr("shared_credentials_files");
    credentials.extend(text("shared_credentials_file"));
    let endpoint = settings
        .get("endpoints")
        .str_attr("s3")
        .map(str::to_string)
        .or_else(|| text("endpoint"));
    let key = text("key").unwrap_or_default();
    if key.starts_with('/') || key.ends_with('/') {
        return Err(StateError::BackendConfig(format!(
            "the s3 backend's `key` `{key}` must not start or end with `/`"
        )));
    }
    let s = S3Settings {
        bucket: text("bucket").unwrap_or_default(),
        region: text("region"),
        endpoint,
        use_path_style: settings.bool_attr("use_path_style", false)
            || settings.bool_attr("force_path_style", false),
        profile: text("profile"),
        shared_credentials_files: credentials,
        shared_config_files: settings.string_list_attr("shared_config_files"),
        access_key: text("access_key"),
        secret_key: text("secret_key"),
        token: text("token"),
        encrypt: settings.bool_attr("encrypt", false),
        kms_key_id: text("kms_key_id"),
    };
    let objects = S3Objects::connect(&s)?;
    let description = format!("s3 bucket `{}`, key `{key}`", s.bucket);
    let naming = WorkspaceNaming::KeyPrefix {
        key,
        prefix: text("workspace_key_prefix").unwrap_or_else(|| "env:".to_string()),
    };
    Ok(Box::new(
        RemoteBackend::new(std::sync::Arc::new(objects), naming, description).with_codec(codec),
    ))
}

#[cfg(feature = "gcs")]
fn gcs(settings: &Value, codec: Codec) -> Result<Box<dyn Backend>, StateError> {
    use crate::remote::gcs::{GcsObjects, GcsSettings};
    use crate::remote::{RemoteBackend, WorkspaceNaming};
    check_attrs(
        "gcs",
        settings,
        &[
            "bucket",
            "prefix",
            "credentials",
            "access_token",
            "storage_custom_endpoint",
        ],
        &["bucket"],
    )?;
    let text = |k: &str| settings.str_attr(k).map(str::to_string);
    let s = GcsSettings {
        bucket: text("bucket").unwrap_or_default(),
        credentials: text("credentials"),
        access_token: text("access_token"),
        endpoint: text("storage_custom_endpoint"),
    };
    let objects = GcsObjects::connect(&s)?;
    let prefix = text("prefix").unwrap_or_default();
    let description = format!("gcs bucket `{}`, prefix `{prefix}`", s.bucket);
    Ok(Box::new(
        RemoteBackend::new(
            std::sync::Arc::new(objects),
            WorkspaceNaming::Directory { prefix },
            description,
        )
        .with_codec(codec),
    ))
}
