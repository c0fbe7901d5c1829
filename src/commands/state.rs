//! `labform state list|show|rm|mv`.

use labform_sdk::Value;
use labform_state::{InstanceAddr, InstanceState, StateStore};

use super::common::{read_state, state_error, store_in_dir};
use crate::cli::{LockArgs, StateCommand};
use crate::diag::{Diagnostic, Diagnostics};
use crate::eval::Marks;
use crate::suggest::did_you_mean;
use crate::ui;

pub fn run(cmd: StateCommand) -> Result<u8, Diagnostics> {
    match cmd {
        StateCommand::Pull(a) => super::state_push::pull(a),
        StateCommand::Push(a) => super::state_push::push(a),
        StateCommand::ReplaceProvider(a) => super::replace_provider::run(a),
        StateCommand::List(a) => {
            let store = store_in_dir(a.state.as_deref())?;
            let state = read_state(&store)?;
            for (addr, _, _) in state.instances() {
                let text = addr.to_string();
                if a.filters.is_empty()
                    || a.filters.iter().any(|f| {
                        text == *f
                            || text.starts_with(&format!("{f}."))
                            || text.starts_with(&format!("{f}["))
                            || addr.resource_addr() == *f
                    })
                {
                    ui::out(&text);
                }
            }
            Ok(0)
        }
        StateCommand::Show(a) => {
            let store = store_in_dir(a.state.as_deref())?;
            let state = read_state(&store)?;
            let addr = parse(&a.address)?;
            let Some((_, inst)) = state.instance(&addr) else {
                return Err(not_found(&state, &a.address));
            };
            if a.json {
                ui::out(&serde_json::json!({ "address": a.address, "values": redacted(&inst.attributes, &inst.sensitive_attributes), "sensitive_attributes": inst.sensitive_attributes, "tainted": inst.is_tainted() }).to_string());
            } else {
                ui::out(&render_instance(&addr, inst));
            }
            Ok(0)
        }
        StateCommand::Rm(a) => {
            let store = store_in_dir(a.state.as_deref())?;
            let _lock = super::common::lock(&store, "state rm", &LockArgs::default())?;
            let state = read_state(&store)?;
            let mut writer = store.writer(state.clone()).map_err(state_error)?;
            for text in &a.addresses {
                // A module path (`module.etl`) removes everything in it.
                let module = text.parse::<labform_state::ModulePath>().ok();
                let addr = match module {
                    Some(_) => None,
                    None => Some(parse(text)?),
                };
                let matching: Vec<InstanceAddr> = state
                    .instances()
                    .map(|(x, _, _)| x)
                    .filter(|x| match (&module, &addr) {
                        (Some(m), _) => x.module.starts_with(m),
                        (None, Some(addr)) => {
                            x == addr
                                || (addr.key.is_none() && x.resource_addr() == addr.resource_addr())
                        }
                        _ => false,
                    })
                    .collect();
                if matching.is_empty() {
                    return Err(not_found(&state, text));
                }
                for m in matching {
                    writer.remove_instance(&m).map_err(state_error)?;
                    ui::out(&format!("Removed {m}"));
                }
            }
            writer.commit().map_err(state_error)?;
            ui::out("The objects still exist; labform no longer tracks them.");
            Ok(0)
        }
        StateCommand::Mv(a) => {
            let store = store_in_dir(a.state.as_deref())?;
            let _lock = super::common::lock(&store, "state mv", &LockArgs::default())?;
            let mut state = read_state(&store)?;
            let before = state.clone();
            // The same rules as a `moved` block: a module, a resource (every instance) or one
            // instance.
            let moved = crate::plan::moved::apply_moved(
                &[crate::config::Moved {
                    from: a.from.clone(),
                    to: a.to.clone(),
                    location: None,
                }],
                &mut state,
            )?;
            if moved.is_empty() {
                if let Ok(to) = a.to.parse::<InstanceAddr>() {
                    if before.instance(&to).is_some() {
                        return Err(Diagnostic::error(format!(
                            "cannot move `{}` to `{}`: `{}` is already in state",
                            a.from, a.to, a.to
                        ))
                        .into());
                    }
                }
                return Err(not_found(&before, &a.from));
            }
            let mut writer = store.writer(before).map_err(state_error)?;
            for (from, to) in &moved {
                writer.move_instance(from, to).map_err(state_error)?;
            }
            writer.commit().map_err(state_error)?;
            ui::out(&format!(
                "Move \"{}\" to \"{}\"\nSuccessfully moved {} object(s).",
                a.from,
                a.to,
                moved.len()
            ));
            Ok(0)
        }
    }
}

fn parse(text: &str) -> Result<InstanceAddr, Diagnostics> {
    text.parse::<InstanceAddr>()
        .map_err(|e| Diagnostic::error(format!("invalid resource address `{text}`: {e}")).into())
}

fn not_found(state: &labform_state::StateFile, text: &str) -> Diagnostics {
    let all: Vec<String> = state.instances().map(|(a, _, _)| a.to_string()).collect();
    Diagnostic::error(format!("no resource `{text}` in state"))
        .maybe_hint(
            did_you_mean(text, all.iter().map(String::as_str), |s| s.to_string())
                .or_else(|| Some("list what state holds with `labform state list`".into())),
        )
        .into()
}

/// The attributes as JSON with the sensitive parts (state's `sensitive_attributes` paths)
/// replaced by `"(sensitive value)"`.
pub fn redacted(attrs: &Value, sensitive: &[Vec<String>]) -> serde_json::Value {
    ui::json::redacted_json(attrs, &Marks::from_paths(sensitive))
}

pub fn render_instance(addr: &InstanceAddr, inst: &InstanceState) -> String {
    let kind = if addr.mode == crate::config::Mode::Data {
        "data"
    } else {
        "resource"
    };
    let mut s = format!(
        "# {addr}:{}\n{kind} \"{}\" \"{}\" {{\n",
        if inst.is_tainted() { " (tainted)" } else { "" },
        addr.type_name,
        addr.name
    );
    s.push_str(&ui::values::render_attributes(
        &inst.attributes,
        &Marks::from_paths(&inst.sensitive_attributes),
        4,
    ));
    s.push_str("}\n");
    s
}
