//! `labform version`.

use serde_json::json;

use crate::cli::VersionArgs;
use crate::config::version::TERRAFORM_COMPAT;
use crate::diag::Diagnostics;
use crate::providers::identities;
use crate::ui;

pub fn run(args: VersionArgs) -> Result<u8, Diagnostics> {
    let version = env!("CARGO_PKG_VERSION");
    if args.json {
        let providers: serde_json::Map<String, serde_json::Value> = identities()
            .iter()
            .map(|i| (i.name.to_string(), json!(i.schema_version)))
            .collect();
        ui::out(&json!({ "labform_version": version, "terraform_version": TERRAFORM_COMPAT, "provider_selections": providers }).to_string());
        return Ok(0);
    }
    let mut s = format!("labform v{version}\ncompatible with the Terraform {TERRAFORM_COMPAT} language\nbuilt-in providers (schema versions):\n");
    for i in identities() {
        s.push_str(&format!("  + {} v{}\n", i.name, i.schema_version));
    }
    ui::out(&s);
    Ok(0)
}
