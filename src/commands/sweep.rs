//! `labform sweep`: finds objects that carry this stack's mark (its id, or the old name-only
//! mark) but that state does not record (state lost, a run killed before it could record), and
//! deletes them; `-all` does it for the marked objects of every stack, grouped by stack.

use labform_sdk::{OpContext, StackFilter};

use super::common::{confirm, load_engine, read_state, store_for};
use super::marked::{by_stack, is_recorded, list, searched_providers, Found};
use crate::cli::SweepArgs;
use crate::diag::{Diagnostic, Diagnostics};
use crate::ui;

/// Passes over the leftovers: a delete that fails because another leftover still uses the
/// object (a network with containers) is retried after the others.
const PASSES: usize = 4;

pub async fn run(args: SweepArgs) -> Result<u8, Diagnostics> {
    if args.expired {
        return super::sweep_expired::run(args).await;
    }
    let dir = super::common::stack_dir(args.dir.dir.as_deref());
    let mut engine = load_engine(&dir, &args.run)?;
    let store = store_for(&engine.stack, args.run.state.as_deref())?;
    let mut state = read_state(&store)?;
    // Only to learn the recorded id: sweep never writes state.
    engine.use_state_identity(&mut state);
    let filter = if args.all {
        StackFilter::Any
    } else {
        engine.stack_filter()
    };
    let found = list(&engine, &filter, &searched_providers(&engine)).await?;
    let leftovers: Vec<Found> = found
        .into_iter()
        .filter(|f| !is_recorded(f, &state, &[]))
        .collect();
    if leftovers.is_empty() {
        ui::out(&if args.all {
            "No leftovers: no object outside this stack's state carries labform's mark.".to_string()
        } else {
            format!(
                "No leftovers: nothing carries the mark of stack `{}` (id {}) outside its state.",
                engine.stack.name, engine.stack_id
            )
        });
        return Ok(0);
    }
    if args.all {
        ui::out("Objects marked by labform that this stack's state does not record, by stack:");
    } else {
        ui::out(&format!(
            "Objects of stack `{}` (id {}) that state does not record:",
            engine.stack.name, engine.stack_id
        ));
    }
    let now = chrono::Utc::now();
    for ((name, id), items) in by_stack(&leftovers) {
        if args.all {
            let id = if id.is_empty() {
                "none: marked by an older labform"
            } else {
                &id
            };
            ui::out(&format!("stack `{name}` (id {id}):"));
        }
        for (what, _, m) in items {
            match m.created.as_deref().and_then(|c| age(c, now)) {
                Some(a) => ui::out(&format!("  - {what} (made {a} ago)")),
                None => ui::out(&format!("  - {what}")),
            }
        }
    }
    if !approved(&args, "delete", "every object listed above")? {
        return Ok(0);
    }
    delete_all(leftovers).await?;
    ui::out("Sweep complete: no leftovers remain.");
    Ok(0)
}

/// Whether to go on and `verb` (`delete`) `what` was listed: never on `-dry-run`; with
/// `-auto-approve`; else on a terminal's yes. Without a terminal it is a dry run, said so.
pub(super) fn approved(args: &SweepArgs, verb: &str, what: &str) -> Result<bool, Diagnostics> {
    if args.dry_run {
        return Ok(false);
    }
    if args.auto_approve {
        return Ok(true);
    }
    if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        ui::out(&format!(
            "Dry run: nothing deleted. Rerun with `-auto-approve` to {verb} them."
        ));
        return Ok(false);
    }
    let question = format!("{}{} them?", verb[..1].to_uppercase(), &verb[1..]);
    if !confirm(&question, &format!("labform will {verb} {what}."))? {
        return Err(Diagnostic::error("sweep cancelled").into());
    }
    Ok(true)
}

/// When an object was made, as a provider says it: RFC 3339, or milliseconds since the epoch
/// as digits.
pub(super) fn created_time(created: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    match created.parse::<i64>() {
        Ok(ms) => chrono::DateTime::from_timestamp_millis(ms),
        Err(_) => chrono::DateTime::parse_from_rfc3339(created)
            .ok()
            .map(|t| t.with_timezone(&chrono::Utc)),
    }
}

/// How long ago `created` was (see [`created_time`]), in the largest two units.
pub(super) fn age(created: &str, now: chrono::DateTime<chrono::Utc>) -> Option<String> {
    let at = created_time(created)?;
    let secs = (now - at).num_seconds().max(0);
    let (d, h, m) = (secs / 86400, secs % 86400 / 3600, secs % 3600 / 60);
    Some(if d > 0 {
        format!("{d}d{h}h")
    } else if h > 0 {
        format!("{h}h{m}m")
    } else {
        format!("{m}m{}s", secs % 60)
    })
}

/// Deletes every object, retrying those another one still held.
pub(super) async fn delete_all(mut leftovers: Vec<Found>) -> Result<(), Diagnostics> {
    let mut diags = Diagnostics::new();
    let ctx = OpContext::silent();
    for pass in 0..PASSES {
        let mut failed = Vec::new();
        for (what, res, m) in leftovers {
            match res.delete(&m.value, &ctx).await {
                Ok(()) => ui::out(&format!("deleted {what}")),
                Err(_) if pass + 1 < PASSES => failed.push((what, res, m)),
                Err(e) => diags.push(
                    Diagnostic::error(format!("deleting {what}: {}", e.message)).maybe_hint(e.hint),
                ),
            }
        }
        leftovers = failed;
        if leftovers.is_empty() {
            break;
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_from_rfc3339_and_milliseconds() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-04T20:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(age("2026-12-04T18:30:00Z", now).as_deref(), Some("1h30m"));
        let ms = (now.timestamp() - 2 * 86400 - 3600) * 1000;
        assert_eq!(age(&ms.to_string(), now).as_deref(), Some("2d1h"));
        assert_eq!(age("yesterday", now), None);
    }
}
