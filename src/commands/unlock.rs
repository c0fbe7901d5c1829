//! `labform force-unlock ID`.

use labform_state::StateStore;

use super::common::load_default_stack;
use super::common::{confirm, stack_dir, state_error, store_for};
use crate::cli::ForceUnlockArgs;
use crate::diag::Diagnostics;
use crate::ui;

pub fn run(args: ForceUnlockArgs) -> Result<u8, Diagnostics> {
    let dir = stack_dir(args.dir.dir.as_deref());
    let store = match load_default_stack(&dir) {
        Ok(stack) => store_for(&stack, args.state.as_deref())?,
        Err(_) => super::common::store_in_dir(args.state.as_deref())?,
    };
    if !args.force
        && !confirm(
            "Do you really want to force-unlock?",
            "labform will remove the lock on the state. Only do this if no other run is using it.",
        )?
    {
        ui::err("force-unlock cancelled");
        return Ok(1);
    }
    let removed = store.force_unlock(&args.lock_id).map_err(state_error)?;
    ui::out(&format!(
        "labform state has been successfully unlocked!\n{removed}"
    ));
    Ok(0)
}
