//! Refresh: reads every recorded object back, so plans start from what really exists.

use futures::stream::{self, StreamExt};
use labform_sdk::Value;
use labform_state::{InstanceAddr, StateFile};

use crate::config::Mode;
use crate::diag::{Diagnostic, Diagnostics};
use crate::engine::registry::key_from_state_provider;
use crate::engine::Engine;
use crate::eval::marks::{secret_texts, Marks};

/// What refresh found for one instance.
enum Found {
    Same,
    Changed(Value),
    Gone,
    /// A create interrupted before it was confirmed: the object exists after all.
    Adopted(Value),
}

/// An object refresh found different from what state recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Drift {
    pub addr: InstanceAddr,
    pub kind: DriftKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DriftKind {
    /// Changed outside labform: state now holds what was read.
    Changed,
    /// Deleted outside labform: gone from state.
    Deleted,
    /// Found after an interrupted create and now tracked.
    Adopted,
}

impl Drift {
    /// The note a plan prints for it.
    pub fn note(&self) -> String {
        let addr = &self.addr;
        match self.kind {
            DriftKind::Changed => format!("`{addr}` has changed outside labform"),
            DriftKind::Deleted => format!("`{addr}` has been deleted outside labform"),
            DriftKind::Adopted => {
                format!("`{addr}` was found after an interrupted create and is now tracked")
            }
        }
    }
}

/// One instance to read back: address, provider key, recorded attributes, whether its create was
/// interrupted, and the texts of its sensitive values (kept out of error messages).
type Item = (
    InstanceAddr,
    String,
    Value,
    Option<Interrupted>,
    Vec<String>,
);

/// An instance whose create was interrupted, with the token its create call carried.
struct Interrupted {
    token: Option<String>,
}

/// Reads back every managed instance of `state` (with `full` false, only those whose create was
/// interrupted: even `-refresh=false` must not lose them). Returns the refreshed state and what
/// was found changed, deleted or adopted, in address order.
pub async fn refresh(
    engine: &Engine,
    state: &StateFile,
    parallelism: usize,
    full: bool,
) -> Result<(StateFile, Vec<Drift>), Diagnostics> {
    let values = engine.values(true);
    let items: Vec<Item> = state
        .instances()
        .filter(|(a, _, inst)| a.mode == Mode::Managed && (full || inst.pending.is_some()))
        .map(|(a, rs, inst)| {
            (
                a.clone(),
                key_from_state_provider(&rs.provider),
                inst.attributes.clone(),
                inst.pending.map(|_| Interrupted {
                    token: inst.create_token.clone(),
                }),
                secret_texts(
                    &inst.attributes,
                    &Marks::from_paths(&inst.sensitive_attributes),
                ),
            )
        })
        .collect();
    let results: Vec<(InstanceAddr, Result<Found, Diagnostic>)> = stream::iter(items)
        .map(|(addr, provider, attrs, pending, secrets)| {
            let values = &values;
            async move {
                let result = async {
                    let res = engine
                        .resource_impl(&provider, &addr.type_name, values)
                        .await?;
                    let read = match &pending {
                        // An intent from before create tokens: its name is all there is.
                        Some(Interrupted { token: Some(token) }) => {
                            res.find_interrupted(&attrs, token).await
                        }
                        _ => res.read(&attrs).await,
                    };
                    let read = read.map_err(|e| {
                        let verb = if pending.is_some() {
                            "looking for the object of an interrupted create of"
                        } else {
                            "refreshing"
                        };
                        // A provider may quote a value it read; never one state marks sensitive.
                        Diagnostic::error(format!("{verb} `{addr}`: {}", e.message))
                            .maybe_hint(e.hint)
                            .scrubbed(&secrets)
                    })?;
                    let normal =
                        |v: &Value| match engine.registry.schema(Mode::Managed, &addr.type_name) {
                            Some((_, schema)) => labform_sdk::normalize(schema, v),
                            None => v.clone(),
                        };
                    let read = read.map(|v| normal(&v));
                    let attrs = normal(&attrs);
                    Ok(match read {
                        None => Found::Gone,
                        Some(v) if pending.is_some() => Found::Adopted(v),
                        Some(v) if v == attrs => Found::Same,
                        Some(v) => Found::Changed(v),
                    })
                }
                .await;
                (addr, result)
            }
        })
        .buffer_unordered(parallelism.max(1))
        .collect()
        .await;
    let mut out = state.clone();
    let mut drift = Vec::new();
    let mut diags = Diagnostics::new();
    for (addr, result) in results {
        let pending = state
            .instance(&addr)
            .is_some_and(|(_, i)| i.pending.is_some());
        match result {
            Ok(Found::Same) => {}
            Ok(Found::Changed(v)) => {
                set_attributes(&mut out, &addr, v);
                drift.push(Drift {
                    addr,
                    kind: DriftKind::Changed,
                });
            }
            Ok(Found::Adopted(v)) => {
                set_attributes(&mut out, &addr, v);
                drift.push(Drift {
                    addr,
                    kind: DriftKind::Adopted,
                });
            }
            Ok(Found::Gone) => {
                out.remove_instance(&addr);
                if !pending {
                    drift.push(Drift {
                        addr,
                        kind: DriftKind::Deleted,
                    });
                }
            }
            Err(d) => diags.push(d),
        }
    }
    drift.sort_by_key(|d| d.addr.to_string());
    diags.into_result()?;
    Ok((out, drift))
}

fn set_attributes(state: &mut StateFile, addr: &InstanceAddr, value: Value) {
    let Some((rs, inst)) = state.instance(addr) else {
        return;
    };
    let provider = rs.provider.clone();
    let mut inst = inst.clone();
    inst.attributes = value;
    inst.pending = None;
    inst.create_token = None;
    state.put_instance(addr, &provider, inst);
}
