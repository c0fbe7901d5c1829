//! `labform up`, `labform down` and `labform convert`: the Compose user's words for apply and
//! destroy without a prompt, and the configuration text a compose file converts to.

use std::path::PathBuf;

use super::common::compose_settings;
use crate::cli::{ApplyArgs, ConvertArgs, DestroyArgs, UpDownArgs};
use crate::diag::{Diagnostic, Diagnostics};

pub async fn up(args: UpDownArgs) -> Result<u8, Diagnostics> {
    super::apply::run_apply(ApplyArgs {
        ttl: None,
        target: Some(super::common::stack_dir(args.dir.dir.as_deref())),
        run: args.run,
        auto_approve: true,
        destroy: false,
        refresh_only: false,
    })
    .await
}

pub async fn down(args: UpDownArgs) -> Result<u8, Diagnostics> {
    super::apply::run_destroy(DestroyArgs {
        dir: args.dir,
        run: args.run,
        auto_approve: true,
    })
    .await
}

pub fn convert(args: ConvertArgs) -> Result<u8, Diagnostics> {
    let mut compose = args.compose;
    if let Some(file) = args.file {
        compose.files.insert(0, file);
    }
    let settings = compose_settings(&compose);
    let dir = PathBuf::from(".");
    let converted = crate::compose::load(&dir, &settings)?.ok_or_else(|| {
        Diagnostic::error("no compose file here").hint(format!(
            "name one (`labform convert FILE`) or run in a directory holding {}",
            crate::compose::DEFAULT_FILES
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })?;
    crate::ui::print_diagnostics(&converted.warnings);
    crate::ui::out(converted.text.trim_end());
    Ok(0)
}
