//! `labform sweep -expired [-all]`: destroys the stacks whose expiry (`apply -ttl`) has passed.
//! The stack here goes through its state (a destroy, with its read-back); a stack whose state is
//! not here is found by its marks (with `-all`, every stack on the searched providers) and is
//! expired only when every object of it carries a `labform-expires` mark that has passed. An
//! unexpired stack, an object without an expiry mark and an unmarked object are never touched.

use labform_sdk::{is_expired, StackFilter};

use super::common::{load_engine, read_state, stack_dir, store_for};
use super::marked::{by_stack, is_recorded, list, searched_providers, Found};
use super::sweep::{age, approved, delete_all};
use super::sweep_elsewhere::{run_args_elsewhere, ByItsState};
use crate::cli::SweepArgs;
use crate::diag::Diagnostics;
use crate::engine::expiry::{mark_to_rfc3339, now_mark};
use crate::ui;

/// A stack found by mark: its name, id, expiry (the latest its objects carry) and objects.
struct ByMark {
    name: String,
    id: String,
    expires: String,
    objects: Vec<Found>,
}

/// A stack found by mark that its own state says is expired, destroyed from its directory.
struct Elsewhere {
    /// Its name, id, expiry (from its state) and the marked objects its state does not record.
    by_mark: ByMark,
    dir: std::path::PathBuf,
    recorded: Vec<String>,
}

/// Every object found that carries stack `id`'s mark.
fn all_of_stack(found: &[Found], id: &str) -> Vec<Found> {
    by_stack(found)
        .into_iter()
        .filter(|((_, i), _)| i == id)
        .flat_map(|(_, objects)| objects.into_iter().cloned())
        .collect()
}

/// When a group of objects expires: the latest expiry they carry, provided every one carries
/// one that has passed (one object without a mark, or not yet expired, keeps the whole stack).
fn group_expiry(objects: &[&Found], now: &str) -> Option<String> {
    let marks: Vec<Option<&str>> = objects.iter().map(|f| f.2.expires()).collect();
    latest_if_all_expired(&marks, now)
}

fn latest_if_all_expired(marks: &[Option<&str>], now: &str) -> Option<String> {
    let mut latest: Option<&str> = None;
    for m in marks {
        let m = (*m).filter(|m| is_expired(m, now))?;
        latest = latest.max(Some(m));
    }
    latest.map(str::to_string)
}

fn when(mark: &str) -> String {
    mark_to_rfc3339(mark).unwrap_or_else(|| mark.to_string())
}

