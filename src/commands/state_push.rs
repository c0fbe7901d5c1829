//! `labform state pull` and `labform state push`: the whole state file out and in, with
//! Terraform's lineage and serial checks.

use std::io::Read;

use labform_state::{StateFile, StateStore};

use super::common::{lock, state_error, store_in_dir};
use crate::cli::{StatePullArgs, StatePushArgs};
use crate::diag::{Diagnostic, Diagnostics};
use crate::ui;

pub fn pull(args: StatePullArgs) -> Result<u8, Diagnostics> {
    let store = store_in_dir(args.state.as_deref())?;
    // With no state yet Terraform prints nothing and succeeds.
    if let Some(state) = store.read().map_err(state_error)? {
        // Exactly what the state file holds: Terraform's encoding.
        let bytes = store.codec().to_bytes(&state);
        ui::out(String::from_utf8_lossy(&bytes).trim_end());
    }
    Ok(0)
}

pub fn push(args: StatePushArgs) -> Result<u8, Diagnostics> {
    let (bytes, name) = if args.path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| Diagnostic::error(format!("cannot read standard input: {e}")))?;
        (buf, std::path::PathBuf::from("<stdin>"))
    } else {
        let bytes = std::fs::read(&args.path).map_err(|e| {
            Diagnostic::error(format!("cannot read `{}`: {e}", args.path.display()))
        })?;
        (bytes, args.path.clone())
    };
    let store = store_in_dir(args.state.as_deref())?;
    // Decoded as the store reads its own file (dynamic values with their type).
    let pushed = store.codec().parse(&bytes, &name).map_err(state_error)?;
    let _lock = lock(&store, "state push", &args.locking)?;
    let current = store.read().map_err(state_error)?;
    if !args.force {
        if let Some(current) = current.as_ref().filter(|c| !c.is_empty()) {
            check_valid_push(&pushed, current)?;
        }
    }
    store.replace(&pushed).map_err(state_error)?;
    Ok(0)
}

/// Terraform's rule: an empty state may be overwritten by anything; otherwise the pushed state
/// must be of the same lineage and not older.
fn check_valid_push(pushed: &StateFile, current: &StateFile) -> Result<(), Diagnostics> {
    let hint = "check that you are pushing this stack's state; add `-force` to overwrite anyway";
    if pushed.lineage != current.lineage {
        return Err(Diagnostic::error(format!(
            "cannot push a state with lineage `{}` over unrelated state with lineage `{}`",
            pushed.lineage, current.lineage
        ))
        .hint(hint)
        .into());
    }
    if pushed.serial < current.serial {
        return Err(Diagnostic::error(format!(
            "cannot push a state with serial {} over newer state with serial {}",
            pushed.serial, current.serial
        ))
        .hint("the recorded state has changes the pushed file lacks; pull it again, or add `-force` to overwrite anyway")
        .into());
    }
    Ok(())
}
