//! `labform taint` / `labform untaint`: mark a recorded instance for replacement, or unmark it.

use labform_state::{InstanceAddr, StateStore, Status};

use super::common::{lock, read_state, state_error, store_in_dir};
use crate::cli::TaintArgs;
use crate::diag::{Diagnostic, Diagnostics};
use crate::ui;

pub fn taint(args: TaintArgs) -> Result<u8, Diagnostics> {
    set_status(args, true)
}

pub fn untaint(args: TaintArgs) -> Result<u8, Diagnostics> {
    set_status(args, false)
}

fn set_status(args: TaintArgs, tainted: bool) -> Result<u8, Diagnostics> {
    let addr = args.address.parse::<InstanceAddr>().map_err(|e| {
        Diagnostics::from(
            Diagnostic::error(format!("invalid resource address `{}`: {e}", args.address))
                .hint("write it like `aws_instance.web` or `aws_instance.web[0]`"),
        )
    })?;
    if addr.mode == crate::config::Mode::Data {
        return Err(Diagnostic::error(format!(
            "cannot taint `{addr}`: only managed resources can be tainted"
        ))
        .hint("a data source is read again on every plan; there is nothing to replace")
        .into());
    }
    let store = store_in_dir(args.state.as_deref())?;
    let op = if tainted { "taint" } else { "untaint" };
    let _lock = lock(&store, op, &args.locking)?;
    let state = read_state(&store)?;
    let Some((rs, inst)) = state.instance(&addr) else {
        if args.allow_missing {
            ui::err(&format!(
                "warning: no resource instance `{addr}` in state; nothing to {op}"
            ));
            return Ok(0);
        }
        return Err(Diagnostic::error(format!("no resource instance `{addr}` in state"))
            .hint("list what state holds with `labform state list`, or add `-allow-missing` to succeed anyway")
            .into());
    };
    if !tainted && !inst.is_tainted() {
        return Err(Diagnostic::error(format!("`{addr}` is not tainted"))
            .hint("only an instance marked with `labform taint` (or a failed create) can be untainted")
            .into());
    }
    let mut inst = inst.clone();
    inst.status = tainted.then_some(Status::Tainted);
    let provider = rs.provider.clone();
    let mut writer = store.writer(state.clone()).map_err(state_error)?;
    writer
        .put_instance(&addr, &provider, inst)
        .map_err(state_error)?;
    writer.commit().map_err(state_error)?;
    ui::out(&if tainted {
        format!("Resource instance {addr} has been marked as tainted.")
    } else {
        format!("Resource instance {addr} has been successfully untainted.")
    });
    Ok(0)
}
