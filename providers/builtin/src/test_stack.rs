//! The harness the providers' own tests share: a provider configured on a temporary stack
//! directory, and a runtime to drive its async calls from plain `#[test]`s.

use std::sync::Arc;

use labform_sdk::{ConfiguredProvider, Provider, ProviderContext, Value};

/// `provider` configured (with an empty provider block) for the stack `t` in a new temporary
/// directory: the directory (removed when dropped), the configured provider, the runtime.
pub(crate) fn configured_in_temp_dir(
    provider: &dyn Provider,
) -> (
    tempfile::TempDir,
    Arc<dyn ConfiguredProvider>,
    tokio::runtime::Runtime,
) {
    let dir = tempfile::tempdir().expect("temp dir");
    let ctx = ProviderContext {
        stack_name: "t".into(),
        stack_dir: dir.path().to_path_buf(),
        stack_id: String::new(),
        expires: None,
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let configured = rt
        .block_on(provider.configure(&Value::object(), &ctx))
        .expect("configure");
    (dir, configured, rt)
}
