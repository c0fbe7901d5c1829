//! `labform state replace-provider FROM TO`: rewrites the provider source recorded for
//! resources (Terraform's shape: `provider["SOURCE"]` with an optional `.alias`).

use labform_state::StateStore;

use super::common::{confirm, lock, read_state, state_error, store_in_dir};
use crate::cli::ReplaceProviderArgs;
use crate::diag::{Diagnostic, Diagnostics};
use crate::ui;

/// A provider source in its full form: `aws` and `hashicorp/aws` mean
/// `registry.terraform.io/hashicorp/aws`, as in `required_providers`.
pub fn full_source(text: &str) -> Result<String, Diagnostic> {
    let parts: Vec<&str> = text.split('/').collect();
    let ok = |p: &&str| !p.is_empty() && !p.contains(['"', '[', ']', ' ']);
    if !parts.iter().all(ok) || parts.len() > 3 {
        return Err(
            Diagnostic::error(format!("invalid provider source `{text}`"))
                .hint("write it like `hashicorp/aws` or `registry.terraform.io/hashicorp/aws`"),
        );
    }
    Ok(match parts.as_slice() {
        [name] => format!("registry.terraform.io/hashicorp/{name}"),
        [ns, name] => format!("registry.terraform.io/{ns}/{name}"),
        _ => text.to_string(),
    })
}

/// The source inside a state provider string and what follows it (`.alias`).
fn split_provider(recorded: &str) -> Option<(&str, &str)> {
    recorded.strip_prefix("provider[\"")?.split_once("\"]")
}

pub fn run(args: ReplaceProviderArgs) -> Result<u8, Diagnostics> {
    let from = full_source(&args.from)?;
    let to = full_source(&args.to)?;
    let store = store_in_dir(args.state.as_deref())?;
    let _lock = lock(&store, "state replace-provider", &args.locking)?;
    let state = read_state(&store)?;
    let mut matching = Vec::new();
    for (addr, rs, inst) in state.instances() {
        if let Some((source, alias)) = split_provider(&rs.provider) {
            if source == from {
                matching.push((addr, format!("provider[\"{to}\"]{alias}"), inst.clone()));
            }
        }
    }
    if matching.is_empty() {
        ui::out("No matching resources found.");
        return Ok(0);
    }
    let mut resources: Vec<String> = matching.iter().map(|(a, _, _)| a.resource_addr()).collect();
    resources.dedup();
    ui::out(&format!(
        "labform will perform the following actions:\n\n  ~ Updating provider:\n    - {from}\n    + {to}\n\nChanging {} resources:\n\n{}",
        resources.len(),
        resources.iter().map(|r| format!("  {r}")).collect::<Vec<_>>().join("\n")
    ));
    if !args.auto_approve
        && !confirm(
            "Do you want to make these changes?",
            "labform will record the new provider for the resources above.",
        )?
    {
        return Err(Diagnostic::error("replace-provider cancelled").into());
    }
    let mut writer = store.writer(state.clone()).map_err(state_error)?;
    for (addr, provider, inst) in matching {
        writer
            .put_instance(&addr, &provider, inst)
            .map_err(state_error)?;
    }
    writer.commit().map_err(state_error)?;
    ui::out(&format!(
        "\nSuccessfully replaced provider for {} resources.",
        resources.len()
    ));
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_sources_expand_as_required_providers_does() {
        assert_eq!(
            full_source("aws").unwrap(),
            "registry.terraform.io/hashicorp/aws"
        );
        assert_eq!(
            full_source("acme/aws").unwrap(),
            "registry.terraform.io/acme/aws"
        );
        assert_eq!(
            full_source("example.com/acme/aws").unwrap(),
            "example.com/acme/aws"
        );
        assert!(full_source("a/b/c/d").is_err());
        assert!(full_source("hashicorp/").is_err());
    }

    #[test]
    fn recorded_providers_split_into_source_and_alias() {
        assert_eq!(
            split_provider("provider[\"registry.terraform.io/hashicorp/aws\"].west"),
            Some(("registry.terraform.io/hashicorp/aws", ".west"))
        );
        assert_eq!(split_provider("nonsense"), None);
    }
}