pub async fn run(args: SweepArgs) -> Result<u8, Diagnostics> {
    let dir = stack_dir(args.dir.dir.as_deref());
    let mut engine = load_engine(&dir, &args.run)?;
    let store = store_for(&engine.stack, args.run.state.as_deref())?;
    let mut state = read_state(&store)?;
    engine.use_state_identity(&mut state);
    let now = now_mark();
    let here = engine.stack_filter();
    let recorded = state.managed_addresses();
    // The stack here is decided by its state, when it has one.
    let local_expiry = (!recorded.is_empty())
        .then(|| state.expires().map(str::to_string))
        .flatten();
    let local_expired = local_expiry.as_deref().is_some_and(|e| is_expired(e, &now));
    let filter = if args.all {
        StackFilter::Any
    } else {
        here.clone()
    };
    let found = list(&engine, &filter, &searched_providers(&engine)).await?;
    let mut expired = Vec::new();
    let mut elsewhere: Vec<Elsewhere> = Vec::new();
    let mut kept = 0;
    for ((name, id), objects) in by_stack(&found) {
        let ours = objects.iter().all(|f| here.matches(&f.2.labels));
        if ours && !recorded.is_empty() {
            // Decided by state; what carries its mark outside state goes with it when expired.
            if local_expired {
                let leftovers: Vec<Found> = objects
                    .into_iter()
                    .filter(|f| !is_recorded(f, &state, &[]))
                    .cloned()
                    .collect();
                if !leftovers.is_empty() {
                    let expires = local_expiry.clone().unwrap_or_default();
                    expired.push(ByMark {
                        name,
                        id,
                        expires,
                        objects: leftovers,
                    });
                }
            }
            continue;
        }
        if !ours {
            match super::sweep_elsewhere::decide(&id, &dir, &objects, &now) {
                Some(ByItsState::Kept) => {
                    kept += 1;
                    continue;
                }
                Some(ByItsState::Expired {
                    dir,
                    expires,
                    recorded,
                    leftovers,
                }) => {
                    elsewhere.push(Elsewhere {
                        by_mark: ByMark {
                            name,
                            id,
                            expires,
                            objects: leftovers,
                        },
                        dir,
                        recorded,
                    });
                    continue;
                }
                None => {}
            }
        }
        match group_expiry(&objects, &now) {
            Some(expires) => expired.push(ByMark {
                name,
                id,
                expires,
                objects: objects.into_iter().cloned().collect(),
            }),
            None => kept += 1,
        }
    }
    if !local_expired && expired.is_empty() && elsewhere.is_empty() {
        let mut msg = String::from("No expired stacks");
        match (&local_expiry, recorded.is_empty()) {
            (Some(e), false) => msg.push_str(&format!(
                ": stack `{}` expires {}",
                engine.stack.name,
                when(e)
            )),
            (None, false) => msg.push_str(&format!(
                ": stack `{}` has no expiry (set one with `labform apply -ttl 8h`)",
                engine.stack.name
            )),
            _ => {}
        }
        if kept > 0 {
            msg.push_str(&format!(
                "; {kept} stack(s) found by mark are not expired (or have objects without an expiry mark) and are kept"
            ));
        }
        ui::out(&format!("{msg}."));
        return Ok(0);
    }
    ui::out("Expired stacks:");
    if local_expired {
        ui::out(&format!(
            "stack `{}` (id {}, this directory) expired {}; destroyed through its state:",
            engine.stack.name,
            engine.stack_id,
            when(local_expiry.as_deref().unwrap_or_default())
        ));
        for a in &recorded {
            ui::out(&format!("  - {a}"));
        }
    }
    let at = chrono::Utc::now();
    for e in &elsewhere {
        ui::out(&format!(
            "stack `{}` (id {}, in {}) expired {}; destroyed through its state:",
            e.by_mark.name,
            e.by_mark.id,
            e.dir.display(),
            when(&e.by_mark.expires)
        ));
        for a in &e.recorded {
            ui::out(&format!("  - {a}"));
        }
        for (what, _, _) in &e.by_mark.objects {
            ui::out(&format!("  - {what} (outside its state)"));
        }
    }
    for g in &expired {
        let id = if g.id.is_empty() { "none" } else { &g.id };
        ui::out(&format!(
            "stack `{}` (id {id}) expired {}; by mark:",
            g.name,
            when(&g.expires)
        ));
        for (what, _, m) in &g.objects {
            match m.created.as_deref().and_then(|c| age(c, at)) {
                Some(a) => ui::out(&format!("  - {what} (made {a} ago)")),
                None => ui::out(&format!("  - {what}")),
            }
        }
    }
    if kept > 0 {
        ui::out(&format!(
            "{kept} other stack(s) found by mark are not expired and are kept."
        ));
    }
    if !approved(&args, "destroy", "every stack listed above")? {
        return Ok(0);
    }
    let mut code = 0;
    if local_expired {
        drop(engine);
        code = super::apply::destroy_expired(&dir, &args.run).await?;
    }
    for e in elsewhere {
        ui::out(&format!(
            "Destroying stack `{}` in {}:",
            e.by_mark.name,
            e.dir.display()
        ));
        match super::apply::destroy_expired(&e.dir, &run_args_elsewhere()).await {
            Ok(c) => code = code.max(c),
            Err(d) => {
                // Its state could not be used (a variable without a value, a lock held): it
                // is expired all the same, so its objects go by mark.
                ui::print_diagnostics(&d);
                ui::out(&format!(
                    "stack `{}`: deleting its marked objects instead",
                    e.by_mark.name
                ));
                let mut by_mark = e.by_mark;
                by_mark.objects = all_of_stack(&found, &by_mark.id);
                expired.push(by_mark);
                continue;
            }
        }
        expired.push(e.by_mark);
    }
    let objects: Vec<Found> = expired.into_iter().flat_map(|g| g.objects).collect();
    if !objects.is_empty() {
        delete_all(objects).await?;
    }
    ui::out(if code == 0 {
        "Sweep complete: the expired stacks are gone."
    } else {
        "Sweep incomplete: see the errors above."
    });
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_is_expired_only_when_every_object_says_so() {
        let now = "20261205t120000z";
        let (early, old, later) = ("20261205t090000z", "20261205t100000z", "20261205t130000z");
        assert_eq!(
            latest_if_all_expired(&[Some(early), Some(old)], now).as_deref(),
            Some(old)
        );
        assert_eq!(latest_if_all_expired(&[Some(old), Some(later)], now), None);
        assert_eq!(latest_if_all_expired(&[Some(old), None], now), None);
        assert_eq!(latest_if_all_expired(&[Some("someday")], now), None);
        assert_eq!(latest_if_all_expired(&[], now), None);
    }
}
