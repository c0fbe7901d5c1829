//! Refresh: reads every recorded object back, so plans start from what really exists.

use futures::stream::{self, StreamExt};
use labform_sdk::Value;
use labform_state::{InstanceAddr, StateFile};

use crate::config::Mode;
use crate::diag::{Diagnostic, Diagnostics};
use crate::engine::registry::key_from_state_provider;
use crate::engine::Engine;

/// What refresh found for one instance.
enum Found {
    Same,
    Changed(Value),
    Gone,
    /// A create interrupted before it was confirmed: the object exists after all.
    Adopted(Value),
}

/// Reads back every managed instance of `state`. Returns the refreshed state and a note for each
/// object changed or deleted outside labform.
pub async fn refresh(
    engine: &Engine,
    state: &StateFile,
    parallelism: usize,
) -> Result<(StateFile, Vec<String>), Diagnostics> {
    let values = engine.values(true);
    let items: Vec<(InstanceAddr, String, Value, bool)> = state
        .instances()
        .filter(|(a, _, _)| a.mode == Mode::Managed)
        .map(|(a, rs, inst)| {
            (
                a.clone(),
                key_from_state_provider(&rs.provider),
                inst.attributes.clone(),
                inst.pending.is_some(),
            )
        })
        .collect();
    let results: Vec<(InstanceAddr, Result<Found, Diagnostic>)> = stream::iter(items)
        .map(|(addr, provider, attrs, pending)| {
            let values = &values;
            async move {
                let result = async {
                    let res = engine
                        .resource_impl(&provider, &addr.type_name, values)
                        .await?;
                    let read = res.read(&attrs).await.map_err(|e| {
                        Diagnostic::error(format!("refreshing `{addr}`: {}", e.message))
                            .maybe_hint(e.hint)
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
                        Some(v) if pending => Found::Adopted(v),
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
    let mut notes = Vec::new();
    let mut diags = Diagnostics::new();
    for (addr, result) in results {
        let pending = state
            .instance(&addr)
            .is_some_and(|(_, i)| i.pending.is_some());
        match result {
            Ok(Found::Same) => {}
            Ok(Found::Changed(v)) => {
                notes.push(format!("`{addr}` has changed outside labform"));
                set_attributes(&mut out, &addr, v);
            }
            Ok(Found::Adopted(v)) => {
                notes.push(format!(
                    "`{addr}` was found after an interrupted create and is now tracked"
                ));
                set_attributes(&mut out, &addr, v);
            }
            Ok(Found::Gone) => {
                if !pending {
                    notes.push(format!("`{addr}` has been deleted outside labform"));
                }
                out.remove_instance(&addr);
            }
            Err(d) => diags.push(d),
        }
    }
    notes.sort();
    diags.into_result()?;
    Ok((out, notes))
}

fn set_attributes(state: &mut StateFile, addr: &InstanceAddr, value: Value) {
    let Some((rs, inst)) = state.instance(addr) else {
        return;
    };
    let provider = rs.provider.clone();
    let mut inst = inst.clone();
    inst.attributes = value;
    inst.pending = None;
    state.put_instance(addr, &provider, inst);
}
