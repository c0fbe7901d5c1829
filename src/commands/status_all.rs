//! `labform status -all`: every stack found by its marks, in the accounts and projects this
//! directory's provider blocks name and on the local Docker engine, each object with since
//! when it is up, its expiry and its estimated cost, per stack and in total. Read from the
//! clouds, not from any state, so a stack whose directory or state is gone shows too: what an
//! instructor runs to see what a cohort left up.

use labform_sdk::{StackFilter, EXPIRES_KEY};
use labform_state::{InstanceAddr, Mode, ModulePath};

use super::common::{load_engine, stack_dir};
use super::marked::{by_stack, display_name, list_everywhere, Found};
use super::status::price_table;
use super::sweep::created_time;
use crate::cli::{RunArgs, StatusArgs};
use crate::cost::{estimate, Item, PriceTable, StackCost};
use crate::diag::Diagnostics;
use crate::engine::expiry::mark_to_rfc3339;
use crate::ui;
use crate::ui::status::{Row, Source, Status};

pub async fn run(args: StatusArgs) -> Result<u8, Diagnostics> {
    let dir = stack_dir(args.dir.dir.as_deref());
    let engine = load_engine(&dir, &RunArgs::default())?;
    let table = price_table()?;
    let found = list_everywhere(&engine, &StackFilter::Any).await?;
    let groups = by_stack(&found);
    let costs: Vec<((String, String), StackCost, Vec<&Found>)> = groups
        .into_iter()
        .map(|(stack, items)| (stack, stack_cost(table, &items), items))
        .collect();
    // Providers say when an object was made in RFC 3339 or in milliseconds since the epoch.
    let created: Vec<Vec<Option<String>>> = costs
        .iter()
        .map(|(_, _, items)| {
            items
                .iter()
                .map(|(_, _, m)| {
                    let at = m.created.as_deref().and_then(created_time)?;
                    Some(at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                })
                .collect()
        })
        .collect();
    let now = chrono::Utc::now();
    let stacks: Vec<Status> = costs
        .iter()
        .zip(&created)
        .map(|(((name, id), cost, items), created)| Status {
            stack: name,
            source: Source::Marks(id),
            rows: items
                .iter()
                .zip(cost.items.values())
                .zip(created)
                .map(|(((_, _, m), item), created)| Row {
                    item,
                    created_at: created.as_deref(),
                    expires_at: m
                        .labels
                        .get(EXPIRES_KEY)
                        .map(|e| mark_to_rfc3339(e).unwrap_or_else(|| e.clone())),
                    in_doubt: false,
                    tainted: false,
                })
                .collect(),
            cost,
            disclaimer: &table.disclaimer,
            now,
        })
        .collect();
    ui::out(&if args.json {
        ui::status::json_all(&stacks, &table.disclaimer).to_string()
    } else {
        ui::status::render_all(&stacks, &table.disclaimer)
    });
    Ok(0)
}

/// The objects' estimates, in the order given: each keyed by its position, so that two objects
/// a person names alike stay two.
fn stack_cost(table: &PriceTable, items: &[&Found]) -> StackCost {
    StackCost {
        items: items
            .iter()
            .enumerate()
            .map(|(n, (_, res, m))| {
                let addr = InstanceAddr {
                    module: ModulePath::default(),
                    mode: Mode::Managed,
                    type_name: res.type_name().to_string(),
                    name: display_name(&m.value),
                    key: None,
                };
                let estimate = estimate(table, res.type_name(), &m.value);
                (format!("{n:08}"), Item { addr, estimate })
            })
            .collect(),
    }
}
