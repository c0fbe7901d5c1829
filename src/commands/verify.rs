//! The end of a destroy: every object it deleted is read back by id through its provider
//! (gone is what the API says, never inferred from the delete call), and every object still
//! carrying the stack's mark is listed, so "nothing remains" is checked before it is said.

use std::collections::BTreeSet;

use futures::StreamExt;

use labform_sdk::Value;
use labform_state::StateFile;

use super::marked::{is_recorded, list, resource_providers};
use crate::config::Mode;
use crate::diag::Diagnostics;
use crate::engine::Engine;
use crate::plan::{Action, Plan};
use crate::ui;
use crate::ui::progress::json_line;

/// One object still there, and why.
pub(super) struct Remaining {
    pub what: String,
    pub why: String,
}

/// What the read-back found.
pub(super) struct Verification {
    /// The providers checked (those with objects outside state: `aws`, `docker`, `google`).
    pub providers: BTreeSet<String>,
    pub remaining: Vec<Remaining>,
    /// How many objects the destroy meant to delete state still records (a delete failed): listed by the
    /// destroy itself, and reason enough never to say "nothing remains".
    pub still_recorded: usize,
    /// Managed instances state keeps that this destroy did not mean to delete (`-target`).
    pub not_targeted: usize,
}

/// Reads back the objects of `deleted` (indices into `plan.changes`), `parallelism` at a time,
/// and lists the stack's marked objects that `state` (after the destroy) does not account for.
pub(super) async fn verify_destroy(
    engine: &Engine,
    plan: &Plan,
    deleted: &[usize],
    state: &StateFile,
    parallelism: usize,
) -> Result<Verification, Diagnostics> {
    let values = engine.values(true);
    let mut v = Verification {
        providers: BTreeSet::new(),
        remaining: Vec::new(),
        // Planned deletes state still records (a targeted destroy keeps the rest on purpose).
        still_recorded: plan
            .changes
            .iter()
            .filter(|c| c.action == Action::Delete)
            .filter(|c| state.instances().any(|(a, _, _)| a == c.addr))
            .count(),
        not_targeted: 0,
    };
    // Objects a delete leaves in place by configuration (`keep_locally`) are not remains.
    v.not_targeted = state
        .instances()
        .filter(|(a, _, _)| a.mode == Mode::Managed)
        .count()
        .saturating_sub(v.still_recorded);
    let mut kept: Vec<(&str, &Value)> = Vec::new();
    let mut keys = resource_providers(engine);
    let mut reads = Vec::new();
    for &i in deleted {
        let Some(c) = plan.changes.get(i) else {
            continue;
        };
        let Some(before) = &c.before else { continue };
        keys.insert(c.provider.clone());
        let res = engine
            .resource_impl(&c.provider, &c.addr.type_name, &values)
            .await?;
        if !res.has_remote_object() {
            continue;
        }
        v.providers.insert(provider_name(&c.provider));
        if res.kept_on_delete(before) {
            kept.push((c.addr.type_name.as_str(), before));
            continue;
        }
        reads.push(async move {
            let what = || format!("{} ({})", c.addr, super::marked::display_name(before));
            match res.read(before).await {
                Ok(None) => None,
                Ok(Some(_)) => Some(Remaining {
                    what: what(),
                    why: "its delete call succeeded, but reading it back by id still finds it"
                        .into(),
                }),
                Err(e) => Some(Remaining {
                    what: what(),
                    why: format!(
                        "it could not be read back to confirm it is gone: {}",
                        e.message
                    ),
                }),
            }
        });
    }
    // As many reads at once as the destroy made calls; reported in the plan's order.
    let found: Vec<Option<Remaining>> = futures::stream::iter(reads)
        .buffered(parallelism.max(1))
        .collect()
        .await;
    v.remaining.extend(found.into_iter().flatten());
    // Providers whose resource types make objects outside state.
    for r in engine.stack.resources.values() {
        if r.mode == Mode::Managed {
            if let Ok(res) = engine
                .resource_impl(&r.provider, &r.type_name, &values)
                .await
            {
                if res.has_remote_object() {
                    v.providers.insert(provider_name(&r.provider));
                }
            }
        }
    }
    for found in list(engine, &engine.stack_filter(), &keys).await? {
        // Still recorded (a targeted destroy, a failed delete), or kept by configuration.
        if is_recorded(&found, state, &kept) {
            continue;
        }
        let (what, res, _) = found;
        if let Some((p, _)) = engine.registry.schema(Mode::Managed, res.type_name()) {
            v.providers.insert(p.to_string());
        }
        v.remaining.push(Remaining {
            what,
            why: "it carries this stack's mark but state does not record it (made outside labform with the stack's labels, or by a run that was killed)".into(),
        });
    }
    Ok(v)
}

fn provider_name(key: &str) -> String {
    key.split('.').next().unwrap_or(key).to_string()
}

/// Prints the verification; `true` when nothing remains.
pub(super) fn report(stack: &str, v: &Verification, json: bool) -> bool {
    let on = v.providers.iter().cloned().collect::<Vec<_>>().join(", ");
    if json {
        json_line(
            "info",
            "destroy verified",
            "destroy_verified",
            serde_json::json!({
                "stack": stack,
                "providers": v.providers,
                "remaining": v.remaining.iter().map(|r| serde_json::json!({"object": r.what, "reason": r.why})).collect::<Vec<_>>(),
            }),
        );
        return v.remaining.is_empty() && v.still_recorded == 0;
    }
    if v.remaining.is_empty() && v.still_recorded > 0 {
        // The destroy listed what state still records, with its errors.
        return false;
    }
    if v.remaining.is_empty() && v.not_targeted > 0 {
        ui::out(&format!(
            "Verified: what this destroy deleted is gone{}; state still records {} other object(s) of stack {stack}",
            if on.is_empty() { String::new() } else { format!(" from {on}") },
            v.not_targeted
        ));
        return true;
    }
    if v.remaining.is_empty() {
        ui::out(&if on.is_empty() {
            format!("Verified: nothing of stack {stack} remains")
        } else {
            format!("Verified: nothing of stack {stack} remains on {on}")
        });
        return true;
    }
    let lines: Vec<String> = v
        .remaining
        .iter()
        .map(|r| format!("  - {}: {}", r.what, r.why))
        .collect();
    ui::err(&format!(
        "\nerror: {} object(s) of stack {stack} remain after the destroy (checked on {on}):\n{}\nhint: `labform sweep` deletes objects that carry the stack's mark and that state does not record; `labform destroy` again retries those state still records",
        v.remaining.len(),
        lines.join("\n")
    ));
    false
}
