//! `labform providers`: the providers the stack's configuration and state use, in Terraform's
//! layout, with the version of each that labform builds in.

use std::collections::BTreeMap;

use labform_state::StateStore;

use super::common::{load_default_stack, stack_dir, state_error, store_for};
use crate::cli::DirArgs;
use crate::config::{implied_provider, Stack};
use crate::diag::Diagnostics;
use crate::engine::registry::provider_source;
use crate::ui;

pub fn run(args: DirArgs) -> Result<u8, Diagnostics> {
    let dir = stack_dir(args.dir.as_deref());
    let stack = load_default_stack(&dir)?;
    let mut text = String::from("\nProviders required by configuration:\n.\n");
    let required = required(&stack);
    let n = required.len();
    for (i, (name, constraint)) in required.iter().enumerate() {
        let branch = if i + 1 == n { "└──" } else { "├──" };
        let implemented = crate::providers::identity(name)
            .map(|i| format!("   (built in: v{})", i.schema_version))
            .unwrap_or_else(|| "   (not built into this labform)".to_string());
        let constraint = constraint
            .as_deref()
            .map(|c| format!(" {c}"))
            .unwrap_or_default();
        text.push_str(&format!(
            "{branch} provider[{}]{constraint}{implemented}\n",
            provider_source(name)
        ));
    }
    let store = store_for(&stack, None)?;
    if let Some(state) = store.read().map_err(state_error)? {
        let mut in_state: Vec<String> = state
            .resources()
            .map(|r| {
                let inner = r.provider.trim_start_matches("provider[\"");
                inner
                    .split_once("\"]")
                    .map(|x| x.0)
                    .unwrap_or(inner)
                    .to_string()
            })
            .collect();
        in_state.sort();
        in_state.dedup();
        if !in_state.is_empty() {
            text.push_str("\nProviders required by state:\n\n");
            for p in in_state {
                text.push_str(&format!("    provider[{p}]\n\n"));
            }
        }
    }
    ui::out(&text);
    Ok(0)
}

/// Every provider the stack and its modules name (required_providers, provider blocks and
/// resource types), with the version constraint `required_providers` gives.
fn required(stack: &Stack) -> BTreeMap<String, Option<String>> {
    let mut out: BTreeMap<String, Option<String>> = BTreeMap::new();
    collect(stack, &mut out);
    out
}

fn collect(stack: &Stack, out: &mut BTreeMap<String, Option<String>>) {
    for (name, req) in &stack.terraform.required_providers {
        let entry = out.entry(name.clone()).or_default();
        if entry.is_none() {
            entry.clone_from(&req.version);
        }
    }
    for p in stack.providers.values() {
        out.entry(p.name.clone()).or_default();
    }
    for r in stack.resources.values() {
        let name = r.provider.split('.').next().unwrap_or(&r.provider);
        let name = if name.is_empty() {
            implied_provider(&r.type_name)
        } else {
            name
        };
        out.entry(name.to_string()).or_default();
    }
    for child in stack.children.values() {
        collect(child, out);
    }
}
