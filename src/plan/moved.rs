//! `moved` blocks: before planning, recorded objects at a `from` address are moved to the `to`
//! address (a resource, one instance, or a whole module instance), so a renamed resource or one
//! moved into a module is kept instead of destroyed and created again.

use labform_state::{InstanceAddr, ModulePath, StateFile};

use crate::config::Moved;
use crate::diag::{Diagnostic, Diagnostics};

/// Applies every `moved` block to `state`, in order; returns the instance moves made. A move
/// whose `from` holds nothing, or whose `to` already holds something, does nothing (Terraform
/// does the same: the block documents history).
pub fn apply_moved(
    moved: &[Moved],
    state: &mut StateFile,
) -> Result<Vec<(InstanceAddr, InstanceAddr)>, Diagnostics> {
    let mut done = Vec::new();
    let mut diags = Diagnostics::new();
    for m in moved {
        match pairs(m, state) {
            Ok(pairs) => {
                if pairs.iter().any(|(_, to)| state.instance(to).is_some()) {
                    continue;
                }
                for (from, to) in pairs {
                    if let Err(e) = state.move_instance(&from, &to) {
                        diags.push(
                            Diagnostic::error(format!("cannot move `{from}` to `{to}`: {e}"))
                                .at(m.location.clone()),
                        );
                        continue;
                    }
                    done.push((from, to));
                }
            }
            Err(d) => diags.push(d),
        }
    }
    diags.into_result()?;
    Ok(done)
}

/// The instance moves one block asks for, given what state holds.
fn pairs(m: &Moved, state: &StateFile) -> Result<Vec<(InstanceAddr, InstanceAddr)>, Diagnostic> {
    let bad = |text: &str, e: String| {
        Diagnostic::error(format!("invalid address `{text}` in a `moved` block: {e}"))
            .at(m.location.clone())
    };
    // A whole module instance: `module.a` -> `module.b`, `module.a` -> `module.a["k"]`.
    if let (Ok(from), Ok(to)) = (m.from.parse::<ModulePath>(), m.to.parse::<ModulePath>()) {
        return Ok(state
            .instances()
            .filter(|(a, _, _)| a.module.starts_with(&from))
            .map(|(a, _, _)| {
                let mut steps = to.0.clone();
                steps.extend(a.module.0[from.0.len()..].iter().cloned());
                let dest = a.clone().in_module(ModulePath(steps));
                (a, dest)
            })
            .collect());
    }
    let from: InstanceAddr = m.from.parse().map_err(|e| bad(&m.from, format!("{e}")))?;
    let to: InstanceAddr = m.to.parse().map_err(|e| bad(&m.to, format!("{e}")))?;
    if from.mode != to.mode || from.type_name != to.type_name {
        return Err(Diagnostic::error(format!(
            "a `moved` block cannot change the resource type: `{}` to `{}`",
            m.from, m.to
        ))
        .at(m.location.clone()));
    }
    if from.key.is_some() || to.key.is_some() {
        return Ok(vec![(from, to)]
            .into_iter()
            .filter(|(f, _)| state.instance(f).is_some())
            .collect());
    }
    // A whole resource: every instance keeps its key.
    Ok(state
        .resource(&from)
        .map(|r| {
            r.instances()
                .map(|i| {
                    let f = InstanceAddr {
                        key: i.index_key.clone(),
                        ..from.clone()
                    };
                    let t = InstanceAddr {
                        key: i.index_key.clone(),
                        ..to.clone()
                    };
                    (f, t)
                })
                .collect()
        })
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use labform_sdk::Value;
    use labform_state::InstanceState;

    fn state_with(addrs: &[&str]) -> StateFile {
        let mut s = StateFile::new("1.9.0");
        for a in addrs {
            let addr: InstanceAddr = a.parse().expect("address");
            s.put_instance(&addr, "p", InstanceState::new(Value::Null));
        }
        s
    }

    fn moved(from: &str, to: &str) -> Moved {
        Moved {
            from: from.into(),
            to: to.into(),
            location: None,
        }
    }

    fn listing(s: &StateFile) -> Vec<String> {
        s.instances().map(|(a, _, _)| a.to_string()).collect()
    }

    #[test]
    fn moves_a_resource_into_a_module_and_renames_another() {
        let mut s = state_with(&["t.a[0]", "t.a[1]", "t.b"]);
        let done = apply_moved(&[moved("t.a", "module.m.t.a"), moved("t.b", "t.c")], &mut s)
            .expect("moves");
        assert_eq!(done.len(), 3);
        assert_eq!(listing(&s), ["t.c", "module.m.t.a[0]", "module.m.t.a[1]"]);
    }

    #[test]
    fn moves_a_module_instance_and_skips_what_is_already_done() {
        let mut s = state_with(&["module.a.t.x", "module.a.module.b.t.y", "module.c.t.z"]);
        apply_moved(&[moved("module.a", "module.n[\"k\"]")], &mut s).expect("moves");
        assert_eq!(
            listing(&s),
            [
                "module.c.t.z",
                "module.n[\"k\"].t.x",
                "module.n[\"k\"].module.b.t.y"
            ]
        );
        let again = apply_moved(&[moved("module.a", "module.n[\"k\"]")], &mut s).expect("no-op");
        assert!(again.is_empty());
    }

    #[test]
    fn refuses_to_change_the_type() {
        let mut s = state_with(&["t.a"]);
        assert!(apply_moved(&[moved("t.a", "u.a")], &mut s).is_err());
    }
}
