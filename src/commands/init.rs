//! `labform init`: nothing to download; checks that the stack loads so scripts fail early.

use super::common::load_default_stack;
use super::common::stack_dir;
use crate::cli::InitArgs;
use crate::diag::Diagnostics;
use crate::ui;

pub fn run(args: InitArgs) -> Result<u8, Diagnostics> {
    let dir = stack_dir(args.dir.dir.as_deref());
    let stack = load_default_stack(&dir)?;
    let _ = (
        args.upgrade,
        args.input,
        args.backend_config,
        args.reconfigure,
    );
    ui::out(&format!(
        "labform needs no init: its providers are built in.\nThe stack `{}` ({} file(s)) is ready; run `labform plan`.",
        stack.name,
        stack.files.len()
    ));
    Ok(0)
}
