//! Objects found by their marks: every object a [`StackFilter`] selects, across the managed
//! types of the providers a stack names, with what a person calls each one. Sweep, sweep
//! -expired and destroy's verification all list through here.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use labform_sdk::{Marked, Resource, StackFilter, Value};
use labform_state::StateFile;

use crate::config::Mode;
use crate::diag::{Diagnostic, Diagnostics};
use crate::engine::Engine;

/// One object found: how to name it, the resource type that reads and deletes it, its marks.
pub(super) type Found = (String, Arc<dyn Resource>, Marked);

/// The name a person knows the object by: its name where it has one, else its id.
pub(super) fn display_name(v: &Value) -> String {
    [
        "name",
        "bucket",
        "identifier",
        "dataset_id",
        "table_id",
        "id",
    ]
    .iter()
    .find_map(|k| v.str_attr(k).filter(|s| !s.is_empty()))
    .unwrap_or("")
    .to_string()
}

/// The provider keys of the stack's managed resources.
pub(super) fn resource_providers(engine: &Engine) -> BTreeSet<String> {
    engine
        .stack
        .resources
        .values()
        .filter(|r| r.mode == Mode::Managed)
        .map(|r| r.provider.clone())
        .collect()
}

/// The providers to search: those the stack's resources use and those it configures (an
/// instructor's directory may hold only provider blocks naming the accounts to sweep).
pub(super) fn searched_providers(engine: &Engine) -> BTreeSet<String> {
    let mut providers = resource_providers(engine);
    providers.extend(engine.stack.providers.keys().cloned());
    providers
}

/// Every object the filter selects in [`searched_providers`] and in the local engines the
/// directory does not name (Docker: see [`labform_sdk::Provider::searched_unconfigured`]), for
/// `status -all`, which only reads. (Sweep deletes: it searches only what the directory names.)
/// An error in a named provider stops the command; a local engine that cannot be reached is
/// said and skipped, since nothing is up on it and a machine without Docker still sees its
/// clouds.
pub(super) async fn list_everywhere(
    engine: &Engine,
    filter: &StackFilter,
) -> Result<Vec<Found>, Diagnostics> {
    let named = searched_providers(engine);
    let mut found = list(engine, filter, &named).await?;
    let local: Vec<&str> = engine
        .registry
        .provider_names()
        .filter(|name| !named.contains(*name))
        .filter(|name| {
            engine
                .registry
                .provider(name)
                .is_some_and(|p| p.searched_unconfigured())
        })
        .collect();
    for name in local {
        match list(engine, filter, &BTreeSet::from([name.to_string()])).await {
            Ok(more) => found.extend(more),
            Err(diags) => {
                let warnings = diags.0.into_iter().map(|d| {
                    Diagnostic::warning(format!("not searched: `{name}`: {}", d.message))
                        .maybe_hint(d.hint)
                });
                crate::ui::print_diagnostics(&Diagnostics(warnings.collect()));
            }
        }
    }
    Ok(found)
}

/// Every object the filter selects, of every managed type of `providers` (keys).
pub(super) async fn list(
    engine: &Engine,
    filter: &StackFilter,
    providers: &BTreeSet<String>,
) -> Result<Vec<Found>, Diagnostics> {
    let values = engine.values(true);
    let mut out = Vec::new();
    let mut diags = Diagnostics::new();
    for key in providers {
        let name = key.split('.').next().unwrap_or(key);
        for type_name in engine.registry.type_names(Mode::Managed) {
            if engine
                .registry
                .schema(Mode::Managed, type_name)
                .map(|(p, _)| p)
                != Some(name)
            {
                continue;
            }
            let res = match engine.resource_impl(key, type_name, &values).await {
                Ok(r) => r,
                Err(d) => {
                    diags.push(d);
                    break;
                }
            };
            match res.list_marked(filter).await {
                Ok(found) => out.extend(found.into_iter().map(|m| {
                    let what = format!("{type_name} `{}`", display_name(&m.value));
                    (what, res.clone(), m)
                })),
                Err(e) => diags.push(
                    Diagnostic::error(format!("listing `{type_name}`: {}", e.message))
                        .maybe_hint(e.hint),
                ),
            }
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(out)
}

/// Whether `found` is an object `state` records (compared by its type: see
/// [`Resource::same_object`]), or one of `extra` (type name, value).
pub(super) fn is_recorded(found: &Found, state: &StateFile, extra: &[(&str, &Value)]) -> bool {
    let (_, res, m) = found;
    let type_name = res.type_name();
    state
        .instances()
        .filter(|(a, _, _)| a.type_name == type_name)
        .any(|(_, _, i)| res.same_object(&m.value, &i.attributes))
        || extra
            .iter()
            .any(|(t, v)| *t == type_name && res.same_object(&m.value, v))
}

/// The objects grouped by the stack their marks name (name, id).
pub(super) fn by_stack(found: &[Found]) -> BTreeMap<(String, String), Vec<&Found>> {
    let mut groups: BTreeMap<(String, String), Vec<&Found>> = BTreeMap::new();
    for f in found {
        groups.entry(f.2.stack()).or_default().push(f);
    }
    groups
}
