//! `labform show`: the state (or a saved plan), for people or as JSON in the shape of
//! `terraform show -json`.

use super::common::{read_state, registry, store_in_dir};
use crate::cli::ShowArgs;
use crate::config::load_sources;
use crate::diag::Diagnostics;
use crate::plan::saved::SavedPlan;
use crate::ui;

pub fn run(args: ShowArgs) -> Result<u8, Diagnostics> {
    if let Some(path) = &args.plan {
        let saved = SavedPlan::read(path)?;
        if args.json {
            let sources = saved
                .sources
                .iter()
                .map(|(p, t)| (p.clone(), t.clone().into_bytes()))
                .collect();
            let stack = load_sources(&saved.stack_dir, sources)?;
            let registry = registry();
            let configuration = ui::tf_config::configuration_json(&stack, &registry);
            let doc = ui::tf_show::plan_show_json(&saved, &registry, configuration);
            ui::out(&doc.to_string());
        } else {
            ui::out(&ui::plan_text::render_plan(&saved.plan));
        }
        return Ok(0);
    }
    let store = store_in_dir(args.state.as_deref())?;
    let state = read_state(&store)?;
    if args.json {
        ui::out(&ui::tf_show::state_json(&state, &registry()).to_string());
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
