//! `labform show`: the state (or a saved plan), for people or as JSON.

use serde_json::json;

use super::common::{read_state, store_in_dir};
use crate::cli::ShowArgs;
use crate::diag::Diagnostics;
use crate::eval::Marks;
use crate::plan::saved::SavedPlan;
use crate::ui;

pub fn run(args: ShowArgs) -> Result<u8, Diagnostics> {
    if let Some(path) = &args.plan {
        let saved = SavedPlan::read(path)?;
        if args.json {
            ui::out(&ui::json::plan_json(&saved.plan).to_string());
        } else {
            ui::out(&ui::plan_text::render_plan(&saved.plan));
        }
        return Ok(0);
    }
    let store = store_in_dir(args.state.as_deref())?;
    let state = read_state(&store)?;
    if args.json {
        let resources: Vec<_> = state
            .instances()
            .map(|(addr, rs, inst)| {
                json!({
                    "address": addr.to_string(),
                    "mode": if addr.mode == crate::config::Mode::Data { "data" } else { "managed" },
                    "type": addr.type_name,
                    "name": addr.name,
                    "index": addr.key.as_ref().map(|k| k.to_string().trim_matches('"').to_string()),
                    "provider_name": rs.provider,
                    "values": super::state::redacted(&inst.attributes, &inst.sensitive_attributes),
                    "sensitive_values": ui::json::sensitive_tree(&inst.attributes, &Marks::from_paths(&inst.sensitive_attributes)),
                    "tainted": inst.is_tainted(),
                })
            })
            .collect();
        ui::out(&json!({
            "format_version": ui::json::FORMAT_VERSION,
            "terraform_version": state.terraform_version,
            "values": { "outputs": ui::json::outputs_json(&state.outputs), "root_module": { "resources": resources } },
        }).to_string());
        return Ok(0);
    }
    if state.is_empty() {
        ui::out("The state is empty: no resources are recorded.");
        return Ok(0);
    }
    for (addr, _, inst) in state.instances() {
        ui::out(&super::state::render_instance(&addr, inst));
    }
    ui::out(&ui::plan_text::render_state_outputs(&state.outputs));
    Ok(0)
}
