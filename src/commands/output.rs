//! `labform output`: output values from state.

use super::common::{read_state, store_in_dir};
use crate::cli::OutputArgs;
use crate::diag::{Diagnostic, Diagnostics};
use crate::suggest::did_you_mean;
use crate::ui;

pub fn run(args: OutputArgs) -> Result<u8, Diagnostics> {
    let store = store_in_dir(args.state.as_deref())?;
    let state = read_state(&store)?;
    let Some(name) = &args.name else {
        if args.json {
            ui::out(&ui::json::outputs_json(&state.outputs).to_string());
        } else if state.outputs.is_empty() {
            ui::err("warning: no outputs found in state; apply a stack that declares `output` blocks first");
        } else {
            ui::out(
                ui::plan_text::render_outputs(&state.outputs).trim_start_matches("\nOutputs:\n\n"),
            );
        }
        return Ok(0);
    };
    let Some(o) = state.outputs.get(name) else {
        return Err(Diagnostic::error(format!("no output `{name}` in state"))
            .maybe_hint(did_you_mean(
                name,
                state.outputs.keys().map(String::as_str),
                |s| s.to_string(),
            ))
            .into());
    };
    if args.json {
        ui::out(&o.value.to_json().to_string());
    } else if args.raw {
        match &o.value {
            labform_sdk::Value::String(s) => ui::out(s),
            labform_sdk::Value::Number(_) | labform_sdk::Value::Bool(_) => {
                ui::out(&o.value.to_string())
            }
            _ => {
                return Err(Diagnostic::error(format!(
                    "output `{name}` is not a string, number or bool"
                ))
                .hint("use `-json` for complex values")
                .into())
            }
        }
    } else {
        ui::out(&ui::values::render(&o.value, 0));
    }
    Ok(0)
}
