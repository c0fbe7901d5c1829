//! `labform status`: from state alone (no cloud call), every object of the stack here, since
//! when it is up, its expiry, and its estimated cost per hour and per day, with totals.

use std::path::Path;

use labform_sdk::{Value, EXPIRES_KEY};
use labform_state::{InstanceState, Mode, StateFile};

use super::common::{read_state, stack_dir, store_in};
use crate::cli::StatusArgs;
use crate::cost::{estimate, Item, PriceTable, StackCost};
use crate::diag::{Diagnostic, Diagnostics};
use crate::engine::expiry::mark_to_rfc3339;
use crate::ui;

/// When the object expires (RFC 3339), if an expiry is set: the stack's, as state records it,
/// else the `labform-expires` mark among the object's tags or labels (a state written before
/// the stack had an expiry).
fn expiry_of(state: &StateFile, inst: &InstanceState) -> Option<String> {
    let mark = state.expires().map(str::to_string).or_else(|| {
        let Value::Object(attrs) = &inst.attributes else {
            return None;
        };
        attrs
            .values()
            .find_map(|v| v.get(EXPIRES_KEY).as_str().map(str::to_string))
    })?;
    Some(mark_to_rfc3339(&mark).unwrap_or(mark))
}

/// The stack's name: its configuration's, else its directory's.
fn stack_name(dir: &Path) -> String {
    if let Ok(stack) = super::common::load_default_stack(dir) {
        return stack.name;
    }
    std::fs::canonicalize(dir)
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| ".".to_string())
}

/// The built-in price table.
pub(super) fn price_table() -> Result<&'static PriceTable, Diagnostics> {
    crate::cost::builtin().map_err(|e| {
        Diagnostics::from(Diagnostic::error(format!(
            "the price table is malformed: {e}"
        )))
    })
}

pub fn run(args: StatusArgs) -> Result<u8, Diagnostics> {
    let dir = stack_dir(args.dir.dir.as_deref());
    let store = store_in(&dir, args.state.as_deref())?;
    let state = read_state(&store)?;
    let table = price_table()?;
    let managed: Vec<_> = state
        .instances()
        .filter(|(addr, _, _)| addr.mode == Mode::Managed)
        .collect();
    // Every recorded object, an interrupted create included: it may exist, and so may cost.
    let cost = StackCost {
        items: managed
            .iter()
            .map(|(addr, _, inst)| {
                let estimate = estimate(table, &addr.type_name, &inst.attributes);
                let item = Item {
                    addr: addr.clone(),
                    estimate,
                };
                (addr.to_string(), item)
            })
            .collect(),
    };
    let rows = managed
        .iter()
        .filter_map(|(addr, _, inst)| {
            cost.items
                .get(&addr.to_string())
                .map(|item| ui::status::Row {
                    item,
                    created_at: inst.created_at.as_deref(),
                    expires_at: expiry_of(&state, inst),
                    in_doubt: inst.pending.is_some(),
                    tainted: inst.is_tainted(),
                })
        })
        .collect();
    let name = stack_name(&dir);
    let status = ui::status::Status {
        stack: &name,
        source: ui::status::Source::State,
        rows,
        cost: &cost,
        disclaimer: &table.disclaimer,
        now: chrono::Utc::now(),
    };
    if args.json {
        ui::out(&ui::status::json(&status).to_string());
    } else {
        ui::out(&ui::status::render(&status));
    }
    Ok(0)
}
